"""Spreadsheet import of hazard units with their chemicals (issue 9 item 6): one row per unit and chemical, rows of one
unit keyed on the enterprise's USCC and the unit's name.

The generic engine (anjian.core.importing) upserts one record per row; a unit is several rows, so this import uses
the engine's file handling (check_upload: size, type, zip bomb and content checks; read_table; cell_text;
normalize_header) and groups the rows itself. Every row is checked first (enterprise in the importer's reach, unit
fields, chemical and quantity through services_units.clean_chemical) and errors are reported row by row; only a file
without errors is written, each unit through `hazard_unit_save` in one transaction (all or nothing), so every unit is
audited, graded and registered exactly as on its page. A unit in the file gets exactly the chemicals the file lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.importing import ImportFileError, cell_text, check_upload, normalize_header, read_table
from anjian.core.scope import CHANGE, VIEW, can_add
from anjian.enterprises.models import Enterprise
from anjian.hazchem.grading import followers_told_once
from anjian.hazchem.models import Chemical, HazardUnit, UnitKind
from anjian.hazchem.services_units import ChemicalInput, clean_chemical, hazard_unit_save, resolve_chemical

IMPORT_REASON = "批量导入"
# (label, key) of each column; the first five are required.
COLUMNS: tuple[tuple[Any, str], ...] = (
    (gettext_lazy("统一社会信用代码"), "uscc"),
    (gettext_lazy("单元名称"), "unit"),
    (gettext_lazy("单元类型"), "kind"),
    (gettext_lazy("危险化学品"), "chemical"),
    (gettext_lazy("设计最大量"), "quantity"),
    (gettext_lazy("数量单位"), "quantity_unit"),
    (gettext_lazy("位置"), "location"),
    (gettext_lazy("厂区边界外500m范围内常住人口数"), "exposed_people"),
    (gettext_lazy("评价确定的临界量（吨）"), "critical_quantity_t"),
    (gettext_lazy("评价确定的β"), "beta"),
    (gettext_lazy("评价依据"), "assessor_source"),
)
REQUIRED = ("uscc", "unit", "kind", "chemical", "quantity")
KIND_WORDS = {"储存单元": UnitKind.STORAGE, "储存": UnitKind.STORAGE, "storage": UnitKind.STORAGE,
              "生产单元": UnitKind.PRODUCTION, "生产": UnitKind.PRODUCTION, "production": UnitKind.PRODUCTION}
UNIT_WORDS = {"": "t", "吨": "t", "t": "t", "千克": "kg", "公斤": "kg", "kg": "kg"}


@dataclass(frozen=True)
class UnitRowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedUnit:
    enterprise: Enterprise
    name: str
    kind: str
    location: str
    exposed_people: int
    rows: list[int] = field(default_factory=list)
    chemicals: list[ChemicalInput] = field(default_factory=list)
    existing: HazardUnit | None = None


@dataclass
class UnitImportResult:
    errors: list[UnitRowError] = field(default_factory=list)
    units: list[PlannedUnit] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    committed: bool = False

    @property
    def rows(self) -> int:
        return sum(len(unit.rows) for unit in self.units)


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The template's header and two example rows (one unit with two chemicals)."""
    header = [str(label) for label, _key in COLUMNS]
    example = ["91441900XXXXXXXXXX", "液氯液氨罐区", "储存单元", "液氯", "10", "吨", "东区", "120", "", "", ""]
    second = ["91441900XXXXXXXXXX", "液氯液氨罐区", "储存单元", "液氨", "20000", "千克", "东区", "120", "", "", ""]
    return header, [example, second]


def _positions(header: list[str]) -> dict[str, int]:
    wanted = {normalize_header(str(label)): key for label, key in COLUMNS}
    positions: dict[str, int] = {}
    for index, label in enumerate(header):
        key = wanted.get(normalize_header(label))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [str(label) for label, key in COLUMNS if key in REQUIRED and key not in positions]
    if missing:
        raise ImportFileError(_("缺少必填列：%(columns)s。") % {"columns": "、".join(missing)})
    return positions


def _label(key: str) -> str:
    return next(str(label) for label, name in COLUMNS if name == key)


def _remembering(resolve: Callable[[str], Chemical]) -> Callable[[str], Chemical]:
    """`resolve` asked once per distinct name in a file (its answer or its refusal kept): a file names the same few
    chemicals on thousands of rows, and each search reads the catalogue."""
    answers: dict[str, Chemical | ValidationError] = {}

    def remembered(text: str) -> Chemical:
        if text not in answers:
            try:
                answers[text] = resolve(text)
            except ValidationError as refused:
                answers[text] = refused
        answer = answers[text]
        if isinstance(answer, ValidationError):
            raise ValidationError(answer.messages, code=answer.code)
        return answer

    return remembered


