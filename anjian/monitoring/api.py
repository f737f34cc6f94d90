"""API of the sensor register (issue 10 item 1): `/api/v1/sensors/` (list, read, create, change). The interface
calls the unit of measure `unit`; the hazard unit a sensor sits on is `hazard_unit`. Querysets come from
`restrict()`; writes go through services.sensor_save, whose refusals answer in the kit's error format."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.api.viewsets import ScopedModelViewSet
from anjian.core.i18n import stored_text
from anjian.core.services import scoped_delete
from anjian.enterprises.models import Enterprise
from anjian.hazchem.api.ledgers import RestrictedRelated
from anjian.hazchem.models import HazardUnit
from anjian.monitoring import selectors, services
from anjian.monitoring.choices import SensorKind
from anjian.monitoring.filtersets import SensorFilterSet
from anjian.monitoring.models import Sensor


class SensorSerializer(ServiceModelSerializer):
    enterprise = RestrictedRelated(Enterprise)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    hazard_unit = RestrictedRelated(HazardUnit, required=False, allow_null=True,
                                    help_text=_("传感器所在危险化学品单元的ID；不在已登记单元上的可不填。"))
    unit = serializers.CharField(source="unit_of_measure", max_length=16,
                                 help_text=_("计量单位，例如 m、℃、MPa、%LEL、ppm。"))
    name = serializers.CharField(max_length=100, required=False,
                                 help_text=_("名称；新建时不填则取监测类型，例如“液位传感器”。"))

    class Meta:
        model = Sensor
        fields = ["id", "code", "enterprise", "enterprise_name", "hazard_unit", "installation", "name", "kind",
                  "unit", "range_min", "range_max", "low_low", "low", "high", "high_high", "interval_s", "status",
                  "note"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None and not attrs.get("name") and attrs.get("kind"):
            attrs["name"] = stored_text(_("%(kind)s传感器"), kind=stored_text(SensorKind(attrs["kind"]).label))
        return attrs


class SensorViewSet(ScopedModelViewSet):
    """监测传感器."""

    model = Sensor
    serializer_class = SensorSerializer
    filterset_class = SensorFilterSet

    def restricted_queryset(self, action: str):
        return selectors.sensor_list(user=self.request.user, action=action)

    def save_service(self, *, actor: Any, obj: Sensor, reason: str) -> Sensor:
        return services.sensor_save(actor=actor, sensor=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: Sensor, reason: str) -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)
