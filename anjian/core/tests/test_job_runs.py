"""Long work as jobs (issue 7 item 1): an import's preview and commit and a list's export run as huey jobs, with live
progress in files, cancel, a lock on the same file, a dead worker failed by the periodic task, retry, and errors.

huey runs in immediate mode here (the task runs at once, in this process); the browser test runs a real consumer.
"""

from __future__ import annotations

import io
import json
import logging
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from anjian.core import importing as core_importing
from anjian.core import jobs, services
from anjian.core.choices import JobKind, JobStatus
from anjian.core.models import Job
from anjian.core.progress import Cancelled
from anjian.core.tasks import reap_stale_jobs
from anjian.core.testing.browser import use_plain_static
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.test_import import broken_rows, make_row, xlsx_upload

pytestmark = pytest.mark.django_db

IMPORT = "enterprises:enterprise_import"
ENTERPRISES = "enterprises:enterprise_list"


@pytest.fixture(autouse=True)
def jobs_env(settings, tmp_path):
    """Job files and pending uploads in a throw-away data dir; huey tasks run at once."""
    settings.DATA_DIR = tmp_path
    use_plain_static(settings)
    HUEY.immediate = True
    try:
        yield tmp_path
    finally:
        HUEY.immediate = False


def upload(client, file):
    return client.post(reverse(IMPORT), {"file": file})


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def previewed(client, rows) -> Job:
    return job_of(upload(client, xlsx_upload(rows)))


# --- the import, upload → preview job → 确认导入 → commit job -----------------------------------------------------


def test_upload_runs_a_preview_job_then_confirm_runs_the_commit_job(client, personas, jobs_env):
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, n) for n in range(3)]
    before = Enterprise.objects.count()

    preview = previewed(client, rows)

    assert preview.kind == JobKind.IMPORT_PREVIEW and preview.status == JobStatus.SUCCEEDED
    assert preview.owner == personas.town_a_supervisor
    assert preview.result["counts"] == {"rows": 3, "create": 3, "update": 0, "same": 0, "errors": 0}
    assert (preview.done, preview.total) == (3, 3)
    assert Enterprise.objects.count() == before, "the preview writes nothing"
    page = client.get(preview.get_absolute_url()).content.decode()
    assert "确认导入" in page and rows[0]["单位名称"] in page
    assert 'hx-trigger="every 1s"' not in page, "a finished job is not polled"
    stored = jobs_env / "imports" / f"{preview.parameters['token']}{preview.parameters['extension']}"
    assert stored.is_file()

    commit = job_of(client.post(reverse("core:job_confirm", args=[preview.pk])))

    assert commit.kind == JobKind.IMPORT_COMMIT and commit.status == JobStatus.SUCCEEDED, commit.error
    assert Enterprise.objects.count() == before + 3
    assert commit.result["committed"] and commit.lock_key.startswith("import:enterprises:enterprise_import:")
    assert not stored.exists(), "the imported file is discarded"
    page = client.get(commit.get_absolute_url()).content.decode()
    assert "导入完成：新增 3 家" in page
    assert f'href="{reverse(ENTERPRISES)}">查看列表' in page.replace('class="alert-link ms-2" ', "")
    # A second 确认导入 of the same preview finds no file any more.
    response = client.post(reverse("core:job_confirm", args=[preview.pk]), follow=True)
    assert "上传的文件已失效" in response.content.decode()


