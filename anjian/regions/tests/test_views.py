"""Region tree and industrial park pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.regions.models import IndustrialPark

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


def test_region_list_is_the_users_subtree(client, personas):
    client.force_login(personas.town_a_supervisor)
    html = client.get(reverse("regions:region_list")).content.decode()
    assert personas.town_a.name in html
    assert personas.town_b.name not in html


def test_region_list_filters_by_level_and_parent(client, personas):
    client.force_login(personas.city_supervisor)
    response = client.get(reverse("regions:region_list"), {"level": "village", "parent": personas.town_b.code})
    html = response.content.decode()
    assert personas.village_b.name in html
    assert personas.village_a.name not in html


def test_region_detail_counts_enterprises_in_subtree(client, personas):
    client.force_login(personas.city_supervisor)
    response = client.get(reverse("regions:region_detail", args=[personas.town_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 家" in html
    assert personas.village_a.name in html  # children
    client.force_login(personas.town_a_supervisor)
    assert client.get(reverse("regions:region_detail", args=[personas.town_b.pk])).status_code == 404


def test_parks(client, personas):
    park = IndustrialPark.objects.get(name="立沙岛精细化工园区")
    client.force_login(personas.city_supervisor)
    assert park.name in client.get(reverse("regions:park_list")).content.decode()
    detail = client.get(reverse("regions:park_detail", args=[park.pk]))
    assert detail.status_code == 200
    assert "化工园区" in detail.content.decode()
    client.force_login(personas.town_a_supervisor)
    assert client.get(reverse("regions:park_detail", args=[park.pk])).status_code == 404
