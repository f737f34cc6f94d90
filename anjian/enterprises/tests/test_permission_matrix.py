"""The permission matrix (issue 2, "Must show").

For every model exposed in the UI or API, users of town A can neither read nor change records of town B
(list, detail, edit, delete, export, API); an enterprise user sees only its own enterprise; anonymous users see
nothing but the login page.

Each model gets a record in town A and one in town B, each carrying marker strings that the list, the export and
the API show. The matrix asks every town-A persona for B's record on every surface and expects: absent from
lists and exports, 404 (like a missing id) on detail/edit/delete and in the API, and the database row unchanged.
Positive controls make sure the markers do show: A's record is visible to whoever should see it, and B's record
is visible to town B's supervisor through the very same surfaces.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from anjian.core import audit
from anjian.core.models import AuditEvent
from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.personas import PASSWORD, Personas
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LiabilityInsuranceFactory, LicenceFactory
from anjian.regions.models import IndustrialPark, Region

pytestmark = pytest.mark.django_db

TOWN_A_PERSONAS = ("town_a_supervisor", "grid_worker_a", "enterprise_a_user", "expert_a")
MISSING_PK = 987654321
# The query a page echoes back (search box, sort and export links) is not a leak: strip it before looking.
ECHOES = re.compile(r"<input\b[^>]*>|\shref=\"[^\"]*\"")
MISSING_CODE = "441900999999"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class Surface:
    """Where one model shows up: UI URL names (None where the UI has no such page) and the API collection."""

    key: str
    model: type[models.Model]
    list_url: str
    api: str
    detail_url: str | None = None
    edit_url: str | None = None
    delete_url: str | None = None
    extra_urls: tuple[str, ...] = ()
    api_writable: bool = False
    api_lookup: str = "pk"
    # Which town-A personas should see town A's record (the positive control).
    sees_a: frozenset[str] = frozenset(TOWN_A_PERSONAS)


ENTERPRISE_CHILD = dict(api_writable=True)
SURFACES = (
    Surface("enterprise", Enterprise, "enterprises:enterprise_list", "enterprises",
            detail_url="enterprises:enterprise_detail", edit_url="enterprises:enterprise_edit",
            delete_url="enterprises:enterprise_delete", api_writable=True),
    Surface("licence", Licence, "enterprises:licence_list", "licences",
            edit_url="enterprises:licence_edit", delete_url="enterprises:licence_delete", **ENTERPRISE_CHILD),
    Surface("insurance", LiabilityInsurance, "enterprises:insurance_list", "insurances",
            edit_url="enterprises:insurance_edit", delete_url="enterprises:insurance_delete", **ENTERPRISE_CHILD),
    Surface("archive", ArchiveDocument, "enterprises:archive_list", "archives",
            edit_url="enterprises:archive_edit", delete_url="enterprises:archive_delete",
            extra_urls=("enterprises:archive_download",), **ENTERPRISE_CHILD),
    Surface("region", Region, "regions:region_list", "regions", detail_url="regions:region_detail",
            api_lookup="code", sees_a=frozenset({"town_a_supervisor", "grid_worker_a"})),
    # Parks belong to a town: a village grid worker does not reach them.
    Surface("park", IndustrialPark, "regions:park_list", "parks", detail_url="regions:park_detail",
            sees_a=frozenset({"town_a_supervisor"})),
    Surface("auditevent", AuditEvent, "core:auditevent_list", "audit-events"),
)
SURFACE_IDS = [surface.key for surface in SURFACES]


@dataclass
class Pair:
    a: models.Model
    b: models.Model
    markers_a: tuple[str, ...]
    markers_b: tuple[str, ...]


@dataclass
class World:
    personas: Personas
    pairs: dict[str, Pair] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    use_plain_static(settings)
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(personas) -> World:
    p = personas
    ent_a, ent_b = p.enterprise_a.name, p.enterprise_b.name
    pairs = {
        "enterprise": Pair(p.enterprise_a, p.enterprise_b, (ent_a, p.enterprise_a.uscc), (ent_b, p.enterprise_b.uscc)),
        "licence": Pair(
            LicenceFactory(enterprise=p.enterprise_a, number="东城甲证字0001"),
            LicenceFactory(enterprise=p.enterprise_b, number="虎门乙证字0002"),
            ("东城甲证字0001",), ("虎门乙证字0002", ent_b),
        ),
        "insurance": Pair(
            LiabilityInsuranceFactory(enterprise=p.enterprise_a, policy_number="PDGA2026000001"),
            LiabilityInsuranceFactory(enterprise=p.enterprise_b, policy_number="PDGB2026000002"),
            ("PDGA2026000001",), ("PDGB2026000002", ent_b),
        ),
        "archive": Pair(
            ArchiveDocument.objects.create(
                enterprise=p.enterprise_a, doc_type=ArchiveDocument._meta.get_field("doc_type").choices[0][0],
                title="东城甲应急预案", file=SimpleUploadedFile("plan-a.pdf", TINY_PDF, "application/pdf"),
            ),
            ArchiveDocument.objects.create(
                enterprise=p.enterprise_b, doc_type=ArchiveDocument._meta.get_field("doc_type").choices[0][0],
                title="虎门乙应急预案", file=SimpleUploadedFile("plan-b.pdf", TINY_PDF, "application/pdf"),
            ),
            ("东城甲应急预案",), ("虎门乙应急预案", ent_b),
        ),
        "region": Pair(p.village_a, p.village_b, (p.village_a.code,), (p.village_b.code,)),
        "park": Pair(
            IndustrialPark.objects.create(name="东城甲测试园区", region=p.town_a),
            IndustrialPark.objects.create(name="虎门乙测试园区", region=p.town_b),
            ("东城甲测试园区",), ("虎门乙测试园区",),
        ),
        "auditevent": Pair(
            audit.record(actor=p.town_a_supervisor, action="enterprise.update", obj=p.enterprise_a, reason="甲"),
            audit.record(actor=p.town_b_supervisor, action="enterprise.update", obj=p.enterprise_b, reason="乙"),
            (ent_a,), (ent_b,),
        ),
    }
    return World(personas=p, pairs=pairs)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def snapshot(obj: models.Model) -> dict[str, Any]:
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    data = model_to_dict(fresh)
    data.pop("file", None)
    return {key: str(value) for key, value in data.items()} | {"file": getattr(fresh, "file", None) and fresh.file.name}


def page_text(response) -> str:
    return response.content.decode("utf-8", errors="replace")


def shown_text(response) -> str:
    """The page without the places that echo the request's own query."""
    return ECHOES.sub("", page_text(response))


