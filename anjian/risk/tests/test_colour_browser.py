"""The four-colour map and the ranking in Chromium (issue 9 item 5): the towns come filled by colour, the points of
the town in reach are drawn, a click on the town names its colour, and the ranking fits a phone. Screenshots go to
/tmp/anjian-shots/ (ANJIAN_SHOTS_DIR).

Run: .venv/bin/python -m pytest -m browser anjian/risk/tests/test_colour_browser.py
"""

from __future__ import annotations

import pytest

from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.regions.services import load_approximate_outlines
from anjian.risk import services_colours
from anjian.risk.models import RiskUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def city(personas):
    load_approximate_outlines()
    enterprise = personas.enterprise_a
    enterprise.latitude, enterprise.longitude = "23.030000", "113.760000"
    enterprise.save()
    RiskUnit.objects.create(enterprise=enterprise, name="喷涂车间", kind="area", colour="red")
    services_colours.recompute_all()
    return personas


def test_the_town_supervisor_sees_its_town_red_and_opens_a_point(live_server, page, city):
    login(page, live_server.url, city.town_a_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/risk/map/?region={city.town_a.code}")
    page.wait_for_load_state("networkidle")
    status = page.locator("#colour-map-status")
    status.filter(has_text="显示 1 个单位").wait_for()
    # The town's area is filled red (Leaflet draws it as an SVG path with the fill colour).
    assert page.locator("path.leaflet-interactive[fill='#d63939']").count() >= 1
    shot(page, "risk-colour-map")
    # A click on the town's area names its colour and links to the ranking of its villages.
    page.locator("path.leaflet-interactive[fill='#d63939']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "重大风险（红）" in popup.inner_text()
    assert popup.locator("a").get_attribute("href").endswith(f"region={city.town_a.code}&level=village")


def test_the_ranking_fits_a_phone(live_server, page, city):
    page.set_viewport_size(PHONE)
    login(page, live_server.url, city.town_a_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/risk/colours/")
    assert page.locator("table tbody tr").count() >= 1
    assert city.village_a.name in page.locator("table").inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "risk-colour-ranking-phone")
