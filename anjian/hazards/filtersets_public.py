"""Filters of the regulators' list of public reports (UI list, export and API alike)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet
from anjian.hazards.choices import PublicReportStatus
from anjian.hazards.models import PublicReport
from anjian.regions.filtersets import RegionSubtreeFilter


class PublicReportFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=PublicReportStatus.choices, label=_("状态"))
    region = RegionSubtreeFilter(field_name="region__code", label=_("区域"))
    submitted_after = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte",
                                                label=_("举报日期起"))
    submitted_before = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte",
                                                 label=_("举报日期止"))
    # Not the contact: a role that reads it masked must not find it out by searching.
    search_fields = ("tracking_code", "description", "place")

    class Meta:
        model = PublicReport
        fields: list[str] = []
