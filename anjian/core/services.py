"""Write helpers every app's services share: save under the gate, re-check inside the transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.scope import ADD, CHANGE, DELETE, can, can_add, jurisdiction_of


def scoped_save(*, actor: Any, obj: models.Model, reason: str = "", audit_action: str | None = None) -> models.Model:
    """Validate and save `obj` as `actor`, or change nothing.

    Adding needs the ADD right somewhere; changing needs CHANGE on the row as stored. After saving, the row
    must still be inside the actor's jurisdiction (a town supervisor cannot move an enterprise to another
    town): checked inside the transaction, which rolls back on violation (architecture rule 2).
    """
    action = CHANGE if obj.pk and type(obj).objects.filter(pk=obj.pk).exists() else ADD
    if action == ADD and not can_add(actor, type(obj)):
        raise PermissionDenied(_("您无权新建该记录。"))
    if action == CHANGE and not can(actor, CHANGE, type(obj).objects.get(pk=obj.pk)):
        raise PermissionDenied(_("您无权修改该记录。"))
    obj.full_clean()
    with transaction.atomic():
        obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
        obj.save()
        if not can(actor, action, obj):
            raise PermissionDenied(_("保存后的记录超出您的管辖范围，已撤销。"))
        if audit_action:
            audit.record(actor=actor, action=audit_action, obj=obj, reason=reason)
    return obj


def scoped_delete(*, actor: Any, obj: models.Model, reason: str = "") -> None:
    if not can(actor, DELETE, obj):
        raise PermissionDenied(_("您无权删除该记录。"))
    with transaction.atomic():
        audit.record(actor=actor, action="delete", obj=obj, reason=reason)
        obj._history_user = actor
        obj.delete()


__all__ = ["scoped_save", "scoped_delete", "jurisdiction_of"]
