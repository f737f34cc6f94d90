"""The statistics page, the dashboard's hazard cards and the ladder's pages on a phone (issue 8 items 5 and 7), in
Chromium through Playwright: nothing wider than the screen, and a count opens the list it counts. Screenshots go to
/tmp/anjian-shots/ (ANJIAN_SHOTS_DIR).

Run: .venv/bin/python -m pytest -m browser anjian/hazards/tests/test_stats_browser.py
"""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.hazards.choices import HazardStatus
from anjian.hazards.ladder import load_ladder
from anjian.hazards.tests.factories import make_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def city(personas):
    today = dt.date.today()
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=today - dt.timedelta(days=3),
                overdue=True)
    make_hazard(personas.enterprise_a, status=HazardStatus.CLOSED, deadline=today.replace(month=1, day=1),
                rectified_at=dt.datetime.combine(today.replace(month=1, day=1), dt.time(2), tzinfo=dt.UTC))
    make_hazard(personas.enterprise_b, status=HazardStatus.RECTIFYING, deadline=today + dt.timedelta(days=5))
    load_ladder()
    return personas


def test_statistics_and_cards_fit_a_phone_and_link_to_the_list(live_server, page, city):
    page.set_viewport_size(PHONE)
    login(page, live_server.url, city.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    cards = page.locator("#hazard-cards")
    assert cards.is_visible()
    assert cards.locator("[data-hazard-stat=overdue]").inner_text() == "1"
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "hazards-dashboard-phone")

    page.goto(f"{live_server.url}/hazards/stats/")
    assert page.locator("#stats-towns tbody tr").count() == 2
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "hazards-stats-phone")
    town_a = page.locator(f"#stats-towns tr[data-key='{city.town_a.code}']")
    town_a.locator("[data-count=overdue]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"?town={city.town_a.code}&overdue=true")


def test_the_ladder_pages_fit_a_phone(live_server, page, city):
    page.set_viewport_size(PHONE)
    login(page, live_server.url, city.city_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/hazards/ladder/")
    assert "逾期 7 天" in page.locator("#object-list").inner_text()
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "hazards-ladder-phone")
    page.goto(f"{live_server.url}/hazards/ladder/add/")
    assert page.evaluate(OVERFLOW) <= 0
    shot(page, "hazards-ladder-add-phone")
