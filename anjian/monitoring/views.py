"""Pages of the sensor register (issue 10 item 1): list with filters and export, detail, add and edit. Every
queryset starts from restrict(); writes go through services.sensor_save."""

from __future__ import annotations

from django.db.models import QuerySet

from anjian.core.scope import CHANGE
from anjian.core.views import ObjectDetailView, ObjectEditView, ObjectListView
from anjian.hazchem.views_ledgers import enterprise_from_query
from anjian.monitoring import selectors, services
from anjian.monitoring.filtersets import SensorFilterSet
from anjian.monitoring.forms import SensorForm
from anjian.monitoring.models import Sensor
from anjian.monitoring.tables import SensorTable


class SensorQuerySetMixin:
    model = Sensor
    url_base = "monitoring:sensor"

    def get_queryset(self, action: str) -> QuerySet:
        return selectors.sensor_list(user=self.request.user, action=action)


class SensorListView(SensorQuerySetMixin, ObjectListView):
    filterset_class = SensorFilterSet
    table_class = SensorTable


class SensorDetailView(SensorQuerySetMixin, ObjectDetailView):
    detail_fields = ("enterprise", "hazard_unit", "installation", "code", "name", "kind", "unit_of_measure",
                     "range_min", "range_max", "low_low", "low", "high", "high_high", "interval_s", "status", "note")


class SensorEditView(SensorQuerySetMixin, ObjectEditView):
    form_class = SensorForm
    service = services.sensor_save
    service_arg = "sensor"

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, instance=instance, user=self.request.user,
                               enterprise=None if instance.pk else enterprise_from_query(self.request, CHANGE))
