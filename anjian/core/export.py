"""Excel export of a filtered list: rows pulled from the database in chunks, streamed by anjian.core.xlsx.

An `ExportSource` says what to write; `write_xlsx` writes it to a file (a job's result, issue 7 item 1) and
`xlsx_response` to a download spooled in a temporary file (memory first, disk past a few MB). `set_safe_value`
serves the workbooks still built with openpyxl (import templates and error reports).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy
from django_tables2.rows import BoundRow
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anjian.core import xlsx
from anjian.core.progress import Progress, silent

# Characters with which a spreadsheet starts a formula: written as text so a cell like "=HYPERLINK(...)"
# typed into a record can never run in the reader's Excel (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_SHEET_TITLE = 31
EXPORTING = gettext_lazy("导出")


def _cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        # Excel has no time zones: show the local (Asia/Shanghai) wall time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | dt.date):
        return value
    # Control characters (from an API client or a pasted text) cannot be stored in .xlsx: drop them.
    return ILLEGAL_CHARACTERS_RE.sub("", force_str(value))


def set_safe_value(cell: Any, value: Any) -> None:
    """Put `value` in an openpyxl cell as data: control characters dropped, formula-like text kept as text."""
    cell.value = _cell_value(value)
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"


@dataclass(frozen=True)
class ExportSource:
    """What an export writes: the header, a way to produce the rows (once), how many there are, and its names.

    A list view builds one for the user and the filters of a request (ObjectListView.export_source); a job runner
    writes it to a file with `write_xlsx`, reporting progress (issue 7 item 1).
    """

    headers: Sequence[str]
    rows: Callable[[], Iterable[Sequence[Any]]]
    total: int
    filename: str
    sheet_title: str = "Sheet1"
    widths: Sequence[int] = ()


def write_xlsx(target: BinaryIO, source: ExportSource, *, progress: Progress = silent) -> int:
    """Write `source` as an .xlsx workbook to `target` (anjian.core.xlsx); returns the number of data rows.

    The progress callback may raise anjian.core.progress.Cancelled; the partial file is then the caller's to delete.
    """
    progress(0, source.total, EXPORTING)
    written = xlsx.write(
        target,
        headers=source.headers,
        rows=source.rows(),
        sheet_title=source.sheet_title,
        widths=source.widths,
        on_batch=lambda done: progress(done, source.total, EXPORTING),
    )
    progress(written, source.total, EXPORTING)
    return written


def xlsx_response(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, sheet_title: str = "Sheet1"
) -> FileResponse:
    """An .xlsx download of `headers` and `rows` (any iterable: it is consumed once)."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    xlsx.write(spool, headers=headers, rows=rows, sheet_title=sheet_title)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def table_source(
    table, queryset: QuerySet, *, total: int, filename: str, sheet_title: str, exclude: Sequence[str] = ()
) -> ExportSource:
    """The columns of a django-tables2 `table` (its `value_<column>` methods) for every row of `queryset`.

    Rows come from `queryset.iterator()` instead of the table's own data so nothing is cached in memory.
    """
    columns = [column for column in table.columns.iterall() if column.name not in exclude and column.visible]
    headers = [force_str(column.header) for column in columns]

    def rows():
        for record in queryset.iterator(chunk_size=2000):
            bound = BoundRow(record, table=table)
            yield [bound.get_cell_value(column.name) for column in columns]

    return ExportSource(headers=headers, rows=rows, total=total, filename=filename, sheet_title=sheet_title)


def export_table(table, queryset: QuerySet, *, filename: str, sheet_title: str, exclude: Sequence[str] = ()):
    """An .xlsx download of `table_source` in the request (small lists)."""
    source = table_source(table, queryset, total=0, filename=filename, sheet_title=sheet_title, exclude=exclude)
    return xlsx_response(headers=source.headers, rows=source.rows(), filename=filename, sheet_title=sheet_title)
