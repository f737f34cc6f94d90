"""The hazard's lifecycle services (issue 8 item 3 and 4; "Must show": every allowed and every refused transition).

Personas (anjian/core/testing/personas.py): enterprise A in town A (东城街道) with its user, the town supervisors of
A and B, the city supervisor and administrator, the town-A department supervisor and grid worker.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from anjian.core import notices
from anjian.core.models import Attachment, AuditEvent
from anjian.core.workflow import IllegalTransition
from anjian.hazards import services
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import assert_counts_exact, make_checklist, make_hazard

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Dongguan
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(monkeypatch):
    """The notices handed over, recorded at once: a test's transaction never commits, so on_commit would wait for
    ever (that they wait for the commit, and none is sent on a rollback, is the kit's own test)."""
    recorded: list[dict] = []
    monkeypatch.setattr(notices, "_sender", lambda **kwargs: recorded.append(kwargs))
    monkeypatch.setattr(notices, "transaction", SimpleNamespace(on_commit=lambda callback, robust=False: callback()))
    return recorded


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def photo(name: str = "整改后.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 160, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def fresh(hazard: Hazard) -> Hazard:
    return Hazard.objects.select_related("enterprise__region").get(pk=hazard.pk)


def snapshot(hazard: Hazard) -> dict[str, Any]:
    return {field.attname: getattr(fresh(hazard), field.attname) for field in Hazard._meta.concrete_fields}


def audit_count(hazard: Hazard) -> int:
    return AuditEvent.objects.filter(object_id=str(hazard.pk), action__startswith="hazard.").count()


# For each action: who takes it, how the hazard must be (beyond its state), and valid data.
CASES: dict[str, dict[str, Any]] = {
    "assign": {"actor": "enterprise_a_user", "data": {
        "measures": "更换配电箱门锁", "responsible": "李四", "deadline": TODAY + dt.timedelta(days=7)}},
    "rectify": {"actor": "enterprise_a_user", "data": {"rectification": "已更换门锁"}, "photos": 1},
    "verify": {"actor": "town_a_supervisor", "data": {"verification_note": "现场核实已整改"}},
    "reject": {"actor": "town_a_supervisor", "reason": "照片不清晰"},
    "extend": {"actor": "town_a_supervisor", "reason": "需采购设备",
               "data": {"deadline": TODAY + dt.timedelta(days=30)}},
    "request_extension": {"actor": "enterprise_a_user", "reason": "设备到货延迟",
                          "data": {"requested_deadline": TODAY + dt.timedelta(days=30)}},
    "list_supervision": {"actor": "town_a_supervisor", "level": HazardLevel.MAJOR,
                         "data": {"supervision_level": SupervisionLevel.TOWN,
                                  "supervision_target_date": TODAY + dt.timedelta(days=60)}},
    "lift_supervision": {"actor": "town_a_supervisor", "level": HazardLevel.MAJOR, "reason": "已整改验收",
                         "fields": {"supervision_level": SupervisionLevel.TOWN, "supervising_unit": "东城街道",
                                    "listed_at": NOW}},
    "spot_check": {"actor": "town_a_supervisor", "data": {"spot_check_note": "抽查合格"}},
    "reopen": {"actor": "town_a_supervisor", "reason": "抽查发现复发"},
}
ALLOWED = [(step.action, source) for step in Hazard.workflow.transitions for source in step.source]
REFUSED = [(action, state) for action in Hazard.workflow.actions for state in HazardStatus.values
           if Hazard.workflow.find(state, action) is None]


def hazard_for(personas, action: str, state: str) -> Hazard:
    case = CASES[action]
    return make_hazard(personas.enterprise_a, status=state, level=case.get("level", HazardLevel.GENERAL),
                       deadline=TODAY + dt.timedelta(days=10), **case.get("fields", {}))


def run(personas, action: str, hazard: Hazard, **overrides: Any) -> Hazard:
    case = {**CASES[action], **overrides}
    actor = case["actor"] if not isinstance(case["actor"], str) else getattr(personas, case["actor"])
    return services.hazard_transition(
        actor=actor, obj=hazard, action=action, reason=case.get("reason", ""), data=dict(case.get("data", {})),
        attachments=[photo() for _ in range(case.get("photos", 0))],
    )


def test_the_cases_cover_every_action_of_the_table():
    assert set(CASES) == set(Hazard.workflow.actions) == set(services.HAZARD_SERVICES)
    assert REFUSED, "every action has states it is refused from"


@pytest.mark.parametrize(("action", "source"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_every_allowed_transition(personas, clock, sent, action, source):
    hazard = hazard_for(personas, action, source)
    saved = run(personas, action, hazard)
    step = Hazard.workflow.find(source, action)
    assert fresh(saved).status == (step.target or source)
    event = AuditEvent.objects.get(object_id=str(hazard.pk), action=f"hazard.{action}")
    assert event.data["from"] == source and event.data["to"] == (step.target or source)
    assert_counts_exact()


@pytest.mark.parametrize(("action", "state"), REFUSED, ids=[f"{a}-from-{s}" for a, s in REFUSED])
def test_every_refused_transition_changes_nothing(personas, clock, sent, action, state):
    hazard = hazard_for(personas, action, state)
    before = snapshot(hazard)
    with pytest.raises(IllegalTransition) as caught:
        run(personas, action, hazard)
    assert "不能执行" in caught.value.message
    assert snapshot(hazard) == before
    assert audit_count(hazard) == 0
    assert not Attachment.objects.filter(object_id=str(hazard.pk)).exists()
    assert sent == []


# --- the stamps and what each action clears -------------------------------------------------------------------


def test_report_records_the_finder_and_a_criterion_makes_it_major(personas, sent):
    checklist = make_checklist(items=2, major=(2,))
    item = checklist.items.get(number=2)
    hazard = Hazard(enterprise=personas.enterprise_a, description="储罐区未设置可燃气体报警装置")
    saved = services.hazard_report(actor=personas.grid_worker_a, hazard=hazard, source=HazardSource.GRID,
                                   criterion_item=item, attachments=[photo("现场.jpg")])
    saved = fresh(saved)
    assert saved.status == HazardStatus.REPORTED and saved.level == HazardLevel.MAJOR
    assert saved.found_by == personas.grid_worker_a and saved.criterion_item == item
    assert Attachment.objects.filter(object_id=str(saved.pk), purpose="report").count() == 1
    assert AuditEvent.objects.filter(object_id=str(saved.pk), action="hazard.create").exists()
    assert [notice.kind for notice in sent[0]["notices"]] == ["hazard.reported"]
    assert set(sent[0]["notices"][0].roles) == {"enterprise_user", "town_supervisor"}


def test_report_with_a_refused_photo_saves_nothing(personas):
    bad = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
    hazard = Hazard(enterprise=personas.enterprise_a, description="消防通道堵塞")
    with pytest.raises(ValidationError):
        services.hazard_report(actor=personas.town_a_supervisor, hazard=hazard, source=HazardSource.INSPECTION,
                               attachments=[bad])
    assert not Hazard.objects.exists()


def test_report_outside_the_reporters_town_is_refused(personas):
    hazard = Hazard(enterprise=personas.enterprise_b, description="消防通道堵塞")
    with pytest.raises(PermissionDenied):
        services.hazard_report(actor=personas.town_a_supervisor, hazard=hazard, source=HazardSource.INSPECTION)
    assert not Hazard.objects.exists()


def test_assign_stamps_and_tells_the_enterprise(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a)
    saved = fresh(run(personas, "assign", hazard, actor="town_a_supervisor",
                      data={**CASES["assign"]["data"], "funds": "1200.50", "interim_measures": "设置警戒线"}))
    assert saved.status == HazardStatus.RECTIFYING and saved.assigned_at == NOW
    assert str(saved.funds) == "1200.50" and saved.interim_measures == "设置警戒线"
    assert sent[0]["notices"][0].kind == "hazard.assigned"
    assert sent[0]["notices"][0].roles == ("enterprise_user",)


def test_assign_needs_the_five_in_place(personas, clock):
    hazard = make_hazard(personas.enterprise_a)
    with pytest.raises(ValidationError) as caught:
        run(personas, "assign", hazard, data={"measures": "整改"})
    assert {"responsible", "deadline"} <= set(caught.value.message_dict)
    assert fresh(hazard).status == HazardStatus.REPORTED


@pytest.mark.parametrize("action", ["assign", "extend"])
def test_a_deadline_in_the_past_is_refused(personas, clock, action):
    state = HazardStatus.REPORTED if action == "assign" else HazardStatus.RECTIFYING
    hazard = hazard_for(personas, action, state)
    before = snapshot(hazard)
    data = {**CASES[action].get("data", {}), "deadline": TODAY - dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as caught:
        run(personas, action, hazard, data=data)
    assert "不能早于今天" in caught.value.message_dict["deadline"][0]
    assert snapshot(hazard) == before


def test_assign_accepts_today_as_the_deadline(personas, clock):
    hazard = make_hazard(personas.enterprise_a)
    saved = run(personas, "assign", hazard, data={**CASES["assign"]["data"], "deadline": TODAY})
    assert fresh(saved).deadline == TODAY


def test_the_clock_is_injectable(personas):
    hazard = make_hazard(personas.enterprise_a)
    later = NOW + dt.timedelta(days=400)
    yesterday = timezone.localdate(later) - dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.hazard_assign(actor=personas.enterprise_a_user, hazard=hazard, now=later,
                               data={**CASES["assign"]["data"], "deadline": yesterday})
    saved = services.hazard_assign(actor=personas.enterprise_a_user, hazard=hazard, now=later,
                                   data={**CASES["assign"]["data"], "deadline": timezone.localdate(later)})
    assert fresh(saved).assigned_at == later


def test_rectify_needs_evidence(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    with pytest.raises(ValidationError) as caught:
        run(personas, "rectify", hazard, photos=0)
    assert "attachments" in caught.value.message_dict
    assert fresh(hazard).status == HazardStatus.RECTIFYING


def test_rectify_stamps_and_clears_overdue_and_the_request(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, overdue=True,
                         requested_deadline=TODAY + dt.timedelta(days=40), found_by=personas.town_a_supervisor)
    saved = fresh(run(personas, "rectify", hazard))
    assert saved.status == HazardStatus.RECTIFIED and saved.rectified_at == NOW
    assert not saved.overdue and saved.requested_deadline is None
    assert Attachment.objects.filter(object_id=str(hazard.pk), purpose="rectify").count() == 1
    notice = sent[0]["notices"][0]
    assert notice.kind == "hazard.rectified" and notice.users == (personas.town_a_supervisor.pk,)


def test_enterprise_verifies_a_general_hazard(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED, overdue=True)
    saved = fresh(run(personas, "verify", hazard, actor="enterprise_a_user"))
    assert saved.status == HazardStatus.CLOSED and saved.closed_at == NOW
    assert saved.verified_by == personas.enterprise_a_user and not saved.overdue
    assert sent[0]["notices"][0].kind == "hazard.closed"


def test_enterprise_verifying_a_major_hazard_is_refused(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED, level=HazardLevel.MAJOR)
    before = snapshot(hazard)
    with pytest.raises(PermissionDenied) as caught:
        run(personas, "verify", hazard, actor="enterprise_a_user")
    assert "重大隐患须由监管部门验收销号" in str(caught.value)
    assert snapshot(hazard) == before and audit_count(hazard) == 0 and sent == []
    # A regulator closes it.
    assert fresh(run(personas, "verify", hazard, actor="town_a_supervisor")).status == HazardStatus.CLOSED


def test_reject_goes_back_to_rectifying_with_a_reason(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    with pytest.raises(ValidationError) as caught:
        run(personas, "reject", hazard, reason="")
    assert "reason" in caught.value.message_dict
    saved = fresh(run(personas, "reject", hazard))
    assert saved.status == HazardStatus.RECTIFYING and saved.rectified_at is None
    event = AuditEvent.objects.get(object_id=str(hazard.pk), action="hazard.reject")
    assert event.reason == "照片不清晰"
    assert sent[0]["notices"][0].context["reason"] == "照片不清晰"


def test_extend_moves_the_deadline_and_clears_the_request_and_overdue(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, overdue=True,
                         deadline=TODAY - dt.timedelta(days=2), requested_deadline=TODAY + dt.timedelta(days=20))
    saved = fresh(run(personas, "extend", hazard))
    assert saved.deadline == TODAY + dt.timedelta(days=30)
    assert saved.requested_deadline is None and not saved.overdue
    assert sent[0]["notices"][0].kind == "hazard.extended"


def test_extend_must_be_later_than_the_current_deadline(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=TODAY + dt.timedelta(days=10))
    before = snapshot(hazard)
    with pytest.raises(ValidationError) as caught:
        run(personas, "extend", hazard, data={"deadline": TODAY + dt.timedelta(days=10)})
    assert "须晚于当前期限" in caught.value.message_dict["deadline"][0]
    assert snapshot(hazard) == before


@pytest.mark.parametrize("action", ["extend", "request_extension"])
def test_an_extension_without_a_reason_is_refused(personas, clock, action):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    before = snapshot(hazard)
    with pytest.raises(ValidationError) as caught:
        run(personas, action, hazard, reason="  ")
    assert "reason" in caught.value.message_dict
    assert snapshot(hazard) == before


def test_extend_is_a_regulators_decision(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    with pytest.raises(PermissionDenied):
        run(personas, "extend", hazard, actor="enterprise_a_user")


def test_request_extension_asks_the_town(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=TODAY + dt.timedelta(days=10))
    saved = fresh(run(personas, "request_extension", hazard))
    assert saved.requested_deadline == TODAY + dt.timedelta(days=30) and saved.deadline == TODAY + dt.timedelta(10)
    notice = sent[0]["notices"][0]
    assert notice.kind == "hazard.extension_requested" and notice.roles == ("town_supervisor",)
    with pytest.raises(ValidationError) as caught:
        run(personas, "request_extension", hazard, data={"requested_deadline": TODAY + dt.timedelta(days=5)})
    assert "须晚于当前整改期限" in caught.value.message_dict["requested_deadline"][0]


def test_a_town_supervisor_acts_only_on_its_towns_hazards(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    before = snapshot(hazard)
    with pytest.raises(PermissionDenied):
        run(personas, "verify", hazard, actor="town_b_supervisor")
    assert snapshot(hazard) == before


# --- 挂牌督办 ------------------------------------------------------------------------------------------------------


def listed(personas, level: str = SupervisionLevel.TOWN, status: str = HazardStatus.CLOSED, **fields) -> Hazard:
    unit = "东莞市应急管理局" if level == SupervisionLevel.CITY else "东城街道"
    return make_hazard(personas.enterprise_a, status=status, level=HazardLevel.MAJOR, supervision_level=level,
                       supervising_unit=unit, supervision_target_date=TODAY + dt.timedelta(days=30), listed_at=NOW,
                       **fields)


def test_town_lists_at_town_level_with_its_name_as_the_unit(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, level=HazardLevel.MAJOR)
    saved = fresh(run(personas, "list_supervision", hazard))
    assert saved.supervision_level == SupervisionLevel.TOWN and saved.supervising_unit == personas.town_a.name
    assert saved.listed_at == NOW and saved.lifted_at is None and saved.listed
    assert saved.supervision_target_date == TODAY + dt.timedelta(days=60)
    assert sent[0]["notices"][0].kind == "hazard.listed"


def test_city_lists_at_city_level_as_the_bureau(personas, clock):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    saved = fresh(run(personas, "list_supervision", hazard, actor="city_supervisor",
                      data={"supervision_level": SupervisionLevel.CITY,
                            "supervision_target_date": TODAY + dt.timedelta(days=60)}))
    assert saved.supervision_level == SupervisionLevel.CITY and saved.supervising_unit == "东莞市应急管理局"


def test_a_given_supervising_unit_is_kept(personas, clock):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    data = {**CASES["list_supervision"]["data"], "supervising_unit": "东城街道安委办"}
    assert fresh(run(personas, "list_supervision", hazard, data=data)).supervising_unit == "东城街道安委办"


def test_listing_a_general_hazard_is_refused(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    before = snapshot(hazard)
    with pytest.raises(ValidationError) as caught:
        run(personas, "list_supervision", hazard)
    assert "只有重大隐患可以挂牌督办" in str(caught.value)
    assert snapshot(hazard) == before


@pytest.mark.parametrize(("actor", "level"), [("town_a_supervisor", SupervisionLevel.CITY),
                                              ("city_supervisor", SupervisionLevel.TOWN)])
def test_listing_at_a_level_not_ones_own_is_refused(personas, clock, actor, level):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    before = snapshot(hazard)
    with pytest.raises(PermissionDenied):
        run(personas, "list_supervision", hazard, actor=actor,
            data={"supervision_level": level, "supervision_target_date": TODAY + dt.timedelta(days=60)})
    assert snapshot(hazard) == before


def test_a_listed_hazard_is_not_listed_again_until_lifted(personas, clock):
    hazard = listed(personas, status=HazardStatus.RECTIFYING)
    before = snapshot(hazard)
    with pytest.raises(ValidationError) as caught:
        run(personas, "list_supervision", hazard)
    assert "不能重复挂牌" in str(caught.value)
    assert snapshot(hazard) == before
    # Lifted, reopened (rectifying again): it may be listed again.
    Hazard.objects.filter(pk=hazard.pk).update(lifted_at=NOW)
    saved = fresh(run(personas, "list_supervision", hazard))
    assert saved.listed and saved.lifted_at is None


def test_a_past_target_date_is_refused(personas, clock):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    with pytest.raises(ValidationError) as caught:
        run(personas, "list_supervision", hazard, data={"supervision_level": SupervisionLevel.TOWN,
                                                        "supervision_target_date": TODAY - dt.timedelta(days=1)})
    assert "supervision_target_date" in caught.value.message_dict


def test_enterprise_and_department_cannot_list(personas, clock):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    for actor in ("enterprise_a_user", "department_a_supervisor", "grid_worker_a"):
        with pytest.raises(PermissionDenied):
            run(personas, "list_supervision", hazard, actor=actor)
    assert not fresh(hazard).listed


def test_lift_by_the_listing_town_or_the_city(personas, clock, sent):
    town_listed = listed(personas)
    saved = fresh(run(personas, "lift_supervision", town_listed))
    assert saved.lifted_at == NOW and not saved.listed and saved.supervision_level == SupervisionLevel.TOWN
    assert sent[0]["notices"][0].kind == "hazard.lifted"
    other = listed(personas)
    assert not fresh(run(personas, "lift_supervision", other, actor="city_admin")).listed


def test_a_city_listing_is_not_lifted_by_the_town(personas, clock):
    hazard = listed(personas, level=SupervisionLevel.CITY)
    before = snapshot(hazard)
    with pytest.raises(PermissionDenied) as caught:
        run(personas, "lift_supervision", hazard)
    assert "只能由市级解除督办" in str(caught.value)
    assert snapshot(hazard) == before
    assert not fresh(run(personas, "lift_supervision", hazard, actor="city_supervisor")).listed


def test_lift_only_after_verification(personas, clock):
    hazard = listed(personas, status=HazardStatus.RECTIFIED)
    with pytest.raises(IllegalTransition):
        run(personas, "lift_supervision", hazard)
    assert fresh(hazard).listed


def test_lifting_a_hazard_not_listed_is_refused(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED, level=HazardLevel.MAJOR)
    with pytest.raises(ValidationError) as caught:
        run(personas, "lift_supervision", hazard)
    assert "未挂牌督办" in str(caught.value)


def test_lift_needs_a_reason(personas, clock):
    hazard = listed(personas)
    with pytest.raises(ValidationError):
        run(personas, "lift_supervision", hazard, reason="")
    assert fresh(hazard).listed


# --- after closure -------------------------------------------------------------------------------------------------


def test_spot_check_stamps(personas, clock):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED)
    saved = fresh(run(personas, "spot_check", hazard))
    assert saved.spot_checked_at == NOW and saved.spot_check_note == "抽查合格"
    assert saved.status == HazardStatus.CLOSED


def test_reopen_undoes_the_closure(personas, clock, sent):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED, verified_by=personas.town_a_supervisor)
    saved = fresh(run(personas, "reopen", hazard))
    assert saved.status == HazardStatus.RECTIFYING
    assert saved.closed_at is None and saved.verified_by is None
    assert sent[0]["notices"][0].kind == "hazard.reopened"


def test_level_refusal_is_what_the_detail_page_asks(personas):
    major = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED, level=HazardLevel.MAJOR)
    assert services.level_refusal(personas.enterprise_a_user, major, "verify")
    assert services.level_refusal(personas.town_a_supervisor, major, "verify") is None
    assert services.level_refusal(personas.town_a_supervisor, major, "list_supervision") is None
    general = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    assert services.level_refusal(personas.enterprise_a_user, general, "verify") is None
    assert services.level_refusal(personas.city_supervisor, general, "list_supervision")


def test_every_notice_kind_has_a_template():
    from anjian.notifications.reference import packaged_templates

    kinds = {row["kind"] for row in packaged_templates()}
    assert {"hazard.reported", "hazard.assigned", "hazard.rectified", "hazard.closed", "hazard.rejected",
            "hazard.extended", "hazard.extension_requested", "hazard.listed", "hazard.lifted",
            "hazard.reopened"} <= kinds


def test_templates_render_in_chinese(personas):
    from anjian.notifications.reference import packaged_templates
    from anjian.notifications.rendering import render_text

    rows = {row["kind"]: row for row in packaged_templates()}
    text = render_text(rows["hazard.assigned"]["body"], {"object": "东城甲企业 · 配电箱", "deadline": TODAY})
    assert "2026年6月1日" in text
    text = render_text(rows["hazard.rejected"]["body"], {"object": "x", "actor": "镇街", "reason": "照片不清晰"})
    assert "理由：照片不清晰" in text
