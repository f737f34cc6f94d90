"""The pages of background jobs (issue 7 item 1): 我的任务, one job's page with its progress bar, the status partial the
page polls, the result file, cancel, retry, 确认导入 of an import preview, and starting a list's export.

A job belongs to its owner alone: every view reads it through `Job.objects.restrict(user, VIEW)` (Scope(owner=...)),
so anyone else, a city administrator included, gets 404 exactly as for a missing job. Cancel, retry and confirm are
the owner's too: they act on the owner's own job and change nobody else's data.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views import View

from anjian.core import jobs, views_import
from anjian.core.choices import JobKind, JobStatus
from anjian.core.models import Job
from anjian.core.scope import EXPORT, VIEW, jurisdiction_of
from anjian.core.views import ObjectListView

RECENT_JOBS = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def own_job(request, pk: int) -> Job:
    """The user's own job, reaped if its worker died; 404 for anyone else's (like a missing one)."""
    try:
        job = Job.objects.restrict(request.user, VIEW).select_related("owner").get(pk=pk)
    except Job.DoesNotExist as error:
        raise Http404(_("任务不存在。")) from error
    return jobs.reap(job)


def job_context(job: Job) -> dict[str, Any]:
    state = jobs.state_of(job)
    links = views_import.job_links(job) if job.kind != JobKind.EXPORT else {}
    summary = job.result or {}
    cancel_flag = (jobs.job_dir(job.pk) / jobs.CANCEL_FILE).exists()
    return {
        "job": job,
        "state": state,
        "eta": jobs.duration_text(state.seconds_left) if not state.finished and not state.between_phases else "",
        "import_links": links,
        "summary": summary,
        "counts": summary.get("counts", {}),
        "has_file": jobs.result_path(job) is not None,
        "may_retry": job.status in (JobStatus.FAILED, JobStatus.CANCELLED),
        "cancel_requested": not state.finished and cancel_flag,
        "cancel_too_late": job.status == JobStatus.SUCCEEDED and cancel_flag,
        "stale_seconds": jobs.stale_after(),
        "list_url": _list_url(job),
    }


def _list_url(job: Job) -> str:
    if job.kind == JobKind.EXPORT:
        path, query = job.parameters.get("path", ""), job.parameters.get("query", "")
        return f"{path}?{query}" if query else path
    return ""


class JobListView(View):
    """我的任务: the user's recent jobs, newest first."""

    def get(self, request):
        recent = list(Job.objects.restrict(request.user, VIEW).order_by("-id")[:RECENT_JOBS])
        rows = [{"job": jobs.reap(job), "state": jobs.state_of(job)} for job in recent]
        return render(request, "core/job_list.html", {"rows": rows, "limit": RECENT_JOBS})


class JobDetailView(View):
    def get(self, request, pk: int):
        return render(request, "core/job_detail.html", job_context(own_job(request, pk)))


class JobStatusView(View):
    """The part of the job's page that changes; polled every second (htmx) until the job is finished."""

    def get(self, request, pk: int):
        return render(request, "core/job_status.html", job_context(own_job(request, pk)))


class JobFileView(View):
    """The job's result file: the export, or an import's error report."""

    def get(self, request, pk: int):
        job = own_job(request, pk)
        path = jobs.result_path(job)
        if path is None:
            raise Http404(_("该任务没有可下载的文件。"))
        return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name,
                            content_type=XLSX_TYPE)


def _back(request, job: Job):
    if getattr(request, "htmx", False):
        return render(request, "core/job_status.html", job_context(job))
    return HttpResponseRedirect(job.get_absolute_url())


class JobCancelView(View):
    def post(self, request, pk: int):
        job = jobs.request_cancel(own_job(request, pk))
        return _back(request, job)


class JobRetryView(View):
    def post(self, request, pk: int):
        job = own_job(request, pk)
        try:
            new = jobs.retry(job)
        except jobs.JobError as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(job.get_absolute_url())
        return HttpResponseRedirect(new.get_absolute_url())


class JobConfirmView(View):
    """确认导入 on a finished preview: queue the commit job and go to its page."""

    def post(self, request, pk: int):
        preview = own_job(request, pk)
        try:
            commit = views_import.confirm(preview, request.user)
        except jobs.JobError as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(preview.get_absolute_url())
        return HttpResponseRedirect(commit.get_absolute_url())


class ExportStartView(View):
    """The list pages' 导出 button: an export job of the list as filtered (path + query string)."""

    def post(self, request):
        path = request.POST.get("path", "")
        query = request.POST.get("query", "")
        try:
            match = resolve(path)
        except Resolver404:
            raise Http404(_("该页面不能导出。")) from None
        view_class = getattr(match.func, "view_class", None)
        if view_class is None or not issubclass(view_class, ObjectListView):
            raise Http404(_("该页面不能导出。"))
        if jurisdiction_of(request.user, EXPORT, view_class.model).nothing:
            raise PermissionDenied(_("您无权导出该列表。"))
        name = str(view_class.model._meta.verbose_name_plural)
        job = jobs.start(JobKind.EXPORT, owner=request.user, title=_("导出%(name)s") % {"name": name},
                         parameters=jobs.export_parameters(path, query[:2000]))
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))
