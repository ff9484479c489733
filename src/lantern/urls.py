from django.urls import include, path

urlpatterns = [
    path("", include("lantern.core.urls")),
    path("", include("lantern.accounts.urls")),
    path("audit/", include("lantern.audit.urls")),
]

handler403 = "lantern.core.views.permission_denied"
handler404 = "lantern.core.views.page_not_found"
handler500 = "lantern.core.views.server_error"
