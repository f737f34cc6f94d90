"""Loading the jurisdiction tree from the packaged reference data (architecture rule 5)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anjian.regions import geometry as geo
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region, RegionOutline

DIVISIONS_FILE = "divisions_dongguan.csv"
CITY_OUTLINE_FILE = "dongguan_city.geojson"
TOWN_CENTRES_FILE = "town_centres.csv"

# Parks named in the issue and the plan, placed in the town they lie in.
KNOWN_PARKS = (
    ("立沙岛精细化工园区", "441900123000", True),
    ("松山湖高新技术产业开发区", "441900401000", False),
)


def _data_file(name: str):
    return resources.files("anjian.regions") / "data" / name


def city_outline() -> dict | None:
    """The GeoJSON Feature of Dongguan's outline (see data/SOURCES.md: GCJ-02, background use only)."""
    path = _data_file(CITY_OUTLINE_FILE)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def city_bounds() -> tuple[float, float, float, float]:
    """(west, south, east, north) of the city outline; geometry.DONGGUAN_EXTENT when the file is missing. Read once
    per process: the packaged file changes only with a release."""
    outline = city_outline()
    if outline is None:
        return geo.DONGGUAN_EXTENT
    return geo.bbox(outline["geometry"])


def _town_centres() -> dict[str, tuple[Decimal, Decimal]]:
    """Approximate town centres (latitude, longitude): provisional, see data/SOURCES.md."""
    with _data_file(TOWN_CENTRES_FILE).open(encoding="utf-8") as handle:
        return {row["code"]: (Decimal(row["latitude"]), Decimal(row["longitude"])) for row in csv.DictReader(handle)}


