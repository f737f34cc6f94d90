"""Reads of the hazard statistics and the rectification rate (issue 8 item 7): the statistics page and the home
dashboard. Every count starts from `Hazard.objects.restrict(user, VIEW)` and is one aggregate in the database
(architecture rules 2 and 8).

The rectification rate of a period is closed on time / due: due are the hazards whose deadline falls in the period
(by default this year up to today); closed on time are those of them closed (销号) whose rectification was
completed (`rectified_at`, as a local date) on or before the deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, F, Func, Q, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from anjian.core.scope import VIEW, code_range
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from anjian.hazards.models import Hazard
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region

# Region codes: the city's 4 digits, a town's 9, a village's 12 (the first 9 digits of a village name its town).
TOWN_PREFIX_LENGTH = 9


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


def local_date(field: str) -> Func:
    """The local date (the site's time zone) of a date-time column, computed by the database itself.

    Django's `__date` on SQLite calls a Python function per row (most of the statistics' time at 100,000 hazards);
    SQLite's own date() with the zone's offset gives the same day where the zone keeps one offset all year, as
    Asia/Shanghai has since 1991. PostgreSQL converts with its time-zone database (AT TIME ZONE).
    """
    if connection.vendor != "sqlite":
        return TruncDate(field)
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return Func(F(field), Value(f"{minutes:+d} minutes"), function="date", output_field=DateField())


def _counts(period: Period) -> dict[str, Any]:
    """The conditional counts every statistic shares, as aggregate expressions."""
    due = Q(deadline__range=(period.start, period.end))
    return {
        "total": Count("id"),
        **{status.value: Count("id", filter=Q(status=status)) for status in HazardStatus},
        "open": Count("id", filter=Q(status__in=OPEN_STATUSES)),
        "major": Count("id", filter=Q(level=HazardLevel.MAJOR)),
        "major_open": Count("id", filter=Q(status__in=OPEN_STATUSES, level=HazardLevel.MAJOR)),
        "overdue": Count("id", filter=Q(overdue=True)),
        "listed": Count("id", filter=~Q(supervision_level="") & Q(lifted_at__isnull=True)),
        "due": Count("id", filter=due),
        # The local date (Asia/Shanghai): a rectification late on the deadline's evening is on time.
        "on_time": Count("id", filter=due & Q(status=HazardStatus.CLOSED, rectified_day__lte=F("deadline"))),
    }


def _finish(row: dict[str, Any]) -> dict[str, Any]:
    row = {key: (value or 0) if key in COUNT_KEYS else value for key, value in row.items()}
    row["rate"] = rate(row["on_time"], row["due"])
    return row


COUNT_KEYS = frozenset({"total", *HazardStatus.values, "open", "major", "major_open", "overdue", "listed", "due",
                        "on_time"})


def hazard_totals(*, user: Any, region: Region | None = None, period: Period | None = None) -> dict[str, Any]:
    """Counts by status, open, 重大 (all and open), overdue, listed (挂牌督办, not lifted), due and closed on time,
    with the rectification rate, over `user`'s reach (narrowed to `region`): one aggregate query."""
    period = period or Period.this_year()
    return _finish(_annotated(user=user, region=region).aggregate(**_counts(period)))


def _annotated(*, user: Any, region: Region | None) -> QuerySet[Hazard]:
    return hazards_in(user=user, region=region).annotate(rectified_day=local_date("rectified_at"))


def _summed(rows: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for row in rows:
        for key in COUNT_KEYS:
            total[key] = total.get(key, 0) + (row[key] or 0)
    return total


def totals_by_town(*, user: Any, region: Region | None = None, period: Period | None = None) -> list[dict[str, Any]]:
    """The same counts per town, with the town's name and 12-digit code, in code order.

    Grouped in the database by the hazard's village code (its own column: no join, no string function per row), then
    the few hundred village rows are summed per town; the towns are named from the villages the counts returned.
    """
    period = period or Period.this_year()
    rows = list(
        _annotated(user=user, region=region)
        .values("region_code")
        .annotate(**_counts(period))
        .order_by()
    )
    by_prefix: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_prefix.setdefault(row["region_code"][:TOWN_PREFIX_LENGTH], []).append(row)
    towns = {
        prefix: (code, name)
        for prefix, code, name in Region.objects.filter(level=RegionLevel.TOWN, prefix__in=list(by_prefix))
        .values_list("prefix", "code", "name")
    }
    result = []
    for prefix in sorted(by_prefix):
        code, name = towns.get(prefix, (prefix.ljust(12, "0"), prefix))
        result.append(_finish({**_summed(by_prefix[prefix]), "town_prefix": prefix, "code": code, "name": name}))
    return result


def totals_by_domain(*, user: Any, region: Region | None = None, period: Period | None = None) -> list[dict[str, Any]]:
    """The same counts per supervision domain (the enterprise's), one grouped query, largest first."""
    period = period or Period.this_year()
    labels = dict(SupervisionDomain.choices)
    rows = (
        _annotated(user=user, region=region)
        .values("domain")
        .annotate(**_counts(period))
        .order_by("-total", "domain")
    )
    return [_finish({**row, "label": str(labels.get(row["domain"], row["domain"]))}) for row in rows]
