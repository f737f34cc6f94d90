"""Helpers of the notifications tests."""

from __future__ import annotations

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core.notices import Notice


def expiry_notice(licence, key: str = "") -> Notice:
    return Notice(
        "licence.expiring", roles=(Role.ENTERPRISE_USER, Role.TOWN_SUPERVISOR), key=key,
        context={"enterprise": licence.enterprise.name, "town": "东城街道", "record_type": "安全生产许可证",
                 "number": licence.number, "valid_to": licence.valid_to, "expired": False, "days_left": 12,
                 "days_overdue": 0},
    )


def department_supervisor(username: str, *, region, domains: list[str]) -> User:
    user = User(username=username, role=Role.DEPARTMENT_SUPERVISOR, region=region, domains=domains)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user
