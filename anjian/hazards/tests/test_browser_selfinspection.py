"""Browser test of the self-inspection on a phone (issue 8 item 2, "Must show"): an enterprise user on a 390×844
viewport fills the shipped 工贸 criteria checklist of its schedule with one failed item and a photo; the browser
asks for the note a fail needs; the hazard (重大, with the photo) exists in the database and on the inspection's page.
Screenshots (phone and desktop) go to /tmp/hz-shots (HZ_SHOTS_DIR).

Run: .venv/bin/python -m pytest -m browser anjian/hazards/tests/test_browser_selfinspection.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from anjian.core.models import Attachment, AuditEvent
from anjian.core.testing.browser import login
from anjian.core.testing.personas import PASSWORD
from anjian.hazards import reference
from anjian.hazards.choices import Frequency, HazardLevel, HazardSource
from anjian.hazards.models import Checklist, Hazard, InspectionSchedule, SelfInspection
from anjian.hazards.tests.browsing import act, confirm, photo, state_of
from anjian.hazards.tests.factories import make_checklist
from anjian.notifications.reference import load_templates

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("HZ_SHOTS_DIR", "/tmp/hz-shots"))  # noqa: S108 (a folder for people to look at)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def phone(chromium, plain_static, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                   has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def test_enterprise_user_fills_a_checklist_on_a_phone(live_server, phone, chromium, personas, tmp_path):
    page = phone
    p = personas
    reference.load_checklists()
    load_templates()
    checklist = Checklist.objects.get(code="criteria-gongmao-2023-general", status="published")
    schedule = InspectionSchedule.objects.create(enterprise=p.enterprise_a, checklist=checklist,
                                                 frequency=Frequency.MONTHLY, starts_on=dt.date(2026, 1, 1))
    failed = checklist.items.get(number=2)
    picture = tmp_path / "site.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 40, 40)).save(buffer, "JPEG")
    picture.write_bytes(buffer.getvalue())

    login(page, live_server.url, p.enterprise_a_user.username, PASSWORD)
    page.goto(f"{live_server.url}/hazards/self-inspections/new/")
    shot(page, "si-01-phone-start")
    page.locator(f'[data-testid=start-schedule][href$="schedule={schedule.pk}"]').click()
    page.wait_for_load_state("networkidle")
    cards = page.locator("[data-testid=si-card]")
    assert cards.count() == 4
    assert no_sideways_scroll(page)
    # The fail details stay hidden until the item is marked 不合格.
    assert not page.locator(f"#note-{failed.pk}").is_visible()
    shot(page, "si-02-phone-fill-empty")

    for item in checklist.items.order_by("number"):
        choice = "fail" if item.pk == failed.pk else "pass"
        page.locator(f'label[for="r{item.pk}-{choice}"]').click()
    assert page.locator(f"#note-{failed.pk}").is_visible()

    # A fail without a note: the browser asks for it and nothing is sent.
    page.locator("[data-testid=si-submit]").click()
    assert page.evaluate(f"!document.getElementById('note-{failed.pk}').validity.valid")
    assert SelfInspection.objects.count() == 0

    page.fill(f"#note-{failed.pk}", "两名焊工的特种作业操作证已过期，仍在上岗作业")
    page.fill(f"#place-{failed.pk}", "二号车间焊接区")
    page.set_input_files(f"#photo-{failed.pk}", str(picture))
    shot(page, "si-03-phone-fill-done")
    page.locator("[data-testid=si-submit]").click()
    page.wait_for_load_state("networkidle")

    inspection = SelfInspection.objects.get()
    assert page.url.endswith(inspection.get_absolute_url())
    hazard = Hazard.objects.get()
    assert hazard.level == HazardLevel.MAJOR and hazard.criterion_item_id == failed.pk
    assert hazard.source == HazardSource.SELF_INSPECTION and hazard.place == "二号车间焊接区"
    assert inspection.period_start is not None and inspection.schedule_id == schedule.pk
    assert Attachment.objects.filter(object_id=str(hazard.pk)).count() == 1
    assert page.locator("[data-testid=answer-hazard]").count() == 1
    assert f"#{hazard.pk}" in page.locator("[data-testid=answer-hazard]").inner_text()
    assert "重大隐患" in page.locator("[data-testid=answer-hazard]").inner_text()
    page.locator("[data-testid=hazard-photo]").first.wait_for()
    assert page.evaluate("document.querySelector('[data-testid=hazard-photo]').naturalWidth > 0")
    assert no_sideways_scroll(page)
    shot(page, "si-04-phone-detail")

    page.set_viewport_size(DESKTOP)
    page.reload()
    shot(page, "si-05-desktop-detail")
    page.goto(f"{live_server.url}/hazards/checklists/{checklist.pk}/")
    shot(page, "si-06-desktop-checklist")
    page.goto(f"{live_server.url}/hazards/self-inspections/")
    assert p.enterprise_a.name in page.content()
    shot(page, "si-07-desktop-list")

    # The journey goes on to closure (issue 8 "Must show"): the town supervisor finds the hazard among its town's
    # open ones; the enterprise, back on its phone, plans and rectifies it with a photo; being 重大, only the town
    # may verify it, and it is closed with its whole history on its page.
    desk_context = chromium.new_context(locale="zh-CN", viewport=DESKTOP)
    desk_context.set_default_timeout(15_000)
    desk = desk_context.new_page()
    login(desk, live_server.url, p.town_a_supervisor.username, PASSWORD)
    desk.goto(f"{live_server.url}/hazards/?status=reported")
    assert failed.text[:12] in desk.locator("#object-list").inner_text()
    detail = f"{live_server.url}{hazard.get_absolute_url()}"
    desk.goto(detail)
    assert state_of(desk) == "待整改"
    shot(desk, "si-10-desktop-town-sees-hazard")

    page.set_viewport_size(PHONE)
    page.goto(detail)
    act(page, "下达整改")
    page.fill("#id_measures", "安排两名焊工参加复审培训，复审合格前停止其焊接作业")
    page.fill("#id_responsible", "王主任")
    page.fill("#id_deadline", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.fill("#id_interim_measures", "由持有效证件的焊工替岗")
    confirm(page)
    assert state_of(page) == "整改中"
    act(page, "提交整改")
    page.fill("#id_rectification", "两名焊工已复审合格，证件已更新")
    page.set_input_files("#id_attachments", photo(tmp_path, "复审合格证.jpg"))
    confirm(page)
    assert state_of(page) == "待验收"
    assert "验收销号" not in page.locator("[data-testid=object-actions]").inner_text()
    assert no_sideways_scroll(page)
    shot(page, "si-11-phone-rectified")

    desk.goto(detail)
    act(desk, "验收销号")
    desk.fill("#id_verification_note", "现场核验证件，整改到位")
    confirm(desk)
    assert state_of(desk) == "已销号"
    audit = desk.locator("#audit-events").inner_text()
    for label in ("下达整改", "提交整改", "验收销号"):
        assert label in audit, audit
    assert list(AuditEvent.objects.filter(object_id=str(hazard.pk), action__startswith="hazard.").order_by("id")
                .values_list("action", flat=True)) \
        == ["hazard.create", "hazard.assign", "hazard.rectify", "hazard.verify"]
    shot(desk, "si-12-desktop-closed-history")
    desk_context.close()


def test_town_supervisor_sees_missed_self_inspections(live_server, page, personas, settings):
    p = personas
    checklist = make_checklist(items=1)
    for enterprise in (p.enterprise_a, p.enterprise_b):
        InspectionSchedule.objects.create(enterprise=enterprise, checklist=checklist, frequency=Frequency.DAILY,
                                          starts_on=dt.date(2026, 1, 1), responsible="李四")
    login(page, live_server.url, p.town_a_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/hazards/schedules/missed/")
    text = page.locator("#object-list").inner_text()
    assert p.enterprise_a.name in text and p.enterprise_b.name not in text
    assert p.town_a.name in page.locator("#missed-by-town").inner_text()
    shot(page, "si-08-desktop-missed")
    page.set_viewport_size(PHONE)
    shot(page, "si-09-phone-missed")
