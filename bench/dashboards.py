"""Benchmark: median server time and query count of the dashboards (home, city, town, village) and the map's
background, with generated enterprises on SQLite.

Prepares a fresh temporary data directory (migrate, load-reference, generate-demo), or reuses `--data-dir` when it
already holds a database, then times the pages in-process with Django's test Client (server time, no network) as a
city supervisor and a town supervisor of 东城街道. Prints one line per page.

Usage: .venv/bin/python bench/dashboards.py [--enterprises N] [--requests R] [--data-dir DIR]
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

TOWN = "441900003000"  # 东城街道
VILLAGE = "441900003001"
PAGES = (
    ("city supervisor", "home", "/"),
    ("city supervisor", "city dashboard", "/dashboard/region/441900000000/"),
    ("city supervisor", "town dashboard", f"/dashboard/region/{TOWN}/"),
    ("city supervisor", "village dashboard", f"/dashboard/region/{VILLAGE}/"),
    ("town supervisor", "home", "/"),
    ("town supervisor", "town dashboard", f"/dashboard/region/{TOWN}/"),
    ("city supervisor", "map background", "/map/towns.geojson"),
)


def anjian(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "anjian.cli", *args], env=env, check=True, capture_output=True, text=True)


def worker(requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role
    from anjian.enterprises.models import Enterprise
    from anjian.regions.models import Region

    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic here: templates link assets through the plain storage.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def user(username: str, role: str, code: str) -> User:
        person, _created = User.objects.update_or_create(
            username=username, defaults={"role": role, "region": Region.objects.get(code=code)}
        )
        return person

    people = {
        "city supervisor": user("bench_city", Role.CITY_SUPERVISOR, "441900000000"),
        "town supervisor": user("bench_town", Role.TOWN_SUPERVISOR, TOWN),
    }
    print(f"{connection.vendor}: {Enterprise.objects.count()} enterprises")
    print(f"{'user':<16} {'page':<18} {'median ms':>10} {'queries':>8}")
    for who, name, url in PAGES:
        client = Client()
        client.force_login(people[who])
        timings = []
        for attempt in range(requests + 2):
            started = time.perf_counter()
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {who}: HTTP {response.status_code}")
            if attempt >= 2:
                timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{who:<16} {name:<18} {statistics.median(timings):>10.1f} {len(queries):>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--data-dir", help="reuse this data directory when it already holds a database")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="anjian-bench-dashboards-"))
    env = {k: v for k, v in os.environ.items() if k != "ANJIAN_DATABASE_URL"} | {"ANJIAN_DATA_DIR": str(data_dir)}
    if not any(data_dir.glob("*.sqlite3")):
        anjian("migrate", "--verbosity", "0", env=env)
        anjian("load-reference", env=env)
        anjian("generate-demo", "--enterprises", str(args.enterprises), "--seed", "2026", "--replace", env=env)
    subprocess.run([sys.executable, __file__, "--worker", "--requests", str(args.requests)], env=env, check=True)


if __name__ == "__main__":
    main()
