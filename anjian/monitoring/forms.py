"""The sensor form (issue 10 item 1): shape only; services.sensor_save decides the thresholds, the range and the
unit, and its refusals land on the form's fields."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anjian.hazchem.forms_ledgers import LedgerChildForm
from anjian.hazchem.models import HazardUnit
from anjian.monitoring.models import Sensor


class SensorForm(LedgerChildForm):
    class Meta:
        model = Sensor
        fields = ["enterprise", "hazard_unit", "installation", "code", "name", "kind", "unit_of_measure",
                  "range_min", "range_max", "low_low", "low", "high", "high_high", "interval_s", "status", "note"]
        help_texts = {
            "hazard_unit": _("传感器所在的危险化学品单元；不在已登记单元上的，请填写安装位置/装置。"),
            "code": _("在本单位内唯一，也是MQTT主题的最后一级：anjian/<统一社会信用代码>/<传感器编码>。"),
            "low_low": _("各报警值可只填一部分，已填的须满足 低低报 < 低报 < 高报 < 高高报，且在量程之内。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = HazardUnit.objects.restrict(self.user).order_by("name", "id")
        # The chosen enterprise's units: the fixed one (?enterprise= or the sensor's own), else the one submitted.
        # Before any is chosen, the units within reach; services.sensor_save refuses a unit of another enterprise.
        enterprise_id = self.fields["enterprise"].initial or (self.data.get("enterprise") if self.is_bound else None)
        if enterprise_id and str(enterprise_id).isdigit():
            units = units.filter(enterprise_id=int(enterprise_id))
        self.fields["hazard_unit"].queryset = units
