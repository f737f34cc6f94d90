"""Generic import pages (issue 6 item 8; as jobs since issue 7 item 1): upload → a preview job → 确认导入 → a commit
job, plus the template and the error report.

A module configures them with `ImportPages` (its ImportSpec, permission check, URLs and wording) and either
subclasses the views with `pages = ...` or passes it to `as_view(pages=...)`. The uploaded file waits in
DATA_DIR/imports/<token> (kept a day); the upload page queues a preview job (validation with a progress bar, nothing
written) and sends the user to the job's page (anjian.core.views_jobs), which shows the report and the 确认导入
button; that queues the commit job, which validates the file again in full, so nothing the preview showed can be
stale when rows are saved. The runners of both jobs are here, registered with anjian.core.jobs. Two commits of the
same file (same import, same SHA-256) cannot run at once: the second is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core import importing, jobs
from anjian.core.choices import JobKind
from anjian.core.models import Job
from anjian.core.scope import can_add

PREVIEW_LIMIT = 200
# Errors a job's page lists (all of them are in the downloadable error report).
ERRORS_LIMIT = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GBK 编码），不超过 10 MB、50000 行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@dataclass(frozen=True, eq=False)
class ImportPages:
    """How one module's import pages look and who may use them.

    url_name names the upload page ("app:thing_import"); the template and the error report are served under the
    same name with "_template" and "_errors" appended. `create_columns` and `update_columns` are the preview's
    columns as (heading, attribute path on the object, e.g. "region.name" or "get_domain_display").
    """

    spec: importing.ImportSpec
    url_name: str
    list_url: str
    list_label: str
    title: str
    rules: tuple[str, ...] = ()
    create_columns: tuple[tuple[str, str], ...] = ()
    update_columns: tuple[tuple[str, str], ...] = ()
    # Default: importing registers rows, so it needs the right to add rows of the model somewhere.
    allowed: Callable[[Any], bool] | None = None
    denied_message: str = gettext_lazy("您无权导入。")
    success_message: str = gettext_lazy("导入完成：新增 %(create)d 行，更新 %(update)d 行，无变化 %(same)d 行。")
    nothing_to_do_message: str = gettext_lazy("文件中的记录与系统中的记录完全一致，无需导入。")
    template_filename: str = ""
    errors_filename: str = ""

    def __post_init__(self) -> None:
        # Jobs name their import by url_name; the worker finds the pages here (see pages_for).
        _PAGES[self.url_name] = self

    @property
    def session_key(self) -> str:
        return f"import:{self.url_name}"

    def lock_key(self, sha256: str) -> str:
        """The commit lock of one file in this import (anjian.core.models.Job.lock_key)."""
        return f"import:{self.url_name}:{sha256}"

    @property
    def errors_name(self) -> str:
        return self.errors_filename or f"{self.spec.sheet_title}导入错误报告.xlsx"

    def may_import(self, user: Any) -> bool:
        return self.allowed(user) if self.allowed is not None else can_add(user, self.spec.model)

    def urls(self) -> dict[str, str]:
        return {
            "form": reverse(self.url_name),
            "template": reverse(f"{self.url_name}_template"),
            "errors": reverse(f"{self.url_name}_errors"),
            "list": reverse(self.list_url),
        }

    def preview_columns(self, update: bool) -> Sequence[tuple[str, str]]:
        if update and self.update_columns:
            return self.update_columns
        if self.create_columns:
            return self.create_columns
        key = self.spec.column_by_field[self.spec.key]
        return ((key.label, self.spec.key), (str(self.spec.model._meta.verbose_name), "__str__"))


_PAGES: dict[str, ImportPages] = {}


def pages_for(parameters: dict[str, Any]) -> ImportPages:
    """The ImportPages a job's parameters name (its module is imported first, as in a fresh worker process)."""
    name = parameters.get("pages", "")
    if name not in _PAGES and parameters.get("module"):
        with contextlib.suppress(ImportError):
            import_module(parameters["module"])
    if name not in _PAGES:
        from django.urls import NoReverseMatch

        with contextlib.suppress(NoReverseMatch):
            reverse(name)  # loads the URL configuration, where pages given to as_view() are built
    pages = _PAGES.get(name)
    if pages is None:
        raise jobs.JobError(_("该导入已不存在。"))
    return pages


