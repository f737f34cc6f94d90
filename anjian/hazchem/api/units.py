"""API of hazard units and 重大危险源 (issue 9 item 2; the interface other modules rely on).

`POST /api/v1/hazard-units/` takes `enterprise`, `name`, `kind` (`storage`/`production`), `exposed_people` and
`chemicals`, a list of `{"chemical": <catalogue id>}` or `{"name": ...}` (name, alias or CAS) with `max_quantity_t`
(or `max_quantity_kg`, exactly one); its answer, like `GET /api/v1/hazard-units/<id>/`, carries `s`, `is_major`,
`r`, `level` (1–4 or null) and `rows` (the working). `GET/PATCH /api/v1/major-hazards/` reads the register and
fills in the 包保责任 persons. Writes go to anjian.hazchem.services_units; querysets come from `restrict()`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.api.viewsets import ScopedModelViewSet
from anjian.core.privacy import mask_phone
from anjian.core.scope import VIEW
from anjian.core.services import scoped_delete
from anjian.core.workflow import REASON_FIELD
from anjian.enterprises.models import Enterprise
from anjian.enterprises.selectors import sees_phone
from anjian.hazchem import selectors_units, services_units
from anjian.hazchem.filtersets_units import HazardUnitFilterSet, MajorHazardFilterSet
from anjian.hazchem.models import HazardUnit, KeyProcess, MajorHazard, UnitChemical
from anjian.hazchem.models.units import PERSON_FIELDS, PHONE_FIELDS


class UnitChemicalInputSerializer(serializers.Serializer):
    """One chemical of a unit as written: a catalogue id, or a name/alias/CAS the catalogue has exactly once, or a
    free name with an assessor's Q; q in tonnes or in kilograms."""

    chemical = serializers.IntegerField(required=False, allow_null=True, label=_("目录ID"))
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("品名、别名或CAS号"))
    cas = serializers.CharField(required=False, allow_blank=True, max_length=20, label=_("CAS号"))
    max_quantity_t = serializers.DecimalField(required=False, allow_null=True, max_digits=30, decimal_places=10,
                                              label=_("设计最大量（吨）"))
    max_quantity_kg = serializers.DecimalField(required=False, allow_null=True, max_digits=30, decimal_places=10,
                                               label=_("设计最大量（千克），与吨二选一"))
    critical_quantity_t = serializers.DecimalField(required=False, allow_null=True, max_digits=30,
                                                   decimal_places=10, label=_("评价确定的临界量（吨）"))
    beta = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=4,
                                    label=_("评价确定的校正系数β"))
    assessor_source = serializers.CharField(required=False, allow_blank=True, max_length=200, label=_("评价依据"))


class UnitChemicalSerializer(serializers.ModelSerializer):
    chemical_name = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = UnitChemical
        fields = ["id", "chemical", "chemical_name", "name", "cas", "max_quantity_t", "stock_t",
                  "critical_quantity_t", "beta", "assessor_source"]
        read_only_fields = fields


