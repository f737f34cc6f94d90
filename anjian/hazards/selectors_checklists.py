"""Reads of checklists and self-inspection (issue 8 items 1 and 2). Every queryset starts from `restrict()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from anjian.core.scope import CHANGE, VIEW, jurisdiction_of
from anjian.hazards.choices import ChecklistStatus, Frequency
from anjian.hazards.models import Checklist, InspectionSchedule, SelfInspection
from anjian.hazards.services_checklists import period_start, previous_period_start
from anjian.regions.models import Region


def checklist_list(*, user: Any, action: str = VIEW) -> QuerySet[Checklist]:
    """The checklists `user` may read; drafts only for those who edit checklists (city staff)."""
    queryset = Checklist.objects.restrict(user, action)
    if jurisdiction_of(user, CHANGE, Checklist).nothing:
        queryset = queryset.exclude(status=ChecklistStatus.DRAFT)
    return queryset


def published_checklists(*, user: Any) -> QuerySet[Checklist]:
    return Checklist.objects.restrict(user, VIEW).filter(status=ChecklistStatus.PUBLISHED)


def missed_schedules(*, user: Any, as_of: dt.date | None = None, action: str = VIEW) -> QuerySet[InspectionSchedule]:
    """Active schedules whose previous period was skipped (no self-inspection for it), as of `as_of` (Asia/Shanghai
    today by default): the daily ones that missed yesterday, weekly ones last week, monthly ones last month.

    Annotated with `missed_period` (the skipped period's first day) and `last_period` (the last period done, or None).
    A schedule that started within the current period has no previous period to miss.
    """
    as_of = as_of or timezone.localdate()
    condition = Q()
    previous_of: dict[str, dt.date] = {}
    for frequency in Frequency.values:
        current = period_start(frequency, as_of)
        previous_of[frequency] = previous = previous_period_start(frequency, current)
        done = SelfInspection.objects.filter(schedule=OuterRef("pk"), period_start=previous)
        condition |= Q(frequency=frequency, starts_on__lt=current) & ~Exists(done)
    last = (SelfInspection.objects.filter(schedule=OuterRef("pk")).order_by("-period_start")
            .values("period_start")[:1])
    return (
        InspectionSchedule.objects.restrict(user, action).filter(active=True).filter(condition)
        .annotate(
            missed_period=Case(
                *[When(frequency=frequency, then=Value(previous)) for frequency, previous in previous_of.items()],
                output_field=DateField(),
            ),
            last_period=Subquery(last),
        )
        .select_related("enterprise", "enterprise__region", "checklist")
    )


def missed_by_town(queryset: QuerySet[InspectionSchedule]) -> list[dict[str, Any]]:
    """How many missed schedules each town has (its 9-digit code + 000), largest first, with the town's name."""
    rows = list(
        queryset.order_by()
        .annotate(town=Concat(Substr(F("enterprise__region__code"), 1, 9), Value("000")))
        .values("town").annotate(count=Count("pk")).order_by("-count", "town")
    )
    names = dict(Region.objects.filter(code__in=[row["town"] for row in rows]).values_list("code", "name"))
    return [{"code": row["town"], "name": names.get(row["town"], row["town"]), "count": row["count"]} for row in rows]
