from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from anjian.core.tables import BaseTable
from anjian.monitoring.choices import SENSOR_STATUS_COLOURS
from anjian.monitoring.models import Sensor


class ValueColumn(tables.Column):
    """A threshold as typed: 90, not 90.0000 (the field keeps four places)."""

    def __init__(self, **kwargs):
        super().__init__(attrs={"td": {"class": "text-end"}}, **kwargs)

    def render(self, value):
        return f"{value.normalize():f}"


class SensorTable(BaseTable):
    code = tables.Column(linkify=True)
    low_low = ValueColumn()
    low = ValueColumn()
    high = ValueColumn()
    high_high = ValueColumn()
    enterprise = tables.Column()
    hazard_unit = tables.Column()
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Sensor
        fields = ("code", "name", "enterprise", "hazard_unit", "kind", "unit_of_measure", "low_low", "low", "high",
                  "high_high", "interval_s", "status")

    def render_status(self, record, value):
        return format_html('<span class="badge text-bg-{}">{}</span>',
                           SENSOR_STATUS_COLOURS.get(record.status, "secondary"), value)

    def value_status(self, record):
        return record.get_status_display()
