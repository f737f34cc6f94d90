"""The jobs' permission matrix (issue 7 item 1): a job belongs to the person who started it (Scope(owner=...)).

Every surface of a job (我的任务, its page, the polled status, the result file, cancel, retry, 确认导入) is reached by
its owner; another user of the same town and the city administrator get 404, exactly as for a missing job, and
their cancel, retry or confirm changes nothing.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from anjian.core import jobs
from anjian.core.choices import JobKind, JobStatus
from anjian.core.models import Job
from anjian.core.testing.browser import use_plain_static
from anjian.core.testing.matrix import client_for, page_text

pytestmark = pytest.mark.django_db

OWNER = "town_a_supervisor"
OTHERS = ("department_a_supervisor", "grid_worker_a", "city_admin")  # same town (two roles), and the city
MISSING = 987654321


@pytest.fixture(autouse=True)
def jobs_env(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    use_plain_static(settings)
    HUEY.immediate = True
    try:
        yield tmp_path
    finally:
        HUEY.immediate = False


@pytest.fixture
def owned(personas) -> dict[str, Job]:
    """The owner's finished export (with its file), a failed one (retry), a running one (cancel), a preview."""
    owner = getattr(personas, OWNER)
    client = client_for(owner)
    response = client.post(reverse("core:job_export"),
                           {"path": reverse("enterprises:enterprise_list"), "query": "q=东城"})
    done = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert done.status == JobStatus.SUCCEEDED and jobs.result_path(done) is not None
    failed = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="失败的导出专用标题", status=JobStatus.FAILED,
                                error="出错", parameters=done.parameters)
    running = Job.objects.create(kind=JobKind.EXPORT, owner=owner, title="进行中的导出专用标题",
                                 status=JobStatus.RUNNING, parameters=done.parameters)
    jobs.LiveProgress(running.pk).start().stop()
    preview = Job.objects.create(kind=JobKind.IMPORT_PREVIEW, owner=owner, title="导入预览专用标题",
                                 status=JobStatus.SUCCEEDED, parameters={"pages": "enterprises:enterprise_import"},
                                 result={"can_commit": True, "counts": {"create": 1}})
    return {"done": done, "failed": failed, "running": running, "preview": preview}


def surfaces(owned: dict[str, Job]) -> list[tuple[str, str]]:
    """(method, URL) of every job surface."""
    done, failed, running, preview = owned["done"], owned["failed"], owned["running"], owned["preview"]
    return [
        ("get", reverse("core:job_detail", args=[done.pk])),
        ("get", reverse("core:job_status", args=[done.pk])),
        ("get", reverse("core:job_file", args=[done.pk])),
        ("post", reverse("core:job_cancel", args=[running.pk])),
        ("post", reverse("core:job_retry", args=[failed.pk])),
        ("post", reverse("core:job_confirm", args=[preview.pk])),
    ]


def test_the_owner_reaches_every_surface(personas, owned):
    client = client_for(getattr(personas, OWNER))

    listed = page_text(client.get(reverse("core:job_list")))
    assert all(job.title in listed for job in owned.values())
    for method, url in surfaces(owned):
        response = getattr(client, method)(url)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert Job.objects.get(pk=owned["running"].pk).status == JobStatus.RUNNING  # cancel requested, not forced
    assert (jobs.job_dir(owned["running"].pk) / jobs.CANCEL_FILE).exists()
    assert Job.objects.filter(retry_of=owned["failed"]).count() == 1


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_else_reaches_a_job_not_even_the_city_administrator(personas, owned, persona):
    client = client_for(getattr(personas, persona))
    before = Job.objects.count()

    listed = page_text(client.get(reverse("core:job_list")))
    assert not any(job.title in listed for job in owned.values()), "我的任务 lists the user's own jobs only"
    for method, url in surfaces(owned):
        response = getattr(client, method)(url)
        missing = getattr(client, method)(re.sub(r"/\d+/", f"/{MISSING}/", url, count=1))
        assert response.status_code == missing.status_code == 404, (persona, url, response.status_code)

    assert Job.objects.count() == before, "no retry or commit job was started"
    assert Job.objects.get(pk=owned["running"].pk).status == JobStatus.RUNNING
    assert not (jobs.job_dir(owned["running"].pk) / jobs.CANCEL_FILE).exists(), "nobody else can cancel"


def test_anonymous_is_sent_to_login(client, owned):
    for method, url in [("get", reverse("core:job_list")), *surfaces(owned), ("post", reverse("core:job_export"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
