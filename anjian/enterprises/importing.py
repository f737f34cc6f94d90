"""Importing enterprises from .xlsx or .csv: a dry run, then an all-or-nothing upsert by USCC (issue 2 item 9).

Pure service code: callers (the import views, the `import_enterprises` command) hand in a file and the acting
user. `dry_run` parses and validates every row and writes nothing; `commit` re-runs the same validation and,
only when no row has an error, saves every changed row through `enterprise_save` inside one transaction, so
history, audit and the jurisdiction re-check apply and any failure rolls everything back.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.core.export import set_safe_value
from anjian.core.scope import ADD, CHANGE, Jurisdiction, jurisdiction_of
from anjian.core.uploads import validate_upload
from anjian.enterprises.choices import (
    FLAG_FIELDS,
    EnterpriseSize,
    OperatingStatus,
    StandardizationGrade,
    SupervisionDomain,
)
from anjian.enterprises.models import Enterprise, Industry
from anjian.enterprises.services import enterprise_save
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
IMPORT_REASON = "批量导入"
# An uploaded file waits between the dry run and the commit for at most this long (views_import).
PENDING_LIFETIME = dt.timedelta(days=1)
ERROR_COLUMN = "错误"
# CSV has no magic bytes: any leading bytes pass the signature test, text-ness is checked separately.
IMPORT_SIGNATURES: dict[str, tuple[bytes, ...]] = {".xlsx": (b"PK\x03\x04",), ".csv": (b"",)}
_LOOKUP_CHUNK = 500
_SIX_PLACES = Decimal("0.000001")
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, size, encoding, header, too many rows)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    kind: str
    required: bool = False
    width: int = 14
    rule: str = ""


def _flag_columns() -> tuple[Column, ...]:
    with translation.override("zh-hans"):
        return tuple(
            Column(str(label), name, "flag", width=max(10, 2 * len(str(label)) + 2), rule="是 / 否，空白按“否”")
            for name, label in FLAG_FIELDS.items()
        )


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", "uscc", True, 22, "18位，GB 32100-2015，末位为校验码；据此新增或更新"),
    Column("单位名称", "name", "text", True, 30),
    Column("法定代表人", "legal_representative", "text", True, 12),
    Column("安全负责人", "safety_principal", "text", True, 12),
    Column("安全负责人电话", "safety_principal_phone", "text", True, 16),
    Column("地址", "address", "text", True, 36),
    Column("村（社区）代码", "region", "region", True, 16, "12位统计用区划代码，须为村（社区）级"),
    Column("园区", "park", "park", False, 20, "已登记的工业园区名称，可空"),
    Column("纬度", "latitude", "decimal", False, 12, "WGS84，北纬 22.6–23.2，最多6位小数；须与经度同时填写"),
    Column("经度", "longitude", "decimal", False, 12, "WGS84，东经 113.5–114.3，最多6位小数"),
    Column("行业代码", "industry", "industry", True, 10, "GB/T 4754-2017 国民经济行业分类代码，如 3360"),
    Column("行业领域", "domain", "choice", True, 16, "见下方“行业领域”取值"),
    Column("企业规模", "size", "choice", True, 10, "大型 / 中型 / 小型 / 微型"),
    Column("从业人数", "employee_count", "int", False, 10, "非负整数，空白按 0"),
    Column("经营状态", "operating_status", "choice", False, 10, "在业 / 停业 / 关闭 / 取缔，空白按“在业”"),
    *_flag_columns(),
    Column("标准化等级", "standardization_grade", "choice", False, 12, "一级 / 二级 / 三级 / 小微企业 / 未达标或空白"),
    Column("标准化有效期至", "standardization_expires", "date", False, 16, "日期，如 2027-12-31；有等级时必填"),
)
COLUMN_BY_LABEL = {column.label: column for column in COLUMNS}
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
CHOICES = {
    "domain": SupervisionDomain,
    "size": EnterpriseSize,
    "operating_status": OperatingStatus,
    "standardization_grade": StandardizationGrade,
}
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "0", "", "×"}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


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
    enterprise: Enterprise
    changes: list[FieldChange] = field(default_factory=list)


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
    handle.seek(0)
    rows = _xlsx_rows(handle) if extension == ".xlsx" else _csv_rows(handle)
    header: list[str] | None = None
    data: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if header is None:
            if all(_is_blank(cell) for cell in cells):
                continue
            header = [_text(cell) for cell in cells]
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


def _xlsx_rows(handle: BinaryIO):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, ValueError... for damaged files
        raise ImportFileError(_("无法读取该 .xlsx 文件，请确认它是完好的 Excel 工作簿。")) from error
    try:
        # The data sheet is the first one; the template's second sheet “说明” is documentation.
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("无法读取该 .xlsx 文件，请确认它是完好的 Excel 工作簿。")) from error
    finally:
        workbook.close()


def _csv_rows(handle: BinaryIO):
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


def _text(value: Any) -> str:
    """A cell as text: Excel stores codes and phone numbers typed without a leading ' as numbers."""
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


