"""Recomputing enterprise and region colours (issue 9 item 5): one enterprise with its village and town, or every
one at once (the nightly job).

Both paths read with a few aggregate queries (the distinct colours of each enterprise's assessed units, open 重大隐患
and overdue hazards counted per enterprise from the hazards table's indexes, the flags from the enterprise rows),
grade in Python with anjian.risk.colour_method, and write only what changed: changed rows in batched UPDATEs, new
rows in one INSERT, and one AuditEvent per changed colour (`enterprisecolour.change`, `regioncolour.change`, with
from, to and the reasons) in one statement. A run over unchanged data writes nothing at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.bulk import insert_values, update_fields
from anjian.core.i18n import stored_text
from anjian.core.scope import allows
from anjian.enterprises.choices import OperatingStatus
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel
from anjian.hazards.models import Hazard
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.risk import colour_method as method
from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit
from anjian.risk.models.colours import RECOMPUTE

ENTERPRISE_CHANGE = "enterprisecolour.change"
REGION_CHANGE = "regioncolour.change"
ENTERPRISE_COMPUTE = "enterprisecolour.compute"
REGION_COMPUTE = "regioncolour.compute"
# Enterprises counted in their village's and town's mix: those in operation, and suspended ones (they may resume
# any day); closed and banned ones keep their own colour but no longer weigh on a region.
COUNTED_STATUSES = (OperatingStatus.OPERATING, OperatingStatus.SUSPENDED)
CHUNK = 2_000  # ids per IN (...) list when reading one part of the city (below SQLite's parameter limit)
ENTERPRISE_FIELDS = ("id", "name", "domain", "region_id", "region__code", "operating_status", "major_hazard",
                     "major_hazard_level", "key_process", "key_chemical", "dust_explosion", "ammonia_refrigeration")
# The enterprise's own fields that method.Profile reads (with the units' and hazards' aggregates, the whole input).
PROFILE_FIELDS = ("major_hazard", "major_hazard_level", "key_process", "key_chemical", "dust_explosion",
                  "ammonia_refrigeration")
STORED_FIELDS = ["inherent", "dynamic", "reasons", "inputs", "method", "method_version", "computed_at"]
REGION_FIELDS = ["colour", "red", "orange", "yellow", "blue", "reason", "method", "method_version", "computed_at"]


class NotAllowed(PermissionError):
    """The actor may not recompute this enterprise's colour (outside its reach, or not a regulator)."""


@dataclass
class Run:
    """What a recompute did (the job's answer, the bench and the tests read it)."""

    enterprises: int = 0
    created: int = 0
    updated: int = 0
    enterprise_changes: int = 0
    regions: int = 0
    region_changes: int = 0


# --- reading ------------------------------------------------------------------------------------------------------

def _worst_units(enterprise_ids: list[int] | None) -> tuple[dict[int, str], dict[int, int]]:
    """Per enterprise: the worst colour of its assessed units and how many are assessed (one GROUP BY over the
    (enterprise, colour) index)."""
    rows = RiskUnit._base_manager.exclude(colour="")
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    severity = Case(*(When(colour=colour, then=Value(rank)) for rank, colour in enumerate(method.ORDER)),
                    output_field=IntegerField())
    worst: dict[int, str] = {}
    assessed: dict[int, int] = {}
    grouped = rows.values_list("enterprise_id").annotate(worst=Max(severity), n=Count("id")).order_by()
    for enterprise_id, rank, count in grouped:
        worst[enterprise_id] = method.ORDER[rank]
        assessed[enterprise_id] = count
    return worst, assessed


def _hazard_facts(enterprise_ids: list[int] | None) -> tuple[Counter[int], Counter[int]]:
    """Per enterprise: open 重大隐患 and overdue open hazards (the `overdue` flag the morning job keeps), counted on
    the hazards' (enterprise, status) and (status, overdue) indexes."""
    hazards = Hazard._base_manager.filter(status__in=OPEN_STATUSES)
    if enterprise_ids is not None:
        hazards = hazards.filter(enterprise_id__in=enterprise_ids)
    counts = (
        hazards.filter(Q(level=HazardLevel.MAJOR) | Q(overdue=True))
        .values("enterprise_id")
        .annotate(major=Count("id", filter=Q(level=HazardLevel.MAJOR)), overdue=Count("id", filter=Q(overdue=True)))
        .order_by()
    )
    major: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for row in counts:
        major[row["enterprise_id"]] = row["major"]
        overdue[row["enterprise_id"]] = row["overdue"]
    return major, overdue


