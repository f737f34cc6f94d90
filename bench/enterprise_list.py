"""Benchmark: median server time of the enterprise list page and API with 200,000 generated enterprises.

For SQLite (a fresh temporary data directory) and, when reachable, PostgreSQL (database `anjian_bench`,
created if missing), this script migrates, loads the reference data and generates the demo city, then runs a
worker process that signs in with Django's test Client as a city supervisor and as a town supervisor (东城街道)
and times ~30 requests per case in-process (server time: request → response, no network). Prints medians in ms.

Usage: .venv/bin/python bench/enterprise_list.py [--enterprises N] [--requests R] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from common import anjian, postgres_ready

TOWN = "441900003000"  # 东城街道
CASES = (
    ("town", f"region={TOWN}"),
    ("domain", "domain=machinery"),
    ("flag", "dust_explosion=true"),
    ("town+domain+flag", f"region={TOWN}&domain=machinery&dust_explosion=true"),
)
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench"


def prepare(env: dict, enterprises: int) -> str:
    anjian("migrate", "--verbosity", "0", env=env)
    anjian("load-reference", env=env)
    return anjian("generate-demo", "--enterprises", str(enterprises), "--seed", "2026", "--replace", env=env)


# ---------------------------------------------------------------------------------------------------------------
# The worker: runs inside Django with the environment prepared above.


def timed(client, url: str, requests: int, who: str) -> list[float]:
    """Milliseconds of `requests` GETs of `url`, after two that warm caches (templates, statements)."""
    timings = []
    for attempt in range(requests + 2):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} as {who}: HTTP {response.status_code}")
        if attempt >= 2:
            timings.append(elapsed)
    return timings


def worker(requests: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role
    from anjian.enterprises.models import Enterprise
    from anjian.regions.models import Region

    def user(username: str, role: str, region: Region) -> User:
        person, _created = User.objects.update_or_create(username=username, defaults={"role": role, "region": region})
        return person

    people = {
        "city supervisor": user("bench_city", Role.CITY_SUPERVISOR, Region.objects.get(level="city")),
        "town supervisor": user("bench_town", Role.TOWN_SUPERVISOR, Region.objects.get(code=TOWN)),
    }
    endpoints = {
        "page": (reverse("enterprises:enterprise_list"), "&ordering=name"),
        "API": ("/api/v1/enterprises/", ""),
    }
    print(f"{connection.vendor}: {Enterprise.objects.count()} enterprises")
    print(f"{'endpoint':<6} {'user':<16} {'filter':<18} {'rows':>6} {'median ms':>10} {'p90 ms':>8}")
    for endpoint, (path, suffix) in endpoints.items():
        for who, person in people.items():
            client = Client()
            client.force_login(person)
            for case, query in CASES:
                timings = timed(client, f"{path}?{query}{suffix}", requests, who)
                rows = Enterprise.objects.restrict(person, "view").filter(
                    **({"region__code__startswith": TOWN[:9]} if "region" in query else {}),
                    **({"domain": "machinery"} if "domain" in query else {}),
                    **({"dust_explosion": True} if "dust" in query else {}),
                ).count()
                p90 = statistics.quantiles(timings, n=10)[-1]
                print(f"{endpoint:<6} {who:<16} {case:<18} {rows:>6} {statistics.median(timings):>10.1f} {p90:>8.1f}")
    # The page's cost is mostly rendering its rows: the same list at each page size the UI offers.
    client = Client()
    client.force_login(people["town supervisor"])
    print(f"\n{'page size':<10} {'median ms':>10}  (page, town supervisor, domain filter, ordering=name)")
    for per_page in (25, 50, 100):
        url = f"{endpoints['page'][0]}?domain=machinery&ordering=name&per_page={per_page}"
        print(f"{per_page:<10} {statistics.median(timed(client, url, requests, 'town supervisor')):>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres-url", default=os.environ.get("ANJIAN_BENCH_DATABASE_URL", DEFAULT_POSTGRES))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return
    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as data_dir:
        base = {**os.environ, "ANJIAN_DATA_DIR": data_dir, "ANJIAN_ALLOWED_HOSTS": "testserver",
                # Pages link assets through {% static %}; the manifest storage would need a collectstatic first.
                "ANJIAN_PLAIN_STATIC": "1"}
        base.pop("ANJIAN_DATABASE_URL", None)
        os.makedirs(os.path.join(data_dir, "static"), exist_ok=True)  # whitenoise warns when STATIC_ROOT is absent
        backends = [("SQLite", base)]
        if postgres_ready(args.postgres_url):
            backends.append(("PostgreSQL", {**base, "ANJIAN_DATABASE_URL": args.postgres_url}))
        else:
            print(f"PostgreSQL not reachable at {args.postgres_url}: skipped")
        for label, env in backends:
            print(f"\n== {label}: {prepare(env, args.enterprises)}")
            subprocess.run([sys.executable, __file__, "--worker", "--requests", str(args.requests)], env=env,
                           check=True)


if __name__ == "__main__":
    main()
