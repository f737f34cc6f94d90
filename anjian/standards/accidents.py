"""Accident grading and reporting duties (《生产安全事故报告和调查处理条例》, 国务院令第493号), and GB 6441 codes.

* :func:`grade` — 条例 第三条: the grade is the highest that any of deaths, serious injuries (重伤, including
  急性工业中毒) or direct economic loss reaches; "以上" includes the number, "以下" excludes it.
* :func:`deadlines` — 条例 第九、十、十一、十三条: the unit's 1-hour report, the level-by-level escalation (each level
  within 2 hours) up to the level the grade requires, and the window for re-reporting casualty changes
  (30 days; 7 days for road traffic and fire accidents).
* :func:`regrade` — 条例 第十三、二十条: whether a casualty change falls inside that window and so changes the grade.
* :class:`Category1986`, :class:`BasicType2025`, :class:`InjuryDegree2025` — GB 6441-1986 categories and the
  GB 6441-2025 codes.

Times are aware datetimes; this module never reads the clock. Day counting follows 《民法典》第二百零一条 (the day
the accident happens is not counted; the period starts the next day) and 第二百零三条 (a period ends at 24:00 of
its last day), applied in the time zone of the ``occurred_at`` given (pass Asia/Shanghai local time). The
holiday extension of 第二百零三条第一款 is not applied: the window delimits which casualty changes count towards
the accident, it is not the due date of an act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from enum import Enum, StrEnum
from typing import TYPE_CHECKING

from anjian.standards._enums import LabelledStrEnum
from anjian.standards._errors import StandardsError
from anjian.standards._numbers import to_count, to_decimal

__all__ = [
    "AccidentGrade",
    "AccidentGrading",
    "AccidentKind",
    "AuthorityLevel",
    "BasicType2025",
    "CasualtyChange",
    "Category1986",
    "Criterion",
    "Escalation",
    "InjuryDegree2025",
    "METHOD",
    "METHOD_VERSION",
    "ReportingDeadlines",
    "casualty_update_until",
    "deadlines",
    "grade",
    "regrade",
]

METHOD = "《生产安全事故报告和调查处理条例》（国务院令第493号）"
METHOD_VERSION = "1"

# 条例 第九条: the unit head reports within 1 hour of receiving the report.
UNIT_REPORT_LIMIT = timedelta(hours=1)
# 条例 第十一条: "每级上报的时间不得超过2小时".
ESCALATION_LIMIT = timedelta(hours=2)
# 条例 第十三条: casualty changes within 30 days are re-reported; road traffic and fire accidents: 7 days.
CASUALTY_UPDATE_DAYS = 30
CASUALTY_UPDATE_DAYS_ROAD_FIRE = 7


class AccidentGrade(StrEnum):
    """条例 第三条 grades, least to most severe, with the government that investigates each (第十九条)."""

    label: str
    severity: int
    investigated_by: str

    def __new__(cls, value: str, label: str, severity: int, investigated_by: str) -> AccidentGrade:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.severity = severity
        member.investigated_by = investigated_by
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its value (see LabelledStrEnum in _enums.py).
        def __init__(self, value: object) -> None: ...

    # 条例 第三条 第一款 (四) 一般事故; 第十九条: 县级人民政府 investigates.
    GENERAL = ("general", "一般事故", 1, "事故发生地县级人民政府")
    # 条例 第三条 第一款 (三) 较大事故; 第十九条: 设区的市级人民政府.
    LARGER = ("larger", "较大事故", 2, "事故发生地设区的市级人民政府")
    # 条例 第三条 第一款 (二) 重大事故; 第十九条: 省级人民政府.
    MAJOR = ("major", "重大事故", 3, "事故发生地省级人民政府")
    # 条例 第三条 第一款 (一) 特别重大事故; 第十九条: 国务院或者国务院授权有关部门.
    ESPECIALLY_MAJOR = ("especially_major", "特别重大事故", 4, "国务院或者国务院授权有关部门")


class Criterion(LabelledStrEnum):
    """The three criteria of 条例 第三条, joined by "或者"."""

    DEATHS = ("deaths", "死亡人数")
    SERIOUS_INJURIES = ("serious_injuries", "重伤人数（包括急性工业中毒）")
    DIRECT_LOSS = ("direct_loss", "直接经济损失")


# 条例 第三条 第一款: the lower bound of each grade above 一般 ("以上" includes the number), per criterion.
_THRESHOLDS: dict[Criterion, tuple[tuple[AccidentGrade, Decimal], ...]] = {
    Criterion.DEATHS: (
        (AccidentGrade.ESPECIALLY_MAJOR, Decimal(30)),  # (一) 30人以上死亡
        (AccidentGrade.MAJOR, Decimal(10)),  # (二) 10人以上30人以下死亡
        (AccidentGrade.LARGER, Decimal(3)),  # (三) 3人以上10人以下死亡
    ),
    Criterion.SERIOUS_INJURIES: (
        (AccidentGrade.ESPECIALLY_MAJOR, Decimal(100)),  # (一) 100人以上重伤
        (AccidentGrade.MAJOR, Decimal(50)),  # (二) 50人以上100人以下重伤
        (AccidentGrade.LARGER, Decimal(10)),  # (三) 10人以上50人以下重伤
    ),
    Criterion.DIRECT_LOSS: (
        (AccidentGrade.ESPECIALLY_MAJOR, Decimal(100_000_000)),  # (一) 1亿元以上直接经济损失
        (AccidentGrade.MAJOR, Decimal(50_000_000)),  # (二) 5000万元以上1亿元以下
        (AccidentGrade.LARGER, Decimal(10_000_000)),  # (三) 1000万元以上5000万元以下
    ),
}


@dataclass(frozen=True)
class AccidentGrading:
    """The grade and which criteria decided it.

    ``criteria`` lists every criterion that reaches ``grade`` (in the order deaths, serious injuries, direct
    loss) and ``criterion`` is the first of them; both are empty/None for a 一般事故, which no criterion lifts.
    """

    grade: AccidentGrade
    criterion: Criterion | None
    criteria: tuple[Criterion, ...]
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    method: str = METHOD + " 第三条"
    method_version: str = METHOD_VERSION


def _grade_by(criterion: Criterion, value: Decimal) -> AccidentGrade:
    for accident_grade, lower_bound in _THRESHOLDS[criterion]:
        if value >= lower_bound:
            return accident_grade
    return AccidentGrade.GENERAL


def grade(deaths: int = 0, serious_injuries: int = 0, direct_loss_yuan: Decimal | int | str = 0) -> AccidentGrading:
    """Grade an accident by 条例 第三条: the highest grade any of the three criteria reaches.

    特别重大: ≥ 30 deaths, ≥ 100 serious injuries or ≥ 1亿元; 重大: ≥ 10, ≥ 50 or ≥ 5000万元; 较大: ≥ 3, ≥ 10 or
    ≥ 1000万元; otherwise 一般. Serious injuries include acute industrial poisoning (急性工业中毒).
    """
    values = {
        Criterion.DEATHS: Decimal(to_count(deaths, "死亡人数")),
        Criterion.SERIOUS_INJURIES: Decimal(to_count(serious_injuries, "重伤人数")),
        Criterion.DIRECT_LOSS: to_decimal(direct_loss_yuan, "直接经济损失（元）"),
    }
    if values[Criterion.DIRECT_LOSS] < 0:
        raise StandardsError(f"直接经济损失不能为负数（收到 {values[Criterion.DIRECT_LOSS]} 元）", code="negative")
    reached = {criterion: _grade_by(criterion, value) for criterion, value in values.items()}
    highest = max(reached.values(), key=lambda accident_grade: accident_grade.severity)
    criteria = tuple(c for c, g in reached.items() if g is highest and highest is not AccidentGrade.GENERAL)
    return AccidentGrading(
        grade=highest,
        criterion=criteria[0] if criteria else None,
        criteria=criteria,
        deaths=int(values[Criterion.DEATHS]),
        serious_injuries=int(values[Criterion.SERIOUS_INJURIES]),
        direct_loss_yuan=values[Criterion.DIRECT_LOSS],
    )


class AccidentKind(LabelledStrEnum):
    """The kinds 条例 第十三条 distinguishes for the casualty-update window."""

    ROAD_TRAFFIC = ("road_traffic", "道路交通事故")
    FIRE = ("fire", "火灾事故")
    OTHER = ("other", "其他事故")


class AuthorityLevel(StrEnum):
    """The levels of 安全生产监督管理部门 a report climbs (条例 第十条)."""

    label: str
    authority: str

    def __new__(cls, value: str, label: str, authority: str) -> AuthorityLevel:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.authority = authority
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its value (see LabelledStrEnum in _enums.py).
        def __init__(self, value: object) -> None: ...

    COUNTY = ("county", "县级", "事故发生地县级以上人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门")
    CITY = ("city", "设区的市级", "设区的市级人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门")
    PROVINCE = (
        "province",
        "省级",
        "省、自治区、直辖市人民政府安全生产监督管理部门和负有安全生产监督管理职责的有关部门",
    )
    STATE_COUNCIL = ("state_council", "国务院", "国务院安全生产监督管理部门和负有安全生产监督管理职责的有关部门")


# 条例 第十条: 一般 → up to 设区的市级; 较大 → up to 省级; 重大 and 特别重大 → up to 国务院.
_HIGHEST_LEVEL = {
    AccidentGrade.GENERAL: AuthorityLevel.CITY,
    AccidentGrade.LARGER: AuthorityLevel.PROVINCE,
    AccidentGrade.MAJOR: AuthorityLevel.STATE_COUNCIL,
    AccidentGrade.ESPECIALLY_MAJOR: AuthorityLevel.STATE_COUNCIL,
}
_CHAIN = (AuthorityLevel.COUNTY, AuthorityLevel.CITY, AuthorityLevel.PROVINCE, AuthorityLevel.STATE_COUNCIL)


@dataclass(frozen=True)
class Escalation:
    """One step of 条例 第十条 escalation: ``sender`` reports to ``receiver`` by ``report_by`` (≤ ``limit``)."""

    sender: AuthorityLevel
    receiver: AuthorityLevel
    report_by: datetime
    limit: timedelta


@dataclass(frozen=True)
class ReportingDeadlines:
    """The reporting duties of one accident (条例 第九、十、十一、十三条).

    ``casualty_update_until`` is the end of the casualty-update window as an instant: 24:00 of its last day,
    i.e. the first instant of the following day; a change at that instant or later is outside the window.
    """

    occurred_at: datetime
    grade: AccidentGrade
    kind: AccidentKind
    unit_report_by: datetime
    unit_report_to: AuthorityLevel
    escalations: tuple[Escalation, ...]
    highest_level: AuthorityLevel
    casualty_update_days: int
    casualty_update_until: datetime
    method: str = METHOD + " 第九、十、十一、十三条"
    method_version: str = METHOD_VERSION


def _aware(value: object, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise StandardsError(f"{what}应为日期时间", code="not_a_datetime")
    if value.utcoffset() is None:
        raise StandardsError(f"{what}须带时区（如 Asia/Shanghai），不接受无时区的时间", code="naive_datetime")
    return value


def _later(start: datetime, duration: timedelta) -> datetime:
    """``start`` + elapsed ``duration``, computed in UTC so a zone's offset changes cannot distort it."""
    return (start.astimezone(UTC) + duration).astimezone(start.tzinfo)


