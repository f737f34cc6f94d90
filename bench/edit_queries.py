"""Benchmark: what one enterprise edit costs, in SQL queries and in server time, through the UI and the API.

Issue 6 asks an edit to cost at most half the queries it cost before the module kit (23 for the UI and 14 for the
API, counted with Django's query capture). For SQLite (a fresh temporary data directory) and, when reachable,
PostgreSQL (database `anjian_bench`), the script migrates, loads the reference data, generates a demo city, and
runs a worker that, as a town supervisor of 东城街道, edits one enterprise's safety principal again and again:
  - UI: POST of the edit form (session login), as the browser sends it;
  - API (session): PATCH /api/v1/enterprises/<id>/ with one field;
  - API (token): the same with `Authorization: Token ...`, as another system calls it.
It prints the queries of one warm request, as a server runs them (no outer transaction, so no SAVEPOINT pair:
the tests, which run inside one, count those two as well), and the median server time of 30 requests.

Usage: .venv/bin/python bench/edit_queries.py [--enterprises N] [--requests R] [--postgres-url URL]
It runs against whatever anjian is importable, so the same script measures an older checkout too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from enterprise_list import DEFAULT_POSTGRES, anjian, postgres_ready, prepare  # noqa: E402

TOWN = "441900003000"  # 东城街道
# A new account per run: the PostgreSQL benchmark database keeps the accounts of earlier runs.
USER = os.environ.get("ANJIAN_BENCH_USER") or f"bench_edit_{int(time.time())}"
PASSWORD = "Bench-2026-edit"


def worker(requests: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.forms.models import model_to_dict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from anjian.enterprises.models import Enterprise

    enterprise = Enterprise.objects.filter(region__parent__code=TOWN).order_by("pk").first()
    session = Client()
    session.post(reverse("login"), {"username": USER, "password": PASSWORD})
    token = Client().post("/api/v1/auth/token/", {"username": USER, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    system = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def form_data(principal: str) -> dict:
        fresh = Enterprise.objects.get(pk=enterprise.pk)
        data = model_to_dict(fresh, exclude=["id", "created", "updated"])
        data["industry"] = fresh.industry_id
        data["safety_principal"] = principal
        return {key: ("on" if value is True else str(value)) for key, value in data.items()
                if value is not None and value is not False}

    edit_url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    enterprise_url = enterprise.get_absolute_url()
    api_url = f"/api/v1/enterprises/{enterprise.pk}/"
    # Each case: (what to send for the n-th edit, built before the clock starts; how to send it).
    cases = {
        "UI edit (session)": (lambda n: form_data(f"编辑{n}"), lambda body: session.post(edit_url, body)),
        "API PATCH (session)": (lambda n: {"safety_principal": f"会话{n}"},
                                lambda body: session.patch(api_url, body, content_type="application/json")),
        "API PATCH (token)": (lambda n: {"safety_principal": f"令牌{n}"},
                              lambda body: system.patch(api_url, body, content_type="application/json")),
    }
    for name, (build, send) in cases.items():
        for warm in range(2):
            send(build(f"w{warm}"))
        body = build("计数")
        with CaptureQueriesContext(connection) as captured:
            response = send(body)
        # Read now: the capture is a slice of the connection's log, which the next request clears.
        queries = len(captured.captured_queries)
        expected = 302 if name.startswith("UI") else 200
        if response.status_code != expected or (expected == 302 and response["Location"] != enterprise_url):
            raise SystemExit(f"{name}: HTTP {response.status_code} {response.get('Location', '')}")
        timings = []
        for attempt in range(requests):
            body = build(attempt)
            started = time.perf_counter()
            send(body)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {name:20s} queries {queries:3d}   median {statistics.median(timings):6.1f} ms"
              f"   p90 {statistics.quantiles(timings, n=10)[-1]:6.1f} ms")


def run(label: str, env: dict, enterprises: int, requests: int) -> None:
    print(f"{label}: {prepare(env, enterprises)}")
    anjian("createuser", "--username", USER, "--password", PASSWORD, "--role", "town_supervisor", "--region", TOWN,
           env=env)
    subprocess.run([sys.executable, __file__, "--worker", "--requests", str(requests)],
                   env={**env, "ANJIAN_BENCH_USER": USER}, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ANJIAN_LOG_LEVEL": "ERROR",
            "ANJIAN_ALLOWED_HOSTS": "testserver", "ANJIAN_PLAIN_STATIC": "1"}
    base.pop("ANJIAN_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="anjian-bench-edit-") as data_dir:
        run("SQLite", {**base, "ANJIAN_DATA_DIR": data_dir}, args.enterprises, args.requests)
        if postgres_ready(args.postgres_url):
            run("PostgreSQL", {**base, "ANJIAN_DATA_DIR": data_dir, "ANJIAN_DATABASE_URL": args.postgres_url},
                args.enterprises, args.requests)
        else:
            print(f"PostgreSQL: not reachable at {args.postgres_url}, skipped")


if __name__ == "__main__":
    main()
