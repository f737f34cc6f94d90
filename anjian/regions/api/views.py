"""Read-only API of the jurisdiction tree and the industrial parks (reference data edited by the city admin)."""

from __future__ import annotations

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.regions.api.serializers import IndustrialParkSerializer, RegionSerializer
from anjian.regions.filtersets import IndustrialParkFilterSet, RegionFilterSet
from anjian.regions.models import IndustrialPark, Region


class RegionViewSet(ScopedReadOnlyViewSet):
    """行政区划, looked up by the 12-digit code (the same code enterprises carry in `region`)."""

    model = Region
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"

    def optimize(self, queryset):
        return queryset.select_related("parent")


class IndustrialParkViewSet(ScopedReadOnlyViewSet):
    model = IndustrialPark
    serializer_class = IndustrialParkSerializer
    filterset_class = IndustrialParkFilterSet

    def optimize(self, queryset):
        return queryset.select_related("region")
