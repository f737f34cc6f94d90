"""API framework: schema and local Swagger UI, the audit log endpoint, the error format."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_schema_is_openapi_3_and_lists_the_endpoints(personas):
    response = client_for(personas.grid_worker_a).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/enterprises/", "/api/v1/enterprises/{id}/", "/api/v1/auth/token/",
                 "/api/v1/archives/{id}/download/", "/api/v1/regions/{code}/", "/api/v1/audit-events/"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/v1/enterprises/"]["get"]["parameters"]}
    assert {"region", "domain", "major_hazard", "q", "expiring", "cursor", "ordering"} <= parameters


def test_schema_is_not_public(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401


def test_swagger_ui_is_served_from_local_assets(personas, client, settings):
    # Tests run without collectstatic, so without the manifest the production storage reads.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client.force_login(personas.city_supervisor)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


def test_swagger_ui_sends_anonymous_users_to_login(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_audit_events_are_scoped_and_newest_first(personas):
    admin = client_for(personas.city_admin)
    for count, enterprise in enumerate((personas.enterprise_a, personas.enterprise_b, personas.enterprise_a), 7):
        response = admin.patch(f"/api/v1/enterprises/{enterprise.pk}/", {"employee_count": count}, format="json")
        assert response.status_code == 200
    events = client_for(personas.town_a_supervisor).get("/api/v1/audit-events/").json()["results"]
    assert [event["enterprise_id"] for event in events] == [personas.enterprise_a.pk] * 2
    assert events[0]["id"] > events[1]["id"]
    assert events[0]["actor"] == "city_admin" and events[0]["object_type"] == "enterprises.enterprise"
    filtered = admin.get("/api/v1/audit-events/?object_type=enterprises.enterprise&action=enterprise.update")
    assert len(filtered.json()["results"]) == 3
    event_b = AuditEvent.objects.get(enterprise_id=personas.enterprise_b.pk)
    assert client_for(personas.town_a_supervisor).get(f"/api/v1/audit-events/{event_b.pk}/").status_code == 404


def test_audit_events_are_read_only(personas):
    response = client_for(personas.city_admin).post("/api/v1/audit-events/", {"action": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_unknown_api_path_is_404(personas):
    assert client_for(personas.city_admin).get("/api/v1/nothing-here/").status_code == 404


# --- people in a browser (issue 7 item 2) ---------------------------------------------------------------------


def test_anonymous_browser_gets_a_chinese_page_with_the_login_link(db, client):
    response = client.get("/api/v1/enterprises/?page_size=5", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code in {401, 403}
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "未登录" in html and "登录" in html
    assert 'href="/accounts/login/?next=/api/v1/enterprises/%3Fpage_size%3D5"' in html
    assert "Authentication credentials were not provided" not in html


def test_anonymous_program_gets_the_json_error(db, client):
    for accept in ("application/json", "*/*"):
        response = client.get("/api/v1/enterprises/", HTTP_ACCEPT=accept)
        assert response.status_code in {401, 403}
        assert response.json()["code"] == "not_authenticated"


def test_signed_in_browser_gets_chinese_error_pages(personas, client):
    client.force_login(personas.town_a_supervisor)
    response = client.get(f"/api/v1/enterprises/{personas.enterprise_b.pk}/", HTTP_ACCEPT="text/html")
    assert response.status_code == 404
    html = response.content.decode()
    assert "记录不存在" in html and "返回首页" in html and "Not found" not in html
    response = client.get("/api/v1/enterprises/?page_size=abc", HTTP_ACCEPT="text/html")
    assert response.status_code == 400
    assert "每页条数" in response.content.decode()
    # JSON clients with the same session keep the JSON format.
    response = client.get(f"/api/v1/enterprises/{personas.enterprise_b.pk}/", HTTP_ACCEPT="application/json")
    assert response.json()["code"] == "not_found"


def test_browsable_api_links_to_the_site(personas, client):
    client.force_login(personas.city_supervisor)
    response = client.get("/api/v1/regions/?page_size=1", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "返回首页" in html and "city_supervisor" in html


def test_swagger_ui_runs_no_inline_script(personas, client):
    client.force_login(personas.city_supervisor)
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
