"""Reads of risk units, assessments, measures and checks (issue 9 item 4); every one starts from `restrict()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from anjian.core.scope import VIEW
from anjian.risk.choices import CheckCycle, MeasureKind
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.risk.services import period_start


def risk_unit_list(*, user: Any, action: str = VIEW) -> QuerySet[RiskUnit]:
    return RiskUnit.objects.restrict(user, action).select_related("enterprise")


def assessment_list(*, user: Any, action: str = VIEW) -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.restrict(user, action).select_related("unit", "enterprise")


def measure_list(*, user: Any, action: str = VIEW) -> QuerySet[ControlMeasure]:
    return ControlMeasure.objects.restrict(user, action).select_related("unit", "enterprise")


def check_list(*, user: Any, action: str = VIEW) -> QuerySet[MeasureCheck]:
    return MeasureCheck.objects.restrict(user, action).select_related("measure", "measure__unit", "enterprise")


def check_items_due(*, user: Any, as_of: dt.date | None = None, action: str = VIEW) -> QuerySet[ControlMeasure]:
    """The check items open on `as_of` (default today, Asia/Shanghai): measures with a check cycle that nobody
    checked in the cycle's period holding that day."""
    as_of = as_of or timezone.localdate()
    open_now = Q()
    for cycle in CheckCycle.values:
        checked = MeasureCheck.objects.filter(measure=OuterRef("pk"), period_start=period_start(cycle, as_of))
        open_now |= Q(check_cycle=cycle) & ~Exists(checked)
    return (ControlMeasure.objects.restrict(user, action).filter(open_now)
            .select_related("unit", "enterprise").order_by("enterprise", "unit__name", "id"))


def measures_by_kind(unit: RiskUnit) -> list[tuple[str, list[ControlMeasure]]]:
    """A unit's measures grouped by kind in the order of MeasureKind (the 风险告知卡 and the unit page)."""
    measures = list(unit.measures.all())
    return [(label, [m for m in measures if m.kind == kind]) for kind, label in MeasureKind.choices
            if any(m.kind == kind for m in measures)]
