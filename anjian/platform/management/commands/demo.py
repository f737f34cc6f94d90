"""`anjian demo`: a working demo site from nothing (issue 2 item 2)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.accounts.management.commands.createuser import build_user, create
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.enterprises.demo import DemoError, generate, generated_enterprises
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Region

# The demo accounts' shared password: for the demo only, printed on the terminal, never for real use.
DEMO_PASSWORD = "Demo-2026-anjian"  # noqa: S105 - a published demo password, by design
DEMO_TOWN = "441900003000"  # 东城街道
EXPERT_ASSIGNMENTS = 5


def demo_accounts() -> list[tuple[User, str]]:
    """Create (or reset) one demo user per role; returns (user, jurisdiction shown to the person) pairs."""
    town = Region.objects.get(code=DEMO_TOWN)
    village = town.children.order_by("code").first()
    in_town = Enterprise._base_manager.filter(region__parent=town).order_by("name", "id")
    generated = in_town.filter(pk__in=generated_enterprises().values("pk"))
    sample = generated if generated.exists() else in_town
    first = sample.first()
    if first is None:
        raise CommandError(f"{town.name}没有企业，无法创建演示企业用户和专家。")
    plan = [
        ("demo_city_admin", Role.CITY_ADMIN, None, None),
        ("demo_city_supervisor", Role.CITY_SUPERVISOR, None, None),
        ("demo_town_supervisor", Role.TOWN_SUPERVISOR, town.code, None),
        ("demo_grid_worker", Role.GRID_WORKER, village.code, None),
        ("demo_enterprise_user", Role.ENTERPRISE_USER, None, first.uscc),
        ("demo_expert", Role.EXPERT, None, None),
    ]
    accounts = []
    with transaction.atomic():
        for username, role, region_code, uscc in plan:
            user, _assigned = build_user(username=username, role=role, region_code=region_code, uscc=uscc)
            user.last_name = Role(role).label
            assigned = list(sample[:EXPERT_ASSIGNMENTS]) if role == Role.EXPERT else []
            existing = User.objects.filter(username=username).first()
            if existing is None:
                create(user=user, password=DEMO_PASSWORD, assigned=assigned, reason="演示用户（anjian demo）")
            else:
                # Reset in place: a demo account that has acted is referenced by audit events and stays.
                user.pk, user.date_joined = existing.pk, existing.date_joined
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.assigned_enterprises.set(assigned)
            where = f"指派企业 {len(assigned)} 家（{town.name}）" if role == Role.EXPERT else user.jurisdiction_label
            accounts.append((user, where))
    return accounts


def _pad(text: str, width: int) -> str:
    """Left-align for a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


class Command(BaseCommand):
    help = (
        "演示站点：迁移数据库、加载参考数据、（登记库为空时）生成演示城市、创建每个角色的演示用户并打印登录信息，"
        "然后与 anjian serve 相同地在 127.0.0.1:8000 运行。数据目录由 ANJIAN_DATA_DIR 指定（默认 ./var）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=20000, help="演示企业数量（默认 20000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和用户，不启动服务")

    def handle(self, *args, enterprises: int, seed: int, bind: str, workers: int, no_serve: bool, **options):
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移。")
        call_command("load_reference", stdout=self.stdout)
        if Enterprise._base_manager.exists():
            self.stdout.write(f"登记库已有 {Enterprise._base_manager.count()} 家企业，不再生成演示数据。")
        else:
            self.stdout.write(f"正在生成演示城市（{enterprises} 家企业，种子 {seed}）……")
            try:
                result = generate(enterprises=enterprises, seed=seed)
            except DemoError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"已生成企业 {result.enterprises} 家、许可证 {result.licences} 张、安责险 {result.insurances} 份、"
                f"档案 {result.archives} 份，用时 {result.seconds:.1f} 秒。"
            )
        accounts = demo_accounts()
        self.stdout.write("")
        self.stdout.write(f"演示用户（密码均为 {DEMO_PASSWORD}，仅供演示，切勿用于正式环境）：")
        width = max(len(user.username) for user, _where in accounts)
        for user, where in accounts:
            self.stdout.write(f"  {_pad(user.username, width)}  {_pad(str(Role(user.role).label), 16)}  {where}")
        self.stdout.write("")
        if no_serve:
            return
        call_command("serve", bind=bind, workers=workers)
