"""Checks and signals that keep the role table and the models' policies honest (issue 6 item 1)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from anjian.accounts.roles import Role


def check_policy_roles(candidates: Iterable[type[models.Model]]) -> None:
    """Refuse to start when a model's policy or editable_fields names a role the role table does not have."""
    problems = []
    for model in candidates:
        for attribute in ("policy", "editable_fields"):
            for role in getattr(model, attribute, {}) or {}:
                if role not in Role.values:
                    problems.append(f"{model.__name__}.{attribute}: unknown role {role!r}")
    if problems:
        raise ImproperlyConfigured("Model policies name unknown roles:\n" + "\n".join(problems))


def forget_assignments(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """An expert's assignments changed: its cached reach is stale."""
    if action.startswith("post_") and hasattr(instance, "forget_jurisdiction"):
        instance.forget_jurisdiction()
