from django.urls import path

from lantern.children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="child-list"),
    path("add/", views.child_create, name="child-create"),
    path("<int:pk>/", views.child_detail, name="child-detail"),
    path("<int:pk>/edit/", views.child_edit, name="child-edit"),
    path("<int:pk>/break-glass/", views.break_glass, name="break-glass"),
    path("<int:pk>/episodes/open/", views.episode_open, name="episode-open"),
    path("episodes/<int:pk>/close/", views.episode_close, name="episode-close"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/contacts/add/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/decide/", views.contact_decide, name="contact-decide"),
    path("referrals/<int:pk>/assessment/", views.referral_assessment, name="referral-assessment"),
    path("<int:pk>/mace/add/", views.mace_create, name="mace-create"),
    path("mace/<int:pk>/", views.mace_detail, name="mace-detail"),
    path("mace/reviews-due/", views.mace_due, name="mace-due"),
    path("<int:pk>/missing/add/", views.missing_create, name="missing-create"),
    path("missing/<int:pk>/", views.missing_detail, name="missing-detail"),
    path("missing/<int:pk>/found/", views.missing_found, name="missing-found"),
    path("missing/<int:pk>/interview/", views.return_interview, name="return-interview"),
    path("<int:pk>/services/add/", views.service_referral_create, name="service-referral-create"),
    path(
        "service-referrals/<int:pk>/",
        views.service_referral_update,
        name="service-referral-update",
    ),
    path("services/", views.service_list, name="service-list"),
    path("alerts/", views.alert_list, name="alert-list"),
]
