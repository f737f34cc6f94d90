"""Roles and what each may do (issue 2 item 5, issue 6 items 1 and 10). The table is data; `User.jurisdiction`
applies it, and a model's `policy` replaces a role's defaults for that model (and grants its own actions).
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    CITY_SUPERVISOR = "city_supervisor", _("市级监管人员")
    TOWN_SUPERVISOR = "town_supervisor", _("镇街监管人员")
    GRID_WORKER = "grid_worker", _("村（社区）网格员")
    ENTERPRISE_USER = "enterprise_user", _("企业安全管理人员")
    EXPERT = "expert", _("专家")
    # 管行业必须管安全: a department with safety duties supervises its own domains within a region (issue 6 item 10).
    DEPARTMENT_SUPERVISOR = "department_supervisor", _("行业部门监管人员")


class Reach(enum.Enum):
    """How a role's jurisdiction is found."""

    CITY = "city"  # every row on the tree
    REGION = "region"  # the subtree of the user's region
    ENTERPRISE = "enterprise"  # the user's own enterprise
    ASSIGNED = "assigned"  # the enterprises assigned to the user (experts)
    DEPARTMENT = "department"  # the user's supervision domains within its region


class Home(enum.Enum):
    """Which home page a role lands on."""

    OVERVIEW = "overview"  # counts, charts and warnings of a jurisdiction
    ENTERPRISE = "enterprise"  # one enterprise's own page of warnings


ALL_ACTIONS = frozenset({VIEW, EXPORT, ADD, CHANGE, DELETE})
REGULATOR_ACTIONS = frozenset({VIEW, EXPORT, ADD, CHANGE})


@dataclass(frozen=True)
class RoleSpec:
    """One row of the role table.

    `defaults` are the standard actions the role has on a domain record unless the model's `policy` names the
    role; `region_levels` the levels its region may have (none: the role has no region); `manages` the roles of
    the accounts it manages within its reach (user management, issue 7 item 3).
    """

    reach: Reach
    defaults: frozenset[str]
    region_levels: tuple[str, ...] = ()
    home: Home = Home.OVERVIEW
    manages: frozenset[str] = frozenset()


ROLES: dict[str, RoleSpec] = {
    # The city administrator manages every account; a town supervisor the grid workers and enterprise users of its
    # town, never staff (its own role included).
    Role.CITY_ADMIN: RoleSpec(Reach.CITY, ALL_ACTIONS, ("city",), manages=frozenset(Role.values)),
    Role.CITY_SUPERVISOR: RoleSpec(Reach.CITY, REGULATOR_ACTIONS, ("city",)),
    Role.TOWN_SUPERVISOR: RoleSpec(Reach.REGION, REGULATOR_ACTIONS, ("town",),
                                   manages=frozenset({Role.GRID_WORKER, Role.ENTERPRISE_USER})),
    # Grid workers report hazards (hazards app); on the registry they look things up on a phone.
    Role.GRID_WORKER: RoleSpec(Reach.REGION, frozenset({VIEW}), ("village",)),
    Role.ENTERPRISE_USER: RoleSpec(Reach.ENTERPRISE, REGULATOR_ACTIONS, home=Home.ENTERPRISE),
    Role.EXPERT: RoleSpec(Reach.ASSIGNED, frozenset({VIEW})),
    Role.DEPARTMENT_SUPERVISOR: RoleSpec(Reach.DEPARTMENT, REGULATOR_ACTIONS, ("city", "town")),
}

# Derived views of the table, for the places that ask one question of it.
ROLE_ACTIONS: dict[str, frozenset[str]] = {role: spec.defaults for role, spec in ROLES.items()}
ROLE_REGION_LEVELS: dict[str, tuple[str, ...]] = {role: spec.region_levels for role, spec in ROLES.items()
                                                   if spec.region_levels}
STAFF_ROLES = frozenset(ROLE_REGION_LEVELS)
CITY_ROLES = frozenset(role for role, spec in ROLES.items() if spec.reach is Reach.CITY)
# Those who manage accounts (the user-management pages and their sidebar entry).
MANAGER_ROLES = frozenset(role for role, spec in ROLES.items() if spec.manages)
# Those who supervise (the audit log, who-did-what pages): not grid workers, enterprises or experts.
REGULATOR_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_SUPERVISOR, Role.TOWN_SUPERVISOR, Role.DEPARTMENT_SUPERVISOR})

# The region level each staff role is assigned to, and its name in messages (regions.choices.RegionLevel values;
# accounts sits below regions in the layers, so the labels are repeated here).
REGION_LEVEL_LABELS = {"city": _("市"), "town": _("镇街（园区）"), "village": _("村（社区）")}


def managed_roles(role: str) -> frozenset[str]:
    """The roles of the accounts a person of `role` manages (none for a role the table does not have)."""
    spec = ROLES.get(role)
    return spec.manages if spec is not None else frozenset()


def defaults(role: str, *extra: str, without: Collection[str] = ()) -> frozenset[str]:
    """A role's default actions plus a model's own `extra` ones, minus `without`: one line of a model's policy."""
    return (ROLE_ACTIONS[role] | frozenset(extra)) - frozenset(without)

