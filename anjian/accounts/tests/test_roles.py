"""The role table and the user rules that feed `User.jurisdiction` (issue 2 item 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from anjian.accounts.models import MANAGE_ACTIONS, User
from anjian.accounts.roles import ALL_ACTIONS, ROLE_ACTIONS, ROLE_REGION_LEVELS, STAFF_ROLES, Role
from anjian.core.models import AuditEvent
from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW
from anjian.enterprises.models import VIEW_PERSONAL, Enterprise, Licence
from anjian.regions.models import IndustrialPark, Region


def test_every_role_has_an_action_set():
    assert set(ROLE_ACTIONS) == set(Role)
    assert ROLE_ACTIONS[Role.CITY_ADMIN] == ALL_ACTIONS
    # Only the city administrator deletes domain records.
    assert [role for role, actions in ROLE_ACTIONS.items() if DELETE in actions] == [Role.CITY_ADMIN]
    assert ROLE_ACTIONS[Role.GRID_WORKER] == {VIEW}
    assert ROLE_ACTIONS[Role.EXPERT] == {VIEW}


def test_every_staff_role_has_a_region_level():
    assert set(ROLE_REGION_LEVELS) == set(STAFF_ROLES)
    assert ROLE_REGION_LEVELS[Role.TOWN_SUPERVISOR] == ("town",)
    assert ROLE_REGION_LEVELS[Role.GRID_WORKER] == ("village",)
    # A department supervises its domains across the city or within one town (issue 6 item 10).
    assert ROLE_REGION_LEVELS[Role.DEPARTMENT_SUPERVISOR] == ("city", "town")


def test_chinese_labels():
    assert Role.TOWN_SUPERVISOR.label == "镇街监管人员"
    assert Role.GRID_WORKER.label == "村（社区）网格员"
    assert Role.ENTERPRISE_USER.label == "企业安全管理人员"


@pytest.mark.parametrize(
    ("role", "model", "expected"),
    [
        (Role.ENTERPRISE_USER, Enterprise, {VIEW, EXPORT, CHANGE, VIEW_PERSONAL}),
        (Role.GRID_WORKER, Enterprise, {VIEW}),
        (Role.EXPERT, Enterprise, {VIEW}),
        (Role.ENTERPRISE_USER, Licence, {VIEW, EXPORT, ADD, CHANGE}),
        (Role.TOWN_SUPERVISOR, Region, {VIEW, EXPORT}),
        (Role.CITY_SUPERVISOR, IndustrialPark, {VIEW, EXPORT}),
        (Role.CITY_ADMIN, Region, ALL_ACTIONS),
        (Role.TOWN_SUPERVISOR, User, {VIEW, ADD, CHANGE, *MANAGE_ACTIONS}),
        (Role.CITY_SUPERVISOR, User, {VIEW}),
        (Role.GRID_WORKER, User, set()),
        (Role.TOWN_SUPERVISOR, AuditEvent, {VIEW, EXPORT, ADD, CHANGE}),
    ],
)
def test_models_narrow_the_role_table(role, model, expected):
    assert User(role=role).allowed_actions(model) == expected


def test_superuser_gets_every_action():
    assert User(is_superuser=True).allowed_actions(Region) == ALL_ACTIONS


@pytest.mark.django_db
class TestUserRules:
    def test_staff_need_a_region(self, reference_regions):
        with pytest.raises(ValidationError) as error:
            User(username="t", role=Role.TOWN_SUPERVISOR).clean()
        assert "必须指定管辖区域" in str(error.value)

    @pytest.mark.parametrize(
        ("role", "level"),
        [(Role.TOWN_SUPERVISOR, "village"), (Role.GRID_WORKER, "town"), (Role.CITY_SUPERVISOR, "town")],
    )
    def test_staff_region_has_the_role_level(self, reference_regions, role, level):
        region = Region.objects.filter(level=level).first()
        with pytest.raises(ValidationError) as error:
            User(username="t", role=role, region=region).clean()
        assert "级" in str(error.value)

    def test_enterprise_user_needs_an_enterprise(self):
        with pytest.raises(ValidationError) as error:
            User(username="e", role=Role.ENTERPRISE_USER).clean()
        assert "必须指定所属企业" in str(error.value)

    def test_jurisdiction_label(self, personas):
        assert personas.town_a_supervisor.jurisdiction_label == "东城街道"
        assert personas.enterprise_a_user.jurisdiction_label == personas.enterprise_a.name
        assert personas.expert_a.jurisdiction_label == "指派企业 1 家"  # its assignments (the user menu shows it)

    def test_town_supervisor_jurisdiction_is_its_town_prefix(self, personas):
        jurisdiction = personas.town_a_supervisor.jurisdiction(VIEW, Enterprise)
        assert jurisdiction.region_prefixes == (personas.town_a.prefix,)
        assert personas.town_a.code.startswith(personas.town_a.prefix)
        assert not personas.town_b.code.startswith(personas.town_a.prefix)

    def test_expert_without_assignment_reaches_nothing(self, personas):
        personas.expert_a.assigned_enterprises.clear()
        assert personas.expert_a.jurisdiction(VIEW, Enterprise).nothing

    def test_users_are_visible_to_supervisors_of_their_town_only(self, personas):
        visible = set(User.objects.restrict(personas.town_a_supervisor, VIEW).values_list("username", flat=True))
        assert "grid_worker_a" in visible and "town_a_supervisor" in visible
        assert "town_b_supervisor" not in visible
        assert not User.objects.restrict(personas.grid_worker_a, VIEW).exists()
        # An enterprise user hangs on its enterprise's village (User.place_code), so its town reaches it.
        assert "enterprise_a_user" in visible
        # The gate lets a town change accounts of its town; user management narrows that to the roles the town
        # manages (anjian.accounts.services.managed_users, tested in test_users.py).
        changeable = set(User.objects.restrict(personas.town_a_supervisor, CHANGE).values_list("username", flat=True))
        assert "town_b_supervisor" not in changeable and "grid_worker_a" in changeable
        assert not User.objects.restrict(personas.city_supervisor, CHANGE).exists()
