"""The gate after issue 6 item 1: open actions, departments' domains, private rows, shared reference rows, the
in-memory decision, and the write helper's checks (each one shown to decide something on its own).

Personas (anjian/core/testing/personas.py): enterprise_a in town A (东城街道) and enterprise_b in town B (虎门镇),
both machinery; department_a_supervisor supervises machinery in town A.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from anjian.accounts.models import Department, User
from anjian.accounts.roles import Role
from anjian.core import audit
from anjian.core.models import AuditEvent
from anjian.core.scope import (
    CHANGE,
    EVERYTHING,
    NOBODY,
    VIEW,
    Jurisdiction,
    Scope,
    allows,
    can,
    code_range,
    jurisdiction_of,
)
from anjian.core.services import scoped_save, stored_scope_decision
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.core.validation import changed_fields, validate_instance
from anjian.enterprises.models import VIEW_PERSONAL, Enterprise, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory
from anjian.regions.models import IndustrialPark, Region

TREE = Scope(region_code="region__code", enterprise="pk", domain="domain")
TOWN_A, TOWN_B = "441900003", "441900121"
VILLAGE_A, VILLAGE_B = "441900003001", "441900121001"


# --- Jurisdiction.for_scope: what of a reach applies to rows of one scope ---------------------------------------


def test_nobody_stays_nobody_and_shared_rows_are_everyones():
    assert NOBODY.for_scope(TREE) == NOBODY
    assert NOBODY.for_scope(Scope(shared=True)) == NOBODY
    town = Jurisdiction(region_prefixes=(TOWN_A,), user_id=7)
    assert town.for_scope(Scope(shared=True)) == EVERYTHING


def test_everything_is_the_tree_only_a_private_row_stays_with_its_owner():
    city = Jurisdiction(everything=True, user_id=7)
    assert city.for_scope(TREE).everything
    private = city.for_scope(Scope(owner="recipient_id"))
    assert not private.everything and private.user_id == 7 and not private.region_prefixes
    assert city.for_scope(Scope(region_code="code", owner="recipient_id")).everything


def test_paths_a_scope_lacks_are_dropped():
    reach = Jurisdiction(region_prefixes=(TOWN_A,), enterprise_ids=(5,), user_id=7)
    assert reach.for_scope(Scope(region_code="code")) == Jurisdiction(region_prefixes=(TOWN_A,))
    assert reach.for_scope(Scope(enterprise="enterprise_id")) == Jurisdiction(enterprise_ids=(5,))
    assert reach.for_scope(Scope(owner="recipient_id")) == Jurisdiction(user_id=7)
    assert reach.for_scope(Scope()).nothing


def test_a_departments_domains_narrow_rows_with_a_domain_only():
    department = Jurisdiction(region_prefixes=(TOWN_A,), domains=frozenset({"machinery"}), user_id=7)
    assert department.for_scope(TREE) == Jurisdiction(region_prefixes=(TOWN_A,), domains=frozenset({"machinery"}))
    # Geography every department needs: the region only.
    assert department.for_scope(Scope(region_code="code", across_domains=True)) == Jurisdiction(
        region_prefixes=(TOWN_A,)
    )
    # Rows that cannot show their domain are out of a department's reach (but a private row stays its owner's).
    assert department.for_scope(Scope(region_code="region__code", enterprise="enterprise_id")).nothing
    assert department.for_scope(Scope(region_code="region__code", owner="owner_id")) == Jurisdiction(user_id=7)


# --- covers: the decision in memory -----------------------------------------------------------------------------


def test_covers_regions_enterprises_domains_and_owners():
    assert EVERYTHING.covers(None)
    towns = Jurisdiction(region_prefixes=(TOWN_A, TOWN_B))
    assert towns.covers(VILLAGE_A) and towns.covers(VILLAGE_B) and not towns.covers("441900004001")
    assert not towns.covers(None, 5)
    mixed = Jurisdiction(region_prefixes=(TOWN_A,), enterprise_ids=(5,))
    assert mixed.covers(VILLAGE_B, 5) and mixed.covers(VILLAGE_A, 6) and not mixed.covers(VILLAGE_B, 6)
    department = Jurisdiction(region_prefixes=(TOWN_A,), domains=frozenset({"machinery"}))
    assert department.covers(VILLAGE_A, domain="machinery")
    assert not department.covers(VILLAGE_A, domain="construction")
    assert not department.covers(VILLAGE_B, domain="machinery")
    owner = Jurisdiction(user_id=7)
    assert owner.covers(None, owner_id=7) and not owner.covers(None, owner_id=8) and not owner.covers(None)
    assert not Jurisdiction().covers(VILLAGE_A, 5, domain="machinery", owner_id=7)


def test_q_joins_the_parts_as_covers_does():
    mixed = Jurisdiction(region_prefixes=(TOWN_A, TOWN_B), enterprise_ids=(5,))
    expected = (Q(region__code__range=code_range(TOWN_A)) | Q(region__code__range=code_range(TOWN_B))
                | Q(pk__in=(5,)))
    assert mixed.q(TREE) == expected
    department = Jurisdiction(region_prefixes=(TOWN_A,), domains=frozenset({"machinery", "construction"}))
    assert department.q(TREE) == Q(region__code__range=code_range(TOWN_A)) & Q(
        domain__in=["construction", "machinery"]
    )
    owned = Scope(region_code="region__code", owner="owner_id")
    assert Jurisdiction(region_prefixes=(TOWN_A,), user_id=7).q(owned) == Q(
        region__code__range=code_range(TOWN_A)
    ) | Q(owner_id=7)
    assert Jurisdiction(user_id=7).q(Scope(owner="owner_id")) == Q(owner_id=7)
    assert EVERYTHING.q(TREE) == Q()
    assert NOBODY.q(TREE) is None


# --- users and their reach ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_region_prefixes_reach_both_towns(personas):
    """`|=` in q(): a reach of two subtrees is their union, not their intersection."""
    reach = Jurisdiction(region_prefixes=(personas.town_a.prefix, personas.town_b.prefix))
    rows = set(Enterprise.objects.filter(reach.q(Enterprise.scope)).values_list("pk", flat=True))
    assert rows == {personas.enterprise_a.pk, personas.enterprise_b.pk}
    reach = Jurisdiction(region_prefixes=(personas.town_a.prefix,), enterprise_ids=(personas.enterprise_b.pk,))
    rows = set(Enterprise.objects.filter(reach.q(Enterprise.scope)).values_list("pk", flat=True))
    assert rows == {personas.enterprise_a.pk, personas.enterprise_b.pk}


@pytest.mark.django_db
def test_department_supervisor_sees_its_domains_within_its_region(personas):
    other_a = EnterpriseFactory(region=personas.village_a, domain=OTHER_DOMAIN, name="东城建筑有限公司")
    other_b = EnterpriseFactory(region=personas.village_b, domain=OTHER_DOMAIN, name="虎门建筑有限公司")

    def visible(user) -> set[int]:
        return set(Enterprise.objects.restrict(user, VIEW).values_list("pk", flat=True))

    assert visible(personas.department_a_supervisor) == {personas.enterprise_a.pk}
    city = Region.objects.get(level="city")
    housing = User(username="housing", role=Role.DEPARTMENT_SUPERVISOR, region=city, domains=[OTHER_DOMAIN])
    housing.full_clean(exclude=["password"])
    housing.save()
    assert visible(housing) == {other_a.pk, other_b.pk}
    # Geography of its region whatever its domains; no colleague's account; its domain's decisions only.
    regions = set(Region.objects.restrict(personas.department_a_supervisor, VIEW).values_list("code", flat=True))
    assert personas.village_a.code in regions and personas.village_b.code not in regions
    assert not User.objects.restrict(personas.department_a_supervisor, VIEW).exists()
    event_a = audit.record(actor=None, action="enterprise.update", obj=personas.enterprise_a)
    audit.record(actor=None, action="enterprise.update", obj=other_a)
    assert set(AuditEvent.objects.restrict(personas.department_a_supervisor, VIEW).values_list("pk", flat=True)) \
        == {event_a.pk}


@pytest.mark.django_db
def test_department_supervisor_rules(personas):
    city = Region.objects.get(level="city")
    with pytest.raises(ValidationError, match="必须指定监管的行业领域"):
        User(username="d1", role=Role.DEPARTMENT_SUPERVISOR, region=city).full_clean(exclude=["password"])
    with pytest.raises(ValidationError, match="未知的行业领域"):
        User(username="d2", role=Role.DEPARTMENT_SUPERVISOR, region=city, domains=["mining"]).full_clean(
            exclude=["password"])
    with pytest.raises(ValidationError, match="镇街（园区）级"):
        User(username="d3", role=Role.DEPARTMENT_SUPERVISOR, region=personas.village_a,
             domains=["machinery"]).full_clean(exclude=["password"])
    with pytest.raises(ValidationError, match="只有行业部门监管人员按行业领域授权"):
        User(username="d4", role=Role.TOWN_SUPERVISOR, region=personas.town_a, domains=["machinery"]).full_clean(
            exclude=["password"])
    Department.objects.create(code="housing_test", name="住建（测试）", short_name="住建", domains=["construction"])
    with pytest.raises(ValidationError, match="住建不负责这些行业领域：工贸-机械"):
        User(username="d5", role=Role.DEPARTMENT_SUPERVISOR, region=city, domains=["machinery"],
             department=Department.objects.get(code="housing_test")).full_clean(exclude=["password"])


@pytest.mark.django_db
def test_superuser_has_every_declared_action(personas):
    root = User.objects.create_superuser("root", password="Anjian-test-2026")
    assert root.allowed_actions(Enterprise) == {"view", "add", "change", "delete", "export", VIEW_PERSONAL}
    assert can(root, VIEW_PERSONAL, personas.enterprise_b)


@pytest.mark.django_db
def test_an_experts_assignments_are_read_once_per_user_object(personas, django_assert_num_queries):
    expert = User.objects.get(pk=personas.expert_a.pk)
    with django_assert_num_queries(1):
        expert.jurisdiction(VIEW, Enterprise)
        expert.jurisdiction(VIEW, Licence)
        expert.jurisdiction(CHANGE, Enterprise)
    expert.assigned_enterprises.add(personas.enterprise_b)
    assert personas.enterprise_b.pk in expert.jurisdiction(VIEW, Enterprise).enterprise_ids


@pytest.mark.django_db
def test_in_memory_decision_agrees_with_the_database(personas):
    other = EnterpriseFactory(region=personas.village_a, domain=OTHER_DOMAIN)
    licence = LicenceFactory(enterprise=personas.enterprise_b)
    people = [getattr(personas, name) for name in (
        "city_admin", "city_supervisor", "town_a_supervisor", "town_b_supervisor", "grid_worker_a",
        "enterprise_a_user", "expert_a", "department_a_supervisor")]
    rows = [personas.enterprise_a, personas.enterprise_b, other, licence, personas.village_a, personas.town_b]
    for user in people:
        for row in rows:
            for action in (VIEW, CHANGE, "delete"):
                assert allows(user, action, row) == can(user, action, row), (user, row, action)
    assert allows(personas.enterprise_a_user, VIEW_PERSONAL, personas.enterprise_a)
    assert not allows(personas.enterprise_a_user, VIEW_PERSONAL, other)
    assert not allows(personas.grid_worker_a, VIEW_PERSONAL, personas.enterprise_a)


# --- the write helper: each check decides on its own ----------------------------------------------------------


@pytest.mark.django_db
def test_the_add_check_decides_before_anything_is_validated_or_written(personas):
    """A role that may add nothing is told so, even for data that would not validate: it learns nothing of the
    rules, and nothing is written (the re-check after saving would say something else)."""
    bad = Enterprise(name="", uscc="123", region=personas.village_a)
    with pytest.raises(PermissionDenied, match="您无权新建该记录"):
        scoped_save(actor=personas.grid_worker_a, obj=bad)
    with pytest.raises(ValidationError):
        scoped_save(actor=personas.town_a_supervisor, obj=Enterprise(name="", uscc="123", region=personas.village_a))


@pytest.mark.django_db
def test_the_change_check_reads_the_row_as_stored_not_as_edited(personas):
    """Town A loads town B's enterprise and moves it into town A: the stored row decides (not in its town)."""
    enterprise = Enterprise.objects.select_related("region").get(pk=personas.enterprise_b.pk)
    enterprise.region = personas.village_a
    enterprise.safety_principal = "越权者"
    assert not stored_scope_decision(personas.town_a_supervisor, CHANGE, enterprise)
    with pytest.raises(PermissionDenied, match="您无权修改该记录"):
        scoped_save(actor=personas.town_a_supervisor, obj=enterprise)
    assert Enterprise.objects.get(pk=personas.enterprise_b.pk).region_id == personas.village_b.pk


