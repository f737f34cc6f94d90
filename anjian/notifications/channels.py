"""Outbound channels behind one interface (issue 6 item 5): e-mail through Django's mail backend, SMS through an
HTTP gateway (a JSON POST signed with HMAC-SHA256).

A channel is off until configured (no mail host, no gateway URL): then no delivery is written for it. `send`
either returns (sent) or raises `DeliveryError` with the answer that is stored on the delivery row; the huey task
in anjian.notifications.tasks decides about retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from anjian.notifications.choices import ChannelName

if TYPE_CHECKING:
    from anjian.notifications.models import Delivery

SIGNATURE_HEADER = "X-Anjian-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Enough for a notice of a few sentences; a gateway splits long texts into several messages.
SMS_MAX_CHARACTERS = 300
ANSWER_BODY_BYTES = 500


class DeliveryError(Exception):
    """A channel could not deliver; `answer` says what the other side answered (status and body, or a timeout)."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


class Channel(Protocol):
    name: str

    def enabled(self) -> bool:
        """Whether the channel is configured on this site."""

    def address(self, user: Any) -> str:
        """Where this person is reached on the channel ("" when nowhere)."""

    def send(self, delivery: Delivery) -> None:
        """Deliver, or raise DeliveryError."""


def link(url: str) -> str:
    """An absolute link for a message read outside the site, when the site's address is configured."""
    base = settings.ANJIAN_NOTIFY_SITE_URL
    return urljoin(base.rstrip("/") + "/", url.lstrip("/")) if base and url else ""


class EmailChannel:
    name = ChannelName.EMAIL

    def enabled(self) -> bool:
        return bool(settings.ANJIAN_EMAIL_ENABLED)

    def address(self, user: Any) -> str:
        return (getattr(user, "email", "") or "").strip()

    def send(self, delivery: Delivery) -> None:
        notification = delivery.notification
        body = notification.text
        target = link(notification.url)
        if target:
            body = f"{body}\n\n{_('查看详情：')}{target}"
        try:
            send_mail(notification.title, body, None, [delivery.address], fail_silently=False)
        except (OSError, ValueError) as error:
            # smtplib's errors are OSErrors; a malformed address is a ValueError in the mail backend.
            raise DeliveryError(f"{type(error).__name__}: {error}") from error


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A signed POST goes to the configured gateway only; a redirect is an answer to report, not to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class SmsChannel:
    name = ChannelName.SMS

    def enabled(self) -> bool:
        return bool(settings.ANJIAN_SMS_GATEWAY_URL)

    def address(self, user: Any) -> str:
        return (getattr(user, "phone", "") or "").strip()

    def message(self, delivery: Delivery) -> str:
        notification = delivery.notification
        text = f"{notification.title}：{notification.text}"
        return text if len(text) <= SMS_MAX_CHARACTERS else text[: SMS_MAX_CHARACTERS - 1] + "…"

    def body(self, delivery: Delivery) -> bytes:
        payload = {"key": delivery.key, "phone": delivery.address, "text": self.message(delivery)}
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @staticmethod
    def signature(body: bytes) -> str:
        secret = settings.ANJIAN_SMS_GATEWAY_SECRET.encode("utf-8")
        return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()

    def send(self, delivery: Delivery) -> None:
        url = settings.ANJIAN_SMS_GATEWAY_URL
        if urlparse(url).scheme not in {"http", "https"}:
            raise DeliveryError(_("短信网关地址必须是 http 或 https：%(url)s") % {"url": url})
        body = self.body(delivery)
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url, data=body, method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: self.signature(body),
                IDEMPOTENCY_HEADER: delivery.key,
            },
        )
        timeout = settings.ANJIAN_SMS_TIMEOUT
        opener = urllib.request.build_opener(_RefuseRedirects)
        try:
            with opener.open(request, timeout=timeout) as response:
                status = response.status
                answer = response.read(ANSWER_BODY_BYTES).decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            answer = error.read(ANSWER_BODY_BYTES).decode("utf-8", errors="replace")
            raise DeliveryError(f"HTTP {error.code}: {answer}") from error
        except TimeoutError as error:
            raise DeliveryError(_("短信网关 %(seconds)s 秒内未应答（超时）") % {"seconds": timeout}) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise DeliveryError(_("短信网关 %(seconds)s 秒内未应答（超时）") % {"seconds": timeout}) from error
            raise DeliveryError(_("无法连接短信网关：%(reason)s") % {"reason": error.reason}) from error
        except OSError as error:
            raise DeliveryError(_("无法连接短信网关：%(reason)s") % {"reason": error}) from error
        if not 200 <= status < 300:
            raise DeliveryError(f"HTTP {status}: {answer}")


CHANNELS: dict[str, Channel] = {channel.name: channel for channel in (EmailChannel(), SmsChannel())}


def get_channel(name: str) -> Channel | None:
    return CHANNELS.get(name)