class HazardUnitSerializer(ServiceModelSerializer):
    """危险化学品单元 with its GB 18218 working (read-only: the system works it out on every change)."""

    enterprise = serializers.PrimaryKeyRelatedField(label=_("单位ID"), queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    chemicals = UnitChemicalInputSerializer(many=True, write_only=True, required=False,
                                            label=_("危险化学品（整体替换）"))
    chemical_rows = UnitChemicalSerializer(source="chemicals", many=True, read_only=True)
    key_processes = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=KeyProcess.objects.all(),
                                                       label=_("重点监管危险化工工艺ID（仅生产单元）"))
    rows = serializers.SerializerMethodField(help_text=_("计算过程：每种物质的 q、Q 及来源、q/Q、β 及来源、β·q/Q。"))
    missing = serializers.SerializerMethodField(help_text=_("无法确定临界量或β的物质（需补充危险性类别符号或β）。"))
    alpha = serializers.SerializerMethodField()
    alpha_source = serializers.SerializerMethodField()
    registration = serializers.SerializerMethodField()

    class Meta:
        model = HazardUnit
        fields = ["id", "enterprise", "enterprise_name", "name", "kind", "location", "exposed_people", "key_processes",
                  "chemicals", "chemical_rows", "grading", "s", "is_major", "r", "level", "alpha", "alpha_source",
                  "rows", "missing", "registration", "graded_at", "created", "updated"]
        read_only_fields = ["grading", "s", "is_major", "r", "level", "graded_at", "created", "updated"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.restrict(request.user, VIEW)

    def get_rows(self, unit: HazardUnit) -> list[dict[str, Any]]:
        return (unit.working or {}).get("rows", [])

    def get_missing(self, unit: HazardUnit) -> list[dict[str, Any]]:
        return (unit.working or {}).get("missing", [])

    def get_alpha(self, unit: HazardUnit) -> str | None:
        return (unit.working or {}).get("alpha")

    def get_alpha_source(self, unit: HazardUnit) -> str | None:
        return (unit.working or {}).get("alpha_source")

    def get_registration(self, unit: HazardUnit) -> dict[str, Any] | None:
        registration = getattr(unit, "registration", None) if unit.pk else None
        if registration is None:
            return None
        return {"id": registration.pk, "registration_number": registration.registration_number,
                "status": registration.status, "level": registration.level,
                "review_due": registration.review_due.isoformat()}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "enterprise" in attrs and attrs["enterprise"] != self.instance.enterprise:
            raise serializers.ValidationError({"enterprise": [_("单元不能改属其他单位。")]})
        return attrs


class HazardUnitViewSet(ScopedModelViewSet):
    """危险化学品单元（生产单元、储存单元）. `chemicals` replaces the unit's whole list; every write identifies and
    grades the unit again (GB 18218-2018), registers or deregisters its 重大危险源 and updates the enterprise's
    major-hazard flag and level."""

    model = HazardUnit
    serializer_class = HazardUnitSerializer
    filterset_class = HazardUnitFilterSet

    def restricted_queryset(self, action: str):
        return selectors_units.unit_list(user=self.request.user, action=action)

    def optimize(self, queryset):
        return queryset.select_related("enterprise", "enterprise__region", "registration").prefetch_related(
            "key_processes", Prefetch("chemicals", UnitChemical.objects.select_related("chemical")))

    def _save(self, serializer, unit: HazardUnit) -> None:
        values = dict(serializer.validated_data)
        reason = values.pop(REASON_FIELD, "")
        chemicals = values.pop("chemicals", None)
        processes = values.pop("key_processes", None)
        for name, value in values.items():
            setattr(unit, name, value)
        saved = services_units.hazard_unit_save(
            actor=self.request.user, unit=unit, reason=reason, key_processes=processes,
            chemicals=None if chemicals is None else [{key: value for key, value in entry.items()
                                                        if value is not None} for entry in chemicals])
        serializer.instance = self.optimize(HazardUnit.objects.filter(pk=saved.pk)).get()

    def perform_create(self, serializer) -> None:
        self._save(serializer, HazardUnit())

    def perform_update(self, serializer) -> None:
        self._save(serializer, serializer.instance)

    def delete_service(self, *, actor: Any, obj: HazardUnit, reason: str = "") -> None:
        services_units.hazard_unit_delete(actor=actor, unit=obj, reason=reason)


class MajorHazardSerializer(ServiceModelSerializer):
    """重大危险源登记: number, level, dates and status are the system's; the 包保责任 persons are written."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("registered（已登记）或 deregistered（已核销）。"))

    class Meta:
        model = MajorHazard
        fields = ["id", "enterprise", "enterprise_name", "unit", "unit_name", "registration_number", "status",
                  "level", "registered_on", "review_due", *PERSON_FIELDS, "created", "updated"]
        read_only_fields = ["enterprise", "unit", "registration_number", "status", "level", "registered_on",
                            "review_due", "created", "updated"]

    def to_representation(self, instance: MajorHazard) -> dict[str, Any]:
        data = super().to_representation(instance)
        # The persons' phones are personal data: in full only for who may see an enterprise's (view_personal).
        if not sees_phone(self.context["request"].user, instance.enterprise):
            for name in PHONE_FIELDS:
                data[name] = mask_phone(data[name]) if data.get(name) else data.get(name)
        return data


class MajorHazardViewSet(ScopedModelViewSet):
    """重大危险源登记台账. Registrations are made by the system when a unit is found major; nobody adds or deletes
    one here (POST and DELETE answer 403); PATCH fills in the 包保责任 persons."""

    model = MajorHazard
    serializer_class = MajorHazardSerializer
    filterset_class = MajorHazardFilterSet

    def restricted_queryset(self, action: str):
        return selectors_units.major_hazard_list(user=self.request.user, action=action)

    def optimize(self, queryset):
        return queryset.select_related("enterprise", "enterprise__region", "unit")

    def save_service(self, *, actor: Any, obj: MajorHazard, reason: str = "") -> MajorHazard:
        return services_units.major_hazard_save(actor=actor, registration=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: MajorHazard, reason: str = "") -> None:
        # MajorHazard.policy grants DELETE to no role, so scoped_delete refuses (a superuser excepted).
        scoped_delete(actor=actor, obj=obj, reason=reason)
