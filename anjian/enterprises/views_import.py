"""The enterprise import pages: upload → dry-run preview → 确认导入 (commit), plus the template and error report.

The uploaded file waits in DATA_DIR/imports/<token> between the two steps (token kept in the session) and
is validated again in full at commit time, so nothing the preview showed can be stale when rows are saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core.scope import can_add
from anjian.enterprises import importing
from anjian.enterprises.models import Enterprise

SESSION_KEY = "enterprise_import"
PREVIEW_LIMIT = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("导入文件"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GBK 编码），不超过 10 MB、50000 行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class ImportPermissionMixin:
    """Importing registers and changes enterprises: it needs the right to add enterprises somewhere."""

    def dispatch(self, request, *args, **kwargs):
        if not can_add(request.user, Enterprise):
            raise PermissionDenied(_("您无权导入企业。"))
        return super().dispatch(request, *args, **kwargs)


def _pending(request) -> tuple[dict, object] | tuple[None, None]:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict):
        return None, None
    path = importing.pending_path(pending.get("token", ""), pending.get("extension", ""))
    return (pending, path) if path is not None else (None, None)


def _forget(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict):
        importing.discard_pending(pending.get("token", ""), pending.get("extension", ""))


class EnterpriseImportView(ImportPermissionMixin, View):
    form_template = "enterprises/import_form.html"
    preview_template = "enterprises/import_preview.html"

    def get(self, request):
        return render(request, self.form_template, {"form": ImportUploadForm(), "columns": importing.COLUMNS})

    def post(self, request):
        if "confirm" in request.POST:
            return self._commit(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._form_error(request, form)
        upload = form.cleaned_data["file"]
        try:
            extension = importing.check_upload(upload)
            result = importing.dry_run(actor=request.user, handle=upload, extension=extension)
        except importing.ImportFileError as error:
            form.add_error("file", error.message)
            return self._form_error(request, form)
        _forget(request)
        token = importing.store_pending(upload, extension)
        request.session[SESSION_KEY] = {"token": token, "extension": extension, "name": upload.name[:200]}
        return self._preview(request, result, token, upload.name)

    def _form_error(self, request, form):
        context = {"form": form, "columns": importing.COLUMNS}
        return render(request, self.form_template, context, status=400)

    def _commit(self, request):
        pending, path = _pending(request)
        if pending is None or request.POST.get("token") != pending["token"]:
            messages.error(request, _("待导入的文件已失效或已被新的上传替换，请重新上传。"))
            return redirect("enterprises:enterprise_import")
        try:
            with path.open("rb") as handle:
                result = importing.commit(actor=request.user, handle=handle, extension=pending["extension"])
        except importing.ImportFileError as error:
            _forget(request)
            messages.error(request, error.message)
            return redirect("enterprises:enterprise_import")
        if not result.committed:
            # The data changed since the preview (or a save was refused): show the fresh errors, keep the file.
            messages.error(request, _("导入未完成，没有写入任何数据。"))
            return self._preview(request, result, pending["token"], pending["name"])
        _forget(request)
        messages.success(
            request,
            _("导入完成：新增 %(create)d 家，更新 %(update)d 家，无变化 %(same)d 家。")
            % {"create": len(result.to_create), "update": len(result.to_update), "same": len(result.unchanged)},
        )
        return redirect("enterprises:enterprise_list")

    def _preview(self, request, result: importing.ImportResult, token: str, name: str):
        context = {
            "result": result,
            "token": token,
            "file_name": name,
            "to_create": result.to_create[:PREVIEW_LIMIT],
            "to_update": result.to_update[:PREVIEW_LIMIT],
            "preview_limit": PREVIEW_LIMIT,
            "nothing_to_do": result.ok and not result.to_create and not result.to_update,
        }
        return render(request, self.preview_template, context)


class EnterpriseImportTemplateView(ImportPermissionMixin, View):
    def get(self, request):
        content = importing.template_workbook(example_region=importing.example_region_for(request.user))
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, "企业信息导入模板.xlsx")
        return response


class EnterpriseImportErrorsView(ImportPermissionMixin, View):
    """The error report of the file waiting in this session, validated again now."""

    def get(self, request):
        pending, path = _pending(request)
        if pending is None:
            raise Http404(_("没有待导入的文件。"))
        try:
            with path.open("rb") as handle:
                result = importing.dry_run(actor=request.user, handle=handle, extension=pending["extension"])
        except importing.ImportFileError as error:
            raise Http404(error.message) from None
        response = HttpResponse(importing.error_report(result), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, "企业导入错误报告.xlsx")
        return response