@pytest.mark.django_db
def test_a_stored_domain_decides_for_a_department(personas):
    other = Enterprise.objects.get(pk=EnterpriseFactory(region=personas.village_a, domain=OTHER_DOMAIN).pk)
    other.domain = "machinery"
    with pytest.raises(PermissionDenied, match="您无权修改该记录"):
        scoped_save(actor=personas.department_a_supervisor, obj=other)
    mine = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    mine.domain = OTHER_DOMAIN
    with pytest.raises(PermissionDenied, match="超出您的管辖范围"):
        scoped_save(actor=personas.department_a_supervisor, obj=mine)
    assert Enterprise.objects.get(pk=personas.enterprise_a.pk).domain == "machinery"


@pytest.mark.django_db
def test_the_stored_row_is_decided_without_a_query_when_its_place_is_unchanged(personas, django_assert_num_queries):
    enterprise = Enterprise.objects.select_related("region").get(pk=personas.enterprise_a.pk)
    enterprise.safety_principal = "赵六"
    with django_assert_num_queries(0):
        assert stored_scope_decision(personas.town_a_supervisor, CHANGE, enterprise)
        assert not stored_scope_decision(personas.town_b_supervisor, CHANGE, enterprise)
    enterprise.region = personas.village_b
    with django_assert_num_queries(1):
        assert stored_scope_decision(personas.town_a_supervisor, CHANGE, enterprise)


