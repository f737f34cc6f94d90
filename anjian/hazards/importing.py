"""Importing hazards found in an external campaign (专项检查、执法检查) from .xlsx or .csv (issue 8 item 7).

The machinery is generic (anjian.core.importing); this module declares what is the hazards' own: the columns, the
enterprises the importer may report hazards on (looked up by USCC within the importer's reach: an enterprise out of
reach answers as a missing one), and the rule for a second import of the same file. A row is identified by its
enterprise and the campaign's own reference (外部编号, `Hazard.external_ref`, unique per enterprise), so importing
the same file again updates those hazards instead of reporting them twice; an update may change only the
description, place, category and level, and only while the hazard still waits for rectification (待整改).
New rows are what `hazard_report` records (status 待整改, found by the importer, the source as given, the
enterprise's place copied); the commit writes every row in bulk under the rules of `scoped_save`
(anjian.core.services.scoped_bulk_save), then counts the new hazards (anjian.hazards.tally) and queues the notices
hazard_report would send, in the same transaction (issue 8 item 7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import importing as generic
from anjian.core.importing import CellError, Column, ImportResult, ImportSpec, Kind, Lookups, Row
from anjian.core.progress import Progress, silent
from anjian.core.scope import ADD, jurisdiction_of
from anjian.core.validation import loaded_values
from anjian.enterprises.models import Enterprise
from anjian.hazards import tally
from anjian.hazards.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.services import hazard_report, hazard_save, notify_reported

EXAMPLE_REF = "示例-0001"
# What a second import may change of a hazard it reported (issue 8 item 7); the rest stays as first found.
UPDATABLE_FIELDS = frozenset({"description", "place", "category", "level"})
FOUND_AT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
SOURCE_ALIASES = {
    "检查发现": HazardSource.INSPECTION,
    "检查": HazardSource.INSPECTION,
    "自查": HazardSource.SELF_INSPECTION,
    "巡查": HazardSource.GRID,
    "举报": HazardSource.PUBLIC_REPORT,
    "报警": HazardSource.ALARM,
}


def unknown_enterprise_message() -> str:
    # One message for a code nobody registered and for an enterprise out of the importer's reach (issue 8: 404 as
    # for a missing id), so an import reveals nothing outside it.
    return _("您管辖范围内没有统一社会信用代码为该值的单位。")


def _enterprise(text: str, lookups: Lookups) -> Enterprise:
    enterprise = lookups["enterprises"].get(text.upper())
    if enterprise is None:
        raise CellError(unknown_enterprise_message())
    return enterprise


def _found_at(text: str, lookups: Lookups) -> dt.datetime:
    """A date (the day's start, local time) or a date and time; not in the future."""
    moment = None
    if len(text) <= 20:
        for pattern in FOUND_AT_FORMATS:
            try:
                moment = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        day = generic.parse_date(text)
        moment = dt.datetime.combine(day, dt.time())
    found_at = timezone.make_aware(moment)
    if found_at > timezone.now():
        raise CellError(_("发现时间不能晚于现在。"))
    return found_at


def _source(text: str, lookups: Lookups) -> str:
    if not text:
        return HazardSource.INSPECTION
    source = lookups["sources"].get(text)
    if source is None:
        allowed = "、".join(str(label) for label in HazardSource.labels)
        raise CellError(
            _("“%(value)s”不是有效的发现途径，可选：%(allowed)s。")
            % {"value": generic.quoted(text), "allowed": allowed}
        )
    return source


SOURCE_COLUMN = Column(
    "发现途径",
    "source",
    Kind.CUSTOM,
    False,
    12,
    "企业自查 / 监管检查 / 网格巡查 / 群众举报 / 监测报警 / 其他；空白按“监管检查”（检查发现）",
    parse=_source,
    choices=HazardSource,
    aliases=SOURCE_ALIASES,
)

COLUMNS: tuple[Column, ...] = (
    Column(
        "统一社会信用代码",
        "enterprise",
        Kind.CUSTOM,
        True,
        22,
        "隐患所在单位，须为本人管辖范围内已登记的单位",
        parse=_enterprise,
        display=lambda enterprise: f"{enterprise.uscc} {enterprise.name}",
        export_path="enterprise__uscc",
    ),
    Column(
        "外部编号",
        "external_ref",
        Kind.TEXT,
        True,
        18,
        "检查活动中该隐患的编号；同一单位再次导入相同编号时更新该隐患，而不是新增",
    ),
    Column("隐患部位", "place", Kind.TEXT, False, 20, "如 二号车间配电房，可空"),
    Column("隐患描述", "description", Kind.TEXT, True, 40),
    Column(
        "隐患类别",
        "category",
        Kind.CHOICE,
        False,
        24,
        "见下方“隐患类别”取值，空白按“现场管理-其他”",
        choices=HazardCategory,
    ),
    Column(
        "隐患等级",
        "level",
        Kind.CHOICE,
        True,
        10,
        "一般 / 重大",
        choices=HazardLevel,
        aliases={"一般": HazardLevel.GENERAL, "重大": HazardLevel.MAJOR},
    ),
    Column(
        "发现时间", "found_at", Kind.CUSTOM, True, 18, "如 2026-11-05 或 2026-11-05 14:30，不晚于现在", parse=_found_at
    ),
    SOURCE_COLUMN,
)


# USCCs per query: well under SQLite's limit of bound parameters.
USCC_CHUNK = 2000


def reachable_enterprises(actor: Any) -> QuerySet[Enterprise]:
    """The enterprises `actor` may report hazards on: the gate's ADD reach of Hazard, asked of enterprises (both
    reach the tree by region code, enterprise and domain)."""
    condition = jurisdiction_of(actor, ADD, Hazard).q(Enterprise.scope)
    return Enterprise.objects.none() if condition is None else Enterprise.objects.filter(condition)


def enterprises_in_reach(actor: Any, usccs: set[str]) -> dict[str, Enterprise]:
    """USCC → enterprise, for those of `usccs` `actor` may report hazards on."""
    ordered = sorted(usccs)
    found: dict[str, Enterprise] = {}
    for start in range(0, len(ordered), USCC_CHUNK):
        chunk = ordered[start : start + USCC_CHUNK]
        for enterprise in reachable_enterprises(actor).filter(uscc__in=chunk).select_related("region"):
            found[enterprise.uscc] = enterprise
    return found


def _lookups(actor: Any, *, named: dict[str, set[str]]) -> Lookups:
    usccs = {text.upper() for text in named.get("enterprise", ())}
    return {
        "enterprises": enterprises_in_reach(actor, usccs),
        "sources": generic.choice_labels(SOURCE_COLUMN),
        "actor": actor,
    }


def _check(row: Row) -> None:
    """A new row becomes what hazard_report records; a second import corrects what was found, nothing else, and only
    before rectification starts."""
    hazard: Hazard = row.obj
    if row.is_new:
        if "enterprise" not in row.failed and hazard.enterprise_id:
            hazard.copy_place()
        hazard.status = HazardStatus.REPORTED
        if getattr(row.lookups["actor"], "is_authenticated", False):
            hazard.found_by = row.lookups["actor"]
        return
    stored = loaded_values(row.obj) or {}
    if stored.get("status") != HazardStatus.REPORTED:
        with translation.override("zh-hans"):
            status = str(HazardStatus(stored.get("status")).label) if stored.get("status") else ""
        row.error("external_ref", _("该隐患已进入整改流程（%(status)s），导入不能再修改它。") % {"status": status})
        return
    for column in COLUMNS:
        attname = Hazard._meta.get_field(column.field).attname
        if column.field not in UPDATABLE_FIELDS and getattr(row.obj, attname) != stored.get(attname):
            row.error(column.field, _("再次导入只能修改隐患部位、隐患描述、隐患类别和隐患等级。"))
    # Only a 重大隐患 may be under 挂牌督办 (the model's constraint, which the bulk commit leaves to this check).
    if hazard.level != HazardLevel.MAJOR and stored.get("supervision_level"):
        row.error("level", _("该隐患正在挂牌督办，不能改为一般隐患。"))


def _written(*, actor: Any, created: list[Hazard], changed: list[Hazard]) -> None:
    """What Hazard.save() and hazard_report would have done for the rows written in bulk: the running counts and the
    notices of the new hazards (sent after the commit)."""
    tally.count_created(created)
    # A level corrected by a second import moves its hazard between counts.
    tally.count_changed(changed)
    notify_reported(actor=actor, hazards=created)


def _save(*, actor: Any, obj: Hazard, reason: str) -> Hazard:
    # The one-row service behind the bulk commit (ImportSpec.save); the commit writes through scoped_bulk_save.
    if obj.pk is None:
        return hazard_report(actor=actor, hazard=obj, source=obj.source, reason=reason)
    return hazard_save(actor=actor, hazard=obj, reason=reason)


def example_enterprise_for(actor: Any) -> Enterprise | None:
    """An enterprise the actor may report hazards on, so the template's example row names a real one."""
    return reachable_enterprises(actor).order_by("uscc").first()


def example_row(enterprise: Enterprise | None) -> dict[str, Any]:
    return {
        "enterprise": enterprise.uscc if enterprise else "",
        "external_ref": EXAMPLE_REF,
        "place": "二号车间配电房",
        "description": "配电箱未上锁，箱内电缆绝缘层破损",
        "category": "现场管理-用电安全",
        "level": "一般",
        "found_at": timezone.localdate().isoformat(),
        "source": "监管检查",
    }


SPEC = ImportSpec(
    model=Hazard,
    key="external_ref",
    key_within="enterprise",
    normalize_within=str.upper,
    columns=COLUMNS,
    save=_save,
    lookups=_lookups,
    lookup_columns=("enterprise",),
    check=_check,
    sheet_title="隐患信息",
    notes=(
        "在“隐患信息”工作表中每行填写一条隐患，第1行为表头，请勿修改列名；示例行请改为实际信息或删除。",
        "以统一社会信用代码和外部编号为准：同一单位已导入过的编号将被更新，没有的将作为新隐患（待整改）登记。",
        "再次导入只能修改仍为“待整改”的隐患的部位、描述、类别和等级。",
        "只能导入本人管辖范围内单位的隐患。",
    ),
    example=lambda actor: example_row(example_enterprise_for(actor)),
    forbidden_message=gettext_lazy("无权修改该单位的这条隐患。"),
    refused_message=gettext_lazy("无权保存该隐患。"),
    example_keys=frozenset({EXAMPLE_REF}),
    # Written in bulk (a campaign brings thousands of findings): the per-enterprise 外部编号 was checked against every
    # stored hazard by the dry run, and `_check` keeps 挂牌督办 to 重大隐患.
    bulk=True,
    preset_relations=("found_by",),
    checked_constraints=("hazards_external_ref_unique", "hazards_only_major_listed"),
    bulk_written=_written,
)


def dry_run(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Parse and validate; nothing is written."""
    return generic.dry_run(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)


def commit(*, actor: Any, handle: BinaryIO, extension: str, progress: Progress = silent) -> ImportResult:
    """Validate again and, only if no row has an error, save every new or changed hazard in one transaction."""
    return generic.commit(SPEC, actor=actor, handle=handle, extension=extension, progress=progress)


def template_workbook(*, enterprise: Enterprise | None = None) -> bytes:
    """The import template, its example row on `enterprise`."""
    return generic.template_workbook(SPEC, example=example_row(enterprise))
