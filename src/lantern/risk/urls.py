from django.urls import path

from lantern.risk import views

app_name = "risk"
urlpatterns = [
    path("tools/", views.tool_list, name="tool-list"),
    path("tools/<int:pk>/new-draft/", views.new_draft, name="new-draft"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/guidance/", views.version_guidance, name="version-guidance"),
    path("versions/<int:pk>/groups/add/", views.group_add, name="group-add"),
    path("versions/<int:pk>/bands/", views.bands_edit, name="bands-edit"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("groups/<int:pk>/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path("children/<int:child_pk>/assess/", views.choose_tool, name="choose-tool"),
    path(
        "children/<int:child_pk>/assess/<int:version_pk>/",
        views.assess_child,
        name="assess-child",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/override/", views.override, name="override"),
    path("assessments/<int:pk>/decision/", views.override_decision, name="override-decision"),
    path("nominals/", views.nominal_list, name="nominal-list"),
    path("nominals/add/", views.nominal_create, name="nominal-create"),
    path("nominals/<int:pk>/", views.nominal_detail, name="nominal-detail"),
    path("nominals/<int:pk>/edit/", views.nominal_edit, name="nominal-edit"),
    path("nominals/<int:pk>/assess/", views.assess_nominal, name="assess-nominal"),
]
