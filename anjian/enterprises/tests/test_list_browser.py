"""Browser test of the list page's filters and pager, in Chromium through Playwright against a live server.

The multi-select and long filters are searchable drop-downs (Tom Select, started by anjian/filters.js), under a
Content-Security-Policy that forbids inline scripts; picking an option reloads the list through htmx, the
drop-downs survive the swap, the total follows, and going back shows the earlier list with its filters.
Screenshots go to /tmp/anjian-shots/.

Run: .venv/bin/python -m pytest -m browser anjian/enterprises/tests/test_list_browser.py
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.enterprises.tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the other developer's policy will say about scripts: files from this site only, nothing inline, no eval.
CSP = "script-src 'self'"


@pytest.fixture
def listed(personas):
    for index in range(3):
        EnterpriseFactory(region=personas.village_a, name=f"东城商贸{index}有限公司", domain="commerce")
    return personas


def blocked_script(message) -> bool:
    """A script the policy refused. Not counted: base.html's language selects (inline onchange attributes, which
    the developer adding the policy replaces)."""
    text = message.text
    return message.type == "error" and "Content Security Policy" in text and "inline event handler" not in text


def with_csp(route):
    response = route.fetch()
    headers = {**response.headers, "content-security-policy": CSP}
    route.fulfill(response=response, headers=headers)


def test_filters_are_searchable_drop_downs_that_survive_htmx_swaps(live_server, page, listed):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if blocked_script(message) else None)
    page.route("**/enterprises/**", with_csp)
    login(page, live_server.url, listed.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/enterprises/")
    assert page.get_by_test_id("list-total").inner_text() == "共 5 条"

    page.click("button[data-bs-target='#more-filters']")
    # 行业领域 (multiple) and 区域 (some 650 towns and villages) are searchable; short selects stay native.
    assert page.locator("#id_domain.tomselected + .ts-wrapper").count() == 1
    assert page.locator("#id_region.tomselected + .ts-wrapper").count() == 1
    assert page.locator("#id_size.tomselected").count() == 0

    page.locator("#id_domain + .ts-wrapper .ts-control").click()
    page.keyboard.type("商贸")
    options = page.locator(".ts-dropdown .option:visible")
    expect(options).to_have_text(["工贸-商贸"])
    with page.expect_response(lambda response: "domain=commerce" in response.url):
        options.first.click()
    page.wait_for_function("() => document.querySelector('[data-testid=list-total]').textContent.includes('3')")
    assert "domain=commerce" in page.url
    assert page.get_by_test_id("list-total").inner_text() == "共 3 条"
    # The drop-down is still one Tom Select, holding the choice.
    assert page.locator(".ts-wrapper").count() == 2
    items = page.locator("#id_domain + .ts-wrapper .item")
    assert [items.nth(i).get_attribute("data-value") for i in range(items.count())] == ["commerce"]
    assert items.first.locator(".remove").get_attribute("title") == "移除"
    shot(page, "list-filters-domain")

    # A second choice, then back: the list and the drop-down both show the first choice again (htmx's history
    # cache holds the form as it was when left), with one Tom Select per select, and nothing is requested.
    page.keyboard.press("Escape")
    page.locator("#id_domain + .ts-wrapper .ts-control").click()
    page.keyboard.type("机械")
    with page.expect_response(lambda response: "domain=machinery" in response.url):
        page.locator(".ts-dropdown .option:visible", has_text="工贸-机械").first.click()
    page.wait_for_function("() => document.querySelector('[data-testid=list-total]').textContent.includes('5')")
    page.go_back()
    page.wait_for_function("() => document.querySelector('[data-testid=list-total]').textContent.includes('3')")
    assert page.locator(".ts-wrapper").count() == 2
    items = page.locator("#id_domain + .ts-wrapper .item")
    expect(items).to_have_count(1)
    assert items.first.get_attribute("data-value") == "commerce"
    page.keyboard.press("Escape")

    # A typed search is not a filter change: no request until an option is picked.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "/enterprises/" in request.url else None)
    page.locator("#id_region + .ts-wrapper .ts-control").click()
    page.keyboard.type("东城")
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    assert requests == []
    assert not errors, errors
