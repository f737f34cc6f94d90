"""User management in the web UI (issue 7 item 3): the list, detail, create and edit pages, and the decisions on an
account (deactivate, reactivate, reset the password, unlock, revoke an API token).

Every page reads accounts through `services.managed_users(user, action)`: the gate (`restrict()`), narrowed to the
roles the user's role manages. An account outside it answers 404 like a missing one; a person who manages nobody
gets 403 on the list. One-time passwords are shown once, in the answer to the POST that made them, never stored.
"""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.db.models.functions import Concat
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.accounts import services
from anjian.accounts.forms import ReasonForm, UserForm
from anjian.accounts.models import MANAGE_ACTIONS, ApiToken, User
from anjian.accounts.roles import Role
from anjian.core.errors import SERVICE_ERRORS, answer_for
from anjian.core.filtersets import BaseFilterSet
from anjian.core.scope import CHANGE, VIEW, code_range
from anjian.core.tables import BaseTable
from anjian.core.views import ObjectDetailView, ObjectEditView, ObjectListView, refuse_on_form

# The decisions on an account reached as <pk>/<action>/, whether each needs a reason, and its service.
ACTIONS: dict[str, dict[str, Any]] = {
    "deactivate": {"reason": True, "service": services.user_deactivate, "done": gettext_lazy("已停用用户“%(user)s”。")},
    "reactivate": {"reason": True, "service": services.user_reactivate, "done": gettext_lazy("已启用用户“%(user)s”。")},
    "reset_password": {"reason": True, "service": services.user_reset_password, "done": None},
    "unlock": {"reason": True, "service": services.user_unlock,
               "done": gettext_lazy("已解除用户“%(user)s”的登录锁定。")},
}


def region_choices(user: Any) -> list[tuple[str, str]]:
    """The city and towns the user reaches, for the region filter (their accounts and those of their villages)."""
    model = User._meta.get_field("region").related_model
    rows = model.objects.restrict(user, VIEW).filter(level__in=("city", "town")).order_by("code")
    return [("", "---------"), *((row.code, row.name) for row in rows)]


class UserFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=gettext_lazy("角色"))
    region = django_filters.ChoiceFilter(method="filter_region", label=gettext_lazy("区域"), choices=())
    is_active = django_filters.BooleanFilter(label=gettext_lazy("启用"))
    search_fields = ("username", "last_name", "first_name")

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["choices"] = region_choices(request.user) if request is not None else []

    def search(self, queryset, name, value):
        # A Chinese full name is family name + given name with no space: match it as one word too.
        value = value.strip()
        if not value:
            return queryset
        return queryset.annotate(full_name=Concat("last_name", "first_name")).filter(
            Q(username__icontains=value) | Q(full_name__icontains=value) | Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        model = User._meta.get_field("region").related_model
        region = model.objects.filter(code=value).first()
        if region is None:
            return queryset.none()
        return queryset.filter(place_code__range=code_range(region.prefix))


class UserTable(BaseTable):
    name = tables.Column(verbose_name=gettext_lazy("姓名"), empty_values=(), order_by=("last_name", "first_name"))
    username = tables.Column(verbose_name=gettext_lazy("用户名"), linkify=lambda record: reverse("user_detail",
                                                                                              args=[record.pk]))
    role = tables.Column(verbose_name=gettext_lazy("角色"))
    jurisdiction = tables.Column(verbose_name=gettext_lazy("管辖范围"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name=gettext_lazy("启用"))
    last_login = tables.DateTimeColumn(verbose_name=gettext_lazy("上次登录"), format="Y-m-d H:i", default="—")
    locked = tables.Column(verbose_name=gettext_lazy("登录锁定"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = User
        fields = ("name", "username", "role", "jurisdiction", "is_active", "last_login", "locked")
        order_by = ("username",)

    def __init__(self, *args, locked: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_names = locked

    def render_name(self, record):
        return record.get_full_name() or "—"

    def value_name(self, record):
        return record.get_full_name()

    def render_jurisdiction(self, record):
        return self.value_jurisdiction(record) or "—"

    def value_jurisdiction(self, record):
        if record.role == Role.EXPERT:
            # From the prefetched assignments (the label would ask the database once per expert).
            return _("指派企业 %(count)d 家") % {"count": len(record.assigned_enterprises.all())}
        return record.jurisdiction_label

    def render_locked(self, record):
        if record.username in self.locked_names:
            return format_html('<span class="badge text-bg-danger">{}</span>', _("已锁定"))
        return "—"

    def value_locked(self, record):
        return _("已锁定") if record.username in self.locked_names else ""


class ManagedUsersMixin:
    model = User
    url_base = "user"

    def get_queryset(self, action: str) -> QuerySet:
        return services.managed_users(self.request.user, action).select_related(
            "region", "enterprise", "enterprise__region", "department"
        )


class UserListView(ManagedUsersMixin, ObjectListView):
    filterset_class = UserFilterSet
    table_class = UserTable
    default_order = ("username",)

    def get_queryset(self, action: str) -> QuerySet:
        if not services.manages_anyone(self.request.user):
            raise PermissionDenied(_("您无权管理用户。"))
        return super().get_queryset(action).prefetch_related("assigned_enterprises")

    def get_table(self, queryset: QuerySet) -> BaseTable:
        return self.table_class(queryset, user=self.request.user, locked=services.locked_out())


class UserDetailView(ManagedUsersMixin, ObjectDetailView):
    template_name = "accounts/user_detail.html"
    detail_fields = ("username", "last_name", "first_name", "role", "phone", "email", "is_active",
                     "must_change_password", "last_login", "date_joined")

    def allowed(self, action: str, obj) -> bool:
        if action != CHANGE:
            return False  # accounts are never deleted here: they are deactivated
        return self.get_queryset(CHANGE).filter(pk=obj.pk).exists()

    def get_extra_context(self, obj) -> dict[str, Any]:
        may = {action: self.get_queryset(action).filter(pk=obj.pk).exists() for action in MANAGE_ACTIONS}
        locked = services.is_locked_out(obj)
        buttons = []
        if obj.is_active and may["deactivate"]:
            buttons.append(("deactivate", _("停用"), "btn-outline-danger"))
        if not obj.is_active and may["reactivate"]:
            buttons.append(("reactivate", _("启用"), "btn-outline-success"))
        if may["reset_password"]:
            buttons.append(("reset_password", _("重置密码"), "btn-outline-warning"))
        if locked and may["unlock"]:
            buttons.append(("unlock", _("解除登录锁定"), "btn-outline-primary"))
        return {
            "jurisdiction_label": obj.jurisdiction_label,
            "locked": locked,
            "user_buttons": [
                {"url": reverse("user_action", args=[obj.pk, action]), "label": label, "style": style,
                 "action": action}
                for action, label, style in buttons
            ],
            "tokens": list(obj.api_tokens.all()),
            "may_revoke_tokens": may["revoke_token"],
        }


class UserEditView(ManagedUsersMixin, ObjectEditView):
    form_class = UserForm
    service = services.user_update
    service_arg = "user"
    template_name = "generic/object_edit.html"

    def get_instance(self, pk: Any | None):
        if pk is None and not services.manages_anyone(self.request.user):
            raise PermissionDenied(_("您无权创建用户。"))
        return super().get_instance(pk)

    def success_url(self, obj) -> str:
        return reverse("user_detail", args=[obj.pk])

    def post(self, request, pk=None):
        if pk is not None:
            return super().post(request, pk)
        instance = self.get_instance(None)
        form = self.get_form(instance, data=request.POST)
        if not form.is_valid():
            return self.render_form(form, instance)
        user = form.save(commit=False)
        try:
            user, password = services.user_create_with_one_time_password(actor=request.user, user=user)
        except SERVICE_ERRORS as error:
            return self.render_form(form, instance, status=refuse_on_form(form, error))
        return one_time_password_page(request, user, password, created=True)


def one_time_password_page(request, user: User, password: str, *, created: bool):
    """The one time the password is shown: in this answer, which no cache keeps."""
    response = render(request, "accounts/one_time_password.html", {
        "object": user, "password": password, "created": created,
        "detail_url": reverse("user_detail", args=[user.pk]), "list_url": reverse("user_list"),
    })
    response["Cache-Control"] = "no-store"
    return response


class UserActionView(ManagedUsersMixin, View):
    """One decision on an account: a form with its reason, then the service. 404 for an account the user may not
    take this decision on (out of reach, a role it does not manage, its own account)."""

    template_name = "accounts/user_action.html"

    def setup_action(self, pk: Any, action: str) -> tuple[User, dict[str, Any]]:
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404(_("没有这个操作。"))
        try:
            user = self.get_queryset(action).get(pk=pk)
        except (User.DoesNotExist, ValueError) as error:
            raise Http404(_("记录不存在或不在您的管辖范围内。")) from error
        return user, spec

    def render_action(self, user, action, form, status: int = 200):
        return render(self.request, self.template_name, {
            "object": user, "action": action, "action_label": User.actions[action], "form": form,
            "list_url": reverse("user_list"), "cancel_url": reverse("user_detail", args=[user.pk]),
            "verbose_name_plural": User._meta.verbose_name_plural,
        }, status=status)

    def get(self, request, pk, action):
        user, spec = self.setup_action(pk, action)
        return self.render_action(user, action, ReasonForm(required=spec["reason"]))

    def post(self, request, pk, action):
        user, spec = self.setup_action(pk, action)
        form = ReasonForm(request.POST, required=spec["reason"])
        if not form.is_valid():
            return self.render_action(user, action, form, status=400)
        try:
            result = spec["service"](actor=request.user, user=user, reason=form.cleaned_data["reason"])
        except SERVICE_ERRORS as error:
            answer = answer_for(error)
            status = refuse_on_form(form, error)
            return self.render_action(user, action, form, status=status if status != 200 else answer.status)
        if action == "reset_password":
            return one_time_password_page(request, user, result, created=False)
        messages.success(request, spec["done"] % {"user": user})
        return HttpResponseRedirect(reverse("user_detail", args=[user.pk]))


class UserTokenRevokeView(ManagedUsersMixin, View):
    """An administrator revokes one API token of an account it manages."""

    template_name = "accounts/user_action.html"

    def objects(self, pk, token_pk) -> tuple[User, ApiToken]:
        try:
            user = self.get_queryset("revoke_token").get(pk=pk)
            token = user.api_tokens.get(pk=token_pk)
        except (User.DoesNotExist, ApiToken.DoesNotExist, ValueError) as error:
            raise Http404(_("记录不存在或不在您的管辖范围内。")) from error
        return user, token

    def render_form(self, user, token, form, status: int = 200):
        return render(self.request, self.template_name, {
            "object": user, "action": "revoke_token", "token": token,
            "action_label": User.actions["revoke_token"], "form": form,
            "list_url": reverse("user_list"), "cancel_url": reverse("user_detail", args=[user.pk]),
            "verbose_name_plural": User._meta.verbose_name_plural,
        }, status=status)

    def get(self, request, pk, token_pk):
        user, token = self.objects(pk, token_pk)
        return self.render_form(user, token, ReasonForm())

    def post(self, request, pk, token_pk):
        user, token = self.objects(pk, token_pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_form(user, token, form, status=400)
        try:
            services.token_revoke(actor=request.user, user=user, token=token, reason=form.cleaned_data["reason"])
        except SERVICE_ERRORS as error:
            return self.render_form(user, token, form, status=refuse_on_form(form, error) or 400)
        messages.success(request, _("已吊销令牌 %(token)s。") % {"token": token.hint})
        return HttpResponseRedirect(reverse("user_detail", args=[user.pk]))


__all__ = ["UserActionView", "UserDetailView", "UserEditView", "UserListView", "UserTokenRevokeView"]