@transaction.atomic
def load_divisions() -> int:
    """Create or update every region of the packaged divisions file; returns the number of rows."""
    with _data_file(DIVISIONS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    centres = _town_centres()
    by_code: dict[str, Region] = {}
    for row in sorted(rows, key=lambda r: ["city", "town", "village"].index(r["level"])):
        centre = centres.get(row["code"])
        defaults = {
            "name": row["name"],
            "level": RegionLevel(row["level"]),
            "parent": by_code.get(row["parent_code"]),
            "prefix": row["short_code"],
            "unit_type": row["unit_type"],
            "latitude": centre[0] if centre else None,
            "longitude": centre[1] if centre else None,
        }
        region, _ = Region.objects.update_or_create(code=row["code"], defaults=defaults)
        by_code[region.code] = region
    for name, town_code, chemical in KNOWN_PARKS:
        IndustrialPark.objects.update_or_create(
            name=name, defaults={"region": by_code[town_code], "is_chemical_park": chemical}
        )
    return len(rows)


APPROXIMATE_SOURCE = "voronoi:town_centres.csv+dongguan_city.geojson"
# Where load-boundaries finds a feature's region code, in this order (documented in the command's help).
CODE_PROPERTIES = ("code", "adcode", "代码")
DONGGUAN_PREFIX = "4419"


@transaction.atomic
def load_approximate_outlines() -> int:
    """Store the 示意 areas of the towns that have a centre and no real outline: the Voronoi cells of the town
    centres clipped to the city outline (data/SOURCES.md). Computed here, at load-reference time, never per request.
    Returns how many towns have an approximate area."""
    outline = city_outline()
    towns = Region.objects.filter(level=RegionLevel.TOWN, latitude__isnull=False, longitude__isnull=False)
    centres = [(code, float(lat), float(lng)) for code, lat, lng in towns.values_list("code", "latitude", "longitude")]
    if outline is None or not centres:
        return 0
    areas = geo.voronoi_areas(centres, outline["geometry"])
    real = set(RegionOutline.objects.filter(approximate=False).values_list("region__code", flat=True))
    by_code = {region.code: region for region in towns}
    count = 0
    for code, geometry in areas.items():
        if code in real:
            continue
        west, south, east, north = geo.bbox(geometry)
        RegionOutline.objects.update_or_create(
            region=by_code[code],
            defaults={
                "geometry": geometry, "west": west, "south": south, "east": east, "north": north,
                "approximate": True, "source": APPROXIMATE_SOURCE,
            },
        )
        count += 1
    return count


@dataclass
class BoundaryImport:
    """What load_boundaries found: the outlines it would write, and the errors (one line per problem)."""

    outlines: list[tuple[Region, dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class BoundaryImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def _feature_code(properties: Any) -> str | None:
    if not isinstance(properties, dict):
        return None
    for name in CODE_PROPERTIES:
        value = properties.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _normalised_code(code: str) -> str:
    """A 9-digit town code becomes its 12-digit form (…000); other lengths are left for the checks to refuse."""
    return code + "000" if len(code) == 9 and code.isdigit() else code


def check_boundaries(data: Any) -> BoundaryImport:
    """Check every feature of a GeoJSON FeatureCollection of town and village outlines; write nothing."""
    result = BoundaryImport()
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        result.errors.append(_("文件不是 GeoJSON 要素集合（FeatureCollection）。"))
        return result
    if not data["features"]:
        result.errors.append(_("文件中没有任何要素。"))
        return result
    wanted = {}
    for number, feature in enumerate(data["features"], start=1):
        raw = _feature_code(feature.get("properties")) if isinstance(feature, dict) else None
        wanted[number] = _normalised_code(raw) if raw else None
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in=[code for code in wanted.values() if code])
    }
    seen: dict[str, int] = {}
    for number, feature in enumerate(data["features"], start=1):
        code = wanted[number]
        label = _("第 %(n)s 个要素") % {"n": number} + (f"（{code}）" if code else "")
        problems: list[str] = []
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.errors.append(_("%(label)s：不是 GeoJSON 要素（Feature）。") % {"label": label})
            continue
        region = None
        if not code:
            problems.append(_("缺少区划代码（属性 code、adcode 或 代码）"))
        elif not (code.isdigit() and len(code) == 12):
            problems.append(_("区划代码“%(code)s”格式错误，应为 12 位（或镇街 9 位）数字") % {"code": code})
        elif not code.startswith(DONGGUAN_PREFIX):
            problems.append(_("区划代码“%(code)s”不是东莞市（4419）的代码") % {"code": code})
        elif code not in regions:
            problems.append(_("区划代码“%(code)s”不在行政区划表中") % {"code": code})
        elif regions[code].level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            problems.append(_("只导入镇街和村（社区）的范围，“%(name)s”是市级") % {"name": regions[code].name})
        elif code in seen:
            problems.append(_("与第 %(n)s 个要素的区划代码重复") % {"n": seen[code]})
        else:
            region = regions[code]
            seen[code] = number
        problems.extend(geo.geometry_errors(feature.get("geometry")))
        if problems:
            result.errors.extend(_("%(label)s：%(problem)s。") % {"label": label, "problem": p} for p in problems)
        elif region is not None:
            result.outlines.append((region, feature["geometry"]))
    return result


def load_boundaries(path: str | Path, *, check_only: bool = False) -> int:
    """Import town and village outlines from a GeoJSON file, all or nothing; returns how many were stored (or, with
    `check_only`, would be: nothing is written then).

    Raises BoundaryImportError with one Chinese line per problem (and writes nothing) when any feature is refused.
    A real outline replaces the region's approximate one.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise BoundaryImportError([_("找不到文件：%(path)s") % {"path": path}]) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryImportError([_("文件不是有效的 JSON（UTF-8）：%(error)s") % {"error": error}]) from error
    result = check_boundaries(data)
    if result.errors:
        raise BoundaryImportError(result.errors)
    if check_only:
        return len(result.outlines)
    with transaction.atomic():
        for region, geometry in result.outlines:
            west, south, east, north = geo.bbox(geometry)
            RegionOutline.objects.update_or_create(
                region=region,
                defaults={
                    "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
                    "west": west, "south": south, "east": east, "north": north,
                    "approximate": False, "source": path.name[:200],
                },
            )
    return len(result.outlines)
