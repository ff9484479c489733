from django.urls import path

from lantern.risk import views

app_name = "risk"
urlpatterns = [
    path("tools/", views.tool_list, name="tool-list"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("children/<int:child_pk>/assess/", views.choose_tool, name="choose-tool"),
    path(
        "children/<int:child_pk>/assess/<int:version_pk>/",
        views.assess_child,
        name="assess-child",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/override/", views.override, name="override"),
    path("nominals/", views.nominal_list, name="nominal-list"),
    path("nominals/add/", views.nominal_create, name="nominal-create"),
    path("nominals/<int:pk>/", views.nominal_detail, name="nominal-detail"),
    path("nominals/<int:pk>/assess/", views.assess_nominal, name="assess-nominal"),
]
