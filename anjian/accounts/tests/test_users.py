"""User management (issue 7 item 3): who manages whom, the pages, the decisions and their audit events, the one-time
password and the password change it forces, the login lockout's unlock, and the API tokens seen by an administrator
and by their owner."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from anjian.accounts.models import ApiToken, User
from anjian.accounts.roles import Role
from anjian.accounts.services import (
    managed_users,
    token_issue,
    user_create,
    user_deactivate,
    user_reset_password,
    user_unlock,
    user_update,
)
from anjian.core.models import AuditEvent
from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.matrix import client_for, page_text
from anjian.core.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Dongguan-Safe-2027"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def town_b_users(personas):
    """A grid worker and an enterprise user of town B, to be kept out of town A's reach."""
    def make(username, role, **extra):
        user = User(username=username, role=role, last_name="虎门", first_name=username, **extra)
        user.set_password(PASSWORD)
        user.full_clean()
        user.save()
        return user

    return {
        "grid": make("grid_worker_b", Role.GRID_WORKER, region=personas.village_b),
        "enterprise": make("enterprise_b_user", Role.ENTERPRISE_USER, enterprise=personas.enterprise_b),
    }


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


# ---- who manages whom ----------------------------------------------------------------------------------------------


def test_city_admin_manages_everyone_but_itself(personas, town_b_users):
    admin = personas.city_admin
    viewable = set(managed_users(admin).values_list("username", flat=True))
    assert {"city_supervisor", "town_a_supervisor", "town_b_supervisor", "grid_worker_a", "grid_worker_b",
            "enterprise_a_user", "enterprise_b_user", "expert_a", "department_a_supervisor",
            "city_admin"} <= viewable
    changeable = set(managed_users(admin, "change").values_list("username", flat=True))
    assert "city_admin" not in changeable and "town_b_supervisor" in changeable


def test_superusers_are_managed_by_superusers_only(personas):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert root.pk not in set(managed_users(personas.city_admin).values_list("pk", flat=True))
    assert root.pk in set(managed_users(User.objects.create_superuser("root2", password=PASSWORD))
                          .values_list("pk", flat=True))


def test_town_supervisor_manages_grid_workers_and_enterprise_users_of_its_town_only(personas, town_b_users):
    for action in ("view", "change", "deactivate", "reset_password", "unlock", "revoke_token"):
        names = set(managed_users(personas.town_a_supervisor, action).values_list("username", flat=True))
        assert names == {"grid_worker_a", "enterprise_a_user"}, action


@pytest.mark.parametrize("persona", ["city_supervisor", "grid_worker_a", "enterprise_a_user", "expert_a",
                                     "department_a_supervisor"])
def test_others_manage_nobody(personas, persona):
    user = getattr(personas, persona)
    assert not managed_users(user).exists()
    client = client_for(user)
    assert client.get(reverse("user_list")).status_code == 403
    assert client.get(reverse("user_list"), {"export": "xlsx"}).status_code == 403
    assert client.get(reverse("user_add")).status_code == 403
    assert client.post(reverse("user_add"), {"username": "x", "role": Role.GRID_WORKER}).status_code == 403
    assert client.get(reverse("user_detail", args=[personas.grid_worker_a.pk])).status_code == 404
    assert "用户管理" not in page_text(client.get(reverse("profile")))


@pytest.mark.parametrize("persona", ["city_admin", "town_a_supervisor"])
def test_the_sidebar_offers_user_management_to_managers(personas, persona):
    html = page_text(client_for(getattr(personas, persona)).get(reverse("profile")))
    assert reverse("user_list") in html and "用户管理" in html


# ---- the list ------------------------------------------------------------------------------------------------------


def test_the_list_shows_name_role_jurisdiction_activity_and_lockout(personas, town_b_users, settings):
    grid = personas.grid_worker_a
    grid.last_name, grid.first_name = "张", "三"
    grid.save()
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        login(Client(), "grid_worker_a", "wrong")
    html = page_text(client_for(personas.city_admin).get(reverse("user_list"), {"q": "grid_worker_a"}))
    row = html[html.index("张三"):]
    row = row[:row.index("</tr>")]
    assert "grid_worker_a" in row and "村（社区）网格员" in row and personas.village_a.name in row
    assert "已锁定" in row


