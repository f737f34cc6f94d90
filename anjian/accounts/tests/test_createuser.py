"""`anjian createuser` (issue 2, "Interfaces others rely on"): valid accounts, and clear Chinese errors."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "Quartz-2026-river"


def createuser(*args):
    out = io.StringIO()
    call_command("createuser", *args, stdout=out)
    return out.getvalue()


def test_town_supervisor_gets_the_town_and_a_usable_password(personas):
    output = createuser("--username", "wang", "--password", PASSWORD, "--role", "town_supervisor",
                        "--region", personas.town_a.code)
    user = User.objects.get(username="wang")
    assert user.role == Role.TOWN_SUPERVISOR and user.region == personas.town_a
    assert user.check_password(PASSWORD)
    assert "已创建用户 wang" in output and personas.town_a.name in output
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


def test_city_role_defaults_to_the_city(personas):
    createuser("--username", "city1", "--password", PASSWORD, "--role", "city_supervisor")
    assert User.objects.get(username="city1").region.level == "city"


def test_enterprise_user_and_expert_by_uscc(personas):
    uscc = personas.enterprise_a.uscc
    createuser("--username", "manager", "--password", PASSWORD, "--role", "enterprise_user",
               "--enterprise", uscc.lower())
    assert User.objects.get(username="manager").enterprise == personas.enterprise_a
    createuser("--username", "expert2", "--password", PASSWORD, "--role", "expert", "--enterprise", uscc)
    assert list(User.objects.get(username="expert2").assigned_enterprises.all()) == [personas.enterprise_a]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "mayor"], "未知角色“mayor”"),
        (["--role", "town_supervisor", "--region", "441900999000"], "未知区划代码“441900999000”"),
        (["--role", "town_supervisor"], "必须指定管辖区域"),
        (["--role", "grid_worker", "--region", "441900003000"], "管辖区域"),
        (["--role", "enterprise_user"], "企业用户必须指定所属企业"),
        (["--role", "enterprise_user", "--enterprise", "91441900MA00000000"], "未找到统一社会信用代码"),
        (["--role", "city_admin", "--enterprise", "91441900MA00000000"], "不关联企业"),
        (["--role", "expert", "--region", "441900003000"], "不指定管辖区域"),
    ],
)
def test_bad_options_get_a_chinese_error_and_create_nothing(personas, args, message):
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        createuser("--username", "nobody", "--password", PASSWORD, *args)
    assert User.objects.count() == before


@pytest.mark.parametrize("password", ["short1", "abcdefghijkl", "1234567890123", "password123"])
def test_weak_passwords_are_refused(personas, password):
    with pytest.raises(CommandError, match="密码不符合要求"):
        createuser("--username", "weak", "--password", password, "--role", "city_admin")
    assert not User.objects.filter(username="weak").exists()


def test_existing_username_is_refused(personas):
    with pytest.raises(CommandError, match="用户名"):
        createuser("--username", personas.city_admin.username, "--password", PASSWORD, "--role", "city_admin")


def test_department_supervisor_with_domains_in_a_region(personas):
    """`anjian createuser ... --role department_supervisor --region CODE --domains hazchem,construction`."""
    output = createuser("--username", "dept1", "--password", PASSWORD, "--role", "department_supervisor",
                        "--region", personas.town_a.code, "--domains", "hazchem,construction")
    user = User.objects.get(username="dept1")
    assert user.role == Role.DEPARTMENT_SUPERVISOR and user.region == personas.town_a
    assert user.domains == ["hazchem", "construction"]
    assert "危险化学品、建筑施工" in output


def test_department_supervisor_takes_its_departments_domains(personas):
    call_command("load_reference", stdout=io.StringIO())
    createuser("--username", "dept2", "--password", PASSWORD, "--role", "department_supervisor",
               "--department", "housing")
    user = User.objects.get(username="dept2")
    assert user.region.level == "city" and user.department.code == "housing" and user.domains == ["construction"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--role", "department_supervisor", "--domains", "mining"), "未知行业领域“mining”"),
        (("--role", "department_supervisor"), "必须指定监管的行业领域"),
        (("--role", "town_supervisor", "--region", "441900003000", "--domains", "hazchem"), "不按行业领域授权"),
        (("--role", "department_supervisor", "--department", "nope"), "未知部门代码“nope”"),
    ],
)
def test_department_options_are_checked(personas, args, message):
    with pytest.raises(CommandError, match=message):
        createuser("--username", "dept3", "--password", PASSWORD, *args)
    assert not User.objects.filter(username="dept3").exists()
