"""Risk units (风险点) and their assessments (issue 9 item 4, 双重预防: 安委办〔2016〕11号).

A risk unit's `colour` is the result of its latest assessment, kept by the assessment service, so the enterprise and
region colours (item 5) read one column instead of the assessment history."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role
from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW
from anjian.core.validators import validate_no_control_characters
from anjian.enterprises.models import EnterpriseChild
from anjian.risk.choices import AssessmentMethod, ControlLevel, RiskColour, RiskUnitKind

# 双重预防 is the enterprise's own duty (安委办〔2016〕11号): it keeps its risk units, measures and assessments;
# regulators, grid workers and experts read them (issue 9 item 4). The city administrator keeps its defaults.
READERS: dict[str, frozenset[str]] = {
    Role.CITY_SUPERVISOR: frozenset({VIEW, EXPORT}),
    Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT}),
    Role.DEPARTMENT_SUPERVISOR: frozenset({VIEW, EXPORT}),
    Role.GRID_WORKER: frozenset({VIEW}),
    Role.EXPERT: frozenset({VIEW}),
}


class RiskUnit(EnterpriseChild):
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="risk_units")
    name = models.CharField(_("风险点名称"), max_length=100, validators=[validate_no_control_characters])
    kind = models.CharField(_("风险点类型"), max_length=16, choices=RiskUnitKind.choices)
    location = models.CharField(_("位置"), max_length=200, blank=True, validators=[validate_no_control_characters])
    hazard_factors = models.TextField(_("危险有害因素"), blank=True)
    # What the 风险告知卡 shows beside the factors (issue 9 item 4).
    accident_types = models.CharField(_("可能导致的事故类型"), max_length=200, blank=True,
                                      validators=[validate_no_control_characters],
                                      help_text=_("如 火灾、爆炸、中毒和窒息，用顿号分隔。"))
    control_level = models.CharField(_("管控层级"), max_length=16, choices=ControlLevel.choices, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True,
                                          validators=[validate_no_control_characters])
    emergency_measures = models.TextField(_("应急处置措施"), blank=True)
    emergency_phone = models.CharField(_("应急电话"), max_length=50, blank=True,
                                       validators=[validate_no_control_characters])
    warning_signs = models.CharField(_("警示标志"), max_length=200, blank=True,
                                     validators=[validate_no_control_characters],
                                     help_text=_("如 当心火灾、禁止烟火、必须戴防护手套。"))
    # The latest assessment's result (kept by the assessment service); blank until the unit is assessed.
    colour = models.CharField(_("风险等级"), max_length=8, choices=RiskColour.choices, blank=True, db_index=True)
    assessed_on = models.DateField(_("评估日期"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    actions: ClassVar[dict[str, Any]] = {"assess": _("风险评估")}
    policy: ClassVar[dict[str, frozenset[str]]] = {
        **READERS,
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE, DELETE, "assess"}),
    }

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = _("风险点")
        ordering = ["enterprise", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="risk_unit_name",
                                    violation_error_message=_("本单位已有同名的风险点。")),
        ]
        indexes = [models.Index(fields=["enterprise", "colour"], name="risk_unit_colour")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risk:riskunit_detail", args=[self.pk])


class RiskAssessment(EnterpriseChild):
    """One assessment of a risk unit by LEC or the risk matrix: the inputs, the result and the level, with the
    method, its version and the mapping or scheme in force (a setting), so a past result can be reproduced."""

    # The unit's enterprise, copied so the gate (EnterpriseChild's scope) reaches an assessment without a join.
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="risk_assessments")
    unit = models.ForeignKey(RiskUnit, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField(_("评价方法"), max_length=8, choices=AssessmentMethod.choices)
    method_version = models.CharField(_("方法版本"), max_length=16)
    scheme = models.CharField(_("分级方案"), max_length=64)
    inputs = models.JSONField(_("输入"), default=dict)
    score = models.DecimalField(_("风险值"), max_digits=12, decimal_places=2)
    colour = models.CharField(_("风险等级"), max_length=8, choices=RiskColour.choices)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    assessor_name = models.CharField(_("评估人姓名"), max_length=50, blank=True)
    assessed_on = models.DateField(_("评估日期"))

    # Written only by `risk_assess` (the unit's `assess` action); a result is never edited, a new one replaces it.
    policy: ClassVar[dict[str, frozenset[str]]] = {
        **READERS,
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT}),
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT}),
    }

    class Meta:
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.assessed_on}"

    def get_absolute_url(self) -> str:
        return reverse("risk:riskassessment_detail", args=[self.pk])
