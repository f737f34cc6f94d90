"""Bad input to the API answers 4xx in the JSON error format, never a 500 or an HTML page (issue 7 item 1, 3).

Each test would fail if its rule broke: a crafted cursor on every cursor-paginated list, a JSON body nested a
thousand deep, an unknown URL under /api/, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, and the list parameters that
used to be ignored (`page_size`, yes/no filters).
"""

from __future__ import annotations

import base64
import json

import pytest
from rest_framework.pagination import CursorPagination
from rest_framework.test import APIClient

from anjian.core.registry import registry

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert body["message"]
    for field in fields:
        assert body["fields"].get(field), body
    return body


def cursor_lists() -> list[str]:
    """Every list of the API that pages with a cursor (from the registry: a new module's lists come along)."""
    prefixes = []
    for prefix, viewset, _basename in registry.api_viewsets():
        pagination = getattr(viewset, "pagination_class", None)
        if hasattr(viewset, "list") and pagination and issubclass(pagination, CursorPagination):
            prefixes.append(prefix)
    return sorted(prefixes)


def test_every_registered_list_is_found():
    assert {"enterprises", "licences", "insurances", "archives", "industries", "regions", "parks",
            "departments", "notifications", "audit-events", "attachments"} <= set(cursor_lists())


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("prefix", cursor_lists())
@pytest.mark.parametrize("raw", ["p=abc", "p=99999999999999999999999", "p=-99999999999999999999999",
                                 "p=2026-13-45", "p=\x00", "r=x", "o=-1", "o=99999999999", "garbage"])
def test_crafted_cursor_never_answers_500(personas, prefix, raw):
    """On a list ordered by a number or a date the position must be one (else 400 naming `cursor`); on a list
    ordered by a code any text is a position (200). Never a 500."""
    value = cursor(raw) if raw != "garbage" else raw
    response = client_for(personas.city_admin).get(f"/api/v1/{prefix}/", {"cursor": value})
    viewset = dict((p, v) for p, v, _b in registry.api_viewsets())[prefix]
    ordering = str(getattr(viewset, "cursor_ordering", "id")).lstrip("-")
    if raw == "o=99999999999":
        assert response.status_code == 200  # DRF caps the offset (offset_cutoff)
    elif raw.startswith("p=") and ordering == "code":
        assert response.status_code in {200, 400}, response.content[:300]
        if response.status_code == 400:
            assert_error(response, 400, "cursor")
    else:
        assert_error(response, 400, "cursor")


def test_the_cursor_of_the_issue_is_refused(personas):
    assert cursor("p=abc") == "cD1hYmM="
    assert_error(client_for(personas.city_admin).get("/api/v1/enterprises/?cursor=cD1hYmM="), 400, "cursor")


def test_a_cursor_on_a_date_ordering_must_be_a_date(personas):
    client = client_for(personas.city_admin)
    assert_error(client.get("/api/v1/enterprises/", {"ordering": "updated", "cursor": cursor("p=abc")}), 400, "cursor")
    assert_error(client.get("/api/v1/enterprises/", {"ordering": "-employee_count", "cursor": cursor("p=x")}), 400,
                 "cursor")
    # A text ordering accepts any position, and a genuine next link still works.
    assert client.get("/api/v1/enterprises/", {"ordering": "name", "cursor": cursor("p=abc")}).status_code == 200
    first = client.get("/api/v1/enterprises/?ordering=updated&page_size=1").json()
    assert client.get(first["next"]).status_code == 200


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [1000, 100_000])
@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_deeply_nested_json_is_a_400(personas, method, depth):
    client = client_for(personas.city_admin)
    path = "/api/v1/enterprises/" if method == "post" else f"/api/v1/enterprises/{personas.enterprise_a.pk}/"
    body = '{"name": ' + nested(depth) + "}"
    response = getattr(client, method)(path, body, content_type="application/json")
    assert_error(response, 400, "non_field_errors")


def test_nesting_within_the_limit_reaches_validation(personas):
    body = json.dumps({"name": json.loads(nested(10))})
    response = client_for(personas.city_admin).post("/api/v1/enterprises/", body, content_type="application/json")
    assert_error(response, 400, "name")


def test_deeply_nested_json_on_a_transition_and_the_token_endpoint(personas):
    response = APIClient().post("/api/v1/auth/token/", nested(5000), content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/nothing/", "/api/v1/enterprises/abc/x/",
                                  "/api/v2/enterprises/"])
def test_unknown_api_url_is_a_json_404(personas, path):
    body = assert_error(client_for(personas.city_admin).get(path, HTTP_ACCEPT="text/html"), 404)
    assert body["code"] == "not_found"


def test_unknown_api_url_is_a_json_404_for_anonymous_clients_too(db, client):
    assert_error(client.get("/api/v1/nothing-here/"), 404)


def test_unknown_page_outside_the_api_is_still_the_chinese_page(personas, client):
    client.force_login(personas.city_admin)
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()


