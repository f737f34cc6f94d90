"""The hazards API, held to issue 8's "Interfaces others rely on": the names, the statuses, the status codes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from PIL import Image
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

HAZARDS = "/api/v1/hazards/"
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _setting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 160, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("整改后.jpg", buffer.getvalue(), content_type="image/jpeg")


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    for name in fields:
        assert body["fields"].get(name), body
    return body


def fresh(hazard: Hazard) -> Hazard:
    return Hazard.objects.get(pk=hazard.pk)


# --- creating and reading -------------------------------------------------------------------------------------------


def test_post_creates_a_reported_hazard(personas):
    response = client_for(personas.grid_worker_a).post(HAZARDS, {
        "enterprise": personas.enterprise_a.pk, "description": "配电箱门未关闭", "level": "general",
        "source": "grid", "place": "一号车间",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "reported" and body["overdue"] is False and isinstance(body["id"], int)
    hazard = Hazard.objects.get(pk=body["id"])
    assert hazard.found_by == personas.grid_worker_a and hazard.place == "一号车间"
    assert AuditEvent.objects.filter(object_id=str(hazard.pk), action="hazard.create").exists()


def test_post_without_place_and_with_every_source(personas):
    client = client_for(personas.town_a_supervisor)
    for source in ("self_inspection", "inspection", "grid", "public_report", "alarm", "other"):
        response = client.post(HAZARDS, {"enterprise": personas.enterprise_a.pk, "description": "隐患",
                                          "level": "major", "source": source}, format="json")
        assert response.status_code == 201, response.content
        assert response.json()["level"] == "major" and response.json()["source"] == source


@pytest.mark.parametrize(("payload", "field"), [
    ({"level": "huge"}, "level"),
    ({"source": "rumour"}, "source"),
    ({"description": ""}, "description"),
    ({"enterprise": 987654321}, "enterprise"),
    ({"enterprise": "abc"}, "enterprise"),
])
def test_post_refuses_bad_input(personas, payload, field):
    body = {"enterprise": personas.enterprise_a.pk, "description": "隐患", "level": "general", "source": "grid",
            **payload}
    assert_error(client_for(personas.town_a_supervisor).post(HAZARDS, body, format="json"), 400, field)
    assert not Hazard.objects.exists()


def test_post_for_another_towns_enterprise_is_like_a_missing_one(personas):
    client = client_for(personas.town_a_supervisor)
    other = client.post(HAZARDS, {"enterprise": personas.enterprise_b.pk, "description": "隐患", "level": "general",
                                  "source": "inspection"}, format="json")
    missing = client.post(HAZARDS, {"enterprise": 987654321, "description": "隐患", "level": "general",
                                    "source": "inspection"}, format="json")
    assert_error(other, 400, "enterprise")
    assert other.json()["fields"]["enterprise"][0].startswith("单位不存在")
    assert missing.json()["fields"]["enterprise"][0].startswith("单位不存在")
    assert not Hazard.objects.exists()


def test_experts_cannot_report(personas):
    response = client_for(personas.expert_a).post(HAZARDS, {
        "enterprise": personas.enterprise_a.pk, "description": "隐患", "level": "general", "source": "other"},
        format="json")
    assert_error(response, 403)


def test_list_filters_by_enterprise_status_and_overdue(personas):
    overdue = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, overdue=True, description="逾期隐患甲")
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, description="按期隐患乙")
    make_hazard(personas.enterprise_a, description="新报隐患丙")
    client = client_for(personas.city_supervisor)

    def ids(params):
        response = client.get(HAZARDS, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids({"enterprise": personas.enterprise_a.pk, "status": "rectifying", "overdue": "true"}) == {overdue.pk}
    assert len(ids({"status": "rectifying", "overdue": "false"})) == 1
    assert len(ids({"enterprise": personas.enterprise_a.pk})) == 3
    assert ids({"enterprise": personas.enterprise_b.pk}) == set()


@pytest.mark.parametrize(("params", "field"), [
    ({"overdue": "maybe"}, "overdue"), ({"overdue": "1"}, "overdue"), ({"status": "lost"}, "status"),
    ({"enterprise": "abc"}, "enterprise"), ({"listed": "yes"}, "listed"),
])
def test_list_refuses_bad_filters(personas, params, field):
    assert_error(client_for(personas.city_supervisor).get(HAZARDS, params), 400, field)


def test_town_user_gets_404_for_another_towns_hazard(personas):
    hazard = make_hazard(personas.enterprise_b, status=HazardStatus.RECTIFIED)
    client = client_for(personas.town_a_supervisor)
    assert_error(client.get(f"{HAZARDS}{hazard.pk}/"), 404)
    response = client.post(f"{HAZARDS}{hazard.pk}/verify/", {"note": "合格"}, format="json")
    missing = client.post(f"{HAZARDS}987654321/verify/", {"note": "合格"}, format="json")
    assert_error(response, 404)
    assert response.json() == missing.json()
    assert fresh(hazard).status == HazardStatus.RECTIFIED


# --- the actions ------------------------------------------------------------------------------------------------


def test_the_lifecycle_through_the_interface(personas):
    enterprise = client_for(personas.enterprise_a_user)
    town = client_for(personas.town_a_supervisor)
    hazard = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    url = f"{HAZARDS}{hazard.pk}"

    response = enterprise.post(f"{url}/assign/", {
        "measures": "更换门锁", "responsible": "李四", "funds": "800.00", "deadline": "2026-06-10",
        "interim_measures": "设置警戒线"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rectifying" and response.json()["deadline"] == "2026-06-10"

    response = town.post(f"{url}/list-supervision/", {"level": "town", "target_date": "2026-07-01"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["supervision_level"] == "town" and body["supervision_target_date"] == "2026-07-01"
    assert body["supervising_unit"] == personas.town_a.name and body["listed"] is True

    response = enterprise.post(f"{url}/rectify/", {"description": "已更换门锁", "attachments": [photo()]},
                               format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rectified" and response.json()["rectification"] == "已更换门锁"

    # The enterprise may not close a 重大隐患: 403, nothing changed.
    assert_error(enterprise.post(f"{url}/verify/", {"note": "自验合格"}, format="json"), 403)
    assert fresh(hazard).status == HazardStatus.RECTIFIED

    response = town.post(f"{url}/verify/", {"note": "现场核实"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed" and response.json()["verification_note"] == "现场核实"

    response = town.post(f"{url}/lift-supervision/", {"reason": "已整改验收"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["listed"] is False and response.json()["lifted_at"]
    actions = list(AuditEvent.objects.filter(object_id=str(hazard.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["hazard.assign", "hazard.list_supervision", "hazard.rectify", "hazard.verify",
                       "hazard.lift_supervision"]


def test_reject_and_extend(personas):
    town = client_for(personas.town_a_supervisor)
    rectified = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED)
    assert_error(town.post(f"{HAZARDS}{rectified.pk}/reject/", {}, format="json"), 400, "reason")
    response = town.post(f"{HAZARDS}{rectified.pk}/reject/", {"reason": "照片不清晰"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rectifying"

    rectifying = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=TODAY)
    url = f"{HAZARDS}{rectifying.pk}/extend/"
    assert_error(town.post(url, {"deadline": "2026-07-01"}, format="json"), 400, "reason")
    assert_error(town.post(url, {"deadline": "2026-05-01", "reason": "采购"}, format="json"), 400, "deadline")
    assert_error(town.post(url, {"deadline": "01/07/2026", "reason": "采购"}, format="json"), 400, "deadline")
    response = town.post(url, {"deadline": "2026-07-01", "reason": "采购"}, format="json")
    assert response.status_code == 200 and response.json()["deadline"] == "2026-07-01"


def test_request_extension_speaks_deadline(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=TODAY)
    response = client_for(personas.enterprise_a_user).post(
        f"{HAZARDS}{hazard.pk}/request-extension/", {"deadline": "2026-06-20", "reason": "设备到货延迟"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["requested_deadline"] == "2026-06-20"


def test_an_illegal_transition_is_409_and_changes_nothing(personas):
    hazard = make_hazard(personas.enterprise_a)
    before = fresh(hazard).updated
    response = client_for(personas.town_a_supervisor).post(f"{HAZARDS}{hazard.pk}/verify/", {"note": "x"},
                                                           format="json")
    body = assert_error(response, 409)
    assert body["code"] == "illegal_transition" and "下达整改" in body["message"]
    assert fresh(hazard).status == HazardStatus.REPORTED and fresh(hazard).updated == before
    assert not AuditEvent.objects.filter(object_id=str(hazard.pk)).exists()


def test_rectify_without_evidence_is_400(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING)
    response = client_for(personas.enterprise_a_user).post(f"{HAZARDS}{hazard.pk}/rectify/", {"description": "已整改"},
                                                           format="json")
    assert_error(response, 400, "attachments")
    assert fresh(hazard).status == HazardStatus.RECTIFYING


def test_listing_refusals(personas):
    general = make_hazard(personas.enterprise_a)
    major = make_hazard(personas.enterprise_a, level=HazardLevel.MAJOR)
    town = client_for(personas.town_a_supervisor)
    body = {"level": "town", "target_date": "2026-07-01"}
    assert_error(town.post(f"{HAZARDS}{general.pk}/list-supervision/", body, format="json"), 400)
    assert_error(town.post(f"{HAZARDS}{major.pk}/list-supervision/", {**body, "level": "city"}, format="json"), 403)
    assert_error(town.post(f"{HAZARDS}{major.pk}/list-supervision/", {**body, "level": "county"}, format="json"), 400,
                 "level")
    assert not fresh(major).listed
    city_listed = make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED, level=HazardLevel.MAJOR,
                              supervision_level=SupervisionLevel.CITY, supervising_unit="东莞市应急管理局",
                              listed_at=NOW)
    assert_error(town.post(f"{HAZARDS}{city_listed.pk}/lift-supervision/", {"reason": "已验收"}, format="json"), 403)
    assert fresh(city_listed).listed


def test_anonymous_is_refused(db):
    assert client_for(None).get(HAZARDS).status_code in (401, 403)


# --- the schema speaks the interface ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    with translation.override("zh-hans"):
        return SchemaGenerator().get_schema(request=None, public=True)


def body_properties(schema, path: str) -> set[str]:
    ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"])


@pytest.mark.parametrize(("action", "names"), [
    ("assign", {"measures", "responsible", "funds", "deadline", "interim_measures"}),
    ("rectify", {"description", "attachments"}),
    ("verify", {"note"}),
    ("reject", {"reason"}),
    ("extend", {"deadline", "reason"}),
    ("list-supervision", {"level", "target_date"}),
    ("lift-supervision", {"reason"}),
])
def test_schema_shows_the_interface_names(schema, action, names):
    properties = body_properties(schema, f"/api/v1/hazards/{{id}}/{action}/")
    assert names <= properties, properties
    assert not properties & {"rectification", "verification_note", "supervision_level", "supervision_target_date"}


def test_schema_of_the_collection(schema):
    operation = schema["paths"]["/api/v1/hazards/"]
    parameters = {p["name"] for p in operation["get"]["parameters"]}
    assert {"enterprise", "status", "overdue"} <= parameters
    assert operation["post"]["tags"] == ["hazards"]
    assert schema["paths"]["/api/v1/hazards/{id}/list-supervision/"]["post"]["summary"] == "挂牌督办"
