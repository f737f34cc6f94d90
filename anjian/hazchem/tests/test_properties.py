"""Physical properties by CAS from the `chemicals` package on the chemical page and in the API (issue 9 item 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text
from anjian.hazchem import properties
from anjian.hazchem.models import Chemical


def test_methanol_properties_in_sds_units_with_their_sources():
    data = properties.data_for(["67-56-1"])
    shown = {row.key: row for row in properties.shown_properties(data)}
    assert data.formula == "CH4O" and shown["molar_mass"].value == pytest.approx(32.042, abs=0.001)
    assert shown["boiling_point"].value == pytest.approx(64.5, abs=0.2)  # °C
    assert shown["flash_point"].value == pytest.approx(9.0) and shown["flash_point"].source.startswith("IEC 60079-20-1")
    assert (shown["lower_flammability_limit"].value, shown["upper_flammability_limit"].value) == (6.0, 36.0)
    # Methanol burns: its lower heating value (gas, 25 °C) is about 21.1 MJ/kg.
    assert shown["lower_heating_value"].value == pytest.approx(21.1, abs=0.1)


def test_what_does_not_burn_gets_no_heat_of_combustion_and_an_unknown_cas_gets_nothing():
    chlorine = {row.key for row in properties.shown_properties(properties.data_for(["7782-50-5"]))}
    assert "critical_pressure" in chlorine and "lower_heating_value" not in chlorine
    assert properties.data_for(["1-23-5"]) is None
    # A catalogue row with several CAS numbers takes the first one the package knows.
    assert properties.data_for(["1-23-5", "7664-41-7"]).cas == "7664-41-7"


@pytest.mark.django_db
def test_page_and_api_detail_show_them_and_the_list_does_not_load_them(personas, catalogue):
    methanol = Chemical.objects.get(name="甲醇")
    client = client_for(personas.enterprise_a_user)
    shown = page_text(client.get(reverse("hazchem:chemical_detail", args=[methanol.pk])))
    assert "理化特性" in shown and "闪点" in shown and "IEC 60079-20-1" in shown
    body = client.get(f"/api/v1/chemicals/{methanol.pk}/").json()
    assert body["formula"] == "CH4O"
    assert {row["key"] for row in body["physical_properties"]} >= {"boiling_point", "flash_point"}
    listed = client.get("/api/v1/chemicals/", {"search": "甲醇"}).json()["results"][0]
    assert "physical_properties" not in listed
    mixture = Chemical.objects.filter(cas__isnull=True).first()
    assert "chemicals 数据库中没有该CAS号" in page_text(client.get(reverse("hazchem:chemical_detail",
                                                                     args=[mixture.pk])))
