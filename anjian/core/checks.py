"""Start-up checks of what models declare to the kit (issue 6, "Bad input": an action name a model does not declare
is a clear error at start-up, not at run time).

`declaration_problems` reads one model's `scope`, `actions`, `policy`, `editable_fields` and `workflow`; the core
app runs it over every installed model when the app registry is ready and refuses to start on any problem. Role
names in policies are checked by anjian.accounts, which owns the role table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

from anjian.core.scope import STANDARD_ACTIONS, Scope, declared_actions

ACTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def declaration_problems(model: type[models.Model]) -> list[str]:
    problems: list[str] = []
    name = model.__name__
    own = getattr(model, "actions", {}) or {}
    for action in own:
        if action in STANDARD_ACTIONS:
            problems.append(f"{name}.actions: {action!r} is a standard action and needs no declaration")
        elif not ACTION_NAME.match(action):
            problems.append(f"{name}.actions: {action!r} is not a lower-case identifier (it becomes a URL)")
    scope = getattr(model, "scope", None)
    if isinstance(scope, Scope):
        for key in ("region_code", "enterprise", "domain", "owner"):
            path = getattr(scope, key)
            problem = path and scope_path_problem(model, path)
            if problem:
                problems.append(f"{name}.scope.{key}: {problem}")
    declared = declared_actions(model)
    for role, actions in (getattr(model, "policy", {}) or {}).items():
        for action in actions:
            if action not in declared:
                problems.append(f"{name}.policy[{role!r}]: undeclared action {action!r}")
    for role, fields in (getattr(model, "editable_fields", {}) or {}).items():
        for field in fields:
            try:
                model._meta.get_field(field)
            except FieldDoesNotExist:
                problems.append(f"{name}.editable_fields[{role!r}]: no field {field!r}")
    workflow = getattr(model, "workflow", None)
    if workflow is not None:
        problems.extend(workflow.problems(model))
    return problems


def scope_path_problem(model: type[models.Model], path: str) -> str | None:
    """What is wrong with a scope path, or None: every step a stored field, every step but the last a relation.

    The gate reads a row's place from its stored values (anjian.core.services.stored_scope_decision), so a path
    through a many-to-many or reverse relation could not be decided.
    """
    current = model
    steps = path.split("__")
    for position, step in enumerate(steps):
        try:
            field = current._meta.pk if step == "pk" else current._meta.get_field(step)
        except FieldDoesNotExist:
            return f"{path!r}: {current.__name__} has no field {step!r}"
        if not field.concrete or field.many_to_many:
            return f"{path!r}: {current.__name__}.{step} is not a stored field"
        if position < len(steps) - 1:
            if not field.is_relation:
                return f"{path!r}: {current.__name__}.{step} is not a relation"
            current = field.related_model
    return None


def check_declarations(candidates: Iterable[type[models.Model]]) -> None:
    problems = [problem for model in candidates for problem in declaration_problems(model)]
    if problems:
        raise ImproperlyConfigured("Model declarations for the permission kit are wrong:\n" + "\n".join(problems))
