"""Model validation without needless queries, shared by forms and services (issue 6 item 3).

`full_clean()` asks the database whether every foreign key exists and every unique value is free, on every save.
A record read from the database (ScopedModel keeps its stored values) only needs those questions for the values
that changed: an unchanged foreign key or unique value is as valid as when it was stored, and the database's
own constraints still guard the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


def loaded_values(obj: models.Model) -> dict[str, Any] | None:
    """The row's values as read from the database (attname → value), or None for a row not read from it."""
    return getattr(obj, "_loaded_values", None)


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes count: concrete, not the primary key, not the automatic timestamps."""
    return [
        field for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def changed_fields(obj: models.Model) -> list[str] | None:
    """Names of the fields whose value differs from the stored row; None for a new row.

    A row that was not read from the database (built with a primary key by hand) is compared with a fresh read.
    """
    if obj._state.adding and obj.pk is None:
        return None
    stored = loaded_values(obj)
    fields = tracked_fields(type(obj))
    if stored is None or any(field.attname not in stored for field in fields):
        stored = type(obj)._base_manager.filter(pk=obj.pk).values(*[field.attname for field in fields]).first()
        if stored is None:
            return None
    return [field.name for field in fields if getattr(obj, field.attname) != stored[field.attname]]


def validate_instance(obj: models.Model, *, exclude: Iterable[str] = (), changed: list[str] | None = None) -> None:
    """`full_clean()` that skips the database checks an unchanged value does not need.

    `changed` is what `changed_fields(obj)` answers (computed here when not given); None means a new row, for
    which every check runs. Raises ValidationError with the messages per field, like full_clean.
    """
    if changed is None and not obj._state.adding:
        changed = changed_fields(obj)
    excluded = set(exclude)
    unchanged: set[str] = set()
    if changed is not None:
        unchanged = {field.name for field in tracked_fields(type(obj)) if field.name not in changed}
    # Foreign keys that need no look-up: unchanged ones (checked when they were stored, and the database enforces
    # them), and ones set to a row read from the database, when no `limit_choices_to` narrows what they may be.
    skip_fk = {
        field.name for field in obj._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and (field.name in unchanged or _loaded_target(obj, field))
    }
    errors: dict[str, list[Any]] = {}
    try:
        obj.full_clean(exclude=sorted(excluded | skip_fk), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # A field that failed validation already has its message; its uniqueness is not asked (full_clean's rule).
    failed = set(errors) | excluded
    try:
        obj.validate_unique(exclude=sorted(failed | unchanged))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    for key, messages in constraint_errors(obj, failed=failed, unchanged=unchanged).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _loaded_target(obj: models.Model, field: models.ForeignKey) -> bool:
    if field.get_limit_choices_to() or not field.is_cached(obj):
        return False
    target = field.get_cached_value(obj)
    return (target is not None and not target._state.adding
            and getattr(target, field.target_field.attname) == getattr(obj, field.attname))


def constraint_errors(obj: models.Model, *, failed: set[str], unchanged: set[str]) -> dict[str, list[Any]]:
    """Meta.constraints as Model.validate_constraints checks them, except a unique constraint over unchanged
    fields (a check constraint always runs: it may compare a changed field with an unchanged one)."""
    errors: dict[str, list[Any]] = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            fields = set(getattr(constraint, "fields", ()) or ())
            if isinstance(constraint, models.UniqueConstraint) and fields and fields <= unchanged:
                continue
            try:
                constraint.validate(model_class, obj, exclude=failed)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(next(iter(fields)), []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    return errors