def xlsx_text(response) -> str:
    assert response["Content-Type"].startswith(XLSX), response["Content-Type"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        if cell is not None
    )


def api_list_text(client: Client, collection: str, params: dict | None = None) -> str:
    """Every page of an API list (cursor pagination follows `next`), as one text."""
    texts = []
    url = f"/api/v1/{collection}/"
    response = client.get(url, params or {})
    for _page in range(20):
        assert response.status_code == 200, (url, response.status_code, page_text(response)[:300])
        body = response.json()
        texts.append(json.dumps(body, ensure_ascii=False))
        next_url = body.get("next") if isinstance(body, dict) else None
        if not next_url:
            break
        response = client.get(next_url)
    return "\n".join(texts)


def api_item(surface: Surface, obj: models.Model) -> str:
    lookup = obj.code if surface.api_lookup == "code" else obj.pk
    return f"/api/v1/{surface.api}/{lookup}/"


def missing_api_item(surface: Surface) -> str:
    return f"/api/v1/{surface.api}/{MISSING_CODE if surface.api_lookup == 'code' else MISSING_PK}/"


def contains_any(text: str, markers: tuple[str, ...]) -> list[str]:
    return [marker for marker in markers if marker in text]


def user_may_export(user, model) -> bool:
    from anjian.core.scope import EXPORT, jurisdiction_of

    return not jurisdiction_of(user, EXPORT, model).nothing


# --- town A personas against town B's records ---------------------------------------------------


@pytest.mark.parametrize("persona", TOWN_A_PERSONAS)
@pytest.mark.parametrize("surface", SURFACES, ids=SURFACE_IDS)
def test_town_a_cannot_read_town_b(world, surface, persona):
    user = getattr(world.personas, persona)
    pair = world.pairs[surface.key]
    client = client_for(user)

    # UI list (also when searching for B's record by name).
    for params in ({}, {"q": pair.markers_b[0]}):
        response = client.get(reverse(surface.list_url), params)
        assert response.status_code == 200, (surface.list_url, response.status_code)
        assert not contains_any(shown_text(response), pair.markers_b), f"{surface.key} list shows town B's record"

    # Export of the list: refused, or without B's record.
    response = client.get(reverse(surface.list_url), {"export": "xlsx"})
    if user_may_export(user, surface.model):
        assert response.status_code == 200
        assert not contains_any(xlsx_text(response), pair.markers_b), f"{surface.key} export has town B's record"
    else:
        assert response.status_code == 403

    # UI detail and the like: 404, exactly like a missing id.
    for name in filter(None, (surface.detail_url, *surface.extra_urls)):
        assert client.get(reverse(name, args=[pair.b.pk])).status_code == 404, name
        assert client.get(reverse(name, args=[MISSING_PK])).status_code == 404, name

    # API list and detail.
    assert not contains_any(api_list_text(client, surface.api), pair.markers_b), f"{surface.key} API list leaks"
    response = client.get(api_item(surface, pair.b))
    missing = client.get(missing_api_item(surface))
    assert response.status_code == 404
    assert response.json() == missing.json()


