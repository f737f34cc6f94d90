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


# ---- forwarded addresses and the shared cache (issue 7 item 8) ---------------------------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_throttle(personas, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    settings.ANJIAN_TRUSTED_PROXIES = []
    client = APIClient()
    statuses = [
        client.post(TOKEN_URL, {"username": f"nobody{n}", "password": "x"}, format="json",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(12)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(personas, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    settings.ANJIAN_TRUSTED_PROXIES = ["127.0.0.1"]
    client = APIClient(REMOTE_ADDR="127.0.0.1")
    for n in range(12):
        client.post(TOKEN_URL, {"username": f"nobody{n}", "password": "x"}, format="json",
                    HTTP_X_FORWARDED_FOR="198.51.100.1")
    blocked = client.post(TOKEN_URL, {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert blocked.status_code == 429
    # Another client behind the same proxy is not throttled; nor is the first one by writing its own header.
    other = client.post(TOKEN_URL, {"username": "town_a_supervisor", "password": PASSWORD}, format="json",
                        HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200
    forged = client.post(TOKEN_URL, {}, format="json", HTTP_X_FORWARDED_FOR="198.51.100.3, 198.51.100.1")
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_one_clients_failures_lock_only_that_client(personas, settings):
    settings.ANJIAN_TRUSTED_PROXIES = ["127.0.0.1"]
    client = APIClient(REMOTE_ADDR="127.0.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "grid_worker_a", "password": "wrong"}, format="json",
                    HTTP_X_FORWARDED_FOR="198.51.100.1")
    locked = client.post(TOKEN_URL, {"username": "grid_worker_a", "password": PASSWORD}, format="json",
                         HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert "锁定" in locked.json()["fields"]["non_field_errors"][0]
    # The same account from another client behind the proxy signs in.
    other = client.post(TOKEN_URL, {"username": "grid_worker_a", "password": PASSWORD}, format="json",
                        HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200


def test_the_throttle_counts_in_the_shared_database_cache(personas, settings):
    from django.db import connection

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] == "anjian_cache"
    assert "anjian_cache" in connection.introspection.table_names()  # created by the accounts migrations
    APIClient().post(TOKEN_URL, {"username": "nobody", "password": "x"}, format="json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM anjian_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_token" in key for key in keys), keys


def test_redis_is_the_cache_when_configured(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("ANJIAN_REDIS_URL", "redis://127.0.0.1:6379/3")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.CACHES["default"] == {
            "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/3",
        }
    finally:
        monkeypatch.delenv("ANJIAN_REDIS_URL")
        importlib.reload(project_settings)


# ---- tokens: expiry, last use, revocation, rotation (issue 7 item 8) ----------------------------------------------


def obtain(username: str = "town_a_supervisor", password: str = PASSWORD) -> str:
    response = APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def api(token: str):
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/enterprises/")


def test_the_token_answer_says_when_it_expires(personas, settings):
    import datetime as dt

    from django.utils import timezone

    settings.ANJIAN_API_TOKEN_DAYS = 7
    response = APIClient().post(TOKEN_URL, {"username": "town_a_supervisor", "password": PASSWORD}, format="json")
    expires = dt.datetime.fromisoformat(response.json()["expires"])
    expected = timezone.now() + dt.timedelta(days=settings.ANJIAN_API_TOKEN_DAYS)
    assert abs((expires - expected).total_seconds()) < 60


def test_an_expired_token_is_refused_in_the_error_format_and_a_new_one_is_issued(personas, settings):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    settings.ANJIAN_API_TOKEN_DAYS = 30
    token = obtain()
    assert api(token).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, seconds=1)):
        response = api(token)
        assert response.status_code in (401, 403)
        body = response.json()
        assert body["code"] == "token_expired" and set(body) == {"code", "message", "fields"}
        fresh = obtain()
        assert fresh != token and api(fresh).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=29)):
        assert api(token).status_code == 200


def test_a_password_change_revokes_the_tokens(personas):
    token = obtain()
    user = personas.town_a_supervisor
    user.set_password("Dongguan-Safe-2027")
    user.save()
    response = api(token)
    assert response.status_code in (401, 403) and response.json()["code"] == "authentication_failed"
    assert obtain(password="Dongguan-Safe-2027") != token


def test_a_password_change_on_the_page_revokes_the_tokens(personas, client):
    from django.urls import reverse

    token = obtain()
    client.force_login(personas.town_a_supervisor)
    new = "Dongguan-Safe-2027"
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new,
                                                        "new_password2": new})
    assert response.status_code == 302
    assert api(token).status_code in (401, 403)


def test_a_rehash_at_login_is_no_password_change(personas):
    from anjian.accounts.models import ApiToken

    token = obtain()
    user = personas.town_a_supervisor
    user.refresh_from_db()
    user.save()  # a save without a new password (e.g. last_login at sign-in) keeps the tokens
    assert api(token).status_code == 200
    assert ApiToken.objects.get(key=token).revoked is None


def test_the_last_use_is_written_at_most_once_a_minute(personas):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from anjian.accounts.models import ApiToken

    token = obtain()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        api(token)
        first = ApiToken.objects.get(key=token).last_used
        assert first == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        api(token)
        assert ApiToken.objects.get(key=token).last_used == first  # not written again within the minute
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        api(token)
        assert ApiToken.objects.get(key=token).last_used == start + dt.timedelta(seconds=61)


def test_a_revoked_token_is_refused(personas):
    from anjian.accounts.models import ApiToken
    from anjian.accounts.services import token_revoke

    token = obtain()
    user = personas.town_a_supervisor
    token_revoke(actor=user, user=user, token=ApiToken.objects.get(key=token))
    assert api(token).status_code in (401, 403)
    assert obtain() != token


def test_rotation_issues_a_new_token_and_revokes_the_old(personas):
    from anjian.accounts.models import ApiToken
    from anjian.accounts.services import token_rotate
    from anjian.core.models import AuditEvent

    token = obtain()
    user = personas.town_a_supervisor
    new = token_rotate(actor=user, user=user, token=ApiToken.objects.get(key=token))
    assert api(token).status_code in (401, 403)
    assert api(new.key).status_code == 200
    assert AuditEvent.objects.filter(action="user.rotate_token", actor=user).exists()
    # Another person cannot rotate someone's token (they would learn it).
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_rotate(actor=personas.city_admin, user=user, token=new)


def test_several_tokens_per_user(personas):
    from anjian.accounts.services import token_issue

    user = personas.town_a_supervisor
    first = token_issue(actor=user, user=user, name="巡检App")
    second = token_issue(actor=user, user=user, name="数据对接")
    assert first.key != second.key
    assert api(first.key).status_code == 200 and api(second.key).status_code == 200
    assert obtain() not in {first.key, second.key}  # the endpoint's own token is a third


def test_a_user_who_must_change_the_password_gets_no_token(personas):
    from anjian.accounts.services import user_reset_password

    password = user_reset_password(actor=personas.town_a_supervisor, user=personas.grid_worker_a, reason="忘记密码")
    response = APIClient().post(TOKEN_URL, {"username": "grid_worker_a", "password": password}, format="json")
    assert response.status_code == 400
    assert "修改" in response.json()["fields"]["non_field_errors"][0]


def test_a_deactivated_users_token_is_refused(personas):
    token = obtain("grid_worker_a")
    personas.grid_worker_a.is_active = False
    personas.grid_worker_a.save()
    assert api(token).status_code in (401, 403)


def test_deactivation_revokes_the_tokens_so_reactivation_does_not_revive_them(personas):
    from anjian.accounts.services import user_deactivate, user_reactivate

    token = obtain("grid_worker_a")
    assert api(token).status_code == 200
    user_deactivate(actor=personas.city_admin, user=personas.grid_worker_a, reason="离职")
    user_reactivate(actor=personas.city_admin, user=personas.grid_worker_a, reason="返岗")
    assert api(token).status_code in (401, 403)


def test_tokens_of_drf_authtoken_are_carried_over_by_the_migration(personas):
    """Migration 0004 copies the keys of DRF's authtoken table (if a database has one), so clients keep working."""
    import importlib
    import types

    from django.apps import apps
    from django.db import connection

    from anjian.accounts.models import ApiToken

    migration = importlib.import_module("anjian.accounts.migrations.0004_user_management")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id bigint)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)",
                       [key, "2026-11-30 08:00:00", personas.grid_worker_a.pk])
    migration.copy_drf_tokens(apps, types.SimpleNamespace(connection=connection))
    token = ApiToken.objects.get(key=key)
    assert token.user == personas.grid_worker_a and token.created.tzinfo is not None and token.is_active()
    assert api(key).status_code == 200