def test_oversized_json_body_is_a_json_413(personas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"name": "企" * 2000})
    response = client_for(personas.city_admin).post("/api/v1/enterprises/", body, content_type="application/json")
    assert assert_error(response, 413)["code"] == "request_too_large"


def test_oversized_form_body_is_a_json_413(personas, settings):
    # Django's own check (RequestDataTooBig) on a form body, raised while DRF parses it.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for(personas.city_admin).patch(
        f"/api/v1/enterprises/{personas.enterprise_a.pk}/", "name=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert assert_error(response, 413)["code"] == "request_too_large"


def test_oversized_body_with_a_session_is_a_json_413(personas, settings, client):
    # Session authentication reads the form for the CSRF check before the view parses it.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(personas.city_admin)
    response = client.patch(f"/api/v1/enterprises/{personas.enterprise_a.pk}/", "name=" + "x" * 5000,
                            content_type="application/x-www-form-urlencoded")
    assert_error(response, 413)


# --- list parameters the API used to ignore ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "0", "-1", "100000", "1.5", ""])
def test_bad_page_size_is_a_400_naming_it(personas, value):
    body = assert_error(client_for(personas.city_admin).get(f"/api/v1/enterprises/?page_size={value}"), 400,
                        "page_size")
    assert "每页条数" in body["fields"]["page_size"][0]


def test_good_page_size_is_used(personas):
    body = client_for(personas.city_admin).get("/api/v1/enterprises/?page_size=1").json()
    assert len(body["results"]) == 1 and body["next"]


@pytest.mark.parametrize(("path", "parameter"), [
    ("/api/v1/enterprises/", "dust_explosion"),
    ("/api/v1/enterprises/", "expiring"),
    ("/api/v1/licences/", "superseded"),
    ("/api/v1/notifications/", "unread"),
])
@pytest.mark.parametrize("value", ["maybe", "yes", "2", "TRUE "])
def test_bad_boolean_filter_is_a_400_naming_it(personas, path, parameter, value):
    body = assert_error(client_for(personas.city_admin).get(path, {parameter: value}), 400, parameter)
    assert "true" in body["fields"][parameter][0]


def test_boolean_filter_takes_true_false_and_empty(personas):
    personas.enterprise_a.dust_explosion = True
    personas.enterprise_a.save()
    client = client_for(personas.city_admin)
    ids = {item["id"] for item in client.get("/api/v1/enterprises/?dust_explosion=true").json()["results"]}
    assert personas.enterprise_a.pk in ids and personas.enterprise_b.pk not in ids
    ids = {item["id"] for item in client.get("/api/v1/enterprises/?dust_explosion=false").json()["results"]}
    assert personas.enterprise_b.pk in ids and personas.enterprise_a.pk not in ids
    ids = {item["id"] for item in client.get("/api/v1/enterprises/?dust_explosion=").json()["results"]}
    assert {personas.enterprise_a.pk, personas.enterprise_b.pk} <= ids


# --- the NUL character (PostgreSQL cannot compare text holding it: a 500 there if it reached a query) ----------


@pytest.mark.parametrize("path", [
    "/api/v1/industries/%00/", "/api/v1/enterprises/?q=%00", "/api/v1/regions/?parent=%00",
    "/api/v1/enterprises/?%00=1",
    "/api/v1/departments/?cursor=" + cursor("p=\x00"),
])
def test_nul_in_the_url_is_a_400(personas, path):
    assert_error(client_for(personas.city_admin).get(path), 400)


@pytest.mark.parametrize("fmt", ["json", "multipart", "form"])
def test_nul_in_a_body_is_a_400(personas, fmt):
    client = client_for(personas.city_admin)
    path = f"/api/v1/enterprises/{personas.enterprise_a.pk}/"
    data = {"region": "4419\x0000030", "industry": "33\x0060"}
    if fmt == "form":
        from urllib.parse import urlencode

        response = client.patch(path, urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        response = client.patch(path, data, format=fmt)
    assert_error(response, 400, "region", "industry")


def test_a_crash_under_the_api_answers_json(rf):
    from anjian.core.api.errors import server_error

    response = server_error(rf.get("/api/v1/enterprises/"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    assert server_error(rf.get("/enterprises/"))["Content-Type"].startswith("text/html")


def api_views():
    """Every DRF view under /api/ with the parser classes it really uses (an @action may name its own)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and prefix.startswith("api/"):
                view = getattr(pattern.callback, "cls", None)
                if view is not None:
                    initkwargs = getattr(pattern.callback, "initkwargs", {}) or {}
                    parsers = initkwargs.get("parser_classes", view.parser_classes)
                    found.append((prefix + str(pattern.pattern), tuple(parsers)))

    walk(get_resolver().url_patterns)
    return found


def test_every_api_view_parses_with_the_guarded_parsers():
    from anjian.core.api import parsers as guarded

    views = api_views()
    assert len(views) > 20
    allowed = {guarded.JSONParser, guarded.FormParser, guarded.MultiPartParser}
    for route, parser_classes in views:
        assert set(parser_classes) <= allowed, f"{route}: {parser_classes}"
