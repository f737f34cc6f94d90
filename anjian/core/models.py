"""Framework models: the scoped base model and the append-only audit log."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.choices import (
    ACTIVE_JOB_STATUSES,
    FINISHED_JOB_STATUSES,
    JOB_STATUS_COLOURS,
    JobKind,
    JobStatus,
)
from anjian.core.scope import RestrictedQuerySet, Scope

if TYPE_CHECKING:
    from anjian.core.workflow import Workflow


class ScopedModel(models.Model):
    """Base of every domain record: timestamps, the `restrict()` gate as its default manager, and the model's
    declarations the kit reads (issue 6):

    - `scope`: how rows reach the jurisdiction tree (anjian.core.scope.Scope);
    - `actions`: the model's own actions beyond view/add/change/delete/export, with their Chinese labels;
    - `policy`: role → the actions that role has on this model (a role not named keeps its default standard
      actions from the role table, and none of the model's own);
    - `editable_fields`: role → the only fields that role may change (e.g. an enterprise user corrects its
      contact data, not its registration);
    - `workflow`: the transition table of a workflow model (anjian.core.workflow.Workflow);
    - `entity`: the name audit events use, `<entity>.<verb>` (default: the model name).
    Every declaration is checked when the app registry is ready (anjian.core.checks), so a typo fails at start-up.
    """

    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    scope: ClassVar[Scope] = Scope()
    actions: ClassVar[Mapping[str, Any]] = {}
    policy: ClassVar[Mapping[str, Collection[str]]] = {}
    editable_fields: ClassVar[Mapping[str, Collection[str]]] = {}
    workflow: ClassVar[Workflow | None] = None
    entity: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._loaded_values = {field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields}

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> ScopedModel:
        # The stored values, kept so a service knows what changed and where the row was without reading it again
        # (Django docs, "Customizing model loading").
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = {
            name: value for name, value in zip(field_names, values, strict=True) if value is not models.DEFERRED
        }
        return instance


def entity_name(model: type[models.Model]) -> str:
    """The `<entity>` of a model's audit actions."""
    return getattr(model, "entity", "") or model._meta.model_name


class AuditEventQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("审计记录只能追加，不能修改。"))

    def delete(self):
        raise ValidationError(_("审计记录只能追加，不能删除。"))


class AuditEvent(models.Model):
    """A decision taken by a service (architecture rule 3): who decided what, on which record, and why.

    Append-only: saving an existing row or deleting any row is refused. `action` is `<entity>.<verb>`
    (e.g. `enterprise.update`, `hazard.verify`); the audit pages show its Chinese label (anjian.core.audit).
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
    # The record's supervision domain, so a department reads the decisions of its own domains only.
    domain = models.CharField(_("行业领域"), max_length=32, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()
    scope: ClassVar[Scope] = Scope(region_code="region_code", enterprise="enterprise_id", domain="domain")

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

    @property
    def action_label(self) -> str:
        from anjian.core.audit import action_label

        return action_label(self.action)


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    DOCUMENT = "document", _("文件")


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """attachments/<year>/<month>/<random>.<ext>: the stored name says nothing about the record or the person."""
    import secrets
    from pathlib import PurePath

    now = timezone.now()
    extension = PurePath(filename).suffix.lower()
    return f"attachments/{now:%Y}/{now:%m}/{secrets.token_hex(16)}{extension}"


class Attachment(models.Model):
    """A photo or document carried by any record (hazard evidence, inspection photos, signatures, public-report
    photos; issue 6 item 6).

    Scoped like the record it belongs to (its region, enterprise and domain are copied when it is attached, as
    the audit log does), so the same people reach it. Images are re-encoded when they come in: the EXIF time and
    position are kept as fields, every other metadata is stripped (anjian.core.attachments).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("对象ID"), max_length=64)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    enterprise_id = models.BigIntegerField(_("企业ID"), null=True, blank=True, db_index=True)
    domain = models.CharField(_("行业领域"), max_length=32, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices)
    purpose = models.CharField(_("用途"), max_length=64, blank=True)
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    thumbnail = models.FileField(_("缩略图"), upload_to=attachment_upload_to, max_length=255, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    mime_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("宽（像素）"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高（像素）"), null=True, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("拍摄纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("拍摄经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()
    scope: ClassVar[Scope] = Scope(region_code="region_code", enterprise="enterprise_id", domain="domain")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "uploaded_at"], name="attachment_target")]

    def __str__(self) -> str:
        return self.original_name

    def delete_files(self) -> None:
        """Remove the stored file and thumbnail (after the rows that named them rolled back or were deleted)."""
        for stored in (self.file, self.thumbnail):
            if stored:
                stored.storage.delete(stored.name)


class Job(ScopedModel):
    """A long piece of work run by huey for one person: an import's preview or commit, or a list's export
    (issue 7 item 1; the runner is anjian.core.jobs).

    A job belongs to its owner alone (`Scope(owner=...)`): `restrict()` answers a user's own jobs only, even for the
    city administrator, so everyone else gets 404 on its page, status, file, cancel and retry. Live progress is NOT
    kept here but in files of the job's directory (anjian.core.jobs explains why); the row gets its status, counts
    and result at the boundaries of the work. `lock_key` is unique among queued and running jobs: the same file
    cannot be imported twice at once.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=JobKind.choices)
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.CASCADE,
                              related_name="jobs")
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), null=True, blank=True)
    phase = models.CharField(_("阶段"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    # The file name inside DATA_DIR/jobs/<id>/ and the name it is downloaded as.
    result_file = models.CharField(_("结果文件"), max_length=100, blank=True)
    result_name = models.CharField(_("结果文件名"), max_length=200, blank=True)
    lock_key = models.CharField(_("锁"), max_length=200, blank=True)
    retry_of = models.ForeignKey("self", verbose_name=_("重试自"), null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    scope: ClassVar[Scope] = Scope(owner="owner_id")

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["owner", "-id"], name="job_owner_recent"),
            models.Index(fields=["status"], name="job_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lock_key"], condition=Q(status__in=ACTIVE_JOB_STATUSES) & ~Q(lock_key=""),
                name="job_active_lock", violation_error_message=_("同一文件的导入正在进行中，请等它完成后再试。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_JOB_STATUSES

    @property
    def status_colour(self) -> str:
        return JOB_STATUS_COLOURS.get(self.status, "secondary")
