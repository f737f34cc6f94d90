"""Start-up checks of what models declare to the kit (issue 6, "Bad input": an action name a model does not declare
is a clear error at start-up, not at run time).

`declaration_problems` reads one model's `actions`, `policy`, `editable_fields` and `workflow`; the core app runs
it over every installed model when the app registry is ready and refuses to start on any problem. Role names in
policies are checked by anjian.accounts, which owns the role table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

from anjian.core.scope import STANDARD_ACTIONS, declared_actions

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


def check_declarations(candidates: Iterable[type[models.Model]]) -> None:
    problems = [problem for model in candidates for problem in declaration_problems(model)]
    if problems:
        raise ImproperlyConfigured("Model declarations for the permission kit are wrong:\n" + "\n".join(problems))
