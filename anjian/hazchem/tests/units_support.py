"""A few rows of the packaged catalogue for the unit tests: loading all 2,800 rows (with their pinyin) in every test
costs about a second each, and the unit tests name only these chemicals."""

from __future__ import annotations

import functools

from anjian.hazchem.models import Chemical
from anjian.hazchem.reference import (
    CATALOGUE_FILE,
    catalogue_values,
    key_supervised_matchers,
    load_key_processes,
    read_rows,
)

NAMES = ("氯", "氨", "甲醇", "氯乙烯[稳定的]", "汽油", "苯", "液化石油气", "硫酸")


@functools.cache
def _rows() -> tuple[tuple[int, int, dict], ...]:
    key_numbers, key_names = key_supervised_matchers()
    return tuple((int(row["seq"]), int(row["sub_row"]), catalogue_values(row, key_numbers, key_names))
                 for row in read_rows(CATALOGUE_FILE) if row["name"] in NAMES)


def seed_catalogue() -> None:
    """The catalogue rows of NAMES, as `anjian load-reference` stores them, and the 18 key processes."""
    chemicals = []
    for number, sub_row, values in _rows():
        chemical = Chemical(catalogue_number=number, sub_row=sub_row, **values)
        chemical.refresh_initials()
        chemicals.append(chemical)
    Chemical.objects.bulk_create(chemicals)
    load_key_processes()
