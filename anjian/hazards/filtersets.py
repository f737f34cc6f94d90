"""One FilterSet of hazards for the UI list, the API list and the export (issue 8 item 7)."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.selectors import LISTED
from anjian.hazards.selectors_stats import local_date
from anjian.regions.filtersets import RegionSubtreeFilter


class HazardFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    status = django_filters.ChoiceFilter(choices=HazardStatus.choices, label=_("状态"))
    level = django_filters.ChoiceFilter(choices=HazardLevel.choices, label=_("隐患等级"))
    # A town or village code: its whole subtree (a code range on the hazard's copy of its village code, indexed).
    town = RegionSubtreeFilter(field_name="region_code", label=_("镇街 / 村（社区）"))
    domain = django_filters.ChoiceFilter(choices=SupervisionDomain.choices, label=_("行业领域"))
    source = django_filters.ChoiceFilter(choices=HazardSource.choices, label=_("发现途径"))
    category = django_filters.ChoiceFilter(choices=HazardCategory.choices, label=_("隐患类别"))
    overdue = django_filters.BooleanFilter(label=_("逾期"))
    listed = django_filters.BooleanFilter(method="filter_listed", label=_("挂牌督办中"))
    supervision_level = django_filters.ChoiceFilter(choices=SupervisionLevel.choices, label=_("督办级别"))
    # The 隐患统计 page's 到期 and 按期销号 counts as lists (issue 8 item 7): deadlines in its period, and of them
    # those closed on time, as anjian.hazards.selectors_stats counts them.
    deadline_after = django_filters.DateFilter(field_name="deadline", lookup_expr="gte", label=_("整改期限自"))
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("整改期限至"))
    on_time = django_filters.BooleanFilter(method="filter_on_time", label=_("按期销号"))
    search_fields = ("description", "place", "enterprise__name")

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_listed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(LISTED) if value else queryset.exclude(LISTED)

    def filter_on_time(self, queryset, name, value):
        """Closed (销号) and rectified, as a local date, on or before the deadline: the statistics' 按期销号."""
        if value is None:
            return queryset
        on_time = Q(status=HazardStatus.CLOSED, deadline__isnull=False, rectified_day__lte=F("deadline"))
        queryset = queryset.annotate(rectified_day=local_date("rectified_at"))
        return queryset.filter(on_time) if value else queryset.exclude(on_time)