class _CellError(Exception):
    pass


@dataclass
class _Lookups:
    regions: dict[str, Region]
    industries: dict[str, Industry]
    parks: dict[str, IndustrialPark]
    changeable: dict[str, Enterprise]
    existing: set[str]
    add: Jurisdiction
    change: Jurisdiction
    labels: dict[str, dict[str, str]]

    @classmethod
    def load(cls, actor: Any, usccs: set[str]) -> _Lookups:
        changeable: dict[str, Enterprise] = {}
        existing: set[str] = set()
        ordered = sorted(usccs)
        for start in range(0, len(ordered), _LOOKUP_CHUNK):
            chunk = ordered[start: start + _LOOKUP_CHUNK]
            for enterprise in (
                Enterprise.objects.restrict(actor, CHANGE).filter(uscc__in=chunk).select_related("region", "industry",
                                                                                                  "park")
            ):
                changeable[enterprise.uscc] = enterprise
            # Unrestricted on purpose and never shown: a USCC registered outside the actor's jurisdiction must
            # answer "无权修改该企业" rather than be created a second time; nothing else about it is revealed.
            existing.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
        labels: dict[str, dict[str, str]] = {}
        with translation.override("zh-hans"):
            for name, choices in CHOICES.items():
                mapping = {str(value): str(value) for value in choices.values if value}
                for value, label in choices.choices:
                    mapping[str(label)] = value
                    if "-" in str(label):
                        mapping.setdefault(str(label).split("-", 1)[1], value)
                labels[name] = mapping
        labels["standardization_grade"].update({"": "", "未达标": "", "小微": StandardizationGrade.SMALL_MICRO})
        return cls(
            regions={region.code: region for region in Region.objects.all()},
            industries={industry.code: industry for industry in Industry.objects.all()},
            parks={park.name: park for park in IndustrialPark.objects.all()},
            changeable=changeable,
            existing=existing,
            add=jurisdiction_of(actor, ADD, Enterprise),
            change=jurisdiction_of(actor, CHANGE, Enterprise),
            labels=labels,
        )


def _parse(column: Column, value: Any, lookups: _Lookups) -> Any:
    text = _text(value)
    if column.required and not text:
        raise _CellError(_("必填项不能为空。"))
    kind = column.kind
    if kind == "uscc":
        from anjian.standards import StandardsError, uscc

        try:
            # The standard's own message names the expected check character (issue 2 item 4).
            return uscc.validate(text)
        except StandardsError as error:
            raise _CellError(str(error)) from None
    if kind == "text":
        limit = Enterprise._meta.get_field(column.field).max_length
        if limit and len(text) > limit:
            message = _("不能超过 %(limit)d 个字符（现有 %(length)d 个）。")
            raise _CellError(message % {"limit": limit, "length": len(text)})
        return text
    if kind == "region":
        region = lookups.regions.get(text)
        if region is None:
            raise _CellError(_("未找到区划代码“%(code)s”，请填写12位村（社区）代码。") % {"code": text})
        if region.level != RegionLevel.VILLAGE:
            raise _CellError(_("“%(code)s”是%(name)s，须填写村（社区）级代码。") % {"code": text, "name": region.name})
        return region
    if kind == "park":
        if not text:
            return None
        park = lookups.parks.get(text)
        if park is None:
            raise _CellError(_("未找到园区“%(name)s”。") % {"name": text})
        return park
    if kind == "industry":
        industry = lookups.industries.get(text.upper())
        # A code typed as a number loses its leading zero (0111 → 111): agriculture codes start with 0.
        if industry is None and text.isdigit():
            industry = lookups.industries.get("0" + text)
        if industry is None:
            raise _CellError(_("未找到国民经济行业代码“%(code)s”（GB/T 4754-2017）。") % {"code": text})
        return industry
    if kind == "choice":
        mapping = lookups.labels[column.field]
        if not text and not column.required:
            return Enterprise._meta.get_field(column.field).get_default()
        if text not in mapping:
            allowed = "、".join(label for label in mapping if label and not re.fullmatch(r"[a-z0-9_]+", label))
            raise _CellError(_("“%(value)s”不是有效的取值，可选：%(allowed)s。") % {"value": text, "allowed": allowed})
        return mapping[text]
    if kind == "flag":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise _CellError(_("请填写“是”或“否”（现为“%(value)s”）。") % {"value": text})
    if kind == "int":
        if not text:
            return 0
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value() or number < 0:
            raise _CellError(_("须为非负整数（现为“%(value)s”）。") % {"value": text})
        return int(number)
    if kind == "decimal":
        if not text:
            return None
        try:
            return Decimal(text).quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise _CellError(_("须为数字（现为“%(value)s”）。") % {"value": text}) from None
    if kind == "date":
        if not text:
            return None
        for pattern in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise _CellError(_("日期格式无法识别（现为“%(value)s”），请写成 2027-12-31。") % {"value": text})
    raise AssertionError(kind)


