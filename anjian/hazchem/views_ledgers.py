"""Pages of the ledgers and transport (issue 9 item 3): an enterprise's ledger (balances by chemical and unit, with a
warning where a stock exceeds the unit's registered maximum), the movements with filters and export, recording a
movement and reversing one, and the hazmat vehicles and trips. Every queryset starts from `restrict()`; writes go
through services_ledgers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anjian.core.errors import SERVICE_ERRORS
from anjian.core.scope import ADD, CHANGE, VIEW, allows, can_add, jurisdiction_of
from anjian.core.views import ObjectDetailView, ObjectEditView, ObjectListView, ObjectViewMixin, refuse_on_form
from anjian.enterprises.models import Enterprise
from anjian.hazchem import selectors_ledgers as selectors
from anjian.hazchem import services_ledgers as services
from anjian.hazchem.filtersets_ledgers import (
    HazmatVehicleFilterSet,
    StockBalanceFilterSet,
    StockMovementFilterSet,
    TripFilterSet,
)
from anjian.hazchem.forms_ledgers import MovementForm, ReversalForm, TripForm, VehicleForm
from anjian.hazchem.models import HazmatVehicle, MovementKind, StockBalance, StockMovement, Trip
from anjian.hazchem.tables_ledgers import (
    HazmatVehicleTable,
    StockBalanceTable,
    StockMovementTable,
    TripTable,
    mask_certificate,
)


def enterprise_from_query(request, action: str = VIEW) -> Enterprise | None:
    """The enterprise a page was opened for (`?enterprise=<id>`), read through the gate; None without one."""
    value = request.GET.get("enterprise")
    if not value:
        return None
    try:
        return Enterprise.objects.restrict(request.user, action).get(pk=int(value))
    except (Enterprise.DoesNotExist, ValueError) as error:
        raise Http404(_("记录不存在或不在您的管辖范围内。")) from error


class LedgerView(ObjectViewMixin, View):
    """One enterprise's ledger: what it holds of each chemical, in each unit and outside the units."""

    model = StockBalance
    url_base = "hazchem:stockbalance"
    template_name = "hazchem/ledger.html"

    def get(self, request, pk):
        try:
            enterprise = selectors.ledger_enterprise(user=request.user, pk=pk)
        except Enterprise.DoesNotExist as error:
            raise Http404(_("记录不存在或不在您的管辖范围内。")) from error
        rows = selectors.ledger_rows(user=request.user, enterprise=enterprise)
        probe = StockMovement(enterprise=enterprise)
        context = {
            **self.base_context(),
            "enterprise": enterprise,
            "rows": rows,
            "over": [row for row in rows if row.over_maximum],
            "record_url": (f"{reverse('hazchem:stockmovement_add')}?enterprise={enterprise.pk}"
                           if allows(request.user, ADD, probe) else None),
            "movements_url": f"{reverse('hazchem:stockmovement_list')}?enterprise={enterprise.pk}",
            "vehicles_url": f"{reverse('hazchem:hazmatvehicle_list')}?enterprise={enterprise.pk}",
            "trips_url": f"{reverse('hazchem:trip_list')}?enterprise={enterprise.pk}",
        }
        return render(request, self.template_name, context)


def enterprise_panel(request: Any, enterprise: Enterprise) -> dict[str, Any] | None:
    """The enterprise page's 台账 section: how many chemicals it holds, how many places exceed a unit's maximum."""
    user = request.user
    if jurisdiction_of(user, VIEW, StockBalance).nothing:
        return None
    rows = selectors.ledger_rows(user=user, enterprise=enterprise)
    held = {row.balance.chemical_id for row in rows if row.balance.quantity_t > 0}
    probe = StockMovement(enterprise=enterprise)
    return {
        "chemicals": len(held),
        "over": sum(row.over_maximum for row in rows),
        "ledger_url": reverse("hazchem:ledger", args=[enterprise.pk]),
        "record_url": (f"{reverse('hazchem:stockmovement_add')}?enterprise={enterprise.pk}"
                       if allows(user, ADD, probe) else None),
    }


class StockBalanceListView(ObjectListView):
    """库存台账: every balance in the user's reach, flagged where it exceeds its unit's registered maximum."""

    model = StockBalance
    url_base = "hazchem:stockbalance"
    filterset_class = StockBalanceFilterSet
    table_class = StockBalanceTable
    default_order = ("enterprise__name", "chemical__name", "id")

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.balance_list(user=self.request.user, action=action)


class MovementQuerySetMixin:
    model = StockMovement
    url_base = "hazchem:stockmovement"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.movement_list(user=self.request.user, action=action)


class StockMovementListView(MovementQuerySetMixin, ObjectListView):
    filterset_class = StockMovementFilterSet
    table_class = StockMovementTable
    default_order = ("-occurred_at", "-id")

    def get_extra_context(self) -> dict[str, Any]:
        try:
            enterprise = enterprise_from_query(self.request)
        except Http404:
            return {}  # the filter then lists nothing, as for any id outside the user's reach
        if enterprise is not None and self.url("add") and can_add(self.request.user, StockMovement):
            return {"add_url": f"{self.url('add')}?enterprise={enterprise.pk}"}
        return {}


