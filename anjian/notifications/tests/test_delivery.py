"""Outbound deliveries (issue 6 item 5, "Must show": retry and dedup): an SMS gateway that answers 500 is retried
with backoff and the message sent once; one that times out is retried, then marked failed with its answer; e-mail
goes through Django's mail backend; preferences switch channels off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from anjian.core.notices import Notice
from anjian.notifications.choices import DeliveryStatus
from anjian.notifications.models import Delivery, NotificationPreference
from anjian.notifications.services import attempt_delivery, deliver_notices
from anjian.notifications.tasks import deliver, resume_deliveries, stale_deliveries

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
EMAIL = "anquan@dongcheng.example.cn"


@pytest.fixture
def reachable(personas):
    """Enterprise A's user, with a phone number and an e-mail address."""
    user = personas.enterprise_a_user
    user.phone, user.email = PHONE, EMAIL
    user.save()
    return user


def send(licence, user, django_capture_on_commit_callbacks, key="k1"):
    notice = Notice("licence.expiring", users=(user.pk,), key=key,
                    context={"enterprise": "东城甲企业有限公司", "number": licence.number, "valid_to": licence.valid_to,
                             "record_type": "安全生产许可证", "days_left": 12})
    with django_capture_on_commit_callbacks(execute=True):
        return deliver_notices(actor=None, obj=licence, notices=[notice], url=licence.get_absolute_url())


