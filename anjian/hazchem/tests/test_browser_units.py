"""Browser test of issue 9's main journey ("Must show"), in Chromium through Playwright against a live server.

Enterprise A's safety manager opens the enterprise page, adds a storage unit holding 液氯 (10 t) and 液氨 (20,000 kg,
typed in kilograms) with 120 people within 500 m; the unit page shows S = 4, R = 24, 三级 and the working row by row,
and the enterprise page then shows the enterprise as a 重大危险源 site whose risk colour rose from blue to orange
(issue 9 item 5: a 三级 重大危险源 is at least orange), and the town supervisor's four-colour map shows it orange.
The pages are photographed on a desktop and on a phone (390×844) to the kit's shots directory (/tmp/anjian-shots,
ANJIAN_SHOTS_DIR overrides) for a person to look at.

Run: .venv/bin/python -m pytest -m browser anjian/hazchem/tests/test_browser_units.py
"""

from __future__ import annotations

import pytest

from anjian.core.testing.browser import DESKTOP, PHONE, login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.hazchem.models import HazardUnit, MajorHazard
from anjian.hazchem.tests.units_support import seed_catalogue
from anjian.regions.services import load_approximate_outlines
from anjian.risk import services_colours
from anjian.risk.models import EnterpriseColour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_an_enterprise_adds_a_chlorine_and_ammonia_tank_farm(live_server, browse, personas):
    seed_catalogue()
    load_approximate_outlines()
    enterprise = personas.enterprise_a
    enterprise.latitude, enterprise.longitude = "23.030000", "113.760000"
    enterprise.save()
    services_colours.recompute_all()
    assert EnterpriseColour.objects.get(enterprise=enterprise).dynamic == "blue"
    base = live_server.url
    desk = browse(DESKTOP)
    login(desk, base, personas.enterprise_a_user.username, PASSWORD)
    desk.goto(f"{base}/enterprises/{enterprise.pk}/")
    assert desk.get_by_test_id("enterprise-major-hazard").count() == 0
    desk.locator("#hazard-units").get_by_role("link", name="新增单元").click()
    desk.wait_for_load_state()
    desk.fill("#id_name", "液氯液氨罐区")
    desk.select_option("#id_kind", "storage")
    desk.fill("#id_exposed_people", "120")
    desk.fill("#id_chem-0-name", "液氯")
    desk.fill("#id_chem-0-quantity", "10")
    desk.fill("#id_chem-1-name", "液氨")
    desk.fill("#id_chem-1-quantity", "20000")
    desk.select_option("#id_chem-1-quantity_unit", "kg")
    shot(desk, "hunits-unit-form-desktop")
    desk.locator("#object-form button[type=submit]").click()
    desk.wait_for_load_state("networkidle")

    unit = HazardUnit.objects.get(enterprise=enterprise, name="液氯液氨罐区")
    assert desk.url.endswith(f"/hazchem/units/{unit.pk}/")
    assert desk.get_by_test_id("unit-s").inner_text().startswith("4.0000")
    assert desk.get_by_test_id("unit-r").inner_text() == "24.0000"
    assert desk.get_by_test_id("unit-level").inner_text() == "三级"
    working = desk.get_by_test_id("working-table").inner_text()
    for text in ("氯", "氨", "10.0000", "20.0000", "表1 第", "表3", "2.0000", "8.0000", "4.0000"):
        assert text in working, text
    assert "表5" in desk.locator("#working").inner_text()
    assert MajorHazard.objects.get(unit=unit).level == 3
    shot(desk, "hunits-unit-desktop")

    phone = browse(PHONE)
    login(phone, base, personas.enterprise_a_user.username, PASSWORD)
    phone.goto(f"{base}/hazchem/units/{unit.pk}/")
    assert phone.get_by_test_id("unit-level").inner_text() == "三级"
    shot(phone, "hunits-unit-phone")

    desk.goto(f"{base}/enterprises/{enterprise.pk}/")
    badge = desk.get_by_test_id("enterprise-major-hazard")
    assert "重大危险源" in badge.inner_text() and "三级" in badge.inner_text()
    assert "液氯液氨罐区" in desk.get_by_test_id("enterprise-units").inner_text()
    colour = desk.get_by_test_id("enterprise-colour").inner_text()
    assert "较大风险（橙）" in colour, colour
    assert "三级危险化学品重大危险源" in desk.get_by_test_id("colour-reasons").inner_text()
    shot(desk, "hunits-enterprise-desktop")

    town = browse(DESKTOP)
    login(town, base, personas.town_a_supervisor.username, PASSWORD)
    town.goto(f"{base}/risk/map/?region={personas.town_a.code}")
    town.wait_for_load_state("networkidle")
    town.locator("#colour-map-status").filter(has_text="显示 1 个单位").wait_for()
    points = town.request.get(f"{base}/risk/map/points.json?region={personas.town_a.code}").json()
    assert [point[2:] for point in points["points"]] == [[enterprise.pk, enterprise.name, "orange"]]
    shot(town, "hunits-risk-map-desktop")
