from django.urls import path

from lantern.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.index, name="index"),
    path("measures/", views.catalogue, name="catalogue"),
    path("measures/new/", views.measure_create, name="measure-create"),
    path("measures/<slug:code>/", views.measure_detail, name="measure-detail"),
    path("measures/<slug:code>/edit/", views.measure_edit, name="measure-edit"),
    path(
        "measures/<slug:code>/records/<str:period>/",
        views.measure_records,
        name="measure-records",
    ),
    path("figures/", views.figures, name="figures"),
    path("figures/request/", views.figures_request, name="figures-request"),
    path("figures/<int:pk>/", views.figures_enter, name="figures-enter"),
    path("data-summary/", views.data_summary, name="data-summary"),
    path("data-summary/download/", views.data_summary_download, name="data-summary-download"),
    path("publish/", views.publish, name="publish"),
    path("published/", views.published_list, name="published-list"),
    path("published/<int:pk>/", views.published_detail, name="published-detail"),
    path("published/<int:pk>/<str:fmt>/", views.published_download, name="published-download"),
    path("public/", views.public_reports, name="public-list"),
    path("public/<str:period>/", views.public_report, name="public-report"),
    path(
        "public/<str:period>/<str:fmt>/",
        views.public_report_download,
        name="public-report-download",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("cabinet/", views.cabinet, name="cabinet"),
    path("cabinet/update/", views.cabinet_update, name="cabinet-update"),
    path("cabinet/download/", views.cabinet_download, name="cabinet-download"),
    path("annual/", views.annual_report, name="annual"),
    path("annual/download/", views.annual_download, name="annual-download"),
    path("finance/", views.finance, name="finance"),
    path("case-studies/", views.case_studies, name="case-studies"),
    path("case-studies/<int:pk>/", views.case_study, name="case-study"),
    path("scrutiny/", views.scrutiny_summary, name="scrutiny"),
    path("scrutiny/forward-plan/", views.forward_plan, name="forward-plan"),
    path("briefing/", views.briefing, name="briefing"),
    path("briefing/partners/", views.partner_briefing, name="briefing-partners"),
    path("problem-profile/", views.problem_profile, name="problem-profile"),
]
