"""GB 18218-2018 identification and grading of hazard units, kept on the unit on every change (issue 9 item 2).

`work()` turns a unit's chemicals into `gb18218.Item`s and runs `gb18218.identify` and `grade`; nothing is guessed:
a chemical whose Q cannot be determined leaves S a lower bound (the unit is major only if that bound reaches 1),
one whose β cannot be determined leaves R and the level open, and the unit says which chemical needs a hazard symbol
or an assessor's number. `regrade()` stores the working on the unit, registers, re-levels or deregisters its
重大危险源 and makes the enterprise's major-hazard flag and level follow (`follow_enterprise`). The ledger (item 3)
calls `regrade()` when a stock changes the quantity a unit holds.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import F, Min
from django.dispatch import Signal
from django.utils import timezone

from anjian.core import audit
from anjian.enterprises.models import Enterprise
from anjian.hazchem.models import Chemical, HazardUnit, MajorHazard, UnitChemical, UnitGrading
from anjian.hazchem.models.units import MajorHazardStatus
from anjian.standards import gb18218
from anjian.standards._errors import StandardsError

# 安监总局令第40号 第十一条: a registered 重大危险源 is assessed again every three years.
REVIEW_YEARS = 3
_PLACES = Decimal("0.0001")

# Sent inside the transaction whenever an enterprise's 重大危险源 flag or level moved (follow_enterprise), with
# `enterprise_id`; the risk app (a higher layer) recomputes the enterprise's colour on it (issue 9 item 5).
major_hazard_changed = Signal()
# Inside `followers_told_once()`: the enterprises whose flag or level moved, told at its end in one signal.
_moved_enterprises: ContextVar[set[int] | None] = ContextVar("moved_enterprises", default=None)
# Which quantity a row used: the unit's design maximum (GB 18218-2018 4.2.2) or a larger stock from the ledger.
BASIS_MAXIMUM = "maximum"
BASIS_STOCK = "stock"


def _decimal(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def _text(value: Fraction | Decimal | None) -> str | None:
    return None if value is None else str(_decimal(value))


def quantity_of(row: UnitChemical) -> tuple[Decimal, str]:
    """The q that counts: the design maximum, or the ledger's stock where it is larger (issue 9 item 3)."""
    if row.stock_t is not None and row.stock_t > row.max_quantity_t:
        return row.stock_t, BASIS_STOCK
    return row.max_quantity_t, BASIS_MAXIMUM


def named_in_table1(chemical: Chemical) -> bool:
    """Whether GB 18218-2018 Table 1 names `chemical` (its name or an alias, and its CAS number when it has one):
    one row, several (a name the standard splits by form) or a name and a CAS number on different rows."""
    numbers = chemical.cas_numbers
    try:
        gb18218.lookup(name=chemical.name, cas=numbers[0] if len(numbers) == 1 else "")
    except StandardsError as error:
        return error.code != "unknown_name"
    return True


def item_for(row: UnitChemical) -> gb18218.Item:
    """The standard's input for one chemical of a unit; raises StandardsError on a number the standard refuses."""
    quantity, _basis = quantity_of(row)
    chemical = row.chemical
    if chemical is not None:
        numbers = chemical.cas_numbers
        name = chemical.name
        # A catalogue row with several CAS numbers designates no single Table 1 row by CAS; its name decides.
        cas = numbers[0] if len(numbers) == 1 else ""
        symbols = tuple(entry["symbol"] for entry in chemical.hazard_symbols or ())
    else:
        name, cas, symbols = row.name, row.cas, ()
    return gb18218.Item(
        quantity_t=quantity, name=name, cas=cas, hazard_symbols=symbols,
        critical_quantity_t=row.critical_quantity_t, beta=row.beta,
    )


@dataclass(frozen=True)
class Working:
    """A unit's identification and grading as far as its data allows, ready to store and to show."""

    grading: str
    s: Decimal | None
    is_major: bool
    r: Decimal | None
    level: int | None
    document: dict[str, Any] = field(default_factory=dict)