@pytest.mark.parametrize("persona", TOWN_A_PERSONAS)
@pytest.mark.parametrize("surface", SURFACES, ids=SURFACE_IDS)
def test_town_a_cannot_change_town_b(world, surface, persona):
    user = getattr(world.personas, persona)
    pair = world.pairs[surface.key]
    client = client_for(user)
    before = snapshot(pair.b)
    history = pair.b.history.count() if hasattr(pair.b, "history") else None
    tampered = {"name": "篡改", "title": "篡改", "number": "篡改", "reason": "篡改", "safety_principal": "篡改"}

    for name in filter(None, (surface.edit_url, surface.delete_url)):
        url = reverse(name, args=[pair.b.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, tampered).status_code == 404, name
        assert client.post(reverse(name, args=[MISSING_PK]), tampered).status_code == 404, name

    item, missing = api_item(surface, pair.b), missing_api_item(surface)
    for method in ("put", "patch", "delete"):
        call: Callable = getattr(client, method)
        response = call(item, json.dumps(tampered), content_type="application/json")
        expected = call(missing, json.dumps(tampered), content_type="application/json")
        # A read-only collection answers 405 to every id; a writable one 404, like a missing id.
        assert response.status_code == (404 if surface.api_writable else 405), (method, response.status_code)
        assert response.status_code == expected.status_code
        assert response.json()["code"] == expected.json()["code"]

    assert snapshot(pair.b) == before
    if history is not None:
        assert pair.b.history.count() == history


# --- positive controls: the same surfaces do show records to those who may see them -----------------


@pytest.mark.parametrize("persona", TOWN_A_PERSONAS)
@pytest.mark.parametrize("surface", SURFACES, ids=SURFACE_IDS)
def test_town_a_sees_its_own_records(world, surface, persona):
    user = getattr(world.personas, persona)
    pair = world.pairs[surface.key]
    client = client_for(user)
    expected = persona in surface.sees_a

    listed = page_text(client.get(reverse(surface.list_url)))
    assert bool(contains_any(listed, pair.markers_a)) is expected, f"{surface.key} list for {persona}"
    assert bool(contains_any(api_list_text(client, surface.api), pair.markers_a)) is expected
    assert client.get(api_item(surface, pair.a)).status_code == (200 if expected else 404)
    if surface.detail_url:
        assert client.get(reverse(surface.detail_url, args=[pair.a.pk])).status_code == (200 if expected else 404)
    if expected and user_may_export(user, surface.model):
        response = client.get(reverse(surface.list_url), {"export": "xlsx"})
        assert contains_any(xlsx_text(response), pair.markers_a), f"{surface.key} export for {persona}"


@pytest.mark.parametrize("surface", SURFACES, ids=SURFACE_IDS)
def test_town_b_supervisor_sees_town_b_records(world, surface):
    """The markers the matrix looks for really appear on each surface (so absence above means something)."""
    pair = world.pairs[surface.key]
    client = client_for(world.personas.town_b_supervisor)
    assert contains_any(page_text(client.get(reverse(surface.list_url))), pair.markers_b[:1])
    assert contains_any(xlsx_text(client.get(reverse(surface.list_url), {"export": "xlsx"})), pair.markers_b[:1])
    assert contains_any(api_list_text(client, surface.api), pair.markers_b[:1])
    assert client.get(api_item(surface, pair.b)).status_code == 200
    if surface.detail_url:
        assert client.get(reverse(surface.detail_url, args=[pair.b.pk])).status_code == 200
    for name in surface.extra_urls:
        assert client.get(reverse(name, args=[pair.b.pk])).status_code == 200
    # And town A stays out of town B's view.
    assert not contains_any(page_text(client.get(reverse(surface.list_url))), pair.markers_a)


def test_city_supervisor_sees_both_towns(world):
    client = client_for(world.personas.city_supervisor)
    for surface in SURFACES:
        pair = world.pairs[surface.key]
        text = api_list_text(client, surface.api)
        assert contains_any(text, pair.markers_a) and contains_any(text, pair.markers_b[:1]), surface.key


# --- the map, the dashboard and the user menu draw from the same gate ----------------------------------


def test_map_points_only_in_jurisdiction(world):
    """map_points answers {"points": [[lat, lng, id, name, major_hazard], ...], "count": n}."""
    p = world.personas
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


def test_home_page_counts_only_the_jurisdiction(world):
    response = client_for(world.personas.town_a_supervisor).get(reverse("home"))
    assert response.status_code == 200
    assert world.personas.enterprise_b.name not in page_text(response)


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


def test_enterprise_user_sees_only_its_enterprise(world):
    p = world.personas
    client = client_for(p.enterprise_a_user)
    other_a = EnterpriseFactory(region=p.village_a, name="东城丙邻居企业有限公司")
    listed = page_text(client.get(reverse("enterprises:enterprise_list")))
    assert p.enterprise_a.name in listed
    assert p.enterprise_b.name not in listed and other_a.name not in listed
    assert client.get(reverse("enterprises:enterprise_detail", args=[other_a.pk])).status_code == 404
    api = api_list_text(client, "enterprises")
    assert p.enterprise_a.uscc in api and other_a.uscc not in api and p.enterprise_b.uscc not in api


def test_enterprise_user_cannot_register_an_enterprise(world):
    p = world.personas
    client = client_for(p.enterprise_a_user)
    count = Enterprise.objects.count()
    assert client.get(reverse("enterprises:enterprise_add")).status_code == 403
    new = EnterpriseFactory.build(region=p.village_a, name="企业用户自建有限公司")
    assert client.post(reverse("enterprises:enterprise_add"), enterprise_form_data(new)).status_code == 403
    response = client.post("/api/v1/enterprises/", enterprise_api_data(new), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Enterprise.objects.count() == count


def test_enterprise_user_cannot_move_its_enterprise_to_town_b(world):
    p = world.personas
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


def test_town_supervisor_cannot_move_an_enterprise_to_town_b(world):
    p = world.personas
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


def test_town_supervisor_cannot_create_an_enterprise_in_town_b(world):
    p = world.personas
    client = client_for(p.town_a_supervisor)
    new = EnterpriseFactory.build(region=p.village_b, name="越界登记有限公司")
    response = client.post(reverse("enterprises:enterprise_add"), enterprise_form_data(new))
    assert response.status_code in (200, 403)
    response = client.post("/api/v1/enterprises/", enterprise_api_data(new), content_type="application/json")
    assert response.status_code in (400, 403), page_text(response)
    assert not Enterprise.objects.filter(name="越界登记有限公司").exists()


def test_town_supervisor_can_edit_and_create_in_town_a(world):
    """The positive control of the two tests above: the same requests inside town A do save."""
    p = world.personas
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


def anonymous_urls(world: World) -> list[str]:
    urls = [reverse("home"), reverse("map"), reverse("map_points"), reverse("enterprises:enterprise_add"),
            reverse("enterprises:enterprise_import")]
    for surface in SURFACES:
        pair = world.pairs[surface.key]
        urls.append(reverse(surface.list_url))
        urls.append(reverse(surface.list_url) + "?export=xlsx")
        for name in filter(None, (surface.detail_url, surface.edit_url, surface.delete_url, *surface.extra_urls)):
            urls.append(reverse(name, args=[pair.a.pk]))
    return urls


def test_anonymous_is_sent_to_login_everywhere(world):
    client = Client()
    login = reverse("login")
    for url in anonymous_urls(world):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"].startswith(login), (url, response["Location"])
    assert client.get(login).status_code == 200


def test_anonymous_api_answers_401(world):
    client = Client()
    for surface in SURFACES:
        pair = world.pairs[surface.key]
        for url in (f"/api/v1/{surface.api}/", api_item(surface, pair.a)):
            response = client.get(url)
            assert response.status_code in (401, 403), (url, response.status_code)
            assert response.json()["code"] == "not_authenticated"
            assert not contains_any(page_text(response), pair.markers_a)
    before = snapshot(world.personas.enterprise_a)
    response = client.patch(
        f"/api/v1/enterprises/{world.personas.enterprise_a.pk}/", {"name": "匿名篡改"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert snapshot(world.personas.enterprise_a) == before


def test_api_token_sees_the_same_scope(world):
    """Systems authenticate with a token (issue 2 Interfaces) and get the same jurisdiction as the browser."""
    p = world.personas
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