def _resolve(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if callable(obj):
            obj = obj()
        if obj is None:
            return ""
    return obj


class ImportPagesMixin:
    """Refuses anyone the configured check refuses; offers the pending upload of this session."""

    pages: ImportPages | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.pages is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs `pages`")
        if not self.pages.may_import(request.user):
            raise PermissionDenied(str(self.pages.denied_message))
        return super().dispatch(request, *args, **kwargs)

    def pending(self, request: HttpRequest) -> tuple[dict, Any] | tuple[None, None]:
        pending = request.session.get(self.pages.session_key)
        if not isinstance(pending, dict):
            return None, None
        path = importing.pending_path(pending.get("token", ""), pending.get("extension", ""))
        return (pending, path) if path is not None else (None, None)

    def forget(self, request: HttpRequest) -> None:
        pending = request.session.pop(self.pages.session_key, None)
        if isinstance(pending, dict):
            importing.discard_pending(pending.get("token", ""), pending.get("extension", ""))


class ImportView(ImportPagesMixin, View):
    """The upload form; a valid file is stored and its preview job queued, then the job's page takes over."""

    form_template = "generic/import_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            extension = importing.check_upload(upload)
        except importing.ImportFileError as error:
            form.add_error("file", error.message)
            return self.render_form(request, form, status=400)
        token = importing.store_pending(upload, extension)
        name = upload.name[:200]
        # The latest upload of this session, for the error report URL of the import (ImportErrorsView).
        request.session[self.pages.session_key] = {"token": token, "extension": extension, "name": name}
        job = jobs.start(
            JobKind.IMPORT_PREVIEW, owner=request.user,
            title=_("%(title)s（预览）：%(name)s") % {"title": self.pages.title, "name": name},
            parameters={
                "pages": self.pages.url_name, "module": type(self).__module__, "token": token,
                "extension": extension, "name": name, "sha256": _sha256(token, extension),
            },
        )
        return redirect(job.get_absolute_url())

    def render_form(self, request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "pages": self.pages, "urls": self.pages.urls(), "columns": self.pages.spec.columns}
        return render(request, self.form_template, context, status=status)


def _sha256(token: str, extension: str) -> str:
    path = importing.pending_path(token, extension)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def confirm(preview: Job, user: Any) -> Job:
    """确认导入: queue the commit job of a finished preview. Raises JobError (e.g. JobLocked) with the reason."""
    pages = pages_for(preview.parameters)
    if not pages.may_import(user):
        raise PermissionDenied(str(pages.denied_message))
    summary = preview.result or {}
    if preview.kind != JobKind.IMPORT_PREVIEW or preview.status != "succeeded" or not summary.get("can_commit"):
        raise jobs.JobError(_("该预览不能导入：请重新上传文件。"))
    _stored_file(preview)
    parameters = {key: preview.parameters[key] for key in ("pages", "module", "token", "extension", "name", "sha256")}
    parameters["preview"] = preview.pk
    return jobs.start(
        JobKind.IMPORT_COMMIT, owner=user,
        title=_("%(title)s：%(name)s") % {"title": pages.title, "name": parameters["name"]},
        parameters=parameters, lock_key=pages.lock_key(parameters["sha256"]),
    )


def _stored_file(job: Job):
    path = importing.pending_path(job.parameters.get("token", ""), job.parameters.get("extension", ""))
    if path is None:
        raise jobs.JobError(_("上传的文件已失效（上传后保留一天），请重新上传。"))
    return path


def import_summary(pages: ImportPages, result: importing.ImportResult) -> dict[str, Any]:
    """A job's result (JSON): the counts, the first rows to add and to change, the first errors."""

    def cells(planned: list[importing.PlannedRow], update: bool) -> list[list[Any]]:
        columns = pages.preview_columns(update=update)
        return [[[str(_resolve(item.obj, path)), path == pages.spec.key] for _label, path in columns]
                for item in planned]

    to_create, to_update = result.to_create[:PREVIEW_LIMIT], result.to_update[:PREVIEW_LIMIT]
    counts = {"rows": result.row_count, "create": len(result.to_create), "update": len(result.to_update),
              "same": len(result.unchanged), "errors": len(result.errors)}
    return {
        "counts": counts,
        "ok": result.ok,
        "committed": result.committed,
        "nothing_to_do": result.ok and not result.to_create and not result.to_update,
        "can_commit": result.ok and bool(result.to_create or result.to_update),
        "create_head": [str(label) for label, _path in pages.preview_columns(update=False)],
        "update_head": [str(label) for label, _path in pages.preview_columns(update=True)],
        "create_rows": [{"row": item.row, "cells": row} for item, row in zip(to_create, cells(to_create, False),
                                                                               strict=True)],
        "update_rows": [
            {"row": item.row, "cells": row,
             "changes": [{"column": c.column, "before": c.before, "after": c.after} for c in item.changes]}
            for item, row in zip(to_update, cells(to_update, True), strict=True)
        ],
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:ERRORS_LIMIT]],
        "preview_limit": PREVIEW_LIMIT,
        "errors_limit": ERRORS_LIMIT,
    }


