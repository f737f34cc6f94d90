"""The accounts' surfaces in the permission matrix (issue 6 item 9): the departments' list (权责清单) is the same
for everyone signed in and nobody writes it through the site; a person's profile is its own; a token reaches what
its user reaches (anjian/enterprises/tests/test_permission_matrix.py asks that of the registry)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from anjian.accounts.models import Department
from anjian.core.testing.matrix import (
    MISSING_PK,
    TOWN_A_PERSONAS,
    api_list_text,
    client_for,
    page_text,
    shown_text,
    xlsx_text,
)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "city_admin", "city_supervisor", "town_a_supervisor", "town_b_supervisor", "grid_worker_a",
    "enterprise_a_user", "expert_a", "department_a_supervisor",
)


@pytest.fixture
def departments(db):
    call_command("load_reference", stdout=io.StringIO())
    return Department.objects.get(code="housing")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_the_departments_and_nobody_writes_them(personas, departments, persona):
    client = client_for(getattr(personas, persona))
    text = api_list_text(client, "departments")
    assert "东莞市住房和城乡建设局" in text and "construction" in text
    item = f"/api/v1/departments/{departments.pk}/"
    assert client.get(item).json()["domain_names"] == "建筑施工"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(item if method != "post" else "/api/v1/departments/",
                                           json.dumps({"name": "篡改"}), content_type="application/json")
        assert response.status_code == 405, (method, response.status_code)
    assert Department.objects.get(pk=departments.pk).name == "东莞市住房和城乡建设局"
    # The page is the regulators'; others find it in no menu but may read it, as the API answers.
    page = client.get(reverse("department_list"))
    assert page.status_code == 200 and "东莞市住房和城乡建设局" in page_text(page)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_profile_shows_only_ones_own_account(personas, persona):
    user = getattr(personas, persona)
    html = page_text(client_for(user).get(reverse("profile")))
    assert user.username in html
    for other in PERSONAS:
        if other != persona:
            assert getattr(personas, other).username not in html, other


# ---- user management (issue 7 item 3): town A against town B's accounts, and against staff ------------------------

USER_ACTIONS = ("deactivate", "reactivate", "reset_password", "unlock")
TAMPERED_USER = {"reason": "篡改", "username": "hacked", "last_name": "篡改", "role": "grid_worker"}


@pytest.fixture
def town_b_accounts(personas):
    from anjian.accounts.models import ApiToken, User
    from anjian.accounts.roles import Role
    from anjian.accounts.services import token_issue
    from anjian.core.testing.personas import PASSWORD

    def make(username, role, **extra):
        user = User(username=username, role=role, last_name="虎门标记", first_name=username, **extra)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        token_issue(actor=user, user=user, name=f"{username}-token")
        return user

    accounts = {
        "grid": make("grid_worker_b", Role.GRID_WORKER, region=personas.village_b),
        "enterprise": make("enterprise_b_user", Role.ENTERPRISE_USER, enterprise=personas.enterprise_b),
    }
    accounts["tokens"] = {user.pk: ApiToken.objects.get(user=user) for user in accounts.values()}
    return accounts


def user_urls(user, token=None) -> list[str]:
    urls = [reverse("user_edit", args=[user.pk])]
    urls += [reverse("user_action", args=[user.pk, action]) for action in USER_ACTIONS]
    if token is not None:
        urls.append(reverse("user_token_revoke", args=[user.pk, token.pk]))
    return urls


def account_state(user) -> dict:
    from anjian.accounts.models import ApiToken, User

    row = User.objects.filter(pk=user.pk).values().get()
    return {**row, "tokens": list(ApiToken.objects.filter(user=user).values_list("key", "revoked"))}


@pytest.mark.parametrize("persona", TOWN_A_PERSONAS)
def test_town_a_cannot_see_or_change_town_b_accounts(personas, town_b_accounts, persona):
    user = getattr(personas, persona)
    client = client_for(user)
    listed = client.get(reverse("user_list"), {"q": "虎门标记"})
    assert listed.status_code in (200, 403)
    if listed.status_code == 200:
        assert "grid_worker_b" not in shown_text(listed) and "enterprise_b_user" not in shown_text(listed)
        exported = client.get(reverse("user_list"), {"export": "xlsx"})
        assert exported.status_code == 403 or "grid_worker_b" not in xlsx_text(exported)
    for target in (town_b_accounts["grid"], town_b_accounts["enterprise"]):
        before = account_state(target)
        token = town_b_accounts["tokens"][target.pk]
        assert client.get(reverse("user_detail", args=[target.pk])).status_code == 404
        assert client.get(reverse("user_detail", args=[MISSING_PK])).status_code == 404
        for url in user_urls(target, token):
            assert client.get(url).status_code == 404, url
            assert client.post(url, TAMPERED_USER).status_code == 404, url
        assert account_state(target) == before


@pytest.mark.parametrize("target", ["city_admin", "city_supervisor", "town_b_supervisor", "department_a_supervisor",
                                    "expert_a", "town_a_supervisor"])
def test_town_a_supervisor_cannot_touch_staff_nor_itself(personas, target):
    account = getattr(personas, target)
    client = client_for(personas.town_a_supervisor)
    before = account_state(account)
    assert client.get(reverse("user_detail", args=[account.pk])).status_code == 404
    for url in user_urls(account):
        assert client.get(url).status_code == 404, url
        assert client.post(url, TAMPERED_USER).status_code == 404, url
    assert account_state(account) == before


@pytest.mark.parametrize("role", ["city_admin", "city_supervisor", "town_supervisor", "department_supervisor",
                                  "expert"])
def test_town_a_supervisor_cannot_create_staff(personas, role):
    from anjian.accounts.models import User

    client = client_for(personas.town_a_supervisor)
    region = personas.town_a if role in ("town_supervisor", "department_supervisor") else None
    response = client.post(reverse("user_add"), {"username": "staff_new", "role": role,
                                                 "region": region.pk if region else "", "domains": ["machinery"]})
    assert response.status_code == 200 and "one-time-password" not in page_text(response)
    assert not User.objects.filter(username="staff_new").exists()


def test_town_a_supervisor_manages_its_own_town(personas):
    """Positive control: the same surfaces do answer for an account of town A."""
    client = client_for(personas.town_a_supervisor)
    grid = personas.grid_worker_a
    assert ">grid_worker_a<" in page_text(client.get(reverse("user_list")))
    assert client.get(reverse("user_detail", args=[grid.pk])).status_code == 200
    for url in user_urls(grid):
        assert client.get(url).status_code == 200, url


def test_town_b_supervisor_sees_its_accounts(personas, town_b_accounts):
    client = client_for(personas.town_b_supervisor)
    html = page_text(client.get(reverse("user_list")))
    assert ">grid_worker_b<" in html and ">enterprise_b_user<" in html and ">grid_worker_a<" not in html
    assert client.get(reverse("user_detail", args=[town_b_accounts["grid"].pk])).status_code == 200


def test_anonymous_is_sent_to_login_from_user_management(personas):
    from django.conf import settings
    from django.test import Client

    client = Client()
    grid = personas.grid_worker_a
    for url in [reverse("user_list"), reverse("user_add"), reverse("user_detail", args=[grid.pk]), *user_urls(grid)]:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
