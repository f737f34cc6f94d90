"""Benchmark: hazard units of the demo city and their bulk GB 18218 grading (issue 9 item 2), 200,000 enterprises by
default.

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_hunits`), this script migrates, loads the reference data and generates the demo city's
registry once, then a worker process inside Django:
- times `demo_units.generate` (the units of every 危险化学品 enterprise and their chemicals written in bulk, graded
  by `grading.regrade_all`, registrations given their persons), inside a transaction rolled back at the end;
- times `grading.regrade_all()` of every unit with every working changed (each unit's stored working cleared first),
  and again with nothing to change.

Usage: .venv/bin/python bench/hazard_units.py [--enterprises N] [--fresh] [--sqlite-only] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Rollback, add_backend_arguments, backends, city_supervisor, prepare_city

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_hunits"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-hunits"


def worker() -> None:
    actor = city_supervisor()
    from django.db import transaction

    from anjian.hazchem import demo_units, grading
    from anjian.hazchem.models import HazardUnit, MajorHazard, UnitChemical

    try:
        with transaction.atomic():
            started = time.perf_counter()
            result = demo_units.generate(seed=2026)
            generated = time.perf_counter() - started
            print(f"demo units: {result.units} units, {result.rows} chemical rows, majors by level {result.majors}, "
                  f"needs β {result.needs_beta}: {generated:.2f} s")
            HazardUnit.objects.update(working={}, s=None, r=None, level=None, is_major=False, grading="empty")
            started = time.perf_counter()
            graded = grading.regrade_all(actor=actor)
            print(f"regrade_all, every unit changed: {graded.units} units, {graded.changed} written, "
                  f"{graded.relevelled} re-levelled, {graded.enterprises} enterprises moved: "
                  f"{time.perf_counter() - started:.2f} s")
            started = time.perf_counter()
            graded = grading.regrade_all(actor=actor)
            print(f"regrade_all, nothing to change: {graded.units} units, {graded.changed} written: "
                  f"{time.perf_counter() - started:.2f} s")
            print(f"rows: {UnitChemical.objects.count()} unit chemicals, {MajorHazard.objects.count()} registrations")
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES, fresh_help="generate the city again")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    for label, env in backends(args, DATA_DIR):
        prepare_city(label, env, args.enterprises)
        print(f"== {label}")
        subprocess.run([sys.executable, __file__, "--worker"], env=env, check=True)


if __name__ == "__main__":
    main()
