"""Importing enterprises from .xlsx or .csv: a dry run, then an all-or-nothing upsert by USCC (issue 2 item 9).

The machinery is generic (anjian.core.importing, issue 6 item 8); this module declares only what is specific to
enterprises: the columns and their rules, the reference tables a file needs (regions, industries, parks), the
jurisdiction of the row's village, the service that saves a row (`enterprise_save`), the template's example row
and its 说明 lines. Callers (the import views, the `import_enterprises` command) hand in a file and the actor.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import importing as generic
from anjian.core.importing import (
    IMPORT_REASON,
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    Column,
    FieldChange,
    ImportFileError,
    ImportResult,
    ImportSpec,
    Kind,
    Lookups,
    PlannedRow,
    Row,
    RowError,
    Table,
    check_upload,
    discard_pending,
    error_report,
    pending_path,
    purge_pending,
    read_table,
    store_pending,
)
from anjian.core.progress import Progress, silent
from anjian.core.scope import ADD, CHANGE, jurisdiction_of
from anjian.core.validators import validate_phone
from anjian.enterprises.choices import (
    FLAG_FIELDS,
    EnterpriseSize,
    OperatingStatus,
    StandardizationGrade,
    SupervisionDomain,
)
from anjian.enterprises.models import Enterprise, Industry
from anjian.enterprises.services import enterprise_save
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region

EXAMPLE_USCC_BODY = "91441900MA4W00001"


def _example_uscc() -> str:
    from anjian.standards import uscc

    return EXAMPLE_USCC_BODY + uscc.check_character(EXAMPLE_USCC_BODY)


def _uscc(text: str, lookups: Lookups) -> str:
    """The code as stored (upper case). Its GB 32100-2015 check is the model's validator `validate_uscc`, which
    every row runs (CleanPlan or full_clean) and whose message is the standard's own, naming the expected check
    character (issue 2 item 4); the parser does not run it a second time (issue 7 item 2). Only a code of the wrong
    length is refused here, with the standard's message, since the model would add its max-length message to it."""
    from anjian.standards import StandardsError, uscc

    code = text.upper()
    if len(code) != uscc.LENGTH:
        try:
            uscc.validate(text)
        except StandardsError as error:
            raise CellError(str(error)) from None
    return code


def _phone(text: str, lookups: Lookups) -> str:
    """The number as written; the model's validate_phone judges it. Only one mistake is Excel's, not the writer's:
    a landline typed into a number cell loses the 0 of its area code (0769-22001234 → 76922001234)."""
    if text.isdigit() and text[0] not in "01":
        try:
            validate_phone("0" + text)
        except ValidationError:
            return text
        raise CellError(
            _("“%(value)s”像是区号前的0被 Excel 去掉了的座机号码（应为“0%(value)s”）：请将该列设为文本格式后重新填写，"
              "如 0769-22001234。") % {"value": text}
        )
    return text


def _region(text: str, lookups: Lookups) -> Region:
    region = lookups["regions"].get(text)
    if region is None:
        raise CellError(_("未找到区划代码“%(code)s”，请填写12位村（社区）代码。") % {"code": text})
    if region.level != RegionLevel.VILLAGE:
        raise CellError(_("“%(code)s”是%(name)s，须填写村（社区）级代码。") % {"code": text, "name": region.name})
    return region


def _industry(text: str, lookups: Lookups) -> Industry:
    industries = lookups["industries"]
    industry = industries.get(text.upper())
    # A code typed as a number loses its leading zero (0111 → 111): agriculture codes start with 0.
    if industry is None and text.isdigit():
        industry = industries.get("0" + text)
    if industry is None:
        raise CellError(_("未找到国民经济行业代码“%(code)s”（GB/T 4754-2017）。") % {"code": text})
    return industry


