"""The colour surfaces in the permission matrix (issue 9 item 5, "Must show"): a town supervisor of town A must not see
town B's enterprise colours, region colours or map points; an enterprise user sees only its own colour; departments
only their domains' enterprises and no region mix (it counts every domain); nobody writes a colour through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface, client_for
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.risk import services_colours
from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(personas):
    """Town A's and town B's enterprises with coordinates and colours, and a town-A enterprise of another domain."""
    p = personas
    other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN,
                              latitude="23.010000", longitude="113.760000")
    for enterprise, lat, lng in ((p.enterprise_a, "23.020000", "113.750000"), (p.enterprise_b, "22.810000",
                                                                                  "113.670000")):
        enterprise.latitude, enterprise.longitude = lat, lng
        enterprise.save()
        RiskUnit.objects.create(enterprise=enterprise, name="喷涂车间", kind="area", colour="red")
    services_colours.recompute_all()
    return other


class TestColourMatrix(PermissionMatrix):
    surfaces = (
        Surface("enterprisecolour", EnterpriseColour, "risk:enterprisecolour_list", "risk-colours"),
        Surface("regioncolour", RegionColour, "risk:colour_ranking", "region-colours", api_lookup="code",
                sees_a=frozenset({"town_a_supervisor", "grid_worker_a"})),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        RiskUnit.objects.create(enterprise=p.enterprise_b, name="喷涂车间", kind="area", colour="red")
        services_colours.recompute_all()
        colour = EnterpriseColour.objects.get
        region = RegionColour.objects.get
        return {
            "enterprisecolour": Pair(colour(enterprise=p.enterprise_a), colour(enterprise=p.enterprise_b),
                                     ("东城甲企业有限公司",), ("虎门乙企业有限公司",),
                                     colour(enterprise=other), ("东城丙建筑工程有限公司",)),
            # Villages: the grid worker of village A reaches its village, not its town.
            "regioncolour": Pair(region(region=p.village_a), region(region=p.village_b),
                                 (p.village_a.name,), (p.village_b.name,)),
        }


def points_text(client, **params) -> str:
    response = client.get(reverse("risk:colour_map_points"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_town_a_sees_no_point_or_area_colour_of_town_b(personas, graded):
    p = personas
    client = client_for(p.town_a_supervisor)
    everywhere = points_text(client, bbox="113.0,22.0,114.5,23.5")
    assert "东城甲企业有限公司" in everywhere and "虎门乙企业有限公司" not in everywhere
    # Asking for town B by code is answered like a missing region, on every map endpoint.
    assert client.get(reverse("risk:colour_map_points"), {"region": p.town_b.code}).status_code == 404
    assert client.get(reverse("risk:colour_map_regions"), {"region": p.town_b.code}).status_code == 404
    assert client.get(reverse("risk:colour_map"), {"region": p.town_b.code}).status_code == 404
    regions = client.get(reverse("risk:colour_map_regions")).json()
    assert p.town_b.code not in {feature["properties"]["code"] for feature in regions["features"]}
    # The API's region filter on town B answers nothing rather than town B's rows.
    body = client.get("/api/v1/risk-colours/", {"region": p.town_b.code}).json()
    assert body["results"] == []


def test_an_enterprise_user_sees_only_its_own_colour_and_point(personas, graded):
    client = client_for(personas.enterprise_a_user)
    assert "东城丙建筑工程有限公司" not in points_text(client) and "东城甲企业有限公司" in points_text(client)
    results = client.get("/api/v1/risk-colours/").json()["results"]
    assert [row["enterprise"] for row in results] == [personas.enterprise_a.pk]
    assert client.get("/api/v1/region-colours/").json()["results"] == []


def test_the_department_sees_its_domain_only_and_no_region_mix(personas, graded):
    client = client_for(personas.department_a_supervisor)
    text = points_text(client)
    assert "东城甲企业有限公司" in text and "东城丙建筑工程有限公司" not in text
    assert client.get("/api/v1/region-colours/").json()["results"] == []


def test_only_regulators_in_reach_may_recompute(personas, graded):
    url = reverse("risk:colour_recompute", args=[personas.enterprise_b.pk])
    for persona in ("town_a_supervisor", "enterprise_a_user", "grid_worker_a", "expert_a", "department_a_supervisor"):
        assert client_for(getattr(personas, persona)).post(url).status_code == 404, persona
    own = reverse("risk:colour_recompute", args=[personas.enterprise_a.pk])
    for persona in ("enterprise_a_user", "grid_worker_a"):
        assert client_for(getattr(personas, persona)).post(own).status_code == 404, persona
    assert client_for(personas.town_b_supervisor).post(url).status_code == 302