def _inputs(row: dict[str, Any], worst: dict[int, str], assessed: dict[int, int], major: Counter[int],
            overdue: Counter[int]) -> tuple[method.Profile, method.Facts]:
    pk = row["id"]
    profile = method.Profile(
        worst_unit=worst.get(pk, ""), assessed_units=assessed.get(pk, 0), major_hazard=row["major_hazard"],
        major_hazard_level=row["major_hazard_level"], key_process=row["key_process"],
        key_chemical=row["key_chemical"], dust_explosion=row["dust_explosion"],
        ammonia_refrigeration=row["ammonia_refrigeration"],
    )
    return profile, method.Facts(open_major_hazards=major[pk], overdue_hazards=overdue[pk])


def _enterprise_for_audit(row: dict[str, Any]) -> Enterprise:
    """An unsaved Enterprise carrying what an audit event reads (name, domain, region code): no query per event."""
    enterprise = Enterprise(id=row["id"], name=row["name"], domain=row["domain"], region_id=row["region_id"])
    enterprise.region = Region(id=row["region_id"], code=row["region__code"])
    return enterprise


# --- enterprises --------------------------------------------------------------------------------------------------

def _recompute_enterprises(rows: list[dict[str, Any]], ids: list[int] | None, *, actor: Any, now: dt.datetime,
                           run: Run, reason: str) -> dict[int, str]:
    """Grade `rows` (enterprise values; `ids` theirs, or None for every enterprise) and write what changed; answer
    each enterprise's dynamic colour. A stored result whose inputs and method version are unchanged is not graded
    again (the method is a function of them): the nightly run compares one short string per enterprise."""
    run.enterprises += len(rows)
    worst: dict[int, str] = {}
    assessed: dict[int, int] = {}
    major: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    stored: dict[int, tuple[int, str, str, str, str, str]] = {}
    for chunk in ([None] if ids is None else [ids[i: i + CHUNK] for i in range(0, len(ids), CHUNK)]):
        part_worst, part_assessed = _worst_units(chunk)
        worst.update(part_worst)
        assessed.update(part_assessed)
        part_major, part_overdue = _hazard_facts(chunk)
        major.update(part_major)
        overdue.update(part_overdue)
        colours = EnterpriseColour._base_manager.order_by()
        if chunk is not None:
            colours = colours.filter(enterprise_id__in=chunk)
        for pk, enterprise_id, *values in colours.values_list("id", "enterprise_id", "inherent", "dynamic", "inputs",
                                                              "method", "method_version"):
            stored[enterprise_id] = (pk, *values)
    version = (method.METHOD, method.METHOD_VERSION)
    created: list[dict[str, Any]] = []
    moved: list[EnterpriseColour] = []  # the dynamic colour changed: changed_at too
    refreshed: list[EnterpriseColour] = []
    changed: list[tuple[EnterpriseColour, dict[str, Any], tuple[str, str]]] = []
    dynamic: dict[int, str] = {}
    # The grading is a function of its inputs, and a city has few distinct ones (a few thousand among 200,000
    # enterprises): each is graded, described and its reasons built once, and rows share them (bulk.py then
    # encodes each shared reasons list once).
    graded: dict[tuple[Any, ...], tuple[str, method.Result, list[dict[str, str]]]] = {}
    for row in rows:
        pk = row["id"]
        key = (worst.get(pk, ""), assessed.get(pk, 0), major[pk], overdue[pk],
               *(row[name] for name in PROFILE_FIELDS))
        hit = graded.get(key)
        if hit is None:
            profile, facts = _inputs(row, worst, assessed, major, overdue)
            result = method.grade_enterprise(profile, facts)
            hit = graded[key] = (method.inputs_text(profile, facts), result, result.reasons_as_dicts())
        inputs, result, reasons = hit
        current = stored.get(pk)
        if current is not None and current[3] == inputs and (current[4], current[5]) == version:
            dynamic[pk] = current[2]
            continue
        dynamic[pk] = result.dynamic
        values = {"enterprise_id": pk, "inherent": result.inherent, "dynamic": result.dynamic,
                  "reasons": reasons, "inputs": inputs, "method": method.METHOD,
                  "method_version": method.METHOD_VERSION, "computed_at": now, "changed_at": now, "created": now,
                  "updated": now}
        if current is None:
            # A first colour is no change of colour: the run's one `enterprisecolour.compute` event counts them.
            created.append(values)
            continue
        colour = EnterpriseColour(id=current[0], **values)
        before = (current[1], current[2])
        (moved if before[1] != result.dynamic else refreshed).append(colour)
        if before != (result.inherent, result.dynamic):
            # Only a change of colour is a decision worth a line in the audit log; new inputs alone are not.
            changed.append((colour, row, before))
    _insert(EnterpriseColour, created)
    update_fields(EnterpriseColour, moved, [*STORED_FIELDS, "changed_at", "updated"])
    update_fields(EnterpriseColour, refreshed, [*STORED_FIELDS, "updated"])
    events = []
    for current, row, before in changed:
        current.enterprise = _enterprise_for_audit(row)
        events.append(audit.event(actor=actor, action=ENTERPRISE_CHANGE, obj=current, reason=reason, data={
            "from": {"inherent": before[0], "dynamic": before[1]},
            "to": {"inherent": current.inherent, "dynamic": current.dynamic},
            "reasons": current.reasons, "inputs": current.inputs, "method": method.METHOD,
            "method_version": method.METHOD_VERSION,
        }))
    audit.record_many(events)
    if created:
        audit.record_bulk(actor=actor, action=ENTERPRISE_COMPUTE, model=EnterpriseColour, reason=reason,
                          data={"created": len(created)},
                          summary=stored_text(_("首次评定企业风险等级 %(count)d 家"), count=len(created)))
    run.created += len(created)
    run.updated += len(moved) + len(refreshed)
    run.enterprise_changes += len(events)
    return dynamic


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT new derived rows (values by attribute name) in batches, COPY on PostgreSQL, without building model
    instances; their keys are not needed (no event names them)."""
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    insert_values(model, fields, [[row[field.attname] for field in fields] for row in rows])


# --- regions ------------------------------------------------------------------------------------------------------

def _recompute_regions(counts: dict[int, Counter[str]], regions: Iterable[Region], *, actor: Any, now: dt.datetime,
                       run: Run, reason: str) -> None:
    """Grade each of `regions` from `counts` (region id → enterprises per colour) and write what changed."""
    regions = list(regions)
    stored_rows = RegionColour._base_manager.order_by()
    if len(regions) < CHUNK:
        stored_rows = stored_rows.filter(region_id__in=[region.pk for region in regions])
    stored = {colour.region_id: colour for colour in stored_rows}
    by_id = {region.pk: region for region in regions}
    created: list[dict[str, Any]] = []
    updated: list[RegionColour] = []
    changed: list[tuple[RegionColour, str, Counter[str]]] = []
    for region in regions:
        mix = counts.get(region.pk, Counter())
        result = method.grade_region(mix)
        values = {"colour": result.colour, "red": mix[method.RED], "orange": mix[method.ORANGE],
                  "yellow": mix[method.YELLOW], "blue": mix[method.BLUE], "reason": result.reason,
                  "method": method.REGION_METHOD, "method_version": method.REGION_METHOD_VERSION}
        current = stored.get(region.pk)
        if current is None:
            created.append({"region_id": region.pk, "code": region.code, "level": region.level, "computed_at": now,
                            "created": now, "updated": now, **values})
            continue
        before = current.colour
        if all(getattr(current, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(current, name, value)
        current.computed_at = current.updated = now
        updated.append(current)
        if before != result.colour:
            changed.append((current, before, mix))
    _insert(RegionColour, created)
    update_fields(RegionColour, updated, [*REGION_FIELDS, "updated"])
    events = []
    for current, before, mix in changed:
        current.region = by_id[current.region_id]  # the event names the region: no query per event
        events.append(audit.event(actor=actor, action=REGION_CHANGE, obj=current, reason=reason, data={
            "from": before, "to": current.colour, "reasons": [current.reason],
            "counts": {colour: mix[colour] for colour in method.ORDER},
            "method": method.REGION_METHOD, "method_version": method.REGION_METHOD_VERSION,
        }))
    audit.record_many(events)
    if created:
        audit.record_bulk(actor=actor, action=REGION_COMPUTE, model=RegionColour, reason=reason,
                          data={"created": len(created)},
                          summary=stored_text(_("首次评定区域风险等级 %(count)d 个"), count=len(created)))
    run.regions += len(regions)
    run.region_changes += len(events)


def _mix_from_rows(rows: list[dict[str, Any]], dynamic: dict[int, str], town_of: dict[int, int]
                   ) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["operating_status"] not in COUNTED_STATUSES:
            continue
        colour = dynamic[row["id"]]
        counts[row["region_id"]][colour] += 1
        town = town_of.get(row["region_id"])
        if town is not None:
            counts[town][colour] += 1
    return counts


def _mix_from_table(places: Iterable[Region]) -> dict[int, Counter[str]]:
    """The stored dynamic colours of the enterprises of each of `places` (villages and towns) as recompute_all counts
    them: a village's own enterprises; a town's own and those of its villages. Counted by the database, a GROUP BY
    per kind of link."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    counted = EnterpriseColour._base_manager.filter(enterprise__operating_status__in=COUNTED_STATUSES).order_by()
    own = [place.pk for place in places]
    towns = [place.pk for place in places if place.level == RegionLevel.TOWN]
    for key, region_ids in (("enterprise__region_id", own), ("enterprise__region__parent_id", towns)):
        for start in range(0, len(region_ids), CHUNK):
            grouped = (counted.filter(**{f"{key}__in": region_ids[start: start + CHUNK]})
                       .values_list(key, "dynamic").annotate(n=Count("id")))
            for region_id, colour, n in grouped:
                counts[region_id][colour] += n
    return counts


