"""huey jobs of the notifications app (issue 6 item 5): send one delivery, and pick up deliveries left behind."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anjian.notifications.choices import DeliveryStatus
from anjian.notifications.models import Delivery
from anjian.notifications.services import attempt_delivery

# A queued delivery normally runs within seconds; one still due this long after its time lost its task (the queue
# was unreachable when it was enqueued, or the worker stopped) and is queued again.
STALE_AFTER = dt.timedelta(minutes=2)
RESUME_BATCH = 1000


@db_task()
def deliver(delivery_id: int) -> None:
    """One attempt at a delivery; after a failure it schedules itself again with exponential backoff.

    A duplicate task, or a retry of a delivery already sent, returns at once (attempt_delivery decides under
    the row lock), so nothing is sent twice.
    """
    attempt = attempt_delivery(delivery_id)
    delivery = attempt.delivery
    if attempt.attempted and delivery is not None and delivery.status == DeliveryStatus.RETRYING:
        deliver.schedule(args=(delivery_id,), eta=delivery.next_attempt_at)


def stale_deliveries(*, now: dt.datetime) -> list[int]:
    """Deliveries due for a while that no task seems to carry, and sends whose worker's claim lapsed."""
    overdue = now - STALE_AFTER
    waiting = Q(status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING), next_attempt_at__lte=overdue)
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_until__lte=now)
    return list(Delivery.objects.filter(waiting | abandoned).order_by("pk").values_list("pk", flat=True)[:RESUME_BATCH])


@db_periodic_task(crontab(minute="*/5"))
def resume_deliveries() -> int:
    """Queue again what `stale_deliveries` finds (a second task for a row in flight finds nothing to do)."""
    ids = stale_deliveries(now=timezone.now())
    for delivery_id in ids:
        deliver(delivery_id)
    return len(ids)
