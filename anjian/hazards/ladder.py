"""The overdue ladder (issue 8 item 5): reminders before a hazard's rectification deadline and escalations after it.

A step is due on `deadline - days` (a reminder) or `deadline + days` (an escalation). The default ladder ships as
data (data/ladder.csv) and is loaded by `anjian load-reference` only while no step exists, so the steps city
administrators configure are never overwritten. `schedule_next_notice` keeps `Hazard.next_notice_on`, the next day
a step is due, which is all the daily job (anjian.hazards.tasks) reads.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.roles import Role
from anjian.core.services import scoped_save
from anjian.hazards.choices import HazardStatus, LadderStepKind
from anjian.hazards.models import Hazard, LadderStep

LADDER_FILE = "ladder.csv"
# Hazards that still await rectification are reminded and escalated; one rectified (待验收) or closed is not.
NOTIFIED_STATUSES = (HazardStatus.REPORTED, HazardStatus.RECTIFYING)
# Whom a step may tell: every role the notifications app can resolve near a hazard (experts advise, they are not told).
LADDER_ROLES = tuple(role for role in Role if role != Role.EXPERT)
# A year either side of the deadline is the ladder's reach (and keeps the job's date arithmetic in range).
MAX_DAYS = 365


def offset(step: LadderStep) -> int:
    """Days from the deadline to the day the step is due (negative before the deadline)."""
    return -step.days if step.kind == LadderStepKind.REMINDER else step.days


def due_on(step: LadderStep, deadline: dt.date) -> dt.date:
    return deadline + dt.timedelta(days=offset(step))


def active_steps() -> list[LadderStep]:
    """The active steps, in the order they fall due."""
    return sorted(LadderStep.objects.filter(active=True), key=lambda step: (offset(step), step.kind))


def packaged_steps() -> list[dict[str, Any]]:
    with (resources.files("anjian.hazards") / "data" / LADDER_FILE).open(encoding="utf-8") as handle:
        return [
            {"kind": row["kind"], "days": int(row["days"]), "roles": row["roles"].split(),
             "level_label": row["level_label"]}
            for row in csv.DictReader(handle)
        ]


@transaction.atomic
def load_ladder() -> int:
    """Create the default ladder when there is none; answer how many steps were created (0: kept as configured)."""
    if LadderStep.objects.exists():
        return 0
    steps = [LadderStep(**row) for row in packaged_steps()]
    for step in steps:
        validate_roles(step.roles)
        step.full_clean()
    LadderStep.objects.bulk_create(steps)
    return len(steps)


def validate_roles(roles: Any) -> None:
    if not isinstance(roles, list) or not roles:
        raise ValidationError({"roles": _("请至少选择一个通知对象。")})
    unknown = [role for role in roles if role not in LADDER_ROLES]
    if unknown:
        raise ValidationError({"roles": _("未知的通知对象：%(roles)s。") % {"roles": "、".join(map(str, unknown))}})


def ladder_step_save(*, actor: Any, step: LadderStep, reason: str = "") -> LadderStep:
    """Add or change a ladder step (city administrators; city supervisors may change, e.g. deactivate)."""
    validate_roles(step.roles)
    if step.days is not None and step.days > MAX_DAYS:
        raise ValidationError({"days": _("天数不能超过 %(days)d 天。") % {"days": MAX_DAYS}})
    if step.kind == LadderStepKind.REMINDER and step.days == 0:
        raise ValidationError({"days": _("到期前提醒的天数须大于 0（到期当天请设逾期升级 0 天）。")})
    return scoped_save(actor=actor, obj=step, reason=reason)


def next_notice_date(
    deadline: dt.date | None, status: str, *, as_of: dt.date, steps: Sequence[LadderStep]
) -> dt.date | None:
    """The first day on or after `as_of` a step falls due for a hazard in `status` with `deadline` (None: none)."""
    if deadline is None or status not in NOTIFIED_STATUSES:
        return None
    dates = [due for due in (due_on(step, deadline) for step in steps) if due >= as_of]
    return min(dates, default=None)


def schedule_next_notice(
    hazard: Hazard, *, as_of: dt.date | None = None, steps: Iterable[LadderStep] | None = None, save: bool = False
) -> dt.date | None:
    """Set `hazard.next_notice_on` from its deadline and status (issue 8 item 5).

    The hazard services call it after a change of deadline or status (assign, extend, reject, reopen): inside the
    transition's `apply=` it only sets the field on the row about to be saved; with `save=True` it writes the field
    itself (no history: the field is the job's bookkeeping). The daily job also schedules hazards left unscheduled,
    so a missed call only delays a reminder that falls due on the very day of the change.
    """
    as_of = as_of or timezone.localdate()
    chosen = list(steps) if steps is not None else active_steps()
    hazard.next_notice_on = next_notice_date(hazard.deadline, hazard.status, as_of=as_of, steps=chosen)
    if save and hazard.pk is not None:
        Hazard._base_manager.filter(pk=hazard.pk).update(next_notice_on=hazard.next_notice_on)
    return hazard.next_notice_on