def test_the_migration_places_existing_accounts_on_the_tree(personas):
    import importlib

    from django.apps import apps

    from anjian.accounts.models import User

    migration = importlib.import_module("anjian.accounts.migrations.0004_user_management")
    User.objects.update(place_code="")
    migration.place_accounts(apps, None)
    places = dict(User.objects.values_list("username", "place_code"))
    assert places["grid_worker_a"] == personas.village_a.code
    assert places["enterprise_a_user"] == personas.enterprise_a.region.code
    assert places["expert_a"] == ""


def test_migrate_creates_the_cache_table(personas):
    """`anjian migrate` (and with it `anjian demo` and a fresh checkout) makes the database cache's table: migration
    0005 runs createcachetable (the test database gets one from Django's test runner anyway, so drop it first)."""
    import importlib
    import types

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("anjian.accounts.migrations.0005_cache_table")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE anjian_cache")
    assert "anjian_cache" not in connection.introspection.table_names()
    migration.create_cache_table(apps, types.SimpleNamespace(connection=connection))
    assert "anjian_cache" in connection.introspection.table_names()
    cache.set("probe", 1)
    assert cache.get("probe") == 1


def test_a_revoked_or_expired_token_cannot_be_rotated(personas):
    from django.core.exceptions import ValidationError

    from anjian.accounts.services import token_issue, token_revoke, token_rotate

    user = personas.town_a_supervisor
    token = token_issue(actor=user, user=user)
    stale = type(token).objects.get(pk=token.pk)  # read before the revocation, as a second request would have
    token_revoke(actor=user, user=user, token=token)
    with pytest.raises(ValidationError):
        token_rotate(actor=user, user=user, token=stale)
    assert not type(token).objects.active().filter(user=user).exists()
