"""What the benchmark scripts share: running the `anjian` command, and a PostgreSQL database to bench on."""

from __future__ import annotations

import shutil
import subprocess
import sys
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
    base = ["psql", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres", "-d", "postgres", "-Atc"]
    name = parts.path.lstrip("/")
    probe = subprocess.run([*base, f"select count(*) from pg_database where datname = '{name}'"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return False
    if probe.stdout.strip() == "0":
        subprocess.run([*base, f'create database "{name}"'], check=True, capture_output=True)
    return True
