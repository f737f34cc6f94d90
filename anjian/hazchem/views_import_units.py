"""The import page of hazard units (issue 9 item 6): upload, check (all rows, nothing written), then write when
asked and the file has no error, listing every error by row and column; the template is an .xlsx download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core.export import xlsx_response
from anjian.core.importing import ImportFileError
from anjian.core.scope import can_add
from anjian.hazchem import importing_units
from anjian.hazchem.models import HazardUnit


class UnitImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))
    commit = forms.BooleanField(label=gettext_lazy("校验无误后直接导入"), required=False,
                                help_text=gettext_lazy("不勾选时只校验，不写入任何数据。"))


def _refuse_unless_may_add(user) -> None:
    if not can_add(user, HazardUnit):
        raise PermissionDenied(_("您无权导入危险化学品单元。"))


class UnitImportView(View):
    template_name = "hazchem/hazardunit_import.html"

    def get(self, request):
        _refuse_unless_may_add(request.user)
        return render(request, self.template_name, {"form": UnitImportForm()})

    def post(self, request):
        _refuse_unless_may_add(request.user)
        form = UnitImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        try:
            result = importing_units.run(actor=request.user, upload=form.cleaned_data["file"],
                                         commit=form.cleaned_data["commit"])
        except ImportFileError as error:
            form.add_error("file", error.message)
            return render(request, self.template_name, {"form": form})
        if result.committed:
            done = _("导入完成：新增单元 %(created)d 个，更新 %(updated)d 个（共 %(rows)d 行）。")
            messages.success(request, done % {"created": result.created, "updated": result.updated,
                                              "rows": result.rows})
            return HttpResponseRedirect(reverse("hazchem:hazardunit_list"))
        return render(request, self.template_name, {"form": form, "result": result}, status=200)


class UnitImportTemplateView(View):
    def get(self, request):
        _refuse_unless_may_add(request.user)
        header, rows = importing_units.template_rows()
        return xlsx_response(headers=header, rows=rows, filename="危险化学品单元导入模板.xlsx",
                             sheet_title="导入数据")
