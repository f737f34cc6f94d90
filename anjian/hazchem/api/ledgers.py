"""API of the ledgers and transport (issue 9 item 3): `/api/v1/stock-movements/` (list, read, and POST to record a
movement: the ledger is append-only, so there is no PUT, PATCH or DELETE), `/api/v1/stock-balances/` (read),
`/api/v1/hazmat-vehicles/` and `/api/v1/trips/`. Recording answers the line with `warnings` (a stock above the
unit's registered maximum) and `regraded` (the unit's identification changed). Querysets come from `restrict()`;
writes go through services_ledgers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet, ScopedViewSetMixin
from anjian.core.scope import CHANGE, VIEW, allows, can_add
from anjian.core.services import scoped_delete
from anjian.core.workflow import REASON_FIELD
from anjian.enterprises.models import Enterprise
from anjian.hazchem import selectors_ledgers as selectors
from anjian.hazchem import services_ledgers as services
from anjian.hazchem.filtersets_ledgers import (
    HazmatVehicleFilterSet,
    StockBalanceFilterSet,
    StockMovementFilterSet,
    TripFilterSet,
)
from anjian.hazchem.forms_ledgers import MASS_UNITS
from anjian.hazchem.models import HazardUnit, HazmatVehicle, StockBalance, StockMovement, Trip
from anjian.hazchem.tables_ledgers import mask_certificate


class RestrictedRelated(serializers.PrimaryKeyRelatedField):
    """A related id the user may see: one outside their reach reads as a missing id (no existence leak)."""

    def __init__(self, model: type, **kwargs: Any) -> None:
        self.related_model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        return self.related_model.objects.restrict(self.context["request"].user, VIEW)


class StockMovementSerializer(ServiceModelSerializer):
    enterprise = RestrictedRelated(Enterprise)
    unit = RestrictedRelated(HazardUnit, required=False, allow_null=True)
    reverses = RestrictedRelated(StockMovement, required=False, allow_null=True,
                                 help_text=_("冲销时：被冲销记录的ID（类型为reversal，品种、单元和数量取自原记录）。"))
    quantity = serializers.CharField(write_only=True, required=False, max_length=30,
                                     help_text=_("数量，按 quantity_unit 计；冲销时可不填。"))
    quantity_unit = serializers.ChoiceField(choices=MASS_UNITS, write_only=True, default="t",
                                            help_text=_("t（吨）或 kg（千克），换算为吨保存。"))
    # Null for lines the platform wrote itself (the demo's opening stock).
    recorded_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)

    class Meta:
        model = StockMovement
        fields = ["id", "enterprise", "enterprise_name", "chemical", "chemical_name", "unit", "kind", "direction",
                  "quantity", "quantity_unit",
                  "quantity_t", "balance_after_t", "occurred_at", "counterparty", "document_number", "note",
                  "reverses", "recorded_by", "created"]
        read_only_fields = ["direction", "quantity_t", "balance_after_t", "recorded_by", "created"]
        extra_kwargs = {"chemical": {"required": False}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        raw = attrs.pop("quantity", None)
        unit = attrs.pop("quantity_unit", "t")
        if attrs.get("reverses") is None:
            if raw in (None, ""):
                raise exceptions.ValidationError({"quantity": [_("请填写数量。")]})
            if attrs.get("chemical") is None:
                raise exceptions.ValidationError({"chemical": [_("请选择危险化学品。")]})
            try:
                attrs["quantity_t"] = services.tonnes(raw, unit)
            except ValidationError as error:
                raise exceptions.ValidationError({"quantity": error.messages}) from None
        return attrs


class MovementAnswerSerializer(StockMovementSerializer):
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    regraded = serializers.BooleanField(read_only=True, help_text=_("单元的重大危险源辨识结果是否因此变化。"))

    class Meta(StockMovementSerializer.Meta):
        fields = [*StockMovementSerializer.Meta.fields, "warnings", "regraded"]


class StockMovementViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """危险化学品出入库记录 (append-only: a wrong line is reversed with kind=reversal, never changed)."""

    model = StockMovement
    serializer_class = StockMovementSerializer
    filterset_class = StockMovementFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def restricted_queryset(self, action: str):
        return selectors.movement_list(user=self.request.user, action=action)

    @extend_schema(responses={201: MovementAnswerSerializer})
    def create(self, request, *args, **kwargs):
        if not can_add(request.user, StockMovement):
            raise exceptions.PermissionDenied(_("您无权登记出入库记录。"))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        reason = values.pop(REASON_FIELD, "")
        original = values.get("reverses")
        if original is not None:
            values.update(chemical=original.chemical, unit=original.unit, quantity_t=original.quantity_t)
        result = services.movement_record(actor=request.user, movement=StockMovement(**values), reason=reason)
        answer = MovementAnswerSerializer(result.movement, context=self.get_serializer_context()).data
        answer["warnings"] = list(result.warnings)
        answer["regraded"] = bool(result.change and result.change.matters)
        return Response(answer, status=status.HTTP_201_CREATED)


class StockBalanceSerializer(serializers.ModelSerializer):
    maximum_t = serializers.DecimalField(max_digits=16, decimal_places=4, read_only=True, allow_null=True,
                                         help_text=_("单元登记的设计最大量；单元外库存为空。"))
    over_maximum = serializers.SerializerMethodField()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)

    class Meta:
        model = StockBalance
        fields = ["id", "enterprise", "enterprise_name", "chemical", "chemical_name", "unit", "quantity_t", "maximum_t",
                  "over_maximum",
                  "last_movement_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_over_maximum(self, balance: StockBalance) -> bool:
        maximum = getattr(balance, "maximum_t", None)
        return maximum is not None and balance.quantity_t > maximum


class StockBalanceViewSet(ScopedReadOnlyViewSet):
    """危险化学品库存 (by enterprise, chemical and unit; kept by the movements)."""

    model = StockBalance
    serializer_class = StockBalanceSerializer
    filterset_class = StockBalanceFilterSet

    def restricted_queryset(self, action: str):
        return selectors.balance_list(user=self.request.user, action=action)


class HazmatVehicleSerializer(ServiceModelSerializer):
    enterprise = RestrictedRelated(Enterprise)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = HazmatVehicle
        fields = ["id", "enterprise", "enterprise_name", "plate", "kind", "permit_number", "permit_expires",
                  "capacity_t", "note"]


class HazmatVehicleViewSet(ScopedModelViewSet):
    """危险货物运输车辆."""

    model = HazmatVehicle
    serializer_class = HazmatVehicleSerializer
    filterset_class = HazmatVehicleFilterSet

    def restricted_queryset(self, action: str):
        return selectors.vehicle_list(user=self.request.user, action=action)

    def save_service(self, *, actor: Any, obj: HazmatVehicle, reason: str) -> HazmatVehicle:
        return services.vehicle_save(actor=actor, vehicle=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: HazmatVehicle, reason: str) -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)


class TripSerializer(ServiceModelSerializer):
    """Certificate numbers are personal data: shown in full only to those who may correct the trip."""

    enterprise = RestrictedRelated(Enterprise)
    vehicle = RestrictedRelated(HazmatVehicle)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    chemical_name = serializers.CharField(source="chemical.name", read_only=True)

    class Meta:
        model = Trip
        fields = ["id", "enterprise", "enterprise_name", "vehicle", "chemical", "chemical_name", "quantity_t",
                  "origin", "destination", "departure_at",
                  "driver_name", "driver_certificate", "driver_certificate_expires", "escort_name",
                  "escort_certificate", "escort_certificate_expires", "note"]

    def to_representation(self, instance: Trip) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not allows(self.context["request"].user, CHANGE, instance):
            data["driver_certificate"] = mask_certificate(data["driver_certificate"])
            data["escort_certificate"] = mask_certificate(data["escort_certificate"])
        return data


class TripViewSet(ScopedModelViewSet):
    """危险货物运输记录. Refused (400, naming the certificate and its expiry) when the vehicle's 道路运输证 or the
    driver's or escort's 从业资格证 is not valid on the departure day, or driver and escort are one person."""

    model = Trip
    serializer_class = TripSerializer
    filterset_class = TripFilterSet

    def restricted_queryset(self, action: str):
        return selectors.trip_list(user=self.request.user, action=action)

    def save_service(self, *, actor: Any, obj: Trip, reason: str) -> Trip:
        return services.trip_save(actor=actor, trip=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: Trip, reason: str) -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)
