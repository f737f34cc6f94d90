"""Reads of hazard units and the 重大危险源 register (issue 9 item 2). Every queryset starts from `restrict()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from anjian.core.scope import VIEW
from anjian.hazchem.models import HazardUnit, MajorHazard
from anjian.hazchem.models.units import MajorHazardStatus

# A review falls "due soon" this many days ahead (a three-year assessment is commissioned months before).
DUE_SOON_DAYS = 90


def unit_list(*, user: Any, action: str = VIEW) -> QuerySet[HazardUnit]:
    return HazardUnit.objects.restrict(user, action)


def major_hazard_list(*, user: Any, action: str = VIEW) -> QuerySet[MajorHazard]:
    return MajorHazard.objects.restrict(user, action)


def units_of(*, user: Any, enterprise: Any) -> QuerySet[HazardUnit]:
    """An enterprise's units the user may view, majors (highest level) first: the enterprise page's panel."""
    return (unit_list(user=user).filter(enterprise=enterprise).select_related("registration")
            .order_by("-is_major", "level", "name"))


def review_window(queryset: QuerySet[MajorHazard], state: str, *, today: dt.date) -> QuerySet[MajorHazard]:
    """Registered 重大危险源 whose three-yearly review is overdue (`overdue`) or due within DUE_SOON_DAYS
    (`due_soon`) on `today` (安监总局令第40号 第十一条)."""
    registered = queryset.filter(status=MajorHazardStatus.REGISTERED)
    if state == "overdue":
        return registered.filter(review_due__lt=today)
    if state == "due_soon":
        return registered.filter(review_due__gte=today, review_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    return queryset
