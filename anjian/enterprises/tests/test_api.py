"""The registry API: scoping, cursor pages, writes through the services, one error format, no 500 on bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent
from anjian.core.testing.personas import TOWN_A
from anjian.enterprises.models import ArchiveDocument, Enterprise, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory, make_uscc

pytestmark = pytest.mark.django_db

ENTERPRISES = "/api/v1/enterprises/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def valid_payload(personas, **changes) -> dict:
    payload = {
        "uscc": make_uscc(777001),
        "name": "东城新登记企业有限公司",
        "legal_representative": "王五",
        "safety_principal": "赵六",
        "safety_principal_phone": "13912345678",
        "address": "东城街道测试路8号",
        "region": personas.village_a.code,
        "industry": "3360",
        "domain": "machinery",
        "size": "small",
        "employee_count": 30,
        "latitude": "23.010000",
        "longitude": "113.760000",
        "dust_explosion": True,
    }
    payload.update(changes)
    return payload


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["message"]
    for field in fields:
        assert body["fields"].get(field), body
    return body


# --- reading -------------------------------------------------------------------------------------------------


def test_item_has_the_interface_fields(personas):
    response = client_for(personas.city_supervisor).get(f"{ENTERPRISES}{personas.enterprise_a.pk}/")
    assert response.status_code == 200
    item = response.json()
    assert item["id"] == personas.enterprise_a.pk
    assert item["uscc"] == personas.enterprise_a.uscc
    assert item["name"] == "东城甲企业有限公司"
    assert item["region"] == personas.village_a.code
    assert item["town"] == TOWN_A
    assert item["industry"] == "3360"


def test_region_filter_is_the_whole_subtree_and_cursor_pages_follow_next(personas):
    town_a_villages = list(personas.town_a.children.order_by("code")[:3])
    extra = [EnterpriseFactory(region=village) for village in town_a_villages for _ in range(2)]
    expected = {personas.enterprise_a.pk, *(enterprise.pk for enterprise in extra)}
    client = client_for(personas.city_supervisor)

    seen, url, pages = [], f"{ENTERPRISES}?region={TOWN_A}&page_size=3", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        assert len(body["results"]) <= 3
        seen += [item["id"] for item in body["results"]]
        url, pages = body["next"], pages + 1
    assert sorted(seen) == sorted(expected)  # every row once, none of town B
    assert pages == 3


def test_cursor_pages_keep_a_requested_order(personas):
    for village in personas.town_a.children.order_by("code")[:2]:
        EnterpriseFactory(region=village, name=f"{village.code}号企业")
    client = client_for(personas.town_a_supervisor)
    names, url = [], f"{ENTERPRISES}?ordering=-name&page_size=2"
    while url:
        body = client.get(url).json()
        names += [item["name"] for item in body["results"]]
        url = body["next"]
    assert names == sorted(Enterprise.objects.filter(region__code__startswith="441900003").values_list(
        "name", flat=True), reverse=True)


def test_filters_domain_flag_and_search(personas):
    EnterpriseFactory(region=personas.village_a, domain="hazchem", major_hazard=True, name="东城化工有限公司")
    client = client_for(personas.town_a_supervisor)
    body = client.get(f"{ENTERPRISES}?domain=hazchem&major_hazard=true").json()
    assert [item["name"] for item in body["results"]] == ["东城化工有限公司"]
    body = client.get(f"{ENTERPRISES}?q=甲企业").json()
    assert [item["id"] for item in body["results"]] == [personas.enterprise_a.pk]


def test_bad_filter_values_answer_400(personas):
    client = client_for(personas.city_supervisor)
    assert_error(client.get(f"{ENTERPRISES}?region=441900999999"), 400, "region")
    assert_error(client.get(f"{ENTERPRISES}?domain=nonsense"), 400, "domain")
    assert_error(client.get(f"{ENTERPRISES}?ordering=password"), 400, "ordering")
    assert_error(client.get(f"{ENTERPRISES}?cursor=garbage"), 400, "cursor")


def test_town_supervisor_lists_only_own_town(personas):
    body = client_for(personas.town_a_supervisor).get(ENTERPRISES).json()
    assert [item["id"] for item in body["results"]] == [personas.enterprise_a.pk]


def test_enterprise_user_lists_only_own_enterprise(personas):
    body = client_for(personas.enterprise_a_user).get(ENTERPRISES).json()
    assert [item["id"] for item in body["results"]] == [personas.enterprise_a.pk]


def test_out_of_scope_id_answers_exactly_like_a_missing_one(personas):
    client = client_for(personas.town_a_supervisor)
    missing = Enterprise.objects.order_by("-pk").first().pk + 1000
    for method in ("get", "patch", "put", "delete"):
        out_of_scope = getattr(client, method)(f"{ENTERPRISES}{personas.enterprise_b.pk}/", {}, format="json")
        absent = getattr(client, method)(f"{ENTERPRISES}{missing}/", {}, format="json")
        assert out_of_scope.status_code == absent.status_code == 404
        assert out_of_scope.json() == absent.json()
        assert out_of_scope.json()["code"] == "not_found"
    assert Enterprise.objects.filter(pk=personas.enterprise_b.pk).exists()


def test_visible_but_not_changeable_answers_403(personas):
    response = client_for(personas.grid_worker_a).patch(
        f"{ENTERPRISES}{personas.enterprise_a.pk}/", {"name": "改名"}, format="json"
    )
    assert_error(response, 403)
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.name == "东城甲企业有限公司"


# --- phone masking -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "masked"),
    [
        ("grid_worker_a", True),
        ("expert_a", True),
        ("town_a_supervisor", False),
        ("city_supervisor", False),
        ("city_admin", False),
        ("enterprise_a_user", False),
    ],
)
def test_safety_principal_phone_is_masked_for_roles_that_do_not_need_it(personas, persona, masked):
    client = client_for(getattr(personas, persona))
    detail = client.get(f"{ENTERPRISES}{personas.enterprise_a.pk}/").json()
    listed = client.get(ENTERPRISES).json()["results"][0]
    expected = "138****0000" if masked else "13800000000"
    assert detail["safety_principal_phone"] == listed["safety_principal_phone"] == expected


# --- writing -------------------------------------------------------------------------------------------------


def test_create_goes_through_the_service_and_is_audited(personas):
    response = client_for(personas.town_a_supervisor).post(ENTERPRISES, valid_payload(personas), format="json")
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["region"] == personas.village_a.code
    assert item["dust_explosion"] is True
    enterprise = Enterprise.objects.get(pk=item["id"])
    assert AuditEvent.objects.filter(action="enterprise.create", object_id=str(enterprise.pk)).exists()
    assert enterprise.history.first().history_user == personas.town_a_supervisor


def test_update_and_partial_update(personas):
    client = client_for(personas.town_a_supervisor)
    url = f"{ENTERPRISES}{personas.enterprise_a.pk}/"
    response = client.patch(url, {"name": "东城甲企业（改）有限公司", "employee_count": 80}, format="json")
    assert response.status_code == 200, response.content
    full = {**client.get(url).json(), "address": "东城街道新址1号"}
    response = client.put(url, full, format="json")
    assert response.status_code == 200, response.content
    personas.enterprise_a.refresh_from_db()
    assert (personas.enterprise_a.name, personas.enterprise_a.employee_count) == ("东城甲企业（改）有限公司", 80)
    assert personas.enterprise_a.address == "东城街道新址1号"


def test_enterprise_user_edits_own_record_without_seeing_regions(personas):
    client = client_for(personas.enterprise_a_user)
    url = f"{ENTERPRISES}{personas.enterprise_a.pk}/"
    response = client.put(url, {**client.get(url).json(), "employee_count": 61}, format="json")
    assert response.status_code == 200, response.content
    assert_error(client.post(ENTERPRISES, valid_payload(personas), format="json"), 403)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uscc": "91441900000100001X"}, "uscc"),  # wrong check character
        ({"uscc": "123"}, "uscc"),
        ({"region": "441900999999"}, "region"),  # no such village
        ({"region": TOWN_A}, "region"),  # a town, not a village
        ({"region": ["441900003001"]}, "region"),
        ({"industry": "9999"}, "industry"),
        ({"latitude": "39.900000", "longitude": "116.400000"}, "latitude"),  # Beijing
        ({"longitude": "120.000000"}, "longitude"),
        ({"latitude": "NaN"}, "latitude"),
        ({"employee_count": "许多"}, "employee_count"),
        ({"employee_count": 10**30}, "employee_count"),
        ({"employee_count": -5}, "employee_count"),
        ({"domain": "space"}, "domain"),
        ({"park": "abc"}, "park"),
        ({"park": 999999}, "park"),
        ({"name": "x" * 500}, "name"),
        ({"name": "空\x00字符"}, "name"),
        ({"dust_explosion": "perhaps"}, "dust_explosion"),
        ({"standardization_grade": "2"}, "standardization_expires"),  # model clean(), through the service
    ],
)
def test_create_with_bad_input_answers_400_with_fields_and_changes_nothing(personas, changes, field):
    before = Enterprise.objects.count()
    response = client_for(personas.city_admin).post(ENTERPRISES, valid_payload(personas, **changes), format="json")
    assert_error(response, 400, field)
    assert Enterprise.objects.count() == before


def test_wrong_uscc_names_the_expected_check_character(personas):
    body = valid_payload(personas)
    good = body["uscc"]
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client_for(personas.city_admin).post(ENTERPRISES, {**body, "uscc": wrong}, format="json")
    message = assert_error(response, 400, "uscc")["fields"]["uscc"][0]
    assert good[-1] in message


def test_duplicate_uscc_answers_400(personas):
    payload = valid_payload(personas, uscc=personas.enterprise_b.uscc)
    response = client_for(personas.town_a_supervisor).post(ENTERPRISES, payload, format="json")
    assert "已登记" in assert_error(response, 400, "uscc")["fields"]["uscc"][0]


def test_town_supervisor_cannot_place_an_enterprise_in_another_town(personas):
    client = client_for(personas.town_a_supervisor)
    response = client.post(ENTERPRISES, valid_payload(personas, region=personas.village_b.code), format="json")
    assert_error(response, 400, "region")
    response = client.patch(
        f"{ENTERPRISES}{personas.enterprise_a.pk}/", {"region": personas.village_b.code}, format="json"
    )
    assert_error(response, 400, "region")
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.region == personas.village_a


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"name": "未闭合'.encode(), "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"just a string"', "application/json"),
        (b'{"name": "\xff\xfe"}', "application/json"),  # not UTF-8
        (b"name=x", "text/plain"),
    ],
)
def test_malformed_bodies_answer_4xx_in_the_error_format(personas, body, content_type):
    client = client_for(personas.city_admin)
    response = client.generic("POST", ENTERPRISES, body, content_type)
    assert response.status_code in {400, 415}
    assert set(response.json()) == {"code", "message", "fields"}
    response = client.generic("PATCH", f"{ENTERPRISES}{personas.enterprise_a.pk}/", body, content_type)
    assert response.status_code in {400, 415}
    if content_type == "application/json" and body.startswith(b"{"):
        assert response.json()["code"] == "parse_error"
        assert response.json()["fields"]


def test_delete_needs_the_delete_right_and_a_free_record(personas):
    enterprise = EnterpriseFactory(region=personas.village_a)
    assert_error(client_for(personas.town_a_supervisor).delete(f"{ENTERPRISES}{enterprise.pk}/"), 403)
    admin = client_for(personas.city_admin)
    assert admin.delete(f"{ENTERPRISES}{enterprise.pk}/").status_code == 204
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    # enterprise_a still has its user account: refused with 409, not a 500.
    assert assert_error(admin.delete(f"{ENTERPRISES}{personas.enterprise_a.pk}/"), 409)["code"] == "conflict"


def test_anonymous_gets_401_in_the_error_format(db):
    response = APIClient().get(ENTERPRISES)
    assert assert_error(response, 401)["code"] == "not_authenticated"
    response = APIClient().get(ENTERPRISES, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(response, 401)


# --- licences, insurance, archives ------------------------------------------------------------------------------


def test_licences_are_scoped_and_validated(personas):
    licence_b = LicenceFactory(enterprise=personas.enterprise_b)
    client = client_for(personas.town_a_supervisor)
    assert client.get("/api/v1/licences/").json()["results"] == []
    assert client.get(f"/api/v1/licences/{licence_b.pk}/").status_code == 404

    payload = {
        "enterprise": personas.enterprise_a.pk, "licence_type": "safety_production", "number": "粤安许2026-001",
        "issuer": "广东省应急管理厅", "valid_from": "2026-01-01", "valid_to": "2029-01-01",
    }
    response = client.post("/api/v1/licences/", payload, format="json")
    assert response.status_code == 201, response.content
    assert_error(client.post("/api/v1/licences/", {**payload, "enterprise": personas.enterprise_b.pk},
                             format="json"), 400, "enterprise")
    response = client.post("/api/v1/licences/", {**payload, "number": "粤安许2026-002", "valid_to": "2020-01-01"},
                           format="json")
    assert_error(response, 400)
    assert_error(client.post("/api/v1/licences/", payload, format="json"), 400)  # same type and number
    assert Licence.objects.filter(enterprise=personas.enterprise_a).count() == 1


def test_insurance_create(personas):
    payload = {
        "enterprise": personas.enterprise_a.pk, "insurer": "人保财险东莞分公司", "policy_number": "PZAA-1",
        "insured_persons": 20, "coverage_per_person_yuan": "500000.00", "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
    }
    response = client_for(personas.enterprise_a_user).post("/api/v1/insurances/", payload, format="json")
    assert response.status_code == 201, response.content
    response = client_for(personas.city_admin).post("/api/v1/insurances/", payload, format="json")
    assert_error(response, 400, "policy_number")


PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def archive_payload(personas, content: bytes = PDF, name: str = "评价报告.pdf") -> dict:
    return {
        "enterprise": personas.enterprise_a.pk,
        "doc_type": "safety_assessment",
        "title": "安全现状评价报告",
        "valid_to": "2027-06-30",
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_archive_upload_and_download_under_the_gate(personas, media_root):
    client = client_for(personas.enterprise_a_user)
    response = client.post("/api/v1/archives/", archive_payload(personas), format="multipart")
    assert response.status_code == 201, response.content
    item = response.json()
    assert "file" not in item and item["file_name"].endswith(".pdf")

    download = client.get(item["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    assert client_for(personas.town_b_supervisor).get(item["download_url"]).status_code == 404
    assert client_for(personas.town_a_supervisor).get(item["download_url"]).status_code == 200


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf"),  # a Windows executable renamed
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "report.exe"),
        (b"#!/bin/sh\nrm -rf /\n", "run.sh"),
        (b"plain text, not a pdf", "report.pdf"),
    ],
)
def test_executable_or_disguised_upload_is_refused(personas, media_root, content, name):
    response = client_for(personas.city_admin).post(
        "/api/v1/archives/", archive_payload(personas, content, name), format="multipart"
    )
    assert_error(response, 400, "file")
    assert not ArchiveDocument.objects.exists()


def test_huge_upload_is_refused(personas, media_root):
    big = PDF + b"\x00" * (21 * 1024 * 1024)
    response = client_for(personas.city_admin).post(
        "/api/v1/archives/", archive_payload(personas, big), format="multipart"
    )
    assert "上限" in assert_error(response, 400, "file")["fields"]["file"][0]
    assert not ArchiveDocument.objects.exists()


@override_settings(ANJIAN_UPLOAD_MAX_BYTES=1024 * 1024)
def test_upload_limit_follows_the_setting(personas, media_root):
    response = client_for(personas.city_admin).post(
        "/api/v1/archives/", archive_payload(personas, PDF + b"\x00" * (2 * 1024 * 1024)), format="multipart"
    )
    assert_error(response, 400, "file")


def test_missing_file_on_disk_answers_404(personas, media_root):
    client = client_for(personas.city_admin)
    item = client.post("/api/v1/archives/", archive_payload(personas), format="multipart").json()
    ArchiveDocument.objects.get(pk=item["id"]).file.delete(save=False)
    assert_error(client.get(item["download_url"]), 404)


def test_industries_are_reference_data(personas):
    client = client_for(personas.grid_worker_a)
    assert client.get("/api/v1/industries/3360/").json()["code"] == "3360"
    body = client.get("/api/v1/industries/?level=1").json()
    assert body["results"] and all(item["level"] == 1 for item in body["results"])
    assert client.post("/api/v1/industries/", {"code": "X"}, format="json").status_code == 405


def test_list_queries_do_not_grow_with_the_page(personas, django_assert_max_num_queries):
    for village in personas.town_a.children.order_by("code")[:5]:
        EnterpriseFactory.create_batch(4, region=village)
    client = client_for(personas.grid_worker_a)
    client.get(ENTERPRISES)  # warm the user's own lookups
    client = client_for(personas.city_supervisor)
    with django_assert_max_num_queries(6):
        body = client.get(f"{ENTERPRISES}?page_size=30").json()
    assert len(body["results"]) == 22


def test_ordering_by_region_pages_through_every_row(personas):
    villages = list(personas.town_a.children.order_by("-code")[:3])
    for village in villages:
        EnterpriseFactory(region=village)
    client = client_for(personas.town_a_supervisor)
    codes, url = [], f"{ENTERPRISES}?ordering=region&page_size=2"
    while url:
        body = client.get(url).json()
        codes += [item["region"] for item in body["results"]]
        url = body["next"]
    assert codes == sorted(codes) and len(codes) == 4


def test_browsable_api_renders(personas, client, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client.force_login(personas.town_a_supervisor)
    assert client.get(ENTERPRISES, HTTP_ACCEPT="text/html").status_code == 200
    assert client.get(f"{ENTERPRISES}{personas.enterprise_a.pk}/", HTTP_ACCEPT="text/html").status_code == 200


def test_enterprise_user_cannot_move_its_enterprise(personas):
    response = client_for(personas.enterprise_a_user).patch(
        f"{ENTERPRISES}{personas.enterprise_a.pk}/", {"region": personas.village_b.code}, format="json"
    )
    assert_error(response, 400, "region")
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.region == personas.village_a