def _flag_columns() -> tuple[Column, ...]:
    with translation.override("zh-hans"):
        return tuple(
            Column(str(label), name, Kind.FLAG, width=max(10, 2 * len(str(label)) + 2), rule="是 / 否，空白按“否”")
            for name, label in FLAG_FIELDS.items()
        )


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", Kind.CUSTOM, True, 22, "18位，GB 32100-2015，末位为校验码；据此新增或更新",
           parse=_uscc),
    Column("单位名称", "name", Kind.TEXT, True, 30),
    Column("法定代表人", "legal_representative", Kind.TEXT, True, 12),
    Column("安全负责人", "safety_principal", Kind.TEXT, True, 12),
    Column("安全负责人电话", "safety_principal_phone", Kind.CUSTOM, True, 16,
           "手机号11位，或带区号的座机，如 0769-22001234；座机请将单元格设为文本，以免 Excel 去掉区号前的0",
           parse=_phone),
    Column("地址", "address", Kind.TEXT, True, 36),
    Column("村（社区）代码", "region", Kind.CUSTOM, True, 16, "12位统计用区划代码，须为村（社区）级",
           parse=_region, display=lambda region: f"{region.code} {region.name}", export_path="region__code"),
    Column("园区", "park", Kind.LOOKUP, False, 20, "已登记的工业园区名称，可空",
           lookup="parks", missing=gettext_lazy("未找到园区“%(value)s”。"), export_path="park__name"),
    Column("纬度", "latitude", Kind.DECIMAL, False, 12, "WGS84，北纬 22.6–23.2，最多6位小数；须与经度同时填写"),
    Column("经度", "longitude", Kind.DECIMAL, False, 12, "WGS84，东经 113.5–114.3，最多6位小数"),
    Column("行业代码", "industry", Kind.CUSTOM, True, 10, "GB/T 4754-2017 国民经济行业分类代码，如 3360",
           parse=_industry, export_path="industry__code"),
    Column("行业领域", "domain", Kind.CHOICE, True, 16, "见下方“行业领域”取值", choices=SupervisionDomain),
    Column("企业规模", "size", Kind.CHOICE, True, 10, "大型 / 中型 / 小型 / 微型", choices=EnterpriseSize),
    Column("从业人数", "employee_count", Kind.INT, False, 10, "非负整数，空白按 0"),
    Column("经营状态", "operating_status", Kind.CHOICE, False, 10, "在业 / 停业 / 关闭 / 取缔，空白按“在业”",
           choices=OperatingStatus),
    *_flag_columns(),
    Column("标准化等级", "standardization_grade", Kind.CHOICE, False, 12,
           "一级 / 二级 / 三级 / 小微企业 / 未达标或空白",
           choices=StandardizationGrade, aliases={"小微": StandardizationGrade.SMALL_MICRO}),
    Column("标准化有效期至", "standardization_expires", Kind.DATE, False, 16, "日期，如 2027-12-31；有等级时必填"),
)


def _lookups(actor: Any) -> Lookups:
    return {
        "regions": {region.code: region for region in Region.objects.all()},
        "industries": {industry.code: industry for industry in Industry.objects.all()},
        "parks": {park.name: park for park in IndustrialPark.objects.all()},
        ADD: jurisdiction_of(actor, ADD, Enterprise),
        CHANGE: jurisdiction_of(actor, CHANGE, Enterprise),
    }


def _check_jurisdiction(row: Row) -> None:
    """The village of the row must lie in the actor's jurisdiction: to register there, or to move into it."""
    enterprise = row.obj
    if "region" in row.failed or not enterprise.region_id:
        return
    code = enterprise.region.code
    if row.is_new and not row.lookups[ADD].covers(code):
        row.error("region", _("您无权在该村（社区）新建企业。"))
    elif not row.is_new and not row.lookups[CHANGE].covers(code, enterprise.pk):
        row.error("region", _("您无权将企业迁入该村（社区）。"))


def _save(*, actor: Any, obj: Enterprise, reason: str) -> Enterprise:
    # Looked up at call time, so a test can replace enterprise_save in this module.
    return enterprise_save(actor=actor, enterprise=obj, reason=reason)


