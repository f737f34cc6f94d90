"""Generic spreadsheet import (issue 6 item 8): a module declares its columns, this engine does the rest.

A module describes one import with an `ImportSpec`: its model, the upsert key, the columns, the reference tables a
file needs (`lookups`), a per-row rule the model cannot check itself (`check`, e.g. the jurisdiction of the row's
region) and the service that saves one row (`save`). `dry_run` parses and validates every row and writes nothing;
`commit` runs the same validation again and, only when no row has an error, saves every new or changed row
through the module's service inside one transaction, so history, audit and the service's jurisdiction re-check
apply and any failure rolls everything back (architecture rule 6). The same spec drives the error report and the
template workbook. The engine knows no domain: regions, enterprises and their rules stay in the module.

Files are .xlsx (first sheet) or .csv in UTF-8 with or without BOM, or GBK (what Chinese Excel saves).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import functools
import gc
import io
import operator
import re
import secrets
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.export import ExportSource, set_safe_value
from anjian.core.progress import EVERY_ROWS, Progress, silent
from anjian.core.scope import CHANGE, jurisdiction_of
from anjian.core.uploads import validate_upload
from anjian.core.validation import CleanPlan

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Bounds on what an .xlsx may unpack to (issue 7 item 8): a 50,000-row export of the registry unpacks to about
# 60 MB, so these leave room for formatting and refuse zip bombs before anything is read.
MAX_UNPACKED_PART = 160 * 1024 * 1024
MAX_UNPACKED_TOTAL = 200 * 1024 * 1024
MAX_XLSX_PARTS = 1000
# A cell longer than this is refused without being echoed back (no field of an import is longer than 500).
MAX_CELL_CHARS = 2000
# What an error message quotes of a cell, at most.
QUOTE_CHARS = 40
IMPORT_REASON = "批量导入"
# Phases an import reports to its progress callback (anjian.core.progress).
VALIDATING = gettext_lazy("校验")
WRITING = gettext_lazy("写入")
# An uploaded file waits between the dry run and the commit for at most this long (anjian.core.views_import).
PENDING_LIFETIME = dt.timedelta(days=1)
ERROR_COLUMN = "错误"
# CSV has no magic bytes: any leading bytes pass the signature test, text-ness is checked separately.
IMPORT_SIGNATURES: dict[str, tuple[bytes, ...]] = {".xlsx": (b"PK\x03\x04",), ".csv": (b"",)}
_LOOKUP_CHUNK = 2000
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "", "×"}
# A count: digits, optionally with a zero fraction (Excel's 30.0); a decimal: at most 15 digits before the point.
_COUNT_RE = re.compile(r"\+?\d{1,15}(?:\.0*)?")
_DECIMAL_RE = re.compile(r"[+-]?\d{1,15}(?:\.\d{0,15})?|[+-]?\.\d{1,15}")
# The largest count an import accepts (PositiveIntegerField's range on every database).
MAX_COUNT = 2_147_483_647
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
# Choice values (machine codes) are accepted in cells but not offered in the "可选" list of an error message.
_CHOICE_VALUE_RE = re.compile(r"[a-z0-9_]+")

Lookups = Mapping[str, Any]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, size, encoding, header, too many rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """One cell is refused; the message is shown at that cell. Custom parsers raise it too."""


class Kind(StrEnum):
    TEXT = "text"  # stripped text, at most the model field's max_length
    INT = "int"  # a non-negative integer (a count); blank takes the field's default
    DECIMAL = "decimal"  # rounded half-up to the model field's decimal places; blank is None
    DATE = "date"  # 2027-12-31, 2027/12/31, 2027.12.31, 2027年12月31日 or 20271231; blank is None
    FLAG = "flag"  # 是 / 否 (and y/n, true/false, 1/0, √/×); blank is 否
    CHOICE = "choice"  # a label of `choices` (TextChoices), its value, or an alias; blank takes the default
    LOOKUP = "lookup"  # a key of the reference table `lookup` in the file's lookups; blank is None
    CUSTOM = "custom"  # `parse(text, lookups)` returns the value or raises CellError


# Kinds whose template cells are formatted as text, so Excel keeps codes, leading zeros and long digits as typed.
_TEXT_FORMAT_KINDS = {Kind.TEXT, Kind.DECIMAL, Kind.DATE, Kind.LOOKUP, Kind.CUSTOM}


@dataclass(frozen=True)
class Column:
    """One column of an import file, as people see it (label, width, rule) and as it reaches the model (field)."""

    label: str
    field: str
    kind: Kind | str
    required: bool = False
    width: int = 14
    rule: str = ""
    _: KW_ONLY
    choices: type[models.Choices] | None = None
    # Further spellings of a choice: text in the cell → stored value (e.g. “小微” for “小微企业”).
    aliases: Mapping[str, str] | None = None
    # LOOKUP: the name of the table in the file's lookups, and the message when the key is missing (%(value)s).
    lookup: str = ""
    missing: str = ""
    parse: Callable[[str, Lookups], Any] | None = None
    # How the preview shows a stored value (default: str, labels for choices, 是/否 for flags).
    display: Callable[[Any], str] | None = None
    # What an export writes in this column, as a values() path: a foreign key's import key (e.g. "region__code").
    # Default: the field itself; a relation must name one to be exported (an id would not import back).
    export_path: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class FieldChange:
    column: str
    before: str
    after: str


@dataclass
class PlannedRow:
    row: int
    obj: models.Model
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class Row:
    """One data row being validated, as a spec's `check` hook sees it."""

    number: int
    obj: models.Model
    is_new: bool
    lookups: Lookups
    spec: ImportSpec
    failed: set[str] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=list)

    def error(self, field_name: str, message: str) -> None:
        """Refuse the row at `field_name`'s cell; the model's own check then skips that field."""
        column = self.spec.column_by_field.get(field_name)
        self.errors.append(RowError(self.number, column.label if column else "", str(message)))
        self.failed.add(field_name)


