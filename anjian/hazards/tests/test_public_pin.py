"""The map pin of a public report (issue 8 item 6: "place (town or village, or a map pin)"): the form and the API take
an optional pin inside Dongguan; a pin alone places the report only where real outlines exist; the regulator's
report page shows it on the map, the public tracking page never does."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from anjian.core.testing.matrix import client_for
from anjian.hazards import services_public
from anjian.hazards.models import PublicReport
from anjian.hazards.tests.test_public_api import PUBLIC, post_json
from anjian.hazards.tests.test_public_views import FORM, TRACK, form_data, text
from anjian.regions import geometry as geo
from anjian.regions.models import RegionOutline

pytestmark = pytest.mark.django_db

# Near the 东城街道 centre (town A of the personas).
PIN = {"latitude": "23.005000", "longitude": "113.785000"}
TOWN_REQUIRED = re.compile(r'<select name="town"[^>]*\brequired\b')


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, plain_static):
    settings.MEDIA_ROOT = tmp_path / "media"


def square_around(latitude: float, longitude: float, half: float = 0.01) -> dict:
    ring = [
        [longitude - half, latitude - half],
        [longitude + half, latitude - half],
        [longitude + half, latitude + half],
        [longitude - half, latitude + half],
        [longitude - half, latitude - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def real_outline(region, *, approximate: bool = False) -> RegionOutline:
    geometry = square_around(float(PIN["latitude"]), float(PIN["longitude"]))
    west, south, east, north = geo.bbox(geometry)
    return RegionOutline.objects.create(
        region=region, geometry=geometry, west=west, south=south, east=east, north=north, approximate=approximate
    )


def test_the_form_keeps_a_pin_beside_the_chosen_place(personas):
    response = Client().post(FORM, form_data(personas, **PIN))
    assert response.status_code == 200 and 'data-testid="tracking-code"' in text(response), text(response)[:1500]
    report = PublicReport.objects.get()
    assert report.region == personas.village_a
    assert (report.latitude, report.longitude) == (Decimal("23.005000"), Decimal("113.785000"))


def test_the_form_page_carries_the_map_and_no_pin_by_default(personas):
    body = text(Client().get(FORM))
    assert 'id="report-pin-config"' in body and "hazards/report_pin.js" in body and "vendor/leaflet/leaflet.js" in body
    assert 'type="hidden" name="latitude"' in body and 'type="hidden" name="longitude"' in body
    config = json.loads(body.split('id="report-pin-config" type="application/json">')[1].split("</script>")[0])
    assert config["pin"] is None and config["editable"] is True and not config["tileUrl"]
    (south, west), (north, east) = config["bounds"]
    # The city outline's extent (lng 113.52–114.26, lat 22.65–23.14) and a margin of about 1 km.
    assert (round(west, 2), round(south, 2), round(east, 2), round(north, 2)) == (113.51, 22.64, 114.27, 23.15)


@pytest.mark.parametrize(
    "pin, field",
    [
        ({"latitude": "39.904200", "longitude": "116.407400"}, "latitude"),  # Beijing
        ({"latitude": "113.785000", "longitude": "23.005000"}, "latitude"),  # swapped
        ({"latitude": "23.005000", "longitude": "114.400000"}, "longitude"),  # east of the city
        ({"latitude": "23.005000", "longitude": ""}, "latitude"),  # half a pin
        ({"latitude": "abc", "longitude": "113.785000"}, "latitude"),
    ],
)
def test_bad_coordinates_are_refused_on_the_form_and_nothing_is_filed(personas, pin, field):
    response = Client().post(FORM, form_data(personas, **pin))
    assert response.status_code == 200
    body = text(response)
    assert 'id="form-error-summary"' in body and f'href="#id_{field}"' in body
    assert not PublicReport.objects.exists()


def test_without_real_outlines_a_pin_alone_is_not_enough(personas):
    # The 示意 areas are drawn, never used to decide.
    real_outline(personas.town_a, approximate=True)
    assert TOWN_REQUIRED.search(text(Client().get(FORM)))
    response = Client().post(FORM, form_data(personas, town="", village="", **PIN))
    assert "该字段是必填项。" in text(response)
    assert not PublicReport.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services_public.public_report_submit(region="", description="油漆堆放", **PIN)
    assert "region" in refused.value.message_dict


def test_with_real_outlines_a_pin_alone_finds_the_village(personas):
    real_outline(personas.town_a)
    real_outline(personas.village_a)
    assert not TOWN_REQUIRED.search(text(Client().get(FORM)))
    response = Client().post(FORM, form_data(personas, town="", village="", **PIN))
    assert 'data-testid="tracking-code"' in text(response), text(response)[:1500]
    assert PublicReport.objects.get().region == personas.village_a
    # Outside every real outline (but inside the city), the town must be chosen after all.
    response = Client().post(
        FORM, form_data(personas, town="", village="", latitude="22.815000", longitude="113.675000")
    )
    assert "无法根据地图标记确定所在镇街" in text(response)
    assert PublicReport.objects.count() == 1


def test_the_api_takes_a_pin_and_refuses_one_outside_dongguan(personas):
    response = post_json(Client(), PUBLIC, {"region": personas.town_b.code, "description": "夜间违规动火", **PIN})
    assert response.status_code == 201, response.content
    report = PublicReport.objects.get()
    assert report.region == personas.town_b and str(report.longitude) == "113.785000"
    for pin, field in (
        ({"latitude": "31.230000", "longitude": "121.470000"}, "latitude"),
        ({"latitude": "23.000000"}, "latitude"),
    ):
        refused = post_json(Client(), PUBLIC, {"region": personas.town_b.code, "description": "x", **pin})
        assert refused.status_code == 400 and field in refused.json()["fields"], refused.content
    missing = post_json(Client(), PUBLIC, {"description": "x", **PIN})
    assert missing.status_code == 400 and "region" in missing.json()["fields"]
    assert PublicReport.objects.count() == 1


def test_the_api_places_a_pin_alone_by_real_outlines(personas):
    real_outline(personas.village_a)
    response = post_json(Client(), PUBLIC, {"description": "夜间违规动火", **PIN})
    assert response.status_code == 201, response.content
    assert PublicReport.objects.get().region == personas.village_a


def test_the_tracking_page_and_status_never_show_the_pin(personas):
    report = services_public.public_report_submit(region=personas.town_a.code, description="油漆堆放", **PIN)
    page = text(Client().post(TRACK, {"code": report.tracking_code}))
    assert 'data-testid="tracking-status"' in page
    for secret in ("23.005", "113.785", "report-pin", "leaflet"):
        assert secret not in page
    answer = Client().get(f"{PUBLIC}{report.tracking_code}/").json()
    assert "latitude" not in answer and "longitude" not in answer
    assert "113.785" not in json.dumps(answer)


def test_the_triage_page_shows_the_pin_on_the_map(personas):
    pinned = services_public.public_report_submit(region=personas.town_a.code, description="油漆堆放", **PIN)
    plain = services_public.public_report_submit(region=personas.town_a.code, description="无证经营")
    client = client_for(personas.town_a_supervisor)
    body = text(client.get(reverse("hazards:publicreport_detail", args=[pinned.pk])))
    config = json.loads(body.split('id="report-pin-config" type="application/json">')[1].split("</script>")[0])
    assert config["pin"] == [23.005, 113.785] and config["editable"] is False
    assert 'data-testid="report-pin"' in body and "hazards/report_pin.js" in body
    body = text(client.get(reverse("hazards:publicreport_detail", args=[plain.pk])))
    assert "report-pin" not in body and "leaflet" not in body


def test_the_map_background_is_public_geography(personas):
    real_outline(personas.town_a, approximate=True)
    response = Client().get(reverse("hazards:public_report_map"))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    kinds = [feature["properties"]["kind"] for feature in response.json()["features"]]
    assert kinds.count("city") == 1 and kinds.count("town") == 1 and kinds.count("label") == 36
    town = next(feature for feature in response.json()["features"] if feature["properties"]["kind"] == "town")
    assert town["properties"] == {
        "kind": "town",
        "code": personas.town_a.code,
        "name": personas.town_a.name,
        "approximate": True,
    }
