"""Filters of the ledgers and transport (issue 9 item 3): one FilterSet per model for the UI list, the API and the
export. Related rows are filtered by id (`?enterprise=12`): a select of every enterprise in a city would hold 200,000
options."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.hazchem.models import HazmatVehicle, MovementKind, StockBalance, StockMovement, Trip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StockMovementFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    chemical = IdFilter(field_name="chemical_id", label=_("危险化学品ID"))
    unit = IdFilter(field_name="unit_id", label=_("单元ID"))
    search_fields = ("chemical__name", "chemical__cas", "counterparty", "document_number", "enterprise__name")
    kind = django_filters.MultipleChoiceFilter(choices=MovementKind.choices, label=_("类型"))
    occurred_after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("发生日期自"),
                                               widget=DATE)
    occurred_before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte",
                                                label=_("发生日期至"), widget=DATE)

    class Meta:
        model = StockMovement
        fields = ["direction"]


class StockBalanceFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    chemical = IdFilter(field_name="chemical_id", label=_("危险化学品ID"))
    search_fields = ("chemical__name", "chemical__cas", "enterprise__name")

    class Meta:
        model = StockBalance
        fields: list[str] = []


class HazmatVehicleFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    search_fields = ("plate", "permit_number", "enterprise__name")
    permit_expires_before = django_filters.DateFilter(field_name="permit_expires", lookup_expr="lte",
                                                      label=_("道路运输证有效期至不晚于"), widget=DATE)

    class Meta:
        model = HazmatVehicle
        fields = ["kind"]


class TripFilterSet(BaseFilterSet):
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    chemical = IdFilter(field_name="chemical_id", label=_("危险化学品ID"))
    vehicle = IdFilter(field_name="vehicle_id", label=_("车辆ID"))
    search_fields = ("vehicle__plate", "chemical__name", "origin", "destination", "driver_name", "escort_name",
                     "enterprise__name")
    departure_after = django_filters.DateFilter(field_name="departure_at", lookup_expr="date__gte",
                                                label=_("起运日期自"), widget=DATE)
    departure_before = django_filters.DateFilter(field_name="departure_at", lookup_expr="date__lte",
                                                 label=_("起运日期至"), widget=DATE)

    class Meta:
        model = Trip
        fields: list[str] = []
