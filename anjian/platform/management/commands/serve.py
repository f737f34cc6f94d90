"""`anjian serve`: the production-style server (gunicorn; static files served by whitenoise)."""

from __future__ import annotations

import os
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


class Command(BaseCommand):
    help = (
        "收集静态文件、检查数据库迁移，然后以 gunicorn（config.wsgi）在前台运行；静态文件由 whitenoise 提供。"
        "导入、导出和定时任务由后台任务进程执行：请在旁边另行运行 anjian run_huey（即 .venv/bin/anjian run-huey，"
        "与本服务使用同一数据目录 ANJIAN_DATA_DIR 或同一 ANJIAN_REDIS_URL），否则任务会一直排队。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 工作进程数（默认 2）")
        parser.add_argument("--timeout", type=int, default=60, help="请求超时秒数（默认 60）")

    def handle(self, *args, bind: str, workers: int, timeout: int, **options):
        if workers < 1:
            raise CommandError("--workers 必须至少为 1。")
        pending = unapplied_migrations()
        if pending:
            raise CommandError(
                f"数据库还有 {len(pending)} 个迁移未执行（如 {pending[0]}）：请先运行 anjian migrate。"
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"anjian 正在 http://{bind}/ 上运行（gunicorn，{workers} 个工作进程）；按 Ctrl+C 停止。")
        self.stdout.flush()
        # The workers import config.wsgi themselves: close our connections so no socket is shared after exec.
        connections.close_all()
        argv = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--timeout", str(timeout),
            "--access-logfile", "-", "--error-logfile", "-",
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn, fixed argument list