@dataclass(frozen=True, eq=False)
class ImportSpec:
    """What a module declares to import its model; see `anjian.enterprises.importing.SPEC` for an example.

    save(*, actor, obj, reason) is the module's service: it checks permission, runs full_clean, writes history and
    the audit event and re-checks the jurisdiction after saving. lookups(actor) builds, once per file, the reference
    tables LOOKUP and CUSTOM columns read (and anything `check` needs). check(row) adds errors with row.error().
    Rows the actor may change are loaded through the gate, `restrict(actor, CHANGE)` on the model's default manager;
    a key that exists outside them answers `forbidden_message` instead of being created a second time.
    """

    model: type[models.Model]
    key: str
    columns: tuple[Column, ...]
    save: Callable[..., Any]
    _: KW_ONLY
    lookups: Callable[[Any], Lookups] | None = None
    check: Callable[[Row], None] | None = None
    # How a key cell is compared with stored keys (e.g. str.upper for codes with letters).
    normalize_key: Callable[[str], str] | None = None
    # Fields the model checks together (e.g. latitude and longitude): when one cell fails, the others are not
    # reported again by the model's check.
    together: tuple[tuple[str, ...], ...] = ()
    reason: str = IMPORT_REASON
    # The template's data sheet; its “说明” sheet starts with `notes`, then the rules every import shares.
    sheet_title: str = "导入数据"
    notes: tuple[str, ...] = ()
    example: Callable[[Any], Mapping[str, Any]] | None = None
    # A key that exists outside the rows the actor may change; a save the service refuses without a message.
    forbidden_message: str = gettext_lazy("无权修改该记录。")
    refused_message: str = gettext_lazy("无权保存该记录。")
    # Columns an export adds for people to read (e.g. the town's name) as (label, values() path); an import of
    # the exported file accepts and ignores them.
    export_extras: tuple[tuple[str, str], ...] = ()
    # Keys of the template's example rows: such a row is refused, so an untouched template imports nothing.
    example_keys: frozenset[str] = frozenset()
    # True when `save` is scoped_save and nothing more: the commit then writes all rows at once through
    # anjian.core.services.scoped_bulk_save (same rules, history rows, one audit event for the import).
    bulk: bool = False
    # A relation column the key is unique within (issue 8 item 7: a campaign's 外部编号 is unique per enterprise):
    # a row is then identified by that cell, compared with the stored row's `export_path` value after
    # `normalize_within`, together with the key.
    key_within: str = ""
    normalize_within: Callable[[str], str] | None = None
    # Columns whose distinct cell texts `lookups` receives as `named=` (field → set of texts), so that it reads only
    # the reference rows the file names (a city's 200,000 enterprises for a file that names a few hundred).
    lookup_columns: tuple[str, ...] = ()
    # Relations outside the columns that `check` sets to a row it read itself (the importer as a hazard's finder):
    # not looked up again for every row.
    preset_relations: tuple[str, ...] = ()
    # Bulk only: Meta.constraints the spec's validation decides for every row (the upsert key's uniqueness, rules
    # its `check` enforces), which the commit then does not ask the database row by row.
    checked_constraints: tuple[str, ...] = ()
    # Bulk only: bulk_written(actor=, created=, changed=) with the rows written, in the commit's transaction, after
    # they are written: what the model's save() or the module's service would also have done (running counts,
    # notices after the commit).
    bulk_written: Callable[..., None] | None = None

    def __post_init__(self) -> None:
        fields = [column.field for column in self.columns]
        labels = [column.label for column in self.columns]
        if len(set(fields)) != len(fields) or len(set(labels)) != len(labels):
            raise ImproperlyConfigured(f"{self.model.__name__} import: a column field or label appears twice")
        key = self.column_by_field.get(self.key)
        if key is None or not key.required:
            raise ImproperlyConfigured(f"{self.model.__name__} import: the key {self.key!r} must be a required column")
        needs = {Kind.CHOICE: "choices", Kind.LOOKUP: "lookup", Kind.CUSTOM: "parse"}
        for column in self.columns:
            if column.kind not in tuple(Kind):
                raise ImproperlyConfigured(f"{self.model.__name__} import: unknown kind {column.kind!r}")
            attribute = needs.get(Kind(column.kind))
            if attribute and not getattr(column, attribute):
                raise ImproperlyConfigured(f"{self.model.__name__} import: column {column.field!r} needs {attribute}")
            try:
                self.model._meta.get_field(column.field)
            except FieldDoesNotExist as error:
                raise ImproperlyConfigured(f"{self.model.__name__} import: {error}") from error
        within = self.column_by_field.get(self.key_within) if self.key_within else None
        if self.key_within and (within is None or not within.required or not within.export_path):
            raise ImproperlyConfigured(
                f"{self.model.__name__} import: key_within {self.key_within!r} must be a required column with an "
                "export_path"
            )

    @cached_property
    def column_by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}

    @cached_property
    def column_by_label(self) -> dict[str, Column]:
        return {column.label: column for column in self.columns}

    @cached_property
    def relations(self) -> frozenset[str]:
        """Columns that are foreign keys: compared by id, and resolved from the lookups rather than per row."""
        return frozenset(
            column.field for column in self.columns if self.model._meta.get_field(column.field).is_relation
        )

    @cached_property
    def model_fields(self) -> dict[str, models.Field]:
        return {column.field: self.model._meta.get_field(column.field) for column in self.columns}

    @cached_property
    def choice_display(self) -> dict[str, dict[str, str]]:
        """Stored value → Chinese label, per CHOICE column (the preview shows labels, not codes)."""
        with translation.override("zh-hans"):
            return {
                column.field: {value: str(label) for value, label in column.choices.choices}
                for column in self.columns
                if column.kind == Kind.CHOICE
            }

    @cached_property
    def export_extra_labels(self) -> frozenset[str]:
        return frozenset(normalize_header(label) for label, _path in self.export_extras)

    def key_of(self, value: Any) -> str:
        text = cell_text(value)
        return self.normalize_key(text) if self.normalize_key else text

    def within_of(self, value: Any) -> str:
        text = cell_text(value)
        return self.normalize_within(text) if self.normalize_within else text

    def identity(self, key: str, within: Any = None) -> Identity:
        """What identifies a row: its key, or (the key_within value, the key); None for a blank key."""
        if not key:
            return None
        return (self.within_of(within), key) if self.key_within else key