def test_a_preview_with_errors_shows_them_and_offers_the_error_report(client, personas):
    client.force_login(personas.city_admin)

    preview = previewed(client, broken_rows(personas))

    assert preview.status == JobStatus.SUCCEEDED and preview.result["counts"]["errors"] == 5
    page = client.get(preview.get_absolute_url()).content.decode()
    assert "确认导入" not in page
    assert "441900999999" in page and "与第 2 行重复" in page and "第18位应为" in page
    report = client.get(reverse("core:job_file", args=[preview.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    column = [cell.value for cell in sheet[1]].index("行业代码") + 1
    assert sheet.cell(row=5, column=column).comment is not None
    # Confirming a preview with errors is refused.
    response = client.post(reverse("core:job_confirm", args=[preview.pk]), follow=True)
    assert "该预览不能导入" in response.content.decode()
    assert not Job.objects.filter(kind=JobKind.IMPORT_COMMIT).exists()


def test_the_commit_validates_again_and_keeps_its_report(client, personas):
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, 1)]
    preview = previewed(client, rows)
    # Between preview and commit the town loses the right to add enterprises there: the commit must notice.
    personas.town_a_supervisor.region = personas.town_b
    personas.town_a_supervisor.save()

    commit = job_of(client.post(reverse("core:job_confirm", args=[preview.pk])))

    assert commit.status == JobStatus.FAILED and commit.error == "导入未完成，没有写入任何数据。"
    assert "您无权在该村（社区）新建企业" in client.get(commit.get_absolute_url()).content.decode()
    assert jobs.result_path(commit) is not None, "the error report of the refused commit"
    assert not Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()


def test_bad_files_are_refused_on_the_form_without_a_job(client, personas):
    client.force_login(personas.city_admin)

    response = upload(client, SimpleUploadedFile("企业.csv", b"MZ\x90\x00payload"))

    assert response.status_code == 400 and "不允许上传可执行文件" in response.content.decode()
    assert not Job.objects.exists()


# --- cancel ----------------------------------------------------------------------------------------------------


def test_cancel_inside_the_commit_transaction_leaves_nothing_half_imported(client, personas, monkeypatch):
    """The commit's transaction is open and rows are saved when the progress callback answers the cancel flag
    with Cancelled: every saved row is rolled back, the job is cancelled, the file kept for a retry."""
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, n) for n in range(5)]
    preview = previewed(client, rows)
    before = Enterprise.objects.count()
    running: list[jobs.LiveProgress] = []
    real_start = jobs.LiveProgress.start
    monkeypatch.setattr(jobs.LiveProgress, "start", lambda self: running.append(self) or real_start(self))
    saved: list[str] = []
    real_insert = services.insert_objects

    def insert_then_cancel(model, objs, *, key=None):
        # The rows of a batch are written inside the commit's transaction when the person presses 取消任务: the
        # engine's next progress report (after this batch) answers the flag with Cancelled.
        real_insert(model, objs, key=key)
        saved.extend(obj.uscc for obj in objs)
        assert transaction.get_connection().in_atomic_block
        assert Enterprise.objects.filter(uscc__in=saved).count() == len(rows), "rows are written inside the transaction"
        (running[-1].directory / jobs.CANCEL_FILE).touch()

    monkeypatch.setattr(services, "insert_objects", insert_then_cancel)
    commit = job_of(client.post(reverse("core:job_confirm", args=[preview.pk])))

    assert commit.status == JobStatus.CANCELLED
    assert len(saved) == len(rows)
    assert Enterprise.objects.count() == before
    assert not Enterprise.objects.filter(uscc__in=saved).exists(), "nothing half-imported"
    assert "没有写入任何数据" in client.get(commit.get_absolute_url()).content.decode()
    assert core_importing.pending_path(commit.parameters["token"], commit.parameters["extension"]) is not None, (
        "the file is kept for a retry")


def test_a_cancel_seen_by_the_progress_callback_stops_the_commit(client, personas, monkeypatch):
    """The cancel flag set while the commit validates: the next progress report raises Cancelled."""
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, n) for n in range(3)]
    preview = previewed(client, rows)
    real_call = jobs.LiveProgress.__call__

    def cancel_at_first_report(self, done, total, phase=""):
        (self.directory / jobs.CANCEL_FILE).touch()
        return real_call(self, done, total, phase)

    monkeypatch.setattr(jobs.LiveProgress, "__call__", cancel_at_first_report)

    commit = job_of(client.post(reverse("core:job_confirm", args=[preview.pk])))

    assert commit.status == JobStatus.CANCELLED
    assert not Enterprise.objects.filter(uscc__in=[row["统一社会信用代码"] for row in rows]).exists()


