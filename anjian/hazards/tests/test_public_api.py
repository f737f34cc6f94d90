"""The API of public reports (issue 8, "Interfaces others rely on"): POST /api/v1/public-reports/ and
GET /api/v1/public-reports/<tracking_code>/ without login, rate-limited per address; the regulators' triage under
/api/v1/public-report-triage/."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from anjian.core.models import Attachment
from anjian.core.testing.matrix import client_for
from anjian.hazards import services_public
from anjian.hazards.choices import HazardSource, HazardStatus, PublicReportStatus
from anjian.hazards.models import Hazard, PublicReport
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public-reports/"
TRIAGE = "/api/v1/public-report-triage/"
CONTACT = "13912345678"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_file(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_submit_with_photos_and_follow_by_code(personas):
    client = Client()
    response = client.post(PUBLIC, {"region": personas.village_a.code, "description": "厂房消防通道被堵",
                                    "contact": CONTACT, "photos": [jpeg_file("1.jpg"), jpeg_file("2.jpg")]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert list(body) == ["tracking_code"]
    report = PublicReport.objects.get(tracking_code=body["tracking_code"])
    assert report.contact == CONTACT and Attachment.objects.filter(object_id=str(report.pk)).count() == 2
    status = client.get(f"{PUBLIC}{body['tracking_code']}/")
    assert status.status_code == 200
    answer = status.json()
    assert answer["status"] == "pending" and answer["status_label"] == "待处理"
    assert CONTACT not in status.content.decode() and "id" not in answer
    # Also in lower case and with the groups' hyphens.
    grouped = services_public.format_tracking_code(report.tracking_code).lower()
    assert client.get(f"{PUBLIC}{grouped}/").status_code == 200

    services_public.public_report_accept(actor=personas.town_a_supervisor, report=report,
                                         enterprise=personas.enterprise_a, public_reply="已责令整改")
    Hazard.objects.update(status=HazardStatus.RECTIFYING)
    answer = client.get(f"{PUBLIC}{report.tracking_code}/").json()
    assert answer["status"] == "accepted" and answer["hazard_progress"] == "整改中"
    text = json.dumps(answer, ensure_ascii=False)
    for secret in (CONTACT, personas.enterprise_a.name, "town_a_supervisor"):
        assert secret not in text


def test_json_body_without_photos(personas):
    response = post_json(Client(), PUBLIC, {"region": personas.town_b.code, "description": "夜间违规动火作业",
                                            "latitude": "22.8", "longitude": "113.67"})
    assert response.status_code == 201
    report = PublicReport.objects.get()
    assert report.region == personas.town_b and str(report.latitude) == "22.800000"


def test_unknown_and_malformed_codes_answer_the_same_404(personas):
    report = services_public.public_report_submit(region=personas.town_a.code, description="无证经营")
    unknown = "".join("2" if ch != "2" else "3" for ch in report.tracking_code)
    answers = [Client().get(f"{PUBLIC}{code}/") for code in (unknown, "0O1IL", "abc.def", "%E4%B8%AD", "x" * 300)]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    assert answers[0].json()["code"] == "not_found"


def test_no_list_and_no_writes_on_the_public_collection(personas):
    report = services_public.public_report_submit(region=personas.town_a.code, description="无证经营")
    client = Client()
    assert client.get(PUBLIC).status_code == 405
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"{PUBLIC}{report.tracking_code}/").status_code == 405


@pytest.mark.parametrize("body, field", [
    ({"region": "441900000000", "description": "x"}, "region"),
    ({"region": "", "description": "x"}, "region"),
    ({"region": "441900003000"}, "description"),
    ({"region": "441900003000", "description": "x", "contact": "abc"}, "contact"),
    ({"region": "441900003000", "description": "x", "latitude": "95", "longitude": "113"}, "latitude"),
])
def test_bad_input_answers_400_and_writes_nothing(personas, body, field):
    response = post_json(Client(), PUBLIC, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not PublicReport.objects.exists()


def test_wrong_photo_type_or_size_answers_400_and_writes_nothing(personas, settings):
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = Client().post(PUBLIC, {"region": personas.town_a.code, "description": "x", "photos": [pdf]})
    assert response.status_code == 400 and "photos" in response.json()["fields"]
    settings.ANJIAN_UPLOAD_MAX_BYTES = 100
    response = Client().post(PUBLIC, {"region": personas.town_a.code, "description": "x", "photos": [jpeg_file()]})
    assert response.status_code == 400 and "文件过大" in json.dumps(response.json(), ensure_ascii=False)
    assert not PublicReport.objects.exists() and not Attachment.objects.exists()


def test_rate_limited_per_address_with_429(personas, settings):
    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.20")
    body = {"region": personas.town_a.code, "description": "违规储存危险化学品"}
    assert [post_json(client, PUBLIC, body).status_code for _index in range(2)] == [201, 201]
    # Every API POST counts, a bad one too, and a forged X-Forwarded-For from an untrusted client changes nothing.
    response = client.post(PUBLIC, json.dumps(body), content_type="application/json",
                           HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and "请求过于频繁" in response.json()["message"]
    assert int(response["Retry-After"]) > 0
    # Reading a status is not limited.
    code = PublicReport.objects.first().tracking_code
    assert client.get(f"{PUBLIC}{code}/").status_code == 200
    assert post_json(Client(REMOTE_ADDR="203.0.113.21"), PUBLIC, body).status_code == 201


def test_the_api_and_the_form_share_one_count(personas, settings):
    from anjian.hazards.tests.test_public_views import FORM, form_data

    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 1
    client = Client(REMOTE_ADDR="203.0.113.30")
    assert post_json(client, PUBLIC, {"region": personas.town_a.code, "description": "x"}).status_code == 201
    assert client.post(FORM, form_data(personas)).status_code == 429


# ---- triage -------------------------------------------------------------------------------------------------------


@pytest.fixture
def report(personas):
    return services_public.public_report_submit(region=personas.village_a.code, description="仓库堆放油漆",
                                                contact=CONTACT)


def test_regulators_list_and_read_with_the_contact_masked_for_a_grid_worker(personas, report):
    body = client_for(personas.town_a_supervisor).get(TRIAGE).json()
    row = body["results"][0]
    assert row["tracking_code"] == report.tracking_code and row["contact"] == CONTACT
    assert row["region"] == personas.village_a.code
    grid = client_for(personas.grid_worker_a).get(f"{TRIAGE}{report.pk}/").json()
    assert grid["contact"] == "139****5678"
    assert client_for(personas.town_a_supervisor).get(TRIAGE, {"status": "accepted"}).json()["results"] == []


def test_accept_through_the_api_creating_or_linking(personas, report):
    client = client_for(personas.town_a_supervisor)
    url = f"{TRIAGE}{report.pk}/accept/"
    assert post_json(client, url, {}).status_code == 400
    refused = post_json(client, url, {"enterprise": personas.enterprise_b.pk})
    assert refused.status_code == 400 and "enterprise" in refused.json()["fields"]
    missing = post_json(client, url, {"enterprise": 987654321})
    assert missing.json() == refused.json()
    response = post_json(client, url, {"enterprise": personas.enterprise_a.pk, "public_reply": "已受理"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    hazard = Hazard.objects.get()
    assert response.json()["hazard"] == hazard.pk and hazard.source == HazardSource.PUBLIC_REPORT
    assert post_json(client, url, {"enterprise": personas.enterprise_a.pk}).status_code == 409

    second = services_public.public_report_submit(region=personas.town_a.code, description="同一处油漆")
    linked = post_json(client, f"{TRIAGE}{second.pk}/accept/", {"hazard": hazard.pk})
    assert linked.status_code == 200 and linked.json()["hazard"] == hazard.pk
    foreign = make_hazard(personas.enterprise_b)
    third = services_public.public_report_submit(region=personas.town_a.code, description="另一处")
    assert post_json(client, f"{TRIAGE}{third.pk}/accept/", {"hazard": foreign.pk}).status_code == 400


def test_dismiss_and_reward_through_the_api(personas, report):
    client = client_for(personas.town_a_supervisor)
    assert post_json(client, f"{TRIAGE}{report.pk}/reward/", {"reward_amount": "100"}).status_code == 409
    assert post_json(client, f"{TRIAGE}{report.pk}/dismiss/", {"reason": ""}).status_code == 400
    response = post_json(client, f"{TRIAGE}{report.pk}/dismiss/", {"reason": "重复举报", "public_reply": "已合并处理"})
    assert response.status_code == 200 and response.json()["status"] == PublicReportStatus.REJECTED
    accepted = services_public.public_report_submit(region=personas.town_a.code, description="x")
    services_public.public_report_accept(actor=personas.town_a_supervisor, report=accepted,
                                         enterprise=personas.enterprise_a)
    response = post_json(client, f"{TRIAGE}{accepted.pk}/reward/", {"reward_amount": "500.00", "reward_note": "现金"})
    assert response.status_code == 200 and response.json()["reward_amount"] == "500.00"


def test_town_b_and_anonymous_get_nothing_of_town_a(personas, report):
    other = client_for(personas.town_b_supervisor)
    assert other.get(f"{TRIAGE}{report.pk}/").status_code == 404
    assert report.tracking_code not in other.get(TRIAGE).content.decode()
    for action in ("accept", "dismiss", "reward"):
        assert post_json(other, f"{TRIAGE}{report.pk}/{action}/",
                         {"enterprise": personas.enterprise_a.pk, "reason": "x"}).status_code == 404
    assert Client().get(TRIAGE).status_code in (401, 403)
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING


def test_schema_documents_both_collections(personas):
    schema = client_for(personas.city_admin).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/public-reports/" in paths and "/api/v1/public-reports/{tracking_code}/" in paths
    assert "/api/v1/public-report-triage/{id}/accept/" in paths
    assert "429" in paths["/api/v1/public-reports/"]["post"]["responses"]
    assert "get" not in paths["/api/v1/public-reports/"]
