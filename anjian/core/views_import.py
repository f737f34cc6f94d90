"""Generic import pages (issue 6 item 8): upload → dry-run preview → 确认导入 (commit), template, error report.

A module configures them with `ImportPages` (its ImportSpec, permission check, URLs and wording) and either
subclasses the three views with `pages = ...` or passes it to `as_view(pages=...)`. The uploaded file waits in
DATA_DIR/imports/<token> between the two steps, its token kept in the session under a key of its own per import
(`ImportPages.session_key`), so two imports open in one session do not clash. The file is validated again in full
at commit time, so nothing the preview showed can be stale when rows are saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core import importing
from anjian.core.scope import can_add

PREVIEW_LIMIT = 200
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

    @property
    def session_key(self) -> str:
        return f"import:{self.url_name}"

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
    form_template = "generic/import_form.html"
    preview_template = "generic/import_preview.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, ImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "confirm" in request.POST:
            return self.commit(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            extension = importing.check_upload(upload)
            result = importing.dry_run(self.pages.spec, actor=request.user, handle=upload, extension=extension)
        except importing.ImportFileError as error:
            form.add_error("file", error.message)
            return self.render_form(request, form, status=400)
        self.forget(request)
        token = importing.store_pending(upload, extension)
        request.session[self.pages.session_key] = {"token": token, "extension": extension, "name": upload.name[:200]}
        return self.render_preview(request, result, token, upload.name)

    def commit(self, request: HttpRequest) -> HttpResponse:
        pending, path = self.pending(request)
        if pending is None or request.POST.get("token") != pending["token"]:
            messages.error(request, _("待导入的文件已失效或已被新的上传替换，请重新上传。"))
            return redirect(self.pages.url_name)
        try:
            with path.open("rb") as handle:
                result = importing.commit(
                    self.pages.spec, actor=request.user, handle=handle, extension=pending["extension"]
                )
        except importing.ImportFileError as error:
            self.forget(request)
            messages.error(request, error.message)
            return redirect(self.pages.url_name)
        if not result.committed:
            # The data changed since the preview (or a save was refused): show the fresh errors, keep the file.
            messages.error(request, _("导入未完成，没有写入任何数据。"))
            return self.render_preview(request, result, pending["token"], pending["name"])
        self.forget(request)
        counts = {"create": len(result.to_create), "update": len(result.to_update), "same": len(result.unchanged)}
        messages.success(request, str(self.pages.success_message) % counts)
        return redirect(self.pages.list_url)

    def render_form(self, request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "pages": self.pages, "urls": self.pages.urls(), "columns": self.pages.spec.columns}
        return render(request, self.form_template, context, status=status)

    def render_preview(
        self, request: HttpRequest, result: importing.ImportResult, token: str, name: str
    ) -> HttpResponse:
        to_create = result.to_create[:PREVIEW_LIMIT]
        to_update = result.to_update[:PREVIEW_LIMIT]
        context = {
            "pages": self.pages,
            "urls": self.pages.urls(),
            "result": result,
            "token": token,
            "file_name": name,
            "to_create": to_create,
            "to_update": to_update,
            "create_head": [label for label, _path in self.pages.preview_columns(update=False)],
            "update_head": [label for label, _path in self.pages.preview_columns(update=True)],
            "create_rows": self.cells(to_create, update=False),
            "update_rows": self.cells(to_update, update=True),
            "preview_limit": PREVIEW_LIMIT,
            "nothing_to_do": result.ok and not result.to_create and not result.to_update,
        }
        return render(request, self.preview_template, context)

    def cells(self, planned: list[importing.PlannedRow], *, update: bool) -> list[dict[str, Any]]:
        """Each planned row with its preview cells as (value, is the key); the key is shown in monospace."""
        columns = self.pages.preview_columns(update=update)
        key = self.pages.spec.key
        return [
            {"item": item, "cells": [(_resolve(item.obj, path), path == key) for _label, path in columns]}
            for item in planned
        ]


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
