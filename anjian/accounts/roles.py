"""Roles and what each may do (issue 2 item 5). The table is data; `User.jurisdiction` applies it."""

from __future__ import annotations

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


ALL_ACTIONS = frozenset({VIEW, EXPORT, ADD, CHANGE, DELETE})

# Default actions per role on domain records. A model narrows them with `role_actions` (see User.jurisdiction).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: ALL_ACTIONS,
    Role.CITY_SUPERVISOR: frozenset({VIEW, EXPORT, ADD, CHANGE}),
    Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT, ADD, CHANGE}),
    # Grid workers report hazards (hazards app); on the registry they look things up on a phone.
    Role.GRID_WORKER: frozenset({VIEW}),
    Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, ADD, CHANGE}),
    Role.EXPERT: frozenset({VIEW}),
}

STAFF_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_SUPERVISOR, Role.TOWN_SUPERVISOR, Role.GRID_WORKER})
CITY_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_SUPERVISOR})

# The region level each staff role is assigned to, and its name in messages (regions.choices.RegionLevel values;
# accounts sits below regions in the layers, so the labels are repeated here).
REGION_LEVEL_LABELS = {"city": _("市"), "town": _("镇街（园区）"), "village": _("村（社区）")}
ROLE_REGION_LEVEL = {
    Role.CITY_ADMIN: "city",
    Role.CITY_SUPERVISOR: "city",
    Role.TOWN_SUPERVISOR: "town",
    Role.GRID_WORKER: "village",
}
