"""huey jobs of 隐患排查治理: the daily overdue run (issue 8 item 5).

`run_overdue` does three things, in this order:

1. marks overdue the hazards awaiting rectification (待整改, 整改中) whose deadline has passed, and clears the flag
   where it no longer holds (rectified, closed, extended): two set-based UPDATEs, whatever the number of hazards;
2. schedules the open hazards with a deadline that have no `next_notice_on` (a service that changed a deadline
   without calling `schedule_next_notice`, a reopened or rejected hazard), and unschedules the others;
3. reads only the hazards whose `next_notice_on` has come (indexed) and sends each due reminder and ladder step
   through anjian.core.notices, keyed `hazard:<pk>:<deadline>:<kind>:<days>`: a rerun writes nothing new, and an
   extended deadline gets reminders of its own. Each escalation is an audit event (`hazard.escalate`) and raises
   `Hazard.escalation_level`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_periodic_task

from anjian.core import audit
from anjian.core.bulk import update_fields
from anjian.core.models import AuditEvent
from anjian.core.notices import Notice, send_many_on_commit
from anjian.hazards import tally
from anjian.hazards.choices import LadderStepKind
from anjian.hazards.ladder import NOTIFIED_STATUSES, active_steps, due_on, next_notice_date, offset
from anjian.hazards.models import Hazard, LadderStep

BATCH_SIZE = 500
# When the job runs, in the site's time zone (Asia/Shanghai): before the working day, like the expiry reminders.
RUN_TIME = dt.time(7, 30)
RECOUNT_TIME = dt.time(3, 10)
ESCALATE = "hazard.escalate"
DESCRIPTION_CHARS = 60


@dataclass
class OverdueRun:
    """What one run did (the command line and the tests read it)."""

    marked: int = 0
    cleared: int = 0
    scheduled: int = 0
    hazards: int = 0
    reminders: int = 0
    escalations: int = 0
    sent: list[tuple[int, str, int]] = field(default_factory=list)  # (hazard id, kind, days) of each step sent


def mark_overdue(*, as_of: dt.date) -> tuple[int, int]:
    """Set `overdue` on hazards awaiting rectification past their deadline; clear it on every other (issue 8 item 5)."""
    hazards = Hazard._base_manager
    is_overdue = Q(status__in=NOTIFIED_STATUSES, deadline__lt=as_of)
    marked = tally.update_counted(hazards.filter(is_overdue, overdue=False), overdue=True)
    cleared = tally.update_counted(hazards.filter(overdue=True).exclude(is_overdue), overdue=False)
    return marked, cleared


def fill_schedules(*, as_of: dt.date, steps: Sequence[LadderStep]) -> int:
    """Unschedule hazards that get nothing more; schedule the open ones left without a date.

    Only hazards that still have a step on or after `as_of` are read (deadline ≥ as_of − the last step's offset),
    so the hazards long past their last step cost one indexed test, not a read.
    """
    hazards = Hazard._base_manager
    hazards.filter(next_notice_on__isnull=False).filter(
        ~Q(status__in=NOTIFIED_STATUSES) | Q(deadline__isnull=True)
    ).update(next_notice_on=None)
    if not steps:
        hazards.filter(next_notice_on__isnull=False).update(next_notice_on=None)
        return 0
    latest = max(offset(step) for step in steps)
    unscheduled = list(
        hazards.filter(status__in=NOTIFIED_STATUSES, next_notice_on__isnull=True,
                       deadline__gte=as_of - dt.timedelta(days=latest))
        .only("pk", "deadline", "status").order_by()
    )
    for hazard in unscheduled:
        hazard.next_notice_on = next_notice_date(hazard.deadline, hazard.status, as_of=as_of, steps=steps)
    scheduled = [hazard for hazard in unscheduled if hazard.next_notice_on is not None]
    update_fields(Hazard, scheduled, ["next_notice_on"])
    return len(scheduled)


def due_hazards(*, as_of: dt.date) -> Iterator[list[Hazard]]:
    """Hazards with a step due by `as_of`, in batches of BATCH_SIZE by primary key (with enterprise, village, town)."""
    rows = (
        Hazard._base_manager.filter(next_notice_on__lte=as_of, status__in=NOTIFIED_STATUSES, deadline__isnull=False)
        .select_related("enterprise__region__parent")
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH_SIZE])
        if batch:
            yield batch
        if len(batch) < BATCH_SIZE:
            return
        last = batch[-1].pk


def steps_due(hazard: Hazard, *, as_of: dt.date, steps: Sequence[LadderStep]) -> list[LadderStep]:
    """The steps to send now: those due from the hazard's scheduled date up to `as_of`.

    A schedule that no active step explains (its deadline changed without a new schedule, or its step was
    deactivated) is read as starting at the beginning; keys keep what was sent from going out again. Of several
    reminders due at once (the job did not run for days) only the latest is sent, and none once the deadline has
    passed: a person needs the current count of days, not the missed ones. Every due escalation is sent, since each
    tells other people.
    """
    deadline = hazard.deadline
    start = hazard.next_notice_on
    if start is None or (start - deadline).days not in {offset(step) for step in steps}:
        start = dt.date.min
    window = [step for step in steps if start <= due_on(step, deadline) <= as_of]
    reminders = [step for step in window if step.kind == LadderStepKind.REMINDER and as_of <= deadline]
    escalations = [step for step in window if step.kind == LadderStepKind.ESCALATION]
    return reminders[-1:] + escalations


def notice_key(hazard: Hazard, step: LadderStep) -> str:
    return f"hazard:{hazard.pk}:{hazard.deadline.isoformat()}:{step.kind}:{step.days}"


def notice_context(hazard: Hazard, step: LadderStep, *, as_of: dt.date) -> dict[str, Any]:
    """What the templates may say (notifications/data/templates.csv, hazard.reminder and hazard.escalated)."""
    enterprise = hazard.enterprise
    town = enterprise.region.parent
    days = (hazard.deadline - as_of).days
    description = hazard.description
    if len(description) > DESCRIPTION_CHARS:
        description = description[:DESCRIPTION_CHARS] + "…"
    return {
        "enterprise": enterprise.name,
        "town": town.name if town is not None else "",
        "description": description,
        "place": hazard.place,
        "hazard_level": hazard.get_level_display(),
        "deadline": hazard.deadline,
        "days_left": max(days, 0),
        "days_overdue": max(-days, 0),
        "level": step.level_label,
    }


def step_notice(hazard: Hazard, step: LadderStep, *, as_of: dt.date) -> Notice:
    kind = "hazard.reminder" if step.kind == LadderStepKind.REMINDER else "hazard.escalated"
    return Notice(kind=kind, roles=tuple(step.roles), key=notice_key(hazard, step),
                  context=notice_context(hazard, step, as_of=as_of))


def escalation_rank(label: str, steps: Sequence[LadderStep]) -> int:
    """How far up the ladder a recorded level is (-1 when no step has that label any more)."""
    return max((step.days for step in steps if step.kind == LadderStepKind.ESCALATION and step.level_label == label),
               default=-1)


def escalated_keys(hazards: Sequence[Hazard]) -> set[str]:
    """The ladder steps already recorded as escalations of `hazards` (their notice keys), in one query."""
    events = AuditEvent.objects.filter(action=ESCALATE, object_id__in=[str(hazard.pk) for hazard in hazards])
    return {key for key in events.values_list("data__key", flat=True) if key}


def run_overdue(*, as_of: dt.date | None = None) -> OverdueRun:
    """The daily run (see the module docstring). `as_of` is the local date it runs for (default: today)."""
    as_of = as_of or timezone.localdate()
    run = OverdueRun()
    steps = active_steps()
    # Every step, the inactive ones too, ranks a level recorded before an administrator changed the ladder.
    all_steps = list(LadderStep.objects.all())
    with transaction.atomic():
        run.marked, run.cleared = mark_overdue(as_of=as_of)
        run.scheduled = fill_schedules(as_of=as_of, steps=steps)
    for batch in due_hazards(as_of=as_of):
        with transaction.atomic():
            escalated = escalated_keys(batch)
            events: list[AuditEvent] = []
            told = [_send_due(hazard, as_of=as_of, steps=steps, all_steps=all_steps, run=run, escalated=escalated,
                              events=events) for hazard in batch]
            update_fields(Hazard, batch, ["next_notice_on", "escalation_level"])
            audit.record_many(events)
            # A batch's notices are written together after its commit (one transaction, not one per hazard).
            send_many_on_commit(actor=None, items=told)
    return run


def _send_due(hazard: Hazard, *, as_of: dt.date, steps: Sequence[LadderStep], all_steps: Sequence[LadderStep],
              run: OverdueRun, escalated: set[str], events: list[AuditEvent]) -> tuple[Hazard, list[Notice], str]:
    """Add the hazard's due escalations not yet recorded to `events` (audit events, written with the batch) and
    answer what to tell, about whom."""
    due = steps_due(hazard, as_of=as_of, steps=steps)
    notices = []
    for step in due:
        notices.append(step_notice(hazard, step, as_of=as_of))
        run.sent.append((hazard.pk, step.kind, step.days))
        if step.kind == LadderStepKind.REMINDER:
            run.reminders += 1
            continue
        run.escalations += 1
        if step.level_label and step.days >= escalation_rank(hazard.escalation_level, all_steps):
            hazard.escalation_level = step.level_label
        key = notice_key(hazard, step)
        if key not in escalated:
            escalated.add(key)
            events.append(audit.event(actor=None, action=ESCALATE, obj=hazard,
                                      reason=step.level_label or step.get_kind_display(),
                                      data={"key": key, "days": step.days, "deadline": hazard.deadline.isoformat(),
                                            "roles": list(step.roles), "level": step.level_label}))
    run.hazards += 1
    following = [due_on(step, hazard.deadline) for step in steps if due_on(step, hazard.deadline) > as_of]
    hazard.next_notice_on = min(following, default=None)
    return hazard, notices, hazard.get_absolute_url()


def at_local(moment: dt.time) -> Callable[[dt.datetime], bool]:
    """huey's periodic check for `moment` in the site's time zone, asked each minute with huey's clock (naive UTC
    unless huey is told otherwise)."""

    def check(timestamp: dt.datetime) -> bool:
        aware = timestamp.replace(tzinfo=dt.UTC) if HUEY.utc else timestamp.astimezone()
        local = timezone.localtime(aware)
        return (local.hour, local.minute) == (moment.hour, moment.minute)

    return check


every_morning = at_local(RUN_TIME)
# When nobody works: the running counts are made again (`recount_hazards`).
every_night = at_local(RECOUNT_TIME)


@db_periodic_task(every_night)
def recount_hazards() -> dict[str, int]:
    """Count every hazard again (anjian.hazards.tally): the services keep the counts exact, and this repairs what a
    write outside them (a shell, a database restore) may have left behind, within a day."""
    states, dues = tally.rebuild()
    return {"state_rows": states, "due_rows": dues}


@db_periodic_task(every_morning)
def overdue_hazards() -> dict[str, int]:
    run = run_overdue()
    return {"marked": run.marked, "cleared": run.cleared, "reminders": run.reminders,
            "escalations": run.escalations}
