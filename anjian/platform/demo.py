"""The demo accounts of `anjian demo`: one per role, in the demo town, for the demo only (issue 2 item 2)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.management.commands.createuser import build_user, create
from anjian.accounts.models import Department, User
from anjian.accounts.roles import Role
from anjian.enterprises.demo import generated_enterprises
from anjian.enterprises.models import Enterprise
from anjian.enterprises.selectors import expiring_condition
from anjian.regions.models import Region

# The demo accounts' shared password: for the demo only, printed on the terminal, never for real use.
DEMO_PASSWORD = "Demo-2026-anjian"  # noqa: S105 - a published demo password, by design
DEMO_TOWN = "441900003000"  # 东城街道
EXPERT_ASSIGNMENTS = 5
# The demo department supervisor: 住建 across the city, for construction (管行业必须管安全, issue 6 item 10).
DEMO_DEPARTMENT = "housing"
DEMO_DEPARTMENT_DOMAINS = ("construction",)


def demo_accounts() -> list[tuple[User, str]]:
    """Create (or reset) one demo user per role; returns (user, jurisdiction shown to the person) pairs."""
    town = Region.objects.get(code=DEMO_TOWN)
    village = town.children.order_by("code").first()
    in_town = Enterprise._base_manager.filter(region__parent=town).order_by("name", "id")
    generated = in_town.filter(pk__in=generated_enterprises().values("pk"))
    sample = generated if generated.exists() else in_town
    # The demo enterprise user's own enterprise has something expiring, so its home page and inbox show it.
    expiring = sample.filter(expiring_condition(as_of=timezone.localdate()))
    first = expiring.first() or sample.first()
    if first is None:
        raise CommandError(f"{town.name}没有企业，无法创建演示企业用户和专家。")
    department = Department.objects.filter(code=DEMO_DEPARTMENT).first()
    plan = [
        ("demo_city_admin", Role.CITY_ADMIN, None, None, ()),
        ("demo_city_supervisor", Role.CITY_SUPERVISOR, None, None, ()),
        ("demo_town_supervisor", Role.TOWN_SUPERVISOR, town.code, None, ()),
        ("demo_grid_worker", Role.GRID_WORKER, village.code, None, ()),
        ("demo_enterprise_user", Role.ENTERPRISE_USER, None, first.uscc, ()),
        ("demo_expert", Role.EXPERT, None, None, ()),
        ("demo_department_supervisor", Role.DEPARTMENT_SUPERVISOR, None, None, DEMO_DEPARTMENT_DOMAINS),
    ]
    accounts = []
    with transaction.atomic():
        for username, role, region_code, uscc, domains in plan:
            user, _assigned = build_user(username=username, role=role, region_code=region_code, uscc=uscc,
                                         domains=domains, department=department.code if domains and department
                                         else None)
            user.last_name = Role(role).label
            assigned = list(sample[:EXPERT_ASSIGNMENTS]) if role == Role.EXPERT else []
            existing = User.objects.filter(username=username).first()
            if existing is None:
                create(user=user, password=DEMO_PASSWORD, assigned=assigned, reason="演示用户（anjian demo）")
            else:
                # Reset in place: a demo account that has acted is referenced by audit events and stays.
                user.pk, user.date_joined = existing.pk, existing.date_joined
                user._state.adding = False
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.assigned_enterprises.set(assigned)
            where = f"指派企业 {len(assigned)} 家（{town.name}）" if role == Role.EXPERT else user.jurisdiction_label
            accounts.append((user, where))
    return accounts
