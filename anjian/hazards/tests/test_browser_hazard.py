"""Browser test of a hazard's journey (issue 8 "Must show"), in Chromium through Playwright against a live server.

The town supervisor reports a hazard at enterprise A on a desktop; the enterprise's safety manager, told by a
notification, on a phone (390×844) plans its rectification with the 五到位 and rectifies it with a photo; the town
supervisor verifies it and it is closed (销号), and the hazard page shows the whole history: the audit events of
every transition and the 变更记录. Screenshots go to /tmp/hz-shots (ANJIAN_SHOTS_DIR overrides) for a person to
look at.

Run: .venv/bin/python -m pytest -m browser anjian/hazards/tests/test_browser_hazard.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.core.testing.personas import PASSWORD
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.browsing import act, confirm, photo, state_of
from anjian.hazards.tests.factories import make_hazard
from anjian.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(os.environ.get("ANJIAN_SHOTS_DIR") or "/tmp/hz-shots")


@pytest.fixture
def browse(browse, settings, tmp_path):
    """The kit's `browse`, with media in the test's directory and the notification texts loaded."""
    from anjian.notifications.reference import load_templates

    settings.MEDIA_ROOT = tmp_path / "media"
    load_templates()
    return browse


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def test_a_hazard_from_report_to_closure(live_server, browse, personas, tmp_path):
    p = personas
    base = live_server.url
    deadline = timezone.localdate() + dt.timedelta(days=7)

    # The town supervisor reports what was found at enterprise A.
    desk = browse(DESKTOP)
    login(desk, base, p.town_a_supervisor.username)
    desk.goto(f"{base}/hazards/")
    desk.get_by_role("link", name="新建").click()
    desk.wait_for_load_state()
    desk.select_option("#id_enterprise", str(p.enterprise_a.pk))
    desk.fill("#id_place", "一号车间配电房")
    desk.fill("#id_description", "配电箱门未关闭，内部线路裸露，未设置警示标志")
    desk.select_option("#id_category", "site_electricity")
    shot(desk, "hz-01-desktop-report-form")
    desk.locator("#object-form button[type=submit]").click()
    desk.wait_for_load_state()
    hazard = Hazard.objects.get()
    assert desk.url.rstrip("/").endswith(f"/hazards/{hazard.pk}")
    assert state_of(desk) == "待整改"
    assert hazard.source == "inspection" and hazard.found_by == p.town_a_supervisor
    shot(desk, "hz-02-desktop-reported")
    detail = f"{base}/hazards/{hazard.pk}/"

    # The enterprise's safety manager, on a phone, is told and plans the rectification (五到位).
    notice = Notification.objects.get(recipient=p.enterprise_a_user)
    assert notice.kind == "hazard.reported" and notice.title.startswith("发现隐患")
    phone = browse(PHONE, is_mobile=True, has_touch=True)
    login(phone, base, p.enterprise_a_user.username)
    phone.goto(detail)
    assert state_of(phone) == "待整改"
    actions = phone.locator("[data-testid=object-actions]").inner_text()
    assert "下达整改" in actions and "验收销号" not in actions
    shot(phone, "hz-03-phone-reported")
    act(phone, "下达整改")
    phone.fill("#id_measures", "更换配电箱门锁，整理并包覆裸露线路，张贴警示标志")
    phone.fill("#id_responsible", "李工")
    phone.fill("#id_funds", "1500")
    phone.fill("#id_deadline", deadline.isoformat())
    phone.fill("#id_interim_measures", "设置警戒线，安排专人看守")
    shot(phone, "hz-04-phone-assign-form")
    confirm(phone)
    assert state_of(phone) == "整改中"

    # Rectified with a photo as evidence: refused without one, then accepted.
    act(phone, "提交整改")
    phone.fill("#id_rectification", "已更换门锁并包覆线路，警示标志已张贴")
    confirm(phone)
    assert "至少需要上传 1 个附件" in phone.locator("#form-error-summary").inner_text()
    assert Hazard.objects.get().status == HazardStatus.RECTIFYING
    phone.set_input_files("#id_attachments", photo(tmp_path))
    shot(phone, "hz-05-phone-rectify-with-photo")
    confirm(phone)
    assert state_of(phone) == "待验收"
    assert "整改后照片.jpg" in phone.locator("#attachments").inner_text()
    shot(phone, "hz-06-phone-rectified")

    # The town supervisor verifies; the hazard is closed.
    desk.goto(detail)
    act(desk, "验收销号")
    desk.fill("#id_verification_note", "现场核实，整改到位")
    confirm(desk)
    assert state_of(desk) == "已销号"
    stored = Hazard.objects.get()
    assert stored.status == HazardStatus.CLOSED and stored.verified_by == p.town_a_supervisor
    assert stored.closed_at is not None and stored.deadline == deadline and stored.responsible == "李工"

    # The whole history on the hazard page: each transition's audit event and the field changes.
    audit = desk.locator("#audit-events").inner_text()
    for label in ("下达整改", "提交整改", "验收销号"):
        assert label in audit, audit
    history = desk.locator("#change-history").inner_text()
    for label in ("整改措施", "整改责任人", "整改期限", "整改情况", "验收意见", "状态"):
        assert label in history, history
    groups = desk.locator("[data-testid=hazard-group]").all_inner_texts()
    assert [text.split("\n")[0] for text in groups] == ["发现", "五到位", "整改", "验收", "督办"]
    shot(desk, "hz-07-desktop-closed-history")
    assert list(AuditEvent.objects.filter(object_id=str(hazard.pk)).order_by("id").values_list("action", flat=True)) \
        == ["hazard.create", "hazard.assign", "hazard.rectify", "hazard.verify"]

    phone.goto(detail)
    assert state_of(phone) == "已销号"
    # Nothing on the phone page is wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "hz-08-phone-closed-history")

    # The enterprise page lists no open hazard now; the list shows it closed.
    desk.goto(f"{base}/hazards/?status=closed")
    assert "配电箱门未关闭" in desk.locator("#object-list").inner_text()
    shot(desk, "hz-09-desktop-list")


def test_the_public_supervision_page_on_a_phone(live_server, browse, personas):
    make_hazard(personas.enterprise_a, description="液氨储罐区未设置泄漏报警和紧急切断装置", level=HazardLevel.MAJOR,
                status=HazardStatus.RECTIFYING, supervision_level=SupervisionLevel.CITY,
                supervising_unit="东莞市应急管理局", listed_at=timezone.now(), responsible="张三丰",
                supervision_target_date=timezone.localdate() + dt.timedelta(days=30))
    # Nobody signed in: the page answers without the login page.
    phone = browse(PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server.url}/hazards/supervision/public/")
    table = phone.locator("[data-testid=public-supervision-cards]").inner_text()
    assert "液氨储罐区" in table and "市级挂牌督办" in table and "整改中" in table
    assert "张三丰" not in phone.locator("body").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "hz-10-phone-public-supervision")
