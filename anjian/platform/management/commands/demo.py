"""`anjian demo`: a working demo site from nothing (issue 2 item 2)."""

from __future__ import annotations

import signal
import subprocess
import sys
import unicodedata

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from anjian.accounts.roles import Role
from anjian.core.registry import DemoOptions, registry
from anjian.platform.demo import DEMO_PASSWORD, demo_accounts


def _die_with_parent() -> None:
    """In the worker, before it runs: ask Linux to send SIGTERM when the process that started it ends.

    The demo command then becomes gunicorn (`serve` execs it), so the worker stops with the server whichever way the
    server ends (Ctrl+C reaches both anyway: they share the terminal's process group)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl+C still stops both


def start_worker(workers: int = 2) -> subprocess.Popen:
    """`anjian run_huey` beside the web server: background jobs (imports, exports) and periodic tasks."""
    command = [sys.executable, "-m", "anjian.cli", "run_huey", "--workers", str(workers), "--worker-type", "thread"]
    return subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: S603, PLW1509 - fixed argument list


def _pad(text: str, width: int) -> str:
    """Left-align for a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


class Command(BaseCommand):
    help = (
        "演示站点：迁移数据库、加载参考数据、（各模块数据为空时）生成演示城市、创建每个角色的演示用户并打印登录信息，"
        "然后与 anjian serve 相同地在 127.0.0.1:8000 运行，并在旁边运行后台任务进程"
        "（anjian run_huey：导入、导出和定时任务），两者一同停止。数据目录由 ANJIAN_DATA_DIR 指定（默认 ./var）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=20000, help="演示企业数量（默认 20000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和用户，不启动服务")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动后台任务进程（另行运行 anjian run_huey 时使用）")

    def handle(self, *args, enterprises: int, seed: int, bind: str, workers: int, no_serve: bool, no_worker: bool,
               **options):
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移。")
        call_command("load_reference", stdout=self.stdout)
        demo_options = DemoOptions(enterprises=enterprises, seed=seed)
        # Each app adds its demo records (registered in its AppConfig), in INSTALLED_APPS order.
        for _label, generate in registry.generators(after_accounts=False):
            self.stdout.write(generate(demo_options))
        accounts = demo_accounts()
        for _label, generate in registry.generators(after_accounts=True):
            self.stdout.write(generate(demo_options))
        self.stdout.write("")
        self.stdout.write(f"演示用户（密码均为 {DEMO_PASSWORD}，仅供演示，切勿用于正式环境）：")
        width = max(len(user.username) for user, _where in accounts)
        for user, where in accounts:
            self.stdout.write(f"  {_pad(user.username, width)}  {_pad(str(Role(user.role).label), 18)}  {where}")
        self.stdout.write("")
        if no_serve:
            return
        if not no_worker:
            worker = start_worker()
            self.stdout.write(f"后台任务进程已启动（anjian run_huey，进程 {worker.pid}），随服务一同停止。")
        call_command("serve", bind=bind, workers=workers)
