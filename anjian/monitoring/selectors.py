"""Reads of the sensor register (issue 10 item 1): every queryset starts from restrict()."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anjian.core.scope import VIEW
from anjian.monitoring.models import Sensor


def sensor_list(*, user: Any, action: str = VIEW) -> QuerySet[Sensor]:
    return Sensor.objects.restrict(user, action).select_related("enterprise", "hazard_unit")
