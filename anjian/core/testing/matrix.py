"""The permission matrix as a reusable base (issue 6 item 9; issue 2, "Must show").

Each app declares, in its own tests, the surfaces of its models (UI list, detail, edit, delete, extra pages, the API
collection, and each workflow action) and a record pair: one record in town A and one in town B, each carrying
marker strings that the list, the export and the API show. The base then asks every town-A persona for B's record
on every surface and every action and expects: absent from lists and exports, 404 (like a missing id) on detail,
edit, delete, action pages and in the API, and the database row unchanged. Positive controls make sure the
markers do show: A's record is visible to whoever should see it, B's record to town B's supervisor through the
very same surfaces. Models with a supervision domain also get a town-A record of another domain, which the
town-A department supervisor must not reach.

Usage (see anjian/enterprises/tests/test_permission_matrix.py):

    class TestRegistryMatrix(PermissionMatrix):
        surfaces = (Surface("licence", Licence, "enterprises:licence_list", "licences", ...), ...)

        def make_pairs(self, personas):
            return {"licence": Pair(a=..., b=..., markers_a=(...), markers_b=(...)), ...}
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import openpyxl
import pytest
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.personas import Personas

TOWN_A_PERSONAS = ("town_a_supervisor", "grid_worker_a", "enterprise_a_user", "expert_a", "department_a_supervisor")
MISSING_PK = 987654321
MISSING_CODE = "441900999999"
# The query a page echoes back (search box, sort and export links) is not a leak: strip it before looking.
ECHOES = re.compile(r"<input\b[^>]*>|\shref=\"[^\"]*\"")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAMPERED = {"name": "篡改", "title": "篡改", "number": "篡改", "reason": "篡改", "safety_principal": "篡改"}


@dataclass(frozen=True)
class Surface:
    """Where one model shows up: UI URL names (None where the UI has no such page) and the API collection.

    `actions` are the model's workflow actions, reached as `action_url` (args: pk, action) in the UI and
    `/api/v1/<api>/<id>/<action>/` in the API. `sees_a`: the town-A personas that should see town A's record.
    """

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
    action_url: str | None = None
    actions: tuple[str, ...] = ()
    sees_a: frozenset[str] = frozenset(TOWN_A_PERSONAS)


@dataclass
class Pair:
    """A record in town A and one in town B; `other_domain`: a town-A record of a domain the department persona
    does not supervise (None for models without a domain)."""

    a: models.Model
    b: models.Model
    markers_a: tuple[str, ...]
    markers_b: tuple[str, ...]
    other_domain: models.Model | None = None
    markers_other: tuple[str, ...] = ()


@dataclass
class World:
    personas: Personas
    pairs: dict[str, Pair] = field(default_factory=dict)


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


def api_action(action: str) -> str:
    """The API path segment of a workflow action: underscores become hyphens (list_supervision → list-supervision),
    as anjian.core.api.viewsets serves them."""
    return action.replace("_", "-")


def contains_any(text: str, markers: tuple[str, ...]) -> list[str]:
    return [marker for marker in markers if marker in text]


def user_may_export(user, model) -> bool:
    from anjian.core.scope import EXPORT, jurisdiction_of

    return not jurisdiction_of(user, EXPORT, model).nothing


def domain_scoped(model: type[models.Model]) -> bool:
    return bool(model.scope.domain) and not model.scope.across_domains


def history_count(obj: models.Model) -> int | None:
    return obj.history.count() if hasattr(obj, "history") else None


class PermissionMatrix:
    """Base of an app's permission matrix. Subclasses set `surfaces` and define `make_pairs(personas)`."""

    surfaces: ClassVar[tuple[Surface, ...]] = ()
    town_a_personas: ClassVar[tuple[str, ...]] = TOWN_A_PERSONAS

    def pytest_generate_tests(self, metafunc) -> None:
        if "surface" in metafunc.fixturenames:
            surfaces = self.surfaces
            if metafunc.function.__name__ == "test_department_reaches_only_its_domains":
                # Only rows with a supervision domain are narrowed by a department's domains.
                surfaces = tuple(s for s in surfaces if domain_scoped(s.model)) or (None,)
            metafunc.parametrize("surface", surfaces, ids=[getattr(s, "key", "no-domain") for s in surfaces])
        if "persona" in metafunc.fixturenames:
            metafunc.parametrize("persona", self.town_a_personas)

    @pytest.fixture(autouse=True)
    def _matrix_settings(self, settings, tmp_path):
        use_plain_static(settings)
        settings.MEDIA_ROOT = tmp_path / "media"

    @pytest.fixture
    def world(self, personas) -> World:
        return World(personas=personas, pairs=self.make_pairs(personas))

    # --- town A personas against town B's records ------------------------------------------------------------

    def test_town_a_cannot_read_town_b(self, world, surface, persona):
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
            assert not contains_any(xlsx_text(response), pair.markers_b), f"{surface.key} export has B's record"
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

    def test_town_a_cannot_change_town_b(self, world, surface, persona):
        user = getattr(world.personas, persona)
        pair = world.pairs[surface.key]
        client = client_for(user)
        before = snapshot(pair.b)
        history = history_count(pair.b)

        for name in filter(None, (surface.edit_url, surface.delete_url)):
            url = reverse(name, args=[pair.b.pk])
            assert client.get(url).status_code == 404, name
            assert client.post(url, TAMPERED).status_code == 404, name
            assert client.post(reverse(name, args=[MISSING_PK]), TAMPERED).status_code == 404, name

        item, missing = api_item(surface, pair.b), missing_api_item(surface)
        for method in ("put", "patch", "delete"):
            call: Callable = getattr(client, method)
            response = call(item, json.dumps(TAMPERED), content_type="application/json")
            expected = call(missing, json.dumps(TAMPERED), content_type="application/json")
            # A read-only collection answers 405 to every id; a writable one 404, like a missing id.
            assert response.status_code == (404 if surface.api_writable else 405), (method, response.status_code)
            assert response.status_code == expected.status_code
            assert response.json()["code"] == expected.json()["code"]

        # Every workflow action, in the UI (GET the form, POST it) and in the API: 404 like a missing id.
        for action in surface.actions:
            if surface.action_url:
                url = reverse(surface.action_url, args=[pair.b.pk, action])
                assert client.get(url).status_code == 404, action
                assert client.post(url, TAMPERED).status_code == 404, action
            path = api_action(action)
            response = client.post(f"{item}{path}/", json.dumps(TAMPERED), content_type="application/json")
            expected = client.post(f"{missing}{path}/", json.dumps(TAMPERED), content_type="application/json")
            assert response.status_code == expected.status_code == 404, (action, response.status_code)

        assert snapshot(pair.b) == before
        if history is not None:
            assert history_count(pair.b) == history

    # --- positive controls: the same surfaces do show records to those who may see them -----------------------

    def test_town_a_sees_its_own_records(self, world, surface, persona):
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

    def test_town_b_supervisor_sees_town_b_records(self, world, surface):
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

    def test_city_supervisor_sees_both_towns(self, world, surface):
        pair = world.pairs[surface.key]
        text = api_list_text(client_for(world.personas.city_supervisor), surface.api)
        assert contains_any(text, pair.markers_a) and contains_any(text, pair.markers_b[:1]), surface.key

    # --- the department supervisor: its domains only, in its region (issue 6 item 10) ------------------------

    def test_department_reaches_only_its_domains(self, world, surface):
        if surface is None:
            # No model of this app has a supervision domain: the department sees them as the town does.
            assert not any(domain_scoped(s.model) for s in self.surfaces)
            return
        pair = world.pairs[surface.key]
        assert pair.other_domain is not None, f"{surface.key}: rows with a domain need an other-domain record"
        department = world.personas.department_a_supervisor
        client = client_for(department)
        listed = shown_text(client.get(reverse(surface.list_url)))
        assert not contains_any(listed, pair.markers_other), f"{surface.key} list shows another domain"
        assert not contains_any(api_list_text(client, surface.api), pair.markers_other)
        assert client.get(api_item(surface, pair.other_domain)).status_code == 404
        if surface.detail_url:
            assert client.get(reverse(surface.detail_url, args=[pair.other_domain.pk])).status_code == 404
        for name in filter(None, (surface.edit_url, surface.delete_url)):
            assert client.post(reverse(name, args=[pair.other_domain.pk]), TAMPERED).status_code == 404, name
        # The same record is in town A's supervisor's view: its absence above is the domain, not the town.
        town = client_for(world.personas.town_a_supervisor)
        assert contains_any(api_list_text(town, surface.api), pair.markers_other[:1]), surface.key

    # --- anonymous: the login page and nothing else ---------------------------------------------------------------

    def test_anonymous_is_sent_to_login(self, world, surface):
        from django.conf import settings

        client = Client()
        login = reverse(settings.LOGIN_URL)
        pair = world.pairs[surface.key]
        urls = [reverse(surface.list_url), reverse(surface.list_url) + "?export=xlsx"]
        urls += [reverse(name, args=[pair.a.pk])
                 for name in filter(None, (surface.detail_url, surface.edit_url, surface.delete_url,
                                           *surface.extra_urls))]
        if surface.action_url:
            urls += [reverse(surface.action_url, args=[pair.a.pk, action]) for action in surface.actions]
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 302, (method, url, response.status_code)
                assert response["Location"].startswith(login), (url, response["Location"])
        for url in (f"/api/v1/{surface.api}/", api_item(surface, pair.a)):
            response = client.get(url)
            assert response.status_code in (401, 403), (url, response.status_code)
            assert response.json()["code"] == "not_authenticated"
            assert not contains_any(page_text(response), pair.markers_a)
        for action in surface.actions:
            response = client.post(f"{api_item(surface, pair.a)}{api_action(action)}/", {})
            assert response.status_code in (401, 403), (action, response.status_code)
