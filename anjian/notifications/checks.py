"""System checks of the outbound channels' configuration (issue 6 item 5)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Error


def check_sms_gateway(app_configs=None, **kwargs) -> list[Error]:
    url = settings.ANJIAN_SMS_GATEWAY_URL
    if not url:
        return []
    errors = []
    if urlparse(url).scheme not in {"http", "https"}:
        errors.append(Error("ANJIAN_SMS_GATEWAY_URL must be an http:// or https:// URL.", id="notifications.E001"))
    if not settings.ANJIAN_SMS_GATEWAY_SECRET:
        errors.append(Error(
            "ANJIAN_SMS_GATEWAY_URL is set but ANJIAN_SMS_GATEWAY_SECRET is empty: the gateway could not tell our "
            "requests from anyone else's.", id="notifications.E002",
        ))
    return errors
