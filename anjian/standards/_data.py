"""Read the package's own copies of the GB 18218-2018 tables (see data/SOURCES.md).

This is the only I/O in :mod:`anjian.standards`: files shipped inside the package, read once through
importlib.resources and cached, so the package never reaches outside itself at run time.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files


@cache
def read_csv(filename: str) -> tuple[dict[str, str], ...]:
    """Return the rows of ``data/<filename>`` as dicts keyed by the header row."""
    text = files("anjian.standards").joinpath("data", filename).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))
