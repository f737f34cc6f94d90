"""A hot-work permit (动火作业许可): a small workflow model that exists only in tests, declared the way a module
declares its own (issue 6, "Must show").

draft ─submit→ submitted ─approve (valid_until)→ approved ─close (≥1 attachment)→ closed
                   │  ↑                            └─extend (reason, valid_until)→ approved
                   └reject (reason)→ rejected ─submit→ submitted
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.urls import reverse

from anjian.accounts.roles import Role, defaults
from anjian.core.models import ScopedModel
from anjian.core.notices import Notice
from anjian.core.scope import ADD, CHANGE, EXPORT, VIEW, Scope
from anjian.core.workflow import Transition, Workflow


class PermitState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已退回"
    CLOSED = "closed", "已关闭"


REGULATOR_EXTRA = ("approve", "reject", "extend")


class WorkPermit(ScopedModel):
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="单位", on_delete=models.CASCADE,
                                   related_name="+")
    title = models.CharField("作业内容", max_length=100)
    state = models.CharField("状态", max_length=16, choices=PermitState.choices, default=PermitState.DRAFT)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", verbose_name="批准人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    scope: ClassVar[Scope] = Scope(
        region_code="enterprise__region__code", enterprise="enterprise_id", domain="enterprise__domain"
    )
    attachable = True
    actions: ClassVar[dict[str, Any]] = {
        "submit": "提交", "approve": "批准", "reject": "退回", "extend": "延期", "close": "关闭",
    }
    policy: ClassVar[dict[str, frozenset[str]]] = {
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE, "submit", "close"}),
        Role.TOWN_SUPERVISOR: defaults(Role.TOWN_SUPERVISOR, *REGULATOR_EXTRA),
        Role.CITY_SUPERVISOR: defaults(Role.CITY_SUPERVISOR, *REGULATOR_EXTRA),
        Role.CITY_ADMIN: defaults(Role.CITY_ADMIN, *REGULATOR_EXTRA),
        Role.DEPARTMENT_SUPERVISOR: defaults(Role.DEPARTMENT_SUPERVISOR, "approve", "reject"),
    }
    workflow = Workflow("state", [
        Transition("submit", (PermitState.DRAFT, PermitState.REJECTED), PermitState.SUBMITTED,
                   notify=(Notice("permit.submitted", roles=(Role.TOWN_SUPERVISOR,)),)),
        Transition("approve", (PermitState.SUBMITTED,), PermitState.APPROVED, fields=("valid_until",),
                   notify=(Notice("permit.approved", roles=(Role.ENTERPRISE_USER,)),)),
        Transition("reject", (PermitState.SUBMITTED,), PermitState.REJECTED, reason=True,
                   notify=(Notice("permit.rejected", roles=(Role.ENTERPRISE_USER,)),)),
        Transition("extend", (PermitState.APPROVED,), None, reason=True, fields=("valid_until",)),
        Transition("close", (PermitState.APPROVED,), PermitState.CLOSED, attachments=1),
    ])

    class Meta:
        verbose_name = "作业许可"
        verbose_name_plural = "作业许可"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("kitapp:workpermit_detail", args=[self.pk])
