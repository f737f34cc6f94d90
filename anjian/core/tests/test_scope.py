"""The one visibility gate: `restrict(user, action)` per role, and `scoped_save`'s re-check after saving.

Personas (anjian/core/testing/personas.py): town A = 东城街道, town B = 虎门镇, enterprise_a in town A's first
village (where grid_worker_a works), enterprise_b in town B's first village, expert_a assigned to enterprise_a.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from anjian.core.models import AuditEvent
from anjian.core.scope import ADD, CHANGE, DELETE, EXPORT, VIEW, Jurisdiction, Scope, can, can_add, code_range
from anjian.core.services import scoped_delete, scoped_save
from anjian.enterprises.models import Enterprise, Licence
from anjian.enterprises.services import enterprise_save, licence_save
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory
from anjian.regions.models import Region

pytestmark = pytest.mark.django_db

# Which of the two persona enterprises each role may see.
ENTERPRISE_VISIBILITY = {
    "city_admin": {"a", "b"},
    "city_supervisor": {"a", "b"},
    "town_a_supervisor": {"a"},
    "town_b_supervisor": {"b"},
    "grid_worker_a": {"a"},
    "enterprise_a_user": {"a"},
    "expert_a": {"a"},
}


def _pair(personas, model_ids: set[int]) -> set[str]:
    names = {personas.enterprise_a.pk: "a", personas.enterprise_b.pk: "b"}
    return {names[pk] for pk in model_ids if pk in names}


# --- Jurisdiction itself -------------------------------------------------------------------------


def test_empty_jurisdiction_is_nothing_and_prefixes_are_code_ranges():
    assert Jurisdiction().nothing
    assert not Jurisdiction(everything=True).nothing
    assert code_range("441900003") == ("441900003000", "441900003999")
    assert code_range("4419") == ("441900000000", "441999999999")
    town = Jurisdiction(region_prefixes=("441900003",))
    assert town.covers("441900003000") and town.covers("441900003999")
    assert not town.covers("441900004001") and not town.covers("441900002999")
    assert town.q(Scope(region_code="region__code")) is not None


def test_jurisdiction_without_a_matching_path_matches_no_row():
    # An enterprise user reaches rows through an enterprise; a model without that path gives nothing, not all.
    assert Jurisdiction(enterprise_ids=(1,)).q(Scope(region_code="code")) is None


def test_unknown_action_is_refused(personas):
    with pytest.raises(ValueError):
        Enterprise.objects.restrict(personas.city_admin, "approve")


# --- Enterprise ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), sorted(ENTERPRISE_VISIBILITY.items()))
def test_enterprise_view_per_role(personas, persona, expected):
    user = getattr(personas, persona)
    ids = set(Enterprise.objects.restrict(user, VIEW).values_list("pk", flat=True))
    assert _pair(personas, ids) == expected


def test_anonymous_and_inactive_users_see_nothing(personas):
    assert not Enterprise.objects.restrict(AnonymousUser(), VIEW).exists()
    assert not Enterprise.objects.restrict(None, VIEW).exists()
    personas.city_admin.is_active = False
    personas.city_admin.save()
    assert not Enterprise.objects.restrict(personas.city_admin, VIEW).exists()


def test_user_without_role_sees_nothing(personas):
    from anjian.accounts.models import User

    nobody = User.objects.create_user(username="norole", password="Anjian-test-2026")
    assert not Enterprise.objects.restrict(nobody, VIEW).exists()


@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        ("city_admin", DELETE, True),
        ("city_supervisor", DELETE, False),
        ("town_a_supervisor", CHANGE, True),
        ("town_a_supervisor", EXPORT, True),
        ("town_a_supervisor", DELETE, False),
        ("grid_worker_a", CHANGE, False),
        ("grid_worker_a", EXPORT, False),
        ("expert_a", CHANGE, False),
        ("enterprise_a_user", CHANGE, True),
        ("enterprise_a_user", DELETE, False),
    ],
)
def test_enterprise_actions_per_role(personas, persona, action, allowed):
    assert can(getattr(personas, persona), action, personas.enterprise_a) is allowed


def test_town_supervisor_cannot_change_the_other_town(personas):
    assert not can(personas.town_a_supervisor, CHANGE, personas.enterprise_b)
    assert not can(personas.town_a_supervisor, VIEW, personas.enterprise_b)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("city_admin", True),
        ("town_a_supervisor", True),
        ("grid_worker_a", False),
        ("enterprise_a_user", False),
        ("expert_a", False),
    ],
)
def test_who_may_register_enterprises(personas, persona, allowed):
    assert can_add(getattr(personas, persona), Enterprise) is allowed


# --- Licence (scoped through its enterprise) -----------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), sorted(ENTERPRISE_VISIBILITY.items()))
def test_licence_view_per_role(personas, persona, expected):
    licence_a = LicenceFactory(enterprise=personas.enterprise_a)
    licence_b = LicenceFactory(enterprise=personas.enterprise_b)
    visible = set(Licence.objects.restrict(getattr(personas, persona), VIEW).values_list("pk", flat=True))
    assert ({"a"} if licence_a.pk in visible else set()) | ({"b"} if licence_b.pk in visible else set()) == expected


def test_enterprise_user_may_add_licences_but_not_delete_them(personas):
    assert can_add(personas.enterprise_a_user, Licence)
    licence = LicenceFactory(enterprise=personas.enterprise_a)
    assert can(personas.enterprise_a_user, CHANGE, licence)
    assert not can(personas.enterprise_a_user, DELETE, licence)


# --- Region (reference data: read-only except for the city administrator) ----------------------


def test_region_view_per_role(personas):
    city = Region.objects.get(level="city")

    def visible(user) -> set[str]:
        return set(Region.objects.restrict(user, VIEW).values_list("code", flat=True))

    town_a = visible(personas.town_a_supervisor)
    assert personas.town_a.code in town_a and personas.village_a.code in town_a
    assert personas.town_b.code not in town_a and personas.village_b.code not in town_a
    assert city.code not in town_a
    assert all(code.startswith(personas.town_a.prefix) for code in town_a)

    assert visible(personas.grid_worker_a) == {personas.village_a.code}
    assert {personas.town_a.code, personas.town_b.code, city.code} <= visible(personas.city_supervisor)
    # Regions have no enterprise: enterprise users and experts reach none of them.
    assert visible(personas.enterprise_a_user) == set()
    assert visible(personas.expert_a) == set()


def test_only_city_admin_changes_regions(personas):
    assert can(personas.city_admin, CHANGE, personas.town_a)
    assert not can(personas.city_supervisor, CHANGE, personas.town_a)
    assert not can(personas.town_a_supervisor, CHANGE, personas.town_a)
    assert not can_add(personas.town_a_supervisor, Region)


# --- AuditEvent (scoped like the record it is about) --------------------------------------------


def test_audit_events_follow_their_record(personas):
    for persona, enterprise in (("town_a_supervisor", "enterprise_a"), ("town_b_supervisor", "enterprise_b")):
        record = getattr(personas, enterprise)
        record.safety_principal = "王五"
        enterprise_save(actor=getattr(personas, persona), enterprise=record, reason="测试")
    event_a = AuditEvent.objects.get(enterprise_id=personas.enterprise_a.pk)
    event_b = AuditEvent.objects.get(enterprise_id=personas.enterprise_b.pk)

    def visible(user) -> set[int]:
        return set(AuditEvent.objects.restrict(user, VIEW).values_list("pk", flat=True))

    assert visible(personas.town_a_supervisor) == {event_a.pk}
    assert visible(personas.town_b_supervisor) == {event_b.pk}
    assert visible(personas.grid_worker_a) == {event_a.pk}
    assert visible(personas.enterprise_a_user) == {event_a.pk}
    assert visible(personas.expert_a) == {event_a.pk}
    assert visible(personas.city_supervisor) == {event_a.pk, event_b.pk}
    assert visible(AnonymousUser()) == set()


# --- scoped_save: the re-check after saving rolls back --------------------------------------------


def _snapshot(enterprise: Enterprise) -> dict:
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    return {"region": fresh.region_id, "name": fresh.name, "principal": fresh.safety_principal}


def test_moving_an_enterprise_out_of_the_town_rolls_back(personas):
    before = _snapshot(personas.enterprise_a)
    events = AuditEvent.objects.count()
    history = personas.enterprise_a.history.count()
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    enterprise.safety_principal = "越权者"
    with pytest.raises(PermissionDenied, match="超出您的管辖范围"):
        enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise)
    assert _snapshot(personas.enterprise_a) == before
    assert AuditEvent.objects.count() == events
    assert personas.enterprise_a.history.count() == history


def test_enterprise_user_cannot_move_its_enterprise(personas):
    before = _snapshot(personas.enterprise_a)
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    with pytest.raises(PermissionDenied):
        enterprise_save(actor=personas.enterprise_a_user, enterprise=enterprise)
    assert _snapshot(personas.enterprise_a) == before


def test_creating_an_enterprise_in_another_town_leaves_no_row(personas):
    enterprise = EnterpriseFactory.build(region=personas.village_b, name="越界新建有限公司")
    with pytest.raises(PermissionDenied):
        enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise)
    assert not Enterprise.objects.filter(name="越界新建有限公司").exists()
    assert not AuditEvent.objects.filter(object_repr="越界新建有限公司").exists()


def test_enterprise_user_cannot_register_an_enterprise(personas):
    enterprise = EnterpriseFactory.build(region=personas.village_a, name="企业用户新建有限公司")
    with pytest.raises(PermissionDenied):
        enterprise_save(actor=personas.enterprise_a_user, enterprise=enterprise)
    assert not Enterprise.objects.filter(name="企业用户新建有限公司").exists()


def test_changing_a_record_out_of_reach_is_refused_before_saving(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_b.pk)
    enterprise.safety_principal = "越权者"
    with pytest.raises(PermissionDenied, match="无权修改"):
        scoped_save(actor=personas.town_a_supervisor, obj=enterprise)
    assert Enterprise.objects.get(pk=personas.enterprise_b.pk).safety_principal != "越权者"


def test_moving_a_licence_to_another_enterprise_rolls_back(personas):
    licence = LicenceFactory(enterprise=personas.enterprise_a)
    moved = Licence.objects.get(pk=licence.pk)
    moved.enterprise = personas.enterprise_b
    with pytest.raises(PermissionDenied):
        licence_save(actor=personas.enterprise_a_user, licence=moved)
    assert Licence.objects.get(pk=licence.pk).enterprise_id == personas.enterprise_a.pk


def test_saving_inside_the_town_succeeds_and_is_audited(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.safety_principal = "赵六"
    enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise, reason="换人")
    assert Enterprise.objects.get(pk=enterprise.pk).safety_principal == "赵六"
    event = AuditEvent.objects.get(enterprise_id=enterprise.pk, action="enterprise.update")
    assert event.actor == personas.town_a_supervisor
    assert event.reason == "换人"
    assert event.region_code == personas.village_a.code
    latest = enterprise.history.first()
    assert latest.safety_principal == "赵六"
    assert latest.history_user == personas.town_a_supervisor


def test_scoped_delete_needs_the_delete_right(personas):
    with pytest.raises(PermissionDenied):
        scoped_delete(actor=personas.town_a_supervisor, obj=personas.enterprise_a)
    assert Enterprise.objects.filter(pk=personas.enterprise_a.pk).exists()
    pk = personas.enterprise_b.pk
    scoped_delete(actor=personas.city_admin, obj=personas.enterprise_b, reason="注销")
    assert not Enterprise.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="enterprise.delete", object_id=str(pk), reason="注销").exists()


def test_action_constants_are_the_five_actions():
    assert {VIEW, ADD, CHANGE, DELETE, EXPORT} == {"view", "add", "change", "delete", "export"}
