from django.urls import path

from lantern.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("record/<str:object_type>/<str:object_id>/", views.record_history, name="record"),
]
