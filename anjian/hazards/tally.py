"""Running counts of hazards for the statistics (issue 8 item 7 and "Must show": the city's dashboard under 500 ms).

Stub: the interface the other parts of the app call; the counts themselves land with the tally tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def count_created(hazards: Iterable[Any]) -> None:
    """Count hazards written in bulk without Hazard.save() (an import's bulk_create): call in the same transaction."""


def rebuild() -> None:
    """Count every hazard again from scratch (after raw bulk inserts or deletes: the demo generator, a benchmark)."""
