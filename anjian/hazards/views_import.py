"""The hazard import pages (issue 8 item 7): the generic import views (anjian.core.views_import) configured with the
hazard spec, its wording and its URLs (hazards:hazard_import, _template, _errors), as the enterprises' import is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.core.views_import import ImportErrorsView, ImportPages, ImportTemplateView, ImportView
from anjian.hazards import importing

HAZARD_IMPORT = ImportPages(
    spec=importing.SPEC,
    url_name="hazards:hazard_import",
    list_url="hazards:hazard_list",
    list_label=gettext_lazy("隐患"),
    title=gettext_lazy("导入检查发现的隐患"),
    rules=(
        gettext_lazy(
            "以统一社会信用代码和外部编号为准：已导入过的隐患被更新，其余作为新隐患（待整改）登记，发现人为您。"
        ),
        gettext_lazy("再次导入只能修改仍为“待整改”的隐患的部位、描述、类别和等级。"),
        gettext_lazy("只能导入本人管辖范围内单位的隐患。"),
    ),
    create_columns=(
        (gettext_lazy("外部编号"), "external_ref"),
        (gettext_lazy("单位名称"), "enterprise.name"),
        (gettext_lazy("隐患描述"), "description"),
        (gettext_lazy("隐患等级"), "get_level_display"),
    ),
    update_columns=((gettext_lazy("外部编号"), "external_ref"), (gettext_lazy("单位名称"), "enterprise.name")),
    denied_message=gettext_lazy("您无权导入隐患。"),
    success_message=gettext_lazy("导入完成：新增 %(create)d 条，更新 %(update)d 条，无变化 %(same)d 条。"),
    nothing_to_do_message=gettext_lazy("文件中的隐患与系统中的记录完全一致，无需导入。"),
    errors_filename="隐患导入错误报告.xlsx",
)


class HazardImportView(ImportView):
    pages = HAZARD_IMPORT


class HazardImportTemplateView(ImportTemplateView):
    pages = HAZARD_IMPORT


class HazardImportErrorsView(ImportErrorsView):
    pages = HAZARD_IMPORT
