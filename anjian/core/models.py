"""Framework models: the scoped base model and the append-only audit log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.scope import RestrictedQuerySet, Scope


class ScopedModel(models.Model):
    """Base of every domain record: timestamps, and the `restrict()` gate as its default manager."""

    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    scope: ClassVar[Scope] = Scope()

    class Meta:
        abstract = True


class AuditEventQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("审计记录只能追加，不能修改。"))

    def delete(self):
        raise ValidationError(_("审计记录只能追加，不能删除。"))


class AuditEvent(models.Model):
    """A decision taken by a service (architecture rule 3): who decided what, on which record, and why.

    Append-only: saving an existing row or deleting any row is refused.
    """

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    enterprise_id = models.BigIntegerField(_("企业ID"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()
    scope: ClassVar[Scope] = Scope(region_code="region_code", enterprise="enterprise_id")

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("审计记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审计记录只能追加，不能删除。"))