def test_sms_gateway_500_is_retried_with_backoff_and_sent_once(reachable, licence_a, templates, gateway,
                                                               huey_immediate, time_machine,
                                                               django_capture_on_commit_callbacks):
    gateway.script = [500]
    time_machine.move_to(dt.datetime(2026, 2, 17, 9, 0, tzinfo=dt.UTC), tick=False)
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(notification=notification, channel="sms")
    # The first attempt ran at once (queued after commit) and met the 500: kept for a retry in 60 s.
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert delivery.answer.startswith("HTTP 500: ") and "上游短信通道繁忙" in delivery.answer
    assert delivery.next_attempt_at == timezone.now() + dt.timedelta(seconds=60)
    [retry] = huey_immediate.scheduled()
    assert retry.args == (delivery.pk,)
    assert retry.eta == dt.datetime(2026, 2, 17, 9, 1)  # huey keeps naive UTC
    # Too early: a duplicate task does nothing.
    deliver(delivery.pk)
    assert len(gateway.requests) == 1
    time_machine.move_to(dt.datetime(2026, 2, 17, 9, 1, tzinfo=dt.UTC), tick=False)
    deliver.call_local(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2 and delivery.answer == ""
    assert delivery.sent_at == timezone.now() and delivery.next_attempt_at is None
    # Sent: another enqueue (a lost answer, the resume job) sends nothing more.
    deliver(delivery.pk)
    deliver.call_local(delivery.pk)
    assert len(gateway.requests) == 2
    assert all(request["signed"] for request in gateway.requests)
    assert {request["idempotency_key"] for request in gateway.requests} == {delivery.key}
    body = gateway.requests[-1]["body"]
    assert body["key"] == delivery.key and body["phone"] == PHONE
    assert body["text"].startswith("许可证即将到期：东城甲企业有限公司：")
    assert len(huey_immediate.scheduled()) == 1  # only the one retry was ever scheduled


def test_sms_gateway_timeout_is_retried_then_marked_failed(reachable, licence_a, templates, gateway, settings,
                                                           huey_immediate, time_machine,
                                                           django_capture_on_commit_callbacks):
    settings.ANJIAN_SMS_TIMEOUT = 0.2
    settings.ANJIAN_NOTIFY_MAX_ATTEMPTS = 2
    gateway.delay = 2
    time_machine.move_to(dt.datetime(2026, 2, 17, 9, 0, tzinfo=dt.UTC), tick=False)
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(notification=notification, channel="sms")
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 1
    assert "超时" in delivery.answer
    time_machine.move_to(delivery.next_attempt_at, tick=False)
    deliver.call_local(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert delivery.answer == "短信网关 0.2 秒内未应答（超时）"
    assert delivery.sent_at is None and delivery.next_attempt_at is None
    assert len(gateway.requests) == 2
    # Failed is final: nothing is scheduled after the last attempt, and a late task sends nothing.
    assert len(huey_immediate.scheduled()) == 1
    deliver.call_local(delivery.pk)
    assert len(gateway.requests) == 2


def test_the_exponential_backoff(settings):
    from anjian.notifications.services import backoff

    settings.ANJIAN_NOTIFY_RETRY_SECONDS = 60
    assert [backoff(attempts).total_seconds() for attempts in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_email_through_djangos_mail_backend(reachable, licence_a, templates, settings, huey_immediate,
                                            django_capture_on_commit_callbacks):
    settings.ANJIAN_EMAIL_ENABLED = True
    settings.ANJIAN_NOTIFY_SITE_URL = "https://aj.example.gov.cn"
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [EMAIL] and message.subject == notification.title
    assert notification.text in message.body
    assert notification.url.startswith("/enterprises/")
    assert f"查看详情：https://aj.example.gov.cn{notification.url}" in message.body
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.channel == "email" and delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


def test_a_mail_server_that_refuses_is_retried(reachable, licence_a, templates, settings, huey_immediate,
                                               django_capture_on_commit_callbacks):
    settings.ANJIAN_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.status == DeliveryStatus.RETRYING and delivery.answer


def test_channels_off_until_configured_and_only_to_those_with_an_address(personas, reachable, licence_a,
                                                                         templates, settings,
                                                                         django_capture_on_commit_callbacks):
    assert send(licence_a, reachable, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()  # neither a mail host nor an SMS gateway is configured
    settings.ANJIAN_EMAIL_ENABLED = True
    settings.ANJIAN_SMS_GATEWAY_URL = "http://127.0.0.1:9/sms"
    rows = send(licence_a, personas.town_a_supervisor, django_capture_on_commit_callbacks, key="k2")
    assert rows and not Delivery.objects.exists()  # no address, no phone


def test_preferences_switch_channels_off(reachable, licence_a, templates, settings, gateway, huey_immediate,
                                         django_capture_on_commit_callbacks):
    settings.ANJIAN_EMAIL_ENABLED = True
    NotificationPreference.objects.create(user=reachable, sms=False)
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]
    assert gateway.requests == []
    # Switched off after the delivery was written: it is skipped, not sent.
    NotificationPreference.objects.filter(user=reachable).update(sms=True)
    [later] = send(licence_a, reachable, django_capture_on_commit_callbacks, key="k2")
    sms = later.deliveries.get(channel="sms")
    assert sms.status == DeliveryStatus.SENT
    sms_pending = Delivery.objects.create(notification=later, channel="sms", address=PHONE, key="manual-1")
    NotificationPreference.objects.filter(user=reachable).update(sms=False)
    attempt = attempt_delivery(sms_pending.pk)
    assert not attempt.attempted and attempt.delivery.status == DeliveryStatus.SKIPPED
    assert attempt.delivery.answer == "接收人已关闭该渠道。"
    assert len(gateway.requests) == 1


def test_the_resume_job_queues_what_lost_its_task(reachable, licence_a, templates, gateway, huey_immediate,
                                                 django_capture_on_commit_callbacks):
    [notification] = send(licence_a, reachable, django_capture_on_commit_callbacks)
    sent = notification.deliveries.get()
    assert sent.status == DeliveryStatus.SENT
    now = timezone.now()
    lost = Delivery.objects.create(notification=notification, channel="sms", address=PHONE, key="lost",
                                   next_attempt_at=now - dt.timedelta(minutes=10))
    Delivery.objects.create(notification=notification, channel="sms", address=PHONE, key="fresh", next_attempt_at=now)
    abandoned = Delivery.objects.create(notification=notification, channel="sms", address=PHONE, key="abandoned",
                                        status=DeliveryStatus.SENDING, attempts=1,
                                        claimed_until=now - dt.timedelta(seconds=1))
    assert stale_deliveries(now=now) == [lost.pk, abandoned.pk]
    assert resume_deliveries.call_local() == 2
    statuses = dict(Delivery.objects.values_list("key", "status"))
    assert statuses == {sent.key: "sent", "lost": "sent", "fresh": "pending", "abandoned": "sent"}
    assert Delivery.objects.get(key="abandoned").attempts == 2