def test_the_list_filters_by_role_region_activity_and_search(personas, town_b_users):
    client = client_for(personas.city_admin)

    def listed(**params):
        html = page_text(client.get(reverse("user_list"), params))
        return {name for name in ("grid_worker_a", "grid_worker_b", "enterprise_a_user", "enterprise_b_user",
                                  "town_a_supervisor", "expert_a") if f">{name}<" in html}

    assert listed(role=Role.GRID_WORKER) == {"grid_worker_a", "grid_worker_b"}
    assert listed(region=personas.town_a.code) == {"grid_worker_a", "enterprise_a_user", "town_a_supervisor"}
    assert listed(q="虎门") == {"grid_worker_b", "enterprise_b_user"}
    assert listed(q="虎门grid_worker_b") == {"grid_worker_b"}  # family name and given name written together
    assert listed(q="GRID_WORKER_A") == {"grid_worker_a"}
    user_deactivate(actor=personas.city_admin, user=town_b_users["grid"], reason="离职")
    assert listed(is_active="false") == {"grid_worker_b"}
    assert "grid_worker_b" not in listed(is_active="true")


def test_town_a_list_and_export_hold_only_its_managed_accounts(personas, town_b_users):
    client = client_for(personas.town_a_supervisor)
    html = page_text(client.get(reverse("user_list")))
    assert ">grid_worker_a<" in html and ">enterprise_a_user<" in html
    for name in ("grid_worker_b", "enterprise_b_user", "town_b_supervisor", "department_a_supervisor",
                 "city_admin", "city_supervisor", "expert_a"):
        assert f">{name}<" not in html, name
    # A search for town B's account by name finds nothing.
    assert "grid_worker_b" not in page_text(client.get(reverse("user_list"), {"q": "虎门"})).split("</form>")[-1]


# ---- detail, create, edit ------------------------------------------------------------------------------------------


def test_town_a_gets_404_on_what_it_does_not_manage(personas, town_b_users):
    client = client_for(personas.town_a_supervisor)
    outside = [town_b_users["grid"], town_b_users["enterprise"], personas.town_b_supervisor, personas.city_admin,
               personas.city_supervisor, personas.department_a_supervisor, personas.town_a_supervisor,
               personas.expert_a]
    for user in outside:
        before = User.objects.filter(pk=user.pk).values().get()
        urls = [reverse("user_detail", args=[user.pk]), reverse("user_edit", args=[user.pk])]
        urls += [reverse("user_action", args=[user.pk, action])
                 for action in ("deactivate", "reactivate", "reset_password", "unlock")]
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
            if url == urls[0]:
                continue  # the detail page takes no POST
            assert client.post(url, {"reason": "篡改", "username": "hacked", "role": Role.GRID_WORKER,
                                     "last_name": "篡改"}).status_code == 404, (user.username, url)
        assert User.objects.filter(pk=user.pk).values().get() == before, user.username


def test_detail_shows_the_account_and_its_buttons(personas):
    client = client_for(personas.town_a_supervisor)
    html = page_text(client.get(reverse("user_detail", args=[personas.grid_worker_a.pk])))
    assert "grid_worker_a" in html and personas.village_a.name in html
    for action in ("deactivate", "reset_password"):
        assert reverse("user_action", args=[personas.grid_worker_a.pk, action]) in html
    assert reverse("user_edit", args=[personas.grid_worker_a.pk]) in html
    # A city admin looking at its own account: no buttons (the profile page is for that).
    admin = personas.city_admin
    html = page_text(client_for(admin).get(reverse("user_detail", args=[admin.pk])))
    assert reverse("user_edit", args=[admin.pk]) not in html
    assert reverse("user_action", args=[admin.pk, "deactivate"]) not in html


def test_town_a_creates_a_grid_worker_with_a_one_time_password(personas, client):
    manager = client_for(personas.town_a_supervisor)
    response = manager.post(reverse("user_add"), {
        "username": "grid_new", "last_name": "李", "first_name": "四", "role": Role.GRID_WORKER,
        "region": personas.village_a.pk,
    })
    assert response.status_code == 200, page_text(response)[:2000]
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="one-time-password">([^<]+)<', page_text(response)).group(1)
    user = User.objects.get(username="grid_new")
    assert user.must_change_password and user.check_password(password) and user.place_code == personas.village_a.code
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == personas.town_a_supervisor and password not in str(event.data)
    # The detail page never shows it again.
    assert password not in page_text(manager.get(reverse("user_detail", args=[user.pk])))


