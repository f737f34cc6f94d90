"""Importing the risk-unit register (风险点清单) from .xlsx or .csv (issue 9 items 4 and 6), with the generic import.

A row is identified by its enterprise (统一社会信用代码, among the enterprises the importer may add risk units to: one
out of reach answers as a missing one) and the unit's name, unique within the enterprise, so importing the same
register again updates those units instead of adding them twice. The register carries what the 风险告知卡 shows;
levels come from assessments, never from the file. The commit writes every row in bulk under the rules of
`scoped_save` (anjian.core.services.scoped_bulk_save).
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import importing as generic
from anjian.core.importing import CellError, Column, ImportResult, ImportSpec, Kind, Lookups
from anjian.core.progress import Progress, silent
from anjian.core.scope import ADD, jurisdiction_of
from anjian.enterprises.models import Enterprise
from anjian.risk.choices import ControlLevel, RiskUnitKind
from anjian.risk.models import RiskUnit
from anjian.risk.services import risk_unit_save

EXAMPLE_NAME = "示例-液氨储罐区"
# USCCs per query: well under SQLite's limit of bound parameters.
USCC_CHUNK = 2000


def _enterprise(text: str, lookups: Lookups) -> Enterprise:
    enterprise = lookups["enterprises"].get(text.upper())
    if enterprise is None:
        # One message for a code nobody registered and for an enterprise out of reach (as a missing id).
        raise CellError(_("您管辖范围内没有统一社会信用代码为该值的单位。"))
    return enterprise


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "enterprise", Kind.CUSTOM, True, 22, "风险点所在单位，须为本人可登记风险点的单位",
           parse=_enterprise, display=lambda enterprise: f"{enterprise.uscc} {enterprise.name}",
           export_path="enterprise__uscc"),
    Column("风险点名称", "name", Kind.TEXT, True, 20, "同一单位内唯一；再次导入相同名称时更新该风险点"),
    Column("风险点类型", "kind", Kind.CHOICE, True, 12, "设备设施 / 场所区域 / 作业活动", choices=RiskUnitKind),
    Column("位置", "location", Kind.TEXT, False, 20),
    Column("管控层级", "control_level", Kind.CHOICE, False, 10, "公司级 / 车间级 / 班组级 / 岗位级，可空",
           choices=ControlLevel, aliases={"公司": ControlLevel.COMPANY, "车间": ControlLevel.WORKSHOP,
                                          "班组": ControlLevel.TEAM, "岗位": ControlLevel.POST}),
    Column("责任人", "responsible_person", Kind.TEXT, False, 10),
    Column("危险有害因素", "hazard_factors", Kind.TEXT, False, 30),
    Column("可能导致的事故类型", "accident_types", Kind.TEXT, False, 24, "如 火灾、爆炸、中毒和窒息"),
    Column("应急处置措施", "emergency_measures", Kind.TEXT, False, 30),
    Column("应急电话", "emergency_phone", Kind.TEXT, False, 14),
    Column("警示标志", "warning_signs", Kind.TEXT, False, 24, "如 当心火灾、禁止烟火"),
)


def reachable_enterprises(actor: Any) -> QuerySet[Enterprise]:
    """The enterprises `actor` may add risk units to: the gate's ADD reach of RiskUnit, asked of enterprises."""
    condition = jurisdiction_of(actor, ADD, RiskUnit).q(Enterprise.scope)
    return Enterprise.objects.none() if condition is None else Enterprise.objects.filter(condition)


def _lookups(actor: Any, *, named: dict[str, set[str]]) -> Lookups:
    usccs = sorted({text.upper() for text in named.get("enterprise", ())})
    found: dict[str, Enterprise] = {}
    for start in range(0, len(usccs), USCC_CHUNK):
        for enterprise in reachable_enterprises(actor).filter(uscc__in=usccs[start:start + USCC_CHUNK]):
            found[enterprise.uscc] = enterprise
    return {"enterprises": found}


def _save(*, actor: Any, obj: RiskUnit, reason: str) -> RiskUnit:
    # The one-row service behind the bulk commit (ImportSpec.save).
    return risk_unit_save(actor=actor, unit=obj, reason=reason)


def example_row(enterprise: Enterprise | None) -> dict[str, Any]:
    return {
        "enterprise": enterprise.uscc if enterprise else "",
        "name": EXAMPLE_NAME,
        "kind": "场所区域",
        "location": "厂区东侧",
        "control_level": "公司级",
        "responsible_person": "张三",
        "hazard_factors": "液氨储罐、管道、阀门泄漏",
        "accident_types": "中毒和窒息、火灾、爆炸",
        "emergency_measures": "发现泄漏立即启动喷淋，佩戴正压式空气呼吸器关阀堵漏，人员向上风向撤离",
        "emergency_phone": "0769-12345678",
        "warning_signs": "当心中毒、禁止烟火、必须戴防毒面具",
    }


SPEC = ImportSpec(
    model=RiskUnit,
    key="name",
    key_within="enterprise",
    normalize_within=str.upper,
    columns=COLUMNS,
    save=_save,
    lookups=_lookups,
    lookup_columns=("enterprise",),
    sheet_title="风险点清单",
    notes=(
        "在“风险点清单”工作表中每行填写一个风险点，第1行为表头，请勿修改列名；示例行请改为实际信息或删除。",
        "以统一社会信用代码和风险点名称为准：同一单位已有的风险点将被更新，没有的将新增。",
        "风险等级由风险评估得出，不在本表中填写。",
    ),
    example=lambda actor: example_row(reachable_enterprises(actor).order_by("uscc").first()),
    forbidden_message=gettext_lazy("无权修改该单位的这个风险点。"),
    refused_message=gettext_lazy("无权保存该风险点。"),
    example_keys=frozenset({EXAMPLE_NAME}),
    # A register brings hundreds of units per enterprise: the (enterprise, name) key was checked by the dry run.
    bulk=True,
    checked_constraints=("risk_unit_name",),
)


def dry_run(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Parse and validate; nothing is written."""
    return generic.dry_run(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)


def commit(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Validate again and, only if no row has an error, save every new or changed unit in one transaction."""
    return generic.commit(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)
