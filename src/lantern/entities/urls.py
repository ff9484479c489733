from django.urls import path

from lantern.entities import views

app_name = "entities"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.entity_detail, name="detail"),
    path("<int:pk>/edit/", views.entity_edit, name="edit"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("merges/<int:pk>/split/", views.split, name="split"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:pk>/", views.suggestion_decide, name="suggestion-decide"),
    path("notes/new/", views.note_create, name="note-create"),
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path(
        "mention/<str:app_label>/<str:model_name>/<int:pk>/",
        views.mention_add,
        name="mention-add",
    ),
    path("extract/", views.extract, name="extract"),
    path("hot-spots/", views.hotspots, name="hotspots"),
]
