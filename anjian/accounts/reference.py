"""Loading the departments with safety duties (权责清单) from the packaged reference data (architecture rule 5)."""

from __future__ import annotations

import csv
from importlib import resources

from django.db import transaction

from anjian.accounts.models import Department

DEPARTMENTS_FILE = "departments.csv"


@transaction.atomic
def load_departments() -> int:
    """Create or update every department of accounts/data/departments.csv (see data/SOURCES.md: provisional)."""
    with (resources.files("anjian.accounts") / "data" / DEPARTMENTS_FILE).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        department = Department.objects.filter(code=row["code"]).first() or Department(code=row["code"])
        department.name = row["name"]
        department.short_name = row["short_name"]
        department.domains = [code for code in row["domains"].split(";") if code]
        department.basis = row["basis"]
        department.full_clean()
        department.save()
    return len(rows)
