"""`anjian createuser`: an account of one role with its jurisdiction (issue 2, "Interfaces others rely on")."""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.accounts.models import Department, User, domain_labels
from anjian.accounts.roles import CITY_ROLES, STAFF_ROLES, Role
from anjian.accounts.services import user_create


def _messages(error: ValidationError) -> str:
    """Field errors as "字段名：消息" so the person at the terminal knows which option to fix."""
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        text = " ".join(messages)
        parts.append(f"{User._meta.get_field(name).verbose_name}：{text}" if name != NON_FIELD_ERRORS else text)
    return "；".join(parts)


def build_user(
    *,
    username: str,
    role: str,
    region_code: str | None = None,
    uscc: str | None = None,
    domains: Sequence[str] = (),
    department: str | None = None,
) -> tuple[User, list]:
    """An unsaved User and the enterprises to assign (experts); CommandError in Chinese for unknown options.

    City roles (and a department supervisor) without a region get the city. A department supervisor without
    `domains` gets its department's. Enterprise is looked up through the app registry: accounts sits below
    enterprises in the layers (architecture rule 1), so it does not import that app.
    """
    if role not in Role.values:
        raise CommandError(f"未知角色“{role}”。可选角色：{'、'.join(Role.values)}。")
    region_model = apps.get_model("regions", "Region")
    region = None
    if region_code:
        if role not in STAFF_ROLES:
            raise CommandError(f"角色“{Role(role).label}”不指定管辖区域，请去掉 --region。")
        region = region_model._base_manager.filter(code=region_code.strip()).first()
        if region is None:
            raise CommandError(f"未知区划代码“{region_code}”：请使用12位统计用区划代码，如 441900003000。")
    elif role in CITY_ROLES or role == Role.DEPARTMENT_SUPERVISOR:
        region = region_model._base_manager.filter(level="city").first()
        if region is None:
            raise CommandError("尚未加载行政区划：请先运行 anjian load-reference。")
    enterprise = None
    if uscc:
        if role not in {Role.ENTERPRISE_USER, Role.EXPERT}:
            raise CommandError(f"角色“{Role(role).label}”不关联企业，请去掉 --enterprise。")
        enterprise_model = apps.get_model("enterprises", "Enterprise")
        enterprise = enterprise_model._base_manager.filter(uscc=uscc.strip().upper()).first()
        if enterprise is None:
            raise CommandError(f"未找到统一社会信用代码为“{uscc}”的企业。")
    user = User(username=username, role=role, region=region)
    if role == Role.ENTERPRISE_USER:
        user.enterprise = enterprise
    if (domains or department) and role != Role.DEPARTMENT_SUPERVISOR:
        raise CommandError(f"角色“{Role(role).label}”不按行业领域授权，请去掉 --domains 和 --department。")
    if department:
        user.department = Department.objects.filter(code=department.strip()).first()
        if user.department is None:
            known = "、".join(Department.objects.values_list("code", flat=True)) or "（请先运行 anjian load-reference）"
            raise CommandError(f"未知部门代码“{department}”。可选：{known}。")
    codes = [code.strip() for code in domains if code.strip()]
    unknown = [code for code in codes if code not in domain_labels()]
    if unknown:
        raise CommandError(f"未知行业领域“{'、'.join(unknown)}”。可选：{'、'.join(domain_labels())}。")
    if role == Role.DEPARTMENT_SUPERVISOR:
        user.domains = codes or (list(user.department.domains) if user.department else [])
    assigned = [enterprise] if role == Role.EXPERT and enterprise else []
    return user, assigned


def create(*, user: User, password: str, assigned: list, reason: str) -> User:
    """Save through the accounts service, turning its errors into Chinese CommandErrors for the terminal."""
    try:
        return user_create(actor=None, user=user, password=password, assigned_enterprises=assigned, reason=reason)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise CommandError(_messages(error)) from error
        raise CommandError("密码不符合要求：" + " ".join(error.messages)) from error


class Command(BaseCommand):
    help = (
        "创建用户：--username U --password P --role R [--region 区划代码] [--enterprise 统一社会信用代码] "
        "[--domains 行业领域,...] [--department 部门代码]。"
        f"角色：{', '.join(Role.values)}。市级角色和行业部门监管人员不指定区域时为全市；企业用户须指定企业；"
        "专家的 --enterprise 为指派企业；行业部门监管人员须有 --domains（或 --department 的全部行业领域）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, help="、".join(f"{r.value}（{r.label}）" for r in Role))
        parser.add_argument("--region", help="12位区划代码：镇街监管人员为镇街，网格员为村（社区）")
        parser.add_argument("--enterprise", help="统一社会信用代码：企业用户的所属企业，或专家的指派企业")
        parser.add_argument(
            "--domains", default="", help="行业部门监管人员监管的行业领域代码，逗号分隔，如 hazchem,construction"
        )
        parser.add_argument("--department", help="行业部门监管人员的所属部门代码，如 housing")

    def handle(self, *args, username, password, role, region=None, enterprise=None, domains="", department=None,
               **options):
        user, assigned = build_user(username=username, role=role, region_code=region, uscc=enterprise,
                                    domains=domains.split(",") if domains else (), department=department)
        create(user=user, password=password, assigned=assigned, reason="命令行创建（anjian createuser）")
        self.stdout.write(f"已创建用户 {user.username}（{Role(role).label}，{user.jurisdiction_label or '—'}）。")