def _row_document(row: UnitChemical, result: gb18218.Row) -> dict[str, Any]:
    _quantity, basis = quantity_of(row)
    return {
        "unit_chemical": row.pk,
        "chemical": row.chemical_id,
        "name": result.name,
        "cas": result.cas,
        "table1_name": result.table1_name,
        "hazard_symbols": list(result.hazard_symbols),
        "quantity_t": str(result.quantity_t),
        "quantity_basis": basis,
        "critical_quantity_t": str(result.critical_quantity_t),
        "critical_quantity_source": result.critical_quantity_source,
        "ratio": _text(result.ratio),
        "beta": None if result.beta is None else str(result.beta),
        "beta_source": result.beta_source,
        "weighted_ratio": _text(result.weighted_ratio),
    }


# The standard's answers are pure functions of its (frozen, hashable) inputs and its packaged tables, and a city's
# units repeat the same chemicals in the same quantities: remembering them makes the bulk path (a city's 7,700 demo
# units) several times faster; identifying one item costs about 1 ms, most of it normalising names.
# Decimal("10") == Decimal("10.0000"), but the working shows the number as written: the key carries the text too.
def _spelling(item: gb18218.Item) -> tuple[str, str, str]:
    return str(item.quantity_t), str(item.critical_quantity_t), str(item.beta)


@functools.lru_cache(maxsize=100_000)
def _identify_cached(item: gb18218.Item, _spelling: tuple[str, str, str]) -> gb18218.Row:
    return gb18218.identify([item]).rows[0]


@functools.lru_cache(maxsize=100_000)
def _grade_cached(items: tuple[gb18218.Item, ...], _spellings: tuple, exposed_people: int) -> gb18218.Grading:
    return gb18218.grade(items, exposed_people)


def _identify_one(item: gb18218.Item) -> gb18218.Row:
    return _identify_cached(item, _spelling(item))


def _grade(items: tuple[gb18218.Item, ...], exposed_people: int) -> gb18218.Grading:
    return _grade_cached(items, tuple(_spelling(item) for item in items), exposed_people)


def work(unit: HazardUnit, rows: Sequence[UnitChemical]) -> Working:
    """Identify (4.2.1) and grade (4.3) `unit` holding `rows`; each row is tried alone first, so one chemical the
    standard cannot place is named in `document["missing"]` instead of failing the whole unit."""
    if not rows:
        return Working(UnitGrading.EMPTY, None, False, None, None, {"rows": [], "missing": []})
    placed: list[tuple[UnitChemical, gb18218.Item, gb18218.Row]] = []
    missing: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for row in rows:
        chemical = row.chemical
        if chemical is not None and chemical.gb18218_exempt_source:
            # Outside the standard by staff's finding, with its source (Chemical.gb18218_exempt_source): not counted,
            # and the working says so.
            excluded.append({"unit_chemical": row.pk, "name": chemical.name,
                             "source": chemical.gb18218_exempt_source})
            continue
        try:
            item = item_for(row)
            result = _identify_one(item)
        except StandardsError as error:
            missing.append({"unit_chemical": row.pk, "name": row.label, "needs": "symbol", "code": error.code,
                            "message": str(error)})
            continue
        placed.append((row, item, result))
    s = sum((result.ratio for _row, _item, result in placed), Fraction(0))
    without_beta = [(row, result) for row, _item, result in placed if result.beta is None]
    for row, result in without_beta:
        missing.append({"unit_chemical": row.pk, "name": result.name, "needs": "beta", "code": "beta_missing",
                        "message": f"无法确定「{result.name}」的校正系数β（{result.critical_quantity_source}），"
                                   "请补充危险性类别符号或由评价人员确定β"})
    document: dict[str, Any] = {
        "method": gb18218.METHOD,
        "method_version": gb18218.METHOD_VERSION,
        "rows": [_row_document(row, result) for row, _item, result in placed],
        "missing": missing,
        "excluded": excluded,
        "s": _text(s),
        "s_is_lower_bound": any(entry["needs"] == "symbol" for entry in missing),
        "exposed_people": unit.exposed_people,
        "alpha": str(gb18218.alpha_for(unit.exposed_people)),
    }
    # S is exact when every Q is known; otherwise it is a lower bound, which still settles a unit at or above 1.
    is_major = s >= 1
    if any(entry["needs"] == "symbol" for entry in missing):
        return Working(UnitGrading.NEEDS_SYMBOL, _decimal(s), is_major, None, None, document)
    if without_beta:
        return Working(UnitGrading.NEEDS_BETA, _decimal(s), is_major, None, None, document)
    if not placed:
        # Every chemical of the unit is outside the standard: nothing to identify, S = R = 0, no major hazard.
        document.update({"alpha_source": "", "r": "0", "level": None, "level_label": None})
        return Working(UnitGrading.GRADED, Decimal(0), False, Decimal(0), None, document)
    graded = _grade(tuple(item for _row, item, _result in placed), unit.exposed_people)
    document.update({
        "alpha_source": graded.alpha_source,
        "r": _text(graded.r),
        "level": graded.level,
        "level_label": graded.level_label,
    })
    return Working(UnitGrading.GRADED, _decimal(graded.s), graded.is_major, _decimal(graded.r), graded.level,
                   document)


