"""huey jobs of the registry: the daily expiry reminders (issue 6 item 5).

Every current (not superseded) licence, safety liability insurance policy and archive document that expires within
ANJIAN_EXPIRY_WARNING_DAYS, or has expired, is told to the enterprise's users and the supervisors of its town,
once per record and validity date (the notice's key). The reminders go through anjian.core.notices, so this app
knows nothing of how notifications are stored or sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from huey.contrib.djhuey import HUEY, db_periodic_task

from anjian.accounts.roles import Role
from anjian.core.notices import Notice, send_on_commit
from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import OperatingStatus
from anjian.enterprises.models import ArchiveDocument, LiabilityInsurance, Licence

RECIPIENT_ROLES = (Role.ENTERPRISE_USER, Role.TOWN_SUPERVISOR)
# A closed or banned enterprise renews nothing: reminding anyone of its papers is noise.
GONE = (OperatingStatus.CLOSED, OperatingStatus.BANNED)
BATCH_SIZE = 500
# When the reminders go out, in the site's time zone (Asia/Shanghai): before the working day starts.
REMINDER_TIME = dt.time(7, 30)


@dataclass(frozen=True)
class ExpiryKind:
    model: type[models.Model]
    prefix: str  # of the notice's key: "<prefix>:<pk>:<valid_to>"
    kind: str  # the notification template


EXPIRY_KINDS = (
    ExpiryKind(Licence, "licence", "licence.expiring"),
    ExpiryKind(LiabilityInsurance, "insurance", "insurance.expiring"),
    ExpiryKind(ArchiveDocument, "archive", "archive.expiring"),
)


def reminder_context(record: Any, *, as_of: dt.date) -> dict[str, Any]:
    """What the templates may say about a record (notifications/data/templates.csv names the same keys)."""
    enterprise = record.enterprise
    town = enterprise.region.parent
    days = (record.valid_to - as_of).days
    context: dict[str, Any] = {
        "enterprise": enterprise.name,
        "town": town.name if town is not None else "",
        "valid_to": record.valid_to,
        "expired": days < 0,
        "days_left": max(days, 0),
        "days_overdue": max(-days, 0),
    }
    if isinstance(record, Licence):
        context.update(record_type=record.get_licence_type_display(), number=record.number)
    elif isinstance(record, LiabilityInsurance):
        context.update(record_type=str(LiabilityInsurance._meta.verbose_name), number=record.policy_number,
                       insurer=record.insurer)
    else:
        context.update(record_type=record.get_doc_type_display(), title=record.title)
    return context


def reminder_notice(record: Any, expiry: ExpiryKind, *, as_of: dt.date) -> Notice:
    return Notice(
        kind=expiry.kind,
        roles=RECIPIENT_ROLES,
        key=f"{expiry.prefix}:{record.pk}:{record.valid_to.isoformat()}",
        context=reminder_context(record, as_of=as_of),
    )


def expiring_records(model: type[models.Model], *, as_of: dt.date) -> Iterator[Any]:
    """Current records expired or expiring by the warning limit, read in batches of BATCH_SIZE by primary key
    (one query per batch, with the enterprise, village and town joined)."""
    limit = as_of + dt.timedelta(days=settings.ANJIAN_EXPIRY_WARNING_DAYS)
    rows = (
        model._base_manager.filter(superseded=False, valid_to__lte=limit)
        .exclude(enterprise__operating_status__in=GONE)
        .select_related("enterprise__region__parent")
        .order_by("pk")
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH_SIZE])
        yield from batch
        if len(batch) < BATCH_SIZE:
            return
        last = batch[-1].pk


def send_expiry_reminders(*, as_of: dt.date | None = None) -> dict[str, int]:
    """Send the reminder of every record due one; answers how many records of each kind were due.

    Sending again the same day (or any day, for the same validity) writes nothing new: the key decides.
    """
    as_of = as_of or timezone.localdate()
    counts = {}
    for expiry in EXPIRY_KINDS:
        count = 0
        for record in expiring_records(expiry.model, as_of=as_of):
            send_on_commit(actor=None, obj=record, notices=(reminder_notice(record, expiry, as_of=as_of),),
                           url=record.get_absolute_url())
            count += 1
        counts[expiry.prefix] = count
    return counts


def every_morning(timestamp: dt.datetime) -> bool:
    """huey's periodic check, asked each minute with huey's clock (naive UTC unless huey is told otherwise)."""
    aware = timestamp.replace(tzinfo=dt.UTC) if HUEY.utc else timestamp.astimezone()
    local = timezone.localtime(aware)
    return (local.hour, local.minute) == (REMINDER_TIME.hour, REMINDER_TIME.minute)


@db_periodic_task(every_morning)
def expiry_reminders() -> dict[str, int]:
    return send_expiry_reminders()


def demo_expiry_reminders(options: DemoOptions) -> str:
    """The demo's notifications: today's reminders, sent at once, so the demo users find some in their inbox."""
    counts = send_expiry_reminders()
    return (
        f"到期提醒：许可证 {counts['licence']} 张、安责险 {counts['insurance']} 份、档案 {counts['archive']} 份"
        "已提醒所属企业用户和镇街监管人员。"
    )
