"""Benchmark: the .xlsx import of hazard units with their chemicals (issue 9 item 6), a bulk path of the hazchem app.

On the city of bench/hazchem_risk.py (same data directories and PostgreSQL database; generated here if missing), a
worker process writes a file of `--units` new units, one per 危险化学品 enterprise, each with two chemicals (液氯 in
tonnes and 液氨 in kilograms, so every unit is a 重大危险源 above S = 1 and is registered), then, as the city
supervisor, prints the medians of the check (`importing_units.plan` through `run(commit=False)`) and of the commit
(`run(commit=True)`: every unit saved, graded and audited through `hazard_unit_save`), each commit rolled back.
Usage: .venv/bin/python bench/hazard_unit_import.py [--units N] [--repeat R] [--sqlite-only | --postgres-only]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Rollback, add_backend_arguments, backends, city_supervisor, prepare_city

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/anjian_bench_risk"
DATA_DIR = Path(tempfile.gettempdir()) / "anjian-bench-risk"
CHEMICALS = (("液氯", "5", "吨"), ("液氨", "8000", "千克"))


def worker(units: int, repeat: int) -> None:
    actor = city_supervisor()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from openpyxl import Workbook

    from anjian.enterprises.models import Enterprise
    from anjian.hazchem import importing_units

    usccs = list(Enterprise.objects.filter(domain="hazchem").order_by("pk").values_list("uscc", flat=True)[:units])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入数据")
    sheet.append(importing_units.template_rows()[0])
    for uscc in usccs:
        for chemical, quantity, unit in CHEMICALS:
            sheet.append([uscc, "导入测试罐区", "储存单元", chemical, quantity, unit, "东区", "120", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    print(f"{len(usccs):,} units, {len(usccs) * len(CHEMICALS):,} rows ({len(content) / 1024:.0f} KiB)")

    def upload() -> SimpleUploadedFile:
        return SimpleUploadedFile("units.xlsx", content, content_type="application/vnd.openxmlformats-"
                                  "officedocument.spreadsheetml.sheet")

    checks, commits = [], []
    for _attempt in range(repeat):
        started = time.perf_counter()
        result = importing_units.run(actor=actor, upload=upload(), commit=False)
        checks.append(time.perf_counter() - started)
        assert not result.errors, result.errors[:5]
        try:
            with transaction.atomic():
                started = time.perf_counter()
                result = importing_units.run(actor=actor, upload=upload(), commit=True)
                commits.append(time.perf_counter() - started)
                assert result.committed and result.created == len(usccs), result.errors[:5]
                raise Rollback
        except Rollback:
            pass
    for label, timings in (("check", checks), ("commit", commits)):
        median = statistics.median(timings)
        print(f"{label:<6} {median:6.1f} s median of {repeat} ({len(usccs) / median:,.0f} units/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_backend_arguments(parser, default_postgres=DEFAULT_POSTGRES, fresh_help="generate the city again")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.units, args.repeat)
        return
    for label, env in backends(args, DATA_DIR):
        prepare_city(label, env, args.enterprises)
        print(f"== {label}", flush=True)
        subprocess.run([sys.executable, __file__, "--worker", "--units", str(args.units), "--repeat",
                        str(args.repeat)], env=env, check=True)


if __name__ == "__main__":
    main()
