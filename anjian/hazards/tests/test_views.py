"""The hazard pages work for those who may use them: list and its filters and export, the 挂牌督办 list, the detail
page's groups, buttons and history, the report form, every action form, the enterprise panel, the public 督办 page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from anjian.core.models import Attachment, AuditEvent
from anjian.core.testing.browser import use_plain_static
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    use_plain_static(settings)
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def text(response) -> str:
    return response.content.decode()


def fresh(hazard: Hazard) -> Hazard:
    return Hazard.objects.get(pk=hazard.pk)


def action_url(hazard: Hazard, action: str) -> str:
    return reverse("hazards:hazard_action", args=[hazard.pk, action])


# --- lists ---------------------------------------------------------------------------------------------------------


def test_list_shows_the_towns_hazards_with_a_total(personas):
    make_hazard(personas.enterprise_a, description="东城配电箱隐患", overdue=True, status=HazardStatus.RECTIFYING)
    make_hazard(personas.enterprise_b, description="虎门消防通道隐患")
    response = login(personas.town_a_supervisor).get(reverse("hazards:hazard_list"))
    assert response.status_code == 200
    page = text(response)
    assert "东城配电箱隐患" in page and "虎门消防通道隐患" not in page
    assert "共 1 条" in page and 'data-testid="overdue"' in page


@pytest.mark.parametrize(("params", "shown", "hidden"), [
    ({"status": "rectifying"}, "整改中的隐患", "新报的隐患"),
    ({"level": "major"}, "重大的隐患", "新报的隐患"),
    ({"overdue": "true"}, "整改中的隐患", "重大的隐患"),
    ({"listed": "true"}, "重大的隐患", "整改中的隐患"),
    ({"source": "grid"}, "网格发现的隐患", "新报的隐患"),
    ({"domain": "construction"}, "建筑工地的隐患", "新报的隐患"),
    ({"town": "441900003000"}, "新报的隐患", "虎门的隐患"),
    ({"q": "网格发现"}, "网格发现的隐患", "新报的隐患"),
])
def test_list_filters(personas, params, shown, hidden):
    a = personas.enterprise_a
    make_hazard(a, description="新报的隐患")
    make_hazard(a, description="整改中的隐患", status=HazardStatus.RECTIFYING, overdue=True)
    make_hazard(a, description="重大的隐患", level=HazardLevel.MAJOR, supervision_level=SupervisionLevel.TOWN,
                supervising_unit="东城街道", listed_at=NOW)
    make_hazard(a, description="网格发现的隐患", source="grid")
    make_hazard(personas.enterprise_b, description="虎门的隐患")
    make_hazard(EnterpriseFactory(region=personas.village_a, domain="construction"), description="建筑工地的隐患")
    page = text(login(personas.city_supervisor).get(reverse("hazards:hazard_list"), params))
    assert shown in page and hidden not in page


def test_a_bad_filter_shows_its_error_and_no_rows(personas):
    make_hazard(personas.enterprise_a, description="新报的隐患")
    page = text(login(personas.city_supervisor).get(reverse("hazards:hazard_list"), {"town": "441900999999"}))
    assert "未知的行政区划代码" in page and "新报的隐患" not in page


def test_export_has_the_filtered_rows(personas):
    make_hazard(personas.enterprise_a, description="导出的重大隐患", level=HazardLevel.MAJOR)
    make_hazard(personas.enterprise_a, description="不导出的一般隐患")
    response = login(personas.town_a_supervisor).get(reverse("hazards:hazard_list"),
                                                     {"level": "major", "export": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("隐患描述", "单位")
    assert [row[0] for row in rows[1:]] == ["导出的重大隐患"]
    assert rows[1][3] == "重大隐患" and rows[1][4] == "待整改"


def test_supervision_list_shows_only_the_listed(personas):
    make_hazard(personas.enterprise_a, description="挂牌中的隐患", level=HazardLevel.MAJOR,
                supervision_level=SupervisionLevel.CITY, supervising_unit="东莞市应急管理局", listed_at=NOW)
    make_hazard(personas.enterprise_a, description="已摘牌的隐患", level=HazardLevel.MAJOR, status=HazardStatus.CLOSED,
                supervision_level=SupervisionLevel.TOWN, supervising_unit="东城街道", listed_at=NOW, lifted_at=NOW)
    make_hazard(personas.enterprise_a, description="未挂牌的隐患", level=HazardLevel.MAJOR)
    page = text(login(personas.town_a_supervisor).get(reverse("hazards:supervision_list")))
    assert "挂牌督办" in page and "挂牌中的隐患" in page
    assert "已摘牌的隐患" not in page and "未挂牌的隐患" not in page


def test_sidebar_has_the_hazard_entries(personas):
    page = text(login(personas.grid_worker_a).get(reverse("hazards:hazard_list")))
    assert reverse("hazards:hazard_list") in page and reverse("hazards:supervision_list") in page


# --- the detail page -----------------------------------------------------------------------------------------------


def test_detail_groups_the_fields_and_shows_the_history(personas):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    town = personas.town_a_supervisor
    client = login(personas.enterprise_a_user)
    client.post(action_url(hazard, "assign"), {"measures": "加装防护罩", "responsible": "李四", "funds": "500",
                                               "deadline": "2026-06-15", "interim_measures": "停用设备"})
    login(town).post(action_url(hazard, "list_supervision"), {"supervision_level": "town",
                                                              "supervision_target_date": "2026-07-01"})
    page = text(client.get(hazard.get_absolute_url()))
    for title in ("发现", "五到位", "整改", "验收", "督办"):
        assert f'<div class="card-header fw-semibold">{title}</div>' in page
    assert "加装防护罩" in page and "停用设备" in page and "2026-06-15" in page
    assert "镇街挂牌督办" in page and personas.town_a.name in page
    # The history: the audit events of the transitions, and the field changes.
    assert "变更记录" in page and "审计事件" in page
    # Moments in the history read as on the rest of the page, in Dongguan's time.
    assert "2026-06-01 10:00" in page and "+00:00" not in page
    assert page.count("下达整改") >= 1 and "挂牌督办" in page
    assert "整改措施" in page


def test_detail_buttons_follow_the_level_rules(personas):
    major = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR, status=HazardStatus.RECTIFIED)
    enterprise_page = text(login(personas.enterprise_a_user).get(major.get_absolute_url()))
    assert 'data-action="verify"' not in enterprise_page
    town_page = text(login(personas.town_a_supervisor).get(major.get_absolute_url()))
    assert 'data-action="verify"' in town_page and 'data-action="reject"' in town_page
    assert 'data-action="list_supervision"' in town_page
    general = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    assert 'data-action="verify"' in text(login(personas.enterprise_a_user).get(general.get_absolute_url()))
    city_listed = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR, status=HazardStatus.CLOSED,
                              supervision_level=SupervisionLevel.CITY, supervising_unit="东莞市应急管理局",
                              listed_at=NOW)
    assert 'data-action="lift_supervision"' not in text(login(personas.town_a_supervisor).get(
        city_listed.get_absolute_url()))
    assert 'data-action="lift_supervision"' in text(login(personas.city_supervisor).get(
        city_listed.get_absolute_url()))


# --- the report form -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "source"), [("town_a_supervisor", "inspection"), ("grid_worker_a", "grid"),
                                                 ("enterprise_a_user", "self_inspection")])
def test_report_form(personas, persona, source):
    user = getattr(personas, persona)
    client = login(user)
    form = text(client.get(reverse("hazards:hazard_add")))
    assert personas.enterprise_a.name in form and personas.enterprise_b.name not in form
    assert f'value="{source}" selected' in form
    response = client.post(reverse("hazards:hazard_add"), {
        "enterprise": personas.enterprise_a.pk, "place": "二号仓库", "description": "灭火器过期",
        "category": "site_fire", "level": "general", "source": source, "photos": [photo()]})
    assert response.status_code == 302, text(response)[:2000]
    hazard = Hazard.objects.get()
    assert response["Location"] == hazard.get_absolute_url()
    assert hazard.found_by == user and hazard.source == source and hazard.status == HazardStatus.REPORTED
    assert Attachment.objects.filter(object_id=str(hazard.pk)).count() == 1


def test_report_for_an_enterprise_out_of_reach_is_refused(personas):
    response = login(personas.town_a_supervisor).post(reverse("hazards:hazard_add"), {
        "enterprise": personas.enterprise_b.pk, "description": "灭火器过期", "category": "site_fire",
        "level": "general", "source": "inspection"})
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_report_by_uscc_when_the_reporter_sees_many_enterprises(personas, monkeypatch):
    from anjian.hazards import forms

    monkeypatch.setattr(forms, "ENTERPRISE_SELECT_LIMIT", 1)
    client = login(personas.city_supervisor)
    page = text(client.get(reverse("hazards:hazard_add"), {"enterprise": personas.enterprise_a.pk}))
    assert f'type="text" name="enterprise" value="{personas.enterprise_a.uscc}"' in page
    data = {"description": "灭火器过期", "category": "site_fire", "level": "general", "source": "inspection"}
    response = client.post(reverse("hazards:hazard_add"),
                           {**data, "enterprise": " " + personas.enterprise_a.uscc.lower() + " "})
    assert response.status_code == 302
    assert Hazard.objects.get().enterprise == personas.enterprise_a
    response = client.post(reverse("hazards:hazard_add"), {**data, "enterprise": "91441900XXXXXXXXXX"})
    assert "请选择您管辖范围内的单位" in text(response)


def test_report_is_preselected_from_the_enterprise_page(personas):
    page = text(login(personas.town_a_supervisor).get(reverse("hazards:hazard_add"),
                                                      {"enterprise": personas.enterprise_a.pk}))
    assert f'<option value="{personas.enterprise_a.pk}" selected>' in page


def test_regulators_correct_a_hazard(personas):
    hazard = make_hazard(personas.enterprise_a, found_by=personas.enterprise_a_user)
    client = login(personas.town_a_supervisor)
    form = text(client.get(reverse("hazards:hazard_edit", args=[hazard.pk])))
    assert 'name="description"' in form and 'name="level"' in form and 'name="enterprise"' not in form
    response = client.post(reverse("hazards:hazard_edit", args=[hazard.pk]), {
        "place": "三号车间", "description": "更正后的描述", "category": "site_fire", "level": "major",
        "reason": "现场复核为重大隐患"})
    assert response.status_code == 302
    assert fresh(hazard).description == "更正后的描述" and fresh(hazard).level == HazardLevel.MAJOR
    assert AuditEvent.objects.filter(object_id=str(hazard.pk), action="hazard.update").exists()
    # The enterprise corrects what its own people reported too (issue 8 item 3), but not its level.
    form = text(login(personas.enterprise_a_user).get(reverse("hazards:hazard_edit", args=[hazard.pk])))
    assert 'name="description"' in form and 'name="level"' not in form


# --- the action pages ----------------------------------------------------------------------------------------------


def test_assign_form_has_date_inputs_and_refuses_a_past_deadline(personas):
    hazard = make_hazard(personas.enterprise_a)
    client = login(personas.enterprise_a_user)
    form = text(client.get(action_url(hazard, "assign")))
    assert 'type="date"' in form and 'name="measures"' in form and 'name="interim_measures"' in form
    response = client.post(action_url(hazard, "assign"), {"measures": "整改", "responsible": "李四",
                                                          "deadline": "2026-05-01"})
    assert response.status_code == 400 and "不能早于今天" in text(response)
    assert fresh(hazard).status == HazardStatus.REPORTED


def test_rectify_form_takes_photos(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    client = login(personas.enterprise_a_user)
    form = text(client.get(action_url(hazard, "rectify")))
    assert 'type="file"' in form and "image/jpeg" in form
    response = client.post(action_url(hazard, "rectify"), {"rectification": "已整改"})
    assert response.status_code == 400 and fresh(hazard).status == HazardStatus.RECTIFYING
    response = client.post(action_url(hazard, "rectify"), {"rectification": "已整改", "attachments": [photo()]})
    assert response.status_code == 302
    assert fresh(hazard).status == HazardStatus.RECTIFIED


def test_enterprise_verifying_a_major_hazard_is_told_why(personas):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR, status=HazardStatus.RECTIFIED)
    client = login(personas.enterprise_a_user)
    for response in (client.get(action_url(hazard, "verify")), client.post(action_url(hazard, "verify"), {})):
        assert response.status_code == 403 and "重大隐患须由监管部门验收销号" in text(response)
    assert fresh(hazard).status == HazardStatus.RECTIFIED


def test_list_supervision_form_offers_the_actors_level(personas):
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    form = text(login(personas.city_supervisor).get(action_url(hazard, "list_supervision")))
    assert '<option value="city" selected>' in form and "东莞市应急管理局" in form
    form = text(login(personas.town_a_supervisor).get(action_url(hazard, "list_supervision")))
    assert '<option value="town" selected>' in form


def test_extend_form_offers_the_requested_date(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING,
                         requested_deadline=dt.date(2026, 6, 30))
    form = text(login(personas.town_a_supervisor).get(action_url(hazard, "extend")))
    assert 'name="deadline" value="2026-06-30"' in form


def test_an_illegal_action_page_is_409(personas):
    hazard = make_hazard(personas.enterprise_a)
    response = login(personas.town_a_supervisor).get(action_url(hazard, "verify"))
    assert response.status_code == 409 and "当前可执行的操作" in text(response)


@pytest.mark.parametrize("action", list(Hazard.workflow.actions))
def test_every_action_has_its_page(personas, action):
    step = Hazard.workflow.transitions[[s.action for s in Hazard.workflow.transitions].index(action)]
    user = personas.enterprise_a_user if action in ("rectify", "request_extension") else personas.city_admin
    hazard = make_hazard(personas.enterprise_a, status=step.source[0], level=HazardLevel.MAJOR,
                         **({"supervision_level": SupervisionLevel.CITY, "supervising_unit": "东莞市应急管理局",
                             "listed_at": NOW} if action == "lift_supervision" else {}))
    response = login(user).get(action_url(hazard, action))
    assert response.status_code == 200, text(response)[:500]
    assert 'id="action-form"' in text(response)


def test_actions_are_audited_with_their_reason(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    response = login(personas.town_a_supervisor).post(action_url(hazard, "reject"), {"reason": "照片不清晰"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_id=str(hazard.pk), action="hazard.reject")
    assert event.reason == "照片不清晰"


# --- the enterprise page's panel -----------------------------------------------------------------------------------


def test_enterprise_page_lists_its_open_hazards(personas):
    make_hazard(personas.enterprise_a, description="未销号的隐患", status=HazardStatus.RECTIFYING, overdue=True)
    make_hazard(personas.enterprise_a, description="已销号的隐患", status=HazardStatus.CLOSED)
    page = text(login(personas.enterprise_a_user).get(personas.enterprise_a.get_absolute_url()))
    assert 'id="hazards"' in page and "未销号的隐患" in page and "已销号的隐患" not in page
    assert f"?enterprise={personas.enterprise_a.pk}" in page


# --- the public 督办 page --------------------------------------------------------------------------------------------


def test_public_supervision_page_needs_no_login_and_shows_nothing_personal(personas):
    personas.enterprise_a.safety_principal_phone = "13912345678"
    personas.enterprise_a.save()
    make_hazard(personas.enterprise_a, description="储罐区可燃气体报警装置失效", level=HazardLevel.MAJOR,
                status=HazardStatus.RECTIFYING, supervision_level=SupervisionLevel.CITY,
                supervising_unit="东莞市应急管理局", supervision_target_date=dt.date(2026, 7, 1), listed_at=NOW,
                responsible="张三丰", found_by=personas.town_a_supervisor)
    make_hazard(personas.enterprise_a, description="已解除督办的隐患", level=HazardLevel.MAJOR,
                status=HazardStatus.CLOSED, supervision_level=SupervisionLevel.TOWN, supervising_unit="东城街道",
                listed_at=NOW, lifted_at=NOW)
    make_hazard(personas.enterprise_b, description="一般隐患不公示")
    response = Client().get(reverse("hazards:supervision_public"))
    assert response.status_code == 200
    page = text(response)
    for shown in (personas.enterprise_a.name, "储罐区可燃气体报警装置失效", "市级挂牌督办", "东莞市应急管理局",
                  "2026-07-01", "整改中", personas.town_a.name):
        assert shown in page, shown
    for hidden in ("已解除督办的隐患", "一般隐患不公示", "张三丰", "13912345678", "town_a_supervisor",
                   personas.enterprise_a.safety_principal):
        assert hidden not in page, hidden
    # No link into the system's hazard pages.
    assert 'href="/hazards/' not in page


def test_public_supervision_page_when_nothing_is_listed(db):
    response = Client().get(reverse("hazards:supervision_public"))
    assert response.status_code == 200 and "目前没有挂牌督办的重大事故隐患" in text(response)
