"""huey jobs of the framework layer (issue 7 item 1): run one background job, and fail those that lost their worker.

The work itself and why its live progress is kept in files are in anjian.core.jobs.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from anjian.core import jobs


@db_task()
def run_job(job_id: int) -> None:
    """Run one queued job (an import's preview or commit, an export) to its end."""
    jobs.execute(job_id)


@db_periodic_task(crontab(minute="*"))
def reap_stale_jobs() -> int:
    """Fail running jobs whose heartbeat is older than ANJIAN_JOB_STALE_SECONDS (their worker died)."""
    return jobs.reap_stale()


@db_periodic_task(crontab(minute="17", hour="*"))
def purge_job_files() -> int:
    """Remove the files of jobs finished more than ANJIAN_JOB_FILES_DAYS days ago."""
    return jobs.purge_files()