def _kind(kind: object) -> AccidentKind:
    try:
        return AccidentKind(kind)
    except ValueError:
        raise StandardsError(
            f"事故种类「{kind}」无法识别：应为 road_traffic（道路交通）、fire（火灾）或 other（其他）",
            code="unknown_kind",
        ) from None


def _grade_of(value: object) -> AccidentGrade:
    try:
        return AccidentGrade(value)
    except ValueError:
        raise StandardsError(
            f"事故等级「{value}」无法识别：应为 general、larger、major 或 especially_major", code="unknown_grade"
        ) from None


def casualty_update_until(occurred_at: datetime, kind: AccidentKind | str) -> datetime:
    """The end of the 条例 第十三条 casualty-update window: 30 days, 7 for road traffic and fire accidents.

    Counted by 《民法典》第二百零一、二百零三条 in the time zone of ``occurred_at``: the day of the accident is not
    counted, and the window ends at 24:00 of its last day, returned as the first instant of the next day. A fire
    on 1 March at 10:00 may have casualty changes counted until 9 March 00:00 (days 2–8 March); a death on
    9 March, "day 8", is outside the window.
    """
    start = _aware(occurred_at, "事故发生时间")
    days = CASUALTY_UPDATE_DAYS if _kind(kind) is AccidentKind.OTHER else CASUALTY_UPDATE_DAYS_ROAD_FIRE
    last_day = start.date() + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=start.tzinfo)


