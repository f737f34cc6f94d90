"""Progress of long work (issue 7 item 1): how an import or an export reports as it goes, and how it is stopped.

Bulk paths (anjian.core.importing, anjian.core.export) take an optional `progress` callback and call it every few
hundred rows with the rows done, the rows in all (None while unknown) and the phase's Chinese label. A job runner
records it for the progress bar; the command line draws it on a terminal. The callback stops the work by raising
`Cancelled`: an import then rolls back its transaction, so a cancelled job leaves nothing half-imported.
"""

from __future__ import annotations

from typing import Protocol


class Cancelled(Exception):
    """The person who started the work cancelled it; raised from a progress callback."""


class Progress(Protocol):
    def __call__(self, done: int, total: int | None, phase: str = "") -> None: ...


def silent(done: int, total: int | None, phase: str = "") -> None:
    """The default callback: nobody is watching."""


# How often (rows) a bulk path reports: often enough for a smooth bar, rarely enough to cost nothing.
EVERY_ROWS = 500

__all__ = ["EVERY_ROWS", "Cancelled", "Progress", "silent"]
