"""Transition tables and the one helper that runs any transition (issue 6 item 2, architecture rule 3).

A workflow model declares, next to itself, the table of (from state, action) → to state and what each action
requires: a reason, fields, attachments, and whom to notify. `transition()` runs a row through it: lock the
row, check the gate and the table, validate, save, write the AuditEvent `<entity>.<action>` with the reason,
and hand the notices over for after the commit. A transition the table does not allow changes nothing and says,
in Chinese, which actions are possible from the current state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.notices import Notice, send_on_commit
from anjian.core.scope import check_action, declared_actions, jurisdiction_of, scope_relations
from anjian.core.validation import validate_instance

REASON_FIELD = "reason"
ATTACHMENTS_FIELD = "attachments"
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Transition:
    """One row of a transition table: `action` takes a row from any of `source` to `target`.

    - `target` None keeps the state (an action that changes fields only, e.g. extending a deadline);
    - `reason`: the action must say why (it is written to the audit event);
    - `fields`: model fields the action sets from what the user submits, required unless also in `optional`;
    - `attachments`: how many files must come with the action (e.g. evidence of a rectification);
    - `notify`: whom to tell once the transition has committed.
    """

    action: str
    source: tuple[str, ...]
    target: str | None
    reason: bool = False
    fields: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    attachments: int = 0
    notify: tuple[Notice, ...] = ()

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name not in self.optional)


class IllegalTransition(Exception):
    """The table has no row for (current state, action). The API answers 409 `illegal_transition`."""

    def __init__(self, message: str, *, state: str, action: str, possible: Sequence[str]) -> None:
        super().__init__(message)
        self.message = message
        self.state = state
        self.action = action
        self.possible = tuple(possible)


@dataclass(frozen=True)
class Workflow:
    """The transition table of one model: its state field and its transitions."""

    state_field: str
    transitions: tuple[Transition, ...]

    def __init__(self, state_field: str, transitions: Iterable[Transition]) -> None:
        # A list reads best in a model's declaration; the table keeps a tuple (frozen, hashable).
        object.__setattr__(self, "state_field", state_field)
        object.__setattr__(self, "transitions", tuple(transitions))

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.action for step in self.transitions))

    def from_state(self, state: str) -> list[Transition]:
        """The transitions the table allows from `state`, in table order."""
        return [step for step in self.transitions if state in step.source]

    def find(self, state: str, action: str) -> Transition | None:
        return next((step for step in self.from_state(state) if step.action == action), None)

    def problems(self, model: type[models.Model]) -> list[str]:
        """What is wrong with this table for `model` (checked at start-up by anjian.core.checks)."""
        found = []
        try:
            state = model._meta.get_field(self.state_field)
        except Exception:
            return [f"{model.__name__}.workflow: no state field {self.state_field!r}"]
        states = {str(value) for value, _label in (state.choices or ())}
        if not states:
            found.append(f"{model.__name__}.{self.state_field}: a state field needs choices")
        own = getattr(model, "actions", {})
        names = {f.name for f in model._meta.get_fields()}
        for step in self.transitions:
            if step.action not in own:
                found.append(f"{model.__name__}.workflow: action {step.action!r} is not in {model.__name__}.actions")
            for value in (*step.source, *([step.target] if step.target else [])):
                if states and value not in states:
                    found.append(f"{model.__name__}.workflow: {step.action!r} names unknown state {value!r}")
            for name in (*step.fields, *step.optional):
                if name not in names:
                    found.append(f"{model.__name__}.workflow: {step.action!r} sets unknown field {name!r}")
            if not set(step.optional) <= set(step.fields):
                found.append(f"{model.__name__}.workflow: {step.action!r} has optional fields it does not set")
        return found


def state_of(obj: models.Model) -> str:
    return str(getattr(obj, type(obj).workflow.state_field))


def state_label(obj: models.Model, state: str | None = None) -> str:
    workflow = type(obj).workflow
    field_ = obj._meta.get_field(workflow.state_field)
    value = state_of(obj) if state is None else state
    return str(dict(field_.flatchoices).get(value, value))


def action_label(model: type[models.Model], action: str) -> str:
    return str(declared_actions(model).get(action, action))


def illegal(obj: models.Model, action: str) -> IllegalTransition:
    """The refusal for `action` from the row's current state, naming what is possible instead."""
    model = type(obj)
    state = state_of(obj)
    possible = [step.action for step in model.workflow.from_state(state)]
    names = "、".join(action_label(model, name) for name in possible)
    values = {"state": state_label(obj), "action": action_label(model, action), "actions": names}
    if possible:
        message = _("当前状态为“%(state)s”，不能执行“%(action)s”。当前可执行的操作：%(actions)s。") % values
    else:
        message = _("当前状态为“%(state)s”，不能执行“%(action)s”。当前状态下没有可执行的操作。") % values
    return IllegalTransition(message, state=state, action=action, possible=possible)