def _run_import(job: Job, progress: jobs.LiveProgress, *, commit: bool) -> None:
    pages = pages_for(job.parameters)
    path = _stored_file(job)
    run = importing.commit if commit else importing.dry_run
    try:
        with path.open("rb") as handle:
            result = run(pages.spec, actor=job.owner, handle=handle, extension=job.parameters["extension"],
                         progress=progress)
    except importing.ImportFileError as error:
        raise jobs.JobError(error.message) from None
    job.result = import_summary(pages, result)
    if result.errors:
        directory = jobs.job_dir(job.pk, create=True)
        (directory / "errors.xlsx").write_bytes(importing.error_report(result))
        job.result_file, job.result_name = "errors.xlsx", pages.errors_name
    if not commit:
        return
    if not result.committed:
        # The data changed since the preview, or a save was refused: the report says where; nothing was written.
        raise jobs.JobError(_("导入未完成，没有写入任何数据。"))
    importing.discard_pending(job.parameters["token"], job.parameters["extension"])
    job.result["message"] = str(pages.success_message) % job.result["counts"]


@jobs.runner(JobKind.IMPORT_PREVIEW, retry_check=_stored_file)
def run_import_preview(job: Job, progress: jobs.LiveProgress) -> None:
    """Validate the stored file with progress; nothing is written."""
    _run_import(job, progress, commit=False)


@jobs.runner(JobKind.IMPORT_COMMIT, retry_check=_stored_file)
def run_import_commit(job: Job, progress: jobs.LiveProgress) -> None:
    """Validate again and save every new or changed row in one transaction (a cancel rolls it all back)."""
    _run_import(job, progress, commit=True)


def job_links(job: Job) -> dict[str, str]:
    """The import's own pages, for a job's page (empty when the import no longer exists)."""
    try:
        return pages_for(job.parameters).urls()
    except jobs.JobError:
        return {}


class ImportTemplateView(ImportPagesMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        spec = self.pages.spec
        example = spec.example(request.user) if spec.example else None
        response = HttpResponse(importing.template_workbook(spec, example=example), content_type=XLSX_TYPE)
        filename = self.pages.template_filename or f"{spec.sheet_title}导入模板.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


class ImportErrorsView(ImportPagesMixin, View):
    """The error report of the file waiting in this session, validated again now."""

    def get(self, request: HttpRequest) -> HttpResponse:
        pending, path = self.pending(request)
        if pending is None:
            raise Http404(_("没有待导入的文件。"))
        try:
            with path.open("rb") as handle:
                result = importing.dry_run(
                    self.pages.spec, actor=request.user, handle=handle, extension=pending["extension"]
                )
        except importing.ImportFileError as error:
            raise Http404(error.message) from None
        response = HttpResponse(importing.error_report(result), content_type=XLSX_TYPE)
        filename = self.pages.errors_filename or f"{self.pages.spec.sheet_title}导入错误报告.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
