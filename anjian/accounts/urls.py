# No app_name: Django's auth settings (LOGIN_URL = "login", LOGOUT_REDIRECT_URL = "login") use bare names.
from django.urls import path

from anjian.accounts import views
from anjian.accounts.departments import DepartmentListView

urlpatterns = [
    path("login/", views.AnjianLoginView.as_view(), name="login"),
    path("logout/", views.AnjianLogoutView.as_view(), name="logout"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("password/", views.AnjianPasswordChangeView.as_view(), name="password_change"),
    path("departments/", DepartmentListView.as_view(), name="department_list"),
]