def _places_of(region_ids: Iterable[int]) -> list[Region]:
    """The villages and towns the enterprises on `region_ids` weigh on (their own region, and a village's town), each
    once; the city is not graded."""
    regions = list(Region._base_manager.filter(pk__in=set(region_ids)).select_related("parent"))
    places = {region.pk: region for region in regions if region.level in (RegionLevel.TOWN, RegionLevel.VILLAGE)}
    for region in regions:
        if region.level == RegionLevel.VILLAGE and region.parent is not None:
            places.setdefault(region.parent.pk, region.parent)
    return list(places.values())


# --- the two entry points -----------------------------------------------------------------------------------------

def recompute_enterprise(enterprise_id: int, *, actor: Any = None, reason: str = "",
                         now: dt.datetime | None = None) -> EnterpriseColour:
    """Grade one enterprise again, and its village and town (issue 9 item 5). `actor` None is the platform itself
    (a signal, the job); a person must be a regulator who reaches the enterprise (`recompute`)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(Enterprise._base_manager.filter(pk=enterprise_id).values(*ENTERPRISE_FIELDS))
        if not rows:
            raise Enterprise.DoesNotExist(enterprise_id)
        if actor is not None:
            stored = EnterpriseColour._base_manager.filter(enterprise_id=enterprise_id).first()
            probe = stored or EnterpriseColour(enterprise_id=enterprise_id)
            if not allows(actor, RECOMPUTE, _bound(probe, rows[0])):
                raise NotAllowed(enterprise_id)
        run = Run()
        _recompute_enterprises(rows, [enterprise_id], actor=actor, now=now, run=run, reason=reason)
        places = _places_of([rows[0]["region_id"]])
        _recompute_regions(_mix_from_table(places), places, actor=actor, now=now, run=run, reason=reason)
        return EnterpriseColour._base_manager.get(enterprise_id=enterprise_id)


def recompute_enterprises(enterprise_ids: Iterable[int], *, reason: str = "", now: dt.datetime | None = None) -> Run:
    """`recompute_enterprise` for many enterprises at once, by the platform (a bulk regrade, an import of units):
    their rows graded in one pass, then each of their villages and towns once."""
    now = now or timezone.now()
    ids = sorted(set(enterprise_ids))
    run = Run()
    with transaction.atomic():
        rows = []
        for start in range(0, len(ids), CHUNK):
            rows.extend(Enterprise._base_manager.filter(pk__in=ids[start: start + CHUNK]).order_by()
                        .values(*ENTERPRISE_FIELDS))
        _recompute_enterprises(rows, [row["id"] for row in rows], actor=None, now=now, run=run, reason=reason)
        places = _places_of(row["region_id"] for row in rows)
        _recompute_regions(_mix_from_table(places), places, actor=None, now=now, run=run, reason=reason)
    return run


def _bound(colour: EnterpriseColour, row: dict[str, Any]) -> EnterpriseColour:
    colour.enterprise = _enterprise_for_audit(row)
    return colour


def recompute_all(*, now: dt.datetime | None = None) -> Run:
    """Grade every enterprise, village and town (the nightly job). Idempotent: unchanged data writes nothing."""
    now = now or timezone.now()
    run = Run()
    with transaction.atomic():
        rows = list(Enterprise._base_manager.order_by().values(*ENTERPRISE_FIELDS))
        dynamic = _recompute_enterprises(rows, None, actor=None, now=now, run=run, reason="")
        regions = list(Region._base_manager.filter(level__in=(RegionLevel.TOWN, RegionLevel.VILLAGE)).order_by("code"))
        town_of = {region.pk: region.parent_id for region in regions if region.level == RegionLevel.VILLAGE}
        _recompute_regions(_mix_from_rows(rows, dynamic, town_of), regions, actor=None, now=now, run=run, reason="")
    return run


# --- what follows other apps' changes -------------------------------------------------------------------------------

def follow_major_hazard(sender: Any, *, enterprise_id: int, actor: Any = None, **kwargs: Any) -> None:
    """anjian.hazchem.grading.major_hazard_changed: the enterprise's 重大危险源 level moved; its colour follows in
    the same transaction. The platform recomputes (actor None): the person changed a hazard unit, not a colour."""
    recompute_enterprise(enterprise_id, reason=stored_text(_("重大危险源级别变化")))


# Above this many enterprises a bulk regrade recomputes everything: one pass of recompute_all reads every enterprise
# (about 4 s for 200,000, docs/benchmarks.md), a batch reads only its own but by lists of ids.
FOLLOW_IN_BATCH = 20_000


def follow_major_hazards(sender: Any, *, enterprise_ids: list[int], actor: Any = None, **kwargs: Any) -> None:
    """`hazchem.grading.major_hazards_regraded`: a bulk change (a chemical's symbols entered, an import of units, the
    demo) moved the major-hazard level of these enterprises; their colours follow in the same transaction."""
    if len(enterprise_ids) > FOLLOW_IN_BATCH:
        recompute_all()
        return
    recompute_enterprises(enterprise_ids, reason=stored_text(_("重大危险源级别变化")))


def demo_colours(options: Any) -> str:
    """The demo's last generator: grade the demo city once everything else is written."""
    run = recompute_all()
    return stored_text(_("企业风险等级 %(enterprises)d 家，区域 %(regions)d 个"), enterprises=run.enterprises,
                       regions=run.regions)


def delete_generated_for(enterprise_ids: models.QuerySet) -> str:
    """`generate-demo --replace`: the generated enterprises' colours, set-based, before the enterprises go. The
    villages' and towns' colours stay until the next recompute (the demo's last generator runs one)."""
    count = EnterpriseColour._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(connection.alias)
    return stored_text(_("已删除演示企业的风险等级 %(count)d 条。"), count=count) if count else ""
