"""Long work as huey jobs with a progress bar (issue 7 item 1): an import's preview and commit, a list's export.

`start()` records a `Job` for its owner and queues the huey task `anjian.core.tasks.run_job`, which calls `execute()`
in the worker: it marks the job running, runs the kind's runner with a `LiveProgress` callback (the `progress=` of
anjian.core.importing and anjian.core.export) and records the outcome. The job's pages (anjian.core.views_jobs) read
the row and the live progress.

Why live progress and the cancel request live in files, not in the database. The worker and the web server share
the data directory already (pending imports wait in DATA_DIR/imports/, huey's SQLite queue is DATA_DIR/huey.sqlite3).
An import commits in ONE write transaction; on SQLite a second writer waits for it to end, so a progress row
updated during the run would either block the worker or be written inside the import's own transaction, invisible
to the web server until the end and rolled back with it on cancel. So while a job runs:
- DATA_DIR/jobs/<id>/progress.json holds done/total/phase and a heartbeat, written atomically (a temporary file
  then os.replace) a few times a second at most, plus every HEARTBEAT_SECONDS by a thread while the work is silent;
- DATA_DIR/jobs/<id>/cancel is the cancel flag: the web server creates it, the progress callback sees it and raises
  `Cancelled`, which rolls the import's transaction back.
The Job row is written only at the boundaries of the work (queued → running → finished), outside the import's
transaction. A running job whose heartbeat is older than ANJIAN_JOB_STALE_SECONDS lost its worker: `reap()` fails
it (the periodic task `reap_stale_jobs`, and every page that reads it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.choices import FINISHED_JOB_STATUSES as FINISHED
from anjian.core.choices import JobKind, JobStatus
from anjian.core.models import Job
from anjian.core.progress import Cancelled

logger = logging.getLogger(__name__)

# progress.json is rewritten at most this often (seconds), however often the work reports.
WRITE_INTERVAL = 0.25
# While the work is silent (reading a large file, one slow row), a thread still beats this often (seconds).
HEARTBEAT_SECONDS = 5.0
PROGRESS_FILE = "progress.json"
CANCEL_FILE = "cancel"
STARTING = gettext_lazy("准备")
STALE_MESSAGE = gettext_lazy("后台任务进程已停止响应（超过 %(seconds)d 秒没有心跳），任务未完成，没有写入任何数据。")


class JobError(Exception):
    """The job cannot be done as asked; `message` is shown to its owner (e.g. the stored file expired)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


class JobLocked(JobError):
    """Another queued or running job holds the same lock key (the same file being imported)."""


def stale_after() -> int:
    return int(getattr(settings, "ANJIAN_JOB_STALE_SECONDS", 120))


def jobs_root() -> Path:
    return Path(settings.DATA_DIR) / "jobs"


def job_dir(job_id: int, *, create: bool = False) -> Path:
    directory = jobs_root() / str(int(job_id))
    if create:
        directory.mkdir(parents=True, exist_ok=True)
    return directory


def result_path(job: Job) -> Path | None:
    """The job's result file (the export, the error report), or None when it has none or it is gone."""
    if not job.result_file or "/" in job.result_file or job.result_file.startswith("."):
        return None
    path = job_dir(job.pk) / job.result_file
    return path if path.is_file() else None


# ---------------------------------------------------------------------------------------------------------------
# Live progress (files; see the module docstring)


