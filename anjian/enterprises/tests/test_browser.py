"""Browser test of issue 2's journey, in Chromium through Playwright against a live server.

A town supervisor logs in, sees only their town's enterprises in the list and on the map, opens one, edits it,
and sees the change in 变更记录; a wrong USCC shows the check-character error in Chinese. Each step leaves a
screenshot in /tmp/anjian-shots/ (ANJIAN_SHOTS_DIR) for a person to look at.

Run: .venv/bin/python -m pytest -m browser anjian/enterprises/tests/test_browser.py
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.standards import uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wrong_check_character(code: str) -> str:
    """`code` with its check character replaced by another valid character."""
    replacement = next(char for char in "0123456789ABCDEFGHJKLMNPQRTUWXY" if char != code[-1])
    return code[:-1] + replacement


@pytest.fixture
def town(personas):
    """A few more enterprises in each town, with coordinates inside the town, so the map has points to draw."""
    p = personas
    village_a2 = p.town_a.children.order_by("code")[1]
    village_b2 = p.town_b.children.order_by("code")[1]
    EnterpriseFactory(region=village_a2, name="东城乙五金制品有限公司", latitude=Decimal("23.030000"),
                      longitude=Decimal("113.770000"))
    EnterpriseFactory(region=p.village_b, name="虎门丙服装有限公司", latitude=Decimal("22.820000"),
                      longitude=Decimal("113.670000"))
    EnterpriseFactory(region=village_b2, name="虎门丁电子有限公司", latitude=Decimal("22.830000"),
                      longitude=Decimal("113.680000"))
    in_a = set(Enterprise.objects.filter(region__code__startswith=p.town_a.prefix).values_list("pk", flat=True))
    in_b = set(Enterprise.objects.filter(region__code__startswith=p.town_b.prefix).values_list("pk", flat=True))
    return p, in_a, in_b


def test_town_supervisor_journey(live_server, page, town):
    p, in_a, in_b = town
    names_a = list(Enterprise.objects.filter(pk__in=in_a).values_list("name", flat=True))
    names_b = list(Enterprise.objects.filter(pk__in=in_b).values_list("name", flat=True))

    # Anonymous: the login page and nothing else.
    page.goto(f"{live_server.url}/enterprises/")
    assert "/accounts/login/" in page.url
    shot(page, "01-login")

    login(page, live_server.url, p.town_a_supervisor.username, PASSWORD)
    assert "/accounts/login/" not in page.url, "login failed"
    assert "东城街道" in page.content()  # the user menu (a dropdown) names the jurisdiction
    shot(page, "02-home")

    # The list: only town A.
    page.goto(f"{live_server.url}/enterprises/")
    table = page.locator("table").first.inner_text()
    for name in names_a:
        assert name in table
    for name in names_b:
        assert name not in table
    shot(page, "03-list")

    # The map: the points request carries town A's enterprises only, and the page says how many it drew.
    with page.expect_response(lambda response: "/map/points" in response.url) as points_info:
        page.goto(f"{live_server.url}/map/")
    points = json.loads(points_info.value.text())["points"]
    ids = {point[2] for point in points}
    assert ids == in_a, (ids, in_a)
    page.wait_for_function(
        "count => document.getElementById('map-status').textContent.includes(count)", arg=str(len(in_a))
    )
    page.wait_for_timeout(500)  # let the canvas finish drawing before the screenshot
    shot(page, "04-map")

    # Open enterprise A from the list, then edit its safety principal.
    enterprise = p.enterprise_a
    page.goto(f"{live_server.url}/enterprises/")
    page.locator("table").first.get_by_role("link", name=enterprise.name).first.click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(f"/enterprises/{enterprise.pk}")
    old_principal = enterprise.safety_principal
    assert old_principal in page.locator("body").inner_text()
    shot(page, "05-detail")

    page.locator(f"a[href$='/enterprises/{enterprise.pk}/edit/']").first.click()
    page.wait_for_load_state()
    page.fill("#id_safety_principal", "王安全")
    shot(page, "06-edit")
    page.locator("#object-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(f"/enterprises/{enterprise.pk}"), page.url

    history = page.locator("#change-history")
    history.scroll_into_view_if_needed()
    text = history.inner_text()
    assert "变更记录" in text
    assert "安全负责人" in text and "王安全" in text and old_principal in text
    assert p.town_a_supervisor.username in text
    shot(page, "07-history")
    assert Enterprise.objects.get(pk=enterprise.pk).safety_principal == "王安全"

    # A wrong USCC: the check-character error, in Chinese, naming the expected character; nothing saved.
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/edit/")
    wrong = wrong_check_character(enterprise.uscc)
    page.fill("#id_uscc", wrong)
    page.locator("#object-form button[type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("#id_uscc-errors").inner_text()
    expected = uscc.check_character(enterprise.uscc[:17])
    assert "校验位" in error and expected in error, error
    page.locator("#id_uscc").scroll_into_view_if_needed()
    shot(page, "08-uscc-error")
    assert Enterprise.objects.get(pk=enterprise.pk).uscc == enterprise.uscc


def test_other_town_enterprise_answers_404_in_the_browser(live_server, page, town):
    p, _in_a, _in_b = town
    login(page, live_server.url, p.town_a_supervisor.username, PASSWORD)
    response = page.goto(f"{live_server.url}/enterprises/{p.enterprise_b.pk}/")
    assert response.status == 404
    assert p.enterprise_b.name not in page.locator("body").inner_text()
    shot(page, "09-other-town-404")
