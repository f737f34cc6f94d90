"""Regions and parks over the API: read-only reference data, scoped like everything else."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from anjian.core.testing.personas import TOWN_A, TOWN_B
from anjian.regions.models import IndustrialPark

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def all_pages(client: APIClient, url: str) -> list[dict]:
    items = []
    while url:
        body = client.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


def test_region_by_code_and_subtree_filter(personas):
    client = client_for(personas.city_supervisor)
    town = client.get(f"/api/v1/regions/{TOWN_A}/").json()
    assert town["name"] == "东城街道" and town["level"] == "town"
    villages = all_pages(client, f"/api/v1/regions/?parent={TOWN_A}&level=village&page_size=500")
    assert villages and all(v["code"].startswith(TOWN_A[:9]) and v["parent"] == TOWN_A for v in villages)


def test_town_supervisor_sees_only_own_subtree(personas):
    client = client_for(personas.town_a_supervisor)
    codes = [region["code"] for region in all_pages(client, "/api/v1/regions/?page_size=500")]
    assert codes and all(code.startswith(TOWN_A[:9]) for code in codes)
    assert client.get(f"/api/v1/regions/{TOWN_B}/").status_code == 404
    assert client.get("/api/v1/regions/441900999999/").status_code == 404


def test_regions_are_read_only(personas):
    client = client_for(personas.city_admin)
    assert client.post("/api/v1/regions/", {"code": "441900999999"}, format="json").status_code == 405
    assert client.delete(f"/api/v1/regions/{TOWN_A}/").status_code == 405


def test_parks_are_scoped(personas):
    park_a = IndustrialPark.objects.create(name="东城测试园区", region=personas.town_a)
    park_b = IndustrialPark.objects.create(name="虎门测试园区", region=personas.town_b, is_chemical_park=True)
    client = client_for(personas.town_a_supervisor)
    assert [park["id"] for park in client.get("/api/v1/parks/").json()["results"]] == [park_a.pk]
    assert client.get(f"/api/v1/parks/{park_b.pk}/").status_code == 404
    city = client_for(personas.city_supervisor).get("/api/v1/parks/?is_chemical_park=true").json()
    names = [park["name"] for park in city["results"]]
    assert "虎门测试园区" in names and "东城测试园区" not in names


def test_enterprise_park_must_be_visible(personas):
    park_a = IndustrialPark.objects.create(name="东城测试园区", region=personas.town_a)
    park_b = IndustrialPark.objects.create(name="虎门测试园区", region=personas.town_b)
    client = client_for(personas.town_a_supervisor)
    url = f"/api/v1/enterprises/{personas.enterprise_a.pk}/"
    response = client.patch(url, {"park": park_b.pk}, format="json")
    assert response.status_code == 400 and response.json()["fields"]["park"]
    response = client.patch(url, {"park": park_a.pk}, format="json")
    assert response.status_code == 200 and response.json()["park_name"] == "东城测试园区"


def test_unknown_region_code_with_a_percent_sign_is_a_400_not_a_500(personas):
    # Found by schemathesis: django-filter formats filter errors with "%", so input must not be pre-formatted in.
    response = client_for(personas.city_supervisor).get("/api/v1/licences/", {"region": "44%25s%d"})
    assert response.status_code == 400
    assert "44%25s%d" in " ".join(response.json()["fields"]["region"])


@pytest.mark.parametrize("value", ["-4.868e+122", "99999999999999999999", "1.5", "abc"])
def test_record_id_filters_outside_the_integer_range_are_a_400(personas, value):
    # Found by schemathesis: a huge number overflowed the SQLite driver (500).
    client = client_for(personas.city_supervisor)
    for path in ("/api/v1/archives/", "/api/v1/licences/", "/api/v1/audit-events/"):
        response = client.get(path, {"enterprise": value})
        assert response.status_code == 400, (path, value)
        assert "enterprise" in response.json()["fields"]
