"""Benchmark: importing hazards found in an external campaign (issue 8 item 7), 20,000 rows by default.

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_hazard_import`), this script migrates, loads the reference data and generates the demo
city's registry once (`--enterprises`, no hazards), then a worker process inside Django, as a city supervisor:
- builds an import file of `--rows` new hazards (two per enterprise, 外部编号 BENCH-…, every column filled);
- times the dry run (`importing.dry_run`) and the commit (`importing.commit`: the rows written in bulk) inside a
  transaction that is then rolled back, so every attempt starts from the same data (on PostgreSQL the tables it
  writes are vacuumed before each attempt, as bench/import_export.py does). The notices each new hazard sends run
  after the commit, so a rolled-back attempt does not deliver them: the figure is the import's own work;
- then commits `--delivered` rows (2,000 by default) for real, the notices delivered after the commit (the
  notifications app's batch sender), times it, and deletes what it wrote.

Usage: .venv/bin/python bench/hazard_import.py [--rows N] [--enterprises N] [--repeat R] [--delivered N] [--fresh]
                                               [--sqlite-only] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import add_backend_arguments, backends, city_supervisor, prepare_city, timed_import

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_hazard_import"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-hazard-import"
PER_ENTERPRISE = 2


def import_file(path: Path, rows: int, prefix: str = "BENCH", *, with_users: bool = False) -> None:
    """`rows` new hazards, PER_ENTERPRISE per enterprise, in the import's columns, 外部编号 `prefix`-N; with
    `with_users`, only at enterprises that have a user of their own (so each new hazard tells someone)."""
    import itertools

    from openpyxl import Workbook

    from anjian.enterprises.models import Enterprise
    from anjian.hazards.importing import SPEC

    count = -(-rows // PER_ENTERPRISE)
    ids = list(Enterprise.objects.order_by("-pk" if with_users else "pk").values_list("pk", flat=True)[:count])
    enterprises = Enterprise.objects.filter(pk__in=ids).order_by("pk")
    if with_users:
        give_users(enterprises)
    usccs = list(enterprises.values_list("uscc", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SPEC.sheet_title)
    sheet.append([column.label for column in SPEC.columns])
    places = itertools.cycle(("一号车间", "二号车间配电房", "成品仓库", "化学品仓库"))
    for number, uscc in enumerate(
        itertools.islice(itertools.chain.from_iterable(itertools.repeat(code, PER_ENTERPRISE) for code in usccs), rows)
    ):
        sheet.append(
            [
                uscc,
                f"{prefix}-{number:06d}",
                next(places),
                f"消防通道被货物堵塞，安全出口指示灯损坏（{number}）",
                "现场管理-消防安全",
                "重大" if number % 25 == 0 else "一般",
                "2026-11-20 10:30",
                "",
            ]
        )
    workbook.save(path)


def give_users(enterprises) -> None:
    """An enterprise user (安全管理员) for each of `enterprises` that has none, the generated registry having none."""
    from anjian.accounts.models import User
    from anjian.accounts.roles import Role

    missing = enterprises.exclude(pk__in=User.objects.filter(role=Role.ENTERPRISE_USER).values("enterprise_id"))
    User.objects.bulk_create(
        User(username=f"bench_enterprise_{enterprise.pk}", role=Role.ENTERPRISE_USER, enterprise=enterprise,
             password="!")
        for enterprise in missing.only("pk")
    )


def settle() -> None:
    """On PostgreSQL, VACUUM ANALYZE the tables an import writes, so each attempt starts from the same tables."""
    from django.db import connection

    from anjian.core.models import AuditEvent
    from anjian.hazards.models import Hazard

    if connection.vendor != "postgresql":
        return
    tables = [Hazard._meta.db_table, Hazard.history.model._meta.db_table, AuditEvent._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def delivered_commit(person, work: Path, rows: int) -> None:
    """One commit of `rows` new hazards kept, with its notices delivered after it; then the rows are deleted."""
    import time

    from anjian.hazards import importing
    from anjian.hazards.models import Hazard
    from anjian.notifications.models import Notification

    path = work / "delivered.xlsx"
    import_file(path, rows, prefix="BENCH-DELIVERED", with_users=True)
    before = Notification.objects.count()
    with path.open("rb") as handle:
        started = time.perf_counter()
        result = importing.commit(actor=person, handle=handle, extension=".xlsx")
        seconds = time.perf_counter() - started
    assert result.committed, result.errors[:5]
    told = Notification.objects.count() - before
    print(f"hazard import commit {rows:>7} rows, notices delivered ({told} notifications)  {seconds:7.2f} s  "
          f"{rows / seconds:>7.0f} rows/s")
    written = Hazard.objects.filter(external_ref__startswith="BENCH-DELIVERED-")
    Notification.objects.filter(object_id__in=[str(pk) for pk in written.values_list("pk", flat=True)],
                                kind="hazard.reported").delete()
    written.delete()


def worker(rows: int, repeat: int, delivered: int) -> None:
    person = city_supervisor()
    from anjian.hazards import importing

    work = Path(tempfile.mkdtemp(prefix="anjian-bench-hazard-import-"))
    path = work / "hazards.xlsx"
    import_file(path, rows)
    validate, commit, result = timed_import(importing, actor=person, path=path, repeat=repeat, settle=settle)
    for label, timings in (("dry run", validate), ("commit ", commit)):
        median = statistics.median(timings)
        runs = " ".join(f"{seconds:.2f}" for seconds in timings)
        print(
            f"hazard import {label} {rows:>7} rows ({len(result.to_create)} new)  median {median:7.2f} s  "
            f"{rows / median:>7.0f} rows/s  runs {runs}"
        )
    if delivered:
        delivered_commit(person, work, delivered)
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--delivered", type=int, default=2_000, help="rows of the commit kept and told (0: none)")
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES, fresh_help="generate the city again")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.rows, args.repeat, args.delivered)
        return
    for label, env in backends(args, DATA_DIR):
        prepare_city(label, env, args.enterprises)
        command = [sys.executable, __file__, "--worker", "--rows", str(args.rows), "--repeat", str(args.repeat),
                   "--delivered", str(args.delivered)]
        subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
