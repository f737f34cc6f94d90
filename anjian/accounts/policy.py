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


def follow_enterprise_region(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """An enterprise saved with another region (any save: a form, the admin, a shell) takes its accounts along.
    Asked only when the region changed; a move written in bulk by an import reaches move_enterprise_accounts through
    anjian.core.services.follow_moves instead (no post_save there)."""
    if created or kwargs.get("raw"):
        return
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is not None and loaded.get("region_id") == instance.region_id:
        return
    move_enterprise_accounts(instance)


def move_enterprise_accounts(enterprise: Any) -> int:
    """The enterprise's accounts' place on the tree (User.place_code) becomes its region's, so the new town manages
    them and the old one no longer does. Answers how many accounts moved."""
    from django.db.models import Q

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role

    code = str(enterprise.region.code) if enterprise.region_id else ""
    # The accounts User.locate places by their enterprise.
    placed_by_enterprise = Q(role=Role.ENTERPRISE_USER) | Q(region__isnull=True)
    return User.objects.filter(placed_by_enterprise, enterprise_id=enterprise.pk).exclude(place_code=code).update(
        place_code=code
    )
