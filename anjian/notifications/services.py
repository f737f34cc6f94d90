"""Writes of the notifications app (issue 6 item 5).

- `notify`: what other apps call; like every notice it is delivered only after the transaction commits.
- `deliver_notices`: the sender installed in anjian.core.notices; it resolves the recipients, writes the inbox
  rows (once per person and key) and the outbound deliveries, and queues the deliveries after its own commit.
- `attempt_delivery`: one attempt to send one delivery, run by the huey task `deliver`.
- `mark_read`, `mark_all_read`, `save_preferences`: what a person does in the inbox.

A failure here never undoes the decision that caused the notice: the sender runs after that commit (and
`send_on_commit` logs its exceptions), and a channel's failure is recorded on the delivery row and retried.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anjian.core.notices import Notice, send_on_commit
from anjian.notifications.channels import DeliveryError, get_channel
from anjian.notifications.choices import FINAL_STATUSES, DeliveryStatus
from anjian.notifications.models import (
    ANSWER_MAX_LENGTH,
    KEY_MAX_LENGTH,
    READ,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationTemplate,
)
from anjian.notifications.rendering import render_text
from anjian.notifications.selectors import recipients_by_record

logger = logging.getLogger(__name__)

# How long past the gateway's timeout a worker's claim on a delivery it is sending holds (then another may retry).
CLAIM_MARGIN = dt.timedelta(seconds=60)


def notify(*, actor: Any, obj: models.Model, notices: Sequence[Notice], url: str = "") -> None:
    """Tell people about `obj` once the current transaction commits (nothing if it rolls back)."""
    send_on_commit(actor=actor, obj=obj, notices=notices, url=url)


# --- Writing notifications ------------------------------------------------------------------------------------


def generic_text(notice: Notice, obj: models.Model | None) -> tuple[str, str]:
    """A person reads Chinese, not the kind's code (which the log names)."""
    if obj is not None:
        return _("新的通知"), _("关于“%(object)s”有一条新的通知。") % {"object": obj}
    return _("新的通知"), _("您有一条新的通知。")


def render_notice(
    template: NotificationTemplate | None, notice: Notice, *, obj: models.Model | None, actor: Any
) -> tuple[str, str]:
    """Title and text of a notice. An unknown kind or a template that fails to render is logged and gets a
    generic text: a notice is never lost to a template."""
    if template is None:
        logger.warning("Notification kind %r has no template; sending a generic text", notice.kind)
        return generic_text(notice, obj)
    context = {"object": "" if obj is None else str(obj), "actor": "" if actor is None else str(actor),
               **notice.context}
    try:
        title = render_text(template.title, context)
        text = render_text(template.body, context)
    except Exception:
        logger.exception("Notification template %r failed to render; sending a generic text", notice.kind)
        return generic_text(notice, obj)
    return (title or notice.kind)[:TITLE_MAX_LENGTH], text


def stored_key(key: str) -> str:
    """The key as stored: long keys keep their start and a hash of the whole, so two never collide."""
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[:KEY_MAX_LENGTH - len(digest) - 1]}#{digest}"


def preference_of(user: Any) -> NotificationPreference:
    try:
        return user.notification_preference
    except ObjectDoesNotExist:
        return NotificationPreference(user=user)


def outbound_addresses(user: Any, template: NotificationTemplate | None) -> list[tuple[str, str]]:
    """(channel, address) pairs a notification goes out on: channels the template allows, the site has configured
    and the person has not switched off, where the person has an address. The inbox needs none of this."""
    if template is None:
        return []
    preference = preference_of(user)
    pairs = []
    for name in template.channels:
        channel = get_channel(name)
        if channel is None or not channel.enabled() or not preference.wants(name):
            continue
        address = channel.address(user)
        if address:
            pairs.append((name, address))
    return pairs


