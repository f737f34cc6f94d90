# No app_name: Django's auth settings (LOGIN_URL = "login", LOGOUT_REDIRECT_URL = "login") use bare names.
from django.urls import path

from anjian.accounts import users, views
from anjian.accounts.departments import DepartmentListView

urlpatterns = [
    path("login/", views.AnjianLoginView.as_view(), name="login"),
    path("logout/", views.AnjianLogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/tokens/", views.OwnTokenView.as_view(), name="own_token_add"),
    path("profile/tokens/<int:pk>/<slug:action>/", views.OwnTokenView.as_view(), name="own_token_action"),
    path("password/", views.AnjianPasswordChangeView.as_view(), name="password_change"),
    path("departments/", DepartmentListView.as_view(), name="department_list"),
    path("users/", users.UserListView.as_view(), name="user_list"),
    path("users/add/", users.UserEditView.as_view(), name="user_add"),
    path("users/<int:pk>/", users.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", users.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/tokens/<int:token_pk>/revoke/", users.UserTokenRevokeView.as_view(),
         name="user_token_revoke"),
    path("users/<int:pk>/<slug:action>/", users.UserActionView.as_view(), name="user_action"),
]
