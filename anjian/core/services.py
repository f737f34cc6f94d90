"""Write helpers every app's services share: save and delete under the gate, re-checked inside the transaction.

The row a view or an API view already read through `restrict()` is passed in as it is, with the submitted values
set on it (issue 6 item 3, one write adapter): these helpers decide from the values the row was read with
(ScopedModel keeps them) instead of reading it again, and ask the database only when they cannot know.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.attachments import delete_attachments_of, follow_moved_record
from anjian.core.bulk import HistoryTable, insert_objects, update_fields
from anjian.core.history import baseline_rows, without_history, write_baselines
from anjian.core.progress import Progress, silent
from anjian.core.scope import ADD, CHANGE, DELETE, Jurisdiction, can, can_add, jurisdiction_of, resolve_path
from anjian.core.validation import changed_fields, constraint_errors, loaded_values, validate_instance


def stored_scope_decision(actor: Any, action: str, obj: models.Model, *, reach: Jurisdiction | None = None) -> bool:
    """Whether `actor` may `action` the row as it is stored, which `obj` may have changed in memory.

    Each scope path is read from what was loaded: a local value from the stored values, a path through a
    relation from the related object when the relation itself is unchanged. If a relation changed (the record
    moves to another village), the database answers for the stored row. `reach` is `jurisdiction_of(actor,
    action, type(obj))` when the caller decides many rows (a bulk write asks it once, not per row).
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
    return (reach or jurisdiction_of(actor, action, model)).covers(
        str(values["region_code"]) if values["region_code"] not in (None, "") else None,
        values["enterprise"],
        domain=values["domain"] or None,
        owner_id=values["owner"],
    )


# What follows a record when it moves on the tree, beyond its attachments: rows that copy its place (an enterprise
# user's account) register here from their AppConfig.ready, so a move written by one save or by an import in bulk
# takes them along alike (a post_save signal sees only the first).
_MOVE_FOLLOWERS: dict[str, list[Callable[[models.Model], object]]] = {}


def follow_moves(model_label: str, follower: Callable[[models.Model], object]) -> None:
    """Call `follower(record)` whenever a record of `model_label` ("app_label.Model") moves through a service."""
    followers = _MOVE_FOLLOWERS.setdefault(model_label, [])
    if follower not in followers:
        followers.append(follower)


def record_moved(obj: models.Model) -> None:
    """`obj` moved (another village, enterprise or domain): its attachments and every registered follower go along."""
    follow_moved_record(obj)
    for follower in _MOVE_FOLLOWERS.get(obj._meta.label, ()):
        follower(obj)


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
        if not adding:
            write_baselines([obj])
        obj._history_user = actor
        # The reason shows in the record's 变更记录 as well as in its audit event.
        obj._change_reason = reason
        obj.save()
        if not jurisdiction_of(actor, action, model).covers_object(obj):
            raise PermissionDenied(_("保存后的记录超出您的管辖范围，已撤销。"))
        if changed and moved(model, changed):
            record_moved(obj)
        verb = audit.CREATE if adding else audit.UPDATE
        audit_data = dict(data or {})
        if changed:
            audit_data.setdefault("fields", changed)
        audit.record(actor=actor, action=audit_action or audit.name(model, verb), obj=obj, reason=reason,
                     data=audit_data)
    return obj


class RowRefused(Exception):
    """One row of a bulk write was refused: `position` is its index in the list given, `error` says why."""

    def __init__(self, position: int, error: ValidationError | PermissionDenied) -> None:
        super().__init__(str(error))
        self.position, self.error = position, error


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    baselines: int = 0