def display(enterprise: Enterprise, column: Column) -> str:
    """A value as people read it in the preview (labels, not codes)."""
    with translation.override("zh-hans"):
        if column.kind == "region":
            region = enterprise.region if enterprise.region_id else None
            return f"{region.code} {region.name}" if region else ""
        if column.kind == "industry":
            return str(enterprise.industry) if enterprise.industry_id else ""
        if column.kind == "park":
            return enterprise.park.name if enterprise.park_id else ""
        value = getattr(enterprise, column.field)
        if column.kind == "flag":
            return "是" if value else "否"
        if column.kind == "choice":
            return str(dict(CHOICES[column.field].choices).get(value, value)) if value else ""
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else str(value)


def _comparable(enterprise: Enterprise, column: Column) -> Any:
    if column.kind in ("region", "industry", "park"):
        return getattr(enterprise, f"{column.field}_id")
    return getattr(enterprise, column.field)


def plan(*, actor: Any, table: Table) -> ImportResult:
    """Validate every row of `table` as `actor` would import it; writes nothing."""
    result = ImportResult(header=table.header, rows=table.rows)
    positions = _header_positions(table.header)
    uscc_position = positions["uscc"]
    usccs = {_text(cells[uscc_position]).upper() for _number, cells in table.rows}
    lookups = _Lookups.load(actor, usccs - {""})
    first_row: dict[str, int] = {}
    uscc_label = COLUMN_BY_FIELD["uscc"].label
    for number, cells in table.rows:
        uscc = _text(cells[uscc_position]).upper()
        if uscc and uscc in first_row:
            result.errors.append(
                RowError(number, uscc_label, _("统一社会信用代码与第 %(row)d 行重复。") % {"row": first_row[uscc]})
            )
            continue
        if uscc:
            first_row[uscc] = number
        errors, planned = _plan_row(number, cells, positions, lookups)
        result.errors.extend(errors)
        if planned is None:
            continue
        if planned.enterprise.pk is None:
            result.to_create.append(planned)
        elif planned.changes:
            result.to_update.append(planned)
        else:
            result.unchanged.append(planned)
    result.errors.sort(key=lambda error: (error.row, _column_order(error.column)))
    return result


def _column_order(label: str) -> int:
    for index, column in enumerate(COLUMNS):
        if column.label == label:
            return index
    return len(COLUMNS)