# A row's identity in an import: the key, or (the key_within value, the key) (ImportSpec.identity).
Identity = str | tuple[str, str] | None


def key_part(identity: Identity) -> str:
    return identity[1] if isinstance(identity, tuple) else (identity or "")


@dataclass
class Table:
    """The uploaded rows: the header as written and each non-empty data row with its row number in the file."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class ImportResult:
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    to_create: list[PlannedRow] = field(default_factory=list)
    to_update: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    spec: ImportSpec | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        return _("共 %(rows)d 行：新增 %(create)d，更新 %(update)d，无变化 %(same)d，错误 %(errors)d 处。") % {
            "rows": self.row_count,
            "create": len(self.to_create),
            "update": len(self.to_update),
            "same": len(self.unchanged),
            "errors": len(self.errors),
        }


# ---------------------------------------------------------------------------------------------------------------
# Reading the file


def check_upload(upload: Any) -> str:
    """Refuse what is not an import file (size, type, content); return the extension (.xlsx or .csv)."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    if size > MAX_BYTES:
        raise ImportFileError(
            _("文件过大（%(size).1f MB），导入文件上限为 %(limit)d MB。")
            % {"size": size / 1048576, "limit": MAX_BYTES // 1048576}
        )
    if size == 0:
        raise ImportFileError(_("文件为空。"))
    extension = PurePath(name).suffix.lower()
    if extension not in IMPORT_SIGNATURES:
        raise ImportFileError(_("只能导入 .xlsx 或 .csv 文件。"))
    probe = _SizedProbe(upload, size, name)
    try:
        validate_upload(probe, allowed=IMPORT_SIGNATURES)
    except ValidationError as error:
        raise ImportFileError(" ".join(error.messages)) from error
    if extension == ".csv":
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head or _decode_head(head) is None:
            raise ImportFileError(_("CSV 文件内容不是文本（应为 UTF-8 或 GBK 编码）。"))
    return extension


class _SizedProbe:
    """What validate_upload reads (size, name, seek/read/tell) for any binary file object."""

    def __init__(self, handle: Any, size: int, name: str) -> None:
        self._handle, self.size, self.name = handle, size, name

    def tell(self) -> int:
        return self._handle.tell()

    def seek(self, position: int) -> None:
        self._handle.seek(position)

    def read(self, count: int) -> bytes:
        return self._handle.read(count)


def _decode_head(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):
        try:
            # Incremental decoding: the 4 KB sample may end inside a multi-byte character.
            return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
    return None


def read_table(handle: BinaryIO, extension: str) -> Table:
    """The header row (the first non-blank row) and every non-blank data row, cut or padded to the header."""
    handle.seek(0)
    rows = _xlsx_rows(handle) if extension == ".xlsx" else _csv_rows(handle)
    header: list[str] | None = None
    data: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if header is None:
            if all(_is_blank(cell) for cell in cells):
                continue
            header = [cell_text(cell) for cell in cells]
            while header and not header[-1]:
                header.pop()
            continue
        cells = list(cells[: len(header)])
        if all(_is_blank(cell) for cell in cells):
            continue
        if len(data) >= MAX_ROWS:
            raise ImportFileError(_("文件超过 %(limit)d 行数据，请拆分后分批导入。") % {"limit": MAX_ROWS})
        cells += [None] * (len(header) - len(cells))
        data.append((number, cells))
    if header is None:
        raise ImportFileError(_("文件中没有表头和数据。"))
    return Table(header=header, rows=data)


def _check_xlsx_package(handle: BinaryIO) -> None:
    """Refuse a workbook whose parts would unpack beyond what an import can hold (issue 7 item 8).

    An .xlsx is a zip: 0.5 MB of shared strings once unpacked to 500 MB and held a worker at 5 GB. The sizes the
    zip directory declares are checked before anything is unpacked, and the reader stops at the declared size.
    """
    try:
        with zipfile.ZipFile(handle) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("无法读取该 .xlsx 文件，请确认它是完好的 Excel 工作簿。")) from error
    total = sum(part.file_size for part in parts)
    largest = max((part.file_size for part in parts), default=0)
    if len(parts) > MAX_XLSX_PARTS or largest > MAX_UNPACKED_PART or total > MAX_UNPACKED_TOTAL:
        raise ImportFileError(
            _("该 .xlsx 文件解压后过大（%(size)d MB，上限 %(limit)d MB），请删除多余的工作表、格式或图片后再导入。")
            % {"size": total // 1048576, "limit": MAX_UNPACKED_TOTAL // 1048576}
        )
    handle.seek(0)


def _xlsx_rows(handle: BinaryIO) -> Iterator[tuple[int, list[Any]]]:
    # python-calamine (Rust) reads a 50,000-row sheet about ten times faster than openpyxl (docs/benchmarks.md).
    from python_calamine import CalamineError, CalamineWorkbook

    _check_xlsx_package(handle)
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        # The data sheet is the first one; the template's second sheet “说明” is documentation.
        sheet = workbook.get_sheet_by_index(0)
        # Rows come from the first row of the sheet (row 1), so numbers match what Excel shows.
        yield from enumerate(sheet.iter_rows(), start=1)
    except ImportFileError:
        raise
    except (CalamineError, ValueError, IndexError, OSError) as error:
        raise ImportFileError(_("无法读取该 .xlsx 文件，请确认它是完好的 Excel 工作簿。")) from error


def _csv_rows(handle: BinaryIO) -> Iterator[tuple[int, list[Any]]]:
    raw = handle.read()
    text = None
    # utf-8-sig strips a BOM if present; Chinese Excel saves “CSV” in GBK, which GB18030 covers.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ImportFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。"))
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as error:
        raise ImportFileError(_("CSV 文件格式错误：%(error)s") % {"error": error}) from error


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: Excel stores codes and phone numbers typed without a leading ' as numbers."""
    if type(value) is str:  # most cells: answered before the type checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def normalize_header(label: str) -> str:
    """Tolerate what people do to headers: spaces, a required-marker *, half-width parentheses."""
    label = re.sub(r"\s+", "", label).strip("*＊")
    return label.replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------------------------------------------------------
# Validating rows


Parser = Callable[[Any], Any]


@dataclass
class _FileState:
    """What validating one file needs, loaded once: the rows the actor may change, the module's lookups, and the
    per-file plans (each column's parser, the model's field checks) that the rows then run (issue 7 item 2)."""

    changeable: dict[str, models.Model]
    existing: set[str]
    lookups: Lookups
    labels: dict[str, dict[str, str]]
    # Foreign key field → stored id → the related row, for the stored rows' relations (the preview's “before”).
    related: dict[str, dict[Any, models.Model]] = field(default_factory=dict)

    @classmethod
    def load(cls, spec: ImportSpec, actor: Any, identities: set[Identity],
             named: Mapping[str, set[str]] | None = None) -> _FileState:
        changeable: dict[Identity, models.Model] = {}
        existing: set[Identity] = set()
        ordered = sorted({key_part(identity) for identity in identities if identity})
        manager = spec.model._default_manager
        within_path = spec.column_by_field[spec.key_within].export_path if spec.key_within else ""
        # An actor who may change every row has just been shown every stored key (issue 7 item 2: a city-wide
        # import of 25,000 new rows asked again for each of them).
        sees_all = jurisdiction_of(actor, CHANGE, spec.model).everything
        for start in range(0, len(ordered), _LOOKUP_CHUNK):
            chunk = ordered[start: start + _LOOKUP_CHUNK]
            # No select_related: a join per row built a new object per row and relation (a third of the load at
            # 25,000 stored rows); the related rows are read once per distinct id below (issue 7 item 2).
            stored = manager.restrict(actor, CHANGE).filter(**{f"{spec.key}__in": chunk}).order_by()
            if within_path:
                stored = stored.annotate(import_within=F(within_path))
            for obj in stored:
                key = getattr(obj, spec.key)
                identity = (spec.within_of(obj.import_within), key) if within_path else key
                changeable[identity] = obj
                existing.add(identity)
            # Unrestricted on purpose and never shown: a key registered outside the actor's jurisdiction must
            # answer `forbidden_message` rather than be created a second time; nothing else about it is revealed.
            if sees_all:
                continue
            others = manager.filter(**{f"{spec.key}__in": chunk})
            if within_path:
                pairs = others.values_list(within_path, spec.key)
                existing.update((spec.within_of(within), key) for within, key in pairs)
            else:
                missing = [key for key in chunk if key not in changeable]
                if missing:
                    existing.update(manager.filter(**{f"{spec.key}__in": missing}).values_list(spec.key, flat=True))
        return cls(
            changeable=changeable,
            existing=existing,
            lookups=_lookups_for(spec, actor, named),
            labels={column.field: choice_labels(column) for column in spec.columns if column.kind == Kind.CHOICE},
            related=_attach_related(spec, list(changeable.values())),
        )


def _lookups_for(spec: ImportSpec, actor: Any, named: Mapping[str, set[str]] | None) -> Lookups:
    if spec.lookups is None:
        return {}
    if spec.lookup_columns:
        return spec.lookups(actor, named=named or {})
    return spec.lookups(actor)


def _attach_related(spec: ImportSpec, rows: list[models.Model]) -> dict[str, dict[Any, models.Model]]:
    """Set the related row of each of the spec's foreign keys on `rows`, as select_related would, reading each
    related row once (a city's 25,000 enterprises point at a few hundred villages and industries)."""
    related: dict[str, dict[Any, models.Model]] = {}
    for name in sorted(spec.relations):
        relation = spec.model_fields[name]
        target = relation.target_field
        ids = sorted({getattr(obj, relation.attname) for obj in rows} - {None})
        found: dict[Any, models.Model] = {}
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            chunk = {f"{target.name}__in": ids[start: start + _LOOKUP_CHUNK]}
            for other in relation.related_model._base_manager.filter(**chunk):
                found[getattr(other, target.attname)] = other
        for obj in rows:
            target_row = found.get(getattr(obj, relation.attname))
            if target_row is not None:
                relation.set_cached_value(obj, target_row)
        related[name] = found
    return related


def choice_labels(column: Column) -> dict[str, str]:
    """Cell text → stored value for a CHOICE column: labels (in Chinese), values, aliases.

    A label written “group-item” (工贸-机械) also answers to “item” alone when no other label claims it.
    """
    mapping: dict[str, str] = {}
    with translation.override("zh-hans"):
        mapping.update({str(value): str(value) for value in column.choices.values if value})
        for value, label in column.choices.choices:
            mapping[str(label)] = value
            if "-" in str(label):
                mapping.setdefault(str(label).split("-", 1)[1], value)
    mapping.update(column.aliases or {})
    return mapping


def quoted(text: str) -> str:
    """A cell as an error message may quote it: never more than QUOTE_CHARS characters of what was uploaded."""
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "…"


def parse_cell(spec: ImportSpec, column: Column, value: Any, state: _FileState) -> Any:
    """The model value of one cell, or CellError with the message shown at that cell."""
    return cell_parser(spec, column, state)(value)


def cell_parser(spec: ImportSpec, column: Column, state: _FileState) -> Parser:
    """parse_cell for one column of one file: the column's kind, limits and tables are looked up once, not per
    cell (issue 7 item 2: a 50,000-row file has 1.5 million cells)."""
    convert = _converter(spec, column, state)
    required = column.required

    def parse(value: Any) -> Any:
        text = value.strip() if type(value) is str else cell_text(value)
        if len(text) > MAX_CELL_CHARS:
            raise CellError(_("内容过长（%(length)d 个字符）。") % {"length": len(text)})
        if required and not text:
            raise CellError(_("必填项不能为空。"))
        return convert(text)

    return parse


def _converter(spec: ImportSpec, column: Column, state: _FileState) -> Parser:
    """Cell text (stripped, within MAX_CELL_CHARS, present when required) → the model value, for `column`'s kind."""
    model_field = spec.model_fields[column.field]
    kind = column.kind
    if kind == Kind.CUSTOM:
        custom, lookups = column.parse, state.lookups
        return lambda text: custom(text, lookups)
    if kind == Kind.TEXT:
        return functools.partial(_text, limit=getattr(model_field, "max_length", None))
    if kind == Kind.LOOKUP:
        return functools.partial(_lookup, table=state.lookups[column.lookup], missing=column.missing)
    if kind == Kind.CHOICE:
        return functools.partial(_choice, mapping=state.labels[column.field], field=model_field,
                                 required=column.required)
    if kind == Kind.FLAG:
        return parse_flag
    if kind == Kind.INT:
        return functools.partial(_count, field=model_field)
    if kind == Kind.DECIMAL:
        return functools.partial(_decimal, places=getattr(model_field, "decimal_places", None) or 6)
    if kind == Kind.DATE:
        return _date
    raise AssertionError(kind)


def _text(text: str, *, limit: int | None) -> str:
    if limit and len(text) > limit:
        message = _("不能超过 %(limit)d 个字符（现有 %(length)d 个）。")
        raise CellError(message % {"limit": limit, "length": len(text)})
    return text


def _lookup(text: str, *, table: Mapping[str, Any], missing: str) -> Any:
    if not text:
        return None
    found = table.get(text)
    if found is None:
        raise CellError(str(missing or _("未找到“%(value)s”。")) % {"value": quoted(text)})
    return found


def _choice(text: str, *, mapping: dict[str, str], field: models.Field, required: bool) -> Any:
    if not text and not required:
        return field.get_default()
    if text not in mapping:
        allowed = "、".join(label for label in mapping if label and not _CHOICE_VALUE_RE.fullmatch(label))
        message = _("“%(value)s”不是有效的取值，可选：%(allowed)s。")
        raise CellError(message % {"value": quoted(text), "allowed": allowed})
    return mapping[text]


def _count(text: str, *, field: models.Field) -> Any:
    return field.get_default() if not text else parse_count(text)


def _decimal(text: str, *, places: int) -> Decimal | None:
    return None if not text else parse_decimal(text, places)


def _date(text: str) -> dt.date | None:
    return None if not text else parse_date(text)


def parse_flag(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise CellError(_("请填写“是”或“否”（现为“%(value)s”）。") % {"value": quoted(text)})


def parse_count(text: str) -> int:
    # The shape is checked before any conversion: int(Decimal("1e1000000")) takes 35 s (issue 7 item 8).
    if not _COUNT_RE.fullmatch(text):
        raise CellError(_("须为非负整数（现为“%(value)s”）。") % {"value": quoted(text)})
    number = int(text.split(".", 1)[0])
    if number > MAX_COUNT:
        raise CellError(_("数值过大（上限 %(limit)d）。") % {"limit": MAX_COUNT})
    return number


def parse_decimal(text: str, places: int) -> Decimal:
    # Plain decimals only, of bounded length, before Decimal sees them (an exponent could ask for a huge number).
    if not _DECIMAL_RE.fullmatch(text):
        raise CellError(_("须为数字（现为“%(value)s”）。") % {"value": quoted(text)})
    return Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_date(text: str) -> dt.date:
    if len(text) <= 20:
        for pattern in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise CellError(_("日期格式无法识别（现为“%(value)s”），请写成 2027-12-31。") % {"value": quoted(text)})


def display(spec: ImportSpec, obj: models.Model, column: Column) -> str:
    """A value as people read it in the preview (labels, not codes)."""
    if column.field in spec.relations and getattr(obj, spec.model_fields[column.field].attname) is None:
        return ""
    return display_value(spec, column, getattr(obj, column.field))


def display_value(spec: ImportSpec, column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.display is not None:
        with translation.override("zh-hans"):
            return column.display(value)
    if column.kind == Kind.FLAG:
        return "是" if value else "否"
    if column.kind == Kind.CHOICE:
        return spec.choice_display[column.field].get(value, value) if value else ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass
class _RowPlan:
    """How each row of one file is read and checked, decided once per file (issue 7 item 2)."""

    # (column, its position in the file, its parser) for the columns the file has.
    parsers: list[tuple[Column, int, Parser]]
    # The columns' values as compared for changes, in spec.columns order: a foreign key by its id (attname).
    compared: Callable[[models.Model], tuple[Any, ...]]
    # full_clean without the database checks and without the relations, which come from the loaded tables.
    clean: CleanPlan

    @classmethod
    def build(cls, spec: ImportSpec, positions: dict[str, int], state: _FileState) -> _RowPlan:
        attnames = [spec.model_fields[column.field].attname for column in spec.columns]
        getter = operator.attrgetter(*attnames)
        return cls(
            parsers=[(column, positions[column.field], cell_parser(spec, column, state))
                     for column in spec.columns if column.field in positions],
            compared=getter if len(attnames) > 1 else lambda obj: (getter(obj),),
            clean=CleanPlan(spec.model, exclude=spec.relations | frozenset(spec.preset_relations)),
        )


def plan(spec: ImportSpec, *, actor: Any, table: Table, progress: Progress = silent) -> ImportResult:
    """Validate every row of `table` as `actor` would import it; writes nothing."""
    result = ImportResult(header=table.header, rows=table.rows, spec=spec)
    positions = _header_positions(spec, table.header)
    key_position = positions[spec.key]
    within_position = positions[spec.key_within] if spec.key_within else None

    def identity_of(cells: list[Any]) -> Identity:
        within = cells[within_position] if within_position is not None else None
        return spec.identity(spec.key_of(cells[key_position]), within)

    named = {
        name: {cell_text(cells[positions[name]]) for _number, cells in table.rows} - {""}
        for name in spec.lookup_columns if name in positions
    }
    state = _FileState.load(spec, actor, {identity_of(cells) for _number, cells in table.rows} - {None}, named)
    row_plan = _RowPlan.build(spec, positions, state)
    first_row: dict[Identity, int] = {}
    key_label = spec.column_by_field[spec.key].label
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows):
        if done % EVERY_ROWS == 0:
            progress(done, total, VALIDATING)
        key = identity_of(cells)
        if key is not None and key in first_row:
            message = _("%(label)s与第 %(row)d 行重复。") % {"label": key_label, "row": first_row[key]}
            result.errors.append(RowError(number, key_label, message))
            continue
        if key is not None:
            first_row[key] = number
        if key_part(key) in spec.example_keys:
            message = _("这是导入模板的示例行，请改为实际的%(label)s信息或删除该行。")
            message %= {"label": spec.model._meta.verbose_name}
            result.errors.append(RowError(number, key_label, message))
            continue
        errors, planned = _plan_row(spec, number, key, cells, row_plan, state)
        result.errors.extend(errors)
        if planned is None:
            continue
        if planned.obj.pk is None:
            result.to_create.append(planned)
        elif planned.changes:
            result.to_update.append(planned)
        else:
            result.unchanged.append(planned)
    order = {column.label: index for index, column in enumerate(spec.columns)}
    result.errors.sort(key=lambda error: (error.row, order.get(error.column, len(spec.columns))))
    progress(total, total, VALIDATING)
    return result


def _header_positions(spec: ImportSpec, header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, raw in enumerate(header):
        label = normalize_header(raw)
        if not label or label == ERROR_COLUMN or label in spec.export_extra_labels:
            # The error report adds a “错误” column and an export adds columns to read: a corrected report or an
            # edited export can be uploaded again as it is.
            continue
        column = spec.column_by_label.get(label)
        if column is None:
            unknown.append(raw)
            continue
        if column.field in positions:
            raise ImportFileError(_("表头中“%(label)s”列出现了两次。") % {"label": column.label})
        positions[column.field] = index
    if unknown:
        raise ImportFileError(
            _("无法识别的列：%(columns)s。请使用导入模板的列名。")
            % {"columns": "、".join(quoted(label) for label in unknown[:10]) + ("……" if len(unknown) > 10 else "")}
        )
    missing = [column.label for column in spec.columns if column.required and column.field not in positions]
    if missing:
        raise ImportFileError(_("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
    return positions


def _plan_row(
    spec: ImportSpec, number: int, key: Identity, cells: list[Any], row_plan: _RowPlan, state: _FileState
) -> tuple[list[RowError], PlannedRow | None]:
    current = state.changeable.get(key)
    forbidden = current is None and key in state.existing
    if forbidden and not spec.key_within:
        return [RowError(number, spec.column_by_field[spec.key].label, str(spec.forbidden_message))], None
    obj = current if current is not None else spec.model()
    before = row_plan.compared(obj) if current is not None else ()
    row = Row(number=number, obj=obj, is_new=current is None, lookups=state.lookups, spec=spec)
    # An optional column left out of the file keeps the stored value (or the default for a new row).
    for column, position, parse in row_plan.parsers:
        try:
            value = parse(cells[position])
        except CellError as error:
            row.error(column.field, str(error))
            continue
        setattr(obj, column.field, value)
    if spec.check is not None:
        spec.check(row)
    # The plan answers for a row without errors; any doubt, or a row with errors, goes to full_clean, whose
    # messages are the ones reported.
    if row.failed or not row_plan.clean.passes(obj):
        row.errors.extend(_model_errors(spec, row))
    if row.errors:
        # A key_within row out of reach answers its cells' errors first: a relation out of the actor's reach then
        # answers as a missing one, revealing nothing of the stored row (issue 8: 404 as for a missing id).
        return row.errors, None
    if forbidden:
        return [RowError(number, spec.column_by_field[spec.key].label, str(spec.forbidden_message))], None
    changes = []
    if current is not None:
        after = row_plan.compared(obj)
        if after != before:
            for index, column in enumerate(spec.columns):
                if after[index] != before[index]:
                    old = before[index]
                    if column.field in spec.relations:
                        old = state.related[column.field].get(old)
                    changes.append(FieldChange(column.label, display_value(spec, column, old),
                                               display(spec, obj, column)))
    return [], PlannedRow(number, obj, changes)


def _model_errors(spec: ImportSpec, row: Row) -> list[RowError]:
    # Foreign keys were resolved from the loaded reference tables, and uniqueness is the upsert itself, so the
    # per-row database queries of full_clean are skipped here; the module's service runs the full check on commit.
    exclude = set(spec.relations) | set(spec.preset_relations) | row.failed
    for group in spec.together:
        if row.failed & set(group):
            exclude |= set(group)
    try:
        row.obj.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return _errors_from(spec, row.number, error, skip=exclude)
    return []


def _errors_from(spec: ImportSpec, number: int, error: ValidationError, skip: set[str] = frozenset()) -> list[RowError]:
    errors = []
    for name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        if name in skip:
            continue
        column = spec.column_by_field.get(name)
        for message in messages:
            errors.append(RowError(number, column.label if column else "", str(message)))
    return errors


# ---------------------------------------------------------------------------------------------------------------
# Entry points


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is read, validated and written (issue 7 item 2).

    A 50,000-row file keeps millions of objects alive until the import ends (cells, rows, model instances), and
    each of the collector's full passes walks all of them again: a tenth of a city-scale import, measured, for a
    dozen objects found. The import drops no reference cycles worth collecting; reference counting frees
    everything as usual, and the collector resumes when the outermost import returns.
    """
    if not gc.isenabled():  # an enclosing import (commit runs the dry run) or the caller paused it already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def dry_run(
    spec: ImportSpec, *, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent
) -> ImportResult:
    """Parse and validate; nothing is written."""
    with collector_paused():
        return plan(spec, actor=actor, table=read_table(handle, extension), progress=progress)


def commit(
    spec: ImportSpec, *, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent
) -> ImportResult:
    """Validate again and, only if no row has an error, save every new or changed row in one transaction."""
    with collector_paused():
        return _commit(spec, actor=actor, handle=handle, extension=extension, progress=progress)


def _commit(spec: ImportSpec, *, actor: Any, handle: BinaryIO, extension: str, progress: Progress) -> ImportResult:
    result = dry_run(spec, actor=actor, handle=handle, extension=extension, progress=progress)
    if not result.ok:
        return result
    planned = sorted(result.to_create + result.to_update, key=lambda item: item.row)
    try:
        if spec.bulk:
            _write_in_bulk(spec, actor, planned, progress)
        else:
            _write_row_by_row(spec, actor, planned, progress)
    except _RowFailed as failure:
        result.errors.extend(failure.errors)
    except IntegrityError:
        result.errors.extend(_taken_keys(spec, result.to_create))
    else:
        result.committed = True
        return result
    finally:
        if not result.committed:
            # The rolled-back inserts left primary keys on the in-memory rows; they describe nothing stored.
            for item in result.to_create:
                item.obj.pk = None
    return result


class _RowFailed(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


def _refusal(spec: ImportSpec, row: int, error: Exception) -> list[RowError]:
    if isinstance(error, ValidationError):
        return _errors_from(spec, row, error)
    return [RowError(row, "", str(error) or str(spec.refused_message))]


def _write_row_by_row(spec: ImportSpec, actor: Any, planned: list[PlannedRow], progress: Progress) -> None:
    """Each row through the module's own service (a spec whose save does more than scoped_save)."""
    with transaction.atomic():
        for done, item in enumerate(planned):
            if done % EVERY_ROWS == 0:
                progress(done, len(planned), WRITING)
            try:
                with transaction.atomic():
                    spec.save(actor=actor, obj=item.obj, reason=spec.reason)
            except (ValidationError, PermissionDenied) as error:
                raise _RowFailed(_refusal(spec, item.row, error)) from error
            except IntegrityError as error:
                # Someone registered the same key between the validation and this save.
                label = spec.column_by_field[spec.key].label
                raise _RowFailed([RowError(item.row, label, _("该%(label)s已登记。") % {"label": label})]) from error
        progress(len(planned), len(planned), WRITING)


def _write_in_bulk(spec: ImportSpec, actor: Any, planned: list[PlannedRow], progress: Progress) -> None:
    """All rows at once through scoped_bulk_save: the same rules as the service, one audit event (issue 7 item 2)."""
    from anjian.core import audit
    from anjian.core.services import RowRefused, scoped_bulk_save

    rows = [item.obj for item in planned]
    created = [obj for obj in rows if obj._state.adding]
    changed = [obj for obj in rows if not obj._state.adding]
    try:
        with transaction.atomic():
            scoped_bulk_save(
                actor=actor,
                model=spec.model,
                rows=rows,
                reason=spec.reason,
                audit_action=audit.name(spec.model, "import"),
                # The upsert key was checked against every stored row (registered or not in the actor's reach).
                checked=(spec.key, *spec.checked_constraints),
                # A key unique only within another column cannot find the inserted rows again by itself.
                key=None if spec.key_within else spec.key,
                progress=progress,
                phase=str(WRITING),
            )
            if spec.bulk_written is not None:
                spec.bulk_written(actor=actor, created=created, changed=changed)
    except RowRefused as refused:
        raise _RowFailed(_refusal(spec, planned[refused.position].row, refused.error)) from refused


def _taken_keys(spec: ImportSpec, to_create: list[PlannedRow]) -> list[RowError]:
    """After a unique violation: the new rows whose key someone registered between the validation and the save."""
    label = spec.column_by_field[spec.key].label
    # A key unique only within another column is taken by that pair; the generic answer below then applies.
    keys = {} if spec.key_within else {getattr(item.obj, spec.key): item.row for item in to_create}
    taken = set(spec.model._default_manager.filter(**{f"{spec.key}__in": list(keys)}).values_list(spec.key, flat=True))
    message = _("该%(label)s已登记。") % {"label": label}
    errors = [RowError(row, label, message) for key, row in sorted(keys.items(), key=lambda pair: pair[1])
              if key in taken]
    message = _("保存时数据库拒绝了某一行（可能已被他人同时修改），未导入任何数据，请重新预览。")
    return errors or [RowError(0, "", message)]


# ---------------------------------------------------------------------------------------------------------------
# Pending uploads between the dry run and the commit (DATA_DIR/imports/<token>)


def pending_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def store_pending(upload: Any, extension: str) -> str:
    """Keep an uploaded file for the commit step; returns its token. Old ones are purged on the way."""
    purge_pending()
    token = secrets.token_hex(16)
    upload.seek(0)
    with open(pending_dir() / f"{token}{extension}", "wb") as target:
        if hasattr(upload, "chunks"):
            for chunk in upload.chunks():
                target.write(chunk)
        else:
            target.write(upload.read())
    return token


def pending_path(token: str, extension: str) -> Path | None:
    """The stored file for `token`, or None when the token is malformed, unknown or expired."""
    if not _TOKEN_RE.match(token or "") or extension not in IMPORT_SIGNATURES:
        return None
    path = pending_dir() / f"{token}{extension}"
    if not path.is_file() or time.time() - path.stat().st_mtime > PENDING_LIFETIME.total_seconds():
        return None
    return path


def discard_pending(token: str, extension: str) -> None:
    path = pending_path(token, extension)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_pending(now: float | None = None) -> int:
    """Delete stored uploads older than PENDING_LIFETIME (abandoned previews)."""
    cutoff = (now if now is not None else time.time()) - PENDING_LIFETIME.total_seconds()
    removed = 0
    for path in pending_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# ---------------------------------------------------------------------------------------------------------------
# Export in the import's own columns (issue 7 item 2): what is exported imports back unchanged.


def export_headers(spec: ImportSpec) -> list[str]:
    return [column.label for column in spec.columns] + [label for label, _path in spec.export_extras]


def export_widths(spec: ImportSpec) -> list[int]:
    return [column.width for column in spec.columns] + [14 for _extra in spec.export_extras]


def export_rows(
    spec: ImportSpec,
    queryset: models.QuerySet,
    *,
    masked: Mapping[str, Callable[[Any], Any]] | None = None,
    chunk_size: int = 5000,
) -> Iterator[Sequence[Any]]:
    """Each row of `queryset` as the import reads it back: choice labels, 是/否, relations by their import key.

    One values_list query (streamed), no model instances: this is the path of a whole city's export. `masked` maps
    a field to the function that hides it from this reader (personal data the role may not see).
    """
    missing = sorted(
        column.field for column in spec.columns if column.field in spec.relations and not column.export_path
    )
    if missing:
        raise ImproperlyConfigured(f"{spec.model.__name__} export: the relations {missing} need an export_path")
    paths = [column.export_path or column.field for column in spec.columns] + [path for _l, path in spec.export_extras]
    masked = masked or {}
    converters: list[Callable[[Any], Any] | None] = []
    for column in spec.columns:
        if column.field in masked:
            converters.append(masked[column.field])
        elif column.kind == Kind.CHOICE:
            with translation.override("zh-hans"):
                labels = {value: str(label) for value, label in column.choices.choices}
            converters.append(lambda value, labels=labels: labels.get(value, value))
        elif column.kind == Kind.FLAG:
            converters.append(lambda value: "是" if value else "否")
        else:
            converters.append(None)
    converters.extend(None for _extra in spec.export_extras)
    if not any(converters):
        yield from queryset.values_list(*paths).iterator(chunk_size=chunk_size)
        return
    indexed = [(index, convert) for index, convert in enumerate(converters) if convert is not None]
    for values in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
        row = list(values)
        for index, convert in indexed:
            row[index] = convert(row[index])
        yield row


def spec_source(
    spec: ImportSpec,
    queryset: models.QuerySet,
    *,
    total: int,
    filename: str,
    masked: Mapping[str, Callable[[Any], Any]] | None = None,
) -> ExportSource:
    """An export (anjian.core.export) in the import's columns, ready for a job or a download."""
    return ExportSource(
        headers=export_headers(spec),
        rows=lambda: export_rows(spec, queryset, masked=masked),
        total=total,
        filename=filename,
        sheet_title=spec.sheet_title,
        widths=export_widths(spec),
    )


# ---------------------------------------------------------------------------------------------------------------
# Workbooks: the error report and the template


def error_report(result: ImportResult) -> bytes:
    """The uploaded rows, at their original row numbers, with bad cells red and commented, plus an 错误 column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    red = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
    widths = {label: column.width for label, column in result.spec.column_by_label.items()} if result.spec else {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入数据"
    header = [label for label in result.header if normalize_header(label) != ERROR_COLUMN]
    keep = [index for index, label in enumerate(result.header) if normalize_header(label) != ERROR_COLUMN]
    for index, label in enumerate(header + [ERROR_COLUMN], start=1):
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(normalize_header(label), 14)
    error_index = len(header) + 1
    sheet.column_dimensions[get_column_letter(error_index)].width = 60
    position = {normalize_header(label): index for index, label in enumerate(header, start=1)}
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for error in result.errors:
        by_row[error.row].append(error)
    for number, cells in result.rows:
        for index, source in enumerate(keep, start=1):
            # A value from the upload that looks like a formula stays text: the report must not run what users typed.
            set_safe_value(sheet.cell(row=number, column=index), cells[source])
    for number, errors in by_row.items():
        messages = []
        for error in errors:
            messages.append(f"{error.column}：{error.message}" if error.column else error.message)
            index = position.get(error.column)
            if index is None:
                continue
            cell = sheet.cell(row=number, column=index)
            cell.fill = red
            previous = cell.comment.text + "\n" if cell.comment else ""
            cell.comment = Comment(previous + error.message, "anjian")
        summary = sheet.cell(row=number, column=error_index, value="；".join(messages))
        summary.font = Font(color="FF9C0006")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shared_notes() -> tuple[str, ...]:
    """The 说明 lines every import shares, after the module's own `notes`."""
    return (
        "导入前先预览：任何一行有错误时，整个文件都不会导入；可下载错误报告，改正标红的单元格后重新上传。",
        f"只能导入 .xlsx 或 .csv（UTF-8 或 GBK 编码）文件，大小不超过 {MAX_BYTES // 1048576} MB，"
        f"不超过 {MAX_ROWS} 行。",
    )


def template_workbook(spec: ImportSpec, *, example: Mapping[str, Any] | None = None) -> bytes:
    """The import template: header, one example row, drop-down lists, and a “说明” sheet with allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    example = example or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.sheet_title
    head_fill = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
    with translation.override("zh-hans"):
        options = {
            column.field: [str(label) for _value, label in column.choices.choices]
            for column in spec.columns
            if column.kind == Kind.CHOICE
        }
    last_row = MAX_ROWS + 1
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True, color="FFC00000" if column.required else "FF000000")
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = column.width
        value = example.get(column.field, "否" if column.kind == Kind.FLAG else "")
        example_cell = sheet.cell(row=2, column=index, value=value)
        if column.kind in _TEXT_FORMAT_KINDS:
            # Text format keeps leading zeros and 12/18-digit codes from turning into numbers in Excel.
            example_cell.number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"
        listed = ["是", "否"] if column.kind == Kind.FLAG else options.get(column.field)
        if listed:
            formula = ",".join(label for label in listed if label)
            validation = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=not column.required)
            validation.error = _("请从下拉列表中选择。")
            validation.errorTitle = column.label
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "B2"

    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 80
    notes.append([f"{spec.sheet_title}导入说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for number, line in enumerate((*spec.notes, *shared_notes()), start=1):
        notes.append([f"{number}. {line}"])
    notes.append([])
    notes.append(["列名", "必填", "格式与取值"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    for column in spec.columns:
        notes.append([column.label, "是" if column.required else "否", column.rule])
    for column in spec.columns:
        if column.field not in options:
            continue
        notes.append([])
        notes.append([f"{column.label}可选值"])
        notes[notes.max_row][0].font = Font(bold=True)
        for label in options[column.field]:
            notes.append(["", "", label])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


__all__ = [
    "IMPORT_REASON",
    "MAX_BYTES",
    "MAX_ROWS",
    "CellError",
    "Column",
    "FieldChange",
    "ImportFileError",
    "ImportResult",
    "ImportSpec",
    "Kind",
    "Lookups",
    "PlannedRow",
    "Row",
    "RowError",
    "Table",
    "cell_text",
    "check_upload",
    "commit",
    "discard_pending",
    "dry_run",
    "error_report",
    "export_headers",
    "export_rows",
    "export_widths",
    "normalize_header",
    "pending_path",
    "plan",
    "purge_pending",
    "read_table",
    "spec_source",
    "store_pending",
    "template_workbook",
]