def test_cancelling_a_queued_job_cancels_it_at_once_and_the_task_then_does_nothing(client, personas):
    client.force_login(personas.city_supervisor)
    job = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_supervisor, title="导出",
                             parameters=jobs.export_parameters(reverse(ENTERPRISES), ""))

    response = client.post(reverse("core:job_cancel", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.finished_at is not None
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and not job.result_file


# --- the lock: the same file cannot be imported twice at once ----------------------------------------------------


def test_a_second_import_of_the_same_file_at_once_is_refused(client, personas):
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, 1)]
    content = xlsx_upload(rows).read()
    first = job_of(upload(client, SimpleUploadedFile("企业.xlsx", content)))
    second = job_of(upload(client, SimpleUploadedFile("企业副本.xlsx", content)))
    assert first.parameters["sha256"] == second.parameters["sha256"]
    # The first commit is running (its worker holds the lock).
    running = Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.town_a_supervisor, title="导入",
                                 status=JobStatus.RUNNING, started_at=timezone.now(), parameters=first.parameters,
                                 lock_key=f"import:{IMPORT}:{first.parameters['sha256']}")
    jobs.LiveProgress(running.pk).start().stop()  # a fresh heartbeat

    response = client.post(reverse("core:job_confirm", args=[second.pk]), follow=True)

    assert "同一文件的导入正在进行中，请等它完成后再试。" in response.content.decode()
    assert Job.objects.filter(kind=JobKind.IMPORT_COMMIT).count() == 1
    assert not Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()
    # Once the first is finished, the same file may be imported again.
    Job.objects.filter(pk=running.pk).update(status=JobStatus.SUCCEEDED)
    commit = job_of(client.post(reverse("core:job_confirm", args=[second.pk])))
    assert commit.status == JobStatus.SUCCEEDED, commit.error


def test_the_lock_is_a_partial_unique_constraint(personas):
    Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.city_admin, title="一", lock_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.town_a_supervisor, title="二", lock_key="k")
    # Finished jobs and jobs without a key hold no lock.
    Job.objects.filter(lock_key="k").update(status=JobStatus.FAILED)
    Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.city_admin, title="三", lock_key="k")
    Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="四")
    Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="五")


# --- a dead worker, retry, a failing job ------------------------------------------------------------------------


def test_a_job_whose_worker_died_is_failed_and_can_be_retried(client, personas, settings):
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, 1)]
    preview = previewed(client, rows)
    dead = Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.town_a_supervisor, title="导入",
                              status=JobStatus.RUNNING, started_at=timezone.now(), parameters=preview.parameters,
                              lock_key=f"import:{IMPORT}:{preview.parameters['sha256']}")
    progress = jobs.LiveProgress(dead.pk)
    progress(1, 1, "写入")
    stale = json.loads((progress.directory / jobs.PROGRESS_FILE).read_text())
    stale["heartbeat"] = time.time() - settings.ANJIAN_JOB_STALE_SECONDS - 5
    (progress.directory / jobs.PROGRESS_FILE).write_text(json.dumps(stale))

    reap_stale_jobs()  # the periodic task, run at once here
    assert reap_stale_jobs.call_local() == 0, "the first run failed it already"

    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "后台任务进程已停止响应" in dead.error
    page = client.get(dead.get_absolute_url()).content.decode()
    assert "后台任务进程已停止响应" in page and "重试" in page

    retried = job_of(client.post(reverse("core:job_retry", args=[dead.pk])))

    assert retried.pk != dead.pk and retried.retry_of == dead
    assert retried.parameters["token"] == preview.parameters["token"] and retried.lock_key == dead.lock_key
    assert retried.status == JobStatus.SUCCEEDED, retried.error
    assert Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()
    # The file was imported and discarded: the dead job cannot be retried a second time.
    response = client.post(reverse("core:job_retry", args=[dead.pk]), follow=True)
    assert "上传的文件已失效" in response.content.decode()


