"""Filters of the sensor register (issue 10 item 1): one FilterSet for the UI list, the API and the export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.monitoring.choices import SensorKind, SensorStatus
from anjian.monitoring.models import Sensor


class SensorFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    hazard_unit = IdFilter(field_name="hazard_unit_id", label=_("单元ID"))
    search_fields = ("code", "name", "enterprise__name")
    kind = django_filters.MultipleChoiceFilter(choices=SensorKind.choices, label=_("监测类型"))
    status = django_filters.MultipleChoiceFilter(choices=SensorStatus.choices, label=_("状态"))

    class Meta:
        model = Sensor
        fields: list[str] = []
