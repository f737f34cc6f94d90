from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with Chinese messages (django-axes counts the failures and locks out)."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账号已停用，请联系市级管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")
