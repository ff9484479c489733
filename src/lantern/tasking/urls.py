from django.urls import path

from lantern.tasking import plan_views, views

app_name = "tasking"
urlpatterns = [
    path("", views.index, name="index"),
    path("series/new/", views.series_create, name="series-create"),
    path("series/<int:pk>/", views.series_detail, name="series-detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/build-agenda/", views.meeting_build, name="meeting-build"),
    path("meetings/<int:pk>/reorder/", views.meeting_reorder, name="meeting-reorder"),
    path("meetings/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("meetings/<int:pk>/minutes.<str:fmt>", views.meeting_minutes, name="meeting-minutes"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/move/", views.item_move, name="item-move"),
    path("items/<int:pk>/defer/", views.item_defer, name="item-defer"),
    path("items/<int:pk>/actions/new/", views.item_action_create, name="item-action-create"),
    path("actions/", views.schedule, name="schedule"),
    path("actions/export.<str:fmt>", views.schedule_export, name="schedule-export"),
    path("actions/mine/", views.my_actions, name="my-actions"),
    path("actions/agency/", views.agency_actions, name="agency-actions"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("actions/<int:pk>/due-date/", views.action_due_date, name="action-due-date"),
    path("notifications/", views.notifications, name="notifications"),
    path("escalation-routes/", views.routes, name="routes"),
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("plans/new/", plan_views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/tactics/new/", plan_views.plan_tactic_add, name="plan-tactic-add"),
    path("tactics/", plan_views.tactic_list, name="tactic-list"),
    path("tactics/<int:pk>/", plan_views.tactic_edit, name="tactic-edit"),
    path("operations/", plan_views.operation_list, name="operation-list"),
    path("operations/new/", plan_views.operation_create, name="operation-create"),
    path("operations/<int:pk>/", plan_views.operation_detail, name="operation-detail"),
]