def test_a_running_job_without_heartbeat_is_shown_failed_on_read(client, personas, settings):
    client.force_login(personas.city_supervisor)
    started = timezone.now() - timezone.timedelta(seconds=settings.ANJIAN_JOB_STALE_SECONDS + 30)
    job = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_supervisor, title="导出", started_at=started,
                             status=JobStatus.RUNNING, parameters=jobs.export_parameters(reverse(ENTERPRISES), ""))

    page = client.get(reverse("core:job_status", args=[job.pk])).content.decode()

    assert "后台任务进程已停止响应" in page and 'hx-trigger="every 1s"' not in page
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_live_running_job_is_polled_and_shows_its_rate(client, personas):
    client.force_login(personas.city_supervisor)
    job = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_supervisor, title="导出",
                             status=JobStatus.RUNNING, started_at=timezone.now(),
                             parameters=jobs.export_parameters(reverse(ENTERPRISES), ""))
    progress = jobs.LiveProgress(job.pk)
    progress(0, 1000, "导出")
    progress.phase_started -= 10
    progress(500, 1000, "导出")
    progress.write()

    page = client.get(reverse("core:job_status", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in page and 'value="500"' in page and 'max="1000"' in page
    assert "50%" in page and "行/秒" in page and "剩余约" in page
    state = jobs.state_of(job)
    assert 45 <= state.rate <= 55 and 9 <= state.seconds_left <= 11


def test_a_job_that_raises_is_failed_with_a_chinese_message_and_the_traceback_logged(client, personas, monkeypatch,
                                                                                    caplog):
    client.force_login(personas.city_supervisor)

    def broken(job, progress):
        raise RuntimeError("磁盘已满")

    monkeypatch.setitem(jobs.RUNNERS, JobKind.EXPORT, broken)
    with caplog.at_level(logging.ERROR, logger="anjian.core.jobs"):
        job = job_of(client.post(reverse("core:job_export"), {"path": reverse(ENTERPRISES), "query": ""}))

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("任务执行出错，未完成") and "磁盘已满" in job.error
    assert any(record.exc_info for record in caplog.records), "the traceback is in the log"
    assert "任务执行出错" in client.get(job.get_absolute_url()).content.decode()


# --- export -----------------------------------------------------------------------------------------------------


def test_the_export_button_runs_an_export_job_with_the_lists_filters(client, personas):
    client.force_login(personas.city_supervisor)
    listing = client.get(reverse(ENTERPRISES), {"q": personas.enterprise_a.name}).content.decode()
    assert reverse("core:job_export") in listing and 'name="query"' in listing

    job = job_of(client.post(reverse("core:job_export"),
                             {"path": reverse(ENTERPRISES), "query": f"q={personas.enterprise_a.name}"}))

    assert job.kind == JobKind.EXPORT and job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"rows": 1} and job.result_name.endswith(".xlsx")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "导出完成，共 1 行" in page and reverse("core:job_file", args=[job.pk]) in page
    download = client.get(reverse("core:job_file", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    text = " ".join(str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell)
    assert personas.enterprise_a.name in text and personas.enterprise_b.name not in text


def test_an_export_job_reads_through_the_gate_of_its_owner(client, personas):
    client.force_login(personas.town_a_supervisor)

    job = job_of(client.post(reverse("core:job_export"), {"path": reverse(ENTERPRISES), "query": ""}))

    download = client.get(reverse("core:job_file", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    text = " ".join(str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell)
    assert personas.enterprise_a.name in text and personas.enterprise_b.name not in text


def test_pages_that_cannot_be_exported_are_refused(client, personas):
    client.force_login(personas.city_supervisor)

    assert client.post(reverse("core:job_export"), {"path": "/nowhere/", "query": ""}).status_code == 404
    assert client.post(reverse("core:job_export"), {"path": reverse("core:job_list")}).status_code == 404
    assert not Job.objects.exists()


def test_a_cancelled_export_leaves_no_file(client, personas, monkeypatch):
    client.force_login(personas.city_supervisor)

    def cancel(self, done, total, phase=""):
        raise Cancelled

    monkeypatch.setattr(jobs.LiveProgress, "__call__", cancel)
    job = job_of(client.post(reverse("core:job_export"), {"path": reverse(ENTERPRISES), "query": ""}))

    assert job.status == JobStatus.CANCELLED and not job.result_file
    assert not list(jobs.job_dir(job.pk).glob("export.xlsx*"))


# --- live progress in files ----------------------------------------------------------------------------------------


def test_live_progress_is_written_atomically_a_few_times_a_second(personas, monkeypatch):
    job = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="导出")
    progress = jobs.LiveProgress(job.pk)
    writes: list[int] = []
    real_write = jobs.LiveProgress.write
    monkeypatch.setattr(jobs.LiveProgress, "write", lambda self: writes.append(self.done) or real_write(self))

    for done in range(0, 10_001, 500):
        progress(done, 10_000, "导出")

    assert len(writes) <= 3, "at most a few writes however often the work reports"
    assert writes[-1] == 10_000, "the last report is always written"
    assert jobs.read_progress(job.pk)["done"] == 10_000
    assert not [path for path in progress.directory.iterdir() if path.name.startswith(".")], "no temporary left"


def test_my_jobs_lists_the_users_jobs_newest_first(client, personas):
    owner = personas.town_a_supervisor
    older = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="导出一", status=JobStatus.SUCCEEDED)
    newer = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="导出二")
    Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="别人的导出")
    client.force_login(owner)

    page = client.get(reverse("core:job_list")).content.decode()

    assert page.index("导出二") < page.index("导出一") and "别人的导出" not in page
    assert reverse("core:job_detail", args=[newer.pk]) in page and reverse("core:job_detail", args=[older.pk]) in page
    assert reverse("core:job_list") in client.get(reverse(ENTERPRISES)).content.decode(), "in the user menu"


def test_a_commit_between_validation_and_writing_says_it_is_writing(client, personas):
    client.force_login(personas.town_a_supervisor)
    job = Job.objects.create(kind=JobKind.IMPORT_COMMIT, owner=personas.town_a_supervisor, title="导入",
                             status=JobStatus.RUNNING, started_at=timezone.now())
    jobs.LiveProgress(job.pk)(3, 3, "校验")

    page = client.get(reverse("core:job_status", args=[job.pk])).content.decode()

    assert jobs.state_of(job).between_phases
    assert "校验完成，正在写入" in page and "行/秒" not in page and 'hx-trigger="every 1s"' in page


def test_files_of_old_finished_jobs_are_purged(personas, settings):
    now = timezone.now()
    old = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="旧", status=JobStatus.SUCCEEDED,
                             finished_at=now - timezone.timedelta(days=settings.ANJIAN_JOB_FILES_DAYS + 1),
                             result_file="export.xlsx", result_name="旧.xlsx")
    recent = Job.objects.create(kind=JobKind.EXPORT, owner=personas.city_admin, title="新", status=JobStatus.SUCCEEDED,
                                finished_at=now, result_file="export.xlsx", result_name="新.xlsx")
    for job in (old, recent):
        (jobs.job_dir(job.pk, create=True) / "export.xlsx").write_bytes(b"PK")

    assert jobs.purge_files(now=now) == 1

    assert jobs.result_path(old) is None and jobs.result_path(recent) is not None
    assert Job.objects.filter(pk=old.pk).exists(), "the row stays in 我的任务"