def deadlines(
    occurred_at: datetime,
    grade: AccidentGrade | str,
    kind: AccidentKind | str,
    *,
    reported_to_unit_at: datetime | None = None,
) -> ReportingDeadlines:
    """The reporting deadlines of an accident under 条例 第九、十、十一、十三条.

    * 第九条: people on site report to the unit head at once; the unit head reports within 1 hour to the
      county-level (县级以上) 安全生产监督管理部门 and the departments concerned. The hour runs from the moment the
      unit head is told (``reported_to_unit_at``), taken as ``occurred_at`` when not given, since the on-site
      report is due "立即".
    * 第十条 and 第十一条: the departments escalate level by level, each level within 2 hours, up to 设区的市级 for
      一般, 省级 for 较大, and 国务院 for 重大 and 特别重大. Each step's deadline here is cumulative from the unit's
      deadline (county → city by +2 h, city → province by +4 h, province → 国务院 by +6 h): the latest time at
      which that level has the report if every earlier level used its full time. A level that receives the
      report earlier has 2 hours from then; 第十条 also allows skipping levels when necessary.
    * 第十三条: the casualty-update window (see :func:`casualty_update_until`).
    """
    start = _aware(occurred_at, "事故发生时间")
    told = start if reported_to_unit_at is None else _aware(reported_to_unit_at, "单位负责人接到报告的时间")
    if told < start:
        raise StandardsError("单位负责人接到报告的时间不能早于事故发生时间", code="time_order")
    accident_grade = _grade_of(grade)
    accident_kind = _kind(kind)
    unit_report_by = _later(told, UNIT_REPORT_LIMIT)
    highest = _HIGHEST_LEVEL[accident_grade]
    steps = _CHAIN[: _CHAIN.index(highest) + 1]
    escalations = tuple(
        Escalation(
            sender=sender,
            receiver=receiver,
            report_by=_later(unit_report_by, ESCALATION_LIMIT * step),
            limit=ESCALATION_LIMIT,
        )
        for step, (sender, receiver) in enumerate(zip(steps, steps[1:], strict=False), start=1)
    )
    days = CASUALTY_UPDATE_DAYS if accident_kind is AccidentKind.OTHER else CASUALTY_UPDATE_DAYS_ROAD_FIRE
    return ReportingDeadlines(
        occurred_at=start,
        grade=accident_grade,
        kind=accident_kind,
        unit_report_by=unit_report_by,
        unit_report_to=AuthorityLevel.COUNTY,
        escalations=escalations,
        highest_level=highest,
        casualty_update_days=days,
        casualty_update_until=casualty_update_until(start, accident_kind),
    )


