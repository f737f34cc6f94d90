"""Browser test of the enterprise's 双重预防 journey on a phone (issue 9 item 4), in Chromium through Playwright against
a live server: open a risk unit, assess it by the risk matrix (the colour badge follows), open 管控检查项, find a
measure not in place and report it; the hazard is in the hazards app. No page breaks the Content-Security-Policy.

Run: .venv/bin/python -m pytest -m browser anjian/risk/tests/test_browser_units.py
"""

from __future__ import annotations

import pytest

from anjian.core.testing.browser import login
from anjian.core.testing.personas import PASSWORD
from anjian.hazards.models import Hazard
from anjian.risk.choices import CheckCycle
from anjian.risk.tests.factories import make_measure, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_enterprise_assesses_a_unit_and_reports_a_failed_check(live_server, chromium, plain_static, personas):
    unit = make_unit(personas.enterprise_a, name="冲压机")
    make_measure(unit, description="冲压机安装安全光幕并与离合器联锁", check_cycle=CheckCycle.DAILY)
    context = chromium.new_context(locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(15_000)
    violations: list[str] = []
    page = context.new_page()
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    try:
        login(page, live_server.url, personas.enterprise_a_user.username, PASSWORD)
        page.goto(f"{live_server.url}{unit.get_absolute_url()}")
        assert "未评估" in page.locator("[data-testid=unit-colour]").inner_text()
        page.locator("[data-action=assess]").click()
        page.select_option("#id_method", "LS")
        page.select_option("#id_l_ls", "4")
        page.select_option("#id_s", "4")
        page.locator("#assess-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "较大风险（橙）" in page.locator("[data-testid=unit-colour]").inner_text()
        page.goto(f"{live_server.url}/risk/check-items/")
        page.locator("[data-testid=check-link]").first.click()
        page.wait_for_load_state()
        page.locator("input[name=result][value=fail]").check()
        page.fill("#id_note", "安全光幕被遮挡失效")
        page.locator("#check-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "已作为隐患上报" in page.content()
        assert page.locator("[data-testid=check-link]").count() == 0
    finally:
        context.close()
    assert not violations, violations
    assert "安全光幕被遮挡失效" in Hazard.objects.get().description
