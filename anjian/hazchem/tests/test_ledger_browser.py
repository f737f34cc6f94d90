"""Browser test of the ledger's journey (issue 9 item 3), in Chromium through Playwright against a live server.

The enterprise's safety manager, on a phone (390×844), records a purchase in kilograms into a unit, which takes the
unit above its registered maximum: the ledger page warns and the unit is re-identified. The town supervisor, on a
desktop, is told, opens the ledger and its movements, and has no button to record one. Screenshots go to the kit's
shots directory (/tmp/anjian-shots, ANJIAN_SHOTS_DIR overrides) for a person to look at.

Run: .venv/bin/python -m pytest -m browser anjian/hazchem/tests/test_ledger_browser.py
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anjian.core.testing.browser import DESKTOP, PHONE, login, shot
from anjian.core.testing.personas import PASSWORD
from anjian.hazchem.models import (
    Chemical,
    HazardUnit,
    HazmatVehicle,
    StockBalance,
    Trip,
    UnitChemical,
    UnitKind,
    VehicleKind,
)
from anjian.hazchem.reference import load_catalogue
from anjian.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def pick_chemical(page, form, name: str) -> None:
    """Type `name` into the searchable chemical select (Tom Select), click the option that is exactly it (options
    read "<目录序号> <品名>"; 甲醇 must not pick 甲醇钠), and wait until the form's select holds it: a click while the
    list still redraws can miss, and the required select then stops the form from being sent at all."""
    form.locator("#id_chemical-ts-control").fill(name)
    page.locator(".ts-dropdown .option").filter(has_text=re.compile(rf"\s{re.escape(name)}$")).first.click()
    expect(form.locator("select[name=chemical]")).not_to_have_value("")


@pytest.fixture(autouse=True)
def _notification_templates(transactional_db):
    from anjian.notifications.reference import load_templates

    load_templates()


def test_a_purchase_above_the_maximum_warns_and_the_town_sees_it(live_server, browse, personas):
    load_catalogue()
    p = personas
    chlorine = Chemical.objects.get(name="氯")
    unit = HazardUnit.objects.create(enterprise=p.enterprise_a, name="液氯库", kind=UnitKind.STORAGE)
    UnitChemical.objects.create(unit=unit, chemical=chlorine, max_quantity_t=Decimal("4"))
    base = live_server.url

    phone = browse(PHONE)
    login(phone, base, p.enterprise_a_user.username, PASSWORD)
    phone.goto(f"{base}/hazchem/ledger/{p.enterprise_a.pk}/")
    phone.get_by_role("link", name="登记出入库").click()
    form = phone.locator("#object-form")
    # The chemical select is searchable (Tom Select): type part of the name and pick it.
    pick_chemical(phone, form, "氯")
    form.locator("select[name=unit]").select_option(str(unit.pk))
    form.locator("select[name=kind]").select_option("purchased")
    form.locator("input[name=quantity_t]").fill("5500")
    form.locator("select[name=quantity_unit]").select_option("kg")
    form.locator("input[name=occurred_at]").fill("2026-12-01T08:30")
    form.locator("input[name=counterparty]").fill("某氯碱化工有限公司")
    shot(phone, "ledger-1-record-phone")
    # Wait for the answer's page itself: a load-state wait right after the click may still see the form's page.
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert "超过登记的设计最大量" in phone.content()
    shot(phone, "ledger-2-ledger-phone")
    assert StockBalance.objects.get(unit=unit).quantity_t == Decimal("5.5")
    unit.refresh_from_db()
    assert unit.is_major

    desk = browse(DESKTOP)
    login(desk, base, p.town_a_supervisor.username, PASSWORD)
    assert Notification.objects.filter(recipient=p.town_a_supervisor, kind="hazardunit.stock_regraded").exists()
    desk.goto(f"{base}/hazchem/ledger/{p.enterprise_a.pk}/")
    assert desk.locator("[data-testid=over-maximum]").is_visible()
    assert desk.get_by_role("link", name="登记出入库").count() == 0
    shot(desk, "ledger-3-ledger-desktop")
    with desk.expect_navigation():
        desk.get_by_role("link", name="出入库记录").first.click()
    desk.wait_for_load_state("networkidle")
    assert "某氯碱化工有限公司" in desk.content()
    shot(desk, "ledger-4-movements-desktop")
    desk.goto(f"{base}/hazchem/balances/")
    shot(desk, "ledger-5-balances-desktop")


def test_a_trip_with_an_expired_escort_certificate_is_refused_on_the_phone(live_server, browse, personas):
    load_catalogue()
    p = personas
    HazmatVehicle.objects.create(enterprise=p.enterprise_a, plate="粤S12345", kind=VehicleKind.TANK,
                                 permit_number="粤交运管441900001", permit_expires=dt.date(2030, 1, 1),
                                 capacity_t=Decimal("20"))
    base = live_server.url
    phone = browse(PHONE)
    login(phone, base, p.enterprise_a_user.username, PASSWORD)
    phone.goto(f"{base}/hazchem/trips/add/?enterprise={p.enterprise_a.pk}")
    form = phone.locator("#object-form")
    form.locator("select[name=vehicle]").select_option(label="粤S12345")
    pick_chemical(phone, form, "甲醇")
    typed = (("quantity_t", "10"), ("origin", "东莞市东城街道"), ("destination", "惠州市大亚湾"),
             ("departure_at", "2026-12-20T08:00"), ("driver_name", "张三"),
             ("driver_certificate", "440000199001011234"), ("driver_certificate_expires", "2027-06-30"),
             ("escort_name", "李四"), ("escort_certificate", "440000199202025678"),
             ("escort_certificate_expires", "2026-12-19"))
    for name, value in typed:
        form.locator(f"input[name={name}]").fill(value)
    # Once, with two test workers on 2 cores, one filled field was empty when the form was sent (not understood yet;
    # see the session note): fill again what did not keep its value, so the test is about the refusal it names.
    for name, value in typed:
        field = form.locator(f"input[name={name}]")
        if field.input_value() != value:
            field.fill(value)
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    answer = phone.locator("main").inner_text()
    assert "押运员李四的从业资格证有效期至2026-12-19，起运日2026-12-20已过期" in answer, answer[:1500]
    shot(phone, "ledger-6-trip-refused-phone")
    assert not Trip.objects.exists()
