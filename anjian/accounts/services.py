"""Writes to accounts: every account is created here, by the CLI, the demo and (later) the admin UI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.core import audit
from anjian.core.scope import can_add


def user_create(
    *,
    actor: Any,
    user: User,
    password: str,
    assigned_enterprises: Iterable[models.Model] = (),
    reason: str = "",
) -> User:
    """Validate and save a new account with its password and (for experts) assigned enterprises.

    `actor` None means the operator at the server's command line; a person needs the right to add users
    (the city administrator). Raises ValidationError (field rules, password rules) or PermissionDenied.
    """
    if actor is not None and not can_add(actor, User):
        raise PermissionDenied(_("您无权创建用户。"))
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        user.assigned_enterprises.set(list(assigned_enterprises))
        audit.record(actor=actor, action="user.create", obj=user, reason=reason, data={"role": user.role})
    return user
