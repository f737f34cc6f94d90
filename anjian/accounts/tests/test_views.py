"""Login, logout, profile and password pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


def test_login_page_is_chinese_and_logs_in(client, personas):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "用户名" in page.content.decode()
    response = client.post(reverse("login"), {"username": "town_a_supervisor", "password": PASSWORD,
                                              "next": reverse("enterprises:enterprise_list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise_list")


def test_wrong_password_gets_a_chinese_error(client, personas):
    response = client.post(reverse("login"), {"username": "town_a_supervisor", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_page_after_repeated_failures(client, personas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "town_a_supervisor", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "town_a_supervisor", "password": PASSWORD})
    assert "账号已暂时锁定" in response.content.decode()


def test_logout_is_post_only(client, personas):
    client.force_login(personas.town_a_supervisor)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_profile_shows_role_and_jurisdiction(client, personas):
    client.force_login(personas.grid_worker_a)
    html = client.get(reverse("profile")).content.decode()
    assert "村（社区）网格员" in html
    assert personas.village_a.name in html


def test_password_change(client, personas):
    client.force_login(personas.town_a_supervisor)
    new = "Dongguan-Safe-2027"
    bad = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": new,
                                                    "new_password2": new})
    assert "原密码不正确" in bad.content.decode()
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new,
                                                         "new_password2": new})
    assert response.status_code == 302
    personas.town_a_supervisor.refresh_from_db()
    assert personas.town_a_supervisor.check_password(new)