@pytest.mark.parametrize(("phone", "accepted"), [("13800138000", True), ("abc", False), ("0769-22001234", False)])
def test_an_account_phone_is_a_mobile_number(personas, phone, accepted):
    """Text messages go to it: a landline or "abc" is refused with a Chinese message (issue 7 item 7)."""
    manager = client_for(personas.town_a_supervisor)
    response = manager.post(reverse("user_add"), {"username": "grid_phone", "last_name": "李", "first_name": "四",
                                                  "role": Role.GRID_WORKER, "region": personas.village_a.pk,
                                                  "phone": phone})
    assert User.objects.filter(username="grid_phone").exists() is accepted
    if not accepted:
        assert "请输入有效的手机号" in page_text(response)


def test_town_a_creates_an_enterprise_user_by_uscc(personas):
    manager = client_for(personas.town_a_supervisor)
    response = manager.post(reverse("user_add"), {"username": "ent_new", "role": Role.ENTERPRISE_USER,
                                                  "enterprise": personas.enterprise_a.uscc})
    assert response.status_code == 200 and "one-time-password" in page_text(response)
    # Town B's enterprise cannot be typed in.
    response = manager.post(reverse("user_add"), {"username": "ent_b", "role": Role.ENTERPRISE_USER,
                                                  "enterprise": personas.enterprise_b.uscc})
    assert "one-time-password" not in page_text(response)
    assert not User.objects.filter(username="ent_b").exists()


@pytest.mark.parametrize("role", [Role.CITY_SUPERVISOR, Role.TOWN_SUPERVISOR, Role.CITY_ADMIN, Role.EXPERT,
                                  Role.DEPARTMENT_SUPERVISOR])
def test_town_a_cannot_create_staff(personas, role):
    region = personas.town_a if role in (Role.TOWN_SUPERVISOR, Role.DEPARTMENT_SUPERVISOR) else None
    response = client_for(personas.town_a_supervisor).post(reverse("user_add"), {
        "username": "staff_new", "role": role, "region": region.pk if region else "", "domains": ["machinery"],
    })
    assert "one-time-password" not in page_text(response)
    assert not User.objects.filter(username="staff_new").exists()
    with pytest.raises(PermissionDenied):
        user_create(actor=personas.town_a_supervisor, user=User(username="staff_new", role=role, region=region),
                    password=NEW_PASSWORD)
    assert not User.objects.filter(username="staff_new").exists()


def test_town_a_cannot_create_a_grid_worker_in_town_b(personas):
    response = client_for(personas.town_a_supervisor).post(reverse("user_add"), {
        "username": "grid_b_new", "role": Role.GRID_WORKER, "region": personas.village_b.pk,
    })
    assert "one-time-password" not in page_text(response)
    # The service refuses it too, after saving, and keeps nothing.
    with pytest.raises(PermissionDenied):
        user_create(actor=personas.town_a_supervisor,
                    user=User(username="grid_b_new", role=Role.GRID_WORKER, region=personas.village_b),
                    password=NEW_PASSWORD)
    assert not User.objects.filter(username="grid_b_new").exists()
    assert not AuditEvent.objects.filter(action="user.create", object_repr__contains="grid_b_new").exists()


def test_town_a_edits_its_grid_worker_but_cannot_promote_or_move_it(personas):
    grid = personas.grid_worker_a
    manager = client_for(personas.town_a_supervisor)
    url = reverse("user_edit", args=[grid.pk])
    base = {"username": "grid_worker_a", "role": Role.GRID_WORKER, "region": personas.village_a.pk,
            "last_name": "王", "first_name": "五"}
    assert manager.post(url, base).status_code == 302
    grid.refresh_from_db()
    assert grid.get_full_name() == "王五"
    assert AuditEvent.objects.filter(action="user.update", object_id=str(grid.pk)).exists()
    # Promotion to town supervisor: not offered, and refused by the service.
    assert manager.post(url, {**base, "role": Role.TOWN_SUPERVISOR, "region": personas.town_a.pk}).status_code == 200
    grid.refresh_from_db()
    assert grid.role == Role.GRID_WORKER
    grid.role, grid.region = Role.TOWN_SUPERVISOR, personas.town_a
    with pytest.raises(PermissionDenied):
        user_update(actor=personas.town_a_supervisor, user=grid)
    # A move to town B: not offered, and refused (rolled back) by the service.
    grid.refresh_from_db()
    grid.region = personas.village_b
    with pytest.raises(PermissionDenied):
        user_update(actor=personas.town_a_supervisor, user=grid)
    grid.refresh_from_db()
    assert grid.region == personas.village_a and grid.place_code == personas.village_a.code


