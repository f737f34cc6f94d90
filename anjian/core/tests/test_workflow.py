"""The module kit's workflow (issue 6 items 1-4): transition tables, the one transition helper, action views and
API actions, audit names and notices after commit, on a workflow model that exists only in tests
(anjian/core/tests/kitapp: a hot-work permit).

Personas: enterprise_a (town A, machinery) with its user; town A's and town B's supervisors; the town-A
department supervisor (machinery) — see anjian/core/testing/personas.py.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, connections, models, transaction
from django.test.utils import isolate_apps
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from anjian.core import notices
from anjian.core.api.viewsets import TransitionApi
from anjian.core.checks import check_declarations, declaration_problems, scope_path_problem
from anjian.core.models import AuditEvent
from anjian.core.notices import Notice
from anjian.core.scope import Scope, UnknownAction, jurisdiction_of
from anjian.core.testing.matrix import client_for
from anjian.core.tests.kitapp.api import WorkPermitViewSet
from anjian.core.tests.kitapp.models import PermitState, WorkPermit
from anjian.core.tests.kitapp.testing import submitted
from anjian.core.workflow import IllegalTransition, Transition, Workflow, possible_actions, transition
from anjian.enterprises.models import Enterprise, Licence

pytestmark = pytest.mark.django_db

VALID_UNTIL = dt.date(2027, 3, 1)
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


# --- the helper ---------------------------------------------------------------------------------------------


def test_allowed_transition_saves_audits_and_notifies_after_commit(personas, permit, sent,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        saved = transition(actor=personas.enterprise_a_user, obj=permit, action="submit", reason="材料齐全")
        # Inside the transaction nothing is sent yet: the notice waits for the commit.
        assert sent == []
    assert saved.state == PermitState.SUBMITTED
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED
    event = AuditEvent.objects.get(action="workpermit.submit", object_id=str(permit.pk))
    assert event.reason == "材料齐全"
    assert event.data["from"] == PermitState.DRAFT and event.data["to"] == PermitState.SUBMITTED
    assert event.actor == personas.enterprise_a_user
    assert event.action_label == "提交作业许可"
    assert event.enterprise_id == personas.enterprise_a.pk and event.domain == "machinery"
    for callback in callbacks:
        callback()
    assert len(sent) == 1
    assert sent[0]["notices"] == (Notice("permit.submitted", roles=("town_supervisor",)),)
    assert sent[0]["obj"].pk == permit.pk and sent[0]["url"] == permit.get_absolute_url()


def test_a_rolled_back_transition_sends_nothing_and_audits_nothing(personas, permit, sent,
                                                                   django_capture_on_commit_callbacks):
    def fail(row):
        raise ValidationError({"title": "测试失败"})

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        transition(actor=personas.enterprise_a_user, obj=permit, action="submit", apply=fail)
    assert callbacks == [] and sent == []
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.DRAFT
    assert not AuditEvent.objects.filter(object_id=str(permit.pk)).exists()


def test_illegal_transition_changes_nothing_and_names_the_possible_actions(personas, permit):
    with pytest.raises(IllegalTransition) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="approve", data={"valid_until": VALID_UNTIL})
    assert "当前状态为“草稿”，不能执行“批准”" in caught.value.message
    assert "当前可执行的操作：提交" in caught.value.message
    assert caught.value.possible == ("submit",)
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.DRAFT
    assert not AuditEvent.objects.filter(object_id=str(permit.pk)).exists()


def test_a_state_with_no_way_out_says_so(personas, permit):
    WorkPermit.objects.filter(pk=permit.pk).update(state=PermitState.CLOSED)
    with pytest.raises(IllegalTransition, match="当前状态下没有可执行的操作"):
        transition(actor=personas.enterprise_a_user, obj=WorkPermit.objects.get(pk=permit.pk), action="submit")


def test_the_gate_decides_each_action(personas, permit):
    permit = submitted(permit)
    # The enterprise may submit its permit but not approve it; town B cannot reach it at all.
    for user in (personas.enterprise_a_user, personas.town_b_supervisor, personas.grid_worker_a):
        with pytest.raises(PermissionDenied):
            transition(actor=user, obj=permit, action="approve", data={"valid_until": VALID_UNTIL})
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED
    saved = transition(actor=personas.department_a_supervisor, obj=permit, action="approve",
                       data={"valid_until": VALID_UNTIL})
    assert saved.state == PermitState.APPROVED and saved.valid_until == VALID_UNTIL


def test_requirements_reason_fields_and_attachments(personas, permit, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    permit = submitted(permit)
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="reject", reason="  ")
    assert caught.value.message_dict == {"reason": ["请填写理由。"]}
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.town_a_supervisor, obj=permit, action="approve")
    assert caught.value.message_dict == {"valid_until": ["该操作必须填写此项。"]}
    transition(actor=personas.town_a_supervisor, obj=permit, action="approve", data={"valid_until": VALID_UNTIL})
    with pytest.raises(ValidationError) as caught:
        transition(actor=personas.enterprise_a_user, obj=permit, action="close")
    assert caught.value.message_dict == {"attachments": ["该操作至少需要上传 1 个附件。"]}
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.APPROVED
    # A field the action does not set is not taken from the submitted data.
    transition(actor=personas.town_a_supervisor, obj=permit, action="extend", reason="检修推迟",
               data={"valid_until": dt.date(2027, 4, 1), "title": "篡改"})
    stored = WorkPermit.objects.get(pk=permit.pk)
    assert stored.valid_until == dt.date(2027, 4, 1) and stored.title == "储罐区动火作业"
    assert stored.state == PermitState.APPROVED  # extend keeps the state
    evidence = SimpleUploadedFile("验收单.pdf", TINY_PDF, "application/pdf")
    closed = transition(actor=personas.enterprise_a_user, obj=permit, action="close", attachments=[evidence])
    assert closed.state == PermitState.CLOSED
    event = AuditEvent.objects.get(action="workpermit.close")
    assert len(event.data["attachments"]) == 1


def test_possible_actions_are_what_the_state_and_the_gate_allow(personas, permit):
    assert [step.action for step in possible_actions(personas.enterprise_a_user, permit)] == ["submit"]
    assert possible_actions(personas.town_a_supervisor, permit) == []
    permit = submitted(permit)
    assert [step.action for step in possible_actions(personas.town_a_supervisor, permit)] == ["approve", "reject"]
    assert [step.action for step in possible_actions(personas.department_a_supervisor, permit)] == [
        "approve", "reject"
    ]
    assert possible_actions(personas.town_b_supervisor, permit) == []
    assert possible_actions(personas.enterprise_a_user, permit) == []


def test_an_undeclared_action_is_refused_before_any_row_is_read(personas, permit):
    with pytest.raises(UnknownAction):
        WorkPermit.objects.restrict(personas.city_admin, "approv")
    with pytest.raises(UnknownAction):
        transition(actor=personas.city_admin, obj=permit, action="approv")
    with pytest.raises(UnknownAction):
        jurisdiction_of(personas.city_admin, "verify", WorkPermit)


# --- the row lock: two concurrent transitions, exactly one wins ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(personas):
    """On PostgreSQL `select_for_update` makes the second transition wait and then see the first one's state."""
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update locks rows on PostgreSQL only; the PostgreSQL stage of .ci/run runs this")
    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="并发测试", state=PermitState.SUBMITTED)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name: str, action: str, **kwargs) -> None:
        try:
            obj = WorkPermit.objects.get(pk=permit.pk)
            barrier.wait(timeout=10)
            transition(actor=personas.town_a_supervisor, obj=obj, action=action, **kwargs)
            outcomes[name] = "won"
        except IllegalTransition:
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    def slow(row):
        # Hold the row lock long enough that the other transaction is sure to be waiting on it.
        threading.Event().wait(0.5)

    threads = [
        threading.Thread(target=run, args=("approve", "approve"),
                         kwargs={"data": {"valid_until": VALID_UNTIL}, "apply": slow}),
        threading.Thread(target=run, args=("reject", "reject"), kwargs={"reason": "同时退回"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "won"], outcomes
    stored = WorkPermit.objects.get(pk=permit.pk)
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    assert stored.state == {"approve": PermitState.APPROVED, "reject": PermitState.REJECTED}[winner]
    assert AuditEvent.objects.filter(object_id=str(permit.pk)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transition_locks_its_row_only(personas):
    """The rows read to place the permit on the tree (its enterprise) stay free for others while the permit itself
    is locked: a transition on one permit never holds up work on its enterprise."""
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update locks rows on PostgreSQL only; the PostgreSQL stage of .ci/run runs this")
    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="锁范围", state=PermitState.SUBMITTED)
    answers: list[str] = []

    def try_elsewhere() -> None:
        try:
            with transaction.atomic():
                Enterprise.objects.select_for_update(nowait=True).get(pk=personas.enterprise_a.pk)
                answers.append("enterprise free")
                WorkPermit.objects.select_for_update(nowait=True).get(pk=permit.pk)
                answers.append("permit free")
        except DatabaseError:
            answers.append("locked")
        finally:
            connections.close_all()

    def while_locked(row) -> None:
        other = threading.Thread(target=try_elsewhere)
        other.start()
        other.join(timeout=30)

    transition(actor=personas.town_a_supervisor, obj=permit, action="approve", data={"valid_until": VALID_UNTIL},
               apply=while_locked)
    assert answers == ["enterprise free", "locked"]
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.APPROVED


# --- the UI: buttons, the action form, refusals -------------------------------------------------------------


def test_detail_page_shows_only_the_actions_this_user_may_take_now(client, personas, permit):
    url = reverse("kitapp:workpermit_detail", args=[permit.pk])
    client.force_login(personas.enterprise_a_user)
    html = client.get(url).content.decode()
    assert 'data-action="submit"' in html and 'data-action="approve"' not in html
    client.force_login(personas.town_a_supervisor)
    html = client.get(url).content.decode()
    assert "data-action=" not in html
    assert "草稿" in html


def test_action_form_runs_the_transition(client, personas, permit):
    permit = submitted(permit)
    client.force_login(personas.town_a_supervisor)
    url = reverse("kitapp:workpermit_action", args=[permit.pk, "reject"])
    page = client.get(url)
    assert page.status_code == 200 and "退回" in page.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    response = client.post(url, {"reason": "动火人员证书过期"})
    assert response.status_code == 302 and response["Location"] == permit.get_absolute_url()
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.REJECTED
    assert AuditEvent.objects.get(action="workpermit.reject").reason == "动火人员证书过期"
    client.force_login(personas.enterprise_a_user)
    client.post(reverse("kitapp:workpermit_action", args=[permit.pk, "submit"]), {})
    client.force_login(personas.department_a_supervisor)
    response = client.post(reverse("kitapp:workpermit_action", args=[permit.pk, "approve"]),
                           {"valid_until": "2027-03-01"})
    assert response.status_code == 302
    assert WorkPermit.objects.get(pk=permit.pk).approved_by == personas.department_a_supervisor


def test_action_pages_refuse_in_chinese(client, personas, permit):
    client.force_login(personas.town_a_supervisor)
    # The state does not allow it: 409 with the possible actions, before any form.
    response = client.get(reverse("kitapp:workpermit_action", args=[permit.pk, "approve"]))
    assert response.status_code == 409
    assert "不能执行“批准”" in response.content.decode()
    # Visible, but not this user's action: 403.
    client.force_login(personas.grid_worker_a)
    assert client.get(reverse("kitapp:workpermit_action", args=[permit.pk, "submit"])).status_code == 403
    # Invisible: 404, like a missing row; an action the model does not have: 404.
    client.force_login(personas.town_b_supervisor)
    assert client.get(reverse("kitapp:workpermit_action", args=[permit.pk, "submit"])).status_code == 404
    client.force_login(personas.enterprise_a_user)
    assert client.get(reverse("kitapp:workpermit_action", args=[permit.pk, "destroy"])).status_code == 404
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.DRAFT


# --- the API: POST /api/v1/<collection>/<id>/<action>/ -----------------------------------------------------


def post(client, permit, action, body=None):
    return client.post(f"/api/v1/kit-permits/{permit.pk}/{action}/", json.dumps(body or {}),
                       content_type="application/json")


def test_api_action_runs_the_same_transition(personas, permit):
    response = post(client_for(personas.enterprise_a_user), permit, "submit", {"reason": "申请动火"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == PermitState.SUBMITTED
    assert AuditEvent.objects.get(action="workpermit.submit").reason == "申请动火"
    # A module's own service for an action (here: stamping the approver) runs in the API as in the UI.
    response = post(client_for(personas.town_a_supervisor), permit, "approve", {"valid_until": "2027-03-01"})
    assert response.status_code == 200, response.content
    assert WorkPermit.objects.get(pk=permit.pk).approved_by == personas.town_a_supervisor


def test_api_refusals_have_one_format(personas, permit):
    town_a = client_for(personas.town_a_supervisor)
    response = post(town_a, permit, "approve", {"valid_until": "2027-03-01"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition" and set(body) == {"code", "message", "fields"}
    assert "当前可执行的操作：提交" in body["message"]
    permit = submitted(permit)
    response = post(town_a, permit, "reject", {})
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    response = post(client_for(personas.enterprise_a_user), permit, "approve", {"valid_until": "2027-03-01"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = post(client_for(personas.town_b_supervisor), permit, "approve", {"valid_until": "2027-03-01"})
    missing = client_for(personas.town_b_supervisor).post(
        "/api/v1/kit-permits/987654321/approve/", "{}", content_type="application/json"
    )
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED


def test_every_api_write_carries_a_reason(personas, permit):
    client = client_for(personas.enterprise_a_user)
    response = client.patch(f"/api/v1/kit-permits/{permit.pk}/", {"title": "罐区动火", "reason": "名称更正"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.get(action="workpermit.update").reason == "名称更正"
    response = client_for(personas.city_admin).delete(f"/api/v1/kit-permits/{permit.pk}/?reason=重复申请")
    assert response.status_code == 204
    assert AuditEvent.objects.get(action="workpermit.delete").reason == "重复申请"


def test_api_actions_are_documented_one_endpoint_each(personas):
    schema = client_for(personas.city_admin).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for action in ("submit", "approve", "reject", "extend", "close"):
        assert f"/api/v1/kit-permits/{{id}}/{action}/" in schema["paths"], action


def test_a_transition_api_speaks_its_own_names_and_runs_its_own_service(personas, permit):
    """An action declared as data (issue 8: the hazards' interface): its body, its names for the model's fields and
    its service; the kit makes the endpoint (hyphenated path) and maps the names before the service runs."""
    ran = []

    class ExtendBody(serializers.Serializer):
        until = serializers.DateField()
        reason = serializers.CharField()

    def extend_service(**kwargs):
        ran.append(kwargs)
        return kwargs["obj"]

    class DeclaredPermitViewSet(WorkPermitViewSet):
        model = WorkPermit
        transition_apis = {
            "extend": TransitionApi(request=ExtendBody, field_names={"until": "valid_until"}, service=extend_service)
        }

    request = APIRequestFactory().post("/", {"until": "2027-03-01", "reason": "延长作业"}, format="json")
    force_authenticate(request, user=personas.city_admin)
    response = DeclaredPermitViewSet.as_view({"post": "extend"})(request, pk=permit.pk)
    assert response.status_code == 200, response.data
    assert ran == [{"actor": personas.city_admin, "obj": permit, "action": "extend", "reason": "延长作业",
                    "data": {"valid_until": dt.date(2027, 3, 1)}, "attachments": []}]
    # The actions not declared keep the kit's body and service.
    assert DeclaredPermitViewSet.submit.url_path == "submit"
    request = APIRequestFactory().post("/", {}, format="json")
    force_authenticate(request, user=personas.city_admin)
    assert DeclaredPermitViewSet.as_view({"post": "extend"})(request, pk=permit.pk).status_code == 400


# --- declarations are checked at start-up ---------------------------------------------------------------------


def test_bad_declarations_are_refused_at_start_up():
    class Broken(models.Model):
        state = models.CharField(max_length=8, choices=[("a", "A"), ("b", "B")])
        actions = {"go": "走", "change": "改", "Bad-Name": "坏"}
        policy = {"town_supervisor": {"view", "fly"}}
        editable_fields = {"enterprise_user": {"nonexistent"}}
        workflow = Workflow("state", [
            Transition("go", ("a",), "z"),
            Transition("leap", ("a",), "b", fields=("missing",)),
        ])

        class Meta:
            app_label = "kitapp"
            managed = False

        def __str__(self) -> str:
            return self.state

    problems = declaration_problems(Broken)
    assert any("'change' is a standard action" in problem for problem in problems)
    assert any("'Bad-Name' is not a lower-case identifier" in problem for problem in problems)
    assert any("undeclared action 'fly'" in problem for problem in problems)
    assert any("no field 'nonexistent'" in problem for problem in problems)
    assert any("unknown state 'z'" in problem for problem in problems)
    assert any("action 'leap' is not in Broken.actions" in problem for problem in problems)
    assert any("sets unknown field 'missing'" in problem for problem in problems)
    with pytest.raises(ImproperlyConfigured, match="undeclared action 'fly'"):
        check_declarations([Broken])
    assert declaration_problems(WorkPermit) == []


@isolate_apps("anjian.core.tests.kitapp")
def test_scope_paths_must_run_through_stored_fields():
    """The gate decides a row from its stored values, so each step of a scope path must be one."""

    class Misplaced(models.Model):
        code = models.CharField(max_length=12)
        peers = models.ManyToManyField("self")
        scope = Scope(region_code="code__upper", enterprise="peers__id", domain="sector")

        class Meta:
            app_label = "kitapp"

        def __str__(self) -> str:
            return self.code

    assert declaration_problems(Misplaced) == [
        "Misplaced.scope.region_code: 'code__upper': Misplaced.code is not a relation",
        "Misplaced.scope.enterprise: 'peers__id': Misplaced.peers is not a stored field",
        "Misplaced.scope.domain: 'sector': Misplaced has no field 'sector'",
    ]
    # A reverse relation is not stored either; the paths of every installed model pass.
    assert scope_path_problem(Enterprise, "licences__enterprise_id") == (
        "'licences__enterprise_id': Enterprise.licences is not a stored field")
    assert scope_path_problem(Licence, "enterprise__region__code") is None
    for model in django_apps.get_models():
        assert [problem for problem in declaration_problems(model) if ".scope." in problem] == [], model


def test_unknown_roles_in_a_policy_are_refused_at_start_up():
    from anjian.accounts.policy import check_policy_roles

    class Strange(models.Model):
        policy = {"mayor": {"view"}}

        class Meta:
            app_label = "kitapp"
            managed = False

        def __str__(self) -> str:
            return "strange"

    with pytest.raises(ImproperlyConfigured, match="unknown role 'mayor'"):
        check_policy_roles([Strange])


@pytest.mark.django_db(transaction=True)
def test_a_failing_notification_never_undoes_the_transition(personas, monkeypatch, caplog):
    """Issue 6, "Bad input": the notice is sent after the commit, and its failure is logged, not raised."""
    def broken_sender(**kwargs):
        raise ConnectionError("通知服务不可用")

    monkeypatch.setattr(notices, "_sender", broken_sender)
    permit = WorkPermit.objects.create(enterprise=personas.enterprise_a, title="通知失败测试")
    saved = transition(actor=personas.enterprise_a_user, obj=permit, action="submit")
    assert saved.state == PermitState.SUBMITTED
    assert WorkPermit.objects.get(pk=permit.pk).state == PermitState.SUBMITTED
    assert AuditEvent.objects.filter(action="workpermit.submit", object_id=str(permit.pk)).exists()
    assert "通知服务不可用" in caplog.text
