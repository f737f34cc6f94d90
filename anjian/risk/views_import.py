"""The risk-unit register's import pages (issue 9 item 6): the generic import views (anjian.core.views_import)
configured with the risk-unit spec, its wording and its URLs (risk:riskunit_import, _template, _errors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.core.views_import import ImportErrorsView, ImportPages, ImportTemplateView, ImportView
from anjian.risk import importing

RISK_UNIT_IMPORT = ImportPages(
    spec=importing.SPEC,
    url_name="risk:riskunit_import",
    list_url="risk:riskunit_list",
    list_label=gettext_lazy("风险点"),
    title=gettext_lazy("导入风险点清单"),
    rules=(
        gettext_lazy("以统一社会信用代码和风险点名称为准：同一单位已有的风险点被更新，其余新增。"),
        gettext_lazy("风险等级由风险评估得出，不在本表中填写。"),
        gettext_lazy("只能导入本人可登记风险点的单位（本单位）。"),
    ),
    create_columns=(
        (gettext_lazy("风险点名称"), "name"),
        (gettext_lazy("单位名称"), "enterprise.name"),
        (gettext_lazy("风险点类型"), "get_kind_display"),
    ),
    update_columns=((gettext_lazy("风险点名称"), "name"), (gettext_lazy("单位名称"), "enterprise.name")),
    denied_message=gettext_lazy("您无权导入风险点。"),
    success_message=gettext_lazy("导入完成：新增 %(create)d 个，更新 %(update)d 个，无变化 %(same)d 个。"),
    nothing_to_do_message=gettext_lazy("文件中的风险点与系统中的记录完全一致，无需导入。"),
    errors_filename="风险点导入错误报告.xlsx",
)


class RiskUnitImportView(ImportView):
    pages = RISK_UNIT_IMPORT


class RiskUnitImportTemplateView(ImportTemplateView):
    pages = RISK_UNIT_IMPORT


class RiskUnitImportErrorsView(ImportErrorsView):
    pages = RISK_UNIT_IMPORT
