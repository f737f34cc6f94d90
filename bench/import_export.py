"""Benchmark: enterprise import commit and export rates with 200,000 generated enterprises (issue 7 item 2).

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_io`), this script migrates, loads the reference data and generates the demo city once,
then a worker process inside Django, as a city supervisor:
- exports the list (the same `export_source` the list page's export job writes) to an .xlsx file, for each query
  of `--export` (default: the whole city, and one town), and prints rows/s;
- builds an import file of `--rows` rows (half of them existing enterprises with a changed employee count, half
  new ones) with the import's own columns, and times `importing.commit` on it inside a transaction that is then
  rolled back (so every run starts from the same data; on PostgreSQL the tables it writes are vacuumed before
  each attempt, see `settle`). Prints rows/s for the validation and for the commit.

Usage: .venv/bin/python bench/import_export.py [--rows N] [--repeat R] [--no-export] [--fresh] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import add_backend_arguments, backends, city_supervisor, prepare_city, timed_import

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_io"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-io"
EXPORTS = ("", "region=441900003000")


# ---------------------------------------------------------------------------------------------------------------
# The worker: runs inside Django with the environment prepared above.


def import_file(path: Path, rows: int) -> None:
    """Half existing enterprises (employee count + 1), half new ones, in the import's columns."""
    import random

    from openpyxl import Workbook

    from anjian.enterprises.importing import SPEC, export_rows
    from anjian.enterprises.models import Enterprise
    from anjian.standards import uscc

    existing = Enterprise.objects.order_by("pk")[: rows // 2]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("企业信息")
    sheet.append([column.label for column in SPEC.columns])
    employee = [column.field for column in SPEC.columns].index("employee_count")
    name = [column.field for column in SPEC.columns].index("name")
    key = [column.field for column in SPEC.columns].index("uscc")
    template = None
    for values in export_rows(existing):
        values = list(values)
        values[employee] = int(values[employee] or 0) + 1
        sheet.append(values)
        template = values
    generator = random.Random(7)
    for number in range(rows - rows // 2):
        body = f"91441900BENCH{number:04d}"[:17] if number < 10_000 else f"9144190{generator.randrange(10**10):010d}"
        values = list(template)
        values[key] = body + uscc.check_character(body)
        values[name] = f"东莞市基准测试{number}号有限公司"
        sheet.append(values)
    workbook.save(path)


def settle() -> None:
    """On PostgreSQL, VACUUM ANALYZE the tables an import writes, so each attempt starts from the same tables.

    Each timed commit is rolled back, which leaves its 25,000 inserted and 25,000 updated row versions (and 75,000
    history rows) dead in the tables and their indexes. Autovacuum would clear them in time; the benchmark server
    runs without it, so every later attempt would walk all earlier attempts' dead rows, and the figure would
    depend on how many attempts came before. SQLite's rollback leaves nothing behind.
    """
    from django.db import connection

    from anjian.core.models import AuditEvent
    from anjian.enterprises.models import Enterprise

    if connection.vendor != "postgresql":
        return
    tables = [Enterprise._meta.db_table, Enterprise.history.model._meta.db_table, AuditEvent._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def worker(rows: int, repeat: int, exports: list[str]) -> None:
    person = city_supervisor()
    from django.urls import reverse

    from anjian.core.export import write_xlsx
    from anjian.core.views import export_source_for
    from anjian.enterprises import importing

    work = Path(tempfile.mkdtemp(prefix="anjian-bench-io-"))
    for query in exports:
        timings = []
        for _attempt in range(repeat):
            source = export_source_for(person, reverse("enterprises:enterprise_list"), query)
            started = time.perf_counter()
            with (work / "export.xlsx").open("wb") as target:
                written = write_xlsx(target, source)
            timings.append(time.perf_counter() - started)
        seconds = statistics.median(timings)
        size = (work / "export.xlsx").stat().st_size / 1e6
        print(f"export {query or 'whole city':<22} {written:>7} rows  median {seconds:6.2f} s  "
              f"{written / seconds:>8.0f} rows/s  ({size:.1f} MB)")
    path = work / "import.xlsx"
    import_file(path, rows)
    validate, commit, result = timed_import(importing, actor=person, path=path, repeat=repeat, settle=settle)
    summary = f"{len(result.to_create)} new, {len(result.to_update)} changed"
    runs = "  runs " + " ".join(f"{seconds:.2f}" for seconds in validate)
    print(f"import dry run {rows:>7} rows ({summary})  median {statistics.median(validate):6.2f} s  "
          f"{rows / statistics.median(validate):>8.0f} rows/s{runs}")
    runs = "  runs " + " ".join(f"{seconds:.2f}" for seconds in commit)
    print(f"import commit  {rows:>7} rows ({summary})  median {statistics.median(commit):6.2f} s  "
          f"{rows / statistics.median(commit):>8.0f} rows/s{runs}")
    shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--export", action="append", help="list query string(s) to export (default: city, town)")
    parser.add_argument("--no-export", action="store_true", help="time the import only")
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES, fresh_help="generate the city again")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    exports = [] if args.no_export else args.export if args.export is not None else list(EXPORTS)
    if args.worker:
        worker(args.rows, args.repeat, exports)
        return
    for label, env in backends(args, DATA_DIR):
        prepare_city(label, env, args.enterprises)
        command = [sys.executable, __file__, "--worker", "--rows", str(args.rows), "--repeat", str(args.repeat)]
        if not exports:
            command.append("--no-export")
        for query in exports:
            command += ["--export", query]
        subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
