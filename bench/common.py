"""What the benchmark scripts share: running the `anjian` command, and a PostgreSQL database to bench on."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse


def anjian(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "anjian.cli", *args], env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def postgres_ready(url: str) -> bool:
    """Reachable, and the benchmark database exists (created here if missing)."""
    if not shutil.which("psql"):
        return False
    parts = urlparse(url)
    base = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-Atc",
    ]
    name = parts.path.lstrip("/")
    probe = subprocess.run(
        [*base, f"select count(*) from pg_database where datname = '{name}'"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return False
    if probe.stdout.strip() == "0":
        subprocess.run([*base, f'create database "{name}"'], check=True, capture_output=True)
    return True


def add_backend_arguments(parser: argparse.ArgumentParser, *, default_postgres: str, fresh_help: str) -> None:
    """The options every benchmark that runs on SQLite and PostgreSQL takes."""
    parser.add_argument("--fresh", action="store_true", help=fresh_help)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--postgres-url", default=os.environ.get("ANJIAN_BENCH_DATABASE_URL", default_postgres))


def backends(args: argparse.Namespace, data_dir: Path) -> list[tuple[str, dict]]:
    """(label, environment) of each database to bench on: SQLite under `data_dir`, and PostgreSQL when reachable.
    `--fresh` removes `data_dir` first."""
    if args.fresh:
        shutil.rmtree(data_dir, ignore_errors=True)
    base = {**os.environ, "ANJIAN_LOG_LEVEL": "ERROR"}
    base.pop("ANJIAN_DATABASE_URL", None)
    found = []
    if not getattr(args, "postgres_only", False):
        found.append(("SQLite", {**base, "ANJIAN_DATA_DIR": str(data_dir / "sqlite")}))
    if not args.sqlite_only and postgres_ready(args.postgres_url):
        found.append(
            (
                "PostgreSQL",
                {**base, "ANJIAN_DATA_DIR": str(data_dir / "postgres"), "ANJIAN_DATABASE_URL": args.postgres_url},
            )
        )
    elif not args.sqlite_only:
        print(f"PostgreSQL not reachable at {args.postgres_url}: skipped")
    return found


class Rollback(Exception):
    pass


def timed_import(
    importing: Any, *, actor: Any, path: Path, repeat: int, settle: Callable[[], None]
) -> tuple[list[float], list[float], Any]:
    """Seconds of each dry run and each commit of the import file `path` (`importing`: a module with `dry_run` and
    `commit`), the commit rolled back every time so each attempt starts from the same data; and the last result."""
    from django.db import transaction

    validate, commit = [], []
    result = None
    for _attempt in range(repeat):
        settle()
        with path.open("rb") as handle:
            started = time.perf_counter()
            result = importing.dry_run(actor=actor, handle=handle, extension=".xlsx")
            validate.append(time.perf_counter() - started)
        assert result.ok, result.errors[:5]
        try:
            with transaction.atomic(), path.open("rb") as handle:
                started = time.perf_counter()
                result = importing.commit(actor=actor, handle=handle, extension=".xlsx")
                commit.append(time.perf_counter() - started)
                assert result.committed, result.errors[:5]
                raise Rollback
        except Rollback:
            pass
    return validate, commit, result


def prepare_city(label: str, env: dict, enterprises: int) -> None:
    """Migrate; the first time for this size, load the reference data and generate the demo city's registry."""
    directory = Path(env["ANJIAN_DATA_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    anjian("migrate", "--verbosity", "0", env=env)
    marker = directory / f"generated-{enterprises}"
    if marker.exists():
        print(f"== {label} (city generated before)")
        return
    anjian("load-reference", env=env)
    generated = anjian("generate-demo", "--enterprises", str(enterprises), "--seed", "2026", "--replace", env=env)
    print(f"== {label}: {generated}")
    marker.touch()


def city_supervisor() -> Any:
    """In a worker: set Django up and answer the benchmark's city supervisor (created the first time); prints the
    database and the size of the registry."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection

    from anjian.accounts.models import User
    from anjian.accounts.roles import Role
    from anjian.enterprises.models import Enterprise
    from anjian.regions.models import Region

    person, _created = User.objects.update_or_create(
        username="bench_city", defaults={"role": Role.CITY_SUPERVISOR, "region": Region.objects.get(level="city")}
    )
    print(f"{connection.vendor}: {Enterprise.objects.count()} enterprises")
    return person