def example_region_for(actor: Any) -> Region | None:
    """A village the actor may add enterprises to, so the template's example row imports as it is."""
    jurisdiction = jurisdiction_of(actor, ADD, Enterprise)
    villages = Region.objects.restrict(actor).filter(level=RegionLevel.VILLAGE).order_by("code")
    for region in villages[:200]:
        if jurisdiction.covers(region.code):
            return region
    return None


def example_row(region: Region | None) -> dict[str, Any]:
    """The template's example row, in `region` (a village of the downloader's jurisdiction) when there is one."""

    return {
        "uscc": _example_uscc(),
        "name": "东莞市示例五金制品有限公司",
        "legal_representative": "张三",
        "safety_principal": "李四",
        "safety_principal_phone": "13800000000",
        "address": f"{region.name if region else ''}工业路1号",
        "region": region.code if region else "",
        "park": "",
        "latitude": str(region.latitude) if region and region.latitude else "",
        "longitude": str(region.longitude) if region and region.longitude else "",
        "industry": "3360",
        "domain": "工贸-机械",
        "size": "小型",
        "employee_count": 50,
        "operating_status": "在业",
        "standardization_grade": "三级",
        "standardization_expires": "2027-12-31",
    }


SPEC = ImportSpec(
    model=Enterprise,
    key="uscc",
    columns=COLUMNS,
    save=_save,
    lookups=_lookups,
    check=_check_jurisdiction,
    normalize_key=str.upper,
    together=(("latitude", "longitude"),),
    sheet_title="企业信息",
    notes=(
        "在“企业信息”工作表中每行填写一家企业，第1行为表头，请勿修改列名；示例行可直接修改或删除。",
        "以统一社会信用代码为准：系统中已有的企业将被更新，没有的将被新增；重复导入同一文件不会产生变化。",
        "只能新增或修改本人管辖范围内的企业。",
    ),
    example=lambda actor: example_row(example_region_for(actor)),
    forbidden_message=gettext_lazy("无权修改该企业。"),
    refused_message=gettext_lazy("无权保存该企业。"),
    # The template's example company never imports, even from an untouched template (issue 7 item 7).
    example_keys=frozenset({_example_uscc()}),
    # enterprise_save is scoped_save and nothing more: an import is written in bulk under the same rules.
    bulk=True,
    # For people reading an export; an import of the exported file ignores them.
    export_extras=(
        ("所属镇街", "region__parent__name"), ("村（社区）名称", "region__name"), ("行业名称", "industry__name"),
    ),
)


def plan(*, actor: Any, table: Table) -> ImportResult:
    """Validate every row of `table` as `actor` would import it; writes nothing."""
    return generic.plan(SPEC, actor=actor, table=table)


def dry_run(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Parse and validate; nothing is written."""
    return generic.dry_run(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)


def commit(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Validate again and, only if no row has an error, save every new or changed row in one transaction."""
    return generic.commit(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)


def export_rows(queryset: Any) -> Any:
    """Enterprises in the import's columns (the list's export; bench/import_export.py)."""
    return generic.export_rows(SPEC, queryset)


def template_workbook(*, example_region: Region | None = None) -> bytes:
    """The import template, its example row placed in `example_region`."""
    return generic.template_workbook(SPEC, example=example_row(example_region))


__all__ = [
    "COLUMNS",
    "EXAMPLE_USCC_BODY",
    "IMPORT_REASON",
    "MAX_BYTES",
    "MAX_ROWS",
    "SPEC",
    "FieldChange",
    "ImportFileError",
    "ImportResult",
    "PlannedRow",
    "RowError",
    "Table",
    "check_upload",
    "commit",
    "discard_pending",
    "dry_run",
    "error_report",
    "example_region_for",
    "example_row",
    "pending_path",
    "plan",
    "purge_pending",
    "read_table",
    "store_pending",
    "template_workbook",
]
