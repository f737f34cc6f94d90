"""One FilterSet of hazards for the UI list, the API list and the export (issue 8 item 7)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.selectors import LISTED
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
    search_fields = ("description", "place", "enterprise__name")

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_listed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(LISTED) if value else queryset.exclude(LISTED)
