"""Control measures of a risk unit and the periodic checks they yield (issue 9 item 4).

A measure with a check cycle is a check item: each period (day, week, month, quarter, year) it is checked once, and a
measure found not in place (未落实) is reported as a hazard found by the enterprise's self-inspection in the hazards
app (anjian.risk.services.measure_check), so risk control feeds hazard checks."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role
from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW
from anjian.core.validators import validate_no_control_characters
from anjian.enterprises.models import EnterpriseChild
from anjian.risk.choices import CheckCycle, CheckResult, ControlLevel, MeasureKind
from anjian.risk.models.units import READERS, RiskUnit


class ControlMeasure(EnterpriseChild):
    # The unit's enterprise, copied so the gate reaches a measure without a join (as RiskAssessment).
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="risk_measures")
    unit = models.ForeignKey(RiskUnit, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("措施类别"), max_length=16, choices=MeasureKind.choices)
    description = models.TextField(_("管控措施"), validators=[validate_no_control_characters])
    level = models.CharField(_("管控层级"), max_length=16, choices=ControlLevel.choices)
    responsible = models.CharField(_("责任人"), max_length=50, blank=True, validators=[validate_no_control_characters])
    # Blank: no periodic check.
    check_cycle = models.CharField(_("检查周期"), max_length=16, choices=CheckCycle.choices, blank=True)
    check_content = models.CharField(_("检查内容"), max_length=300, blank=True,
                                     validators=[validate_no_control_characters],
                                     help_text=_("空白时按管控措施本身检查。"))

    history = HistoricalRecords(excluded_fields=["created", "updated"])

    policy: ClassVar[dict[str, frozenset[str]]] = {
        **READERS,
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE, DELETE}),
    }

    class Meta:
        verbose_name = _("管控措施")
        verbose_name_plural = _("管控措施")
        ordering = ["unit", "kind", "id"]
        indexes = [models.Index(fields=["enterprise", "check_cycle"], name="risk_measure_cycle")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("risk:riskunit_detail", args=[self.unit_id])

    @property
    def check_text(self) -> str:
        return self.check_content or self.description


class MeasureCheck(EnterpriseChild):
    """One period's check of a control measure: in place (落实) or not (未落实, with the hazard it reported)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="risk_measure_checks")
    measure = models.ForeignKey(ControlMeasure, verbose_name=_("管控措施"), on_delete=models.CASCADE,
                                related_name="checks")
    # The first day of the measure's cycle this check covers (a day, a week's Monday, a month's, quarter's, year's 1st).
    period_start = models.DateField(_("所属周期"))
    checked_at = models.DateTimeField(_("检查时间"))
    checked_by = models.ForeignKey("accounts.User", verbose_name=_("检查人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    result = models.CharField(_("检查结果"), max_length=8, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True, validators=[validate_no_control_characters])
    hazard = models.OneToOneField("hazards.Hazard", verbose_name=_("隐患"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="risk_check")

    # Written only by `measure_check`; a check is a record of what was found, never edited.
    policy: ClassVar[dict[str, Any]] = {
        **READERS,
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT}),
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD}),
    }

    class Meta:
        verbose_name = _("管控措施检查")
        verbose_name_plural = _("管控措施检查")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_start"], name="risk_one_check_per_period",
                                    violation_error_message=_("本周期已检查过该管控措施。")),
            models.CheckConstraint(condition=Q(result="pass") | ~Q(note=""), name="risk_failed_check_has_note",
                                   violation_error_message=_("未落实时请说明存在的问题。")),
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.period_start}"
