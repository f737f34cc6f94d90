"""Reads of the hazard statistics and the rectification rate (issue 8 item 7): the statistics page and the home
dashboard. Every count is over the hazards `user` may view (the jurisdiction of `Hazard.objects.restrict(user,
VIEW)`) and is summed in the database (architecture rules 2 and 8).

The rectification rate of a period is closed on time / due: due are the hazards whose deadline falls in the period
(by default this year up to today); closed on time are those of them closed (销号) whose rectification was
completed (`rectified_at`, as a local date) on or before the deadline.

Where the reach and the region are whole towns, departments or the city, the counts are sums over the running
counts (anjian.hazards.tally: a few thousand rows, however many hazards); an enterprise's reach, an expert's
assigned enterprises or a village are counted from their hazards directly (they hold a few thousand at most). Both
give the same numbers (anjian/hazards/tests/test_tally.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from anjian.core.scope import VIEW, Jurisdiction, Scope, code_range, jurisdiction_of
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from anjian.hazards.models import Hazard, HazardDueTally, HazardTally
from anjian.hazards.tally import LISTED, TOWN_PREFIX_LENGTH, local_date
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region

# How the running counts reach the tree: a tally row's village code and a due row's town code, with the domain.
STATE_SCOPE = Scope(region_code="region_code", domain="domain")
DUE_SCOPE = Scope(region_code="town_code", domain="domain")


@dataclass(frozen=True)
class Period:
    """The days whose deadlines count as due (both ends included)."""

    start: dt.date
    end: dt.date

    @classmethod
    def this_year(cls, as_of: dt.date | None = None) -> Period:
        today = as_of or timezone.localdate()
        return cls(start=today.replace(month=1, day=1), end=today)


def rate(on_time: int, due: int) -> float | None:
    """Closed on time as a share of due, in per cent (None when nothing was due: no rate, rather than 0 %)."""
    return round(100 * on_time / due, 1) if due else None


def hazards_in(*, user: Any, region: Region | None = None) -> QuerySet[Hazard]:
    """The hazards `user` may view, in `region`'s subtree when one is given (the region dashboards): a code range on
    the hazard's own copy of its village code (Hazard.region_code, indexed)."""
    queryset = Hazard.objects.restrict(user, VIEW)
    if region is not None and region.level != RegionLevel.CITY:
        queryset = queryset.filter(region_code__range=code_range(region.prefix))
    return queryset


STATE_KEYS = ("total", *HazardStatus.values, "open", "major", "major_open", "overdue", "listed")
COUNT_KEYS = frozenset({*STATE_KEYS, "due", "on_time"})


def _state_measures(count: Callable[[Q | None], Any], listed: Q) -> dict[str, Any]:
    """The counts that do not depend on the period, each built by `count(condition)`; `listed` is the condition of
    a hazard under 挂牌督办."""
    return {
        "total": count(None),
        **{status.value: count(Q(status=status)) for status in HazardStatus},
        "open": count(Q(status__in=OPEN_STATUSES)),
        "major": count(Q(level=HazardLevel.MAJOR)),
        "major_open": count(Q(status__in=OPEN_STATUSES, level=HazardLevel.MAJOR)),
        "overdue": count(Q(overdue=True)),
        "listed": count(listed),
    }


@dataclass(frozen=True)
class Source:
    """Where the counts of one reach come from: `states` (rows to count or sum for the state counts) and `dues`
    (rows whose deadline is in the period), with the aggregates that count them and the field naming each row's
    place (a village code, or a town code in the due tally)."""

    states: QuerySet
    dues: QuerySet
    state_measures: dict[str, Any]
    due_measures: dict[str, Any]
    due_place: str


def _tally_source(user: Any, region: Region | None, period: Period) -> Source | None:
    """The running counts for `user` and `region`, or None when they cannot express the reach (see the module)."""
    reach: Jurisdiction = jurisdiction_of(user, VIEW, Hazard)
    if reach.enterprise_ids or any(len(prefix) > TOWN_PREFIX_LENGTH for prefix in reach.region_prefixes):
        return None
    if region is not None and region.level not in (RegionLevel.CITY, RegionLevel.TOWN):
        return None

    def narrowed(queryset: QuerySet, scope: Scope) -> QuerySet:
        condition = reach.q(scope)
        queryset = queryset.none() if condition is None else queryset.filter(condition)
        if region is not None and region.level != RegionLevel.CITY:
            queryset = queryset.filter(**{f"{scope.region_code}__range": code_range(region.prefix)})
        return queryset

    return Source(
        states=narrowed(HazardTally.objects.all(), STATE_SCOPE),
        dues=narrowed(HazardDueTally.objects.filter(deadline__range=(period.start, period.end)), DUE_SCOPE),
        state_measures=_state_measures(lambda condition: Sum("count", filter=condition), Q(listed=True)),
        due_measures={"due": Sum("due"), "on_time": Sum("on_time")}, due_place="town_code",
    )


