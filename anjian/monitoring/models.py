"""The register of monitoring sensors of major hazard installations (issue 10 item 1).

A sensor belongs to one enterprise and, usually, to one of its hazard units (危险化学品单元); one not on a registered
unit says where it is installed instead. Its code is unique within the enterprise and is a level of the MQTT topic
``anjian/<uscc>/<code>`` (anjian.monitoring.payloads), so it holds no character MQTT gives a meaning to and is never
``batch``, the level a gateway's batches use. The four thresholds (低低报 < 低报 < 高报 < 高高报, any of them) and the
measuring range are checked together in services.sensor_save.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.core.scope import ADD, CHANGE
from anjian.core.validators import validate_no_control_characters
from anjian.enterprises.models import EnterpriseChild
from anjian.hazchem.models.ledgers import ledger_policy
from anjian.monitoring.choices import SensorKind, SensorStatus
from anjian.monitoring.payloads import BATCH_LEVEL

VALUE_DIGITS = 14
VALUE_PLACES = 4
MAX_INTERVAL_S = 86_400  # one report a day at the least

# An MQTT topic level: `/` separates levels, `+` and `#` are wildcards (MQTT 3.1.1 section 4.7); spaces and other
# characters are refused so a code reads the same in a topic, a URL and a spreadsheet.
validate_code_characters = RegexValidator(
    r"\A[A-Za-z0-9._-]+\Z",
    _("传感器编码只能包含字母、数字和“-”“_”“.”，不能含“/”“+”“#”或空格（它是MQTT主题的一级）。"),
)


def validate_not_batch(value: str) -> None:
    if value == BATCH_LEVEL:
        raise ValidationError(_("“batch”为网关批量上报保留，不能作为传感器编码。"), code="reserved")


def value_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True)


class Sensor(EnterpriseChild):
    """A sensor of an enterprise: what it measures, in which unit of measure, its range, alarm thresholds and how
    often it reports."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="sensors")
    hazard_unit = models.ForeignKey("hazchem.HazardUnit", verbose_name=_("危险化学品单元"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="sensors")
    installation = models.CharField(_("安装位置/装置"), max_length=100, blank=True,
                                    validators=[validate_no_control_characters])
    code = models.CharField(_("传感器编码"), max_length=50, validators=[validate_code_characters, validate_not_batch])
    name = models.CharField(_("名称"), max_length=100, validators=[validate_no_control_characters])
    kind = models.CharField(_("监测类型"), max_length=16, choices=SensorKind.choices)
    unit_of_measure = models.CharField(_("计量单位"), max_length=16, validators=[validate_no_control_characters],
                                       help_text=_("例如 m、℃、MPa、%LEL、ppm。"))
    range_min = value_field(_("量程下限"))
    range_max = value_field(_("量程上限"))
    low_low = value_field(_("低低报"))
    low = value_field(_("低报"))
    high = value_field(_("高报"))
    high_high = value_field(_("高高报"))
    interval_s = models.PositiveIntegerField(_("上报周期（秒）"), default=10,
                                             validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_S)])
    status = models.CharField(_("状态"), max_length=12, choices=SensorStatus.choices, default=SensorStatus.ACTIVE)
    note = models.CharField(_("备注"), max_length=200, blank=True, validators=[validate_no_control_characters])

    policy: ClassVar[dict[str, frozenset[str]]] = ledger_policy(ADD, CHANGE)
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("监测传感器")
        verbose_name_plural = _("监测传感器")
        ordering = ["enterprise", "code"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "code"], name="monitoring_sensor_code",
                                    violation_error_message=_("该单位已有此编码的传感器。")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:sensor_detail", args=[self.pk])
