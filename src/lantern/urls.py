from django.urls import include, path

urlpatterns = [
    path("", include("lantern.core.urls")),
    path("", include("lantern.accounts.urls")),
    path("audit/", include("lantern.audit.urls")),
    path("governance/", include("lantern.governance.urls")),
    path("intake/", include("lantern.intake.urls")),
    path("plans/", include("lantern.plans.urls")),
    path("performance/", include("lantern.performance.urls")),
    path("entities/", include("lantern.entities.urls")),
    path("tasking/", include("lantern.tasking.urls")),
    path("children/", include("lantern.children.urls")),
    path("risk/", include("lantern.risk.urls")),
]

handler400 = "lantern.core.views.bad_request"
handler403 = "lantern.core.views.permission_denied"
handler404 = "lantern.core.views.page_not_found"
handler500 = "lantern.core.views.server_error"
