"""Login throttling (django-axes: locked after 5 failures) and the password rules (issue 2 item 5)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse

from anjian.accounts.models import User
from anjian.core.testing.browser import use_plain_static

PASSWORD = "Anjian-test-2026"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user(username="inspector", password=PASSWORD)


def _attempt(password: str, ip: str = "10.0.0.1") -> User | None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    return authenticate(request=request, username="inspector", password=password)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_correct_password_logs_in(user):
    assert _attempt(PASSWORD) == user


@override_settings(AXES_FAILURE_LIMIT=5)
def test_locked_after_five_failures_even_with_the_right_password(user):
    for _ in range(4):
        assert _attempt("wrong-password-1") is None
    # Four failures do not lock: the right password still works (and resets the counter).
    assert _attempt(PASSWORD) == user
    for _ in range(5):
        assert _attempt("wrong-password-1") is None
    assert _attempt(PASSWORD) is None


@override_settings(AXES_FAILURE_LIMIT=5)
def test_lockout_is_per_username_and_address(user):
    for _ in range(5):
        _attempt("wrong-password-1", ip="10.0.0.1")
    assert _attempt(PASSWORD, ip="10.0.0.1") is None
    assert _attempt(PASSWORD, ip="10.0.0.2") == user


@override_settings(AXES_FAILURE_LIMIT=5)
def test_login_page_refuses_a_locked_user(client, user):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "inspector", "password": "wrong-password-1"})
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 403, 429)
    response = client.post(url, {"username": "inspector", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (403, 429)


def test_login_page_logs_in_and_redirects_home(client, user):
    response = client.post(reverse("login"), {"username": "inspector", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12345", None),  # shorter than 10
        ("abcdefghijkl", "密码必须同时包含字母和数字。"),
        ("12345678901234", None),  # entirely numeric
        ("password123", None),  # common
    ],
)
def test_weak_passwords_are_refused(db, password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password, User(username="someone"))
    if message:
        assert message in error.value.messages


def test_short_password_message_names_the_minimum(db):
    with pytest.raises(ValidationError) as error:
        validate_password("abc12345", User(username="someone"))
    assert any("10" in message for message in error.value.messages)


def test_password_similar_to_username_is_refused(db):
    with pytest.raises(ValidationError):
        validate_password("zhangwei2026x", User(username="zhangwei2026x"))


@pytest.mark.parametrize("password", [PASSWORD, "Dongguan2026safe", "anquan0769sc"])
def test_strong_passwords_pass(db, password):
    validate_password(password, User(username="someone"))


def test_session_and_csrf_cookies_are_hardened(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
