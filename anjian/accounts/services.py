"""Writes to accounts: every account is created and managed here, by the CLI, the demo and the user-management pages
(issue 7 item 3), and API tokens are issued, rotated and revoked here (issue 7 item 8).

Who manages whom is the gate (`User.objects.restrict(actor, action)`: a town reaches the accounts of its villages and
enterprises) narrowed to the roles the actor's role manages (`RoleSpec.manages`: a town supervisor manages grid
workers and enterprise users, never staff); nobody manages their own account here (the profile page is for that).
Every decision writes a `user.<verb>` audit event, with its reason.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import ApiToken, User, revoke_tokens
from anjian.accounts.roles import Role, managed_roles
from anjian.core import audit
from anjian.core.scope import ADD, CHANGE, EXPORT, VIEW, can_add, jurisdiction_of

REASON_MAX_LENGTH = 500


# ---- who manages whom ---------------------------------------------------------------------------------------------


def roles_managed_by(actor: Any) -> frozenset[str]:
    """The roles of the accounts `actor` manages (a superuser: every role)."""
    if getattr(actor, "is_superuser", False):
        return frozenset(Role.values)
    return managed_roles(getattr(actor, "role", ""))


def manages_anyone(actor: Any) -> bool:
    return bool(roles_managed_by(actor)) and not jurisdiction_of(actor, VIEW, User).nothing


def managed_users(actor: Any, action: str = VIEW) -> QuerySet:
    """The accounts `actor` may `action` in user management: the gate, narrowed to the roles it manages. Superusers
    are managed by superusers only, and one's own account only through the profile page (it is listed, not
    changed)."""
    queryset = User.objects.restrict(actor, action)
    if not getattr(actor, "is_superuser", False):
        queryset = queryset.filter(role__in=sorted(roles_managed_by(actor)), is_superuser=False)
    if action not in (VIEW, EXPORT):
        queryset = queryset.exclude(pk=actor.pk)
    return queryset


def _check_manages(actor: Any, user: User, action: str) -> None:
    """Refuse unless `actor` may `action` the account as stored (None: the operator at the command line)."""
    if actor is None:
        return
    if user.pk is None or not managed_users(actor, action).filter(pk=user.pk).exists():
        raise PermissionDenied(_("您无权管理该用户。"))


def _check_result(actor: Any, user: User, action: str) -> None:
    """After saving, inside the transaction: the account is still one `actor` manages (role and place)."""
    if actor is None:
        return
    if user.role not in roles_managed_by(actor) or (user.is_superuser and not actor.is_superuser):
        raise PermissionDenied(_("您不能创建或设置该角色的用户。"))
    if not jurisdiction_of(actor, action, User).covers_object(user):
        raise PermissionDenied(_("该用户的管辖区域或所属企业超出您的管辖范围。"))


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("请填写理由。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("理由不能超过 %(max)d 个字。") % {"max": REASON_MAX_LENGTH}})
    return reason


def _account(user: Any) -> Any:
    """The account itself when a page passes `request.user` (a lazy wrapper, which the audit log cannot place)."""
    user.pk  # noqa: B018 - evaluates a lazy wrapper
    return getattr(user, "_wrapped", user)


def one_time_password(length: int = 14) -> str:
    """A random password that passes the password rules (letters of both cases, digits, a symbol)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        core = "".join(secrets.choice(alphabet) for _ in range(length - 1))
        if any(c.islower() for c in core) and any(c.isupper() for c in core) and any(c.isdigit() for c in core):
            return core[:7] + secrets.choice("-_.@#") + core[7:]


