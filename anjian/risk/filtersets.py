"""Filters of risk units, assessments, measures and checks: one FilterSet per model for the UI list, the API and the
export (issue 9 item 4). Enterprise and unit are ids (links from an enterprise's or a unit's page), not drop-downs of
200,000 enterprises."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.regions.filtersets import RegionSubtreeFilter
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit


class RiskFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("区域"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))


class RiskUnitFilterSet(RiskFilterSet):
    search_fields = ("name", "location", "enterprise__name")
    assessed = django_filters.BooleanFilter(method="filter_assessed", label=_("已评估"))

    class Meta:
        model = RiskUnit
        fields = ["kind", "colour", "control_level"]

    def filter_assessed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(colour="") if value else queryset.filter(colour="")


class RiskAssessmentFilterSet(RiskFilterSet):
    unit = IdFilter(field_name="unit_id", label=_("风险点ID"))
    search_fields = ("unit__name", "enterprise__name", "assessor_name")

    class Meta:
        model = RiskAssessment
        fields = ["method", "colour"]


class ControlMeasureFilterSet(RiskFilterSet):
    unit = IdFilter(field_name="unit_id", label=_("风险点ID"))
    search_fields = ("description", "unit__name", "responsible")

    class Meta:
        model = ControlMeasure
        fields = ["kind", "level", "check_cycle"]


class MeasureCheckFilterSet(RiskFilterSet):
    measure = IdFilter(field_name="measure_id", label=_("管控措施ID"))
    search_fields = ("measure__description", "measure__unit__name", "note")

    class Meta:
        model = MeasureCheck
        fields = ["result"]
