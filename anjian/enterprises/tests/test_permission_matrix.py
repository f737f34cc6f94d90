"""The registry's permission matrix (issue 2, "Must show"; issue 6 item 9: the base is anjian.core.testing.matrix).

Enterprises, licences, insurance policies and archive documents: users of town A can neither read nor change
records of town B (list, detail, edit, delete, export, API); the town-A department supervisor reaches only its
domain; an enterprise user sees only its own enterprise; anonymous users see nothing but the login page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import (
    Pair,
    PermissionMatrix,
    Surface,
    api_list_text,
    client_for,
    page_text,
    snapshot,
)
from anjian.core.testing.personas import OTHER_DOMAIN, PASSWORD
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LiabilityInsuranceFactory, LicenceFactory

pytestmark = pytest.mark.django_db

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _archive(enterprise, title: str, name: str) -> ArchiveDocument:
    return ArchiveDocument.objects.create(
        enterprise=enterprise, doc_type=ArchiveDocument._meta.get_field("doc_type").choices[0][0], title=title,
        file=SimpleUploadedFile(name, TINY_PDF, "application/pdf"),
    )


class TestRegistryMatrix(PermissionMatrix):
    surfaces = (
        Surface("enterprise", Enterprise, "enterprises:enterprise_list", "enterprises",
                detail_url="enterprises:enterprise_detail", edit_url="enterprises:enterprise_edit",
                delete_url="enterprises:enterprise_delete", api_writable=True),
        Surface("licence", Licence, "enterprises:licence_list", "licences",
                edit_url="enterprises:licence_edit", delete_url="enterprises:licence_delete", api_writable=True),
        Surface("insurance", LiabilityInsurance, "enterprises:insurance_list", "insurances",
                edit_url="enterprises:insurance_edit", delete_url="enterprises:insurance_delete", api_writable=True),
        Surface("archive", ArchiveDocument, "enterprises:archive_list", "archives",
                edit_url="enterprises:archive_edit", delete_url="enterprises:archive_delete",
                extra_urls=("enterprises:archive_download",), api_writable=True),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        ent_a, ent_b = p.enterprise_a.name, p.enterprise_b.name
        # A town-A enterprise of a domain the town-A department does not supervise.
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        return {
            "enterprise": Pair(p.enterprise_a, p.enterprise_b, (ent_a, p.enterprise_a.uscc),
                               (ent_b, p.enterprise_b.uscc), other, (other.name, other.uscc)),
            "licence": Pair(
                LicenceFactory(enterprise=p.enterprise_a, number="东城甲证字0001"),
                LicenceFactory(enterprise=p.enterprise_b, number="虎门乙证字0002"),
                ("东城甲证字0001",), ("虎门乙证字0002", ent_b),
                LicenceFactory(enterprise=other, number="东城丙证字0003"), ("东城丙证字0003",),
            ),
            "insurance": Pair(
                LiabilityInsuranceFactory(enterprise=p.enterprise_a, policy_number="PDGA2026000001"),
                LiabilityInsuranceFactory(enterprise=p.enterprise_b, policy_number="PDGB2026000002"),
                ("PDGA2026000001",), ("PDGB2026000002", ent_b),
                LiabilityInsuranceFactory(enterprise=other, policy_number="PDGC2026000003"), ("PDGC2026000003",),
            ),
            "archive": Pair(
                _archive(p.enterprise_a, "东城甲应急预案", "plan-a.pdf"),
                _archive(p.enterprise_b, "虎门乙应急预案", "plan-b.pdf"),
                ("东城甲应急预案",), ("虎门乙应急预案", ent_b),
                _archive(other, "东城丙应急预案", "plan-c.pdf"), ("东城丙应急预案",),
            ),
        }


# --- the map, the dashboard and the user menu draw from the same gate ----------------------------------


def test_map_points_only_in_jurisdiction(personas):
    """map_points answers {"points": [[lat, lng, id, name, major_hazard], ...], "count": n}."""
    p = personas
    extra_b = EnterpriseFactory(region=p.village_b, name="虎门乙二号企业有限公司")
    client = client_for(p.town_a_supervisor)
    body = client.get(reverse("map_points")).json()
    ids = {point[2] for point in body["points"]}
    assert ids == {p.enterprise_a.pk}
    assert body["count"] == 1
    assert extra_b.pk not in ids
    # Filters cannot widen the gate: asking for town B's subtree gives nothing.
    body = client.get(reverse("map_points"), {"region": p.town_b.code}).json()
    assert body.get("points", []) == []
    assert client.get(reverse("map")).status_code == 200
    everyone = {point[2] for point in client_for(p.city_supervisor).get(reverse("map_points")).json()["points"]}
    assert {p.enterprise_a.pk, p.enterprise_b.pk, extra_b.pk} <= everyone


def test_home_page_counts_only_the_jurisdiction(personas):
    response = client_for(personas.town_a_supervisor).get(reverse("home"))
    assert response.status_code == 200
    assert personas.enterprise_b.name not in page_text(response)


# --- an enterprise user: its own enterprise only, no registration, no move ------------------------------


def enterprise_form_data(enterprise: Enterprise, **changes: Any) -> dict[str, Any]:
    data = model_to_dict(enterprise, exclude=["id", "created", "updated"])
    data["industry"] = enterprise.industry_id
    data.update(changes)
    form = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                form[key] = "on"
        elif value is not None:
            form[key] = str(value)
    return form


def enterprise_api_data(enterprise: Enterprise, **changes: Any) -> dict[str, Any]:
    data = {
        "uscc": enterprise.uscc, "name": enterprise.name, "legal_representative": enterprise.legal_representative,
        "safety_principal": enterprise.safety_principal, "safety_principal_phone": enterprise.safety_principal_phone,
        "address": enterprise.address, "region": enterprise.region.code, "industry": enterprise.industry_id,
        "domain": enterprise.domain, "size": enterprise.size, "employee_count": enterprise.employee_count,
    }
    data.update(changes)
    return data


def test_enterprise_user_sees_only_its_enterprise(personas):
    p = personas
    client = client_for(p.enterprise_a_user)
    other_a = EnterpriseFactory(region=p.village_a, name="东城丙邻居企业有限公司")
    listed = page_text(client.get(reverse("enterprises:enterprise_list")))
    assert p.enterprise_a.name in listed
    assert p.enterprise_b.name not in listed and other_a.name not in listed
    assert client.get(reverse("enterprises:enterprise_detail", args=[other_a.pk])).status_code == 404
    api = api_list_text(client, "enterprises")
    assert p.enterprise_a.uscc in api and other_a.uscc not in api and p.enterprise_b.uscc not in api


def test_enterprise_user_cannot_register_an_enterprise(personas):
    p = personas
    client = client_for(p.enterprise_a_user)
    count = Enterprise.objects.count()
    assert client.get(reverse("enterprises:enterprise_add")).status_code == 403
    new = EnterpriseFactory.build(region=p.village_a, name="企业用户自建有限公司")
    assert client.post(reverse("enterprises:enterprise_add"), enterprise_form_data(new)).status_code == 403
    response = client.post("/api/v1/enterprises/", enterprise_api_data(new), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Enterprise.objects.count() == count


def test_enterprise_user_cannot_move_its_enterprise_to_town_b(personas):
    p = personas
    client = client_for(p.enterprise_a_user)
    before = snapshot(p.enterprise_a)
    url = reverse("enterprises:enterprise_edit", args=[p.enterprise_a.pk])
    response = client.post(url, enterprise_form_data(p.enterprise_a, region=p.village_b.pk))
    # The village field is disabled for an enterprise user: the form saves the stored village, or refuses.
    assert response.status_code in (200, 302, 403)
    assert snapshot(p.enterprise_a) == before
    response = client.patch(
        f"/api/v1/enterprises/{p.enterprise_a.pk}/", {"region": p.village_b.code}, content_type="application/json"
    )
    assert response.status_code in (400, 403), page_text(response)
    assert snapshot(p.enterprise_a) == before


# --- a town supervisor cannot move or create an enterprise into another town -----------------------------


def test_town_supervisor_cannot_move_an_enterprise_to_town_b(personas):
    p = personas
    client = client_for(p.town_a_supervisor)
    before = snapshot(p.enterprise_a)
    events = AuditEvent.objects.count()
    url = reverse("enterprises:enterprise_edit", args=[p.enterprise_a.pk])
    response = client.post(url, enterprise_form_data(p.enterprise_a, region=p.village_b.pk, safety_principal="越权"))
    assert response.status_code in (200, 403)
    response = client.patch(
        f"/api/v1/enterprises/{p.enterprise_a.pk}/", {"region": p.village_b.code, "safety_principal": "越权"},
        content_type="application/json",
    )
    assert response.status_code in (400, 403), page_text(response)
    assert set(response.json()) == {"code", "message", "fields"}
    assert snapshot(p.enterprise_a) == before
    assert AuditEvent.objects.count() == events


def test_town_supervisor_cannot_create_an_enterprise_in_town_b(personas):
    p = personas
    client = client_for(p.town_a_supervisor)
    new = EnterpriseFactory.build(region=p.village_b, name="越界登记有限公司")
    response = client.post(reverse("enterprises:enterprise_add"), enterprise_form_data(new))
    assert response.status_code in (200, 403)
    response = client.post("/api/v1/enterprises/", enterprise_api_data(new), content_type="application/json")
    assert response.status_code in (400, 403), page_text(response)
    assert not Enterprise.objects.filter(name="越界登记有限公司").exists()


def test_town_supervisor_can_edit_and_create_in_town_a(personas):
    """The positive control of the two tests above: the same requests inside town A do save."""
    p = personas
    client = client_for(p.town_a_supervisor)
    url = reverse("enterprises:enterprise_edit", args=[p.enterprise_a.pk])
    response = client.post(url, enterprise_form_data(p.enterprise_a, safety_principal="陈七"))
    assert response.status_code == 302, page_text(response)[:2000]
    assert Enterprise.objects.get(pk=p.enterprise_a.pk).safety_principal == "陈七"
    new = EnterpriseFactory.build(region=p.village_a, name="东城新登记有限公司")
    response = client.post("/api/v1/enterprises/", enterprise_api_data(new), content_type="application/json")
    assert response.status_code == 201, page_text(response)
    assert Enterprise.objects.filter(name="东城新登记有限公司", region=p.village_a).exists()


# --- anonymous: the login page and nothing else ----------------------------------------------------------


def test_anonymous_is_sent_to_login_from_the_registry_pages(personas):
    """The list, detail, edit and delete pages are in the matrix; these are the registry's other pages."""
    client = Client()
    login = reverse("login")
    urls = [reverse("home"), reverse("map"), reverse("map_points"), reverse("enterprises:enterprise_add"),
            reverse("enterprises:enterprise_import")]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(login), (url, response["Location"])
    assert client.get(login).status_code == 200


def test_anonymous_api_write_changes_nothing(personas):
    before = snapshot(personas.enterprise_a)
    response = Client().patch(
        f"/api/v1/enterprises/{personas.enterprise_a.pk}/", {"name": "匿名篡改"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert snapshot(personas.enterprise_a) == before


def test_api_token_sees_the_same_scope(personas):
    """Systems authenticate with a token (issue 2 Interfaces) and get the same jurisdiction as the browser."""
    p = personas
    response = Client().post(
        "/api/v1/auth/token/", {"username": p.town_a_supervisor.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    text = api_list_text(client, "enterprises")
    assert p.enterprise_a.uscc in text and p.enterprise_b.uscc not in text
    assert client.get(f"/api/v1/enterprises/{p.enterprise_b.pk}/").status_code == 404
    bad = Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/enterprises/")
    assert bad.status_code in (401, 403)
