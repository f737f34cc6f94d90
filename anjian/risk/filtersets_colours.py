"""Filters of the colour lists (issue 9 item 5): one FilterSet per model for the UI list, its export and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet
from anjian.enterprises.choices import SupervisionDomain
from anjian.regions.choices import RegionLevel
from anjian.regions.filtersets import RegionSubtreeFilter
from anjian.risk.choices import RiskColour
from anjian.risk.models import EnterpriseColour, RegionColour


class EnterpriseColourFilterSet(BaseFilterSet):
    # `region=<code>`: the interface others rely on (GET /api/v1/risk-colours/?region=<code>, the subtree).
    region = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("区域"))
    colour = django_filters.ChoiceFilter(field_name="dynamic", choices=RiskColour.choices, label=_("动态风险等级"))
    inherent = django_filters.ChoiceFilter(choices=RiskColour.choices, label=_("固有风险等级"))
    domain = django_filters.ChoiceFilter(field_name="enterprise__domain", choices=SupervisionDomain.choices,
                                         label=_("行业领域"))
    search_fields = ("enterprise__name",)

    class Meta:
        model = EnterpriseColour
        fields: list[str] = []


class RegionColourFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="code", label=_("区域"))
    level = django_filters.ChoiceFilter(choices=[(RegionLevel.TOWN, RegionLevel.TOWN.label),
                                                 (RegionLevel.VILLAGE, RegionLevel.VILLAGE.label)], label=_("层级"))
    colour = django_filters.ChoiceFilter(choices=RiskColour.choices, label=_("风险等级"))
    search_fields = ("region__name",)

    class Meta:
        model = RegionColour
        fields: list[str] = []
