"""The enterprise page warns, without blocking anything, when the coordinates fall outside the town's real outline."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from anjian.regions.services import load_approximate_outlines

pytestmark = pytest.mark.django_db

TWO_TOWNS = Path(__file__).parents[2] / "regions" / "tests" / "fixtures" / "two_towns.geojson"


def detail(client, personas, latitude: str, longitude: str) -> str:
    enterprise = personas.enterprise_a
    enterprise.latitude, enterprise.longitude = Decimal(latitude), Decimal(longitude)
    enterprise.save()
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("enterprises:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_coordinates_in_another_town_are_flagged(client, personas):
    call_command("load_boundaries", str(TWO_TOWNS))
    content = detail(client, personas, "22.820000", "113.670000")  # inside the fixture's 虎门 square
    assert 'id="location-warning"' in content
    assert "不在所属镇街“东城街道”的范围内，而在“虎门镇”的范围内" in content


def test_coordinates_outside_every_outline_are_flagged(client, personas):
    call_command("load_boundaries", str(TWO_TOWNS))
    content = detail(client, personas, "23.100000", "113.950000")
    assert "不在所属镇街“东城街道”的范围内。请核对坐标" in content


def test_coordinates_inside_the_town_are_quiet(client, personas):
    call_command("load_boundaries", str(TWO_TOWNS))
    assert 'id="location-warning"' not in detail(client, personas, "23.000000", "113.780000")


def test_approximate_areas_never_raise_the_warning(client, personas):
    load_approximate_outlines()
    assert 'id="location-warning"' not in detail(client, personas, "22.820000", "113.670000")
