"""API authentication: token exchange (counted by django-axes, throttled), token and session use."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from anjian.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The token throttle counts in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


def test_token_flow(personas):
    client = APIClient()
    response = client.post(TOKEN_URL, {"username": "town_a_supervisor", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert client.post(TOKEN_URL, {"username": "town_a_supervisor", "password": PASSWORD},
                       format="json").json()["token"] == token  # the same token again

    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    body = client.get("/api/v1/enterprises/").json()
    assert [item["id"] for item in body["results"]] == [personas.enterprise_a.pk]


def test_wrong_password_answers_400_in_the_error_format(personas):
    response = APIClient().post(TOKEN_URL, {"username": "town_a_supervisor", "password": "wrong"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["fields"]["non_field_errors"] == ["用户名或密码错误。"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"username": "town_a_supervisor"}, {"username": ["x"], "password": {"a": 1}}, {"username": "x" * 500,
                                                                                        "password": "y"}],
)
def test_incomplete_token_requests_answer_400(personas, payload):
    response = APIClient().post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_inactive_user_gets_no_token(personas):
    personas.grid_worker_a.is_active = False
    personas.grid_worker_a.save()
    response = APIClient().post(TOKEN_URL, {"username": "grid_worker_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_repeated_failures_lock_the_login_out(personas, settings):
    client = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "grid_worker_a", "password": "wrong"}, format="json")
    response = client.post(TOKEN_URL, {"username": "grid_worker_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "锁定" in response.json()["fields"]["non_field_errors"][0]
    # Another user from the same address is not locked out (lockout is per username and address).
    other = client.post(TOKEN_URL, {"username": "expert_a", "password": PASSWORD}, format="json")
    assert other.status_code == 200


def test_token_endpoint_is_throttled(personas, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": f"nobody{n}", "password": "x"}, format="json").status_code
        for n in range(12)
    ]
    assert statuses[-1] == 429
    assert client.post(TOKEN_URL, {}, format="json").json()["code"] == "throttled"


def test_session_auth_enforces_csrf(personas):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(personas.city_admin)
    assert client.get("/api/v1/enterprises/").status_code == 200
    response = client.patch(f"/api/v1/enterprises/{personas.enterprise_a.pk}/", {"name": "无CSRF"}, format="json")
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message", "fields"}
