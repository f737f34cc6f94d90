"""Filters of checklists, schedules and self-inspections: one FilterSet per model for the UI list, the API and the
export (issue 8 items 1 and 2)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import ChecklistStatus, Frequency
from anjian.hazards.models import Checklist, InspectionSchedule, SelfInspection
from anjian.regions.filtersets import RegionSubtreeFilter


class ChecklistFilterSet(BaseFilterSet):
    code = django_filters.CharFilter(label=_("清单编号"))
    domain = django_filters.ChoiceFilter(choices=SupervisionDomain.choices, label=_("行业领域"))
    status = django_filters.ChoiceFilter(choices=ChecklistStatus.choices, label=_("状态"))
    search_fields = ("title", "code", "basis")

    class Meta:
        model = Checklist
        fields = ["criteria", "official"]


class InspectionScheduleFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("区域"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    checklist = IdFilter(field_name="checklist_id", label=_("清单ID"))
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, label=_("频次"))
    search_fields = ("enterprise__name", "checklist__title", "responsible")

    class Meta:
        model = InspectionSchedule
        fields = ["active"]


class SelfInspectionFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("区域"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    checklist = IdFilter(field_name="checklist_id", label=_("清单ID"))
    schedule = IdFilter(field_name="schedule_id", label=_("自查计划ID"))
    with_failures = django_filters.BooleanFilter(method="filter_failures", label=_("有不合格项"))
    performed_after = django_filters.DateFilter(field_name="performed_at", lookup_expr="date__gte",
                                                label=_("起始日期"))
    performed_before = django_filters.DateFilter(field_name="performed_at", lookup_expr="date__lte",
                                                 label=_("截止日期"))
    search_fields = ("enterprise__name", "checklist__title")

    class Meta:
        model = SelfInspection
        fields: list[str] = []

    def filter_failures(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(failed_count__gt=0) if value else queryset.filter(failed_count=0)
