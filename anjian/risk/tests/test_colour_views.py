"""The colour pages and API (issue 9 item 5): the interface `GET /api/v1/risk-colours/?region=<code>`, the map's
points (reds first, never more than the limit, a bad box refused), the ranking with its export, and the enterprise
page's panel with every reason and the 重新计算 button for those who may use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text, xlsx_text
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.risk import selectors_colours, services_colours
from anjian.risk.models import RiskUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(personas):
    p = personas
    RiskUnit.objects.create(enterprise=p.enterprise_a, name="喷涂车间", kind="area", colour="red")
    p.enterprise_a.latitude, p.enterprise_a.longitude = "23.020000", "113.750000"
    p.enterprise_a.dust_explosion = True
    p.enterprise_a.save()
    for n in range(3):
        EnterpriseFactory(region=p.village_a, name=f"东城蓝{n}号厂", latitude="23.03", longitude=f"113.7{n}")
    services_colours.recompute_all()
    return p


def test_the_api_lists_colours_in_a_subtree_with_reasons(city):
    client = client_for(city.city_supervisor)
    body = client.get("/api/v1/risk-colours/", {"region": city.village_a.code}).json()
    rows = {row["enterprise"]: row for row in body["results"]}
    assert city.enterprise_b.pk not in rows and len(rows) == 4
    row = rows[city.enterprise_a.pk]
    assert row["colour"] == "red" and row["inherent"] == "red"
    assert row["reasons"][0] == {"code": "worst_unit", "text": "1 个已评估风险点中最高为红色", "from": "",
                                 "to": "red", "stage": "inherent"}
    assert row["reasons"][1]["code"] == "dust_explosion" and (row["reasons"][1]["from"], row["reasons"][1]["to"]) == (
        "red", "red")
    town_b = client.get("/api/v1/risk-colours/", {"region": city.town_b.code}).json()["results"]
    assert [row["enterprise"] for row in town_b] == [city.enterprise_b.pk]
    assert client.get("/api/v1/risk-colours/", {"region": "abc"}).status_code == 400
    town = client.get(f"/api/v1/region-colours/{city.town_a.code}/").json()
    assert (town["colour"], town["red"], town["blue"]) == ("red", 1, 3)


def test_map_points_reds_first_within_the_limit(city, monkeypatch):
    client = client_for(city.town_a_supervisor)
    url = reverse("risk:colour_map_points")
    body = client.get(url, {"region": city.town_a.code}).json()
    assert [point[4] for point in body["points"]] == ["red", "blue", "blue", "blue"]
    monkeypatch.setattr(selectors_colours, "MAP_POINT_LIMIT", 2)
    body = client.get(url).json()
    assert body["truncated"] is True and [point[4] for point in body["points"]] == ["red", "blue"]
    # The viewport: only what lies in the box.
    body = client.get(url, {"bbox": "113.745,23.0,113.755,23.025"}).json()
    assert [point[3] for point in body["points"]] == [city.enterprise_a.name]
    for bad in ("1,2,3", "a,b,c,d", "114,23,113,22"):
        assert client.get(url, {"bbox": bad}).status_code == 400, bad


def test_map_and_ranking_pages(city):
    client = client_for(city.city_supervisor)
    assert "colour-map-config" in page_text(client.get(reverse("risk:colour_map")))
    regions = client.get(reverse("risk:colour_map_regions")).json()
    labels = [f for f in regions["features"] if f["properties"]["kind"] == "label"]
    assert labels
    ranking = page_text(client.get(reverse("risk:colour_ranking")))
    assert city.town_a.name in ranking and city.village_a.name not in ranking  # towns by default
    villages = page_text(client.get(reverse("risk:colour_ranking"), {"region": city.town_a.code, "level": "village"}))
    assert city.village_a.name in villages
    export = xlsx_text(client.get(reverse("risk:colour_ranking"), {"export": "xlsx"}))
    assert city.town_a.name in export and "重大风险（红）" in export
    listed = xlsx_text(client.get(reverse("risk:enterprisecolour_list"), {"export": "xlsx", "colour": "red"}))
    assert city.enterprise_a.name in listed and "东城蓝0号厂" not in listed


def test_the_enterprise_page_shows_the_colour_and_its_reasons(city):
    url = reverse("enterprises:enterprise_detail", args=[city.enterprise_a.pk])
    recompute = reverse("risk:colour_recompute", args=[city.enterprise_a.pk])
    page = page_text(client_for(city.town_a_supervisor).get(url))
    assert "1 个已评估风险点中最高为红色" in page and "粉尘涉爆：至少为黄色" in page and recompute in page
    own = page_text(client_for(city.enterprise_a_user).get(url))
    assert "1 个已评估风险点中最高为红色" in own and recompute not in own
    response = client_for(city.town_a_supervisor).post(recompute)
    assert response.status_code == 302 and response["Location"].endswith("#risk-colour")
