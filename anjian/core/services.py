"""Write helpers every app's services share: save and delete under the gate, re-checked inside the transaction.

The row a view or an API view already read through `restrict()` is passed in as it is, with the submitted values
set on it (issue 6 item 3, one write adapter): these helpers decide from the values the row was read with
(ScopedModel keeps them) instead of reading it again, and ask the database only when they cannot know.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.attachments import delete_attachments_of, follow_moved_record
from anjian.core.scope import ADD, CHANGE, DELETE, can, can_add, jurisdiction_of, resolve_path
from anjian.core.validation import changed_fields, loaded_values, validate_instance


def stored_scope_decision(actor: Any, action: str, obj: models.Model) -> bool:
    """Whether `actor` may `action` the row as it is stored, which `obj` may have changed in memory.

    Each scope path is read from what was loaded: a local value from the stored values, a path through a
    relation from the related object when the relation itself is unchanged. If a relation changed (the record
    moves to another village), the database answers for the stored row.
    """
    model = type(obj)
    stored = loaded_values(obj)
    if stored is None:
        return can(actor, action, obj)
    values: dict[str, Any] = {}
    for key in ("region_code", "enterprise", "domain", "owner"):
        path = getattr(model.scope, key)
        if not path:
            values[key] = None
            continue
        first, _sep, rest = path.partition("__")
        field = _field(model, first)
        if field.attname not in stored:  # deferred when the row was read
            return can(actor, action, obj)
        if not rest:
            values[key] = stored[field.attname]
        elif getattr(obj, field.attname) == stored[field.attname]:
            values[key] = resolve_path(obj, path)
        else:
            return can(actor, action, obj)
    return jurisdiction_of(actor, action, model).covers(
        str(values["region_code"]) if values["region_code"] not in (None, "") else None,
        values["enterprise"],
        domain=values["domain"] or None,
        owner_id=values["owner"],
    )


def moved(model: type[models.Model], changed: list[str]) -> bool:
    """Whether a change touches the record's place on the tree (the first step of a scope path)."""
    scope = model.scope
    return any(
        _field(model, path.split("__")[0]).name in changed
        for path in (scope.region_code, scope.enterprise, scope.domain) if path
    )


def _field(model: type[models.Model], name: str) -> Any:
    """The concrete field a scope path starts with (its name or attname; the start-up check vouches for it)."""
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def check_editable_fields(actor: Any, obj: models.Model, changed: list[str] | None) -> None:
    """Refuse a change to a field the actor's role may not change on this model (the model's `editable_fields`)."""
    if changed is None:
        return
    limit = actor.changeable_fields(type(obj)) if hasattr(actor, "changeable_fields") else None
    if limit is None:
        return
    forbidden = [name for name in changed if name not in limit]
    if forbidden:
        labels = "、".join(str(obj._meta.get_field(name).verbose_name) for name in forbidden)
        raise PermissionDenied(_("您不能修改这些信息：%(fields)s。") % {"fields": labels})


def scoped_save(
    *, actor: Any, obj: models.Model, reason: str = "", audit_action: str | None = None, data: dict | None = None
) -> models.Model:
    """Validate and save `obj` as `actor`, or change nothing.

    Adding needs the ADD right somewhere; changing needs CHANGE on the row as stored, and only on the fields the
    actor's role may change. After saving, the row must still be inside the actor's jurisdiction (a town
    supervisor cannot move an enterprise to another town): checked inside the transaction, which rolls back
    on violation (architecture rule 2). A row saved with no change writes nothing: no history, no audit event.
    The audit action defaults to `<entity>.create` / `<entity>.update`.
    """
    model = type(obj)
    adding = obj._state.adding
    if adding and obj.pk is not None and model._base_manager.filter(pk=obj.pk).exists():
        # A hand-built instance carrying an existing key is a change of that row, gated and validated as such
        # (Django's unique checks exclude the row itself only when it is not being added).
        adding = False
        obj._state.adding = False
    if adding:
        if not can_add(actor, model):
            raise PermissionDenied(_("您无权新建该记录。"))
        changed = None
    else:
        if not stored_scope_decision(actor, CHANGE, obj):
            raise PermissionDenied(_("您无权修改该记录。"))
        changed = changed_fields(obj)
        if changed == []:
            return obj
        check_editable_fields(actor, obj, changed)
    validate_instance(obj, changed=changed)
    action = ADD if adding else CHANGE
    with transaction.atomic():
        obj._history_user = actor
        obj.save()
        if not jurisdiction_of(actor, action, model).covers_object(obj):
            raise PermissionDenied(_("保存后的记录超出您的管辖范围，已撤销。"))
        if changed and moved(model, changed):
            follow_moved_record(obj)
        verb = audit.CREATE if adding else audit.UPDATE
        audit_data = dict(data or {})
        if changed:
            audit_data.setdefault("fields", changed)
        audit.record(actor=actor, action=audit_action or audit.name(model, verb), obj=obj, reason=reason,
                     data=audit_data)
    return obj


def scoped_delete(*, actor: Any, obj: models.Model, reason: str = "") -> None:
    """Delete `obj` as `actor` (DELETE on the row as stored), recording `<entity>.delete` with the reason.

    A row other records still reference raises ProtectedError (or RestrictedError) and nothing is deleted.
    """
    if not can(actor, DELETE, obj):
        raise PermissionDenied(_("您无权删除该记录。"))
    with transaction.atomic():
        audit.record(actor=actor, action=audit.name(type(obj), audit.DELETE), obj=obj, reason=reason)
        # Its photos and documents go with it (their files once the deletion has committed).
        delete_attachments_of(obj)
        obj._history_user = actor
        obj.delete()


__all__ = ["ValidationError", "check_editable_fields", "scoped_delete", "scoped_save", "stored_scope_decision"]
