"""Users: one role each, and the jurisdiction that role reaches (a region subtree, an enterprise, assignments)."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import (
    CITY_ROLES,
    REGION_LEVEL_LABELS,
    ROLE_ACTIONS,
    ROLE_REGION_LEVEL,
    STAFF_ROLES,
    Role,
)
from anjian.core.scope import EVERYTHING, NOBODY, Jurisdiction, RestrictedQuerySet, Scope


class ScopedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("管辖区域"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("所属企业"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    assigned_enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("指派企业"), blank=True, related_name="assigned_experts",
        help_text=_("专家可查看的企业。"),
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = ScopedUserManager()
    scope: ClassVar[Scope] = Scope(region_code="region__code", enterprise="enterprise_id")
    # Accounts are managed by the city administrator only; supervisors may look colleagues up.
    role_actions: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_SUPERVISOR: frozenset({"view"}),
        Role.TOWN_SUPERVISOR: frozenset({"view"}),
        Role.GRID_WORKER: frozenset(),
        Role.ENTERPRISE_USER: frozenset(),
        Role.EXPERT: frozenset(),
    }

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        full = f"{self.last_name}{self.first_name}".strip()
        return f"{full}（{self.username}）" if full else self.username

    def clean(self) -> None:
        super().clean()
        if self.role in STAFF_ROLES:
            if self.region_id is None:
                raise ValidationError({"region": _("监管人员必须指定管辖区域。")})
            expected = ROLE_REGION_LEVEL[self.role]
            if self.region.level != expected:
                raise ValidationError(
                    {"region": _("该角色的管辖区域必须是%(level)s级。") % {"level": REGION_LEVEL_LABELS[expected]}}
                )
        if self.role == Role.ENTERPRISE_USER and self.enterprise_id is None:
            raise ValidationError({"enterprise": _("企业用户必须指定所属企业。")})

    @property
    def jurisdiction_label(self) -> str:
        if self.role == Role.ENTERPRISE_USER and self.enterprise_id:
            return str(self.enterprise.name)
        if self.region_id:
            return str(self.region.name)
        return ""

    def allowed_actions(self, model: type[models.Model]) -> frozenset[str]:
        if self.is_superuser:
            return ROLE_ACTIONS[Role.CITY_ADMIN]
        overrides: dict[str, frozenset[str]] = getattr(model, "role_actions", {})
        if self.role in overrides:
            return overrides[self.role]
        return ROLE_ACTIONS.get(self.role, frozenset())

    def jurisdiction(self, action: str, model: type[models.Model]) -> Jurisdiction:
        """The rows of `model` this user may `action` (read by RestrictedQuerySet.restrict)."""
        if action not in self.allowed_actions(model):
            return NOBODY
        if self.is_superuser or self.role in CITY_ROLES:
            return EVERYTHING
        if self.role in STAFF_ROLES:
            return Jurisdiction(region_prefixes=(self.region.prefix,)) if self.region_id else NOBODY
        if self.role == Role.ENTERPRISE_USER:
            return Jurisdiction(enterprise_ids=(self.enterprise_id,)) if self.enterprise_id else NOBODY
        if self.role == Role.EXPERT:
            ids = tuple(self.assigned_enterprises.values_list("pk", flat=True))
            return Jurisdiction(enterprise_ids=ids) if ids else NOBODY
        return NOBODY
