from django.urls import path

from lantern.governance import views

app_name = "governance"
urlpatterns = [
    path("retention/", views.queue, name="queue"),
    path("retention/review/", views.review, name="review"),
    path("retention/disposals/<int:pk>/", views.decide, name="decide"),
    path("subject-access/", views.subject_start, name="subject-start"),
    path("subject-access/<slug:kind>/<int:pk>/", views.subject, name="subject"),
    path("subject-access/<slug:kind>/<int:pk>/pdf/", views.subject_pdf, name="subject-pdf"),
]
