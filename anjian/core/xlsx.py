"""A streaming .xlsx writer for large exports (issue 7 item 2: 200,000 rows at ≥ 20,000 rows/s).

openpyxl's write-only mode and XlsxWriter's constant-memory mode, measured on the registry's 30 columns, write about
1,600 and 3,200 rows/s (docs/benchmarks.md): most of their time goes to per-cell objects and type dispatch. An
export needs one sheet of plain values with a bold header, so this writer emits the SpreadsheetML parts of
ECMA-376 Part 1 itself: each column's values are formatted by one function chosen once per column, rows are joined
as text and streamed into a deflated zip entry. Strings are inline (§18.3.1.4, `t="inlineStr"`), so nothing is
held in memory but the current batch of rows. openpyxl (in the tests) and Excel read the result.

Values: str (XML-escaped; control characters dropped; text that starts like a formula stays text: inline strings
are never evaluated), int, float, Decimal, bool (是/否), date and datetime (written as ISO text, the format the import
reads back), None (an empty cell).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from django.utils import timezone

# XML 1.0 forbids these characters (§2.2); openpyxl's ILLEGAL_CHARACTERS_RE is the same set.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
MAX_SHEET_TITLE = 31
_BATCH_ROWS = 1000

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Two cell formats: 0 the default, 1 bold (the header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_text(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _text(value: str) -> str:
    # str.isprintable is false for every character _ILLEGAL matches (and for some legal ones): a cheap test first.
    if not value.isprintable():
        value = _ILLEGAL.sub("", value)
    if "&" in value or "<" in value or ">" in value:
        value = value.translate(_ESCAPE)
    return value


def _string(value: str) -> str:
    if not value:
        return "<c/>"
    return f'<c t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'


def _number(value: int | Decimal) -> str:
    return f"<c><v>{value}</v></c>"


def _float(value: float) -> str:
    return f"<c><v>{value!r}</v></c>" if math.isfinite(value) else "<c/>"


def _bool(value: bool) -> str:
    return _string("是" if value else "否")


def _date(value: dt.date) -> str:
    return _string(value.isoformat())


def _datetime(value: dt.datetime) -> str:
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return _string(local.strftime("%Y-%m-%d %H:%M"))


def _empty(value: None) -> str:
    return "<c/>"


# One formatting function per value type, looked up once per cell (the hot loop of a 200,000-row export).
_FORMAT = {str: _string, int: _number, Decimal: _number, float: _float, bool: _bool, dt.date: _date,
           dt.datetime: _datetime, type(None): _empty}


def cell_xml(value: Any) -> str:
    """One <c> element for `value` (see the module's docstring for the types; anything else is written as text)."""
    format_value = _FORMAT.get(type(value))
    if format_value is None:
        return _string(str(value))
    return format_value(value)


def write(
    target: BinaryIO,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "Sheet1",
    widths: Sequence[int] = (),
    on_batch: Any = None,
) -> int:
    """Write one sheet (bold `headers`, then `rows`) to `target`; returns the number of data rows.

    `on_batch(rows_written)` is called after each batch of rows is written (progress, cancellation).
    """
    title = (sheet_title or "Sheet1")[:MAX_SHEET_TITLE]
    written = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _ROOT_RELS)
        package.writestr("xl/workbook.xml", _workbook(title))
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/></sheetView></sheetViews>'
            ]
            if widths:
                head.append("<cols>")
                head.extend(
                    f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                    for index, width in enumerate(widths, start=1)
                )
                head.append("</cols>")
            head.append("<sheetData><row>")
            head.extend(
                f'<c t="inlineStr" s="1"><is><t xml:space="preserve">{_text(str(header))}</t></is></c>'
                for header in headers
            )
            head.append("</row>")
            sheet.write("".join(head).encode())
            batch: list[str] = []
            formats = _FORMAT
            for row in rows:
                batch.append(
                    "<row>"
                    + "".join([(formats.get(type(value)) or cell_xml)(value) for value in row])
                    + "</row>"
                )
                if len(batch) == _BATCH_ROWS:
                    sheet.write("".join(batch).encode())
                    written += len(batch)
                    batch = []
                    if on_batch is not None:
                        on_batch(written)
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
            written += len(batch)
    return written


__all__ = ["cell_xml", "write"]