class StockMovementDetailView(MovementQuerySetMixin, ObjectDetailView):
    template_name = "hazchem/ledger_movement_detail.html"
    detail_fields = ("enterprise", "chemical", "unit", "kind", "direction", "quantity_t", "balance_after_t",
                     "occurred_at", "counterparty", "document_number", "note", "reverses", "recorded_by", "created")

    def get_extra_context(self, obj: StockMovement) -> dict[str, Any]:
        reversible = (obj.kind != MovementKind.REVERSAL and not hasattr(obj, "reversed_by")
                      and allows(self.request.user, ADD, obj))
        return {
            "reverse_url": reverse("hazchem:stockmovement_reverse", args=[obj.pk]) if reversible else None,
            "reversed_by": getattr(obj, "reversed_by", None),
            "ledger_url": reverse("hazchem:ledger", args=[obj.enterprise_id]),
        }


def _show_result(request, result: services.MovementResult) -> None:
    messages.success(request, _("已登记：%(movement)s，结存 %(balance)s 吨。") % {
        "movement": result.movement, "balance": services._plain(result.balance.quantity_t)})
    for warning in result.warnings:
        messages.warning(request, warning)
    if result.change is not None and result.change.matters:
        messages.warning(request, _("单元“%(unit)s”的重大危险源辨识结果已变化，已通知属地镇街。")
                         % {"unit": result.change.unit})


class StockMovementRecordView(MovementQuerySetMixin, ObjectEditView):
    """Record a movement (append-only: there is no edit page)."""

    form_class = MovementForm
    template_name = "hazchem/ledger_movement_form.html"

    def get_instance(self, pk: Any | None) -> StockMovement:
        if not can_add(self.request.user, StockMovement):
            raise PermissionDenied(_("您无权登记出入库记录。"))
        return StockMovement()

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, instance=instance, user=self.request.user,
                               enterprise=enterprise_from_query(self.request))

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        form = self.get_form(instance, data=request.POST)
        if not form.is_valid():
            return self.render_form(form, instance)
        try:
            result = services.movement_record(actor=request.user, movement=form.save(commit=False))
        except SERVICE_ERRORS as error:
            return self.render_form(form, instance, status=refuse_on_form(form, error))
        _show_result(request, result)
        return HttpResponseRedirect(reverse("hazchem:ledger", args=[result.movement.enterprise_id]))


class StockMovementReverseView(MovementQuerySetMixin, ObjectViewMixin, View):
    """冲销: a new line that takes back one wrong line; the wrong line stays in the ledger."""

    template_name = "hazchem/ledger_movement_reverse.html"

    def _render(self, obj, form, status=200):
        return render(self.request, self.template_name, {**self.base_context(), "object": obj, "form": form},
                      status=status)

    def get(self, request, pk):
        return self._render(self.get_object(ADD, pk), ReversalForm())

    def post(self, request, pk):
        original = self.get_object(ADD, pk)
        form = ReversalForm(request.POST)
        if not form.is_valid():
            return self._render(original, form)
        movement = StockMovement(enterprise=original.enterprise, kind=MovementKind.REVERSAL, reverses=original,
                                 chemical=original.chemical, unit=original.unit, quantity_t=original.quantity_t,
                                 occurred_at=timezone.now(), note=form.cleaned_data["note"])
        try:
            result = services.movement_record(actor=request.user, movement=movement, reason=form.cleaned_data["note"])
        except SERVICE_ERRORS as error:
            return self._render(original, form, status=refuse_on_form(form, error))
        _show_result(request, result)
        return HttpResponseRedirect(reverse("hazchem:ledger", args=[original.enterprise_id]))


class VehicleQuerySetMixin:
    model = HazmatVehicle
    url_base = "hazchem:hazmatvehicle"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.vehicle_list(user=self.request.user, action=action)


class HazmatVehicleListView(VehicleQuerySetMixin, ObjectListView):
    filterset_class = HazmatVehicleFilterSet
    table_class = HazmatVehicleTable


class HazmatVehicleDetailView(VehicleQuerySetMixin, ObjectDetailView):
    detail_fields = ("enterprise", "plate", "kind", "permit_number", "permit_expires", "capacity_t", "note")


class HazmatVehicleEditView(VehicleQuerySetMixin, ObjectEditView):
    form_class = VehicleForm
    service = services.vehicle_save
    service_arg = "vehicle"

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, instance=instance, user=self.request.user,
                               enterprise=None if instance.pk else enterprise_from_query(self.request, CHANGE))


class TripQuerySetMixin:
    model = Trip
    url_base = "hazchem:trip"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.trip_list(user=self.request.user, action=action)


class TripListView(TripQuerySetMixin, ObjectListView):
    filterset_class = TripFilterSet
    table_class = TripTable


class TripDetailView(TripQuerySetMixin, ObjectDetailView):
    template_name = "hazchem/trip_detail.html"
    detail_fields = ("enterprise", "vehicle", "chemical", "quantity_t", "origin", "destination", "departure_at",
                     "driver_name", "driver_certificate_expires", "escort_name", "escort_certificate_expires", "note")

    def get_extra_context(self, obj: Trip) -> dict[str, Any]:
        # The certificate numbers in full only to those who may correct the trip (the enterprise, the city
        # administrator); everyone else sees them masked, as in lists and exports.
        full = allows(self.request.user, CHANGE, obj)
        mask = (lambda value: value) if full else mask_certificate
        return {"certificates": [(_("驾驶员从业资格证号"), mask(obj.driver_certificate)),
                                 (_("押运员从业资格证号"), mask(obj.escort_certificate))]}


class TripEditView(TripQuerySetMixin, ObjectEditView):
    form_class = TripForm
    service = services.trip_save
    service_arg = "trip"
    template_name = "hazchem/trip_form.html"

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, instance=instance, user=self.request.user,
                               enterprise=None if instance.pk else enterprise_from_query(self.request, CHANGE))