def plan(*, actor: Any, handle: BinaryIO, extension: str) -> UnitImportResult:
    """Check every row of the file; nothing is written."""
    table = read_table(handle, extension)
    positions = _positions(table.header)
    result = UnitImportResult()

    def cells(values: list[Any]) -> dict[str, str]:
        return {key: cell_text(values[index]) for key, index in positions.items()}

    parsed = [(number, cells(values)) for number, values in table.rows]
    usccs = {"".join(row["uscc"].split()).upper() for _number, row in parsed}
    enterprises = {enterprise.uscc: enterprise
                   for enterprise in Enterprise.objects.restrict(actor, VIEW).filter(uscc__in=usccs)
                   .select_related("region")}
    planned: dict[tuple[int, str], PlannedUnit] = {}
    resolve = _remembering(resolve_chemical)
    for number, row in parsed:
        def error(key: str, message: str, *, number: int = number) -> None:
            result.errors.append(UnitRowError(number, _label(key), message))

        if any(not row.get(key) for key in REQUIRED):
            for key in REQUIRED:
                if not row.get(key):
                    error(key, _("必填。"))
            continue
        uscc = "".join(row["uscc"].split()).upper()
        enterprise = enterprises.get(uscc)
        if enterprise is None:
            error("uscc", _("单位“%(uscc)s”不存在或不在您的管辖范围内。") % {"uscc": uscc[:20]})
            continue
        kind = KIND_WORDS.get(row["kind"])
        if kind is None:
            error("kind", _("单元类型应为“储存单元”或“生产单元”。"))
            continue
        people_text = row.get("exposed_people", "")
        try:
            people = int(float(people_text)) if people_text else 0
            if people < 0 or (people_text and float(people_text) != people):
                raise ValueError
        except ValueError:
            error("exposed_people", _("人数应为非负整数。"))
            continue
        quantity_unit = UNIT_WORDS.get(row.get("quantity_unit", "").lower())
        if quantity_unit is None:
            error("quantity_unit", _("数量单位应为“吨”或“千克”。"))
            continue
        name = row["unit"][:100]
        unit = planned.get((enterprise.pk, name))
        if unit is None:
            unit = planned[(enterprise.pk, name)] = PlannedUnit(enterprise, name, kind, row.get("location", "")[:200],
                                                                people)
        elif (unit.kind, unit.exposed_people) != (kind, people):
            error("kind", _("同一单元的各行，单元类型和人数须一致。"))
            continue
        entry: dict[str, Any] = {"name": row["chemical"], "critical_quantity_t": row.get("critical_quantity_t"),
                                 "beta": row.get("beta"), "assessor_source": row.get("assessor_source", "")}
        entry["max_quantity_kg" if quantity_unit == "kg" else "max_quantity_t"] = row["quantity"]
        try:
            cleaned = clean_chemical(entry, resolve=resolve)
        except ValidationError as refused:
            for message in refused.messages:
                error("chemical", message)
            continue
        unit.rows.append(number)
        unit.chemicals.append(cleaned)
    stored = {(unit.enterprise_id, unit.name): unit for unit in HazardUnit.objects.restrict(actor, VIEW).filter(
        enterprise_id__in={key[0] for key in planned}, name__in={key[1] for key in planned})}
    changeable = set(HazardUnit.objects.restrict(actor, CHANGE).filter(
        pk__in=[unit.pk for unit in stored.values()]).values_list("pk", flat=True))
    may_add = can_add(actor, HazardUnit)
    for key, unit in planned.items():
        unit.existing = stored.get(key)
        first = unit.rows[0] if unit.rows else 0
        if unit.existing is not None and unit.existing.pk not in changeable:
            result.errors.append(UnitRowError(first, _label("unit"), _("无权修改该单元。")))
        elif unit.existing is None and not may_add:
            result.errors.append(UnitRowError(first, _label("unit"), _("无权新建单元。")))
    result.units = list(planned.values())
    result.errors.sort(key=lambda item: item.row)
    return result


def run(*, actor: Any, upload: Any, commit: bool) -> UnitImportResult:
    """Check the file (ImportFileError for the file as a whole) and, when `commit` and no row has an error, save
    every unit in one transaction; a refusal on any unit rolls every unit back."""
    extension = check_upload(upload)
    result = plan(actor=actor, handle=upload, extension=extension)
    if not commit or result.errors:
        return result
    try:
        with transaction.atomic(), followers_told_once(actor=actor):
            for unit in result.units:
                target = unit.existing or HazardUnit(enterprise=unit.enterprise, name=unit.name)
                target.kind, target.location, target.exposed_people = unit.kind, unit.location, unit.exposed_people
                hazard_unit_save(actor=actor, unit=target, chemicals=unit.chemicals, reason=IMPORT_REASON)
                if unit.existing is None:
                    result.created += 1
                else:
                    result.updated += 1
    except (ValidationError, PermissionDenied) as refused:
        result.created = result.updated = 0
        messages = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        result.errors.extend(UnitRowError(0, "", message) for message in messages)
        return result
    result.committed = True
    return result


def error_rows(result: UnitImportResult) -> Iterable[list[Any]]:
    return ([error.row or "", error.column, error.message] for error in result.errors)
