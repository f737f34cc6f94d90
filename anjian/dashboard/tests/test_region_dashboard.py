"""Dashboards per region (issue 7 item 5): city → town → village, only inside the user's jurisdiction, every count
a link to the list that holds exactly that many rows; and the map's town outlines (item 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils import timezone

from anjian.core.scope import VIEW
from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.filtersets import (
    ArchiveDocumentFilterSet,
    EnterpriseFilterSet,
    LiabilityInsuranceFilterSet,
    LicenceFilterSet,
)
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory
from anjian.regions.models import Region
from anjian.regions.services import load_approximate_outlines

pytestmark = pytest.mark.django_db

TWO_TOWNS = Path(__file__).parents[2] / "regions" / "tests" / "fixtures" / "two_towns.geojson"

LISTS = {
    "enterprises:enterprise_list": (Enterprise, EnterpriseFilterSet),
    "enterprises:licence_list": (Licence, LicenceFilterSet),
    "enterprises:insurance_list": (LiabilityInsurance, LiabilityInsuranceFilterSet),
    "enterprises:archive_list": (ArchiveDocument, ArchiveDocumentFilterSet),
}


@pytest.fixture
def city(personas):
    """Town A (东城): enterprise A and a dust-explosion site in village A, one more in a second village.
    Town B (虎门): enterprise B and a major-hazard 危化 site. One licence expiring soon in each town."""
    village_a2 = personas.town_a.children.order_by("code")[1]
    EnterpriseFactory(region=personas.village_a, name="东城粉尘涉爆厂", dust_explosion=True)
    EnterpriseFactory(region=village_a2, name="东城二村商铺", small_venue=True, domain=SupervisionDomain.COMMERCE)
    EnterpriseFactory(
        region=personas.village_b, name="虎门危化公司", major_hazard=True, domain=SupervisionDomain.HAZARDOUS_CHEMICALS
    )
    soon = timezone.localdate() + dt.timedelta(days=5)
    LicenceFactory(enterprise=personas.enterprise_a, valid_from=soon - dt.timedelta(days=365), valid_to=soon)
    LicenceFactory(enterprise=personas.enterprise_b, valid_from=soon - dt.timedelta(days=365), valid_to=soon)
    personas.village_a2 = village_a2
    return personas


def dashboard(client, code: str):
    return client.get(reverse("region_dashboard", args=[code]))


def linked_counts(context) -> list[tuple[str, int]]:
    """Every (url, count) pair the dashboard shows as a link."""
    pairs = [(card["url"], card["count"]) for card in context["cards"]]
    pairs += [(flag["url"], flag["count"]) for flag in context["flags"]]
    pairs += [(item["url"], item["count"]) for item in context["expiring"]]
    pairs += [(row["url"], row["count"]) for row in context["chart_data"]["areas"]]
    pairs += [(row["url"], row["count"]) for row in context["chart_data"]["domains"]]
    return pairs


def list_count(user, url: str) -> int:
    """How many rows the list at `url` shows `user`: its own FilterSet over the gate, as the list view does."""
    parts = urlsplit(url)
    model, filterset_class = LISTS[resolve(parts.path).view_name]
    filterset = filterset_class(QueryDict(parts.query), queryset=model.objects.restrict(user, VIEW))
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def test_city_supervisor_opens_a_town_dashboard(client, city):
    client.force_login(city.city_supervisor)
    response = dashboard(client, city.town_a.code)

    assert response.status_code == 200
    context = response.context
    totals = {card["label"]: card["count"] for card in context["cards"]}
    assert totals == {"生产经营单位": 3, "危险化学品重大危险源": 0, "三小场所": 1, "证照到期预警单位": 1}
    flags = {flag["name"]: flag["count"] for flag in context["flags"]}
    assert flags["dust_explosion"] == 1 and flags["major_hazard"] == 0
    # The town is broken down by village; each bar opens that village's dashboard.
    assert context["area_title"] == "各村（社区）生产经营单位数量"
    areas = {row["code"]: row for row in context["chart_data"]["areas"]}
    assert {code: row["count"] for code, row in areas.items()} == {city.village_a.code: 2, city.village_a2.code: 1}
    assert areas[city.village_a.code]["dashboard"] == f"/dashboard/region/{city.village_a.code}/"
    # Breadcrumb 东莞市 › 东城街道, the city a link for a city supervisor.
    assert [(crumb["name"], crumb["open"]) for crumb in context["trail"]] == [("东莞市", True), ("东城街道", True)]
    content = response.content.decode()
    assert 'href="/dashboard/region/441900000000/">东莞市</a>' in content
    assert "虎门" not in content


def test_every_count_is_a_link_to_a_list_with_that_many_rows(client, city):
    client.force_login(city.city_supervisor)
    for code in (city.town_a.code, city.village_a.code, Region.objects.get(level="city").code):
        context = dashboard(client, code).context
        pairs = linked_counts(context)
        assert len(pairs) >= 4 + 8 + 3
        for url, count in pairs:
            assert "region=" in url, url
            assert list_count(city.city_supervisor, url) == count, url


def test_flag_link_filters_the_list_by_region_and_flag(client, city):
    client.force_login(city.city_supervisor)
    flags = {flag["name"]: flag for flag in dashboard(client, city.town_a.code).context["flags"]}
    assert flags["dust_explosion"]["url"] == (
        f"{reverse('enterprises:enterprise_list')}?region={city.town_a.code}&dust_explosion=true"
    )
    content = client.get(flags["dust_explosion"]["url"]).content.decode()
    assert "东城粉尘涉爆厂" in content and "东城甲企业有限公司" not in content


def test_village_dashboard_and_its_breadcrumb(client, city):
    client.force_login(city.city_supervisor)
    response = dashboard(client, city.village_a.code)

    assert response.status_code == 200
    assert response.context["cards"][0]["count"] == 2
    assert [crumb["name"] for crumb in response.context["trail"]] == ["东莞市", "东城街道", city.village_a.name]
    # A village has no smaller areas: no bar chart, the domain chart takes the row.
    assert response.context["chart_data"]["areas"] == []
    assert 'id="chart-areas"' not in response.content.decode()


def test_city_home_bars_open_town_dashboards(client, city):
    client.force_login(city.city_supervisor)
    areas = {row["name"]: row for row in client.get(reverse("home")).context["chart_data"]["areas"]}
    assert areas["东城街道"]["dashboard"] == reverse("region_dashboard", args=[city.town_a.code])
    assert areas["东城街道"]["url"] == f"{reverse('enterprises:enterprise_list')}?region={city.town_a.code}"


def test_town_supervisor_cannot_open_another_town(client, city):
    client.force_login(city.town_a_supervisor)
    assert dashboard(client, city.town_a.code).status_code == 200
    assert dashboard(client, city.village_a.code).status_code == 200
    assert dashboard(client, city.town_b.code).status_code == 404
    assert dashboard(client, city.village_b.code).status_code == 404
    assert dashboard(client, "441900000000").status_code == 404
    # The city's name is shown in the trail but not linked: its dashboard is out of reach.
    response = dashboard(client, city.town_a.code)
    assert [(crumb["name"], crumb["open"]) for crumb in response.context["trail"]] == [
        ("东莞市", False), ("东城街道", True)
    ]
    assert 'href="/dashboard/region/441900000000/"' not in response.content.decode()


def test_grid_worker_sees_only_their_village(client, city):
    client.force_login(city.grid_worker_a)
    response = dashboard(client, city.village_a.code)
    assert response.status_code == 200
    assert response.context["cards"][0]["count"] == 2
    for code in (city.town_a.code, city.village_a2.code, city.town_b.code, "441900000000"):
        assert dashboard(client, code).status_code == 404, code


def test_department_supervisor_counts_only_their_domain(client, city):
    client.force_login(city.department_a_supervisor)
    response = dashboard(client, city.town_a.code)
    assert response.status_code == 200
    # Machinery only: enterprise A and the dust site (the factory's default domain), not the commerce shop.
    assert {row["domain"] for row in response.context["domains"]} == {"machinery"}
    assert dashboard(client, city.town_b.code).status_code == 404


@pytest.mark.parametrize("persona", ["enterprise_a_user", "expert_a"])
def test_enterprise_users_and_experts_get_no_region_dashboard(client, city, persona):
    client.force_login(getattr(city, persona))
    assert dashboard(client, city.village_a.code).status_code == 404


def test_unknown_code_is_404(client, city):
    client.force_login(city.city_supervisor)
    assert dashboard(client, "441900999000").status_code == 404
    assert dashboard(client, "not-a-code").status_code == 404


def test_anonymous_is_sent_to_login(client, city):
    response = dashboard(client, city.town_a.code)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_region_dashboard_takes_a_fixed_number_of_queries(client, city, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(10, region=city.village_a)
    client.force_login(city.city_supervisor)
    # Session, user, region, trail, one aggregate for the cards and flags, three expiring kinds, villages, domains,
    # two sums for the hazard cards (the running counts of hazards and of deadlines).
    with django_assert_max_num_queries(13):
        response = dashboard(client, city.town_a.code)
    assert response.context["cards"][0]["count"] == 13


def test_map_draws_the_visible_towns_approximate_outlines(client, city):
    load_approximate_outlines()
    client.force_login(city.town_a_supervisor)
    features = client.get(reverse("map_towns")).json()["features"]
    towns = [feature for feature in features if feature["properties"]["kind"] == "town"]
    assert [(town["properties"]["code"], town["properties"]["approximate"]) for town in towns] == [
        (city.town_a.code, True)
    ]
    assert towns[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")

    client.force_login(city.city_supervisor)
    features = client.get(reverse("map_towns")).json()["features"]
    assert len([feature for feature in features if feature["properties"]["kind"] == "town"]) == 36

    response = client.get(reverse("map"))
    content = response.content.decode()
    assert "镇街范围（示意）" in content
    assert 'id="approximate-note"' in content and "泰森多边形，以东莞市界裁剪" in content
    config = response.context["config"]
    assert config["dashboardUrl"].replace(config["dashboardPlaceholder"], city.town_a.code) == (
        reverse("region_dashboard", args=[city.town_a.code])
    )


def test_map_legend_without_outlines_has_no_area_entry(client, city):
    client.force_login(city.city_supervisor)
    content = client.get(reverse("map")).content.decode()
    assert "镇街范围" not in content


def test_dashboard_pages_have_no_inline_script(client, city):
    """A Content-Security-Policy without 'unsafe-inline' is coming: data goes in json_script only."""
    client.force_login(city.city_supervisor)
    for url in (reverse("home"), reverse("region_dashboard", args=[city.town_a.code]), reverse("map")):
        content = client.get(url).content.decode()
        for chunk in content.split("<script")[1:]:
            head, body = chunk.split(">", 1)
            if "src=" not in head:
                assert 'type="application/json"' in head, (url, head)


def test_approximate_areas_are_not_computed_per_request(client, city, monkeypatch):
    """They are stored at load-reference time; the map only reads them."""
    load_approximate_outlines()

    def refuse(*args, **kwargs):
        raise AssertionError("Voronoi cells computed during a request")

    monkeypatch.setattr("anjian.regions.geometry.voronoi_areas", refuse)
    client.force_login(city.city_supervisor)
    features = client.get(reverse("map_towns")).json()["features"]
    assert any(feature["properties"]["kind"] == "town" for feature in features)


def test_real_outlines_replace_the_approximate_legend_entry(client, city, tmp_path):
    from django.core.management import call_command

    load_approximate_outlines()
    call_command("load_boundaries", str(TWO_TOWNS))
    client.force_login(city.town_a_supervisor)
    content = client.get(reverse("map")).content.decode()
    assert "镇街范围" in content and "镇街范围（示意）" not in content
    assert 'id="approximate-note"' not in content
    towns = [f for f in client.get(reverse("map_towns")).json()["features"] if f["properties"]["kind"] == "town"]
    assert [(t["properties"]["code"], t["properties"]["approximate"]) for t in towns] == [(city.town_a.code, False)]


def test_village_outlines_are_drawn_for_one_towns_staff_only(client, city, tmp_path):
    import json

    from django.core.management import call_command

    square = [[113.77, 23.0], [113.78, 23.0], [113.78, 23.01], [113.77, 23.01], [113.77, 23.0]]
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code}, "geometry": {"type": "Polygon", "coordinates": [square]}}
        for code in (city.village_a.code, city.village_b.code)
    ]}
    path = tmp_path / "villages.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    call_command("load_boundaries", str(path))

    def villages(user):
        client.force_login(user)
        features = client.get(reverse("map_towns")).json()["features"]
        return [f["properties"]["code"] for f in features if f["properties"]["kind"] == "village"]

    assert villages(city.town_a_supervisor) == [city.village_a.code]
    assert villages(city.grid_worker_a) == [city.village_a.code]
    # A whole city of villages would be megabytes: the city's map stays at town level.
    assert villages(city.city_supervisor) == []


def test_expiring_in_counts_the_same_enterprises_as_expiring_condition(city):
    """The dashboards count with `expiring_in` (IN subqueries), the list filters with `expiring_condition` (EXISTS)."""
    from anjian.enterprises import selectors as enterprise_selectors
    from anjian.enterprises.tests.factories import LiabilityInsuranceFactory

    today = timezone.localdate()
    LiabilityInsuranceFactory(
        enterprise=city.enterprise_b, valid_from=today - dt.timedelta(days=400), valid_to=today - dt.timedelta(days=3)
    )
    superseded = LicenceFactory(
        enterprise=city.enterprise_a, valid_from=today - dt.timedelta(days=400), valid_to=today - dt.timedelta(days=1)
    )
    Licence.objects.filter(pk=superseded.pk).update(superseded=True)
    for days in (None, 0, 60):
        exists = set(Enterprise.objects.filter(enterprise_selectors.expiring_condition(as_of=today, days=days)))
        listed = set(Enterprise.objects.filter(enterprise_selectors.expiring_in(as_of=today, days=days)))
        assert exists == listed, days
    assert city.enterprise_b in exists


@pytest.mark.parametrize("persona", ["town_a_supervisor", "department_a_supervisor", "grid_worker_a"])
def test_home_of_regional_staff_counts_the_same_as_their_region_dashboard(client, city, persona):
    """The home page narrows town and village staff's counts to their region for speed: the figures must not
    change."""
    user = getattr(city, persona)
    client.force_login(user)
    home = client.get(reverse("home")).context
    town = dashboard(client, user.region.code).context
    assert [card["count"] for card in home["cards"]] == [card["count"] for card in town["cards"]]
    assert [flag["count"] for flag in home["flags"]] == [flag["count"] for flag in town["flags"]]
    assert home["domains"] == town["domains"]
    if user.region.level == "town":  # a village's own dashboard has no smaller areas; the home shows its one bar
        assert home["chart_data"]["areas"] == town["chart_data"]["areas"]
