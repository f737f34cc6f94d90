"""Writes of hazard units and their 重大危险源 registrations (issue 9 item 2).

A unit is saved with its whole list of chemicals at once (`hazard_unit_save`): the unit through scoped_save, its rows
replaced, its 重点监管危险化工工艺 checked (production units only), then `grading.regrade` works GB 18218 out again,
registers or deregisters the 重大危险源 and makes the enterprise's flag and level follow, all in one transaction.
Chemicals are named by catalogue id, by an exact catalogue name, alias or CAS number, or by a free name with an
assessor's Q (and β) and its source; quantities are tonnes, or kilograms converted explicitly. Bad input raises a
Chinese ValidationError naming the row and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.services import scoped_delete, scoped_save
from anjian.hazchem import grading
from anjian.hazchem.models import Chemical, HazardUnit, KeyProcess, MajorHazard, UnitChemical, UnitKind
from anjian.hazchem.models.units import QUANTITY_DIGITS, QUANTITY_PLACES
from anjian.hazchem.selectors import EXACT, EXACT_ALIAS, chemical_search, nearest_names

KG_PER_TONNE = Decimal(1000)
_PLACES = Decimal(1).scaleb(-QUANTITY_PLACES)
# The largest quantity the column holds (16 digits, 4 of them after the point).
MAX_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS - QUANTITY_PLACES) - _PLACES
MAX_BETA = Decimal("9999.99")
# How many candidates an ambiguous name lists.
CANDIDATES_SHOWN = 8
# A unit lists at most this many chemicals (a tank farm of a large terminal holds dozens, not hundreds).
MAX_CHEMICALS = 200
INPUT_KEYS = frozenset({"chemical", "name", "cas", "max_quantity_t", "max_quantity_kg", "critical_quantity_t",
                        "beta", "assessor_source"})


@dataclass(frozen=True)
class ChemicalInput:
    """One chemical of a unit as the service will store it: a catalogue row or a free name, q in tonnes, and the
    assessor's Q and β with their source where the tables do not settle them."""

    chemical: Chemical | None
    name: str
    cas: str
    max_quantity_t: Decimal
    critical_quantity_t: Decimal | None = None
    beta: Decimal | None = None
    assessor_source: str = ""

    @property
    def label(self) -> str:
        return self.chemical.name if self.chemical is not None else self.name


