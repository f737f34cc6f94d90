"""Benchmark: issue 9's "Must show" figure: grading every hazard unit of the 200,000-enterprise demo city by GB 18218
and recomputing every enterprise, village and town colour (goal: under 30 s on SQLite and on PostgreSQL).

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_risk`), this script migrates, loads the reference data and generates the demo city's
registry once, writes `--hazards` hazards with the hazards bench's generator (so the colours' dynamic facts, open
重大隐患 and overdue hazards, are read from a city-sized hazards table), then runs the demo generators of issue 9
once (hazard units and 重大危险源, inventories, risk units with their assessments). A worker process inside Django
then prints the medians of:
- the whole recomputation from scratch: every unit's working cleared and every colour deleted, then
  `grading.regrade_all()` followed by `services_colours.recompute_all()` (each part timed too);
- the same with nothing to change (the nightly case);
- the chemical catalogue's search (`GET /api/v1/chemicals/?search=`) as a town supervisor, by name, alias,
  pinyin initials, CAS and an unknown name (nearest names).
Usage: .venv/bin/python bench/hazchem_risk.py [--enterprises N] [--hazards N] [--repeat R] [--fresh] [--sqlite-only]
                                              [--postgres-url URL]
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

from common import add_backend_arguments, anjian, backends

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_risk"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-risk"
SEARCHES = ("氯", "液氨", "lyx", "7664-41-7", "67-5", "氯乙稀")


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def generate(enterprises: int) -> None:
    """Issue 9's demo generators over the city, as `anjian demo` runs them."""
    setup_django()
    from anjian.core.registry import DemoOptions
    from anjian.hazchem import demo_ledgers, demo_units
    from anjian.risk import demo as risk_demo
    from anjian.risk import services_colours

    options = DemoOptions(enterprises=enterprises, seed=2026)
    for label, generator in (("units", demo_units.generate_for_demo), ("inventories", demo_ledgers.generate_for_demo),
                             ("risk units", risk_demo.generate_for_demo),
                             ("colours", services_colours.demo_colours)):
        started = time.perf_counter()
        print(f"  {label}: {generator(options)} ({time.perf_counter() - started:.1f} s)", flush=True)


def measure(repeat: int) -> None:
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role
    from anjian.core.models import AuditEvent
    from anjian.enterprises.models import Enterprise
    from anjian.hazards.models import Hazard
    from anjian.hazchem import grading
    from anjian.hazchem.models import HazardUnit, MajorHazard, UnitChemical
    from anjian.regions.models import Region
    from anjian.risk import services_colours
    from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit

    tables = ("hazchem_hazardunit", "risk_enterprisecolour", "risk_regioncolour", "core_auditevent")

    def vacuum() -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM ANALYZE {table}")

    def clear() -> None:
        HazardUnit.objects.update(working={}, s=None, r=None, level=None, is_major=False, grading="empty")
        for model in (EnterpriseColour, RegionColour):
            model._base_manager.all()._raw_delete(connection.alias)
        AuditEvent.objects.filter(action__regex=r"^(enterprisecolour|regioncolour|hazardunit)\.")._raw_delete(
            connection.alias)
        vacuum()

    def both() -> tuple[float, float, float]:
        started = time.perf_counter()
        graded = grading.regrade_all()
        middle = time.perf_counter()
        services_colours.recompute_all()
        ended = time.perf_counter()
        assert graded.units == units
        return ended - started, middle - started, ended - middle

    units = HazardUnit.objects.count()
    print(f"{connection.vendor}: {Enterprise._base_manager.count():,} enterprises, {units:,} hazard units "
          f"({UnitChemical.objects.count():,} chemical rows, {MajorHazard.objects.count():,} registrations), "
          f"{RiskUnit._base_manager.count():,} risk units, {Hazard._base_manager.count():,} hazards")
    scratch, nightly = [], []
    for _attempt in range(repeat):
        clear()
        scratch.append(both())
    vacuum()
    for _attempt in range(repeat):
        nightly.append(both())

    def line(label: str, runs: list[tuple[float, float, float]]) -> None:
        print(f"{label:<34} {statistics.median(r[0] for r in runs):6.1f} s median of {len(runs)} "
              f"(grading {statistics.median(r[1] for r in runs):.1f} s, "
              f"colours {statistics.median(r[2] for r in runs):.1f} s)")

    line("grade all units + all colours", scratch)
    line("the same, nothing to change", nightly)
    levels = dict(MajorHazard.objects.filter(status="registered").values_list("level").annotate(n=Count("id"))
                  .order_by())
    colours = dict(EnterpriseColour._base_manager.values_list("dynamic").annotate(n=Count("id")).order_by())
    towns = dict(RegionColour._base_manager.filter(region__level="town").values_list("colour")
                 .annotate(n=Count("id")).order_by())
    print(f"registered 重大危险源 by level: {levels}; enterprise colours: {colours}; town colours: {towns}")

    town = Region.objects.filter(level="town").order_by("code").first()
    person, _created = User.objects.update_or_create(
        username="bench_town", defaults={"role": Role.TOWN_SUPERVISOR, "region": town})
    client = Client()
    client.force_login(person)
    for query in SEARCHES:
        timings = []
        for _attempt in range(repeat):
            started = time.perf_counter()
            response = client.get("/api/v1/chemicals/", {"search": query})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
        body = response.json()
        print(f"chemical search {query!r:<12} {statistics.median(timings):6.1f} ms median of {repeat}, "
              f"{len(body['results'])} results, nearest {body['nearest_names'][:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES, fresh_help="generate the city again")
    parser.add_argument("--worker", choices=("generate", "measure"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "generate":
        generate(args.enterprises)
        return
    if args.worker == "measure":
        measure(args.repeat)
        return

    here = Path(__file__).parent
    for label, env in backends(args, DATA_DIR):
        directory = Path(env["ANJIAN_DATA_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        anjian("migrate", "--verbosity", "0", env=env)
        city = directory / f"generated-{args.enterprises}"
        hazards = directory / f"hazards-{args.enterprises}-{args.hazards}"
        issue9 = directory / f"issue9-{args.enterprises}"
        if not city.exists():
            anjian("load-reference", env=env)
            print(f"== {label}: " + anjian("generate-demo", "--enterprises", str(args.enterprises), "--seed", "2026",
                                          "--replace", env=env))
            city.touch()
        if not hazards.exists():
            print(f"== {label}: writing {args.hazards:,} hazards")
            subprocess.run([sys.executable, str(here / "hazards.py"), "--worker", "prepare", "--hazards",
                            str(args.hazards)], env=env, check=True)
            hazards.touch()
        if not issue9.exists():
            print(f"== {label}: issue 9's demo data")
            subprocess.run([sys.executable, __file__, "--worker", "generate", "--enterprises", str(args.enterprises)],
                           env=env, check=True)
            issue9.touch()
        print(f"== {label}")
        subprocess.run([sys.executable, __file__, "--worker", "measure", "--repeat", str(args.repeat)], env=env,
                       check=True)


if __name__ == "__main__":
    main()
