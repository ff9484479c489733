from django.urls import path

from lantern.accounts import manage_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/set-up-authenticator/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
    path("manage/agencies/", manage_views.agency_list, name="agency-list"),
    path("manage/agencies/new/", manage_views.agency_create, name="agency-create"),
    path("manage/agencies/<int:pk>/", manage_views.agency_detail, name="agency-detail"),
    path("manage/agencies/<int:pk>/archive/", manage_views.agency_archive, name="agency-archive"),
    path("manage/agencies/<int:pk>/teams/new/", manage_views.team_create, name="team-create"),
    path("manage/teams/<int:pk>/", manage_views.team_detail, name="team-detail"),
    path("manage/users/", manage_views.user_list, name="user-list"),
    path("manage/users/new/", manage_views.user_create, name="user-create"),
    path("manage/users/<int:pk>/", manage_views.user_detail, name="user-detail"),
    path("manage/role-grants/", manage_views.role_grant_list, name="role-grant-list"),
    path("manage/role-grants/<int:pk>/", manage_views.role_grant_decide, name="role-grant-decide"),
    path("manage/users/<int:pk>/invite/", manage_views.user_invite, name="user-invite"),
    path(
        "manage/users/<int:pk>/reset-second-factor/",
        manage_views.user_reset_second_factor,
        name="user-reset-2fa",
    ),
]