def test_an_enterprise_user_hangs_on_its_enterprise_whatever_region_it_was_given(personas):
    user = personas.enterprise_a_user
    user.region = personas.village_b  # a stray region on an enterprise user
    user.save()
    assert user.place_code == personas.enterprise_a.region.code
    assert managed_users(personas.town_a_supervisor).filter(pk=user.pk).exists()
    assert not managed_users(personas.town_b_supervisor).filter(pk=user.pk).exists()


def test_an_enterprise_moving_town_takes_its_accounts_along(personas):
    enterprise = personas.enterprise_a
    enterprise.region = personas.village_b
    enterprise.save()
    user = User.objects.get(pk=personas.enterprise_a_user.pk)
    assert user.place_code == personas.village_b.code
    assert not managed_users(personas.town_a_supervisor).filter(pk=user.pk).exists()
    assert managed_users(personas.town_b_supervisor).filter(pk=user.pk).exists()


def test_an_enterprise_moved_by_an_import_takes_its_accounts_along(personas):
    """The import writes in bulk (no post_save): the accounts follow all the same (issue 7 item 2, same rules)."""
    from anjian.core.services import scoped_bulk_save
    from anjian.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    scoped_bulk_save(actor=personas.city_supervisor, model=Enterprise, rows=[enterprise], reason="迁址",
                     audit_action="enterprise.import")
    user = User.objects.get(pk=personas.enterprise_a_user.pk)
    assert user.place_code == personas.village_b.code
    assert managed_users(personas.town_b_supervisor).filter(pk=user.pk).exists()


# ---- decisions -----------------------------------------------------------------------------------------------------


def test_deactivate_needs_a_reason_and_stops_sign_in(personas, client):
    grid = personas.grid_worker_a
    manager = client_for(personas.town_a_supervisor)
    url = reverse("user_action", args=[grid.pk, "deactivate"])
    assert manager.post(url, {"reason": ""}).status_code == 400
    grid.refresh_from_db()
    assert grid.is_active
    with pytest.raises(ValidationError):
        user_deactivate(actor=personas.town_a_supervisor, user=grid, reason=" ")
    assert manager.post(url, {"reason": "调离岗位"}).status_code == 302
    grid.refresh_from_db()
    assert not grid.is_active
    event = AuditEvent.objects.get(action="user.deactivate", object_id=str(grid.pk))
    assert event.reason == "调离岗位" and event.actor == personas.town_a_supervisor
    assert event.action_label == "停用用户"
    refused = login(client, "grid_worker_a")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    # The town reads the decision in its audit log (the event hangs where the account does).
    assert AuditEvent.objects.restrict(personas.town_a_supervisor, "view").filter(pk=event.pk).exists()
    assert not AuditEvent.objects.restrict(personas.town_b_supervisor, "view").filter(pk=event.pk).exists()
    # Reactivate, with a reason.
    url = reverse("user_action", args=[grid.pk, "reactivate"])
    assert manager.post(url, {"reason": "返岗"}).status_code == 302
    grid.refresh_from_db()
    assert grid.is_active
    assert AuditEvent.objects.filter(action="user.reactivate", object_id=str(grid.pk), reason="返岗").exists()


