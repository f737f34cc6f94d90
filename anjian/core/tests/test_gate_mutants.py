"""What mutation testing of the gate found untested (issue 6, "Must show"; `make mutation`, docs/benchmarks.md).

Each test pins a decision that a surviving mutant of anjian/core/scope.py, anjian/core/services.py,
anjian/core/workflow.py or anjian/accounts/models.py changed without any other test noticing: who reaches a row,
what the in-memory and stored decisions answer, which check refuses first and with which words, what a refused
write or transition leaves behind, and what the audit log says. They assert behaviour, never how it is computed.

Personas (anjian/core/testing/personas.py): enterprise_a in town A (东城街道), enterprise_b in town B (虎门镇), both
machinery; department_a_supervisor supervises machinery in town A; expert_a is assigned enterprise_a.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from anjian.accounts.models import Department, User, validate_domains
from anjian.accounts.roles import Role
from anjian.core import audit
from anjian.core.attachments import attach
from anjian.core.models import Attachment, AuditEvent
from anjian.core.scope import (
    ADD,
    CHANGE,
    EVERYTHING,
    NOBODY,
    STANDARD_ACTIONS,
    VIEW,
    Jurisdiction,
    Scope,
    UnknownAction,
    allows,
    can,
    can_add,
    check_action,
    declared_actions,
    jurisdiction_of,
    resolve_path,
    scope_relations,
)
from anjian.core.services import check_editable_fields, scoped_delete, scoped_save, stored_scope_decision
from anjian.core.tests.kitapp.models import PermitState, WorkPermit
from anjian.core.tests.kitapp.testing import submitted
from anjian.core.workflow import (
    REASON_MAX_LENGTH,
    IllegalTransition,
    Transition,
    Workflow,
    action_label,
    state_label,
    transition,
)
from anjian.enterprises.choices import OperatingStatus
from anjian.enterprises.models import Enterprise, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.notifications.models import READ, Notification
from anjian.regions.models import Region

VILLAGE_A = "441900003001"
TOWN_A = "441900003"
VALID_UNTIL = dt.date(2027, 3, 1)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf(name: str = "验收单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def refusal(caught: pytest.ExceptionInfo) -> str:
    return str(caught.value)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class Claimant:
    """An object that says whatever it is given about itself and would reach every row if asked."""

    def __init__(self, **claims) -> None:
        self.__dict__.update(claims)

    def jurisdiction(self, action, model) -> Jurisdiction:
        return EVERYTHING


# --- the gate: who is a user at all -----------------------------------------------------------------------------


def test_only_an_authenticated_and_active_user_reaches_anything():
    """The gate believes neither half alone, and an object that does not say counts as saying no."""
    assert jurisdiction_of(Claimant(is_authenticated=True, is_active=True), VIEW, Enterprise).everything
    for claims in ({"is_authenticated": False, "is_active": True}, {"is_active": True}, {"is_authenticated": True},
                   {"is_authenticated": True, "is_active": False}):
        assert jurisdiction_of(Claimant(**claims), VIEW, Enterprise) == NOBODY, claims


# --- actions of a model that declares none of its own -------------------------------------------------------------


def test_a_model_without_own_actions_has_the_five_standard_ones():
    # (User declares its management actions since issue 7: Department has none of its own.)
    assert declared_actions(Department) == dict(STANDARD_ACTIONS)
    assert User(is_superuser=True).allowed_actions(Department) == set(STANDARD_ACTIONS)
    check_action(Department, VIEW)
    with pytest.raises(UnknownAction):
        check_action(Department, "fly")


def test_an_unknown_action_names_every_declared_one():
    with pytest.raises(UnknownAction) as caught:
        check_action(WorkPermit, "approv")
    assert refusal(caught) == (
        "WorkPermit declares no action 'approv'; declared: view, add, change, delete, export, submit, approve, reject, "
        "extend, close"
    )


# --- Jurisdiction / Scope without a database -------------------------------------------------------------------


def test_geography_shared_across_domains_is_not_narrowed_even_where_it_has_a_domain():
    department = Jurisdiction(region_prefixes=(TOWN_A,), domains=frozenset({"machinery"}))
    shared = department.for_scope(Scope(region_code="code", domain="domain", across_domains=True))
    assert shared.covers(VILLAGE_A, domain="construction")
    assert not shared.covers("441900121001", domain="machinery")


def test_a_path_that_ends_early_resolves_to_nothing():
    assert resolve_path(SimpleNamespace(region=SimpleNamespace()), "region__code") is None
    assert resolve_path(SimpleNamespace(), "enterprise_id") is None


# --- reach of users the role table cannot place -------------------------------------------------------------------


def test_staff_and_experts_without_a_place_reach_nothing():
    """A user row without its region, enterprise or saved assignments (bad data, an unsaved form) reaches nothing,
    and asking does not fail."""
    for user in (User(role=Role.TOWN_SUPERVISOR), User(role=Role.GRID_WORKER), User(role=Role.EXPERT),
                 User(role=Role.DEPARTMENT_SUPERVISOR, domains=["machinery"])):
        assert user.jurisdiction(VIEW, Enterprise).nothing, user.role


@pytest.mark.django_db
def test_a_user_whose_role_left_the_table_reaches_nothing_not_even_its_inbox(personas):
    """A stored role the role table no longer knows has no action anywhere until an administrator gives it one."""
    stale = User.objects.create_user(username="stale", password="Anjian-test-2026", role="retired_role")
    Notification.objects.create(recipient=stale, kind="test", title="旧角色", text="测试")
    assert stale.reach() == NOBODY
    assert not Notification.objects.restrict(stale, VIEW).exists()
    assert not Enterprise.objects.restrict(stale, VIEW).exists()


@pytest.mark.django_db
def test_an_enterprise_user_without_an_enterprise_may_add_nothing(reference_regions):
    lost = User.objects.create_user(username="lost", password="Anjian-test-2026", role=Role.ENTERPRISE_USER)
    assert lost.jurisdiction(VIEW, Enterprise).nothing
    assert not can_add(lost, Licence)


# --- owners: a notification is its recipient's, whatever the role ------------------------------------------------


@pytest.mark.django_db
def test_every_role_reaches_its_own_notifications_only(personas):
    root = User.objects.create_superuser("root", password="Anjian-test-2026")
    people = [root] + [getattr(personas, name) for name in (
        "city_admin", "city_supervisor", "town_a_supervisor", "grid_worker_a", "enterprise_a_user", "expert_a",
        "department_a_supervisor")]
    inbox = {person.pk: Notification.objects.create(recipient=person, kind="test", title=f"给{person.username}",
                                                    text="测试") for person in people}
    for person in people:
        mine = inbox[person.pk]
        others = [note for pk, note in inbox.items() if pk != person.pk]
        assert set(Notification.objects.restrict(person, VIEW).values_list("pk", flat=True)) == {mine.pk}, person
        assert allows(person, READ, mine) and can(person, READ, mine), person
        assert not any(allows(person, READ, note) for note in others), person
        # The stored decision a write makes on the row as it was read.
        loaded = Notification.objects.get(pk=mine.pk)
        loaded.read_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        assert stored_scope_decision(person, READ, loaded), person
        assert not stored_scope_decision(person, READ, Notification.objects.get(pk=others[0].pk)), person


# --- the in-memory decision needs no query once the scope's relations are read ------------------------------------


@pytest.mark.django_db
def test_rows_read_with_their_scope_relations_are_decided_without_a_query(personas, permit,
                                                                          django_assert_num_queries):
    user = personas.town_a_supervisor
    jurisdiction_of(user, VIEW, WorkPermit)  # the user's own reach is read once per request
    row = WorkPermit.objects.select_related(*scope_relations(WorkPermit)).get(pk=permit.pk)
    # A user's region is a nullable relation, which a bare select_related() would not follow.
    colleague = User.objects.select_related(*scope_relations(User)).get(pk=personas.grid_worker_a.pk)
    with django_assert_num_queries(0):
        assert allows(user, VIEW, row) and allows(user, CHANGE, row)
        assert allows(user, VIEW, colleague)


# --- the stored decision: every way it can read the row -------------------------------------------------------------


@pytest.mark.django_db
def test_a_hand_built_row_is_decided_as_stored(personas):
    built = EnterpriseFactory.build(pk=personas.enterprise_a.pk, region=personas.village_b, name="手工构造")
    assert stored_scope_decision(personas.town_a_supervisor, CHANGE, built)
    assert not stored_scope_decision(personas.town_b_supervisor, CHANGE, built)


@pytest.mark.django_db
def test_a_hand_built_row_is_saved_as_a_change_of_that_row(personas):
    """Validated as a change: neither its own key nor its own unchanged USCC is taken for a duplicate."""
    stored = personas.enterprise_a
    built = EnterpriseFactory.build(pk=stored.pk, uscc=stored.uscc, region=stored.region, created=stored.created,
                                    name="手工改名有限公司")
    scoped_save(actor=personas.town_a_supervisor, obj=built)
    assert Enterprise.objects.get(pk=stored.pk).name == "手工改名有限公司"


@pytest.mark.django_db
def test_a_row_read_with_deferred_scope_fields_is_decided_as_stored(personas):
    partial = Enterprise.objects.only("name").get(pk=personas.enterprise_a.pk)
    assert stored_scope_decision(personas.town_a_supervisor, CHANGE, partial)
    partial = Enterprise.objects.only("name").get(pk=personas.enterprise_a.pk)
    assert not stored_scope_decision(personas.town_b_supervisor, CHANGE, partial)


@pytest.mark.django_db
def test_a_region_is_changed_by_the_city_administrator_only(personas):
    """Regions reach the tree by their code alone (no enterprise, no domain path)."""
    region = Region.objects.get(pk=personas.village_a.pk)
    region.name = "改名社区"
    assert stored_scope_decision(personas.city_admin, CHANGE, region)
    assert not stored_scope_decision(personas.town_a_supervisor, CHANGE, region)
    scoped_save(actor=personas.city_admin, obj=region, reason="更名")
    assert Region.objects.get(pk=region.pk).name == "改名社区"
    assert AuditEvent.objects.get(action="region.update").data == {"fields": ["name"]}


# --- scoped_save: each check decides, in its own words, and the audit says what happened ------------------------


@pytest.mark.django_db
def test_refusals_before_saving_say_exactly_why(personas):
    with pytest.raises(PermissionDenied) as caught:
        scoped_save(actor=personas.grid_worker_a, obj=EnterpriseFactory.build(region=personas.village_a))
    assert refusal(caught) == "您无权新建该记录。"
    enterprise = Enterprise.objects.get(pk=personas.enterprise_b.pk)
    enterprise.safety_principal = "越权者"
    with pytest.raises(PermissionDenied) as caught:
        scoped_save(actor=personas.town_a_supervisor, obj=enterprise)
    assert refusal(caught) == "您无权修改该记录。"
    mine = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    mine.uscc, mine.name = personas.enterprise_b.uscc, "改名有限公司"
    with pytest.raises(PermissionDenied) as caught:
        scoped_save(actor=personas.enterprise_a_user, obj=mine)
    assert refusal(caught) == "您不能修改这些信息：统一社会信用代码、单位名称。"


@pytest.mark.django_db
def test_a_new_row_gets_every_validation_including_uniqueness(personas):
    duplicate = EnterpriseFactory.build(region=personas.village_a, uscc=personas.enterprise_b.uscc, name="重复登记")
    with pytest.raises(ValidationError) as caught:
        scoped_save(actor=personas.town_a_supervisor, obj=duplicate)
    assert caught.value.message_dict == {"uscc": ["该统一社会信用代码已登记。"]}
    assert not Enterprise.objects.filter(name="重复登记").exists()


@pytest.mark.django_db
def test_creating_needs_add_and_the_recheck_asks_for_add(personas, monkeypatch):
    """A role that may add permits but not change them creates one in its own enterprise; outside it the re-check
    after saving refuses and nothing stays."""
    monkeypatch.setattr(WorkPermit, "policy", {**WorkPermit.policy, Role.ENTERPRISE_USER: frozenset({VIEW, ADD})})
    user = personas.enterprise_a_user
    created = scoped_save(actor=user, obj=WorkPermit(enterprise=personas.enterprise_a, title="新动火作业"))
    assert WorkPermit.objects.filter(pk=created.pk).exists()
    event = AuditEvent.objects.get(object_id=str(created.pk))
    assert (event.action, event.reason, event.data, event.actor) == ("workpermit.create", "", {}, user)
    with pytest.raises(PermissionDenied) as caught:
        scoped_save(actor=user, obj=WorkPermit(enterprise=personas.enterprise_b, title="越界动火作业"))
    assert refusal(caught) == "保存后的记录超出您的管辖范围，已撤销。"
    assert not WorkPermit.objects.filter(title="越界动火作业").exists()
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_update_event_lists_the_changed_fields_with_the_callers_data(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.safety_principal = "赵六"
    scoped_save(actor=personas.town_a_supervisor, obj=enterprise)
    event = AuditEvent.objects.get(action="enterprise.update")
    assert (event.reason, event.data) == ("", {"fields": ["safety_principal"]})
    enterprise.employee_count = 80
    scoped_save(actor=personas.town_a_supervisor, obj=enterprise, reason="年报", data={"source": "import"})
    latest = AuditEvent.objects.filter(action="enterprise.update").first()
    assert (latest.reason, latest.data) == ("年报", {"source": "import", "fields": ["employee_count"]})


@pytest.mark.django_db
def test_a_moved_enterprise_takes_its_attachments_to_its_new_town(personas, media):
    """After the city moves enterprise A to town B, its files are town B's to see, not town A's any more."""
    stored = attach(actor=personas.city_admin, obj=personas.enterprise_a, files=[pdf("营业执照.pdf")])
    ids = {item.pk for item in stored}

    def visible(user) -> set[int]:
        return set(Attachment.objects.restrict(user, VIEW).values_list("pk", flat=True)) & ids

    assert visible(personas.town_a_supervisor) == ids and visible(personas.town_b_supervisor) == set()
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    scoped_save(actor=personas.city_admin, obj=enterprise, reason="迁址")
    assert visible(personas.town_b_supervisor) == ids and visible(personas.town_a_supervisor) == set()


@pytest.mark.django_db
def test_editable_fields_limit_only_roles_a_model_names(personas):
    department = Department.objects.first() or Department.objects.create(code="t", name="测试", short_name="测")
    check_editable_fields(personas.town_a_supervisor, department, ["name"])  # no limit declared: no refusal
    check_editable_fields(AnonymousUser(), personas.enterprise_a, ["name"])  # an actor without a role table entry


# --- scoped_delete -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_delete_refusal_audit_and_history_name_the_actor(personas):
    with pytest.raises(PermissionDenied) as caught:
        scoped_delete(actor=personas.town_b_supervisor, obj=personas.enterprise_b)
    assert refusal(caught) == "您无权删除该记录。"
    pk = personas.enterprise_b.pk
    scoped_delete(actor=personas.city_admin, obj=Enterprise.objects.get(pk=pk))
    event = AuditEvent.objects.get(action="enterprise.delete", object_id=str(pk))
    assert (event.actor, event.reason) == (personas.city_admin, "")
    assert Enterprise.history.get(id=pk, history_type="-").history_user == personas.city_admin


# --- the audit event of a record outside the tree ---------------------------------------------------------------


@pytest.mark.django_db
def test_an_event_on_a_record_outside_the_tree_has_no_place(reference_regions):
    department = Department.objects.create(code="audit_t", name="测试部门", short_name="测试", domains=[])
    event = audit.record(actor=None, action="department.update", obj=department)
    assert (event.region_code, event.enterprise_id, event.domain) == ("", None, "")


# --- transitions: the gate decides first, in its own words; the table's refusals say what is possible ------------


@pytest.mark.django_db
def test_the_action_gate_refuses_before_any_requirement_is_checked(personas, permit):
    """An enterprise user may see the permit but not approve it: it is refused as such, not told what is missing."""
    permit = submitted(permit)
    with pytest.raises(PermissionDenied) as caught:
        transition(actor=personas.enterprise_a_user, obj=permit, action="approve")
    assert refusal(caught) == "您无权对该记录执行“批准”。"
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED


@pytest.mark.django_db
def test_illegal_transitions_name_the_state_the_action_and_what_is_possible(personas, permit):
    with pytest.raises(IllegalTransition) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="approve", data={"valid_until": VALID_UNTIL})
    assert (caught.value.state, caught.value.action) == ("draft", "approve")
    assert caught.value.message == "当前状态为“草稿”，不能执行“批准”。当前可执行的操作：提交。"
    permit = submitted(permit)
    with pytest.raises(IllegalTransition) as caught:
        transition(actor=personas.enterprise_a_user, obj=permit, action="submit")
    assert caught.value.message == "当前状态为“已提交”，不能执行“提交”。当前可执行的操作：批准、退回。"
    WorkPermit.objects.filter(pk=permit.pk).update(state=PermitState.CLOSED)
    with pytest.raises(IllegalTransition) as caught:
        transition(actor=personas.enterprise_a_user, obj=permit, action="submit")
    assert caught.value.message == "当前状态为“已关闭”，不能执行“提交”。当前状态下没有可执行的操作。"


@pytest.mark.django_db
def test_a_required_reason_cannot_be_left_out_and_has_a_limit(personas, permit):
    permit = submitted(permit)
    for reason in ({}, {"reason": None}):
        with pytest.raises(ValidationError) as caught:
            transition(actor=personas.town_a_supervisor, obj=permit, action="reject", **reason)
        assert caught.value.message_dict == {"reason": ["请填写理由。"]}
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="reject", reason="理" * (REASON_MAX_LENGTH + 1))
    assert caught.value.message_dict == {"reason": ["理由不能超过 2000 个字符。"]}
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED
    transition(actor=personas.town_a_supervisor, obj=permit, action="reject", reason="理" * REASON_MAX_LENGTH)
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.REJECTED


@pytest.mark.django_db
def test_a_required_field_given_empty_is_missing(personas, permit):
    permit = submitted(permit)
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="approve", data={"valid_until": ""})
    assert caught.value.message_dict == {"valid_until": ["该操作必须填写此项。"]}
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED


@pytest.mark.django_db
def test_the_audit_event_of_a_transition(personas, permit):
    permit = submitted(permit)
    transition(actor=personas.town_a_supervisor, obj=permit, action="approve",
               data={"valid_until": VALID_UNTIL, "title": "篡改"})
    event = AuditEvent.objects.get(action="workpermit.approve")
    assert event.data == {"from": "submitted", "to": "approved", "fields": ["valid_until"], "attachments": []}
    assert (event.reason, event.actor) == ("", personas.town_a_supervisor)


@pytest.mark.django_db
def test_the_service_changes_the_locked_row(personas, permit):
    def stamp(row):
        row.approved_by = personas.town_a_supervisor

    transition(actor=personas.town_a_supervisor, obj=submitted(permit), action="approve",
               data={"valid_until": VALID_UNTIL}, apply=stamp)
    assert WorkPermit.objects.get(pk=permit.pk).approved_by == personas.town_a_supervisor


@pytest.mark.django_db
def test_a_transition_that_moves_the_row_out_of_reach_rolls_back(personas, permit, sent,
                                                                 django_capture_on_commit_callbacks):
    def move(row):
        row.enterprise = personas.enterprise_b

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied) as caught:
        transition(actor=personas.town_a_supervisor, obj=submitted(permit), action="approve",
                   data={"valid_until": VALID_UNTIL}, apply=move)
    assert refusal(caught) == "操作后的记录超出您的管辖范围，已撤销。"
    stored = WorkPermit.objects.get(pk=permit.pk)
    assert (stored.state, stored.enterprise_id) == (PermitState.SUBMITTED, personas.enterprise_a.pk)
    assert not AuditEvent.objects.exists() and sent == []


@pytest.mark.django_db
def test_files_of_a_transition_need_that_action_not_change(personas, permit, media, monkeypatch):
    """The enterprise closes its approved permit with evidence although it may not change the permit otherwise."""
    monkeypatch.setattr(WorkPermit, "policy", {
        **WorkPermit.policy, Role.ENTERPRISE_USER: frozenset({VIEW, "submit", "close"}),
    })
    WorkPermit.objects.filter(pk=permit.pk).update(state=PermitState.APPROVED, valid_until=VALID_UNTIL)
    closed = transition(actor=personas.enterprise_a_user, obj=permit, action="close", attachments=[pdf()])
    assert closed.state == PermitState.CLOSED
    evidence = Attachment.objects.get(object_id=str(permit.pk))
    assert evidence.purpose == "close"


@pytest.mark.django_db
def test_notices_come_from_the_actor_with_the_rows_address(personas, permit, sent, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=personas.enterprise_a_user, obj=permit, action="submit")
    assert sent[0]["actor"] == personas.enterprise_a_user
    assert sent[0]["url"] == permit.get_absolute_url()
    # A model without pages of its own sends its notices without an address.
    monkeypatch.delattr(WorkPermit, "get_absolute_url")
    permit = submitted(permit)
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=personas.town_a_supervisor, obj=permit, action="reject", reason="材料不全")
    assert sent[1]["url"] == ""


@pytest.mark.django_db
def test_the_history_of_a_transition_names_the_actor(personas, monkeypatch):
    """The change history says who took the action, as the audit log does. Shown on a model that keeps history
    (the kit's permit does not), given a one-action workflow for the test."""
    monkeypatch.setattr(Enterprise, "actions", {**Enterprise.actions, "suspend": "停业"})
    monkeypatch.setattr(Enterprise, "workflow", Workflow("operating_status", [
        Transition("suspend", (OperatingStatus.OPERATING,), OperatingStatus.SUSPENDED),
    ]))
    monkeypatch.setattr(Enterprise, "policy", {**Enterprise.policy,
                                               Role.TOWN_SUPERVISOR: frozenset({VIEW, "suspend"})})
    transition(actor=personas.town_a_supervisor, obj=personas.enterprise_a, action="suspend", reason="停产整顿")
    latest = Enterprise.history.filter(id=personas.enterprise_a.pk).first()
    assert (latest.operating_status, latest.history_user) == (OperatingStatus.SUSPENDED, personas.town_a_supervisor)


@pytest.mark.django_db
def test_a_model_without_a_workflow_has_no_transitions(personas):
    with pytest.raises(ValueError, match="^Enterprise has no workflow$"):
        transition(actor=personas.city_admin, obj=personas.enterprise_a, action=CHANGE)


def test_labels_of_states_and_actions():
    draft = WorkPermit(state=PermitState.DRAFT)
    assert state_label(draft) == "草稿" and state_label(draft, PermitState.APPROVED) == "已批准"
    assert state_label(draft, "limbo") == "limbo"
    assert action_label(WorkPermit, "approve") == "批准" and action_label(WorkPermit, "fly") == "fly"


def test_start_up_check_of_a_bare_workflow_model():
    """A model with a workflow but no `actions`, a state field without choices and optional fields it does not set:
    each is named, none makes the check fail."""

    class BarePermit(models.Model):
        state = models.CharField(max_length=8)
        workflow = Workflow("state", [Transition("go", ("a",), "b", optional=("state",))])

        class Meta:
            app_label = "kitapp"
            managed = False

        def __str__(self) -> str:
            return self.state

    assert BarePermit.workflow.problems(BarePermit) == [
        "BarePermit.state: a state field needs choices",
        "BarePermit.workflow: action 'go' is not in BarePermit.actions",
        "BarePermit.workflow: 'go' has optional fields it does not set",
    ]


# --- accounts: the rules that decide what jurisdiction a user may be given ----------------------------------------


def test_domains_must_be_a_list_of_known_codes():
    for bad in ("machinery", [1]):
        with pytest.raises(ValidationError) as caught:
            validate_domains(bad)
        assert caught.value.messages == ["行业领域须为代码列表。"]
    with pytest.raises(ValidationError) as caught:
        validate_domains(["machinery", "mining", "quarry"])
    assert caught.value.code == "unknown_domain"
    assert caught.value.messages == ["未知的行业领域：mining、quarry。"]


@pytest.mark.django_db
def test_user_rules_name_the_field_and_say_why(reference_regions):
    city = Region.objects.get(level="city")
    town = Region.objects.get(code="441900003000")
    village = town.children.order_by("code").first()
    housing = Department.objects.create(code="housing_m", name="住建（测试）", short_name="住建",
                                        domains=["construction"])
    cases = [
        (User(username="a", role=Role.TOWN_SUPERVISOR), {"region": ["监管人员必须指定管辖区域。"]}),
        (User(username="b", role=Role.DEPARTMENT_SUPERVISOR, region=village, domains=["machinery"]),
         {"region": ["该角色的管辖区域必须是市或镇街（园区）级。"]}),
        (User(username="c", role=Role.ENTERPRISE_USER), {"enterprise": ["企业用户必须指定所属企业。"]}),
        (User(username="d", role=Role.DEPARTMENT_SUPERVISOR, region=city),
         {"domains": ["行业部门监管人员必须指定监管的行业领域。"]}),
        (User(username="e", role=Role.DEPARTMENT_SUPERVISOR, region=city, department=housing,
              domains=["machinery", "mining"]), {"domains": ["住建不负责这些行业领域：工贸-机械、mining。"]}),
        (User(username="f", role=Role.TOWN_SUPERVISOR, region=town, domains=["machinery"]),
         {"domains": ["只有行业部门监管人员按行业领域授权。"]}),
    ]
    for user, expected in cases:
        with pytest.raises(ValidationError) as caught:
            user.clean()
        assert caught.value.message_dict == expected, user.username


def test_a_users_name():
    assert str(User(username="zhang3", last_name="张", first_name="三")) == "张三（zhang3）"
    assert str(User(username="zhang3")) == "zhang3"


@pytest.mark.django_db
def test_saving_or_reloading_a_user_passes_its_arguments_and_forgets_its_reach(personas):
    user = User.objects.get(pk=personas.town_a_supervisor.pk)
    assert can(user, VIEW, personas.enterprise_a)
    # Another request moves the supervisor to town B; reloading (all fields, or only the region) forgets the reach.
    User.objects.filter(pk=user.pk).update(region=personas.town_b, first_name="乙")
    user.last_name = "未保存"
    user.refresh_from_db(fields=["region"])
    assert (user.first_name, user.last_name) == ("", "未保存")
    assert can(user, VIEW, personas.enterprise_b) and not can(user, VIEW, personas.enterprise_a)
    User.objects.filter(pk=user.pk).update(region=personas.town_a)
    user.refresh_from_db(None, ["region"])
    assert user.last_name == "未保存" and can(user, VIEW, personas.enterprise_a)
    # Saving only the role writes only the role.
    user.role = Role.GRID_WORKER
    user.save(update_fields=["role"])
    stored = User.objects.get(pk=user.pk)
    assert (stored.role, stored.last_name) == (Role.GRID_WORKER, "")
