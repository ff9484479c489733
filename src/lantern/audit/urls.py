from django.urls import path

from lantern.audit import views

# An object id may hold "/" (a period such as 2026/27-Q2), so it is matched as a path.

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("record/<str:object_type>/<path:object_id>/", views.record_history, name="record"),
]
