"""Choices of the notifications app, with their Chinese labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelName(models.TextChoices):
    """The outbound channels (the in-app inbox is always on and needs no delivery row)."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    RETRYING = "retrying", _("等待重试")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


# A delivery in one of these states is finished: a retry or a duplicate task leaves it alone.
FINAL_STATUSES = frozenset({DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED})