# ---- accounts -----------------------------------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    user: User,
    password: str,
    assigned_enterprises: Iterable[models.Model] = (),
    reason: str = "",
    must_change_password: bool = False,
) -> User:
    """Validate and save a new account with its password and (for experts) assigned enterprises.

    `actor` None means the operator at the server's command line; a person needs the right to add users and
    manage the new account's role, in its region or enterprise (checked after saving; nothing is kept otherwise).
    Raises ValidationError (field rules, password rules) or PermissionDenied.
    """
    if actor is not None:
        if not can_add(actor, User) or not roles_managed_by(actor):
            raise PermissionDenied(_("您无权创建用户。"))
        if user.role not in roles_managed_by(actor):
            raise PermissionDenied(_("您不能创建或设置该角色的用户。"))
        user.is_superuser = user.is_staff = False
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change_password
    with transaction.atomic():
        user.save()
        _check_result(actor, user, ADD)
        user.assigned_enterprises.set(list(assigned_enterprises))
        audit.record(actor=actor, action="user.create", obj=user, reason=reason, data={"role": user.role})
    return user


def user_create_with_one_time_password(*, actor: Any, user: User, reason: str = "") -> tuple[User, str]:
    """Create the account with a one-time password, to be shown once to `actor`; the user changes it at login."""
    password = one_time_password()
    return user_create(actor=actor, user=user, password=password, reason=reason, must_change_password=True), password


# The fields user management may change; the rest (password, superuser, permissions) have their own ways.
EDITABLE_FIELDS = ("username", "last_name", "first_name", "email", "phone", "role", "region", "enterprise",
                   "department", "domains")


def user_update(*, actor: Any, user: User, reason: str = "") -> User:
    """Save changes to an account (its names, contact, role and jurisdiction) that `actor` manages, as stored and
    as changed; writes `user.update` with the fields changed."""
    stored = User.objects.select_related("region", "enterprise").get(pk=user.pk)
    _check_manages(actor, stored, CHANGE)
    reason = _reason(reason, required=False)
    changed = [
        name for name in EDITABLE_FIELDS
        if getattr(stored, User._meta.get_field(name).attname) != getattr(user, User._meta.get_field(name).attname)
    ]
    if not changed:
        return user
    # Only these fields are written: a password or superuser flag set on the instance elsewhere is not.
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=changed)
        _check_result(actor, user, CHANGE)
        audit.record(actor=actor, action="user.update", obj=user, reason=reason, data={"fields": changed})
    return user


def _set_active(*, actor: Any, user: User, active: bool, reason: str) -> User:
    action = "reactivate" if active else "deactivate"
    _check_manages(actor, user, action)
    reason = _reason(reason, required=True)
    if user.is_active == active:
        raise ValidationError(_("该用户已启用。") if active else _("该用户已停用。"))
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            # A token refused while the account is off must not come back to life when it is switched on again.
            revoke_tokens(user)
        audit.record(actor=actor, action=f"user.{action}", obj=user, reason=reason)
    return user


def user_deactivate(*, actor: Any, user: User, reason: str) -> User:
    """停用: the account can no longer sign in, and its API tokens are revoked (a reason is required)."""
    return _set_active(actor=actor, user=user, active=False, reason=reason)


def user_reactivate(*, actor: Any, user: User, reason: str) -> User:
    """启用 again (a reason is required)."""
    return _set_active(actor=actor, user=user, active=True, reason=reason)


def user_reset_password(*, actor: Any, user: User, reason: str) -> str:
    """Give the account a one-time password (answered, to be shown once to `actor`, never stored in the clear):
    the user must change it at the next sign-in; its API tokens are revoked (User.save). A reason is required."""
    _check_manages(actor, user, "reset_password")
    reason = _reason(reason, required=True)
    password = one_time_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=actor, action="user.reset_password", obj=user, reason=reason)
    return password


def user_password_changed(*, actor: Any, user: User) -> User:
    """The user set a new password on the password-change page (already saved by Django's form, which revoked the
    tokens in User.save): the one-time password, if any, is spent; writes `user.change_password`."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能修改自己的密码。"))
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit.record(actor=actor, action="user.change_password", obj=_account(user))
    return user


def locked_out(usernames: Iterable[str] | None = None) -> frozenset[str]:
    """The usernames the login lockout holds now (django-axes: failures per username and address, within the
    cool-off), among `usernames` or all; one query."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if usernames is not None:
        attempts = attempts.filter(username__in=list(usernames))
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return frozenset(attempts.values_list("username", flat=True))