def test_reset_password_shows_it_once_and_forces_a_change(personas, client):
    grid = personas.grid_worker_a
    token = token_issue(actor=grid, user=grid)
    manager = client_for(personas.town_a_supervisor)
    url = reverse("user_action", args=[grid.pk, "reset_password"])
    assert manager.post(url, {"reason": ""}).status_code == 400  # a decision: a reason is required
    assert not User.objects.get(pk=grid.pk).must_change_password
    response = manager.post(url, {"reason": "忘记密码"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="one-time-password">([^<]+)<', page_text(response)).group(1)
    token.refresh_from_db()
    assert token.revoked is not None  # the API tokens end with the old password
    event = AuditEvent.objects.get(action="user.reset_password", object_id=str(grid.pk))
    assert event.reason == "忘记密码" and password not in str(event.data)

    assert login(client, "grid_worker_a", password).status_code == 302
    for url in (reverse("home"), reverse("profile"), reverse("enterprises:enterprise_list"), reverse("user_list")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    api = client.get("/api/v1/enterprises/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {"old_password": password, "new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    grid.refresh_from_db()
    assert not grid.must_change_password
    assert client.get(reverse("profile")).status_code == 200
    assert AuditEvent.objects.filter(action="user.change_password", object_id=str(grid.pk)).exists()


def test_unlock_lifts_the_login_lockout(personas, settings, client):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(2):
        login(client, "grid_worker_a", "wrong-password")
    assert "账号已暂时锁定" in page_text(login(client, "grid_worker_a"))
    manager = client_for(personas.town_a_supervisor)
    detail = page_text(manager.get(reverse("user_detail", args=[personas.grid_worker_a.pk])))
    assert 'data-testid="user-locked"' in detail
    unlock = reverse("user_action", args=[personas.grid_worker_a.pk, "unlock"])
    assert unlock in detail
    assert manager.post(unlock, {"reason": ""}).status_code == 400
    assert 'data-testid="user-locked"' in page_text(manager.get(reverse("user_detail",
                                                                        args=[personas.grid_worker_a.pk])))
    assert manager.post(unlock, {"reason": "本人来电确认"}).status_code == 302
    assert login(client, "grid_worker_a").status_code == 302
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(personas.grid_worker_a.pk)).exists()


def test_town_b_cannot_unlock_or_reset_town_a(personas):
    with pytest.raises(PermissionDenied):
        user_unlock(actor=personas.town_b_supervisor, user=personas.grid_worker_a, reason="x")
    with pytest.raises(PermissionDenied):
        user_reset_password(actor=personas.town_b_supervisor, user=personas.grid_worker_a, reason="x")
    with pytest.raises(PermissionDenied):
        user_reset_password(actor=personas.town_a_supervisor, user=personas.town_a_supervisor, reason="x")
    assert not AuditEvent.objects.filter(action__in=["user.unlock", "user.reset_password"]).exists()


# ---- API tokens on the pages ---------------------------------------------------------------------------------------


def test_an_administrator_lists_and_revokes_a_users_tokens(personas):
    grid = personas.grid_worker_a
    token = token_issue(actor=grid, user=grid, name="巡检App")
    manager = client_for(personas.town_a_supervisor)
    html = page_text(manager.get(reverse("user_detail", args=[grid.pk])))
    assert "巡检App" in html and token.hint in html and token.key not in html
    url = reverse("user_token_revoke", args=[grid.pk, token.pk])
    # Town B cannot, even knowing the ids.
    assert client_for(personas.town_b_supervisor).post(url, {"reason": "x"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked is None
    # Nor with another user's id in the path.
    assert manager.post(reverse("user_token_revoke", args=[personas.enterprise_a_user.pk, token.pk])).status_code == 404
    assert manager.post(url, {"reason": ""}).status_code == 400  # an administrator says why
    token.refresh_from_db()
    assert token.revoked is None
    assert manager.post(url, {"reason": "手机遗失"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    assert AuditEvent.objects.filter(action="user.revoke_token", reason="手机遗失").exists()


def test_the_owner_issues_rotates_and_revokes_its_tokens_on_the_profile(personas):
    grid = personas.grid_worker_a
    client = client_for(grid)
    response = client.post(reverse("own_token_add"), {"name": "巡检App"})
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'data-testid="api-token">([^<]+)<', page_text(response)).group(1)
    token = ApiToken.objects.get(key=key)
    assert AuditEvent.objects.filter(action="user.issue_token", actor=grid, data__name="巡检App").exists()
    profile = page_text(client.get(reverse("profile")))
    assert "巡检App" in profile and key not in profile
    response = client.post(reverse("own_token_action", args=[token.pk, "rotate"]))
    new_key = re.search(r'data-testid="api-token">([^<]+)<', page_text(response)).group(1)
    token.refresh_from_db()
    assert token.revoked is not None and ApiToken.objects.get(key=new_key).is_active()
    new = ApiToken.objects.get(key=new_key)
    assert client.post(reverse("own_token_action", args=[new.pk, "revoke"])).status_code == 302
    new.refresh_from_db()
    assert new.revoked is not None
    # Another person's token cannot be reached from one's own profile.
    other = token_issue(actor=personas.enterprise_a_user, user=personas.enterprise_a_user)
    for action in ("revoke", "rotate"):
        assert client.post(reverse("own_token_action", args=[other.pk, action])).status_code == 404
    other.refresh_from_db()
    assert other.revoked is None


# ---- the user menu -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "role", "jurisdiction"), [
    ("city_admin", "市级管理员", "东莞市"),
    ("city_supervisor", "市级监管人员", "东莞市"),
    ("town_a_supervisor", "镇街监管人员", "东城街道"),
    ("grid_worker_a", "村（社区）网格员", None),
    ("enterprise_a_user", "企业安全管理人员", "东城甲企业有限公司"),
    ("expert_a", "专家", "指派企业 1 家"),
    ("department_a_supervisor", "行业部门监管人员", "东城街道"),
])
def test_the_user_menu_shows_name_role_and_jurisdiction(personas, persona, role, jurisdiction):
    user = getattr(personas, persona)
    user.last_name, user.first_name = "陈", "小明"
    user.save()
    html = page_text(client_for(user).get(reverse("profile")))
    menu = html[html.index('id="user-menu"'):]
    menu = menu[:menu.index("</ul>")]
    assert "陈小明" in menu  # family name first, as Chinese is written
    assert f'data-testid="user-role">{role}<' in menu
    expected = jurisdiction or personas.village_a.name
    assert f'data-testid="user-jurisdiction">{expected}' in menu


def test_a_superuser_without_a_role_is_the_system_administrator(personas):
    root = User.objects.create_superuser("root", password=PASSWORD)
    html = page_text(client_for(root).get(reverse("profile")))
    assert 'data-testid="user-role">系统管理员<' in html


def test_a_user_who_must_change_the_password_may_still_sign_out(personas):
    grid = personas.grid_worker_a
    grid.must_change_password = True
    grid.save()
    client = client_for(grid)
    assert client.get("/static/missing.css").status_code == 404  # static files are not redirected
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_list_asks_the_database_a_fixed_number_of_times(personas, django_assert_max_num_queries):
    """No query per row: experts' assignments are prefetched, lockouts read once."""
    client = client_for(personas.city_admin)
    client.get(reverse("user_list"))  # warm the session and the content types
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("user_list"))
    for n in range(15):
        expert = User(username=f"expert_{n}", role=Role.EXPERT)
        expert.set_unusable_password()
        expert.save()
        expert.assigned_enterprises.add(personas.enterprise_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("user_list"))
    assert "指派企业 1 家" in page_text(response)


def test_city_admin_creates_a_department_supervisor_with_its_domains(personas):
    response = client_for(personas.city_admin).post(reverse("user_add"), {
        "username": "dept_new", "role": Role.DEPARTMENT_SUPERVISOR, "region": personas.town_b.pk,
        "domains": ["machinery", "construction"],
    })
    assert "one-time-password" in page_text(response), page_text(response)[:3000]
    user = User.objects.get(username="dept_new")
    assert user.domains == ["machinery", "construction"] and user.place_code == personas.town_b.code
    # The town supervisor is not offered the department fields at all.
    form = page_text(client_for(personas.town_a_supervisor).get(reverse("user_add")))
    assert 'name="domains"' not in form and 'name="department"' not in form
    assert f'value="{Role.TOWN_SUPERVISOR}"' not in form and f'value="{Role.GRID_WORKER}"' in form


def test_the_edit_form_shows_the_accounts_values(personas):
    grid = personas.grid_worker_a
    html = page_text(client_for(personas.city_admin).get(reverse("user_edit", args=[grid.pk])))
    assert f'<option value="{personas.village_a.pk}" selected>' in html
    assert f'<option value="{personas.village_b.pk}">' in html  # the city chooses anywhere
    html = page_text(client_for(personas.town_a_supervisor).get(reverse("user_edit", args=[grid.pk])))
    assert f'<option value="{personas.village_b.pk}"' not in html  # a town only within itself
    enterprise_user = personas.enterprise_a_user
    html = page_text(client_for(personas.town_a_supervisor).get(reverse("user_edit", args=[enterprise_user.pk])))
    assert f'value="{personas.enterprise_a.uscc}"' in html
