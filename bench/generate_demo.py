"""Benchmark: `anjian generate-demo --enterprises 200000` on SQLite in a fresh temporary data directory.

Prints the wall time of the command (the figure docs/benchmarks.md quotes) and the command's own report.
Usage: .venv/bin/python bench/generate_demo.py [--enterprises N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time


def anjian(*args: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "anjian.cli", *args], env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anjian-bench-") as data_dir:
        env = {**os.environ, "ANJIAN_DATA_DIR": data_dir}
        env.pop("ANJIAN_DATABASE_URL", None)
        anjian("migrate", "--verbosity", "0", env=env)
        anjian("load-reference", env=env)
        started = time.perf_counter()
        report = anjian("generate-demo", "--enterprises", str(args.enterprises), "--seed", str(args.seed), env=env)
        seconds = time.perf_counter() - started
    print(report)
    print(f"generate-demo --enterprises {args.enterprises} on SQLite: {seconds:.1f} s (wall time of the command)")


if __name__ == "__main__":
    main()
