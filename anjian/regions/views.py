"""Pages of the jurisdiction tree and the industrial parks (read-only for everyone but the city administrator)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from anjian.core.scope import VIEW, code_range
from anjian.core.views import FastSelect, ObjectDetailView, ObjectListView
from anjian.regions.filtersets import IndustrialParkFilterSet, RegionFilterSet
from anjian.regions.models import IndustrialPark, Region
from anjian.regions.selectors import region_choices
from anjian.regions.tables import IndustrialParkTable, RegionTable


def _registry_model(model: type, relation: str):
    """The enterprise model, reached through this model's own reverse relation.

    regions sits below enterprises (architecture rule 1), so it names no enterprise module; the relation the
    Enterprise model declared onto Region/IndustrialPark is enough to count, under the same gate.
    """
    return model._meta.get_field(relation).related_model


class RegionListView(ObjectListView):
    model = Region
    url_base = "regions:region"
    filterset_class = RegionFilterSet
    table_class = RegionTable

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("parent")

    def filter_form_hook(self, form) -> None:
        # "上级区划": a select of the towns (and the city) the user can see instead of a bare 12-digit code.
        choices = region_choices(user=self.request.user, levels=("city", "town"))
        form.fields["parent"].widget = FastSelect(choices=choices)


class RegionDetailView(ObjectDetailView):
    model = Region
    url_base = "regions:region"
    template_name = "regions/region_detail.html"
    detail_fields = ("code", "name", "level", "parent", "unit_type", "latitude", "longitude")

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("parent")

    def get_extra_context(self, obj: Region) -> dict[str, Any]:
        enterprise_model = _registry_model(Region, "enterprises")
        count = (
            enterprise_model.objects.restrict(self.request.user, VIEW)
            .filter(region__code__range=code_range(obj.prefix))
            .count()
        )
        children = Region.objects.restrict(self.request.user, VIEW).filter(parent=obj).order_by("code")
        return {
            "children": children,
            "enterprise_count": count,
            "enterprise_list_url": reverse("enterprises:enterprise_list") + "?" + urlencode({"region": obj.code}),
        }


class IndustrialParkListView(ObjectListView):
    model = IndustrialPark
    url_base = "regions:park"
    filterset_class = IndustrialParkFilterSet
    table_class = IndustrialParkTable

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("region")

    def filter_form_hook(self, form) -> None:
        choices = region_choices(user=self.request.user, levels=("town",))
        form.fields["region"].widget = FastSelect(choices=choices)


class IndustrialParkDetailView(ObjectDetailView):
    model = IndustrialPark
    url_base = "regions:park"
    template_name = "regions/park_detail.html"
    detail_fields = ("name", "region", "is_chemical_park", "description")

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("region")

    def get_extra_context(self, obj: IndustrialPark) -> dict[str, Any]:
        enterprise_model = _registry_model(IndustrialPark, "enterprises")
        count = enterprise_model.objects.restrict(self.request.user, VIEW).filter(park=obj).count()
        return {
            "enterprise_count": count,
            "enterprise_list_url": reverse("enterprises:enterprise_list") + "?" + urlencode({"park": obj.pk}),
        }