def test_a_job_the_queue_cannot_take_is_failed_not_left_queued(personas, monkeypatch):
    from anjian.core import tasks

    def unreachable(job_id):
        raise OSError("队列存储不可用")

    monkeypatch.setattr(tasks, "run_job", unreachable)

    job = jobs.start(JobKind.EXPORT, owner=personas.city_admin, title="导出",
                     parameters=jobs.export_parameters(reverse(ENTERPRISES), ""))

    assert job.status == JobStatus.FAILED and "无法加入后台队列" in job.error


def test_a_file_the_import_cannot_read_fails_its_preview_with_the_reason(client, personas):
    client.force_login(personas.town_a_supervisor)
    rows = [make_row(personas.village_a, 1)]

    preview = job_of(upload(client, xlsx_upload(rows, header=["单位名称", "无关的列"])))

    assert preview.status == JobStatus.FAILED
    assert "无法识别的列：无关的列" in preview.error
    page = client.get(preview.get_absolute_url()).content.decode()
    alert = page[page.find("job-error"):][:400]
    assert "无法识别的列" in alert and "重新上传" in alert and reverse(IMPORT) in alert, alert


def test_the_outcome_is_written_again_while_the_database_is_locked(client, personas, monkeypatch):
    """On SQLite another job's import may hold the write lock: the worker tries again instead of losing the outcome."""
    from django.db import OperationalError
    from django.db.models import QuerySet

    client.force_login(personas.city_supervisor)
    real_update = QuerySet.update
    refusals = []

    def locked_once(self, **values):
        if self.model is Job and values.get("status") == JobStatus.SUCCEEDED and not refusals:
            refusals.append(values)
            raise OperationalError("database is locked")
        return real_update(self, **values)

    monkeypatch.setattr(QuerySet, "update", locked_once)
    monkeypatch.setattr(jobs.time, "sleep", lambda seconds: None)

    job = job_of(client.post(reverse("core:job_export"), {"path": reverse(ENTERPRISES), "query": ""}))

    assert refusals and job.status == JobStatus.SUCCEEDED and job.result_file == "export.xlsx"
