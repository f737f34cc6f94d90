from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from anjian.accounts import services
from anjian.accounts.forms import ChangePasswordForm, LoginForm, TokenNameForm
from anjian.accounts.models import ApiToken
from anjian.core.errors import SERVICE_ERRORS, answer_for


class AnjianLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class AnjianLogoutView(auth_views.LogoutView):
    """POST only (Django 5): a link cannot log anyone out behind their back."""


class ProfileView(TemplateView):
    """One's own account, and one's own API tokens (issue 7 item 8): issue, rotate, revoke."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = list(self.request.user.api_tokens.all()[:50])
        context["token_form"] = TokenNameForm()
        context["days"] = settings.ANJIAN_API_TOKEN_DAYS
        return context


class AnjianPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        # The form saves the new password (User.save revokes the API tokens); the service spends a one-time password
        # and writes the audit event.
        response = super().form_valid(form)
        # request.user is a lazy wrapper; the audit event needs the account itself.
        user = ApiToken._meta.get_field("user").related_model.objects.get(pk=form.user.pk)
        services.user_password_changed(actor=user, user=user)
        messages.success(self.request, _("密码已修改。"))
        return response


def token_page(request, token: ApiToken, *, rotated: bool):
    """The one time a new token's key is shown: in this answer, which no cache keeps."""
    response = render(request, "accounts/token_issued.html", {"token": token, "rotated": rotated})
    response["Cache-Control"] = "no-store"
    return response


class OwnTokenView(View):
    """POST profile/tokens/ issues a token; profile/tokens/<id>/rotate/ and .../revoke/ act on one's own."""

    http_method_names = ["post"]

    def post(self, request, pk=None, action=None):
        user = request.user
        if pk is None:
            form = TokenNameForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
                return HttpResponseRedirect(reverse("profile"))
            token = services.token_issue(actor=user, user=user, name=form.cleaned_data["name"])
            return token_page(request, token, rotated=False)
        token = ApiToken.objects.filter(user=user, pk=pk).first()
        if token is None or action not in {"rotate", "revoke"}:
            raise Http404(_("记录不存在。"))
        try:
            if action == "rotate":
                return token_page(request, services.token_rotate(actor=user, user=user, token=token), rotated=True)
            services.token_revoke(actor=user, user=user, token=token)
        except SERVICE_ERRORS as error:
            messages.error(request, answer_for(error).fields.get("non_field_errors", [answer_for(error).message])[0])
            return HttpResponseRedirect(reverse("profile"))
        messages.success(request, _("已吊销令牌 %(token)s。") % {"token": token.hint})
        return HttpResponseRedirect(reverse("profile"))
