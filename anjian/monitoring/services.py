"""Writes of the sensor register (issue 10 item 1).

`sensor_save` checks what one field cannot: the thresholds that are given are strictly ordered 低低报 < 低报 < 高报 <
高高报, the range's lower end is below its upper end and every given threshold lies within a given range, and the
hazard unit is the enterprise's own. Then scoped_save (gate, validation, history, the `sensor.create` /
`sensor.update` audit event). A change of status (e.g. to 维护, when its readings should not raise alarms) also
records the status before and after in the audit event's data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from anjian.core.services import scoped_save
from anjian.core.validation import loaded_values
from anjian.monitoring.models import Sensor

THRESHOLDS = ("low_low", "low", "high", "high_high")


def _label(field: str) -> str:
    return str(Sensor._meta.get_field(field).verbose_name)


def _shown(value: Decimal) -> str:
    return f"{value.normalize():f}"


def sensor_refusals(sensor: Sensor) -> dict[str, list[str]]:
    """field → messages for the thresholds, the range and the hazard unit; empty when all is well."""
    errors: dict[str, list[str]] = {}
    given = [(field, getattr(sensor, field)) for field in THRESHOLDS if getattr(sensor, field) is not None]
    for (lower_field, lower), (upper_field, upper) in zip(given, given[1:], strict=False):
        if not isinstance(lower, Decimal) or not isinstance(upper, Decimal):
            continue  # not a number: the field's own check names it
        if lower >= upper:
            errors.setdefault(lower_field, []).append(
                _("%(lower)s（%(lower_value)s）须低于%(upper)s（%(upper_value)s）。")
                % {"lower": _label(lower_field), "lower_value": _shown(lower), "upper": _label(upper_field),
                   "upper_value": _shown(upper)})
    low_end, high_end = sensor.range_min, sensor.range_max
    if isinstance(low_end, Decimal) and isinstance(high_end, Decimal) and low_end >= high_end:
        errors.setdefault("range_min", []).append(
            _("量程下限（%(low)s）须低于量程上限（%(high)s）。") % {"low": _shown(low_end), "high": _shown(high_end)})
    for field, value in given:
        if not isinstance(value, Decimal):
            continue
        if isinstance(low_end, Decimal) and value < low_end:
            errors.setdefault(field, []).append(
                _("%(label)s（%(value)s）低于量程下限（%(low)s）。")
                % {"label": _label(field), "value": _shown(value), "low": _shown(low_end)})
        if isinstance(high_end, Decimal) and value > high_end:
            errors.setdefault(field, []).append(
                _("%(label)s（%(value)s）高于量程上限（%(high)s）。")
                % {"label": _label(field), "value": _shown(value), "high": _shown(high_end)})
    if (sensor.hazard_unit_id is not None and sensor.enterprise_id is not None
            and sensor.hazard_unit.enterprise_id != sensor.enterprise_id):
        errors.setdefault("hazard_unit", []).append(_("所选单元不属于该单位。"))
    return errors


def sensor_save(*, actor: Any, sensor: Sensor, reason: str = "") -> Sensor:
    """Register or correct a sensor; refused, changing nothing, when its thresholds, range or unit do not fit."""
    sensor.code = (sensor.code or "").strip()
    errors = sensor_refusals(sensor)
    if errors:
        raise ValidationError(errors)
    data: dict[str, Any] = {}
    stored = None if sensor._state.adding else loaded_values(sensor)
    if stored is not None and "status" in stored and stored["status"] != sensor.status:
        data["status"] = {"before": stored["status"], "after": sensor.status}
    return scoped_save(actor=actor, obj=sensor, reason=reason, data=data)
