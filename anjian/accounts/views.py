from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from anjian.accounts.forms import ChangePasswordForm, LoginForm


class AnjianLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class AnjianLogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log anyone out behind their back."""


class ProfileView(TemplateView):
    template_name = "accounts/profile.html"


class AnjianPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response
