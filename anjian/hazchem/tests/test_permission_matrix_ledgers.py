"""The ledgers and transport in the permission matrix (issue 9 item 3): movements, balances, vehicles and trips of
town B stay out of town A's lists, exports, pages and API, and cannot be changed from there; the department sees its
domains only. Beyond the kit: the enterprise ledger page and the reversal, and who must NOT write a ledger line
(regulators, grid workers, experts, another enterprise) on the page and in the API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing.matrix import (
    TOWN_A_PERSONAS,
    Pair,
    PermissionMatrix,
    Surface,
    client_for,
    page_text,
    snapshot,
)
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazchem.models import (
    Chemical,
    HazmatVehicle,
    MovementKind,
    StockBalance,
    StockMovement,
    Trip,
    VehicleKind,
)
from anjian.hazchem.services_ledgers import movement_record

pytestmark = pytest.mark.django_db


def chemical(number: int, name: str) -> Chemical:
    return Chemical.objects.create(catalogue_number=number, name=name)


def opening(enterprise, chem, counterparty: str) -> StockMovement:
    """A movement written as the service writes it, by the city administrator (who may enter any ledger)."""
    from anjian.accounts.models import User

    admin = User.objects.get(username="city_admin")
    return movement_record(actor=admin, movement=StockMovement(
        enterprise=enterprise, chemical=chem, kind=MovementKind.PURCHASED, quantity_t=Decimal("2"),
        occurred_at=timezone.now() - dt.timedelta(days=1), counterparty=counterparty)).movement


def vehicle(enterprise, plate: str) -> HazmatVehicle:
    return HazmatVehicle.objects.create(enterprise=enterprise, plate=plate, kind=VehicleKind.TANK,
                                        permit_number="P-1", permit_expires=dt.date(2030, 1, 1),
                                        capacity_t=Decimal("20"))


def trip(enterprise, car, chem, origin: str) -> Trip:
    return Trip.objects.create(
        enterprise=enterprise, vehicle=car, chemical=chem, quantity_t=Decimal("1"), origin=origin,
        destination="目的地", departure_at=timezone.now() + dt.timedelta(days=1), driver_name="驾驶员",
        driver_certificate="D-1", driver_certificate_expires=dt.date(2030, 1, 1), escort_name="押运员",
        escort_certificate="E-1", escort_certificate_expires=dt.date(2030, 1, 1))


class TestLedgerMatrix(PermissionMatrix):
    surfaces = (
        Surface("movement", StockMovement, "hazchem:stockmovement_list", "stock-movements",
                detail_url="hazchem:stockmovement_detail"),
        Surface("balance", StockBalance, "hazchem:stockbalance_list", "stock-balances"),
        Surface("vehicle", HazmatVehicle, "hazchem:hazmatvehicle_list", "hazmat-vehicles",
                detail_url="hazchem:hazmatvehicle_detail", edit_url="hazchem:hazmatvehicle_edit", api_writable=True),
        Surface("trip", Trip, "hazchem:trip_list", "trips", detail_url="hazchem:trip_detail",
                edit_url="hazchem:trip_edit", api_writable=True),
    )

    def make_pairs(self, personas):
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        chem_a, chem_b, chem_c = chemical(90001, "甲标记化学品"), chemical(90002, "乙标记化学品"), chemical(
            90003, "丙标记化学品")
        moves = {key: opening(enterprise, chem, f"{key}往来单位标记")
                 for key, enterprise, chem in (("甲", p.enterprise_a, chem_a), ("乙", p.enterprise_b, chem_b),
                                               ("丙", other, chem_c))}
        cars = {"甲": vehicle(p.enterprise_a, "粤S1A001"), "乙": vehicle(p.enterprise_b, "粤S1B002"),
                "丙": vehicle(other, "粤S1C003")}
        trips = {"甲": trip(p.enterprise_a, cars["甲"], chem_a, "甲起运地标记"),
                 "乙": trip(p.enterprise_b, cars["乙"], chem_b, "乙起运地标记"),
                 "丙": trip(other, cars["丙"], chem_c, "丙起运地标记")}
        balance = {key: StockBalance.objects.get(enterprise=move.enterprise) for key, move in moves.items()}
        return {
            "movement": Pair(moves["甲"], moves["乙"], ("甲往来单位标记",), ("乙往来单位标记",),
                             moves["丙"], ("丙往来单位标记",)),
            "balance": Pair(balance["甲"], balance["乙"], ("甲标记化学品",), ("乙标记化学品",),
                            balance["丙"], ("丙标记化学品",)),
            "vehicle": Pair(cars["甲"], cars["乙"], ("粤S1A001",), ("粤S1B002",), cars["丙"], ("粤S1C003",)),
            "trip": Pair(trips["甲"], trips["乙"], ("甲起运地标记",), ("乙起运地标记",), trips["丙"],
                         ("丙起运地标记",)),
        }


@pytest.fixture
def chem(personas):
    return chemical(90001, "甲标记化学品")


@pytest.mark.parametrize("persona", TOWN_A_PERSONAS)
def test_town_a_cannot_open_town_bs_ledger_or_reverse_its_lines(personas, chem, persona):
    line = opening(personas.enterprise_b, chem, "乙往来单位标记")
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("hazchem:ledger", args=[personas.enterprise_b.pk])).status_code == 404
    url = reverse("hazchem:stockmovement_reverse", args=[line.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "越权冲销"}).status_code == 404
    assert client.get(reverse("hazchem:stockmovement_add"), {"enterprise": personas.enterprise_b.pk}).status_code in (
        403, 404)
    assert StockMovement.objects.count() == 1 and not hasattr(StockMovement.objects.get(), "reversed_by")


@pytest.mark.parametrize("persona", ("town_a_supervisor", "grid_worker_a", "expert_a", "department_a_supervisor",
                                     "city_supervisor"))
def test_who_must_not_write_a_ledger_line(personas, chem, persona):
    """Only the enterprise (and the city administrator on its behalf) keeps its ledger; regulators read it."""
    line = opening(personas.enterprise_a, chem, "甲往来单位标记")
    before = (snapshot(line), StockBalance.objects.get().quantity_t)
    client = client_for(getattr(personas, persona))
    ledger = page_text(client.get(reverse("hazchem:ledger", args=[personas.enterprise_a.pk])))
    assert "甲标记化学品" in ledger and reverse("hazchem:stockmovement_add") not in ledger
    body = {"enterprise": personas.enterprise_a.pk, "chemical": chem.pk, "kind": "consumed", "quantity": "1",
            "quantity_unit": "t", "occurred_at": "2026-12-01T08:00"}
    assert client.post(reverse("hazchem:stockmovement_add"), body).status_code == 403
    assert client.post("/api/v1/stock-movements/", json.dumps(body), content_type="application/json"
                       ).status_code == 403
    reverse_url = reverse("hazchem:stockmovement_reverse", args=[line.pk])
    assert client.post(reverse_url, {"note": "越权冲销"}).status_code == 404
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"/api/v1/stock-movements/{line.pk}/", json.dumps({"quantity_t": "9"}),
                                       content_type="application/json").status_code in (403, 405)
    assert StockMovement.objects.count() == 1
    assert (snapshot(line), StockBalance.objects.get().quantity_t) == before


def test_the_enterprise_records_on_its_page_and_over_the_api_and_nobody_edits(personas, chem):
    client = client_for(personas.enterprise_a_user)
    page = reverse("hazchem:stockmovement_add") + f"?enterprise={personas.enterprise_a.pk}"
    response = client.post(page, {"chemical": chem.pk, "kind": "purchased", "quantity_t": "1500",
                                  "quantity_unit": "kg", "occurred_at": "2026-12-01T08:00"})
    assert response.status_code == 302, page_text(response)[:2000]
    assert StockBalance.objects.get().quantity_t == Decimal("1.5")
    response = client.post("/api/v1/stock-movements/", json.dumps({
        "enterprise": personas.enterprise_a.pk, "chemical": chem.pk, "kind": "sold", "quantity": "2",
        "occurred_at": "2026-12-01T09:00:00+08:00"}), content_type="application/json")
    assert response.status_code == 400 and "库存将为负" in response.content.decode()
    for bad in ("-1", "abc"):
        response = client.post("/api/v1/stock-movements/", json.dumps({
            "enterprise": personas.enterprise_a.pk, "chemical": chem.pk, "kind": "sold", "quantity": bad,
            "occurred_at": "2026-12-01T09:00:00+08:00"}), content_type="application/json")
        assert response.status_code == 400 and "quantity" in response.json()["fields"], response.content
    line = StockMovement.objects.get()
    assert client.patch(f"/api/v1/stock-movements/{line.pk}/", json.dumps({"note": "改"}),
                        content_type="application/json").status_code == 405
    response = client.post(reverse("hazchem:stockmovement_reverse", args=[line.pk]), {"note": "数量录错"})
    assert response.status_code == 302
    assert StockBalance.objects.get().quantity_t == 0 and StockMovement.objects.count() == 2
    assert client.post(page, {"chemical": chem.pk, "kind": "sold", "quantity_t": "1", "quantity_unit": "t",
                              "occurred_at": "2026-12-01T10:00"}).status_code == 200  # refused on the form
    assert StockMovement.objects.count() == 2


def test_the_enterprise_page_shows_the_ledger_with_a_record_button_only_for_its_keepers(personas, chem):
    opening(personas.enterprise_a, chem, "甲往来单位标记")
    page = reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk])
    add = reverse("hazchem:stockmovement_add")
    own = page_text(client_for(personas.enterprise_a_user).get(page))
    assert "库存 1 种危险化学品" in own and add in own
    town = page_text(client_for(personas.town_a_supervisor).get(page))
    assert "库存 1 种危险化学品" in town and add not in town
