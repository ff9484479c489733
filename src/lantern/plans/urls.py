from django.urls import path

from lantern.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.strategy_list, name="strategy-list"),
    path("new/", views.strategy_create, name="strategy-create"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("public/", views.public_plan_list, name="public-list"),
    path("public/<int:pk>/", views.public_plan_page, name="public-plan"),
    path("<int:pk>/", views.strategy_detail, name="strategy-detail"),
    path("<int:pk>/edit/", views.strategy_edit, name="strategy-edit"),
    path("<int:pk>/plan-on-a-page/", views.plan_page, name="plan-page"),
    path("<int:pk>/plan-on-a-page.pdf", views.plan_pdf, name="plan-pdf"),
    path("<int:pk>/export/<str:fmt>/", views.plan_export, name="plan-export"),
    path("<int:pk>/import/", views.plan_import, name="plan-import"),
    path("<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/", views.priority_edit, name="priority-edit"),
    path("<int:pk>/objectives/new/", views.objective_create, name="objective-create"),
    path("objectives/<int:pk>/", views.objective_edit, name="objective-edit"),
    path("<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/withdraw/", views.action_withdraw, name="action-withdraw"),
    path("<int:pk>/lead-officers/", views.lead_officer_list, name="lead-officer-list"),
    path("lead-officers/<int:pk>/", views.lead_officer_edit, name="lead-officer-edit"),
    path("<int:pk>/recommendations/", views.recommendation_list, name="recommendation-list"),
    path(
        "<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("recommendations/<int:pk>/", views.recommendation_edit, name="recommendation-edit"),
    path("<int:pk>/versions/", views.version_list, name="version-list"),
    path("<int:pk>/versions/publish/", views.version_publish, name="version-publish"),
    path("<int:pk>/versions/compare/", views.version_compare, name="version-compare"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
]