@dataclass(frozen=True)
class CasualtyChange:
    """What a casualty change means for the accident's grade (条例 第十三、二十条).

    ``within_window`` — the change happened before the end of the casualty-update window, so it counts.
    ``counts_grade`` — the grade the new counts reach on their own.
    ``grade`` — the accident's grade after the change: ``counts_grade`` when within the window, else the
    original grade (a change after the window is not counted towards the accident).
    ``regraded`` — ``grade`` differs from the original. ``higher_authority_may_investigate`` — the grade rose,
    so a higher-level government is competent and may organise the investigation itself (第二十条).
    """

    original_grade: AccidentGrade
    changed_at: datetime
    window_ends: datetime
    within_window: bool
    counts_grade: AccidentGrading
    grade: AccidentGrade
    regraded: bool
    higher_authority_may_investigate: bool
    method: str = METHOD + " 第十三、二十条"
    method_version: str = METHOD_VERSION


def regrade(
    original_grade: AccidentGrade | str,
    occurred_at: datetime,
    kind: AccidentKind | str,
    changed_at: datetime,
    deaths: int,
    serious_injuries: int,
    direct_loss_yuan: Decimal | int | str = 0,
) -> CasualtyChange:
    """Whether casualty counts that changed at ``changed_at`` re-grade the accident (条例 第十三、二十条).

    The counts are the accident's totals after the change. Inside the window of :func:`casualty_update_until`
    the accident takes the grade of the new counts; after it, the original grade stands. The worked case: a fire
    whose eighth day after the accident brings a death is outside the 7-day window and is not re-graded.
    """
    original = _grade_of(original_grade)
    start = _aware(occurred_at, "事故发生时间")
    changed = _aware(changed_at, "伤亡人数变化的时间")
    if changed < start:
        raise StandardsError("伤亡人数变化的时间不能早于事故发生时间", code="time_order")
    window_ends = casualty_update_until(start, kind)
    within = changed < window_ends
    counts = grade(deaths=deaths, serious_injuries=serious_injuries, direct_loss_yuan=direct_loss_yuan)
    new_grade = counts.grade if within else original
    return CasualtyChange(
        original_grade=original,
        changed_at=changed,
        window_ends=window_ends,
        within_window=within,
        counts_grade=counts,
        grade=new_grade,
        regraded=new_grade is not original,
        higher_authority_may_investigate=new_grade.severity > original.severity,
    )


