from django.urls import path

from lantern.intake import assurance_views, query_views, strand_views, views

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path("report/", views.report, name="report"),
    path("status/", views.status, name="status"),
    path("report/check/<uuid:token>/", views.check, name="check"),
    path("report/done/<uuid:token>/", views.done, name="done"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("queue/assign/", views.queue_assign, name="queue-assign"),
    path("social-care/", views.social_care_queue, name="social-care-queue"),
    path("shared/", views.shared, name="shared"),
    path("trace-matrix/", views.trace_matrix, name="trace-matrix"),
    path("significant/", strand_views.significant, name="significant"),
    path("assurance/", assurance_views.member_assurance, name="assurance"),
    path("guidance/<slug:key>/", assurance_views.guidance, name="guidance"),
    path("guidance/<slug:key>/edit/", assurance_views.guidance_edit, name="guidance-edit"),
    path("queries/", query_views.queries, name="queries"),
    path("queries/<int:pk>/", query_views.query, name="query"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/trace/", views.trace, name="trace"),
    path("<str:reference>/assign/", views.assign, name="assign"),
    path("<str:reference>/grade/", views.grade, name="grade"),
    path("<str:reference>/decide/", views.decide, name="decide"),
    path("<str:reference>/conclude/", views.conclude, name="conclude"),
    path("<str:reference>/split/", strand_views.split, name="split"),
    path("<str:reference>/merge/", strand_views.merge, name="merge"),
    path("<str:reference>/significant/", strand_views.flag_significant, name="flag-significant"),
    path("<str:reference>/query/", query_views.raise_query, name="raise-query"),
    path("<str:reference>/record-contact/", views.record_child_contact, name="record-contact"),
    path(
        "<str:reference>/child-records/",
        views.check_child_records,
        name="check-child-records",
    ),
]
