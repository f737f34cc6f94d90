"""Enterprise and region colours (issue 9 item 5): derived rows, written only by anjian.risk.services_colours.

One EnterpriseColour per enterprise and one RegionColour per village and town, each with the method and version it
was computed with (anjian.risk.colour_method). Nobody edits them: the policies grant viewing and exporting only, and
the regulators' `recompute` action (the button on the enterprise page).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Role
from anjian.core.models import ScopedModel
from anjian.core.scope import EXPORT, VIEW, Scope
from anjian.risk.choices import RiskColour

RECOMPUTE = "recompute"
_READ = frozenset({VIEW, EXPORT})
_REGULATOR = frozenset({VIEW, EXPORT, RECOMPUTE})


class EnterpriseColour(ScopedModel):
    enterprise = models.OneToOneField("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                      related_name="risk_colour")
    inherent = models.CharField(_("固有风险等级"), max_length=8, choices=RiskColour.choices)
    dynamic = models.CharField(_("动态风险等级"), max_length=8, choices=RiskColour.choices, db_index=True)
    # [{code, text, from, to, stage}] in the order the method applied them (colour_method.Reason).
    reasons = models.JSONField(_("判定依据"), default=list)
    # The inputs it was graded from (colour_method.inputs_text: worst unit, units assessed, level, flags, facts).
    inputs = models.CharField(_("输入"), max_length=200)
    method = models.CharField(_("方法"), max_length=64)
    method_version = models.CharField(_("方法版本"), max_length=16)
    # When this result was computed (the last time anything in it changed: an unchanged recompute writes nothing).
    computed_at = models.DateTimeField(_("计算时间"))
    # When the dynamic colour last changed.
    changed_at = models.DateTimeField(_("颜色变化时间"))

    scope: ClassVar[Scope] = Scope(
        region_code="enterprise__region__code", enterprise="enterprise_id", domain="enterprise__domain"
    )
    actions: ClassVar[dict[str, Any]] = {RECOMPUTE: _("重新计算风险等级")}
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: _REGULATOR,
        Role.CITY_SUPERVISOR: _REGULATOR,
        Role.TOWN_SUPERVISOR: _REGULATOR,
        Role.DEPARTMENT_SUPERVISOR: _REGULATOR,
        Role.GRID_WORKER: frozenset({VIEW}),
        Role.ENTERPRISE_USER: _READ,
        Role.EXPERT: frozenset({VIEW}),
    }

    class Meta:
        verbose_name = _("企业风险等级")
        verbose_name_plural = _("企业风险等级")
        ordering = ["enterprise__name", "id"]

    def __str__(self) -> str:
        return str(self.enterprise)

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise_id])


class RegionColour(ScopedModel):
    """A village's or town's colour and the counts of its enterprises' dynamic colours (those in operation)."""

    region = models.OneToOneField("regions.Region", verbose_name=_("区域"), on_delete=models.CASCADE,
                                  related_name="risk_colour")
    # The region's code and level, copied (regions never change code) so the gate and the ranking need no join.
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    level = models.CharField(_("层级"), max_length=8, db_index=True)
    colour = models.CharField(_("风险等级"), max_length=8, choices=RiskColour.choices, blank=True)
    red = models.PositiveIntegerField(_("红"), default=0)
    orange = models.PositiveIntegerField(_("橙"), default=0)
    yellow = models.PositiveIntegerField(_("黄"), default=0)
    blue = models.PositiveIntegerField(_("蓝"), default=0)
    reason = models.CharField(_("判定依据"), max_length=200, blank=True)
    method = models.CharField(_("方法"), max_length=64)
    method_version = models.CharField(_("方法版本"), max_length=16)
    computed_at = models.DateTimeField(_("计算时间"))

    # No domain: the counts mix every domain's enterprises, so a department (its domains only) does not read them,
    # nor do enterprise users and experts (no region is theirs); they read enterprise colours in their reach.
    scope: ClassVar[Scope] = Scope(region_code="code")
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.CITY_ADMIN: _READ,
        Role.CITY_SUPERVISOR: _READ,
        Role.TOWN_SUPERVISOR: _READ,
        Role.GRID_WORKER: frozenset({VIEW}),
        Role.DEPARTMENT_SUPERVISOR: frozenset(),
        Role.ENTERPRISE_USER: frozenset(),
        Role.EXPERT: frozenset(),
    }

    class Meta:
        verbose_name = _("区域风险等级")
        verbose_name_plural = _("区域风险等级")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "colour", "code"], name="risk_region_colour")]

    def __str__(self) -> str:
        return self.region.name

    @property
    def total(self) -> int:
        return self.red + self.orange + self.yellow + self.blue

    def get_absolute_url(self) -> str:
        return reverse("risk:colour_ranking") + f"?region={self.code}"
