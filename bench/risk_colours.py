"""Benchmark: enterprise and region colours at city scale (issue 9 item 5, "Must show": recomputing every enterprise
and region colour of the 200,000-enterprise demo city quickly, on SQLite and PostgreSQL).

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_colours`), this script migrates, loads the reference data and generates the demo city once,
then writes risk units (`--units` per enterprise on average, 70 % of them assessed, colours weighted towards blue)
and `--hazards` hazards with the hazards demo's own generator (open 重大隐患, overdue ones, as bench/hazards.py). A
worker process inside Django then prints the median time of `anjian.risk.services_colours.recompute_all`:
- the first run (every colour written: the rows inserted, one summary event per kind);
- a run over unchanged data (the nightly job on a quiet night: reads only, writes nothing);
- a run after 1 % of the risk units changed colour (the changed rows updated and their events written);
with the number of statements each sends.

Usage: .venv/bin/python bench/risk_colours.py [--enterprises N] [--units N] [--hazards N] [--repeat R] [--fresh]
                                              [--sqlite-only] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import add_backend_arguments, backends, prepare_city

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_colours"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-colours"
ASSESSED = 0.7
COLOUR_WEIGHTS = {"blue": 0.55, "yellow": 0.3, "orange": 0.12, "red": 0.03}
CHANGED_SHARE = 0.01


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def prepare(units: float, hazards: int) -> None:
    """Write the risk units, then the hazards (bench/hazards.py's generator)."""
    setup_django()
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from anjian.core.bulk import insert_values
    from anjian.enterprises.models import Enterprise
    from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit

    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        for model in (EnterpriseColour, RegionColour, RiskUnit):
            model._base_manager.all()._raw_delete(connection.alias)
        ids = list(Enterprise._base_manager.values_list("pk", flat=True))
        fields = [RiskUnit._meta.get_field(name) for name in
                  ("enterprise", "name", "kind", "location", "hazard_factors", "colour", "assessed_on", "created",
                   "updated")]
        now, today = timezone.now(), timezone.localdate()
        colours, weights = list(COLOUR_WEIGHTS), list(COLOUR_WEIGHTS.values())
        rows = []
        for pk in ids:
            for number in range(rng.choice(range(int(units * 2) + 1))):
                assessed = rng.random() < ASSESSED
                rows.append((pk, f"风险点{number + 1}", "area", "", "",
                             rng.choices(colours, weights)[0] if assessed else "", today if assessed else None, now,
                             now))
        insert_values(RiskUnit, fields, rows)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(RiskUnit._meta.db_table)}")
    print(f"  {len(rows):,} risk units in {time.perf_counter() - started:.0f} s", flush=True)
    import hazards as hazard_bench  # bench/hazards.py, beside this script

    hazard_bench.prepare(hazards)


def measure(repeat: int) -> None:
    setup_django()
    import random

    from django.db import connection
    from django.db.models import Count

    from anjian.core.bulk import update_fields
    from anjian.core.models import AuditEvent
    from anjian.enterprises.models import Enterprise
    from anjian.hazards.models import Hazard
    from anjian.risk import services_colours
    from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit

    def vacuum() -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("risk_enterprisecolour", "risk_regioncolour", "risk_riskunit", "core_auditevent"):
                    cursor.execute(f"VACUUM ANALYZE {table}")

    def clear() -> None:
        for model in (EnterpriseColour, RegionColour):
            model._base_manager.all()._raw_delete(connection.alias)
        AuditEvent.objects.filter(action__startswith="enterprisecolour.")._raw_delete(connection.alias)
        AuditEvent.objects.filter(action__startswith="regioncolour.")._raw_delete(connection.alias)
        vacuum()

    def counted(call):
        statements = []

        def wrapper(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            result = call()
        return (time.perf_counter() - started) * 1000, len(statements), result

    print(f"{connection.vendor}: {Enterprise._base_manager.count():,} enterprises, "
          f"{RiskUnit._base_manager.count():,} risk units ({RiskUnit._base_manager.exclude(colour='').count():,} "
          f"assessed), {Hazard._base_manager.count():,} hazards")
    firsts, quiet, changed = [], [], []
    for _attempt in range(repeat):
        clear()
        firsts.append(counted(services_colours.recompute_all))
    vacuum()
    for _attempt in range(repeat):
        quiet.append(counted(services_colours.recompute_all))
    rng = random.Random(7)
    assessed = list(RiskUnit._base_manager.exclude(colour="").only("pk", "colour"))
    for _attempt in range(repeat):
        sample = rng.sample(assessed, max(1, int(len(assessed) * CHANGED_SHARE)))
        for unit in sample:
            unit.colour = "red" if unit.colour != "red" else "blue"
        update_fields(RiskUnit, sample, ["colour"])
        vacuum()
        changed.append(counted(services_colours.recompute_all))

    def line(label: str, runs: list) -> None:
        run = runs[-1][2]
        print(f"{label:<40} {statistics.median(r[0] for r in runs):>9,.0f} ms median of {len(runs)}, "
              f"{runs[-1][1]:>4} statements; created {run.created:,}, updated {run.updated:,}, "
              f"enterprise changes {run.enterprise_changes:,}, region changes {run.region_changes:,}")

    line("recompute_all, first run", firsts)
    line("recompute_all, nothing changed", quiet)
    line(f"recompute_all, {CHANGED_SHARE:.0%} of units changed", changed)
    colours = dict(EnterpriseColour._base_manager.values_list("dynamic").annotate(n=Count("id")).order_by())
    print(f"enterprise colours: {colours}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--units", type=float, default=3.0)
    parser.add_argument("--hazards", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES,
                          fresh_help="generate the city, its risk units and hazards again")
    parser.add_argument("--worker", choices=("prepare", "measure"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "prepare":
        prepare(args.units, args.hazards)
        return
    if args.worker == "measure":
        measure(args.repeat)
        return

    def worker(mode: str, env: dict) -> None:
        subprocess.run([sys.executable, __file__, "--worker", mode, "--units", str(args.units), "--hazards",
                        str(args.hazards), "--repeat", str(args.repeat)], env=env, check=True)

    for label, env in backends(args, DATA_DIR):
        prepare_city(label, env, args.enterprises)
        marker = Path(env["ANJIAN_DATA_DIR"]) / f"colours-{args.enterprises}-{args.units}-{args.hazards}"
        if not marker.exists():
            print(f"== {label}: writing risk units and {args.hazards:,} hazards")
            worker("prepare", env)
            marker.touch()
        print(f"== {label}")
        worker("measure", env)


if __name__ == "__main__":
    main()
