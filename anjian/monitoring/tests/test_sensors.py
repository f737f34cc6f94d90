"""The sensor register (issue 10 item 1): thresholds strictly ordered (any subset) and within the range, the hazard
unit the enterprise's own, the code unique per enterprise and fit for an MQTT topic level, creation over the API,
and a change of status audited with who and what it was before and after."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import client_for, page_text
from anjian.hazchem.models import HazardUnit, UnitKind
from anjian.monitoring.choices import SensorKind, SensorStatus
from anjian.monitoring.models import Sensor
from anjian.monitoring.services import sensor_save

pytestmark = pytest.mark.django_db

API = "/api/v1/sensors/"


def unit_of(enterprise, name: str = "储罐区") -> HazardUnit:
    return HazardUnit.objects.create(enterprise=enterprise, name=name, kind=UnitKind.STORAGE)


def sensor(enterprise, **changes) -> Sensor:
    values = dict(enterprise=enterprise, code="LT-101", name="1号储罐液位", kind=SensorKind.LEVEL,
                  unit_of_measure="m")
    values.update(changes)
    return Sensor(**values)


def save(personas, **changes) -> Sensor:
    return sensor_save(actor=personas.enterprise_a_user, sensor=sensor(personas.enterprise_a, **changes))


def post(client, body):
    return client.post(API, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("thresholds", "field", "words"), [
    ({"high": Decimal("90"), "high_high": Decimal("80")}, "high", "高报（90）须低于高高报（80）。"),
    ({"low_low": Decimal("5"), "low": Decimal("5")}, "low_low", "低低报（5）须低于低报（5）。"),
    # Consecutive given ones are compared: 低报 against 高高报 when 高报 is left out.
    ({"low": Decimal("10"), "high_high": Decimal("2.5")}, "low", "低报（10）须低于高高报（2.5）。"),
])
def test_thresholds_out_of_order_are_refused_by_the_service_and_nothing_is_written(personas, thresholds, field,
                                                                                 words):
    with pytest.raises(ValidationError) as refused:
        save(personas, **thresholds)
    assert words in refused.value.message_dict[field]
    assert not Sensor.objects.exists() and not AuditEvent.objects.filter(action__startswith="sensor.").exists()


@pytest.mark.parametrize("thresholds", [
    {},
    {"high_high": Decimal("9")},
    {"low_low": Decimal("0.5"), "high_high": Decimal("9")},
    {"low": Decimal("1"), "high": Decimal("8")},
    {"low_low": Decimal("0.5"), "low": Decimal("1"), "high": Decimal("8"), "high_high": Decimal("9")},
])
def test_any_subset_of_thresholds_in_order_is_accepted(personas, thresholds):
    saved = save(personas, range_min=Decimal("0"), range_max=Decimal("10"), **thresholds)
    assert Sensor.objects.get().pk == saved.pk
    event = AuditEvent.objects.get(action="sensor.create")
    assert event.actor == personas.enterprise_a_user and event.enterprise_id == personas.enterprise_a.pk


def test_a_threshold_outside_the_range_and_a_reversed_range_are_refused(personas):
    with pytest.raises(ValidationError) as refused:
        save(personas, range_min=Decimal("0"), range_max=Decimal("10"), high_high=Decimal("12"))
    assert refused.value.message_dict["high_high"] == ["高高报（12）高于量程上限（10）。"]
    with pytest.raises(ValidationError) as refused:
        save(personas, range_min=Decimal("0"), range_max=Decimal("10"), low_low=Decimal("-1"))
    assert refused.value.message_dict["low_low"] == ["低低报（-1）低于量程下限（0）。"]
    with pytest.raises(ValidationError) as refused:
        save(personas, range_min=Decimal("10"), range_max=Decimal("10"))
    assert refused.value.message_dict["range_min"] == ["量程下限（10）须低于量程上限（10）。"]
    assert not Sensor.objects.exists()


def test_a_unit_of_another_enterprise_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        sensor_save(actor=personas.city_admin,
                    sensor=sensor(personas.enterprise_a, hazard_unit=unit_of(personas.enterprise_b)))
    assert refused.value.message_dict["hazard_unit"] == ["所选单元不属于该单位。"]
    own = save(personas, hazard_unit=unit_of(personas.enterprise_a))
    assert Sensor.objects.get().hazard_unit_id == own.hazard_unit_id


def test_the_code_is_unique_per_enterprise_only(personas):
    save(personas, code=" LT-101 ")
    assert Sensor.objects.get().code == "LT-101"
    with pytest.raises(ValidationError) as refused:
        save(personas, code="LT-101", name="另一个")
    assert "该单位已有此编码的传感器。" in str(refused.value)
    sensor_save(actor=personas.city_admin, sensor=sensor(personas.enterprise_b, code="LT-101"))
    assert Sensor.objects.filter(code="LT-101").count() == 2


@pytest.mark.parametrize(("code", "words"), [
    ("batch", "“batch”为网关批量上报保留，不能作为传感器编码。"),
    ("LT/101", "不能含“/”“+”“#”或空格"),
    ("LT+", "不能含“/”“+”“#”或空格"),
    ("LT 101", "不能含“/”“+”“#”或空格"),
    ("液位1", "只能包含字母、数字"),
])
def test_a_code_unfit_for_a_topic_level_is_refused(personas, code, words):
    with pytest.raises(ValidationError) as refused:
        save(personas, code=code)
    assert any(words in message for message in refused.value.message_dict["code"])
    assert not Sensor.objects.exists()


def test_the_form_refuses_thresholds_out_of_order_and_saves_good_ones(personas):
    client = client_for(personas.enterprise_a_user)
    unit = unit_of(personas.enterprise_a)
    page = reverse("monitoring:sensor_add") + f"?enterprise={personas.enterprise_a.pk}"
    form = client.get(page)
    assert form.status_code == 200 and "储罐区" in page_text(form)
    body = {"hazard_unit": unit.pk, "code": "PT-1", "name": "反应釜压力", "kind": "pressure",
            "unit_of_measure": "MPa", "range_min": "0", "range_max": "2.5", "high": "1.6", "high_high": "1.2",
            "interval_s": "10", "status": "active"}
    response = client.post(page, body)
    assert response.status_code == 200 and "高报（1.6）须低于高高报（1.2）。" in page_text(response)
    assert not Sensor.objects.exists()
    response = client.post(page, body | {"high_high": "2"})
    assert response.status_code == 302, page_text(response)[:2000]
    saved = Sensor.objects.get()
    assert (saved.enterprise, saved.hazard_unit, saved.high_high) == (personas.enterprise_a, unit, Decimal("2"))
    detail = page_text(client.get(saved.get_absolute_url()))
    assert "PT-1" in detail and "反应釜压力" in detail


def test_the_form_offers_only_the_enterprises_own_units(personas):
    unit_of(personas.enterprise_a, "甲单元标记")
    unit_of(personas.enterprise_b, "乙单元标记")
    page = reverse("monitoring:sensor_add") + f"?enterprise={personas.enterprise_a.pk}"
    text = page_text(client_for(personas.city_admin).get(page))
    assert "甲单元标记" in text and "乙单元标记" not in text


def test_an_enterprise_users_form_is_fixed_to_its_own_enterprise(personas):
    """From the sidebar (no ?enterprise=), an enterprise's person gets its own enterprise chosen and fixed, with its
    own units offered; a posted other enterprise is ignored (the field is disabled), never written."""
    unit_of(personas.enterprise_a, "甲单元标记")
    unit_of(personas.enterprise_b, "乙单元标记")
    client = client_for(personas.enterprise_a_user)
    form = client.get(reverse("monitoring:sensor_add"))
    text = page_text(form)
    assert form.status_code == 200 and "甲单元标记" in text and "乙单元标记" not in text
    assert f'<option value="{personas.enterprise_a.pk}" selected>' in form.content.decode()
    response = client.post(reverse("monitoring:sensor_add"), {
        "enterprise": personas.enterprise_b.pk, "code": "LT-9", "name": "液位", "kind": "level",
        "unit_of_measure": "m", "interval_s": "10", "status": "active"})
    assert response.status_code == 302, page_text(response)[:1000]
    assert Sensor.objects.get().enterprise == personas.enterprise_a


def test_an_enterprise_user_creates_a_sensor_over_the_api(personas):
    client = client_for(personas.enterprise_a_user)
    unit = unit_of(personas.enterprise_a)
    response = post(client, {"code": "GT-7", "enterprise": personas.enterprise_a.pk, "kind": "combustible_gas",
                             "unit": "%LEL", "hazard_unit": unit.pk, "high": "25", "high_high": "50",
                             "interval_s": 5})
    assert response.status_code == 201, response.content
    created = Sensor.objects.get(pk=response.json()["id"])
    assert (created.unit_of_measure, created.hazard_unit, created.high, created.interval_s) == (
        "%LEL", unit, Decimal("25"), 5)
    assert created.name == "可燃气体传感器" and created.status == SensorStatus.ACTIVE
    shown = client.get(f"{API}{created.pk}/").json()
    assert shown["unit"] == "%LEL" and shown["hazard_unit"] == unit.pk and shown["enterprise"] == created.enterprise_id


def test_the_api_refuses_bad_thresholds_and_codes_in_chinese_and_writes_nothing(personas):
    client = client_for(personas.enterprise_a_user)
    body = {"code": "TT-1", "enterprise": personas.enterprise_a.pk, "kind": "temperature", "unit": "℃",
            "name": "反应温度", "high": "90", "high_high": "80"}
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["fields"]["high"] == ["高报（90）须低于高高报（80）。"]
    response = post(client, body | {"high_high": "120", "code": "batch"})
    assert response.status_code == 400 and "网关批量上报保留" in response.json()["fields"]["code"][0]
    response = post(client, body | {"high_high": "120", "interval_s": 0})
    assert response.status_code == 400 and "interval_s" in response.json()["fields"]
    response = post(client, body | {"high_high": "120", "hazard_unit": unit_of(personas.enterprise_b).pk})
    assert response.status_code == 400 and "hazard_unit" in response.json()["fields"]
    assert not Sensor.objects.exists()


def test_a_change_of_status_is_audited_with_actor_before_and_after(personas):
    saved = save(personas)
    client = client_for(personas.enterprise_a_user)
    response = client.patch(f"{API}{saved.pk}/", json.dumps({"status": "maintenance", "reason": "更换探头"}),
                            content_type="application/json")
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action="sensor.update")
    assert event.actor == personas.enterprise_a_user and event.reason == "更换探头"
    assert event.data["status"] == {"before": "active", "after": "maintenance"}
    assert event.data["fields"] == ["status"] and event.object_id == str(saved.pk)
    # A change that leaves the status alone says nothing about it.
    stored = Sensor.objects.get()
    stored.note = "探头已更换"
    sensor_save(actor=personas.city_admin, sensor=stored)
    latest = AuditEvent.objects.filter(action="sensor.update").order_by("-id").first()
    assert latest.actor == personas.city_admin and "status" not in latest.data


def test_the_form_without_a_preselected_enterprise_takes_the_unit_of_the_one_chosen(personas):
    unit = unit_of(personas.enterprise_a, "甲单元标记")
    other = unit_of(personas.enterprise_b, "乙单元标记")
    client = client_for(personas.city_admin)
    page = reverse("monitoring:sensor_add")
    body = {"enterprise": personas.enterprise_a.pk, "hazard_unit": other.pk, "code": "LT-1", "name": "液位",
            "kind": "level", "unit_of_measure": "m", "interval_s": "10", "status": "active"}
    response = client.post(page, body)
    assert response.status_code == 200 and not Sensor.objects.exists()
    response = client.post(page, body | {"hazard_unit": unit.pk})
    assert response.status_code == 302, page_text(response)[:2000]
    assert Sensor.objects.get().hazard_unit == unit


def test_the_list_shows_thresholds_as_typed_and_exports_them(personas):
    save(personas, high=Decimal("90"), high_high=Decimal("95.5"))
    client = client_for(personas.town_a_supervisor)
    text = page_text(client.get(reverse("monitoring:sensor_list")))
    assert "LT-101" in text and ">90<" in text.replace(" ", "") and "95.5" in text and "90.0000" not in text
    response = client.get(reverse("monitoring:sensor_list"), {"export": "xlsx"})
    assert response.status_code == 200