def _header_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, raw in enumerate(header):
        label = normalize_header(raw)
        if not label or label == ERROR_COLUMN:
            # The error report adds a “错误” column; a corrected report can be uploaded again as it is.
            continue
        column = COLUMN_BY_LABEL.get(label)
        if column is None:
            unknown.append(raw)
            continue
        if column.field in positions:
            raise ImportFileError(_("表头中“%(label)s”列出现了两次。") % {"label": column.label})
        positions[column.field] = index
    if unknown:
        raise ImportFileError(
            _("无法识别的列：%(columns)s。请使用导入模板的列名。") % {"columns": "、".join(unknown)}
        )
    missing = [column.label for column in COLUMNS if column.required and column.field not in positions]
    if missing:
        raise ImportFileError(_("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
    return positions


def _plan_row(
    number: int, cells: list[Any], positions: dict[str, int], lookups: _Lookups
) -> tuple[list[RowError], PlannedRow | None]:
    errors: list[RowError] = []
    uscc = _text(cells[positions["uscc"]]).upper()
    current = lookups.changeable.get(uscc)
    if current is None and uscc in lookups.existing:
        return [RowError(number, COLUMN_BY_FIELD["uscc"].label, _("无权修改该企业。"))], None
    enterprise = current if current is not None else Enterprise()
    before = {column.field: _comparable(enterprise, column) for column in COLUMNS} if current else {}
    before_text = {column.field: display(enterprise, column) for column in COLUMNS} if current else {}
    failed: set[str] = set()
    for column in COLUMNS:
        if column.field not in positions:
            # An optional column left out of the file keeps the stored value (or the default for a new row).
            continue
        try:
            value = _parse(column, cells[positions[column.field]], lookups)
        except _CellError as error:
            errors.append(RowError(number, column.label, str(error)))
            failed.add(column.field)
            continue
        setattr(enterprise, column.field, value)
    region_label = COLUMN_BY_FIELD["region"].label
    if "region" not in failed and enterprise.region_id:
        code = enterprise.region.code
        if current is None and not lookups.add.covers(code):
            errors.append(RowError(number, region_label, _("您无权在该村（社区）新建企业。")))
            failed.add("region")
        elif current is not None and not lookups.change.covers(code, current.pk):
            errors.append(RowError(number, region_label, _("您无权将企业迁入该村（社区）。")))
            failed.add("region")
    errors.extend(_model_errors(number, enterprise, failed))
    if errors:
        return errors, None
    changes = []
    if current is not None:
        for column in COLUMNS:
            if _comparable(enterprise, column) != before[column.field]:
                changes.append(FieldChange(column.label, before_text[column.field], display(enterprise, column)))
    return [], PlannedRow(number, enterprise, changes)


def _model_errors(number: int, enterprise: Enterprise, failed: set[str]) -> list[RowError]:
    # Foreign keys were resolved from the loaded reference tables, and uniqueness is the upsert itself, so the
    # per-row database queries of full_clean are skipped here; enterprise_save runs the full check on commit.
    exclude = {"region", "industry", "park"} | failed
    if failed & {"latitude", "longitude"}:
        exclude |= {"latitude", "longitude"}
    try:
        enterprise.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return _errors_from(number, error, skip=exclude)
    return []


def _errors_from(number: int, error: ValidationError, skip: set[str] = frozenset()) -> list[RowError]:
    errors = []
    for name, messages in getattr(error, "message_dict", {"__all__": error.messages}).items():
        if name in skip:
            continue
        column = COLUMN_BY_FIELD.get(name)
        for message in messages:
            errors.append(RowError(number, column.label if column else "", str(message)))
    return errors


# ---------------------------------------------------------------------------------------------------------------
# Entry points


def dry_run(*, actor: Any, handle: BinaryIO, extension: str) -> ImportResult:
    """Parse and validate; nothing is written."""
    return plan(actor=actor, table=read_table(handle, extension))


def commit(*, actor: Any, handle: BinaryIO, extension: str) -> ImportResult:
    """Validate again and, only if no row has an error, save every new or changed row in one transaction."""
    result = dry_run(actor=actor, handle=handle, extension=extension)
    if not result.ok:
        return result
    planned = sorted(result.to_create + result.to_update, key=lambda item: item.row)
    current: PlannedRow | None = None
    try:
        with transaction.atomic():
            for current in planned:
                enterprise_save(actor=actor, enterprise=current.enterprise, reason=IMPORT_REASON)
    except ValidationError as error:
        result.errors.extend(_errors_from(current.row, error))
    except PermissionDenied as error:
        result.errors.append(RowError(current.row, "", str(error) or _("无权保存该企业。")))
    except IntegrityError:
        # Someone registered the same USCC between the validation and this save.
        result.errors.append(RowError(current.row, COLUMN_BY_FIELD["uscc"].label, _("该统一社会信用代码已登记。")))
    else:
        result.committed = True
        return result
    # The rolled-back inserts left primary keys on the in-memory rows; they describe nothing stored.
    for item in result.to_create:
        item.enterprise.pk = None
    return result


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
# Workbooks: the error report and the template


def _set_text(cell: Any, value: Any) -> None:
    # A value from the upload that looks like a formula stays text: the report must not run what users typed.
    set_safe_value(cell, value)


def error_report(result: ImportResult) -> bytes:
    """The uploaded rows, at their original row numbers, with bad cells red and commented, plus an 错误 column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    red = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "导入数据"
    header = [label for label in result.header if normalize_header(label) != ERROR_COLUMN]
    keep = [index for index, label in enumerate(result.header) if normalize_header(label) != ERROR_COLUMN]
    for index, label in enumerate(header + [ERROR_COLUMN], start=1):
        cell = sheet.cell(row=1, column=index, value=label)
        cell.font = Font(bold=True)
        column = COLUMN_BY_LABEL.get(normalize_header(label))
        sheet.column_dimensions[get_column_letter(index)].width = column.width if column else 14
    error_index = len(header) + 1
    sheet.column_dimensions[get_column_letter(error_index)].width = 60
    position = {normalize_header(label): index for index, label in enumerate(header, start=1)}
    by_row: dict[int, list[RowError]] = defaultdict(list)
    for error in result.errors:
        by_row[error.row].append(error)
    for number, cells in result.rows:
        for index, source in enumerate(keep, start=1):
            _set_text(sheet.cell(row=number, column=index), cells[source])
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


EXAMPLE_USCC_BODY = "91441900MA4W00001"


def template_workbook(*, example_region: Region | None = None) -> bytes:
    """The import template: header, one example row, and a “说明” sheet with allowed values and rules."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from anjian.standards import uscc

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业信息"
    head_fill = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
    with translation.override("zh-hans"):
        domain_labels = [str(label) for _value, label in SupervisionDomain.choices]
        size_labels = [str(label) for _value, label in EnterpriseSize.choices]
        status_labels = [str(label) for _value, label in OperatingStatus.choices]
        grade_labels = [str(label) for _value, label in StandardizationGrade.choices]
    example = {
        "uscc": EXAMPLE_USCC_BODY + uscc.check_character(EXAMPLE_USCC_BODY),
        "name": "东莞市示例五金制品有限公司",
        "legal_representative": "张三",
        "safety_principal": "李四",
        "safety_principal_phone": "13800000000",
        "address": f"{example_region.name if example_region else ''}工业路1号",
        "region": example_region.code if example_region else "",
        "park": "",
        "latitude": str(example_region.latitude) if example_region and example_region.latitude else "",
        "longitude": str(example_region.longitude) if example_region and example_region.longitude else "",
        "industry": "3360",
        "domain": "工贸-机械",
        "size": "小型",
        "employee_count": 50,
        "operating_status": "在业",
        "standardization_grade": "三级",
        "standardization_expires": "2027-12-31",
    }
    last_row = MAX_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.label)
        cell.font = Font(bold=True, color="FFC00000" if column.required else "FF000000")
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = column.width
        value = example.get(column.field, "否" if column.kind == "flag" else "")
        example_cell = sheet.cell(row=2, column=index, value=value)
        if column.kind in ("uscc", "region", "industry", "text", "date", "decimal"):
            # Text format keeps leading zeros and 12/18-digit codes from turning into numbers in Excel.
            example_cell.number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"
        options = {"domain": domain_labels, "size": size_labels, "operating_status": status_labels,
                   "standardization_grade": grade_labels}.get(column.field)
        if column.kind == "flag":
            options = ["是", "否"]
        if options:
            listed = ",".join(label for label in options if label)
            validation = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not column.required)
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
    notes.append(["企业信息导入说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 在“企业信息”工作表中每行填写一家企业，第1行为表头，请勿修改列名；示例行可直接修改或删除。",
        "2. 以统一社会信用代码为准：系统中已有的企业将被更新，没有的将被新增；重复导入同一文件不会产生变化。",
        "3. 导入前先预览：任何一行有错误时，整个文件都不会导入；可下载错误报告，改正标红的单元格后重新上传。",
        f"4. 只能导入 .xlsx 或 .csv（UTF-8 或 GBK 编码）文件，大小不超过 {MAX_BYTES // 1048576} MB，"
        f"不超过 {MAX_ROWS} 行。",
        "5. 只能新增或修改本人管辖范围内的企业。",
    ):
        notes.append([line])
    notes.append([])
    notes.append(["列名", "必填", "格式与取值"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
        cell.fill = head_fill
    for column in COLUMNS:
        notes.append([column.label, "是" if column.required else "否", column.rule])
    for title, labels in (
        ("行业领域", domain_labels),
        ("企业规模", size_labels),
        ("经营状态", status_labels),
        ("标准化等级", [label for label in grade_labels]),
    ):
        notes.append([])
        notes.append([f"{title}可选值"])
        notes[notes.max_row][0].font = Font(bold=True)
        for label in labels:
            notes.append(["", "", label])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def example_region_for(actor: Any) -> Region | None:
    """A village the actor may add enterprises to, so the template's example row imports as it is."""
    jurisdiction = jurisdiction_of(actor, ADD, Enterprise)
    villages = Region.objects.restrict(actor).filter(level=RegionLevel.VILLAGE).order_by("code")
    for region in villages[:200]:
        if jurisdiction.covers(region.code):
            return region
    return None


__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "FieldChange",
    "ImportFileError",
    "ImportResult",
    "PlannedRow",
    "RowError",
    "Table",
    "check_upload",
    "commit",
    "discard_pending",
    "dry_run",
    "error_report",
    "example_region_for",
    "pending_path",
    "plan",
    "purge_pending",
    "read_table",
    "store_pending",
    "template_workbook",
]
