"""Reads of the jurisdiction tree. Every one starts from `restrict()` (architecture rule 2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from anjian.core.scope import VIEW
from anjian.regions import geometry as geo
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region, RegionOutline


def region_choices(*, user: Any, levels: Iterable[str], empty_label: str | None = None) -> list[tuple[str, str]]:
    """The regions of `levels` the user can see, as (code, label) for a filter select, in tree order.

    Codes sort a parent before its children, so villages are indented under their town.
    """
    regions = Region.objects.restrict(user, VIEW).filter(level__in=list(levels)).order_by("code")
    choices = [("", empty_label if empty_label is not None else _("全部"))]
    for code, name, level in regions.values_list("code", "name", "level"):
        choices.append((code, f"\u3000{name}" if level == "village" else name))
    return choices


def region_containing(
    *, latitude: float, longitude: float, level: str = RegionLevel.TOWN, approximate: bool = False
) -> Region | None:
    """The region of `level` whose outline holds the point (WGS84/GCJ-02 as the outlines were loaded), or None.

    Public geography, not anyone's records: it answers from the outlines alone. Only real outlines count unless
    `approximate` (the 示意 town areas are for drawing, not for deciding). The bbox columns narrow the candidates
    in SQL (index outline_bbox); shapely then tests the few geometries left.
    """
    latitude, longitude = float(latitude), float(longitude)
    candidates = RegionOutline.objects.filter(
        region__level=level, west__lte=longitude, east__gte=longitude, south__lte=latitude, north__gte=latitude
    ).select_related("region")
    if not approximate:
        candidates = candidates.filter(approximate=False)
    for outline in candidates.order_by("approximate", "region__code"):
        if geo.covers(outline.geometry, latitude=latitude, longitude=longitude):
            return outline.region
    return None


def town_outline_mismatch(*, region: Region, latitude: Any, longitude: Any) -> dict | None:
    """For coordinates recorded on a row of `region` (a village or town): None when they lie inside the town's real
    outline, or when there is nothing to check (no coordinates, no real outline); otherwise {"town": the region's
    town, "found": the town whose outline holds the point, or None}."""
    if latitude is None or longitude is None:
        return None
    town = region if region.level == RegionLevel.TOWN else region.parent
    if town is None or town.level != RegionLevel.TOWN:
        return None
    outline = RegionOutline.objects.filter(region=town, approximate=False).first()
    if outline is None or geo.covers(outline.geometry, latitude=float(latitude), longitude=float(longitude)):
        return None
    return {"town": town, "found": region_containing(latitude=latitude, longitude=longitude)}


def outlines(*, user: Any, level: str = RegionLevel.TOWN) -> list[dict]:
    """The outlines of the regions of `level` that `user` may see: code, name, approximate, geometry."""
    rows = (
        RegionOutline.objects.restrict(user, VIEW)
        .filter(region__level=level)
        .order_by("region__code")
        .values_list("region__code", "region__name", "approximate", "geometry")
    )
    return [
        {"code": code, "name": name, "approximate": approximate, "geometry": geometry}
        for code, name, approximate, geometry in rows
    ]


def outline_kinds(*, user: Any, level: str = RegionLevel.TOWN) -> set[bool]:
    """Which kinds of outline of `level` `user` may see: {False} real only, {True} approximate only, both, or none."""
    return set(
        RegionOutline.objects.restrict(user, VIEW).filter(region__level=level).values_list("approximate", flat=True)
        .distinct()
    )