def _hazard_source(user: Any, region: Region | None, period: Period) -> Source:
    """Counts from the hazards themselves (an enterprise's or a village's few thousand)."""
    hazards = hazards_in(user=user, region=region)
    return Source(
        states=hazards,
        dues=hazards.filter(deadline__range=(period.start, period.end))
        .annotate(rectified_day=local_date("rectified_at")),
        state_measures=_state_measures(lambda condition: Count("id", filter=condition), LISTED),
        # The local date (Asia/Shanghai): a rectification late on the deadline's evening is on time.
        due_measures={"due": Count("id"),
                      "on_time": Count("id", filter=Q(status=HazardStatus.CLOSED, rectified_day__lte=F("deadline")))},
        due_place="region_code",
    )


def source_for(*, user: Any, region: Region | None = None, period: Period | None = None) -> Source:
    period = period or Period.this_year()
    return _tally_source(user, region, period) or _hazard_source(user, region, period)


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row = {key: (value or 0) if key in COUNT_KEYS else value for key, value in row.items()}
    for key in COUNT_KEYS:
        row.setdefault(key, 0)
    row["rate"] = rate(row["on_time"], row["due"])
    return row


def _summed(rows: Iterable[dict[str, Any]], keys: Iterable[str]) -> dict[str, int]:
    total: dict[str, int] = dict.fromkeys(keys, 0)
    for row in rows:
        for key in total:
            total[key] += row[key] or 0
    return total


def hazard_totals(*, user: Any, region: Region | None = None, period: Period | None = None) -> dict[str, Any]:
    """Counts by status, open, 重大 (all and open), overdue, listed (挂牌督办, not lifted), due and closed on time,
    with the rectification rate, over `user`'s reach (narrowed to `region`): two aggregate queries."""
    source = source_for(user=user, region=region, period=period)
    return _finish({**source.states.aggregate(**source.state_measures), **source.dues.aggregate(**source.due_measures)})


def totals_by_town(*, user: Any, region: Region | None = None, period: Period | None = None) -> list[dict[str, Any]]:
    """The same counts per town, with the town's name and 12-digit code, in code order.

    Grouped in the database by village code (the due counts by town code where the running counts hold them), then
    summed per town here (a few hundred rows); the towns are named from the codes the counts returned.
    """
    source = source_for(user=user, region=region, period=period)
    by_prefix: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for part, rows, place in (
        ("states", source.states.values("region_code").annotate(**source.state_measures).order_by(), "region_code"),
        ("dues", source.dues.values(source.due_place).annotate(**source.due_measures).order_by(), source.due_place),
    ):
        for row in rows:
            by_prefix.setdefault(row[place][:TOWN_PREFIX_LENGTH], {"states": [], "dues": []})[part].append(row)
    towns = {
        prefix: (code, name)
        for prefix, code, name in Region.objects.filter(level=RegionLevel.TOWN, prefix__in=list(by_prefix))
        .values_list("prefix", "code", "name")
    }
    result = []
    for prefix in sorted(by_prefix):
        code, name = towns.get(prefix, (prefix.ljust(12, "0"), prefix))
        parts = by_prefix[prefix]
        result.append(_finish({**_summed(parts["states"], STATE_KEYS), **_summed(parts["dues"], ("due", "on_time")),
                               "town_prefix": prefix, "code": code, "name": name}))
    return result


def totals_by_domain(*, user: Any, region: Region | None = None, period: Period | None = None) -> list[dict[str, Any]]:
    """The same counts per supervision domain (the enterprise's), largest first."""
    source = source_for(user=user, region=region, period=period)
    labels = dict(SupervisionDomain.choices)
    rows = {row["domain"]: row for row in source.states.values("domain").annotate(**source.state_measures).order_by()}
    for row in source.dues.values("domain").annotate(**source.due_measures).order_by():
        rows.setdefault(row["domain"], {"domain": row["domain"]}).update(due=row["due"], on_time=row["on_time"])
    finished = [_finish({**row, "label": str(labels.get(domain, domain))}) for domain, row in rows.items()]
    # A domain whose hazards are all gone from the running counts (count 0) is not listed.
    listed = (row for row in finished if row["total"] or row["due"])
    return sorted(listed, key=lambda row: (-row["total"], row["domain"]))
