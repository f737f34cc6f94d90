"""The enterprise import pages: the generic import views (anjian.core.views_import, issue 6 item 8) configured
with the enterprise spec, its wording and its URLs (enterprises:enterprise_import, _template, _errors).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.core.views_import import ImportErrorsView, ImportPages, ImportTemplateView, ImportView
from anjian.enterprises import importing

ENTERPRISE_IMPORT = ImportPages(
    spec=importing.SPEC,
    url_name="enterprises:enterprise_import",
    list_url="enterprises:enterprise_list",
    list_label=gettext_lazy("生产经营单位"),
    title=gettext_lazy("导入生产经营单位"),
    rules=(
        gettext_lazy("以统一社会信用代码为准：已登记的企业被更新，未登记的被新增；重复导入同一文件不会产生变化。"),
        gettext_lazy("只能新增或修改本人管辖范围内的企业。"),
    ),
    create_columns=(
        (gettext_lazy("统一社会信用代码"), "uscc"),
        (gettext_lazy("单位名称"), "name"),
        (gettext_lazy("所属村（社区）"), "region.name"),
        (gettext_lazy("行业领域"), "get_domain_display"),
    ),
    update_columns=((gettext_lazy("统一社会信用代码"), "uscc"), (gettext_lazy("单位名称"), "name")),
    denied_message=gettext_lazy("您无权导入企业。"),
    success_message=gettext_lazy("导入完成：新增 %(create)d 家，更新 %(update)d 家，无变化 %(same)d 家。"),
    nothing_to_do_message=gettext_lazy("文件中的企业与系统中的记录完全一致，无需导入。"),
    errors_filename="企业导入错误报告.xlsx",
)
SESSION_KEY = ENTERPRISE_IMPORT.session_key


class EnterpriseImportView(ImportView):
    pages = ENTERPRISE_IMPORT


class EnterpriseImportTemplateView(ImportTemplateView):
    pages = ENTERPRISE_IMPORT


class EnterpriseImportErrorsView(ImportErrorsView):
    pages = ENTERPRISE_IMPORT
