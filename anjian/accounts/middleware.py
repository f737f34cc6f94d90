"""After an administrator's password reset the user signs in with a one-time password and must choose a new one
before anything else (issue 7 item 3): every page leads to the password-change page, the API answers 403."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user who must change the password may still reach: the change page itself, signing out, static assets
# and the language switch.
ALLOWED_NAMES = ("password_change", "logout")
ALLOWED_PREFIXES = ("/static/", "/i18n/", "/media/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(ALLOWED_PREFIXES):
                message = _("管理员已重置您的密码，请先设置新密码。")
                if request.path.startswith("/api/"):
                    body = {"code": "password_change_required", "message": message, "fields": {}}
                    return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
                if request.method == "GET":
                    messages.warning(request, message)
                return HttpResponseRedirect(reverse("password_change"))
        return self.get_response(request)