def possible_actions(user: Any, obj: models.Model) -> list[Transition]:
    """The transitions `user` may take on `obj` now: allowed from its state and inside the user's jurisdiction
    for that action. Decided in memory on the row already read (detail pages show these as buttons)."""
    model = type(obj)
    if model.workflow is None:
        return []
    return [
        step for step in model.workflow.from_state(state_of(obj))
        if jurisdiction_of(user, step.action, model).covers_object(obj)
    ]


def requirement_errors(step: Transition, *, reason: str, data: Mapping[str, Any], attachment_count: int
                       ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if step.reason and not reason.strip():
        errors[REASON_FIELD] = [_("请填写理由。")]
    if len(reason) > REASON_MAX_LENGTH:
        errors[REASON_FIELD] = [_("理由不能超过 %(limit)d 个字符。") % {"limit": REASON_MAX_LENGTH}]
    for name in step.required_fields:
        if data.get(name) in (None, "", [], ()):
            errors[name] = [_("该操作必须填写此项。")]
    if attachment_count < step.attachments:
        errors[ATTACHMENTS_FIELD] = [
            _("该操作至少需要上传 %(count)d 个附件。") % {"count": step.attachments}
        ]
    return errors


def transition(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    reason: str = "",
    data: Mapping[str, Any] | None = None,
    attachments: Sequence[Any] = (),
    apply: Callable[[models.Model], None] | None = None,
    notices: Sequence[Notice] = (),
) -> models.Model:
    """Run `action` on `obj` as `actor`, or change nothing.

    The row is read again under a lock (`select_for_update`) through the gate for `action`, so of two
    concurrent transitions the second sees the first's state and is refused by the table. `data` holds the
    values of the transition's fields, `attachments` the uploaded files; `apply` makes the service's own
    changes to the locked row before it is validated and saved (e.g. stamping who verified). The audit event
    is `<entity>.<action>`, with the reason and the state change; the transition's notices and `notices` are
    sent after the commit. Raises PermissionDenied, IllegalTransition or ValidationError.
    """
    model = type(obj)
    workflow = model.workflow
    if workflow is None:
        raise ValueError(f"{model.__name__} has no workflow")
    check_action(model, action)
    reason = (reason or "").strip()
    data = dict(data or {})
    stored_files: list[Any] = []
    try:
        with transaction.atomic():
            # Lock the row only (not the rows joined to read its place on the tree).
            locked = (
                model.objects.restrict(actor, action).select_related(*scope_relations(model))
                .select_for_update(of=("self",)).filter(pk=obj.pk).first()
            )
            if locked is None:
                raise PermissionDenied(_("您无权对该记录执行“%(action)s”。") % {"action": action_label(model, action)})
            before = state_of(locked)
            step = workflow.find(before, action)
            if step is None:
                raise illegal(locked, action)
            errors = requirement_errors(step, reason=reason, data=data, attachment_count=len(attachments))
            if errors:
                raise ValidationError(errors)
            for name in step.fields:
                if name in data:
                    setattr(locked, name, data[name])
            if step.target is not None:
                setattr(locked, workflow.state_field, step.target)
            if apply is not None:
                apply(locked)
            validate_instance(locked)
            locked._history_user = actor
            locked.save()
            if not jurisdiction_of(actor, action, model).covers_object(locked):
                raise PermissionDenied(_("操作后的记录超出您的管辖范围，已撤销。"))
            if attachments:
                from anjian.core.attachments import attach

                stored_files.extend(attach(actor=actor, obj=locked, files=attachments, purpose=action, action=action))
            after = state_of(locked)
            audit.record(
                actor=actor, action=audit.name(model, action), obj=locked, reason=reason,
                data={"from": before, "to": after, "fields": [name for name in step.fields if name in data],
                      "attachments": [item.pk for item in stored_files]},
            )
            url = locked.get_absolute_url() if hasattr(locked, "get_absolute_url") else ""
            send_on_commit(actor=actor, obj=locked, notices=(*step.notify, *notices), url=url)
    except BaseException:
        # The rows rolled back; the files written to storage for them go too.
        for item in stored_files:
            item.delete_files()
        raise
    return locked
