"""The sensor register in the permission matrix (issue 10 item 1): town B's sensors stay out of town A's lists,
exports, pages and API and cannot be changed from there; the department sees its domains only. Beyond the kit: an
enterprise user reaches only its own enterprise's sensors (not another enterprise of its own village), and
regulators, grid workers and experts read sensors but cannot create or change one, on the page or in the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import (
    Pair,
    PermissionMatrix,
    Surface,
    api_list_text,
    client_for,
    page_text,
    shown_text,
    snapshot,
)
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.monitoring.choices import SensorKind
from anjian.monitoring.models import Sensor

pytestmark = pytest.mark.django_db

API = "/api/v1/sensors/"


def sensor(enterprise, code: str, name: str) -> Sensor:
    return Sensor.objects.create(enterprise=enterprise, code=code, name=name, kind=SensorKind.LEVEL,
                                 unit_of_measure="m")


def other_enterprise(personas):
    """An enterprise of town A's village in a domain the department persona does not supervise."""
    return EnterpriseFactory(region=personas.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)


class TestSensorMatrix(PermissionMatrix):
    surfaces = (
        Surface("sensor", Sensor, "monitoring:sensor_list", "sensors", detail_url="monitoring:sensor_detail",
                edit_url="monitoring:sensor_edit", api_writable=True),
    )

    def make_pairs(self, personas):
        a = sensor(personas.enterprise_a, "LT-A01", "甲传感器标记")
        b = sensor(personas.enterprise_b, "LT-B02", "乙传感器标记")
        c = sensor(other_enterprise(personas), "LT-C03", "丙传感器标记")
        return {"sensor": Pair(a, b, ("甲传感器标记",), ("乙传感器标记",), c, ("丙传感器标记",))}


def test_an_enterprise_user_reaches_only_its_own_sensors(personas):
    own = sensor(personas.enterprise_a, "LT-A01", "甲传感器标记")
    neighbour = sensor(other_enterprise(personas), "LT-C03", "丙传感器标记")
    client = client_for(personas.enterprise_a_user)
    assert "甲传感器标记" in page_text(client.get(reverse("monitoring:sensor_list")))
    assert "丙传感器标记" not in shown_text(client.get(reverse("monitoring:sensor_list"), {"q": "丙传感器标记"}))
    assert "丙传感器标记" not in api_list_text(client, "sensors")
    assert client.get(reverse("monitoring:sensor_detail", args=[neighbour.pk])).status_code == 404
    assert client.get(f"{API}{neighbour.pk}/").status_code == 404
    before = snapshot(neighbour)
    assert client.post(reverse("monitoring:sensor_edit", args=[neighbour.pk]), {"name": "篡改"}).status_code == 404
    assert client.patch(f"{API}{neighbour.pk}/", json.dumps({"name": "篡改"}),
                        content_type="application/json").status_code == 404
    assert snapshot(neighbour) == before
    # Nor can it register a sensor for the neighbour, nor move its own there.
    add = reverse("monitoring:sensor_add")
    assert client.get(add, {"enterprise": neighbour.enterprise_id}).status_code in (403, 404)
    response = client.post(API, json.dumps({"code": "X-1", "name": "越权", "enterprise": neighbour.enterprise_id,
                                            "kind": "level", "unit": "m"}), content_type="application/json")
    assert response.status_code == 400 and "enterprise" in response.json()["fields"]
    response = client.patch(f"{API}{own.pk}/", json.dumps({"enterprise": neighbour.enterprise_id}),
                            content_type="application/json")
    assert response.status_code in (400, 403)
    assert Sensor.objects.get(pk=own.pk).enterprise_id == personas.enterprise_a.pk
    assert Sensor.objects.count() == 2


@pytest.mark.parametrize("persona", ("town_a_supervisor", "grid_worker_a", "expert_a", "department_a_supervisor",
                                     "city_supervisor"))
def test_who_must_not_create_or_change_a_sensor(personas, persona):
    """Only the enterprise (and the city administrator on its behalf) keeps its sensors; the others read them."""
    own = sensor(personas.enterprise_a, "LT-A01", "甲传感器标记")
    before = snapshot(own)
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("monitoring:sensor_detail", args=[own.pk])).status_code == 200
    assert client.get(f"{API}{own.pk}/").status_code == 200
    listed = page_text(client.get(reverse("monitoring:sensor_list")))
    assert "甲传感器标记" in listed and reverse("monitoring:sensor_add") not in listed
    body = {"enterprise": personas.enterprise_a.pk, "code": "X-1", "name": "越权", "kind": "level",
            "unit_of_measure": "m", "unit": "m", "interval_s": "10", "status": "active"}
    assert client.post(reverse("monitoring:sensor_add"), body).status_code == 403
    assert client.post(API, json.dumps(body), content_type="application/json").status_code == 403
    edit = reverse("monitoring:sensor_edit", args=[own.pk])
    assert client.post(edit, body | {"status": "retired"}).status_code in (403, 404)
    for method in ("put", "patch"):
        response = getattr(client, method)(f"{API}{own.pk}/", json.dumps(body | {"status": "retired"}),
                                           content_type="application/json")
        assert response.status_code in (403, 404), (method, response.status_code)
    assert Sensor.objects.count() == 1 and snapshot(own) == before


def test_the_city_administrator_registers_on_an_enterprises_behalf(personas):
    client = client_for(personas.city_admin)
    response = client.post(API, json.dumps({"enterprise": personas.enterprise_b.pk, "code": "FT-1", "kind": "flow",
                                            "unit": "m³/h"}), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Sensor.objects.get(pk=response.json()["id"]).enterprise == personas.enterprise_b
