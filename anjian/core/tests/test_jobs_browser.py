"""Browser test of long work as jobs (issue 7 item 1), in Chromium through Playwright against a live server.

A city supervisor exports the whole city from the enterprise list and watches the job's progress bar move to the
end (htmx polls the status every second), then downloads the .xlsx; an import of 5,000 rows shows the preview job's
progress and report, and after 确认导入 the commit job's. Screenshots of the job page at desktop (1366x800) and
phone (390x844) sizes go to /tmp/anjian-shots/ (ANJIAN_SHOTS_DIR).

How the jobs run here, honestly: huey's immediate mode would run a job inside the request that starts it, so the
page would only ever show a finished job. Instead a real huey consumer (huey's own Consumer, two worker threads) runs
in this process on in-memory queue storage, like `anjian run_huey` beside the web server; the live server and the
consumer share the test database and the data directory. The export of a few thousand rows takes well under a
second on this machine, faster than the page polls, so the test slows each progress report of the worker down
(1.5 s per report; the export writer reports every 1,000 rows) to let the bar be seen moving; the import's
reports are slowed too (0.5 s each, every 500 rows validated and every 1,000 written).

Run: .venv/bin/python -m pytest -m browser anjian/core/tests/test_jobs_browser.py
"""

from __future__ import annotations

import io
import signal
import time

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from openpyxl import load_workbook

from anjian.core import jobs
from anjian.core.models import Job
from anjian.core.testing.browser import login, shot
from anjian.core.testing.personas import PASSWORD, Personas
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.test_import import make_row, xlsx_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY_ENTERPRISES = 3000
IMPORT_ROWS = 5000
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def worker(settings, tmp_path, live_server):
    """A real huey consumer in this process (threads), on in-memory storage, stopped after the test.

    The test database is SQLite in memory with a shared cache (the live server shares this thread's connection, the
    consumer opens its own). There a writer locks whole tables against other connections' readers, and every
    request reads the user with its enterprise, so pages would fail while the import's transaction is open. The
    file database anjian runs on uses WAL, where readers never wait for the writer; `read_uncommitted` on the
    server's connection and on every connection opened during the test gives the same non-blocking reads here (it
    lets a connection skip the shared cache's table read locks; the pages read nothing the import is writing but the
    user's own enterprise row). With it on the server's connection only, the second test of a run still saw
    "database table is locked" on every poll during the commit.
    """
    from django.db import connection as main_connection
    from django.db.backends.signals import connection_created

    def uncommitted(sender, connection, **kwargs):
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 1")

    # The connection the live server's thread uses (pytest-django hands it the in-memory database's connection),
    # and any connection opened while the test runs.
    connection = live_server.thread.connections_override.get("default", main_connection)
    settings.DATA_DIR = tmp_path
    uncommitted(None, connection)
    connection_created.connect(uncommitted)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    stored, immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    HUEY.storage = MemoryStorage(HUEY.name)
    consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=False, check_worker_health=False,
                                    initial_delay=0.05, max_delay=0.2)
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        HUEY.storage, HUEY.immediate = stored, immediate
        for number, handler in handlers.items():
            signal.signal(number, handler)
        connection_created.disconnect(uncommitted)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 0")


