"""The hazard-unit API others rely on (issue 9 item 2): POST /api/v1/hazard-units/ answers s, is_major, r, level and
the working rows; bad input gets a 400 in Chinese (never a 500) and changes nothing."""

import json

import pytest

from anjian.core.testing.matrix import client_for
from anjian.hazchem.models import Chemical, HazardUnit, MajorHazard
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed_catalogue()
URL = "/api/v1/hazard-units/"


@pytest.fixture
def client(catalogue, personas):
    return client_for(personas.enterprise_a_user)


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def body_for(personas, chemicals, **extra):
    return {"enterprise": personas.enterprise_a.pk, "name": "液氯液氨罐区", "kind": "storage",
            "exposed_people": 120, "chemicals": chemicals, **extra}


def test_create_answers_the_working(client, personas):
    chlorine = Chemical.objects.get(name="氯")
    response = post(client, body_for(personas, [{"chemical": chlorine.pk, "max_quantity_t": "10"},
                                                {"name": "液氨", "max_quantity_kg": 20000}]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["s"], body["is_major"], body["r"], body["level"]) == ("4.0000", True, "24.0000", 3)
    assert [(row["name"], row["critical_quantity_t"], row["beta"]) for row in body["rows"]] == [
        ("氯", "5", "4"), ("氨", "10", "2")]
    assert body["registration"]["level"] == 3
    detail = client.get(f"{URL}{body['id']}/").json()
    assert detail["level"] == 3 and detail["rows"] == body["rows"] and detail["alpha"] == "2.0"


def test_patch_replaces_chemicals_and_regrades(client, personas):
    unit_id = post(client, body_for(personas, [{"name": "氯", "max_quantity_t": 10}])).json()["id"]
    response = client.patch(f"{URL}{unit_id}/", json.dumps({"chemicals": [{"name": "氯", "max_quantity_t": 1}]}),
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["is_major"] is False and response.json()["level"] is None
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.major_hazard is False


@pytest.mark.parametrize(("chemicals", "needle"), [
    ([{"name": "氯乙稀", "max_quantity_t": 1}], "相近的品名"),
    ([{"name": "氯", "max_quantity_t": -5}], ""),
    ([{"name": "氯", "max_quantity_t": "abc"}], ""),
    ([{"name": "氯", "max_quantity_t": 1, "max_quantity_kg": 1}], "只填写一种"),
    ("氯", ""),
    ([["氯", 1]], ""),
])
def test_bad_input_is_a_400_that_changes_nothing(client, personas, chemicals, needle):
    response = post(client, body_for(personas, chemicals))
    assert response.status_code == 400, response.content
    assert needle in json.dumps(response.json(), ensure_ascii=False)
    assert not HazardUnit.objects.exists()


def test_an_ambiguous_name_lists_candidates_in_the_answer(client, personas):
    Chemical.objects.create(catalogue_number=99001, sub_row=1, name="测试双名品")
    Chemical.objects.create(catalogue_number=99002, sub_row=1, name="测试双名品")
    response = post(client, body_for(personas, [{"name": "测试双名品", "max_quantity_t": 1}]))
    assert response.status_code == 400
    assert "99001" in response.json()["fields"]["chemicals"][0]


def test_the_working_fields_are_read_only(client, personas):
    unit_id = post(client, body_for(personas, [{"name": "氯", "max_quantity_t": 1}])).json()["id"]
    client.patch(f"{URL}{unit_id}/", json.dumps({"level": 1, "is_major": True, "s": "9"}),
                 content_type="application/json")
    unit = HazardUnit.objects.get(pk=unit_id)
    assert (unit.level, unit.is_major) == (None, False)


def test_major_hazard_register_takes_only_the_persons(client, personas):
    unit_id = post(client, body_for(personas, [{"name": "氯", "max_quantity_t": 10}])).json()["id"]
    registration = MajorHazard.objects.get(unit_id=unit_id)
    url = f"/api/v1/major-hazards/{registration.pk}/"
    response = client.patch(url, json.dumps({"principal_name": "李四", "technical_name": "王五",
                                             "operational_name": "赵六"}), content_type="application/json")
    assert response.status_code == 200 and response.json()["principal_name"] == "李四"
    client.patch(url, json.dumps({"level": 1, "registration_number": "X"}), content_type="application/json")
    registration.refresh_from_db()
    assert registration.level == 3 and registration.registration_number != "X"
    assert client.post("/api/v1/major-hazards/", json.dumps({"unit": unit_id}),
                       content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    assert MajorHazard.objects.filter(pk=registration.pk).exists()
