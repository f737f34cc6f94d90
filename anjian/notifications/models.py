"""Notifications (issue 6 item 5): templates as data, one inbox row per person, outbound deliveries, preferences.

A notification belongs to its recipient alone (`Scope(owner=...)`): `restrict()` answers a user's own rows only,
even for the city administrator. Deliveries are the outbound copies (e-mail, SMS) of one notification, each with
its status, attempts and the gateway's last answer, retried by huey until sent or given up.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Role
from anjian.core.models import ScopedModel
from anjian.core.scope import VIEW, RestrictedQuerySet, Scope
from anjian.notifications.choices import ChannelName, DeliveryStatus
from anjian.notifications.rendering import validate_template

# The action of marking one's own notification read (every role has it, on its own rows only).
READ = "read"
KIND_MAX_LENGTH = 64
TITLE_MAX_LENGTH = 200
URL_MAX_LENGTH = 500
KEY_MAX_LENGTH = 200
ANSWER_MAX_LENGTH = 1000


def validate_channels(value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("渠道须为渠道代码列表。"))
    unknown = [item for item in value if item not in ChannelName.values]
    if unknown:
        raise ValidationError(
            _("未知的渠道：%(channels)s。可用：%(known)s。"),
            params={"channels": "、".join(unknown), "known": "、".join(ChannelName.values)},
            code="unknown_channel",
        )


class NotificationTemplate(models.Model):
    """The Chinese text of one kind of notification and the channels it may go out on.

    Reference data loaded from notifications/data/templates.csv by `anjian load-reference`; an administrator's
    edit marks the row `customized`, and loading again leaves such a row alone.
    """

    kind = models.CharField(_("通知类型"), max_length=KIND_MAX_LENGTH, unique=True,
                            help_text=_("如 licence.expiring。"))
    title = models.CharField(_("标题模板"), max_length=TITLE_MAX_LENGTH, validators=[validate_template])
    body = models.TextField(_("正文模板"), validators=[validate_template],
                            help_text=_("Django 模板语法，例如 {{ enterprise }}。"))
    channels = models.JSONField(_("外发渠道"), default=list, blank=True, validators=[validate_channels],
                                help_text=_("站内通知总会发送；此处列出还可以经哪些渠道外发（email、sms）。"))
    customized = models.BooleanField(_("已由管理员修改"), default=False,
                                     help_text=_("已修改的模板不会被加载参考数据覆盖。"))
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind


class Notification(ScopedModel):
    """One notice in one person's inbox. Title and text are rendered when it is written and never change."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("通知类型"), max_length=KIND_MAX_LENGTH)
    title = models.CharField(_("标题"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=URL_MAX_LENGTH, blank=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    # The same key for the same person is written once: a job that runs daily, or a retried sender, adds nothing.
    key = models.CharField(_("去重键"), max_length=KEY_MAX_LENGTH, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    scope: ClassVar[Scope] = Scope(owner="recipient_id")
    actions: ClassVar[dict[str, Any]] = {READ: _("标为已读")}
    policy: ClassVar[dict[str, frozenset[str]]] = {role: frozenset({VIEW, READ}) for role in Role}

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            # The header's unread count on every page: a small partial index answers it.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="notification_recipient_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """An outbound copy of a notification on one channel, to the address the person had when it was written.

    `key` is unique and goes to the gateway as its idempotency key, so a retry after a lost answer can be dropped
    there; `claimed_until` is when a worker's claim on a row it is sending lapses (a worker that died mid-send).
    """

    notification = models.ForeignKey(Notification, verbose_name=_("通知"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=16, choices=ChannelName.choices)
    address = models.CharField(_("地址"), max_length=254)
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("发送占用至"), null=True, blank=True)
    answer = models.TextField(_("最后一次应答"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    key = models.CharField(_("幂等键"), max_length=100, unique=True)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope: ClassVar[Scope] = Scope(owner="notification__recipient_id")

    class Meta:
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}（{self.get_status_display()}）"


class NotificationPreference(models.Model):
    """Which outbound channels a person wants. No row means both on (the in-app inbox is always on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    email = models.BooleanField(_("接收电子邮件"), default=True)
    sms = models.BooleanField(_("接收短信"), default=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, channel: str) -> bool:
        return bool(getattr(self, channel, False))