def _insert(notifications: list[Notification]) -> list[Notification]:
    """Insert in one statement; if another sender wrote one of the same keys meanwhile, insert one by one and
    leave out the duplicates (the unique (recipient, key) constraint decides)."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(notifications)
    except IntegrityError:
        created = []
        for notification in notifications:
            notification.pk = None
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                continue
            created.append(notification)
        return created


def delivery_key(channel: str) -> str:
    """A delivery's idempotency key: random, so two sites (or a restored database) sharing one gateway never
    present the same key for different messages; it stays on the row, so every retry presents the same one."""
    return f"{channel}-{uuid.uuid4().hex}"


def enqueue_delivery(delivery_id: int) -> None:
    from anjian.notifications.tasks import deliver

    deliver(delivery_id)


def deliver_notices(
    *, actor: Any, obj: models.Model | None, notices: Sequence[Notice], url: str = ""
) -> list[Notification]:
    """The sender (anjian.core.notices.set_sender): write the inbox rows and deliveries of `notices` about `obj`.

    Called after the deciding transaction committed. One notification per person and notice; a notice with a key
    reaches a person once, however often it is sent. Deliveries are queued when these rows have committed.
    """
    return deliver_notice_batch(actor=actor, items=[(obj, notices, url)])


def deliver_notice_batch(
    *, actor: Any, items: Sequence[tuple[models.Model | None, Sequence[Notice], str]]
) -> list[Notification]:
    """`deliver_notices` for many records, (record, notices, url) each, in a fixed number of queries: the batch
    sender of anjian.core.notices (the overdue job tells about hundreds of hazards each morning, issue 8 item 5)."""
    # The stored text is the site's language, whatever language the person whose decision this was reads.
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver_notices(actor=actor, items=items)


def _deliver_notices(
    *, actor: Any, items: Sequence[tuple[models.Model | None, Sequence[Notice], str]]
) -> list[Notification]:
    items = [(obj, [notice for notice in notices if notice.kind], url) for obj, notices, url in items]
    items = [item for item in items if item[1]]
    if not items:
        return []
    recipients = recipients_by_record(actor=actor, items=[(obj, notices) for obj, notices, _url in items])
    # (item, notice, key, user) for each person each notice reaches, less the keys a person has already had.
    pairs = []
    seen: set[tuple[int, str]] = set()
    for index, ((_obj, notices, _url), users_by_notice) in enumerate(zip(items, recipients, strict=True)):
        for notice, users in zip(notices, users_by_notice, strict=True):
            key = stored_key(notice.key)
            for user in users:
                if key and (user.pk, key) in seen:
                    continue
                seen.add((user.pk, key))
                pairs.append((index, notice, key, user))
    keys = {key for _index, _notice, key, _user in pairs if key}
    if keys:
        written = set(Notification.objects.filter(
            recipient_id__in={user.pk for _index, _notice, _key, user in pairs}, key__in=keys,
        ).values_list("recipient_id", "key"))
        pairs = [pair for pair in pairs if not pair[2] or (pair[3].pk, pair[2]) not in written]
    if not pairs:
        return []
    templates = {template.kind: template for template in NotificationTemplate.objects.filter(
        kind__in={notice.kind for _index, notice, _key, _user in pairs})}
    texts: dict[int, tuple[str, str]] = {}
    planned = []
    for index, notice, key, user in pairs:
        obj, _notices, url = items[index]
        content_type = ContentType.objects.get_for_model(obj) if obj is not None and obj.pk is not None else None
        if id(notice) not in texts:
            texts[id(notice)] = render_notice(templates.get(notice.kind), notice, obj=obj, actor=actor)
        title, text = texts[id(notice)]
        planned.append(Notification(
            recipient=user, kind=notice.kind, title=title, text=text, url=url if len(url) <= URL_MAX_LENGTH else "",
            content_type=content_type, object_id=str(obj.pk) if content_type is not None else "", key=key))
    now = timezone.now()
    with transaction.atomic():
        created = _insert(planned)
        deliveries = [
            Delivery(notification=notification, channel=channel, address=address, key=delivery_key(channel),
                     next_attempt_at=now)
            for notification in created
            for channel, address in outbound_addresses(notification.recipient, templates.get(notification.kind))
        ]
        if deliveries:
            Delivery.objects.bulk_create(deliveries)
            for delivery in deliveries:
                # Queued after these rows commit; if the queue is unreachable, `resume_deliveries` picks them up.
                transaction.on_commit(partial(enqueue_delivery, delivery.pk), robust=True)
    return created


# --- Sending deliveries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """What `attempt_delivery` did: `attempted` is False when the row needed nothing (sent, or not yet due)."""

    delivery: Delivery | None
    attempted: bool


def backoff(attempts: int) -> dt.timedelta:
    """60 s × 2^(attempts − 1) by default: 1, 2, 4, 8 minutes between five attempts."""
    return dt.timedelta(seconds=settings.ANJIAN_NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def claim_duration() -> dt.timedelta:
    timeout = max(float(settings.ANJIAN_SMS_TIMEOUT), float(settings.EMAIL_TIMEOUT or 0))
    return dt.timedelta(seconds=timeout) + CLAIM_MARGIN


def _due(delivery: Delivery, now: dt.datetime) -> bool:
    if delivery.status in FINAL_STATUSES:
        return False
    if delivery.status == DeliveryStatus.SENDING:
        return delivery.claimed_until is None or delivery.claimed_until <= now
    if delivery.status == DeliveryStatus.RETRYING:
        return delivery.next_attempt_at is None or delivery.next_attempt_at <= now
    return True


def _skip_reason(delivery: Delivery) -> str:
    channel = get_channel(delivery.channel)
    if channel is None or not channel.enabled():
        return _("渠道未开通。")
    recipient = delivery.notification.recipient
    if not recipient.is_active:
        return _("接收人已停用。")
    if not preference_of(recipient).wants(delivery.channel):
        return _("接收人已关闭该渠道。")
    return ""


def _close(delivery: Delivery, status: str, answer: str) -> None:
    delivery.status = status
    delivery.answer = answer[:ANSWER_MAX_LENGTH]
    delivery.claimed_until = None
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "answer", "claimed_until", "next_attempt_at", "sent_at", "updated"])


def attempt_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> Attempt:
    """Send one delivery once, or do nothing when it needs nothing.

    The row is locked to claim it (status `sending`, attempts + 1), then released while the channel sends:
    holding a row lock (on SQLite the database's write lock) through a gateway's timeout would stall every
    writer. A sent, failed or skipped row, one another worker is sending, or one whose retry is not yet due is
    left alone, so a retry or a duplicate task never sends twice. After a failure the row waits
    `backoff(attempts)` (status `retrying`), and after ANJIAN_NOTIFY_MAX_ATTEMPTS it is `failed`; either way the
    answer (status and body, or the timeout) is kept.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _attempt_delivery(delivery_id, now=now)


def _attempt_delivery(delivery_id: int, *, now: dt.datetime | None) -> Attempt:
    started = now or timezone.now()
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",))
                    .select_related("notification__recipient__notification_preference")
                    .filter(pk=delivery_id).first())
        if delivery is None or not _due(delivery, started):
            return Attempt(delivery, attempted=False)
        reason = _skip_reason(delivery)
        if reason:
            _close(delivery, DeliveryStatus.SKIPPED, reason)
            return Attempt(delivery, attempted=False)
        if delivery.attempts >= settings.ANJIAN_NOTIFY_MAX_ATTEMPTS:
            _close(delivery, DeliveryStatus.FAILED, delivery.answer or _("发送中断，已达最大尝试次数。"))
            return Attempt(delivery, attempted=False)
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.claimed_until = started + claim_duration()
        delivery.save(update_fields=["status", "attempts", "claimed_until", "updated"])
    channel = get_channel(delivery.channel)
    error = ""
    try:
        channel.send(delivery)
    except DeliveryError as failure:
        error = failure.answer or _("发送失败。")
    except Exception as failure:
        # A fault in a channel must not leave the row claimed until its claim lapses: record it like a failure.
        logger.exception("Delivery %s: the %s channel raised", delivery.pk, delivery.channel)
        error = f"{type(failure).__name__}: {failure}"
    finished = now or timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if not error:
            delivery.sent_at = finished
            _close(delivery, DeliveryStatus.SENT, "")
        elif delivery.attempts >= settings.ANJIAN_NOTIFY_MAX_ATTEMPTS:
            _close(delivery, DeliveryStatus.FAILED, error)
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.answer = error[:ANSWER_MAX_LENGTH]
            delivery.claimed_until = None
            delivery.next_attempt_at = finished + backoff(delivery.attempts)
            delivery.save(update_fields=["status", "answer", "claimed_until", "next_attempt_at", "updated"])
    if error:
        logger.warning("Delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts,
                       error)
    return Attempt(delivery, attempted=True)


# --- The inbox ------------------------------------------------------------------------------------------------


def mark_read(*, actor: Any, notification_id: Any) -> Notification:
    """Mark one of the actor's own notifications read. Another person's (or a missing) id raises DoesNotExist."""
    notification = Notification.objects.restrict(actor, READ).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated"])
    return notification


def mark_all_read(*, actor: Any) -> int:
    now = timezone.now()
    return Notification.objects.restrict(actor, READ).filter(read_at__isnull=True).update(read_at=now, updated=now)


def save_preferences(*, actor: Any, email: bool, sms: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email": bool(email), "sms": bool(sms)},
    )
    return preference
