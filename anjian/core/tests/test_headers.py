"""Security headers and the favicon (issue 7 items 4 and 5).

A Content-Security-Policy on every answer that the vendored assets satisfy (no inline script, no inline event
handler: checked in every template and in the pages as rendered), `Cache-Control: no-store` on what a signed-in
person is shown and on downloads while static files keep their caching, and /favicon.ico served.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from anjian.core.middleware import content_security_policy, tile_source

PACKAGE = Path(settings.BASE_DIR) / "anjian"
# A <script> element that runs code written in the page: no src and not a data block (json_script).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.I)


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def templates() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("templates/**/*.html") if ".venv" not in path.parts)


def test_templates_are_found():
    names = {path.name for path in templates()}
    assert {"base.html", "object_list.html", "map.html", "home.html", "login.html"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_template_runs_inline_script(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static .js file"
    assert not EVENT_HANDLER.search(text), "inline event handler (onclick=...): use a data- attribute and anjian.js"
    assert not JAVASCRIPT_URL.search(text)


def test_policy_allows_only_the_sites_own_scripts():
    policy = directives(content_security_policy())
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in content_security_policy()


def test_map_tiles_are_allowed_exactly_from_the_configured_server(settings):
    settings.ANJIAN_MAP_TILE_URL = ""
    assert directives(content_security_policy())["img-src"] == ["'self'", "data:", "blob:"]
    settings.ANJIAN_MAP_TILE_URL = "https://{s}.tiles.aj.example.gov.cn:8443/{z}/{x}/{y}.png"
    assert directives(content_security_policy())["img-src"][-1] == "https://*.tiles.aj.example.gov.cn:8443"
    assert tile_source("http://10.1.2.3/tiles/{z}/{x}/{y}.png") == "http://10.1.2.3"
    assert tile_source("/tiles/{z}/{x}/{y}.png") == ""  # served by the site: 'self'


PAGES = [
    "/", "/map/", "/enterprises/", "/core/audit-events/", "/notifications/", "/accounts/profile/", "/api/docs/",
    "/api/v1/regions/?page_size=2", "/api/v1/enterprises/?page_size=1", "/api/v1/enterprises/999999/",
]


@pytest.mark.parametrize("path", PAGES)
def test_rendered_pages_carry_the_policy_and_satisfy_it(personas, client, path):
    client.force_login(personas.city_admin)
    response = client.get(path, HTTP_ACCEPT="text/html", follow=True)
    assert response.status_code in {200, 404}, path
    policy = response["Content-Security-Policy"]
    assert directives(policy)["script-src"] == ["'self'"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)
    assert 'rel="icon"' in html or path.startswith("/api/")


def test_enterprise_detail_page_satisfies_the_policy(personas, client):
    client.force_login(personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk]))
    assert response.status_code == 200 and "Content-Security-Policy" in response
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html) and not EVENT_HANDLER.search(html)


def test_login_page_and_static_files_carry_the_policy(db, client):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    assert "Content-Security-Policy" in client.get("/static/anjian/anjian.js")


# --- Cache-Control ----------------------------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored(personas, client):
    client.force_login(personas.city_admin)
    for path in ("/", "/enterprises/", reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk])):
        assert "no-store" in client.get(path)["Cache-Control"], path


def test_exports_and_downloads_are_not_stored(personas, client):
    client.force_login(personas.city_admin)
    response = client.get("/enterprises/", {"export": "xlsx"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_api_answers_to_a_token_are_not_stored(personas, client):
    # The accounts app's token model, reached through the app registry (core does not import accounts).
    api_token = apps.get_model("accounts", "ApiToken")
    token = api_token.objects.create(user=personas.city_admin, key="k" * 40,
                                     expires=timezone.now() + dt.timedelta(days=1))
    response = client.get("/api/v1/enterprises/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_static_files_keep_their_caching(personas, client):
    client.force_login(personas.city_admin)
    response = client.get("/static/anjian/anjian.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- favicon ----------------------------------------------------------------------------------------------------


def test_favicon_is_served_to_everyone(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/anjian/favicon.ico")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header


def test_pages_link_the_icon(db, client):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in html and "anjian/favicon.svg" in html
    svg = client.get("/static/anjian/favicon.svg")
    assert svg.status_code == 200


def test_admin_pages_satisfy_the_policy(personas, client):
    from anjian.accounts.models import User

    client.force_login(User.objects.create_superuser("root_admin", password="Anjian-root-2026!"))
    change = f"/admin/enterprises/enterprise/{personas.enterprise_a.pk}/change/"
    for path in ("/admin/", "/admin/core/auditevent/", change):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
        assert not EVENT_HANDLER.search(html), (path, EVENT_HANDLER.search(html).group(0))