@dataclass(frozen=True)
class Change:
    """What a regrade changed that people must hear of: the unit crossed S = 1 or its level moved."""

    unit: HazardUnit
    was_major: bool
    is_major: bool
    old_level: int | None
    new_level: int | None

    @property
    def matters(self) -> bool:
        return self.was_major != self.is_major or self.old_level != self.new_level


def _review_due(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + REVIEW_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + REVIEW_YEARS, day=28)


def registration_number(unit: HazardUnit, day: dt.date, *, region_code: str | None = None) -> str:
    """登记编号: the enterprise's town code, the year and the unit's number, unique because the unit's is."""
    town = (region_code or unit.enterprise.region.code)[:9]
    return f"{town}-{day.year}-{unit.pk:06d}"


def _register(unit: HazardUnit, *, actor: Any, now: dt.datetime) -> None:
    today = timezone.localdate(now)
    registration = MajorHazard.objects.filter(unit=unit).first()
    if unit.is_major:
        if registration is None:
            registration = MajorHazard.objects.create(
                enterprise_id=unit.enterprise_id, unit=unit, registration_number=registration_number(unit, today),
                level=unit.level, registered_on=today, review_due=_review_due(today),
            )
            audit.record(actor=actor, action="majorhazard.register", obj=registration,
                         data={"level": unit.level, "s": str(unit.s)})
        elif registration.status != MajorHazardStatus.REGISTERED or registration.level != unit.level:
            registration.status = MajorHazardStatus.REGISTERED
            registration.level = unit.level
            registration.save(update_fields=["status", "level", "updated"])
            audit.record(actor=actor, action="majorhazard.relevel", obj=registration, data={"level": unit.level})
    elif registration is not None and registration.status == MajorHazardStatus.REGISTERED:
        registration.status = MajorHazardStatus.DEREGISTERED
        registration.save(update_fields=["status", "updated"])
        audit.record(actor=actor, action="majorhazard.deregister", obj=registration, data={"s": str(unit.s)})


def follow_enterprise(enterprise_id: int, *, actor: Any = None) -> bool:
    """The enterprise's 重大危险源 flag and level from its units (issue 9 item 2); True when they changed."""
    majors = HazardUnit.objects.filter(enterprise_id=enterprise_id, is_major=True)
    is_major = majors.exists()
    level = majors.aggregate(level=Min("level"))["level"] if is_major else None
    enterprise = Enterprise.objects.only("pk", "major_hazard", "major_hazard_level").get(pk=enterprise_id)
    if (enterprise.major_hazard, enterprise.major_hazard_level) == (is_major, level):
        return False
    before = {"major_hazard": enterprise.major_hazard, "major_hazard_level": enterprise.major_hazard_level}
    Enterprise.objects.filter(pk=enterprise_id).update(major_hazard=is_major, major_hazard_level=level)
    enterprise.major_hazard, enterprise.major_hazard_level = is_major, level
    audit.record(actor=actor, action="enterprise.major_hazard_follow", obj=enterprise,
                 data={"before": before, "after": {"major_hazard": is_major, "major_hazard_level": level}})
    moved = _moved_enterprises.get()
    if moved is not None:
        moved.add(enterprise_id)
    else:
        major_hazard_changed.send(sender=Enterprise, enterprise_id=enterprise_id, actor=actor)
    return True


