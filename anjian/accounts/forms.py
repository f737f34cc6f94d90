from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UsernameField
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User, domain_labels
from anjian.accounts.roles import Role
from anjian.core.forms import ServiceModelForm
from anjian.core.scope import VIEW
from anjian.core.views import FastSelect


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


# ---- user management (issue 7 item 3) ------------------------------------------------------------------------------


class UserForm(ServiceModelForm):
    """An account as its manager edits it: names, contact, role and jurisdiction. The role offers only the roles the
    manager manages; regions and enterprises only those it reaches (the service re-checks both after saving).
    Enterprises are typed by their USCC (the city has 200,000)."""

    domains = forms.MultipleChoiceField(label=_("监管的行业领域"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "phone", "email", "role", "region", "enterprise",
                  "department", "domains"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.accounts.services import roles_managed_by

        self.manager = user
        roles = roles_managed_by(user)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.fields["role"].required = True
        region = self.fields["region"]
        region.queryset = region.queryset.model.objects.restrict(user, VIEW).order_by("code")
        region.label_from_instance = lambda row: f"{row.code} {row.name}"
        # The city administrator chooses among some 650 regions: options joined in Python, not a template each.
        region.widget = FastSelect()
        region.widget.choices = region.choices
        enterprise = self.fields["enterprise"]
        enterprise.queryset = enterprise.queryset.model.objects.restrict(user, VIEW)
        enterprise.to_field_name = "uscc"
        enterprise.widget = forms.TextInput(attrs={"placeholder": _("统一社会信用代码")})
        enterprise.help_text = _("企业用户填写所属企业的统一社会信用代码。")
        if self.instance.enterprise_id and not self.is_bound:
            self.initial["enterprise"] = self.instance.enterprise.uscc
        self.fields["domains"].choices = list(domain_labels().items())
        self.fields["domains"].initial = self.instance.domains
        if Role.DEPARTMENT_SUPERVISOR not in roles:
            del self.fields["department"], self.fields["domains"]

    def clean_domains(self):
        return list(self.cleaned_data.get("domains") or [])


class ReasonForm(forms.Form):
    """A decision on an account (deactivate, reactivate, reset the password, unlock, revoke a token) and its reason."""

    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = _("说明（可选）")


class TokenNameForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=64, initial="api",
                           help_text=_("用途，例如对接的系统名称。"))