class LiveProgress:
    """The progress callback of one running job: records done/total/phase in progress.json and answers the
    cancel flag by raising `Cancelled`."""

    def __init__(self, job_id: int) -> None:
        self.directory = job_dir(job_id, create=True)
        self.done = 0
        self.total: int | None = None
        self.phase = str(STARTING)
        self.phase_started = time.time()
        self._written = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self, done: int, total: int | None, phase: str = "") -> None:
        if self.cancel_requested():
            raise Cancelled
        phase = str(phase) if phase else self.phase
        now = time.time()
        with self._lock:
            changed = phase != self.phase
            if changed:
                self.phase, self.phase_started = phase, now
            self.done, self.total = done, total
            due = changed or now - self._written >= WRITE_INTERVAL or (total is not None and done >= total)
        if due:
            self.write()

    def cancel_requested(self) -> bool:
        return (self.directory / CANCEL_FILE).exists()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"done": self.done, "total": self.total, "phase": self.phase,
                    "phase_started": self.phase_started, "heartbeat": time.time()}

    def write(self) -> None:
        data = self.snapshot()
        temporary = self.directory / f".{PROGRESS_FILE}.{os.getpid()}.{threading.get_ident()}"
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.directory / PROGRESS_FILE)
        self._written = data["heartbeat"]

    def start(self) -> LiveProgress:
        self.write()
        self._thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=HEARTBEAT_SECONDS)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                self.write()
            except OSError:  # the directory was removed under us: the job's end will say what happened
                logger.warning("job heartbeat could not be written in %s", self.directory)