@contextmanager
def followers_told_once(*, actor: Any = None) -> Iterator[None]:
    """Within it, units saved one by one (an import of many units) do not tell the colours of each enterprise
    whose 重大危险源 flag or level moved at once: at the end, `major_hazards_regraded` names them all in one signal
    (the risk app then grades them and their villages and towns once: at city scale a colour per unit cost more
    than the unit itself). Use it inside the caller's transaction; when the block fails nobody is told."""
    moved: set[int] = set()
    token = _moved_enterprises.set(moved)
    try:
        yield
    finally:
        _moved_enterprises.reset(token)
    if moved:
        major_hazards_regraded.send(sender=Enterprise, enterprise_ids=sorted(moved), actor=actor)


def regrade(unit: HazardUnit, *, actor: Any = None, now: dt.datetime | None = None) -> Change:
    """Work the unit out again, store it, keep its registration and its enterprise's flag; one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(UnitChemical.objects.filter(unit=unit).select_related("chemical").order_by("id"))
        was_major, old_level = unit.is_major, unit.level
        result = work(unit, rows)
        unit.grading, unit.s, unit.is_major, unit.r, unit.level = (
            result.grading, result.s, result.is_major, result.r, result.level)
        unit.working, unit.graded_at = result.document, now
        unit.save(update_fields=["grading", "s", "is_major", "r", "level", "working", "graded_at", "updated"])
        change = Change(unit, was_major, unit.is_major, old_level, unit.level)
        if change.matters:
            audit.record(actor=actor, action="hazardunit.grade", obj=unit, data={
                "before": {"is_major": was_major, "level": old_level},
                "after": {"is_major": unit.is_major, "level": unit.level, "s": str(unit.s), "r": _text(unit.r)},
            })
        _register(unit, actor=actor, now=now)
        follow_enterprise(unit.enterprise_id, actor=actor)
    return change


def regrade_units(units: Iterable[HazardUnit], *, actor: Any = None, now: dt.datetime | None = None) -> list[Change]:
    return [regrade(unit, actor=actor, now=now) for unit in units]


# Sent once after `regrade_all` with the ids of the enterprises whose 重大危险源 flag or level moved: a bulk path
# (the demo city, a reference-data change) must not send `major_hazard_changed` a hundred thousand times.
major_hazards_regraded = Signal()
# Units graded per round of regrade_all: their rows, registrations and enterprises are read in one query each.
REGRADE_BATCH = 2000
UNIT_FIELDS = ("grading", "s", "is_major", "r", "level", "working", "graded_at", "updated")


@dataclass
class BulkGrading:
    """What `regrade_all` did."""

    units: int = 0
    changed: int = 0
    registered: int = 0
    relevelled: int = 0
    deregistered: int = 0
    enterprises: int = 0
    enterprise_ids: list[int] = field(default_factory=list)


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start: start + size]


def regrade_all(units: Any = None, *, actor: Any = None, now: dt.datetime | None = None,
                batch_size: int = REGRADE_BATCH) -> BulkGrading:
    """`regrade` for many units at once (the demo city, a change of the catalogue's symbols): the same working, kept
    and registered the same way, but graded in memory and written in batches (anjian.core.bulk: one prepared UPDATE
    per batch), with one `hazardunit.regrade_all` audit event for the whole run instead of one per unit, the
    enterprises' flags and levels set in one pass, and `major_hazards_regraded` sent once. `units` is a queryset of
    HazardUnit (default: all). History rows are not written for the units (their `working` is excluded anyway)."""
    from anjian.core.bulk import update_fields

    now = now or timezone.now()
    today = timezone.localdate(now)
    queryset = HazardUnit.objects.all() if units is None else units
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    result = BulkGrading(units=len(ids))
    touched: set[int] = set()
    with transaction.atomic():
        for chunk in _chunks(ids, batch_size):
            # Only what the working reads: building full enterprise, region and chemical objects for every row was
            # most of the time at city scale (each chemical is read once per batch and shared by its rows).
            batch = list(HazardUnit.objects.filter(pk__in=chunk).annotate(region_code=F("enterprise__region__code"))
                         .only("pk", "enterprise_id", "name", "exposed_people", *UNIT_FIELDS).order_by("pk"))
            rows: dict[int, list[UnitChemical]] = {}
            unit_rows = list(UnitChemical.objects.filter(unit_id__in=chunk).order_by("id"))
            chemicals = Chemical.objects.in_bulk({row.chemical_id for row in unit_rows if row.chemical_id})
            for row in unit_rows:
                if row.chemical_id:
                    row.chemical = chemicals[row.chemical_id]
                rows.setdefault(row.unit_id, []).append(row)
            registrations = {item.unit_id: item for item in MajorHazard.objects.filter(unit_id__in=chunk)}
            changed: list[HazardUnit] = []
            new: list[MajorHazard] = []
            moved: list[MajorHazard] = []
            for unit in batch:
                worked = work(unit, rows.get(unit.pk, []))
                before = (unit.grading, unit.s, unit.is_major, unit.r, unit.level, unit.working)
                after = (worked.grading, worked.s, worked.is_major, worked.r, worked.level, worked.document)
                if before != after:
                    unit.grading, unit.s, unit.is_major, unit.r, unit.level = after[:5]
                    unit.working, unit.graded_at, unit.updated = worked.document, now, now
                    changed.append(unit)
                    touched.add(unit.enterprise_id)
                registration = registrations.get(unit.pk)
                if unit.is_major and registration is None:
                    new.append(MajorHazard(
                        enterprise_id=unit.enterprise_id, unit=unit, level=unit.level, registered_on=today,
                        review_due=_review_due(today),
                        registration_number=registration_number(unit, today, region_code=unit.region_code),
                        created=now, updated=now))
                elif unit.is_major and (registration.status != MajorHazardStatus.REGISTERED
                                        or registration.level != unit.level):
                    registration.status, registration.level, registration.updated = (
                        MajorHazardStatus.REGISTERED, unit.level, now)
                    moved.append(registration)
                    result.relevelled += 1
                elif not unit.is_major and registration is not None \
                        and registration.status == MajorHazardStatus.REGISTERED:
                    registration.status, registration.updated = MajorHazardStatus.DEREGISTERED, now
                    moved.append(registration)
                    result.deregistered += 1
            if changed:
                update_fields(HazardUnit, changed, UNIT_FIELDS)
            if new:
                MajorHazard.objects.bulk_create(new, batch_size=1000)
            if moved:
                update_fields(MajorHazard, moved, ("status", "level", "updated"))
            result.changed += len(changed)
            result.registered += len(new)
        result.enterprise_ids = _follow_enterprises(touched)
        result.enterprises = len(result.enterprise_ids)
        if result.changed or result.registered:
            audit.record_bulk(actor=actor, action="hazardunit.regrade_all", model=HazardUnit, data={
                "created": result.registered, "updated": result.changed, "units": result.units,
                "relevelled": result.relevelled, "deregistered": result.deregistered,
                "enterprises": result.enterprises})
        if result.enterprise_ids:
            major_hazards_regraded.send(sender=Enterprise, enterprise_ids=result.enterprise_ids, actor=actor)
    return result


def _follow_enterprises(enterprise_ids: Iterable[int]) -> list[int]:
    """`follow_enterprise` for many enterprises: their flag and highest level from their units, set where moved."""
    from anjian.core.bulk import update_fields

    moved: list[Enterprise] = []
    for chunk in _chunks(sorted(enterprise_ids), REGRADE_BATCH):
        levels = dict(HazardUnit.objects.filter(enterprise_id__in=chunk, is_major=True).values("enterprise_id")
                      .annotate(level=Min("level")).values_list("enterprise_id", "level"))
        for enterprise in Enterprise.objects.filter(pk__in=chunk).only("pk", "major_hazard", "major_hazard_level"):
            wanted = (enterprise.pk in levels, levels.get(enterprise.pk))
            if (enterprise.major_hazard, enterprise.major_hazard_level) != wanted:
                enterprise.major_hazard, enterprise.major_hazard_level = wanted
                moved.append(enterprise)
    if moved:
        update_fields(Enterprise, moved, ("major_hazard", "major_hazard_level"))
    return [enterprise.pk for enterprise in moved]
