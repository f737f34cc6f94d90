"""Loading the GB/T 4754-2017 industry classification from the packaged reference data."""

from __future__ import annotations

import csv
from importlib import resources

from django.db import transaction

from anjian.enterprises.models import Industry

INDUSTRY_FILE = "industry_gbt4754_2017.csv"


@transaction.atomic
def load_industries() -> int:
    with (resources.files("anjian.enterprises") / "data" / INDUSTRY_FILE).open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: int(row["level"]))
    existing = set(Industry.objects.values_list("code", flat=True))
    for row in rows:
        values = {
            "name": row["name"],
            "level": int(row["level"]),
            "parent_id": row["parent_code"] or None,
            "section": row["section"],
            "description": row["description"],
        }
        if row["code"] in existing:
            Industry.objects.filter(code=row["code"]).update(**values)
        else:
            Industry.objects.create(code=row["code"], **values)
    return len(rows)