def _number(value: Any, *, label: str, maximum: Decimal = MAX_QUANTITY) -> Decimal:
    """A non-negative number from a cell, a form or JSON; refuses text, NaN, infinities and negatives in Chinese."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError(_("%(label)s必须填写数字。") % {"label": label})
    not_a_number = _("%(label)s“%(value)s”不是数字。") % {"label": label, "value": str(value)[:40]}
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(not_a_number) from None
    if not number.is_finite():
        raise ValidationError(not_a_number)
    if number < 0:
        raise ValidationError(_("%(label)s不能为负数。") % {"label": label})
    if number > maximum:
        raise ValidationError(_("%(label)s超出范围（最大 %(max)s）。") % {"label": label, "max": maximum})
    return number


def quantity_in_tonnes(*, tonnes: Any = None, kilograms: Any = None) -> Decimal:
    """q in tonnes from exactly one of tonnes or kilograms (issue 9 item 2: kilograms are converted explicitly,
    1 t = 1000 kg), rounded half-up to 0.0001 t as stored."""
    given_t = tonnes not in (None, "")
    given_kg = kilograms not in (None, "")
    if given_t == given_kg:
        raise ValidationError(_("请只填写一种设计最大量：吨（max_quantity_t）或千克（max_quantity_kg）。"))
    if given_t:
        value = _number(tonnes, label=_("设计最大量（吨）"))
    else:
        value = _number(kilograms, label=_("设计最大量（千克）"), maximum=MAX_QUANTITY * KG_PER_TONNE) / KG_PER_TONNE
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def resolve_chemical(text: str) -> Chemical:
    """The one catalogue row whose name, alias or CAS number is exactly `text`.

    None found: a ValidationError offering the nearest catalogue names; several: one listing the candidates (序号,
    name, CAS) so the person can pick one by its id (issue 9: bad input)."""
    query = text.strip()
    search = chemical_search(query)
    exact = [row for row in search.chemicals[:50] if row.rank in (EXACT, EXACT_ALIAS)] if query else []
    best = [row for row in exact if row.rank == EXACT] or exact
    if len(best) == 1:
        return best[0]
    if not best:
        nearest = search.nearest_names or nearest_names(query, Chemical.objects.all()) if query else []
        if nearest:
            raise ValidationError(_("目录中没有“%(name)s”。相近的品名：%(names)s。") % {
                "name": query[:40], "names": "、".join(nearest)}, code="unknown_chemical")
        raise ValidationError(_("目录中没有“%(name)s”。请核对品名或CAS号；目录外的物质须由评价人员给出临界量及其依据。")
                              % {"name": query[:40]}, code="unknown_chemical")
    candidates = "；".join(f"{row.name}（序号{row.catalogue_number}-{row.sub_row}，ID {row.pk}，CAS {row.cas or '无'}）"
                          for row in best[:CANDIDATES_SHOWN])
    raise ValidationError(_("“%(name)s”对应目录中的多个条目，请按ID选择其一：%(candidates)s。") % {
        "name": query[:40], "candidates": candidates}, code="ambiguous_chemical")


def clean_chemical(entry: Mapping[str, Any], *,
                   resolve: Callable[[str], Chemical] | None = None) -> ChemicalInput:
    """One chemical of a unit from the API's, the form's or the import's dictionary (see INPUT_KEYS). `resolve`
    finds a name or CAS in the catalogue (default resolve_chemical; the import remembers its answers)."""
    if not isinstance(entry, Mapping):
        raise ValidationError(_("每种危险化学品应为一个对象。"))
    unknown = sorted(set(entry) - INPUT_KEYS)
    if unknown:
        raise ValidationError(_("不认识的字段：%(keys)s。") % {"keys": "、".join(map(str, unknown))[:80]})
    quantity = quantity_in_tonnes(tonnes=entry.get("max_quantity_t"), kilograms=entry.get("max_quantity_kg"))
    critical = entry.get("critical_quantity_t")
    critical_t = None if critical in (None, "") else _number(critical, label=_("评价确定的临界量（吨）"))
    if critical_t is not None and critical_t == 0:
        raise ValidationError(_("评价确定的临界量必须大于0。"))
    beta_value = entry.get("beta")
    beta = None if beta_value in (None, "") else _number(beta_value, label=_("校正系数β"), maximum=MAX_BETA)
    if beta is not None and beta == 0:
        raise ValidationError(_("校正系数β必须大于0。"))
    source = str(entry.get("assessor_source") or "").strip()[:200]
    if (critical_t is not None or beta is not None) and not source:
        raise ValidationError(_("评价人员确定的临界量或β须注明评价依据（如安全评价报告的名称和编号）。"))
    name = str(entry.get("name") or "").strip()
    cas = str(entry.get("cas") or "").strip()
    chemical_id = entry.get("chemical")
    chemical: Chemical | None = None
    if chemical_id not in (None, ""):
        try:
            chemical = Chemical.objects.get(pk=int(chemical_id))
        except (Chemical.DoesNotExist, TypeError, ValueError):
            message = _("危险化学品目录中没有ID为“%(id)s”的条目。") % {"id": str(chemical_id)[:20]}
            raise ValidationError(message) from None
    elif name or cas:
        try:
            chemical = (resolve or resolve_chemical)(name or cas)
        except ValidationError:
            # Outside the catalogue only with an assessor's Q (GB 18218-2018 4.1.2: Q by the hazard category the
            # assessor determined) and a name to show; anything else keeps the catalogue's answer.
            if critical_t is None or not name:
                raise
    else:
        raise ValidationError(_("请选择目录中的危险化学品，或填写品名或CAS号。"))
    if chemical is not None:
        name, cas = "", ""
    return ChemicalInput(chemical=chemical, name=name[:200], cas=cas[:20], max_quantity_t=quantity,
                         critical_quantity_t=critical_t, beta=beta, assessor_source=source)


def clean_chemicals(entries: Iterable[Mapping[str, Any] | ChemicalInput]) -> list[ChemicalInput]:
    """Every chemical of a unit, each error naming its row (第N种); the same catalogue row or name only once."""
    if isinstance(entries, str | bytes | Mapping) or not isinstance(entries, Iterable):
        raise ValidationError({"chemicals": [_("危险化学品应为列表。")]})
    cleaned: list[ChemicalInput] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if number > MAX_CHEMICALS:
            errors.append(_("一个单元最多填写 %(max)d 种危险化学品。") % {"max": MAX_CHEMICALS})
            break
        try:
            item = entry if isinstance(entry, ChemicalInput) else clean_chemical(entry)
        except ValidationError as error:
            errors.extend(_("第%(n)d种：%(message)s") % {"n": number, "message": message} for message in error.messages)
            continue
        key = f"id:{item.chemical.pk}" if item.chemical is not None else f"name:{item.name}"
        if key in seen:
            errors.append(_("第%(n)d种：“%(name)s”在本单元已列出，同一单元内每种危险化学品只列一次。") % {
                "n": number, "name": item.label})
            continue
        seen.add(key)
        cleaned.append(item)
    if errors:
        raise ValidationError({"chemicals": errors})
    return cleaned


def _row_summary(rows: Iterable[UnitChemical | ChemicalInput]) -> list[list[str]]:
    return sorted([row.chemical.name if row.chemical is not None else row.name, str(row.max_quantity_t),
                   str(row.critical_quantity_t or ""), str(row.beta or ""), row.assessor_source] for row in rows)


def _check_key_processes(unit: HazardUnit, processes: Sequence[KeyProcess] | None) -> None:
    """重点监管危险化工工艺 belong to production units (issue 9 item 2): a storage unit has none."""
    if unit.kind == UnitKind.PRODUCTION:
        return
    named = processes if processes is not None else (list(unit.key_processes.all()) if unit.pk else [])
    if named:
        raise ValidationError({"key_processes": [_("重点监管危险化工工艺只能关联生产单元，储存单元不涉及工艺。")]})


def hazard_unit_save(*, actor: Any, unit: HazardUnit, chemicals: Iterable[Mapping[str, Any] | ChemicalInput] | None,
                     key_processes: Sequence[KeyProcess] | None = None, reason: str = "") -> HazardUnit:
    """Save `unit` with `chemicals` (None keeps its rows) and `key_processes` (None keeps them), then grade it.

    One transaction: the unit through scoped_save (ADD or CHANGE in the actor's reach, only declared fields, the
    `hazardunit.create`/`.update` event), its rows replaced (a row's ledger stock stays with its chemical), the
    `hazardunit.chemicals` event when the list changed, then `grading.regrade` (identification, grading, the
    registration and the enterprise's flag, each audited). Raises ValidationError or PermissionDenied and changes
    nothing."""
    cleaned = None if chemicals is None else clean_chemicals(chemicals)
    _check_key_processes(unit, key_processes)
    with transaction.atomic():
        scoped_save(actor=actor, obj=unit, reason=reason)
        if key_processes is not None:
            before_processes = set(unit.key_processes.values_list("pk", flat=True))
            if before_processes != {process.pk for process in key_processes}:
                unit.key_processes.set(key_processes)
                audit.record(actor=actor, action="hazardunit.key_processes", obj=unit, reason=reason,
                             data={"before": sorted(before_processes),
                                   "after": sorted(process.pk for process in key_processes)})
        if cleaned is not None:
            existing = list(UnitChemical.objects.filter(unit=unit).select_related("chemical"))
            before = _row_summary(existing)
            after = _row_summary(cleaned)
            if before != after:
                stock = {(row.chemical_id, "" if row.chemical_id else row.name): row.stock_t for row in existing}
                UnitChemical.objects.filter(unit=unit).delete()
                UnitChemical.objects.bulk_create([
                    UnitChemical(unit=unit, chemical=item.chemical, name=item.name, cas=item.cas,
                                 max_quantity_t=item.max_quantity_t,
                                 stock_t=stock.get((item.chemical.pk if item.chemical else None, item.name)),
                                 critical_quantity_t=item.critical_quantity_t, beta=item.beta,
                                 assessor_source=item.assessor_source)
                    for item in cleaned
                ])
                audit.record(actor=actor, action="hazardunit.chemicals", obj=unit, reason=reason,
                             data={"before": before, "after": after})
        grading.regrade(unit, actor=actor)
    return unit


def hazard_unit_delete(*, actor: Any, unit: HazardUnit, reason: str = "") -> None:
    """Delete a unit (DELETE on it), its rows and its registration; the enterprise's flag and level follow."""
    enterprise_id = unit.enterprise_id
    with transaction.atomic():
        scoped_delete(actor=actor, obj=unit, reason=reason)
        grading.follow_enterprise(enterprise_id, actor=actor)


def major_hazard_save(*, actor: Any, registration: MajorHazard, reason: str = "") -> MajorHazard:
    """Save a registration's 包保责任 persons (主要负责人, 技术负责人, 操作负责人 and their phones). The enterprise's
    own users and its regulators may; MajorHazard.editable_fields refuses every other field (number, level, dates
    and status are grading's), and its policy lets nobody add or delete a registration."""
    return scoped_save(actor=actor, obj=registration, reason=reason)
