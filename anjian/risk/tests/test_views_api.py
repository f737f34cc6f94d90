"""The enterprise's journey through the pages and the API (issue 9 items 4 and 6): register a unit, add a measure with
a check cycle, assess it (a bad value is refused on the form and over the API with a Chinese message, writing
nothing), print its 风险告知卡, check the measure; and the register's .xlsx import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core import importing as core_importing
from anjian.core.testing.matrix import client_for, page_text
from anjian.hazards.models import Hazard
from anjian.risk import importing
from anjian.risk.models import ControlMeasure, RiskAssessment, RiskUnit

pytestmark = pytest.mark.django_db


def test_the_enterprise_keeps_assesses_and_prints_a_unit(personas):
    client = client_for(personas.enterprise_a_user)
    response = client.post(reverse("risk:riskunit_add"), {
        "enterprise": personas.enterprise_a.pk, "name": "液氨储罐区", "kind": "area", "location": "厂区东侧",
        "control_level": "company", "responsible_person": "张三", "hazard_factors": "液氨泄漏",
        "accident_types": "中毒和窒息、火灾、爆炸", "emergency_measures": "启动喷淋，向上风向撤离",
        "emergency_phone": "0769-12345678", "warning_signs": "当心中毒、禁止烟火"})
    assert response.status_code == 302, page_text(response)[:400]
    unit = RiskUnit.objects.get(name="液氨储罐区")
    response = client.post(reverse("risk:controlmeasure_add") + f"?unit={unit.pk}", {
        "unit": unit.pk, "kind": "engineering", "description": "设置氨气泄漏报警仪并与喷淋联锁", "level": "workshop",
        "responsible": "李四", "check_cycle": "daily", "check_content": "报警仪显示正常、喷淋阀处于自动位"})
    assert response.status_code == 302, page_text(response)[:400]
    measure = ControlMeasure.objects.get(unit=unit)
    assert measure.enterprise == personas.enterprise_a

    assess = reverse("risk:riskunit_assess", args=[unit.pk])
    response = client.post(assess, {"method": "LEC", "l_lec": "6", "e": "6"})
    assert response.status_code == 200 and "请填写后果C" in page_text(response)
    assert not RiskAssessment.objects.exists()
    response = client.post(assess, {"method": "LEC", "l_lec": "6", "e": "6", "c": "15"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.colour == "red"
    detail = page_text(client.get(unit.get_absolute_url()))
    assert "重大风险（红）" in detail and "设置氨气泄漏报警仪并与喷淋联锁" in detail
    panel = page_text(client.get(personas.enterprise_a.get_absolute_url()))
    assert "液氨储罐区" in panel and "重大风险（红）" in panel

    card = client.get(reverse("risk:riskunit_card", args=[unit.pk]))
    assert card["Content-Type"] == "application/pdf" and card.content.startswith(b"%PDF")
    # The packaged font is embedded (a subset of it): the card renders CJK without system fonts.
    assert b"FontFile3" in card.content or b"FontFile2" in card.content

    assert "报警仪显示正常" in page_text(client.get(reverse("risk:check_items")))
    # The check item is due with the enterprise's self-inspections too (the 开始自查 page), not only on its own list.
    start = page_text(client.get(reverse("hazards:selfinspection_add")))
    assert "管控检查项" in start and "报警仪显示正常" in start
    enterprise_b_user = User.objects.create_user("enterprise_b_user", role=Role.ENTERPRISE_USER,
                                                 enterprise=personas.enterprise_b)
    for other in (enterprise_b_user, personas.grid_worker_a):
        assert "报警仪显示正常" not in page_text(client_for(other).get(reverse("hazards:selfinspection_add")))
    response = client.post(reverse("risk:controlmeasure_check", args=[measure.pk]),
                           {"result": "fail", "note": "报警仪无显示"})
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    assert "报警仪无显示" in hazard.description and hazard.enterprise == personas.enterprise_a
    assert "报警仪显示正常" not in page_text(client.get(reverse("risk:check_items")))
    start = page_text(client.get(reverse("hazards:selfinspection_add")))
    assert "报警仪显示正常" not in start and "本周期的管控措施均已检查" in start


def test_the_api_assesses_and_refuses_bad_values_in_chinese(personas):
    unit = RiskUnit.objects.create(enterprise=personas.enterprise_a, name="冲压机", kind="installation")
    client = client_for(personas.enterprise_a_user)
    url = f"/api/v1/risk-units/{unit.pk}/assess/"
    response = client.post(url, {"method": "LEC", "l": 5, "e": 6, "c": 15}, content_type="application/json")
    assert response.status_code == 400
    assert "不在LEC取值表中" in " ".join(response.json()["fields"]["l"])
    response = client.post(url, {"method": "LS", "l": 2, "s": 9}, content_type="application/json")
    assert response.status_code == 400 and "应为1至5的整数" in " ".join(response.json()["fields"]["s"])
    assert not RiskAssessment.objects.exists()
    response = client.post(url, {"method": "LS", "l": 4, "s": 4}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["colour"] == "orange" and response.json()["scheme"] == "LS-A"
    assert client.get(f"/api/v1/risk-units/{unit.pk}/").json()["colour"] == "orange"


def _register(rows: list[list[str]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([column.label for column in importing.COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("风险点清单.xlsx", buffer.getvalue())


def _import(actor, rows):
    upload = _register(rows)
    return importing.commit(actor=actor, handle=upload, extension=core_importing.check_upload(upload))


def test_the_register_imports_all_or_nothing_and_updates_by_name(personas):
    user = personas.enterprise_a_user
    uscc = personas.enterprise_a.uscc
    good = [uscc, "配电房", "场所区域", "一号厂房", "车间级", "王五", "绝缘老化", "触电", "断电", "110", "当心触电"]
    bad = [personas.enterprise_b.uscc, "叉车作业", "作业活动"]
    result = _import(user, [good, bad])
    assert [error.column for error in result.errors] == ["统一社会信用代码"]
    assert not RiskUnit.objects.exists()
    result = _import(user, [good])
    assert not result.errors
    unit = RiskUnit.objects.get(name="配电房")
    assert (unit.control_level, unit.enterprise) == ("workshop", personas.enterprise_a)
    _import(user, [[*good[:3], "二号厂房"]])
    unit.refresh_from_db()
    assert unit.location == "二号厂房" and RiskUnit.objects.count() == 1


def test_the_import_pages_are_for_who_keeps_a_register(personas):
    client = client_for(personas.enterprise_a_user)
    assert client.get(reverse("risk:riskunit_import")).status_code == 200
    template = client.get(reverse("risk:riskunit_import_template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
    assert "riskunit-import-link" in client.get(reverse("risk:riskunit_list")).content.decode()
    town = client_for(personas.town_a_supervisor)
    assert town.get(reverse("risk:riskunit_import")).status_code == 403
    assert "riskunit-import-link" not in town.get(reverse("risk:riskunit_list")).content.decode()
