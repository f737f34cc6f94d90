"""Road transport (issue 9 item 3): vehicles with a valid plate and 道路运输证, trips refused when a permit or
certificate has expired by the departure day (naming which and its expiry), when driver and escort are one person,
or when the load exceeds the vehicle; certificate numbers masked for those who may not correct the trip."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text, xlsx_text
from anjian.hazchem.models import Chemical, HazmatVehicle, Trip, VehicleKind
from anjian.hazchem.services_ledgers import trip_save, vehicle_save

pytestmark = pytest.mark.django_db

DEPARTURE = dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)  # 16:00 on 10 December in Asia/Shanghai


@pytest.fixture
def vehicle(personas):
    return vehicle_save(actor=personas.enterprise_a_user, vehicle=HazmatVehicle(
        enterprise=personas.enterprise_a, plate="粤s12345", kind=VehicleKind.TANK,
        permit_number="粤交运管东字441900001", permit_expires=dt.date(2027, 6, 30), capacity_t=Decimal("20")))


def trip_for(personas, vehicle, **changes) -> Trip:
    values = dict(enterprise=personas.enterprise_a, vehicle=vehicle, chemical=Chemical.objects.get(name="氯"),
                  quantity_t=Decimal("10"), origin="东莞市东城街道", destination="惠州市大亚湾", departure_at=DEPARTURE,
                  driver_name="张三", driver_certificate="440000199001011234",
                  driver_certificate_expires=dt.date(2027, 1, 1), escort_name="李四",
                  escort_certificate="440000199202025678", escort_certificate_expires=dt.date(2027, 1, 1))
    values.update(changes)
    return Trip(**values)


def test_a_plate_is_normalised_and_a_bad_one_refused(personas, vehicle):
    assert vehicle.plate == "粤S12345"
    with pytest.raises(ValidationError, match="有效的机动车号牌"):
        vehicle_save(actor=personas.enterprise_a_user, vehicle=HazmatVehicle(
            enterprise=personas.enterprise_a, plate="ABC123", kind=VehicleKind.VAN, permit_number="1",
            permit_expires=dt.date(2027, 1, 1), capacity_t=Decimal("5")))
    assert HazmatVehicle.objects.count() == 1


def test_a_trip_with_valid_papers_is_planned(personas, vehicle, catalogue):
    trip = trip_save(actor=personas.enterprise_a_user, trip=trip_for(personas, vehicle))
    assert trip.pk and Trip.objects.count() == 1


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"driver_certificate_expires": dt.date(2026, 12, 9)}, "driver_certificate_expires",
     "驾驶员张三的从业资格证有效期至2026-12-09，起运日2026-12-10已过期"),
    ({"escort_certificate_expires": dt.date(2026, 11, 30)}, "escort_certificate_expires",
     "押运员李四的从业资格证有效期至2026-11-30"),
    ({"escort_name": "张三", "escort_certificate": "440000199001011234"}, "escort_name", "押运员不能由驾驶员兼任"),
    ({"quantity_t": Decimal("20.5")}, "quantity_t", "超过车辆粤S12345的核定载质量 20 吨"),
])
def test_a_trip_is_refused_naming_what_is_wrong(personas, vehicle, catalogue, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        trip_save(actor=personas.enterprise_a_user, trip=trip_for(personas, vehicle, **changes))
    assert words in " ".join(refused.value.message_dict[field])
    assert not Trip.objects.exists()


def test_a_certificate_valid_on_the_departure_day_is_enough(personas, vehicle, catalogue):
    # Valid to 10 December, departure 16:00 that day (Shanghai): accepted; the day is the local one, not UTC's.
    trip_save(actor=personas.enterprise_a_user,
              trip=trip_for(personas, vehicle, driver_certificate_expires=dt.date(2026, 12, 10)))
    late = dt.datetime(2026, 12, 10, 17, 0, tzinfo=dt.UTC)  # 01:00 on 11 December in Shanghai
    with pytest.raises(ValidationError, match="起运日2026-12-11已过期"):
        trip_save(actor=personas.enterprise_a_user,
                  trip=trip_for(personas, vehicle, departure_at=late, driver_certificate_expires=dt.date(2026, 12, 10)))


def test_an_expired_vehicle_permit_is_refused_over_the_api(personas, vehicle, catalogue):
    vehicle.permit_expires = dt.date(2026, 12, 1)
    vehicle_save(actor=personas.enterprise_a_user, vehicle=vehicle)
    body = {"enterprise": personas.enterprise_a.pk, "vehicle": vehicle.pk,
            "chemical": Chemical.objects.get(name="氯").pk, "quantity_t": "5", "origin": "甲地", "destination": "乙地",
            "departure_at": DEPARTURE.isoformat(), "driver_name": "张三", "driver_certificate": "A1",
            "driver_certificate_expires": "2027-01-01", "escort_name": "李四", "escort_certificate": "B2",
            "escort_certificate_expires": "2027-01-01"}
    response = client_for(personas.enterprise_a_user).post("/api/v1/trips/", json.dumps(body),
                                                           content_type="application/json")
    assert response.status_code == 400
    assert "车辆粤S12345的道路运输证有效期至2026-12-01" in response.content.decode()
    assert not Trip.objects.exists()


def test_certificate_numbers_are_masked_for_regulators_in_lists_exports_and_api(personas, vehicle, catalogue):
    trip = trip_save(actor=personas.enterprise_a_user, trip=trip_for(personas, vehicle))
    town = client_for(personas.town_a_supervisor)
    assert "440000199001011234" not in page_text(town.get(reverse("hazchem:trip_list")))
    assert "440000199001011234" not in xlsx_text(town.get(reverse("hazchem:trip_list"), {"export": "xlsx"}))
    assert town.get(f"/api/v1/trips/{trip.pk}/").json()["driver_certificate"] == "440****1234"
    assert "440000199001011234" not in page_text(town.get(reverse("hazchem:trip_detail", args=[trip.pk])))
    own = client_for(personas.enterprise_a_user)
    assert own.get(f"/api/v1/trips/{trip.pk}/").json()["driver_certificate"] == "440000199001011234"
