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
    """An enterprise moved to another region: its accounts' place on the tree moves with it (User.place_code), so
    the new town manages them and the old one no longer does. Asked only when the region changed."""
    if created or kwargs.get("raw"):
        return
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is not None and loaded.get("region_id") == instance.region_id:
        return
    from django.db.models import Q

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role

    code = str(instance.region.code) if instance.region_id else ""
    # The accounts User.locate places by their enterprise.
    placed_by_enterprise = Q(role=Role.ENTERPRISE_USER) | Q(region__isnull=True)
    User.objects.filter(placed_by_enterprise, enterprise_id=instance.pk).exclude(place_code=code).update(
        place_code=code
    )
