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
TOWN_OUTLINES_FILE = "dongguan_towns.geojson"

# Parks named in the issue and the plan, placed in the town they lie in.
KNOWN_PARKS = (
    ("立沙岛精细化工园区", "441900123000", True),
    ("松山湖高新技术产业开发区", "441900401000", False),
)


def _data_file(name: str):
    return resources.files("anjian.regions") / "data" / name


def town_outlines() -> dict:
    """The GeoJSON FeatureCollection of town outlines (see data/SOURCES.md), or an empty collection."""
    path = _data_file(TOWN_OUTLINES_FILE)
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_divisions() -> int:
    """Create or update every region of the packaged divisions file; returns the number of rows."""
    with _data_file(DIVISIONS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    centres = {
        feature["properties"]["code"]: feature["properties"].get("center")
        for feature in town_outlines()["features"]
    }
    by_code: dict[str, Region] = {}
    for row in sorted(rows, key=lambda r: ["city", "town", "village"].index(r["level"])):
        centre = centres.get(row["code"])
        defaults = {
            "name": row["name"],
            "level": RegionLevel(row["level"]),
            "parent": by_code.get(row["parent_code"]),
            "prefix": row["short_code"],
            "unit_type": row["unit_type"],
            "longitude": Decimal(str(centre[0])).quantize(Decimal("0.000001")) if centre else None,
            "latitude": Decimal(str(centre[1])).quantize(Decimal("0.000001")) if centre else None,
        }
        region, _ = Region.objects.update_or_create(code=row["code"], defaults=defaults)
        by_code[region.code] = region
    for name, town_code, chemical in KNOWN_PARKS:
        IndustrialPark.objects.update_or_create(
            name=name, defaults={"region": by_code[town_code], "is_chemical_park": chemical}
        )
    return len(rows)