def read_progress(job_id: int) -> dict[str, Any] | None:
    try:
        data = json.loads((job_dir(job_id) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class State:
    """What the progress bar shows: the row's status joined with the live progress file while it runs."""

    status: str
    done: int
    total: int | None
    phase: str
    rate: float | None  # rows per second in the current phase
    seconds_left: float | None
    percent: int | None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def between_phases(self) -> bool:
        """A phase reported its last row and the job still runs: the next step has not reported yet (an import's
        commit validates, then writes every row in one transaction)."""
        return self.status == JobStatus.RUNNING and bool(self.total) and self.done >= self.total


def state_of(job: Job, *, now: float | None = None) -> State:
    """The job as its page shows it now. Rate and time left come from the phase's start and the rows done in it:
    validation and writing each count the file's rows from 0, so a rate over the whole run would mislead."""
    now = time.time() if now is None else now
    done, total, phase = job.done, job.total, job.phase
    rate = seconds_left = None
    if job.status == JobStatus.RUNNING:
        live = read_progress(job.pk)
        if live is not None:
            done, total, phase = int(live.get("done") or 0), live.get("total"), str(live.get("phase") or "")
            elapsed = now - float(live.get("phase_started") or now)
            if done and elapsed > 0:
                rate = done / elapsed
                if total:
                    seconds_left = max(total - done, 0) / rate
    percent = None
    if total:
        percent = min(100, int(done * 100 / total))
    elif job.status == JobStatus.SUCCEEDED:
        percent = 100
    return State(job.status, done, total, phase, rate, seconds_left, percent)


def duration_text(seconds: float | None) -> str:
    """"3 分 20 秒" and the like, for the time left (empty when unknown)."""
    if seconds is None:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return _("%(s)d 秒") % {"s": seconds}
    if seconds < 3600:
        return _("%(m)d 分 %(s)d 秒") % {"m": seconds // 60, "s": seconds % 60}
    return _("%(h)d 小时 %(m)d 分") % {"h": seconds // 3600, "m": seconds % 3600 // 60}


def heartbeat_age(job: Job, *, now: float | None = None) -> float | None:
    """Seconds since the worker last showed life (None: the job is not running)."""
    if job.status != JobStatus.RUNNING:
        return None
    now = time.time() if now is None else now
    live = read_progress(job.pk)
    if live is not None and live.get("heartbeat"):
        return now - float(live["heartbeat"])
    started = job.started_at.timestamp() if job.started_at else now
    return now - started


def reap(job: Job, *, now: float | None = None) -> Job:
    """Fail a running job whose worker stopped beating (it died, or the machine restarted); return it as stored.

    The update is conditional on the row still being running, so a worker finishing at the same moment wins.
    """
    age = heartbeat_age(job, now=now)
    if age is None or age <= stale_after():
        return job
    message = str(STALE_MESSAGE) % {"seconds": stale_after()}
    if job.kind == JobKind.EXPORT:
        message = _("后台任务进程已停止响应（超过 %(seconds)d 秒没有心跳），导出未完成。") % {"seconds": stale_after()}
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now(), updated=timezone.now()
    )
    job.refresh_from_db()
    return job


def purge_files(*, now: dt.datetime | None = None) -> int:
    """Remove the files (exports, error reports, progress) of jobs finished more than ANJIAN_JOB_FILES_DAYS days
    ago; the rows stay in 我的任务 without a download. Returns how many directories were removed."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=int(getattr(settings, "ANJIAN_JOB_FILES_DAYS", 7)))
    old = Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).values_list("pk", flat=True)
    removed = 0
    for job_id in old.iterator():
        directory = job_dir(job_id)
        if directory.is_dir():
            shutil.rmtree(directory, ignore_errors=True)
            removed += 1
    return removed


def reap_stale(*, now: float | None = None) -> int:
    """Fail every running job that lost its worker; returns how many."""
    failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if reap(job, now=now).status == JobStatus.FAILED:
            failed += 1
    return failed


# ---------------------------------------------------------------------------------------------------------------
# Starting, cancelling, retrying


def start(
    kind: str, *, owner: Any, title: str, parameters: dict[str, Any], lock_key: str = "", retry_of: Job | None = None
) -> Job:
    """Record a job for `owner` and queue it. Raises JobLocked when another active job holds `lock_key`.

    The row is committed before the task is queued (the worker must find it); called inside a transaction, the
    task is queued when that transaction commits (in huey's immediate mode it runs at once, on this connection).
    """
    parameters = {"language": translation.get_language() or settings.LANGUAGE_CODE, **parameters}
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, owner=owner, title=str(title)[:200], parameters=parameters,
                                     lock_key=lock_key, retry_of=retry_of)
    except IntegrityError as error:
        if lock_key and Job.objects.filter(lock_key=lock_key, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)):
            raise JobLocked(_("同一文件的导入正在进行中，请等它完成后再试。")) from error
        raise
    from huey.contrib.djhuey import HUEY

    # huey's immediate mode (tests, ANJIAN_HUEY_IMMEDIATE) runs the task here, on this connection: at once.
    if transaction.get_connection().in_atomic_block and not HUEY.immediate:
        transaction.on_commit(lambda: _enqueue(job))
    else:
        _enqueue(job)
    job.refresh_from_db()
    return job


def _enqueue(job: Job) -> None:
    from anjian.core.tasks import run_job

    try:
        run_job(job.pk)
    except Exception:
        # The queue cannot be reached (its storage file, Redis): say so on the job rather than leave it queued.
        logger.exception("job %s could not be queued", job.pk)
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=_("任务无法加入后台队列，请稍后重试；如仍失败，请联系管理员。"),
            finished_at=timezone.now(), updated=timezone.now(),
        )


def request_cancel(job: Job) -> Job:
    """Ask the job to stop. A queued job is cancelled at once; a running one stops at its next progress report."""
    if job.finished:
        return job
    directory = job_dir(job.pk, create=True)
    (directory / CANCEL_FILE).touch()
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now(), updated=timezone.now()
    )
    job.refresh_from_db()
    return job


def retry(job: Job) -> Job:
    """A new job with the same parameters (a failed or cancelled one). Raises JobError when it cannot run again."""
    job = reap(job)
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise JobError(_("只有失败或已取消的任务可以重试。"))
    check = RETRY_CHECKS.get(job.kind)
    if check is not None:
        check(job)
    parameters = {key: value for key, value in job.parameters.items() if key != "language"}
    return start(job.kind, owner=job.owner, title=job.title, parameters=parameters, lock_key=job.lock_key,
                 retry_of=job)


# ---------------------------------------------------------------------------------------------------------------
# Running (in the worker)


Runner = Callable[[Job, LiveProgress], None]
RUNNERS: dict[str, Runner] = {}
RETRY_CHECKS: dict[str, Callable[[Job], None]] = {}


def runner(kind: str, *, retry_check: Callable[[Job], None] | None = None) -> Callable[[Runner], Runner]:
    """Register the function that does the work of one kind of job (it sets job.result and the result file)."""

    def register(function: Runner) -> Runner:
        RUNNERS[kind] = function
        if retry_check is not None:
            RETRY_CHECKS[kind] = retry_check
        return function

    return register


def execute(job_id: int) -> None:
    """Run one queued job to its end (the huey task). A job not queued any more (cancelled before it started, or
    a duplicate task) is left alone."""
    claimed = _patiently(lambda: Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), updated=timezone.now()
    ))
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    _load_runners()
    progress = LiveProgress(job.pk).start()
    try:
        status, error = _run(job, progress)
        live = progress.snapshot()
        # What the runner recorded stays, failed or not (a refused commit keeps its report and error file). The
        # heartbeat goes on until it is written: on SQLite another job's import may hold the write lock a while.
        _patiently(lambda: Job.objects.filter(pk=job.pk).update(
            status=status, error=error, finished_at=timezone.now(), updated=timezone.now(),
            done=live["done"], total=live["total"], phase=live["phase"][:32],
            result=job.result, result_file=job.result_file, result_name=job.result_name[:200],
        ))
    finally:
        progress.stop()


def _run(job: Job, progress: LiveProgress) -> tuple[str, str]:
    """The job's runner, and its outcome as (status, error for the owner)."""
    try:
        with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
            if progress.cancel_requested():
                raise Cancelled
            RUNNERS[job.kind](job, progress)
    except Cancelled:
        return JobStatus.CANCELLED, ""
    except JobError as refusal:
        return JobStatus.FAILED, refusal.message
    except Exception as failure:
        # The owner reads a Chinese sentence with the error's text; the traceback goes to the log.
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        return JobStatus.FAILED, _("任务执行出错，未完成（%(error)s）。请稍后重试；如仍失败，请联系管理员。") % {
            "error": f"{type(failure).__name__}: {failure}"[:500]
        }
    return JobStatus.SUCCEEDED, ""


# How often a job's own row is written again when the database is locked (SQLite: another import's transaction);
# each attempt already waits the connection's busy timeout (20 s by default).
WRITE_ATTEMPTS = 5


def _patiently(write: Callable[[], Any], attempts: int = WRITE_ATTEMPTS) -> Any:
    for attempt in range(1, attempts + 1):
        try:
            return write()
        except OperationalError:
            if attempt == attempts:
                raise
            logger.warning("job row locked, attempt %d of %d", attempt, attempts)
            time.sleep(1)
    return None


def _load_runners() -> None:
    """The runners of imports live beside the import pages; make sure they are registered in this process."""
    import anjian.core.views_import  # noqa: F401 - registers the import runners


def discard(job: Job) -> None:
    """Remove a job's directory (its files)."""
    shutil.rmtree(job_dir(job.pk), ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------------
# The export runner


def export_parameters(path: str, query: str) -> dict[str, str]:
    return {"path": path, "query": query}


@runner(JobKind.EXPORT)
def run_export(job: Job, progress: LiveProgress) -> None:
    """Write the list page's export (its stored filters) for the owner, as the gate allows now."""
    from django.urls import Resolver404

    from anjian.core import export
    from anjian.core.views import export_source_for

    try:
        source = export_source_for(job.owner, job.parameters["path"], job.parameters.get("query", ""))
    except (Http404, Resolver404):
        raise JobError(_("该页面不能导出。")) from None
    except PermissionDenied as refusal:
        raise JobError(str(refusal) or _("您无权导出该列表。")) from None
    limit = settings.ANJIAN_EXPORT_JOB_MAX_ROWS
    if source.total > limit:
        raise JobError(_("筛选结果共 %(count)d 条，超过单次导出上限 %(limit)d 条，请缩小筛选范围后再导出。")
                       % {"count": source.total, "limit": limit})
    directory = job_dir(job.pk, create=True)
    partial = directory / "export.xlsx.part"
    try:
        with partial.open("wb") as target:
            written = export.write_xlsx(target, source, progress=progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, directory / "export.xlsx")
    job.result = {"rows": written}
    job.result_file, job.result_name = "export.xlsx", source.filename


__all__ = [
    "JobError",
    "JobLocked",
    "LiveProgress",
    "State",
    "execute",
    "job_dir",
    "read_progress",
    "reap",
    "reap_stale",
    "request_cancel",
    "result_path",
    "retry",
    "start",
    "state_of",
]
