"""Home dashboard and enterprise map: counts and points stay inside the user's jurisdiction."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(personas):
    """Besides the personas' two enterprises: one major-hazard 危化 site in town B, one 三小场所 in town A."""
    EnterpriseFactory(
        region=personas.village_b, name="虎门危化重大危险源公司", major_hazard=True,
        domain=SupervisionDomain.HAZARDOUS_CHEMICALS, latitude=Decimal("22.820000"), longitude=Decimal("113.670000"),
    )
    EnterpriseFactory(region=personas.village_a, name="东城小档口", small_venue=True, domain=SupervisionDomain.COMMERCE)
    soon = timezone.localdate() + dt.timedelta(days=5)
    LicenceFactory(enterprise=personas.enterprise_a, valid_from=soon - dt.timedelta(days=365), valid_to=soon)
    LicenceFactory(enterprise=personas.enterprise_b, valid_from=soon - dt.timedelta(days=365), valid_to=soon)
    return personas


def points_of(client, **params) -> dict:
    response = client.get(reverse("map_points"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_town_supervisor_home_counts_only_their_town(client, city):
    client.force_login(city.town_a_supervisor)
    response = client.get(reverse("home"))

    assert response.status_code == 200
    totals = {card["label"]: card["count"] for card in response.context["cards"]}
    assert totals == {"生产经营单位": 2, "危险化学品重大危险源": 0, "三小场所": 1, "证照到期预警单位": 1}
    assert [row["count"] for row in response.context["expiring"]] == [1, 0, 0]
    assert response.context["towns"] == [{"code": city.town_a.code, "name": "东城街道", "count": 2}]
    assert {row["label"]: row["count"] for row in response.context["domains"]} == {"工贸-机械": 1, "工贸-商贸": 1}
    # One town in reach: the chart breaks it down by village, each bar linking to that village's list.
    assert response.context["area_title"] == "各村（社区）生产经营单位数量"
    areas = response.context["chart_data"]["areas"]
    assert [(row["code"], row["count"]) for row in areas] == [(city.village_a.code, 2)]
    assert areas[0]["url"] == f"{reverse('enterprises:enterprise_list')}?region={city.village_a.code}"
    content = response.content.decode()
    assert "虎门" not in content
    assert 'id="dashboard-data"' in content
    # home.js draws into these two elements.
    assert 'id="chart-areas"' in content and 'id="chart-domains"' in content
    assert "各村（社区）生产经营单位数量" in content


def test_city_supervisor_home_counts_every_town(client, city):
    client.force_login(city.city_supervisor)
    response = client.get(reverse("home"))

    totals = {card["label"]: card["count"] for card in response.context["cards"]}
    assert totals == {"生产经营单位": 4, "危险化学品重大危险源": 1, "三小场所": 1, "证照到期预警单位": 2}
    assert {row["name"]: row["count"] for row in response.context["towns"]} == {"东城街道": 2, "虎门镇": 2}
    assert response.context["area_title"] == "各镇街生产经营单位数量"
    urls = {row["name"]: row["url"] for row in response.context["chart_data"]["areas"]}
    assert urls["虎门镇"] == f"{reverse('enterprises:enterprise_list')}?region={city.town_b.code}"
    domains = {row["domain"]: row for row in response.context["domains"]}
    assert domains["hazchem"]["label"] == "危险化学品"


def test_home_counts_come_from_a_fixed_number_of_queries(client, city, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(10, region=city.village_a)
    client.force_login(city.city_supervisor)
    # Session, user, four aggregates, town names, the hazard cards' two sums: more enterprises never means more
    # queries.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.context["cards"][0]["count"] == 14


def test_enterprise_user_home_shows_its_own_enterprise(client, city):
    client.force_login(city.enterprise_a_user)
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["enterprise"] == city.enterprise_a
    assert len(response.context["warnings"]) == 1
    content = response.content.decode()
    assert city.enterprise_a.name in content
    assert city.enterprise_b.name not in content


def test_town_supervisor_map_points_only_their_town(client, city):
    client.force_login(city.town_a_supervisor)
    body = points_of(client)

    ids = {point[2] for point in body["points"]}
    assert city.enterprise_a.pk in ids
    assert city.enterprise_b.pk not in ids
    assert body["count"] == len(body["points"]) == 2
    names = {point[3] for point in body["points"]}
    assert names == {"东城甲企业有限公司", "东城小档口"}
    lat, lng, _id, _name, major = body["points"][0]
    assert isinstance(lat, float) and isinstance(lng, float) and major is False


def test_map_points_filter_like_the_list(client, city):
    client.force_login(city.city_supervisor)
    assert points_of(client)["count"] == 4
    major = points_of(client, major_hazard="true")
    assert [point[3] for point in major["points"]] == ["虎门危化重大危险源公司"]
    assert major["points"][0][:2] == [22.82, 113.67]
    assert major["points"][0][4] is True
    assert points_of(client, domain="commerce")["count"] == 1
    assert points_of(client, region=city.town_b.code)["count"] == 2
    assert points_of(client, q="东城甲")["count"] == 1
    # A town supervisor asking for another town's subtree gets nothing, not that town's points.
    client.force_login(city.town_a_supervisor)
    assert points_of(client, region=city.town_b.code)["count"] == 0


def test_map_points_leave_out_enterprises_without_coordinates(client, city):
    EnterpriseFactory(region=city.village_a, name="无坐标企业", latitude=None, longitude=None)
    client.force_login(city.town_a_supervisor)
    assert "无坐标企业" not in {point[3] for point in points_of(client)["points"]}


def test_map_points_bad_filter_is_a_clear_400(client, city):
    client.force_login(city.city_supervisor)
    response = client.get(reverse("map_points"), {"region": "999999999999", "domain": "nonsense"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "筛选条件有误。"
    assert "未知的行政区划代码" in " ".join(body["fields"]["region"])
    assert "domain" in body["fields"]


def test_enterprise_user_gets_only_its_own_point(client, city):
    client.force_login(city.enterprise_a_user)
    body = points_of(client)
    assert [point[2] for point in body["points"]] == [city.enterprise_a.pk]
    assert points_of(client, region=city.town_b.code)["count"] == 0


def test_town_labels_and_city_outline(client, city):
    client.force_login(city.town_a_supervisor)
    response = client.get(reverse("map_towns"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    features = response.json()["features"]
    labels = [feature["properties"]["name"] for feature in features if feature["properties"]["kind"] == "label"]
    assert labels == ["东城街道"]
    kinds = {feature["properties"]["kind"] for feature in features}
    assert "city" in kinds

    client.force_login(city.city_supervisor)
    features = client.get(reverse("map_towns")).json()["features"]
    labels = {feature["properties"]["name"] for feature in features if feature["properties"]["kind"] == "label"}
    assert {"东城街道", "虎门镇"} <= labels

    client.force_login(city.enterprise_a_user)
    features = client.get(reverse("map_towns")).json()["features"]
    assert [feature for feature in features if feature["properties"]["kind"] == "label"] == []


def test_map_still_works_without_city_outline(client, city, monkeypatch):
    monkeypatch.setattr("anjian.dashboard.selectors.city_outline", lambda: None)
    client.force_login(city.town_a_supervisor)
    features = client.get(reverse("map_towns")).json()["features"]
    assert {feature["properties"]["kind"] for feature in features} == {"label"}


@override_settings(ANJIAN_MAP_TILE_URL="", ANJIAN_MAP_TILE_ATTRIBUTION="")
def test_map_page_without_tiles(client, city):
    client.force_login(city.town_a_supervisor)
    response = client.get(reverse("map"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "anjian-map-plain" in content
    assert "vendor/leaflet/leaflet.js" in content
    assert response.context["config"]["tileUrl"] == ""
    assert response.context["config"]["pointsUrl"] == reverse("map_points")
    detail = response.context["config"]["detailUrl"].replace(response.context["config"]["detailPlaceholder"], "7")
    assert detail == reverse("enterprises:enterprise_detail", args=[7])


@override_settings(
    ANJIAN_MAP_TILE_URL="http://tiles.intranet.example/{z}/{x}/{y}.png", ANJIAN_MAP_TILE_ATTRIBUTION="东莞市测绘"
)
def test_map_page_with_tiles(client, city):
    client.force_login(city.town_a_supervisor)
    response = client.get(reverse("map"), {"domain": "hazchem", "major_hazard": "true"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "anjian-map-plain" not in content
    config = json.loads(content.split('id="map-config" type="application/json">')[1].split("</script>")[0])
    assert config["tileUrl"] == "http://tiles.intranet.example/{z}/{x}/{y}.png"
    assert config["tileAttribution"] == "东莞市测绘"
    # The filter form keeps what the URL asked for, so a link to a filtered map opens filtered.
    assert '<option value="hazchem" selected>' in content
    assert 'id="map-flag-major_hazard" name="major_hazard" value="true" checked' in content


@pytest.mark.parametrize("name", ["home", "map", "map_points", "map_towns"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_vendored_assets_are_present():
    from django.contrib.staticfiles import finders

    for path in (
        "vendor/echarts/echarts.min.js",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/images/marker-icon.png",
        "dashboard/map.js",
        "dashboard/home.js",
    ):
        assert finders.find(path), path
