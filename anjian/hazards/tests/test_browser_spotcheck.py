"""Browser test of a town's spot checks (issue 8 item 3), in Chromium through Playwright against a live server.

The town supervisor opens 待抽查 from the statistics page, draws at random (the default 10 %, rounded up), opens a
drawn hazard, records the spot check, and finds it marked 已抽查 on the draw and gone from 待抽查. Screenshots go to
/tmp/hz-shots (ANJIAN_SHOTS_DIR overrides).

Run: .venv/bin/python -m pytest -m browser anjian/hazards/tests/test_browser_spotcheck.py
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anjian.core.testing.browser import login
from anjian.core.testing.personas import PASSWORD
from anjian.hazards.choices import HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import make_hazard
from anjian.hazards.tests.test_browser_public import DESKTOP, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = (
    "配电房",
    "一号车间",
    "仓库",
    "锅炉房",
    "喷涂车间",
    "食堂",
    "宿舍楼",
    "危化品仓库",
    "叉车通道",
    "消防通道",
    "空压机房",
)


def test_a_town_supervisor_draws_and_spot_checks(live_server, chromium, plain_static, personas):
    p = personas
    start = timezone.now() - dt.timedelta(days=30)
    for index, place in enumerate(PLACES):
        make_hazard(
            p.enterprise_a,
            status=HazardStatus.CLOSED,
            verified_by=p.enterprise_a_user,
            place=place,
            closed_at=start + dt.timedelta(days=index),
            description=f"{place}灭火器过期，已更换",
        )
    context = chromium.new_context(locale="zh-CN", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    violations: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    try:
        login(page, live_server.url, p.town_a_supervisor.username, PASSWORD)
        page.goto(f"{live_server.url}/hazards/stats/")
        page.locator("[data-testid=spot-check-link]").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text().strip() == "待抽查"
        # 11 pending: the draw offers 2 (10 %, rounded up).
        assert page.locator("#id_size").input_value() == "2"
        shot(page, "spotcheck-01-desktop-list")
        page.locator("[data-testid=spot-check-draw]").click()
        page.wait_for_load_state()
        assert page.locator("[data-testid=drawn-hazard]").count() == 2
        shot(page, "spotcheck-02-desktop-draw")
        draw_url = page.url
        page.locator("[data-testid=drawn-hazard]").first.get_by_role("link", name="抽查").click()
        page.wait_for_load_state()
        page.fill("#id_spot_check_note", "现场核实：灭火器已更换，在有效期内。")
        page.locator("#action-form button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(draw_url)
        assert page.locator("[data-testid=spot-checked]").count() == 1
        assert "已抽查 1 条" in page.locator("[data-testid=draw-summary]").inner_text()
        checked = Hazard.objects.get(spot_checked_at__isnull=False)
        page.goto(f"{live_server.url}/hazards/spot-checks/")
        assert checked.description not in page.locator("#object-list").inner_text()
    finally:
        context.close()
    assert not violations, violations
