"""Reads for the public report pages (issue 8 item 6) that are not a report: the background of the report map."""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField
from django.db.models.functions import Cast

from anjian.hazards.services_public import public_regions
from anjian.regions.choices import RegionLevel
from anjian.regions.models import RegionOutline
from anjian.regions.services import city_outline


def _feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def report_map_geography() -> dict[str, Any]:
    """GeoJSON FeatureCollection behind the pin map: the city outline, every town's outline (real, or 示意 until
    `anjian load-boundaries` brings real ones) and the towns' labels, each feature's `properties.kind` saying which.

    Public geography, not anyone's records (as public_regions): read without the gate, so a citizen without an
    account sees the same map as the regulator triaging the report. Village outlines are left out (a whole city of
    them would be megabytes); the server finds the village of a pin (services_public.region_at_pin)."""
    features = []
    outline = city_outline()
    if outline:
        features.append(_feature(outline["geometry"], kind="city"))
    towns = (
        RegionOutline.objects.filter(region__in=public_regions().filter(level=RegionLevel.TOWN))
        .order_by("region__code")
        .values_list("region__code", "region__name", "approximate", "geometry")
    )
    for code, name, approximate, geometry in towns:
        features.append(_feature(geometry, kind="town", code=code, name=name, approximate=approximate))
    labels = (
        public_regions()
        .filter(level=RegionLevel.TOWN, latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .annotate(lat=Cast("latitude", FloatField()), lng=Cast("longitude", FloatField()))
        .values_list("code", "name", "lat", "lng")
    )
    for code, name, lat, lng in labels:
        features.append(_feature({"type": "Point", "coordinates": [lng, lat]}, kind="label", code=code, name=name))
    return {"type": "FeatureCollection", "features": features}