class Category1986(Enum):
    """GB 6441-1986《企业职工伤亡事故分类》 第2章: the 20 accident categories, numbered in the standard's order."""

    label: str

    def __new__(cls, value: int, label: str) -> Category1986:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its value (see LabelledStrEnum in _enums.py).
        def __init__(self, value: object) -> None: ...

    STRUCK_BY_OBJECT = (1, "物体打击")
    VEHICLE = (2, "车辆伤害")
    MACHINERY = (3, "机械伤害")
    LIFTING = (4, "起重伤害")
    ELECTROCUTION = (5, "触电")
    DROWNING = (6, "淹溺")
    BURN = (7, "灼烫")
    FIRE = (8, "火灾")
    FALL_FROM_HEIGHT = (9, "高处坠落")
    COLLAPSE = (10, "坍塌")
    ROOF_FALL = (11, "冒顶片帮")
    WATER_INRUSH = (12, "透水")
    BLASTING = (13, "放炮")
    EXPLOSIVE_EXPLOSION = (14, "火药爆炸")
    GAS_EXPLOSION = (15, "瓦斯爆炸")
    BOILER_EXPLOSION = (16, "锅炉爆炸")
    VESSEL_EXPLOSION = (17, "容器爆炸")
    OTHER_EXPLOSION = (18, "其他爆炸")
    POISONING_ASPHYXIATION = (19, "中毒和窒息")
    OTHER_INJURY = (20, "其他伤害")


class BasicType2025(LabelledStrEnum):
    """GB 6441-2025 4.1.2 表1 basic accident types with their 5.3 codes: "WSA1" + 序号 0001–0026, 其他 0099."""

    STRUCK_BY_OBJECT = ("WSA10001", "物体打击")
    IN_PLANT_VEHICLE = ("WSA10002", "厂(场)内车辆致害")
    ROAD_OR_RAIL_VEHICLE = ("WSA10003", "道路(轨道)车辆致害")
    MACHINERY = ("WSA10004", "机械致害")
    LIFTING = ("WSA10005", "起重致害")
    ELECTRIC_SHOCK = ("WSA10006", "触电")
    DROWNING = ("WSA10007", "淹溺")
    BURN = ("WSA10008", "灼烫")
    FIRE = ("WSA10009", "火灾")
    FALL_FROM_HEIGHT = ("WSA10010", "高处坠落")
    FALL = ("WSA10011", "跌落")
    COLLAPSE = ("WSA10012", "坍塌")
    FLOODING = ("WSA10013", "水害")
    VESSEL_EXPLOSION = ("WSA10014", "容器爆炸")
    PIPELINE_EXPLOSION = ("WSA10015", "管道爆炸")
    FLAMMABLE_GAS_EXPLOSION = ("WSA10016", "可燃气体爆炸")
    FLAMMABLE_VAPOUR_EXPLOSION = ("WSA10017", "可燃液体蒸气爆炸")
    DUST_EXPLOSION = ("WSA10018", "粉尘爆炸")
    CIVIL_EXPLOSIVE_EXPLOSION = ("WSA10019", "民用爆炸物品爆炸")
    FIREWORKS_EXPLOSION = ("WSA10020", "烟花爆竹爆炸")
    OTHER_SOLID_EXPLOSION = ("WSA10021", "其他可燃固体爆炸")
    MOLTEN_MATERIAL_EXPLOSION = ("WSA10022", "高温熔融物爆炸")
    POISONING = ("WSA10023", "中毒")
    ASPHYXIATION = ("WSA10024", "窒息")
    LANDSLIDE = ("WSA10025", "滑坡")
    LEAKAGE = ("WSA10026", "泄漏")
    OTHER = ("WSA10099", "其他")


class InjuryDegree2025(LabelledStrEnum):
    """GB 6441-2025 4.2 表2 injury-degree classes with their 5.4 codes WSA20001–WSA20004."""

    NO_CASUALTY = ("WSA20001", "零伤亡事故")
    MINOR_INJURY = ("WSA20002", "轻伤事故")
    SERIOUS_INJURY = ("WSA20003", "重伤事故")
    FATAL = ("WSA20004", "死亡事故")
