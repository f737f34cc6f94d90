"""Hazard units and the 重大危险源 register in the permission matrix (issue 9 item 2; the base is
anjian.core.testing.matrix): town A's people neither read nor change town B's units or registrations on any surface
(list, search, export, detail, edit, delete, API), the department reaches only its domain, and within their own reach
nobody writes what is the system's (the working, a registration's number, level and dates) or adds or deletes a
registration; grid workers and experts only read."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface, client_for, page_text, snapshot
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitKind
from anjian.hazchem.services_units import hazard_unit_save
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed_catalogue()


def _unit(actor, enterprise, name: str) -> HazardUnit:
    return hazard_unit_save(actor=actor, chemicals=[{"name": "氯", "max_quantity_t": "10"}],
                            unit=HazardUnit(enterprise=enterprise, name=name, kind=UnitKind.STORAGE,
                                            exposed_people=120))


@pytest.fixture
def catalogue_loaded(catalogue):
    return catalogue


@pytest.mark.usefixtures("catalogue_loaded")
class TestUnitsMatrix(PermissionMatrix):
    surfaces = (
        Surface("unit", HazardUnit, "hazchem:hazardunit_list", "hazard-units",
                detail_url="hazchem:hazardunit_detail", edit_url="hazchem:hazardunit_edit",
                delete_url="hazchem:hazardunit_delete", api_writable=True),
        Surface("registration", MajorHazard, "hazchem:majorhazard_list", "major-hazards",
                detail_url="hazchem:majorhazard_detail", edit_url="hazchem:majorhazard_edit", api_writable=True),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        a = _unit(p.city_admin, p.enterprise_a, "东城甲液氯罐区")
        b = _unit(p.city_admin, p.enterprise_b, "虎门乙液氯罐区")
        c = _unit(p.city_admin, other, "东城丙液氯罐区")
        return {
            "unit": Pair(a, b, ("东城甲液氯罐区",), ("虎门乙液氯罐区",), c, ("东城丙液氯罐区",)),
            "registration": Pair(a.registration, b.registration, ("东城甲液氯罐区",), ("虎门乙液氯罐区",),
                                 c.registration, ("东城丙液氯罐区",)),
        }


@pytest.fixture
def own(catalogue, personas):
    return _unit(personas.city_admin, personas.enterprise_a, "东城甲液氯罐区")


@pytest.mark.parametrize("persona", ("grid_worker_a", "expert_a"))
def test_readers_must_not_add_change_or_delete(personas, own, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(own.get_absolute_url()).status_code == 200
    before_unit, before_registration = snapshot(own), snapshot(own.registration)
    assert client.get(reverse("hazchem:hazardunit_add")).status_code == 403
    assert client.post("/api/v1/hazard-units/", json.dumps({"enterprise": personas.enterprise_a.pk, "name": "X",
                                                            "kind": "storage", "chemicals": []}),
                       content_type="application/json").status_code == 403
    for url in (reverse("hazchem:hazardunit_edit", args=[own.pk]), reverse("hazchem:hazardunit_delete", args=[own.pk]),
                reverse("hazchem:majorhazard_edit", args=[own.registration.pk])):
        assert client.post(url, {"name": "篡改", "principal_name": "篡改"}).status_code == 404, url
    for url in (f"/api/v1/hazard-units/{own.pk}/", f"/api/v1/major-hazards/{own.registration.pk}/"):
        assert client.patch(url, json.dumps({"name": "篡改", "principal_name": "篡改"}),
                            content_type="application/json").status_code == 403
        assert client.delete(url).status_code == 403
    assert (snapshot(own), snapshot(own.registration)) == (before_unit, before_registration)


@pytest.mark.parametrize("persona", ("enterprise_a_user", "town_a_supervisor", "city_supervisor"))
def test_nobody_adds_deletes_or_relevels_a_registration(personas, own, persona):
    client = client_for(getattr(personas, persona))
    registration = own.registration
    before = snapshot(registration)
    url = f"/api/v1/major-hazards/{registration.pk}/"
    assert client.post("/api/v1/major-hazards/", json.dumps({"unit": own.pk}),
                       content_type="application/json").status_code == 403
    assert client.delete(url).status_code == 403
    client.patch(url, json.dumps({"level": 1, "status": "deregistered", "review_due": "2099-01-01"}),
                 content_type="application/json")
    client.post(reverse("hazchem:majorhazard_edit", args=[registration.pk]), {"level": 1, "review_due": "2099-01-01"})
    client.patch(f"/api/v1/hazard-units/{own.pk}/", json.dumps({"level": 1, "is_major": False}),
                 content_type="application/json")
    assert snapshot(registration) == before
    own.refresh_from_db()
    assert (own.level, own.is_major) == (3, True)


def test_an_enterprise_user_may_not_delete_its_unit_but_fills_its_persons(personas, own):
    client = client_for(personas.enterprise_a_user)
    assert client.post(reverse("hazchem:hazardunit_delete", args=[own.pk])).status_code == 404
    assert HazardUnit.objects.filter(pk=own.pk).exists()
    page = page_text(client.get(own.get_absolute_url()))
    assert reverse("hazchem:majorhazard_edit", args=[own.registration.pk]) in page
    assert reverse("hazchem:hazardunit_delete", args=[own.pk]) not in page


def test_the_persons_phones_are_masked_for_who_may_not_see_personal_data(personas, own):
    MajorHazard.objects.filter(pk=own.registration.pk).update(principal_name="张三", principal_phone="13812345678")
    url = f"/api/v1/major-hazards/{own.registration.pk}/"
    detail = reverse("hazchem:majorhazard_detail", args=[own.registration.pk])
    for persona in ("grid_worker_a", "expert_a"):
        client = client_for(getattr(personas, persona))
        assert "13812345678" not in client.get(url).json()["principal_phone"]
        assert "13812345678" not in page_text(client.get(detail))
    town = client_for(personas.town_a_supervisor)
    assert town.get(url).json()["principal_phone"] == "13812345678"
    assert "13812345678" in page_text(town.get(detail))
