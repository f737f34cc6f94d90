"""Model validation without needless queries, shared by forms and services (issue 6 item 3).

`full_clean()` asks the database whether every foreign key exists and every unique value is free, on every save.
A record read from the database (ScopedModel keeps its stored values) only needs those questions for the values
that changed: an unchanged foreign key or unique value is as valid as when it was stored, and the database's
own constraints still guard the write.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Collection, Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields import AutoFieldMixin


def loaded_values(obj: models.Model) -> dict[str, Any] | None:
    """The row's values as read from the database (attname → value), or None for a row not read from it."""
    return getattr(obj, "_loaded_values", None)


@functools.cache
def tracked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The fields whose changes count: concrete, not the primary key, not the automatic timestamps.

    Decided once per model: a bulk write asks it for every row (issue 7 item 2)."""
    return tuple(
        field for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    )


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


def constraint_errors(obj: models.Model, *, failed: set[str], unchanged: set[str],
                      checked: Collection[str] = ()) -> dict[str, list[Any]]:
    """Meta.constraints as Model.validate_constraints checks them, except a unique constraint over unchanged
    fields (a check constraint always runs: it may compare a changed field with an unchanged one) and the
    constraints named in `checked`, which the caller has decided for every row already (an import, issue 8 item 7)."""
    errors: dict[str, list[Any]] = {}
    for model_class, constraints in obj.get_constraints():
        for constraint in constraints:
            fields = set(getattr(constraint, "fields", ()) or ())
            if constraint.name in checked:
                continue
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


# ---------------------------------------------------------------------------------------------------------------
# full_clean compiled once for many rows (issue 7 item 2)

# to_python functions that return a value of these exact types as it is (CharField: `isinstance(value, str)`,
# IntegerField: int(value), BooleanField: bool(value), DateField: a date that is not a datetime, DateTimeField: a
# datetime): calling them would only copy. Any other to_python, or a value of another type, is called.
_TO_PYTHON_KEEPS: dict[Any, tuple[type, ...]] = {
    models.CharField.to_python: (str,),
    models.TextField.to_python: (str,),
    models.IntegerField.to_python: (int,),
    models.BooleanField.to_python: (bool,),
    models.DateField.to_python: (dt.date,),
    models.DateTimeField.to_python: (dt.datetime,),
}
# Types none of whose values equals a member of Django's EMPTY_VALUES (None, "", [], (), {}): for them `value in
# empty_values` is False without comparing (a Decimal compared with "" or [] asks numbers' ABCs each time).
_NEVER_EMPTY = (int, bool, float, decimal.Decimal, dt.date, dt.datetime)
# Field.validate implementations: Field's own (compiled below), and AutoField's, which checks nothing.
_VALIDATES_NOTHING = (AutoFieldMixin.validate,)


class _FieldPlan(NamedTuple):
    """What Field.clean(value, instance) does for one field, decided once (see CleanPlan)."""

    field: models.Field
    attname: str
    blank: bool
    empty_values: tuple[Any, ...]
    never_empty: tuple[type, ...]
    # Types to_python returns unchanged; a value of another type goes through to_python.
    keeps: tuple[type, ...]
    # False when the field's class changes Field.clean, validate or run_validators: `field.clean` is called.
    compiled: bool
    # Field.validate (editable fields only): a listed choice passes; otherwise null, then blank.
    validates: bool
    choices: frozenset[Any] | None
    null: bool
    # Field.run_validators: exact MaxLengthValidator, MinValueValidator and MaxValueValidator instances are the
    # comparisons they make (len(value) > limit, value < limit, value > limit); the others are called.
    max_length: int | None
    min_value: Any
    max_value: Any
    validators: tuple[Callable[[Any], None], ...]

    @classmethod
    def of(cls, field: models.Field) -> _FieldPlan:
        kind = type(field)
        compiled = kind.clean is models.Field.clean and kind.run_validators is models.Field.run_validators and (
            kind.validate is models.Field.validate or kind.validate in _VALIDATES_NOTHING)
        choices = None
        if compiled and field.choices is not None:
            try:
                choices = frozenset(key for key, _label in field.flatchoices)
            except TypeError:  # an unhashable choice: Field.validate compares with ==
                compiled = False
        limits: dict[type, Any] = {}
        validators = []
        for validator in field.validators:
            kind_of = type(validator)
            if (kind_of in (MaxLengthValidator, MinValueValidator, MaxValueValidator) and kind_of not in limits
                    and not callable(validator.limit_value) and validator.limit_value is not None):
                limits[kind_of] = validator.limit_value
            else:
                validators.append(validator)
        empty_values = tuple(field.empty_values)
        return cls(
            field=field, attname=field.attname, blank=field.blank, empty_values=empty_values,
            never_empty=_NEVER_EMPTY if empty_values == EMPTY_VALUES else (),
            keeps=_TO_PYTHON_KEEPS.get(kind.to_python, ()), compiled=compiled,
            validates=field.editable and kind.validate is models.Field.validate, choices=choices, null=field.null,
            max_length=limits.get(MaxLengthValidator), min_value=limits.get(MinValueValidator),
            max_value=limits.get(MaxValueValidator), validators=tuple(validators),
        )


class CleanPlan:
    """`obj.full_clean(exclude, validate_unique=False, validate_constraints=False)` for many rows of one model.

    An import validates every row (issue 7 item 2: 50,000 rows of 30 fields); full_clean spends most of its time
    calling, per field, Field.clean, to_python, validate and run_validators and scanning the choices. This plan
    decides once per model what each field's clean does and then runs, row by row, the same checks in the same
    order: each field's to_python (not called where the value already has the exact type it returns unchanged),
    the editable/choices/null/blank rules of Field.validate, every validator of the field, then the model's
    clean(). A field whose class changes how it is cleaned is cleaned by its own `clean`.

    `passes(obj)` answers only whether full_clean would raise nothing, and builds no message: when it answers
    False the caller runs full_clean, so every message a person reads is full_clean's own. Like full_clean it sets
    the cleaned values on the row (where to_python was called).
    """

    def __init__(self, model: type[models.Model], *, exclude: Iterable[str] = ()) -> None:
        excluded = set(exclude)
        self.model = model
        self.fields = tuple(
            _FieldPlan.of(field) for field in model._meta.fields
            if field.name not in excluded and not field.generated
        )

    def passes(self, obj: models.Model) -> bool:
        try:
            # Unpacked in the loop: 1.5 million field checks per 50,000-row import.
            for (field, attname, blank, empty_values, never_empty, keeps, compiled, validates, choices, null,
                 max_length, min_value, max_value, validators) in self.fields:
                value = getattr(obj, attname)
                empty = type(value) not in never_empty and value in empty_values
                if blank and empty:
                    continue  # clean_fields skips the blank values of blank fields
                if type(value) not in keeps:
                    if isinstance(value, DatabaseDefault):
                        continue
                    if not compiled:
                        setattr(obj, attname, field.clean(value, obj))
                        continue
                    value = field.to_python(value)
                    setattr(obj, attname, value)
                    empty = type(value) not in never_empty and value in empty_values
                elif not compiled:
                    setattr(obj, attname, field.clean(value, obj))
                    continue
                if validates:
                    if choices is not None and not empty:
                        if value not in choices:
                            return False
                    elif (value is None and not null) or (not blank and empty):
                        return False
                if not empty:
                    if ((max_length is not None and len(value) > max_length)
                            or (min_value is not None and value < min_value)
                            or (max_value is not None and value > max_value)):
                        return False
                    for validator in validators:
                        validator(value)
            obj.clean()
        except ValidationError:
            return False
        except TypeError:
            # An unhashable value met a set of choices, or a value that cannot be compared with a limit:
            # full_clean decides (and raises what it raises).
            return False
        return True
