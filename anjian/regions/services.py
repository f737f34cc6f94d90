"""Loading the jurisdiction tree from the packaged reference data (architecture rule 5)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from importlib import resources

from django.db import transaction

from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region

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