@pytest.fixture
def city(personas: Personas):
    """Enough enterprises for an export to take a while: spread over both towns' villages."""
    from anjian.enterprises.tests.factories import EnterpriseFactory

    villages = [personas.village_a, personas.village_b]
    EnterpriseFactory.create_batch(CITY_ENTERPRISES // 2, region=villages[0])
    EnterpriseFactory.create_batch(CITY_ENTERPRISES - CITY_ENTERPRISES // 2, region=villages[1])
    return personas


def progress_values(page, until: float) -> list[tuple[str, str, str]]:
    """(status, value, max) of the job page's bar, sampled until the job is finished or `until` passes."""
    seen: list[tuple[str, str, str]] = []
    while time.monotonic() < until:
        status = page.get_attribute("#job-status", "data-status") or ""
        bar = page.locator("[data-testid=job-progress]")
        sample = (status, bar.get_attribute("value") or "", bar.get_attribute("max") or "")
        if not seen or seen[-1] != sample:
            seen.append(sample)
        if status in ("succeeded", "failed", "cancelled"):
            break
        page.wait_for_timeout(100)
    return seen


def test_city_supervisor_exports_the_city_and_watches_the_bar(live_server, page, city, worker, monkeypatch):
    real_call = jobs.LiveProgress.__call__

    def slowed(self, done, total, phase=""):
        real_call(self, done, total, phase)
        time.sleep(1.5)

    monkeypatch.setattr(jobs.LiveProgress, "__call__", slowed)
    login(page, live_server.url, city.city_supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/enterprises/")
    total = Enterprise.objects.count()

    page.set_viewport_size(DESKTOP)
    page.click("[data-testid=export-xlsx] button")
    page.wait_for_url("**/core/jobs/*/")
    # The page as it runs (the bar part-way), at desktop and phone sizes.
    page.wait_for_function(
        "() => document.querySelector('#job-status').dataset.status === 'running'"
        " && Number(document.querySelector('[data-testid=job-progress]').getAttribute('value')) > 0"
    )
    shot(page, "jobs-00-export-running-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "jobs-00-export-running-phone")
    page.set_viewport_size(DESKTOP)
    seen = progress_values(page, time.monotonic() + 60)

    assert seen[-1][0] == "succeeded", seen
    values = [int(value) for status, value, _max in seen if status == "running" and value]
    assert values and min(values) < total, f"the bar was seen below the end: {seen}"
    assert len(set(values)) >= 2, f"the bar moved while the page was open: {seen}"
    assert seen[-1][1] == seen[-1][2] == str(total), "and reached the end"
    text = page.inner_text("#job-status")
    assert f"导出完成，共 {total} 行" in text.replace(",", "")
    shot(page, "jobs-01-export-done-desktop")

    with page.expect_download() as download_info:
        page.click("[data-testid=job-download]")
    content = open(download_info.value.path(), "rb").read()  # noqa: PTH123, SIM115 - Playwright's temp file
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == total + 1
    assert download_info.value.suggested_filename.endswith(".xlsx")

    # 我的任务, from the user menu.
    page.click("#user-menu")
    page.click("[data-testid=my-jobs]")
    assert "导出生产经营单位" in page.inner_text("[data-testid=job-list]")
    shot(page, "jobs-06-my-jobs-desktop")


def test_an_import_of_5000_rows_shows_progress_and_its_report(live_server, page, personas, worker, tmp_path,
                                                              monkeypatch):
    real_call = jobs.LiveProgress.__call__

    def slowed(self, done, total, phase=""):
        # The bulk import validates and writes 5,000 rows in about two seconds, faster than the page polls.
        real_call(self, done, total, phase)
        time.sleep(0.5)

    monkeypatch.setattr(jobs.LiveProgress, "__call__", slowed)
    rows = [make_row(personas.village_a, n) for n in range(IMPORT_ROWS)]
    path = tmp_path / "五千家企业.xlsx"
    path.write_bytes(xlsx_upload(rows).read())
    before = Enterprise.objects.count()
    login(page, live_server.url, personas.city_supervisor.username, PASSWORD)
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_url("**/core/jobs/*/")
    seen = progress_values(page, time.monotonic() + 120)
    assert seen[-1][0] == "succeeded", (seen, page.inner_text("#job-status"))
    assert any(status == "running" and value and int(value) < IMPORT_ROWS for status, value, _max in seen), seen
    assert page.inner_text("[data-count=create]").replace(",", "") == str(IMPORT_ROWS)
    assert "确认导入" in page.inner_text("#job-status")
    shot(page, "jobs-02-import-preview-desktop")

    preview_url = page.url
    page.click("[data-testid=import-confirm] button[type=submit]")
    page.wait_for_url(lambda url: "/core/jobs/" in url and url != preview_url)
    page.wait_for_selector("#job-status[data-status=running], #job-status[data-status=succeeded]")
    page.set_viewport_size(PHONE)
    shot(page, "jobs-03-import-commit-running-phone")
    page.set_viewport_size(DESKTOP)
    # Writing: the engine's own 写入 progress, or (while it reports none) the page's "校验完成，正在写入".
    page.wait_for_selector("[data-testid=job-between], [data-testid=job-phase]:has-text('写入')", timeout=120_000)
    shot(page, "jobs-03-import-commit-writing-desktop")
    seen = progress_values(page, time.monotonic() + 300)
    assert seen[-1][0] == "succeeded", (seen, page.inner_text("#job-status"))
    assert f"导入完成：新增 {IMPORT_ROWS} 家" in page.inner_text("#job-status").replace(",", "")
    assert Enterprise.objects.count() == before + IMPORT_ROWS
    page.set_viewport_size(PHONE)
    shot(page, "jobs-04-import-done-phone")
    page.set_viewport_size(DESKTOP)
    shot(page, "jobs-05-import-done-desktop")
    assert Job.objects.filter(owner=personas.city_supervisor).count() == 2