@pytest.mark.django_db
def test_a_hand_built_row_with_an_existing_key_is_a_change_of_that_row(personas):
    forged = EnterpriseFactory.build(pk=personas.enterprise_b.pk, region=personas.village_a, name="冒名顶替")
    with pytest.raises(PermissionDenied, match="您无权修改该记录"):
        scoped_save(actor=personas.town_a_supervisor, obj=forged)
    assert Enterprise.objects.get(pk=personas.enterprise_b.pk).name == personas.enterprise_b.name


@pytest.mark.django_db
def test_an_enterprise_user_changes_only_its_editable_fields(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.name = "改名有限公司"
    enterprise.safety_principal = "钱七"
    with pytest.raises(PermissionDenied, match="您不能修改这些信息：单位名称"):
        scoped_save(actor=personas.enterprise_a_user, obj=enterprise)
    assert Enterprise.objects.get(pk=personas.enterprise_a.pk).name == personas.enterprise_a.name
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.safety_principal = "钱七"
    scoped_save(actor=personas.enterprise_a_user, obj=enterprise)
    assert Enterprise.objects.get(pk=personas.enterprise_a.pk).safety_principal == "钱七"


@pytest.mark.django_db
def test_an_unchanged_save_writes_nothing(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    history = enterprise.history.count()
    scoped_save(actor=personas.town_a_supervisor, obj=enterprise)
    assert enterprise.history.count() == history
    assert not AuditEvent.objects.filter(object_id=str(enterprise.pk)).exists()


# --- validation asks the database only about what changed -------------------------------------------------------


@pytest.mark.django_db
def test_validation_checks_changed_unique_and_foreign_values(personas, django_assert_num_queries):
    enterprise = Enterprise.objects.select_related("region").get(pk=personas.enterprise_a.pk)
    enterprise.safety_principal = "孙八"
    assert changed_fields(enterprise) == ["safety_principal"]
    with django_assert_num_queries(0):
        validate_instance(enterprise)
    enterprise.uscc = personas.enterprise_b.uscc
    with pytest.raises(ValidationError) as caught:
        validate_instance(enterprise)
    assert caught.value.message_dict == {"uscc": ["该统一社会信用代码已登记。"]}
    enterprise = Enterprise.objects.select_related("region").get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.town_b
    with pytest.raises(ValidationError) as caught:
        validate_instance(enterprise)
    assert "region" in caught.value.message_dict


@pytest.mark.django_db
def test_a_check_constraint_runs_when_one_of_its_fields_changed(personas):
    licence = Licence.objects.get(pk=LicenceFactory(enterprise=personas.enterprise_a).pk)
    licence.valid_to = licence.valid_from.replace(year=licence.valid_from.year - 1)
    with pytest.raises(ValidationError, match="有效期至不能早于有效期自"):
        validate_instance(licence)
    duplicate = LicenceFactory.build(enterprise=personas.enterprise_a, number=licence.number)
    with pytest.raises(ValidationError, match="该类型的证书编号已登记"):
        validate_instance(duplicate)


# --- the park and the tree stay geography for everyone who has the region --------------------------------------


@pytest.mark.django_db
def test_parks_are_shared_across_domains(personas):
    park = IndustrialPark.objects.create(name="东城测试园区", region=personas.town_a)
    assert allows(personas.department_a_supervisor, VIEW, park)
    assert not jurisdiction_of(personas.department_a_supervisor, VIEW, IndustrialPark).nothing
