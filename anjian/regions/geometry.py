"""Outline geometry of the jurisdiction tree: checking GeoJSON polygons and computing approximate town areas.

No database here: plain GeoJSON mappings in, Chinese messages or mappings out. Coordinates are (lng, lat) as
GeoJSON orders them. shapely (GEOS) does the geometry: validity, Voronoi cells, clipping, point in polygon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import voronoi_diagram
from shapely.validation import explain_validity

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# Where an outline of Dongguan may lie (lng/lat, the city outline's bbox widened by about 20 km): catches swapped
# axes and projected (metre) coordinates, which shapely would accept as valid geometry.
DONGGUAN_EXTENT = (113.3, 22.45, 114.45, 23.35)
# Decimals kept in computed outlines: 5 is about 1 m, far finer than an approximate area needs.
PRECISION = 5


def _validity_reasons() -> dict[str, str]:
    # GEOS's reasons (explain_validity), in Chinese; the longest names first so "Ring Self-intersection" wins.
    return {
        "Ring Self-intersection": _("环自相交"),
        "Self-intersection": _("边自相交"),
        "Too few points": _("点数过少"),
        "Hole lies outside shell": _("内环（孔）在外环之外"),
        "Nested holes": _("内环相互嵌套"),
        "Nested shells": _("多边形相互嵌套"),
        "Interior is disconnected": _("内部不连通"),
        "Duplicate Rings": _("环重复"),
        "Invalid Coordinate": _("坐标无效"),
        "Ring is not closed": _("环未闭合"),
    }


def _explain(geometry: BaseGeometry) -> str:
    """shapely's reason why a geometry is invalid, in Chinese, with the place it found (lng, lat)."""
    reason = explain_validity(geometry)
    place = ""
    match = re.search(r"\[([-\d.eE]+) ([-\d.eE]+)\]", reason)
    if match:
        place = _("（位置：经度 %(lng)s，纬度 %(lat)s）") % {"lng": match.group(1), "lat": match.group(2)}
    for name, label in _validity_reasons().items():
        if reason.startswith(name):
            return label + place
    return reason


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ring_errors(ring: Any, where: str) -> list[str]:
    if not isinstance(ring, list) or not all(
        isinstance(position, list) and len(position) >= 2 and _is_number(position[0]) and _is_number(position[1])
        for position in ring
    ):
        return [_("%(where)s的坐标格式错误（应为 [经度, 纬度] 的列表）") % {"where": where}]
    if len(ring) < 4:
        return [_("%(where)s的点数少于 4 个") % {"where": where}]
    if ring[0][:2] != ring[-1][:2]:
        return [_("%(where)s未闭合（首尾坐标不同）") % {"where": where}]
    west, south, east, north = DONGGUAN_EXTENT
    for lng, lat, *_rest in ring:
        if not (west <= lng <= east and south <= lat <= north):
            return [
                _(
                    "%(where)s有坐标（%(lng)s, %(lat)s）不在东莞市范围内（经度 %(west)s–%(east)s，"
                    "纬度 %(south)s–%(north)s；经纬度是否颠倒，或不是经纬度坐标？）"
                )
                % {"where": where, "lng": lng, "lat": lat, "west": west, "east": east, "south": south, "north": north}
            ]
    return []


def geometry_errors(geometry: Any) -> list[str]:
    """Why `geometry` is not a usable outline (empty list when it is): type, shape of the coordinates, closed
    rings of at least 4 points inside Dongguan, then GEOS validity (self-intersections and the like)."""
    if not isinstance(geometry, Mapping):
        return [_("缺少几何（geometry）")]
    kind = geometry.get("type")
    if kind not in POLYGON_TYPES:
        return [_("几何类型“%(type)s”不受支持，只接受 Polygon 或 MultiPolygon") % {"type": kind}]
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons or not all(isinstance(p, list) and p for p in polygons):
        return [_("坐标格式错误（coordinates 应为非空的环列表）")]
    errors: list[str] = []
    for number, polygon in enumerate(polygons, start=1):
        for ring_number, ring in enumerate(polygon, start=1):
            where = _("外环") if ring_number == 1 else _("第 %(n)s 个内环") % {"n": ring_number - 1}
            if kind == "MultiPolygon":
                where = _("第 %(n)s 个多边形的") % {"n": number} + where
            errors.extend(_ring_errors(ring, where))
    if errors:
        return errors
    parsed = shape(geometry)
    if not parsed.is_valid:
        return [_("几何无效：%(reason)s") % {"reason": _explain(parsed)}]
    if parsed.is_empty or parsed.area == 0:
        return [_("多边形面积为零")]
    return []


def bbox(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a GeoJSON geometry."""
    return tuple(float(value) for value in shape(geometry).bounds)  # type: ignore[return-value]


def covers(geometry: Mapping[str, Any], *, latitude: float, longitude: float) -> bool:
    """Whether the point lies inside the outline or on its edge."""
    return shape(geometry).covers(Point(float(longitude), float(latitude)))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PRECISION)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def _polygons_only(geometry: BaseGeometry) -> BaseGeometry:
    """The polygonal part of a clip result (an intersection may add stray lines or points where edges touch)."""
    if geometry.geom_type in POLYGON_TYPES:
        return geometry
    parts = [part for part in getattr(geometry, "geoms", []) if part.geom_type in POLYGON_TYPES]
    return shape({"type": "MultiPolygon", "coordinates": [mapping(p)["coordinates"] for p in parts]}) if parts else (
        shape({"type": "Polygon", "coordinates": []})
    )


def voronoi_areas(
    centres: Iterable[tuple[str, float, float]], clip: Mapping[str, Any], *, tolerance: float = 0.0005
) -> dict[str, dict]:
    """Approximate areas: the Voronoi cell of each centre (code, latitude, longitude), clipped to `clip` (a GeoJSON
    geometry, the city outline) and simplified by `tolerance` degrees (about 50 m). Returns code → GeoJSON geometry.

    Each point of the city goes to the nearest centre (in degrees, which at 23° N stretch east–west by about 8 %:
    immaterial for an area drawn as 示意). A centre outside `clip`, or whose clipped cell is empty, gets no area.
    """
    centres = list(centres)
    city = shape(clip)
    if not city.is_valid:
        city = city.buffer(0)
    points = {code: Point(float(lng), float(lat)) for code, lat, lng in centres}
    if len(points) < 2:
        return {code: mapping(city) for code in points if city.covers(points[code])}
    cells = voronoi_diagram(MultiPoint(list(points.values())), envelope=city.envelope.buffer(0.1))
    areas: dict[str, dict] = {}
    for cell in cells.geoms:
        code = next((code for code, point in points.items() if cell.covers(point)), None)
        if code is None or not city.covers(points[code]):
            continue
        area = _polygons_only(cell.intersection(city).simplify(tolerance, preserve_topology=True))
        if area.is_empty:
            continue
        geometry = mapping(area)
        areas[code] = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
    return areas
