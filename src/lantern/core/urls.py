from django.urls import path

from lantern.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", views.guide_list, name="guides"),
    path("help/<slug:name>/", views.guide, name="guide"),
]
