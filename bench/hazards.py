"""Benchmark: hazards at city scale (issue 8, "Must show"): 1,000,000 hazards over 200,000 enterprises.

For SQLite (a data directory kept under /tmp between runs, `--fresh` to rebuild) and, when reachable, PostgreSQL
(database `anjian_bench_hazards`), this script migrates, loads the reference data and generates the demo city once,
then writes `--hazards` hazards spread over three years with the demo's own generator (anjian.hazards.demo: the
same mix of sources, levels, statuses, deadlines, overdue and 挂牌督办), in bulk. A worker process inside Django
then prints the median server time of:
- the overdue job (anjian.hazards.tasks.run_overdue) on the first morning (it marks, schedules and sends what is
  due), and on later mornings (the overdue flags set again from scratch each time, so the UPDATEs do real work);
- the statistics selectors and the rectification-rate dashboards (隐患统计 page, home page) as a city supervisor and
  a town supervisor of 东城街道, through Django's test Client (server time, no network), with their query counts;
- the hazard list filtered by town + status + overdue, when the hazard pages are installed.

Usage: .venv/bin/python bench/hazards.py [--enterprises N] [--hazards N] [--repeat R] [--fresh] [--sqlite-only]
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

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_hazards"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-hazards"
TOWN = "441900003000"  # 东城街道
YEARS = 3
CHUNK = 50_000


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def clear() -> None:
    """Remove every hazard and self-inspection (the registry's `--replace` refuses enterprises that have some)."""
    setup_django()
    from django.db import connection

    from anjian.hazards import tally
    from anjian.hazards.models import Hazard, InspectionSchedule, SelfInspection, SelfInspectionAnswer

    for model in (SelfInspectionAnswer, SelfInspection, InspectionSchedule, Hazard):
        model._base_manager.all()._raw_delete(connection.alias)
    tally.rebuild()


def prepare(count: int) -> None:
    """Write `count` hazards over the enterprises in the registry, found over the last YEARS years."""
    setup_django()
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from anjian.core.bulk import database_datetime, insert_prepared
    from anjian.hazards import demo, tally
    from anjian.hazards.ladder import active_steps, load_ladder
    from anjian.hazards.models import Hazard

    clear()
    load_ladder()
    today = timezone.localdate()
    generator = demo._Generator(seed=2026, today=today, steps=active_steps())
    rng = generator.rng
    enterprises = demo._enterprises()
    first_day = today - dt.timedelta(days=365 * YEARS)
    stamp = database_datetime(timezone.now())
    started = time.perf_counter()
    written = 0
    with transaction.atomic():
        while written < count:
            rows = []
            for _row in range(min(CHUNK, count - written)):
                enterprise = rng.choice(enterprises)
                source = rng.choices(generator.sources, generator.source_weights)[0]
                found = generator.moment(first_day + dt.timedelta(days=rng.randint(0, 365 * YEARS)))
                major = rng.random() < demo.MAJOR_SHARE
                values = generator.hazard(enterprise, found=found, source=source, major=major)
                if major and values["status"] != "reported" and rng.random() < demo.LISTED_SHARE:
                    generator.list_for_supervision(values, enterprise)
                rows.append(demo._hazard_row(values, stamp))
            written += insert_prepared(Hazard, demo.HAZARD_FIELDS, rows)
            print(f"  {written:,} hazards", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Hazard._meta.db_table)}")
    print(f"  generated in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    states, dues = tally.rebuild()
    print(f"  counted in {time.perf_counter() - started:.1f} s ({states:,} + {dues:,} running-count rows)")


def query_count(call) -> int:
    """How many statements `call` sends (a wrapper, since a request's start clears Django's query log)."""
    from django.db import connection

    statements = []

    def counted(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        call()
    return len(statements)


def median_ms(call, repeat: int, *, before=None) -> float:
    timings = []
    for _attempt in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure(repeat: int) -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role
    from anjian.hazards import selectors_stats, tally, tasks
    from anjian.hazards.models import Hazard
    from anjian.regions.models import Region

    def user(username: str, role: str, code: str) -> User:
        person, _created = User.objects.update_or_create(
            username=username, defaults={"role": role, "region": Region.objects.get(code=code)})
        return person

    people = {
        "city supervisor": user("bench_city", Role.CITY_SUPERVISOR, "441900000000"),
        "town supervisor": user("bench_town", Role.TOWN_SUPERVISOR, TOWN),
    }
    hazards = Hazard._base_manager
    def vacuum() -> None:
        """This machine's PostgreSQL runs without autovacuum; a production server vacuums the rows a morning's job
        updated long before the next morning, or the day's lists, so the benchmark does so between its steps (never
        inside a timed step)."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("hazards_hazard", "hazards_hazardtally", "hazards_hazardduetally",
                              "notifications_notification", "core_auditevent"):
                    cursor.execute(f"VACUUM ANALYZE {table}")

    vacuum()
    print(f"{connection.vendor}: {hazards.count():,} hazards, {hazards.filter(overdue=True).count():,} overdue, "
          f"{hazards.filter(next_notice_on__isnull=False).count():,} scheduled")

    def reset_flags() -> None:
        tally.update_counted(hazards.filter(overdue=True), overdue=False)
        vacuum()

    def as_generated() -> None:
        """Put the overdue job's state back as the generator left it, so each run is a first morning again: the
        schedules and escalation levels of the hazards under rectification computed as the generator does, the
        overdue flags set, and the hazards' notifications and escalation events of earlier runs removed."""
        from anjian.core.bulk import update_fields
        from anjian.core.models import AuditEvent
        from anjian.hazards.demo import _Generator
        from anjian.hazards.ladder import active_steps, next_notice_date
        from anjian.notifications.models import Delivery, Notification

        told = Notification.objects.filter(key__startswith="hazard:")
        Delivery.objects.filter(notification__in=told)._raw_delete(connection.alias)
        told._raw_delete(connection.alias)
        AuditEvent.objects.filter(action=tasks.ESCALATE)._raw_delete(connection.alias)
        steps = active_steps()
        generator = _Generator(seed=2026, today=today, steps=steps)
        hazards.filter(next_notice_on__isnull=False).exclude(status="rectifying").update(next_notice_on=None)
        rows = list(hazards.filter(status="rectifying").only("pk", "deadline", "status", "escalation_level"))
        for row in rows:
            row.next_notice_on = next_notice_date(row.deadline, row.status, as_of=today, steps=steps)
            late = (today - row.deadline).days
            row.escalation_level = generator.level_reached(late) if late > 0 else ""
        update_fields(Hazard, rows, ["next_notice_on", "escalation_level"])
        tasks.mark_overdue(as_of=today)
        vacuum()

    print(f"recount (the nightly job): {median_ms(tally.rebuild, repeat):,.0f} ms median")

    today = timezone.localdate()
    mornings = []
    for _attempt in range(repeat):
        as_generated()
        started = time.perf_counter()
        run = tasks.run_overdue(as_of=today)
        mornings.append((time.perf_counter() - started) * 1000)
    print(f"overdue job, first morning: {statistics.median(mornings):,.0f} ms median of {len(mornings)} "
          f"(marked {run.marked:,}, scheduled {run.scheduled:,}, {run.hazards:,} hazards told: "
          f"{run.reminders:,} reminders, {run.escalations:,} escalations)")
    print(f"overdue job, later mornings (flags set again): "
          f"{median_ms(lambda: tasks.run_overdue(as_of=today), repeat, before=reset_flags):,.0f} ms median")
    print(f"mark_overdue alone: {median_ms(lambda: tasks.mark_overdue(as_of=today), repeat, before=reset_flags):,.0f}"
          " ms median")

    vacuum()
    print(f"{'user':<16} {'selector / page':<34} {'median ms':>10} {'queries':>8}")
    for who, person in people.items():
        for name, call in (
            ("hazard_totals", lambda p=person: selectors_stats.hazard_totals(user=p)),
            ("totals_by_town", lambda p=person: selectors_stats.totals_by_town(user=p)),
            ("totals_by_domain", lambda p=person: selectors_stats.totals_by_domain(user=p)),
        ):
            person.forget_jurisdiction()
            queries = query_count(call)
            print(f"{who:<16} {name:<34} {median_ms(call, repeat):>10.1f} {queries:>8}")
        client = Client()
        client.force_login(person)
        pages = [("隐患统计 page", reverse("hazards:hazard_stats")), ("home (with hazard cards)", "/")]
        try:
            pages.append(("hazard list town+status+overdue",
                          f"{reverse('hazards:hazard_list')}?town={TOWN}&status=rectifying&overdue=true"))
        except NoReverseMatch:
            print(f"{who:<16} hazard list: not installed on this branch, skipped")
        for name, url in pages:
            client.get(url)

            def page(url: str = url, client: Client = client, who: str = who) -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} as {who}: HTTP {response.status_code}")

            queries = query_count(page)
            print(f"{who:<16} {name:<34} {median_ms(page, repeat):>10.1f} {queries:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES,
                          fresh_help="generate the city and its hazards again")
    parser.add_argument("--worker", choices=("clear", "prepare", "measure"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "clear":
        clear()
        return
    if args.worker == "prepare":
        prepare(args.hazards)
        return
    if args.worker == "measure":
        measure(args.repeat)
        return
    def worker(mode: str, env: dict) -> None:
        subprocess.run([sys.executable, __file__, "--worker", mode, "--hazards", str(args.hazards),
                        "--repeat", str(args.repeat)], env=env, check=True)

    for label, env in backends(args, DATA_DIR):
        directory = Path(env["ANJIAN_DATA_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        anjian("migrate", "--verbosity", "0", env=env)
        city = directory / f"generated-{args.enterprises}"
        marker = directory / f"hazards-{args.enterprises}-{args.hazards}"
        if not city.exists():
            anjian("load-reference", env=env)
            worker("clear", env)
            print(f"== {label}: " + anjian("generate-demo", "--enterprises", str(args.enterprises), "--seed", "2026",
                                          "--replace", env=env))
            city.touch()
        if not marker.exists():
            print(f"== {label}: writing {args.hazards:,} hazards")
            worker("prepare", env)
            for old in directory.glob("hazards-*"):
                old.unlink()
            marker.touch()
        print(f"== {label}")
        worker("measure", env)


if __name__ == "__main__":
    main()