def is_locked_out(user: User) -> bool:
    return user.username in locked_out([user.username])


def user_unlock(*, actor: Any, user: User, reason: str) -> int:
    """Lift the login lockout of this username from every address (django-axes' failure records); answers how
    many records were cleared. A reason is required."""
    from axes.utils import reset

    _check_manages(actor, user, "unlock")
    reason = _reason(reason, required=True)
    with transaction.atomic():
        cleared = reset(username=user.username)
        audit.record(actor=actor, action="user.unlock", obj=user, reason=reason, data={"cleared": cleared})
    return cleared


# ---- API tokens ---------------------------------------------------------------------------------------------------


def _new_key() -> str:
    return secrets.token_hex(20)


def token_issue(*, actor: Any, user: User, name: str = "api", now: Any = None) -> ApiToken:
    """A new API token of `user`, valid ANJIAN_API_TOKEN_DAYS days; only the user obtains its own tokens."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己签发令牌。"))
    now = now or timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=(name or "api")[:64], key=_new_key(), created=now,
            expires=now + timedelta(days=settings.ANJIAN_API_TOKEN_DAYS),
        )
        audit.record(actor=actor, action="user.issue_token", obj=_account(user),
                     data={"token": token.pk, "name": token.name})
    return token


def token_for_api(*, user: User, now: Any = None) -> ApiToken:
    """The token `POST /api/v1/auth/token/` answers: the user's newest active token of that endpoint, else a new
    one (so a client asking twice gets the same token, as it always did)."""
    existing = ApiToken.objects.active(now).filter(user=user, name="api").order_by("-created", "-id").first()
    return existing or token_issue(actor=user, user=user, name="api", now=now)


def _token_of(actor: Any, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied(_("该令牌不属于此用户。"))
    if actor is not None and actor.pk == user.pk:
        return  # one's own token, from the profile page
    _check_manages(actor, user, "revoke_token")


def token_revoke(*, actor: Any, user: User, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke one token of `user`: by the user itself, or by whoever manages the account (then with a reason)."""
    _token_of(actor, user, token)
    reason = _reason(reason, required=actor is not None and actor.pk != user.pk)
    if token.revoked is not None:
        return token
    with transaction.atomic():
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        audit.record(actor=actor, action="user.revoke_token", obj=_account(user), reason=reason,
                     data={"token": token.pk, "name": token.name})
    return token


def token_rotate(*, actor: Any, user: User, token: ApiToken) -> ApiToken:
    """A new token in place of `token` (same name, a new expiry), the old one revoked; only the user rotates its own
    tokens (an administrator revokes them)."""
    if actor is None or actor.pk != user.pk or token.user_id != user.pk:
        raise PermissionDenied(_("只能轮换自己的令牌。"))
    with transaction.atomic():
        # Locked, so two rotations of one token cannot both issue a successor.
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if not token.is_active():
            raise ValidationError(_("该令牌已吊销或过期，不能轮换。"))
        now = timezone.now()
        token.revoked = now
        token.save(update_fields=["revoked"])
        new = ApiToken.objects.create(user=user, name=token.name, key=_new_key(), created=now,
                                      expires=now + timedelta(days=settings.ANJIAN_API_TOKEN_DAYS))
        audit.record(actor=actor, action="user.rotate_token", obj=_account(user),
                     data={"token": new.pk, "replaces": token.pk})
    return new


__all__ = [
    "is_locked_out", "locked_out", "managed_users", "manages_anyone", "one_time_password", "revoke_tokens",
    "roles_managed_by", "token_for_api", "token_issue", "token_revoke", "token_rotate", "user_create",
    "user_create_with_one_time_password", "user_deactivate", "user_password_changed", "user_reactivate",
    "user_reset_password", "user_unlock", "user_update",
]
