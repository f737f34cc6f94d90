"""Filters of hazard units and the 重大危险源 register, one FilterSet per model for the UI list, the API and the export
(issue 9 item 2)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitGrading, UnitKind
from anjian.hazchem.models.units import MajorHazardStatus
from anjian.hazchem.selectors_units import review_window
from anjian.regions.filtersets import RegionSubtreeFilter

LEVELS = ((1, _("一级")), (2, _("二级")), (3, _("三级")), (4, _("四级")))
# A number in the API (an enum here would collide with the hazards' `level` in the schema), a select on the page.
LEVEL_CHOICES = (("", _("全部")), *LEVELS)
REVIEW_STATES = (("overdue", _("已逾期")), ("due_soon", _("90天内到期")))


class HazardUnitFilterSet(BaseFilterSet):
    town = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("镇街 / 村（社区）"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("单元类型"))
    grading = django_filters.ChoiceFilter(choices=UnitGrading.choices, label=_("辨识分级状态"))
    level = django_filters.NumberFilter(label=_("重大危险源级别（1–4）"), widget=forms.Select(choices=LEVEL_CHOICES))
    search_fields = ("name", "enterprise__name", "enterprise__uscc")

    class Meta:
        model = HazardUnit
        fields = ["is_major"]


class MajorHazardFilterSet(BaseFilterSet):
    town = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("镇街 / 村（社区）"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    level = django_filters.NumberFilter(label=_("级别（1–4）"), widget=forms.Select(choices=LEVEL_CHOICES))
    status = django_filters.ChoiceFilter(choices=MajorHazardStatus.choices, label=_("登记状态"))
    review = django_filters.ChoiceFilter(choices=REVIEW_STATES, method="filter_review", label=_("定期评估"))
    search_fields = ("registration_number", "unit__name", "enterprise__name", "enterprise__uscc")

    class Meta:
        model = MajorHazard
        fields: list[str] = []

    def filter_review(self, queryset, name, value):
        return review_window(queryset, value, today=timezone.localdate()) if value else queryset