def scoped_bulk_save(
    *,
    actor: Any,
    model: type[models.Model],
    rows: Sequence[models.Model],
    reason: str,
    audit_action: str,
    audit_data: dict | None = None,
    checked: Collection[str] = (),
    key: str | None = None,
    progress: Progress = silent,
    phase: str = "",
    batch_size: int = 1000,
) -> BulkResult:
    """`scoped_save` for many rows at once: the same rules, written in bulk, with one audit event (issue 7 item 2).

    Each row is new or was read through the gate; the caller has already run the model's field validation
    (full_clean's checks without database look-ups, as the import's dry run runs them through
    anjian.core.validation.CleanPlan) and, for the names in `checked`, its uniqueness against the whole table.
    `checked` may also name Meta.constraints the caller decided for every row (the hazard import's per-enterprise
    外部编号, issue 8 item 7). Here, as in scoped_save: ADD somewhere for new rows; CHANGE on each stored row and only
    on the fields the role may change; the remaining unique and constraint checks; then the rows are written in
    batches (bulk insert, and one UPDATE per set of changed fields), their history rows too (a record that had none
    gets a baseline of its stored values, in the same statement as its change), each saved row is re-checked against
    the actor's jurisdiction, moved records take their attachments along, and one `audit_action` event records the
    whole write with its counts. `key`, a unique field every new row carries, lets new rows be inserted without the
    ORM (anjian.core.bulk.insert_objects; otherwise bulk_create). Everything happens in one transaction: a refused
    row (RowRefused, naming its position) or an exception raised by `progress` (anjian.core.progress.Cancelled)
    leaves nothing written.
    """
    result = BulkResult()
    creates: list[tuple[int, models.Model]] = []
    updates: dict[tuple[str, ...], list[tuple[int, models.Model]]] = {}
    moved_rows: list[models.Model] = []
    needs_db_checks = any(constraint.name not in checked for constraint in model._meta.constraints) or any(
        field.unique and not field.primary_key and field.name not in checked for field in model._meta.concrete_fields
    )
    change_reach = jurisdiction_of(actor, CHANGE, model)
    for position, obj in enumerate(rows):
        try:
            if obj._state.adding:
                changed = None
                if not creates and not can_add(actor, model):
                    raise PermissionDenied(_("您无权新建该记录。"))
            else:
                if not stored_scope_decision(actor, CHANGE, obj, reach=change_reach):
                    raise PermissionDenied(_("您无权修改该记录。"))
                changed = changed_fields(obj)
                if not changed:
                    result.unchanged += 1
                    continue
                check_editable_fields(actor, obj, changed)
            if needs_db_checks:
                _validate_in_database(obj, changed=changed, checked=checked)
        except (ValidationError, PermissionDenied) as error:
            raise RowRefused(position, error) from error
        if changed is None:
            creates.append((position, obj))
        else:
            updates.setdefault(tuple(changed), []).append((position, obj))
            if moved(model, changed):
                moved_rows.append(obj)
    total = len(creates) + sum(len(group) for group in updates.values())
    now = timezone.now()
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    automatic = [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]
    history = HistoryTable.of(model)
    changed_rows = [obj for group in updates.values() for _position, obj in group]
    with transaction.atomic():
        done = 0
        progress(done, total, phase)
        # Records changed for the first time get a baseline version of their stored values, written with the
        # batch's own history rows in one statement (issue 7 item 2).
        first_change = without_history(changed_rows)
        for start in range(0, len(creates), batch_size):
            batch = [obj for _position, obj in creates[start: start + batch_size]]
            insert_objects(model, batch, key=key)
            if history is not None:
                history.insert(history.rows(batch, history_type="+", user_id=user_id, reason=reason, date=now))
            done += len(batch)
            progress(done, total, phase)
        for changed, group in updates.items():
            fields = [*changed, *(field.name for field in automatic)]
            for start in range(0, len(group), batch_size):
                batch = [obj for _position, obj in group[start: start + batch_size]]
                for obj in batch:
                    for field in automatic:
                        setattr(obj, field.attname, now)
                update_fields(model, batch, fields)
                if history is not None:
                    baselines = [obj for obj in batch if obj.pk in first_change]
                    history.insert([
                        *baseline_rows(history, baselines, now=now),
                        *history.rows(batch, history_type="~", user_id=user_id, reason=reason, date=now),
                    ])
                    result.baselines += len(baselines)
                done += len(batch)
                progress(done, total, phase)
        add_reach = jurisdiction_of(actor, ADD, model)
        for position, obj in creates:
            if not add_reach.covers_object(obj):
                raise RowRefused(position, PermissionDenied(_("保存后的记录超出您的管辖范围，已撤销。")))
        for group in updates.values():
            for position, obj in group:
                if not change_reach.covers_object(obj):
                    raise RowRefused(position, PermissionDenied(_("保存后的记录超出您的管辖范围，已撤销。")))
        for obj in moved_rows:
            record_moved(obj)
        result.created, result.updated = len(creates), len(changed_rows)
        if result.created or result.updated:
            audit.record_bulk(
                actor=actor,
                action=audit_action,
                model=model,
                reason=reason,
                data={**(audit_data or {}), "created": result.created, "updated": result.updated,
                      "unchanged": result.unchanged},
            )
    return result


def _validate_in_database(obj: models.Model, *, changed: list[str] | None, checked: Collection[str]) -> None:
    """The database rules `validate_instance` adds to full_clean: unique values and Meta.constraints."""
    unchanged = set() if changed is None else {
        field.name for field in obj._meta.concrete_fields if field.name not in changed
    }
    errors: dict[str, list[Any]] = {}
    try:
        obj.validate_unique(exclude=sorted(unchanged | set(checked)))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for key, messages in constraint_errors(obj, failed=set(errors), unchanged=unchanged, checked=checked).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


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


__all__ = [
    "BulkResult",
    "RowRefused",
    "ValidationError",
    "check_editable_fields",
    "follow_moves",
    "record_moved",
    "scoped_bulk_save",
    "scoped_delete",
    "scoped_save",
    "stored_scope_decision",
]
