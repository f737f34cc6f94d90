"""The demo city's hazard history (issue 8 item 8): a year of self-inspections and hazards, generated in bulk.

Deterministic for a seed (its own `random.Random`, apart from the registry's), relative to the day it runs like the
registry's validity dates, so every demo has hazards due, overdue and closed "recently". About a third of the
enterprises (the operating ones, more of them in high-risk domains) have hazards, about five each over the year;
sources are mostly regulator inspection and self-inspection, 3–5 % are 重大, most are closed (some after their
deadline), some still being rectified, some overdue, and a few 重大 are listed for 挂牌督办 by the city or the town.
Enterprises in the high-risk domains get a monthly self-inspection schedule on a published checklist of their
domain (or a general one), and their filled checklists with every answer; each failed item is a hazard found by
the enterprise. Checklists come from `anjian load-reference`: without a published one no self-inspection is made.
Citizens' public reports (举报, issue 8 item 8) come in every state: each hazard found through a public report was
accepted from one (some with a reward recorded), others were dismissed with the reason in the public reply, and
the last fortnight's wait for triage.

Rows are written with one prepared statement per table (anjian.core.bulk: executemany on SQLite, COPY on
PostgreSQL) inside one transaction, without history rows: generated data has no history (its first change writes
a baseline, anjian.core.history).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from anjian.core.bulk import database_datetime, insert_prepared
from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import OperatingStatus, SupervisionDomain
from anjian.enterprises.models import Enterprise
from anjian.hazards import tally
from anjian.hazards.choices import (
    ChecklistStatus,
    CheckResult,
    Frequency,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardStatus,
    LadderStepKind,
    PublicReportStatus,
    SupervisionLevel,
)
from anjian.hazards.ladder import active_steps, next_notice_date
from anjian.hazards.models import (
    Checklist,
    ChecklistItem,
    Hazard,
    InspectionSchedule,
    LadderStep,
    PublicReport,
    SelfInspection,
    SelfInspectionAnswer,
)
from anjian.hazards.services_public import new_tracking_code

D = SupervisionDomain
C = HazardCategory

# Mixed in with the demo seed so this stream differs from the registry's.
SEED_SALT = 8_008
DAYS = 365
ENTERPRISE_SHARE = 0.30
HIGH_RISK = frozenset({D.HAZARDOUS_CHEMICALS, D.FIREWORKS, D.METALLURGY, D.NONFERROUS, D.CONSTRUCTION,
                       D.BUILDING_MATERIALS})
HIGH_RISK_SHARE = 0.8
HAZARDS_PER_YEAR = 5.0
# Of the enterprises with hazards, those with a monthly self-inspection schedule (high-risk domains first).
SCHEDULE_SHARE = {True: 0.15, False: 0.015}
MISSED_INSPECTION = 0.1
SOURCE_WEIGHTS = {HazardSource.INSPECTION: 45, HazardSource.SELF_INSPECTION: 30, HazardSource.GRID: 15,
                  HazardSource.PUBLIC_REPORT: 3, HazardSource.ALARM: 2, HazardSource.OTHER: 5}
MAJOR_SHARE = 0.04
# A failed check item: mostly none, sometimes one (an official 判定标准 item far more rarely).
FAIL_GENERAL, FAIL_MAJOR, NOT_APPLICABLE = 0.02, 0.002, 0.05
CLOSED_LATE_SHARE = 0.12
STILL_OPEN_PAST_DEADLINE = 0.03
AWAITING_VERIFICATION = 0.03
LISTED_SHARE = 0.35
CITY_LISTED_SHARE = 0.3

# (category, places, description, measures): what inspectors in a Dongguan factory commonly write down.
FINDINGS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (C.SITE_ELECTRICITY, ("一号车间", "二号车间", "配电房", "仓库"), "配电箱门未关闭，内部线路裸露，未设置警示标识",
     "更换配电箱门锁，整理线路并加装防护罩，张贴警示标识"),
    (C.SITE_ELECTRICITY, ("宿舍楼", "办公楼", "仓库"), "私拉乱接电线，使用不合格插线板",
     "拆除临时线路，由持证电工规范敷设并更换合格插座"),
    (C.SITE_FIRE, ("仓库", "成品仓", "原料仓"), "消防通道被货物堵塞，安全出口指示灯损坏",
     "清理通道货物，划定堆放区域，更换应急照明和疏散指示标志"),
    (C.SITE_FIRE, ("一号车间", "办公楼", "宿舍楼"), "灭火器压力不足、过期未检，消火栓箱内水带缺失",
     "更换过期灭火器，补齐水带水枪，建立每月检查记录"),
    (C.SITE_EQUIPMENT, ("冲压车间", "一号车间", "机加工车间"), "冲床光电保护装置失效，双手按钮被短接",
     "修复光电保护装置，恢复双手操作按钮，对操作人员重新培训"),
    (C.SITE_EQUIPMENT, ("机加工车间", "二号车间"), "砂轮机防护罩缺失，传动部位无防护",
     "加装砂轮机防护罩和传动部位防护栏"),
    (C.SITE_SPECIAL_EQUIPMENT, ("仓库", "装卸区"), "叉车未定期检验，司机无特种设备作业人员证",
     "叉车送检，安排持证司机驾驶，未取证人员停止作业"),
    (C.SITE_SPECIAL_EQUIPMENT, ("锅炉房", "空压机房"), "储气罐安全阀超期未校验，压力表损坏",
     "安全阀送检校验，更换压力表并建立定期检验台账"),
    (C.SITE_DUST, ("抛光车间", "打磨车间"), "除尘系统积尘未定期清理，未按规定设置泄爆装置",
     "清理除尘管道积尘，加装泄爆片，建立粉尘清扫制度"),
    (C.SITE_CONFINED_SPACE, ("污水池", "化粪池"), "有限空间作业未审批，未配备气体检测仪",
     "建立有限空间作业审批制度，配备气体检测仪和通风设备"),
    (C.SITE_HAZCHEM, ("化学品仓库", "调漆房"), "危险化学品混存，未设置防泄漏托盘，安全技术说明书缺失",
     "按禁忌分类分区存放，配置防泄漏托盘，补齐安全技术说明书"),
    (C.SITE_PREMISES, ("宿舍楼", "厂房"), "厂房内设置员工宿舍（“三合一”场所）",
     "搬离住宿人员，宿舍与生产区域实行防火分隔"),
    (C.SITE_BEHAVIOUR, ("焊接区", "一号车间"), "动火作业未办理审批手续，现场无监护人",
     "严格执行动火审批，配备监护人和灭火器材"),
    (C.SITE_OCCUPATIONAL_HEALTH, ("喷涂车间", "印刷车间"), "作业人员未佩戴防毒口罩，局部排风设施未开启",
     "发放合格防护用品，落实排风设施使用管理"),
    (C.BASIC_TRAINING, ("办公室",), "新入职员工未经三级安全教育即上岗，培训档案缺失",
     "组织补充三级安全教育并建立培训档案"),
    (C.BASIC_RESPONSIBILITY, ("办公室",), "未建立全员安全生产责任制，主要负责人职责不清",
     "制定全员安全生产责任制并逐级签订责任书"),
    (C.BASIC_EMERGENCY, ("办公室",), "生产安全事故应急预案未演练，未向主管部门备案",
     "组织应急演练并完成预案备案"),
    (C.BASIC_RECORDS, ("办公室",), "隐患排查治理台账记录不全，未落实闭环管理",
     "完善隐患排查治理台账，明确整改责任人和期限"),
    (C.BASIC_CONTRACTORS, ("厂区",), "外包施工单位未签订安全管理协议，现场无专人管理",
     "与外包单位签订安全管理协议，指定专人现场管理"),
)
# Public reports (举报): dismissed ones per accepted one, those still pending in the last PENDING_DAYS, the share of
# accepted ones rewarded, and the share leaving a phone number.
DISMISSED_PER_ACCEPTED = 0.4
PENDING_PER_ACCEPTED = 0.1
PENDING_DAYS = 14
REWARDED_SHARE = 0.3
CONTACT_SHARE = 0.6
REWARDS = (Decimal(200), Decimal(500), Decimal(1000))
MAJOR_REWARDS = (Decimal(2000), Decimal(5000), Decimal(10000))
# What a citizen writes (an accepted report's text is the finding it led to, in a citizen's words).
REPORTED_TEXTS = (
    "附近一家工厂{place}{description}，担心出事，请派人查一查。",
    "我在{place}干活，发现{description}，老板一直不处理。",
    "路过看到{place}{description}，希望有关部门尽快处理。",
)
PENDING_TEXTS = (
    "厂房里晚上住着工人，楼下就是仓库，堆满了纸箱和油漆。",
    "工业区里有家作坊在偷偷做烟花爆竹，晚上经常有人搬运。",
    "隔壁工厂的喷漆房没有排风，气味很大，工人都没戴口罩。",
    "一家物流仓库的消防通道被货车和货物堵死了，安全出口也锁着。",
    "工地的塔吊看起来很旧，昨天还听到异响，工人照样在下面干活。",
    "小区旁边的加油站晚上有人用塑料桶散装卖汽油。",
)
# (what was reported, the reason it was dismissed as the public page says it): generated data has no audit log, so
# the reason the service would keep there is the reply.
DISMISSED = (
    ("楼下餐馆的煤气罐放在门口，很危险。",
     "经核查，该事项属于燃气主管部门职责，不属于安全生产监管范围，已转交相关部门处理。"),
    ("工业区里有工厂半夜还在开工，噪音很大。", "经核查，举报内容为噪音扰民，不涉及安全生产隐患，不予受理。"),
    ("一家五金厂车间里的灭火器全部过期了。", "经现场核查，该厂灭火器已于上月更换，检查记录齐全，举报情况不属实。"),
    ("某工厂的围墙有裂缝，快要倒了。", "因举报地点不明确、联系举报人未果，暂无法核查，欢迎补充具体地址后重新举报。"),
)
REPORT_REPLIES = ("已受理，已责令企业限期整改。", "已受理，执法人员已到现场核查并督促整改。")
REWARD_NOTE = "经核查举报属实，按举报奖励办法给予奖励，已通过银行转账发放。"
SURNAMES = "陈李黄张梁刘林何罗王郑叶钟谢周吴杨邓卢冯"
GIVEN = "伟强明华建国志勇军平杰俊峰斌辉文浩宇鹏超丽敏静芳"


@dataclass
class HazardDemoResult:
    hazards: int = 0
    major: int = 0
    overdue: int = 0
    listed: int = 0
    schedules: int = 0
    inspections: int = 0
    answers: int = 0
    reports: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class _Enterprise:
    pk: int
    domain: str
    town: str
    region_code: str
    region_id: int


class _Generator:
    def __init__(self, *, seed: int, today: dt.date, steps: Sequence[LadderStep]) -> None:
        self.rng = random.Random(seed * 31 + SEED_SALT)  # noqa: S311 - demo data, not security
        self.today = today
        self.steps = list(steps)
        self.escalations = sorted((step for step in steps if step.kind == LadderStepKind.ESCALATION),
                                  key=lambda step: step.days)
        self.tz = timezone.get_current_timezone()
        self.sources = list(SOURCE_WEIGHTS)
        self.source_weights = list(SOURCE_WEIGHTS.values())

    def moment(self, day: dt.date, start_hour: int = 8, end_hour: int = 18) -> dt.datetime:
        hour = self.rng.randint(start_hour, end_hour - 1)
        return dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2))))

    def level_reached(self, days_late: int) -> str:
        label = ""
        for step in self.escalations:
            if step.days <= days_late and step.level_label:
                label = step.level_label
        return label

    def hazard(self, enterprise: _Enterprise, *, found: dt.datetime, source: str, major: bool,
               finding: tuple[str, tuple[str, ...], str, str] | None = None,
               criterion_item: int | None = None) -> dict[str, Any]:
        """One hazard's values, its progress decided by how long ago it was found."""
        rng = self.rng
        category, places, description, measures = finding or rng.choice(FINDINGS)
        found_day = timezone.localdate(found)
        values: dict[str, Any] = {
            "enterprise_id": enterprise.pk, "region_code": enterprise.region_code, "domain": enterprise.domain,
            "place": rng.choice(places), "description": description,
            "category": str(category), "level": HazardLevel.MAJOR if major else HazardLevel.GENERAL,
            "criterion_item_id": criterion_item, "source": str(source), "found_at": found, "external_ref": "",
            "status": HazardStatus.REPORTED, "overdue": False, "measures": "", "responsible": "", "funds": None,
            "deadline": None, "interim_measures": "", "assigned_at": None, "rectification": "", "rectified_at": None,
            "verification_note": "", "closed_at": None, "spot_check_note": "", "supervision_level": "",
            "supervising_unit": "", "supervision_target_date": None, "listed_at": None, "lifted_at": None,
            "next_notice_on": None, "escalation_level": "",
        }
        age = (self.today - found_day).days
        if age < 2 and rng.random() < 0.7:
            return values  # just found: the 五到位 plan is not in yet
        assigned_day = found_day + dt.timedelta(days=min(age, rng.randint(0, 2)))
        deadline = assigned_day + dt.timedelta(days=rng.randint(30, 90) if major else rng.choice((7, 10, 15, 20, 30)))
        values.update(
            status=HazardStatus.RECTIFYING, measures=measures, responsible=self.person(), deadline=deadline,
            funds=Decimal(rng.choice((500, 1000, 2000, 3000, 5000, 8000, 20000, 50000) if not major
                                     else (50000, 80000, 120000, 300000))),
            interim_measures="设置警戒区域，安排专人巡查" if major else "",
            assigned_at=self.moment(assigned_day),
        )
        draw = rng.random()
        # Past its deadline: nearly always rectified by now; not yet due: under way, 40 % already done.
        attempted = draw >= STILL_OPEN_PAST_DEADLINE if deadline < self.today else draw < 0.4
        if attempted:
            late = deadline < self.today and rng.random() < CLOSED_LATE_SHARE
            done = deadline + dt.timedelta(days=rng.randint(1, 20)) if late else (
                assigned_day + dt.timedelta(days=rng.randint(0, max((deadline - assigned_day).days, 0))))
            done = min(done, self.today)
            if done >= assigned_day and (done < self.today or rng.random() < 0.5):
                values.update(status=HazardStatus.RECTIFIED, rectification="已按整改措施完成整改，附整改后照片。",
                              rectified_at=self.moment(done))
                if late:
                    values["escalation_level"] = self.level_reached((done - deadline).days)
                verified = done + dt.timedelta(days=rng.randint(0, 5))
                if verified < self.today and rng.random() > AWAITING_VERIFICATION:
                    values.update(status=HazardStatus.CLOSED, verification_note="经现场复查，整改到位，同意销号。",
                                  closed_at=self.moment(verified))
        if values["status"] == HazardStatus.RECTIFYING and deadline < self.today:
            values.update(overdue=True, escalation_level=self.level_reached((self.today - deadline).days))
        if values["status"] == HazardStatus.RECTIFYING:
            values["next_notice_on"] = next_notice_date(deadline, values["status"], as_of=self.today,
                                                        steps=self.steps)
        return values

    def list_for_supervision(self, values: dict[str, Any], enterprise: _Enterprise) -> None:
        rng = self.rng
        city = rng.random() < CITY_LISTED_SHARE
        listed_day = timezone.localdate(values["found_at"]) + dt.timedelta(days=rng.randint(1, 7))
        if listed_day > self.today:
            return
        values.update(
            supervision_level=SupervisionLevel.CITY if city else SupervisionLevel.TOWN,
            supervising_unit="东莞市安全生产委员会办公室" if city else f"{enterprise.town}安全生产委员会办公室",
            supervision_target_date=values["deadline"] or listed_day + dt.timedelta(days=60),
            listed_at=self.moment(listed_day),
        )
        if values["status"] == HazardStatus.CLOSED:
            lifted = timezone.localdate(values["closed_at"]) + dt.timedelta(days=rng.randint(0, 10))
            if lifted < self.today:
                values["lifted_at"] = self.moment(lifted)


    def report(self, enterprise: _Enterprise, *, submitted: dt.datetime, description: str,
               place: str = "") -> PublicReport:
        """A citizen's report near `enterprise` (its village), pending; CONTACT_SHARE leave a phone number."""
        rng = self.rng
        contact = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < CONTACT_SHARE else ""
        return PublicReport(tracking_code=new_tracking_code(), region_id=enterprise.region_id, place=place,
                            description=description, contact=contact, submitted_at=submitted,
                            status=PublicReportStatus.PENDING)

    def public_reports(self, hazards: Sequence[dict[str, Any]], ids: Sequence[int],
                       enterprises: dict[int, _Enterprise]) -> list[PublicReport]:
        """Public reports in every state (issue 8 item 8): one accepted report behind each hazard found through a
        public report (a reward recorded for some of those closed), dismissed ones over the year, pending ones in
        the last PENDING_DAYS."""
        rng = self.rng
        reports: list[PublicReport] = []
        for values, hazard_id in zip(hazards, ids, strict=True):
            if values["source"] != HazardSource.PUBLIC_REPORT:
                continue
            found = values["found_at"]
            text = rng.choice(REPORTED_TEXTS).format(place=values["place"], description=values["description"])
            report = self.report(enterprises[values["enterprise_id"]], description=text, place=values["place"],
                                 submitted=found - dt.timedelta(minutes=rng.randint(120, 72 * 60)))
            report.status, report.hazard_id, report.decided_at = PublicReportStatus.ACCEPTED, hazard_id, found
            report.public_reply = rng.choice(REPORT_REPLIES)
            if values["status"] == HazardStatus.CLOSED and rng.random() < REWARDED_SHARE:
                major = values["level"] == HazardLevel.MAJOR
                report.reward_amount = rng.choice(MAJOR_REWARDS if major else REWARDS)
                report.reward_note = REWARD_NOTE
            reports.append(report)
        places = list(enterprises.values())
        if not places:
            return reports
        accepted = len(reports)
        for _report in range(max(3, round(accepted * DISMISSED_PER_ACCEPTED))):
            text, reply = rng.choice(DISMISSED)
            submitted = self.moment(self.today - dt.timedelta(days=rng.randint(PENDING_DAYS, DAYS)))
            report = self.report(rng.choice(places), submitted=submitted, description=text)
            report.status, report.public_reply = PublicReportStatus.REJECTED, reply
            report.decided_at = submitted + dt.timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
            reports.append(report)
        for _report in range(max(3, round(accepted * PENDING_PER_ACCEPTED))):
            submitted = self.moment(self.today - dt.timedelta(days=rng.randint(0, PENDING_DAYS - 1)))
            reports.append(self.report(rng.choice(places), submitted=min(submitted, timezone.now()),
                                       description=rng.choice(PENDING_TEXTS)))
        return reports


def _enterprises() -> list[_Enterprise]:
    rows = (Enterprise._base_manager.filter(operating_status=OperatingStatus.OPERATING)
            .order_by("pk").values_list("pk", "domain", "region__parent__name", "region__code", "region_id"))
    return [_Enterprise(pk=pk, domain=domain, town=town or "", region_code=code, region_id=region_id)
            for pk, domain, town, code, region_id in rows]


def _checklists() -> tuple[dict[str, int], dict[int, list[tuple[int, bool]]]]:
    """Published checklists by domain ("" for general ones; the first by code), and each one's (item id, major)."""
    by_domain: dict[str, int] = {}
    for pk, domain in Checklist._base_manager.filter(status=ChecklistStatus.PUBLISHED).order_by("code").values_list(
            "pk", "domain"):
        by_domain.setdefault(domain, pk)
    items: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for pk, checklist_id, major in ChecklistItem._base_manager.filter(checklist_id__in=by_domain.values()).order_by(
            "checklist_id", "number").values_list("pk", "checklist_id", "major"):
        items[checklist_id].append((pk, major))
    return {domain: pk for domain, pk in by_domain.items() if items[pk]}, items


def _last_id(model: type[models.Model]) -> int:
    return model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def _inserted_ids(model: type[models.Model], after: int, count: int) -> list[int]:
    """The ids of the `count` rows just inserted, in insertion order: one statement in this transaction hands out
    increasing keys (SQLite's rowid, PostgreSQL's identity sequence)."""
    ids = list(model._base_manager.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True))
    if len(ids) != count:
        raise RuntimeError(f"{model.__name__}: {len(ids)} rows after id {after}, {count} inserted")
    return ids


HAZARD_FIELDS = ("created", "updated", "enterprise", "region_code", "domain", "place", "description", "category",
                 "level", "criterion_item", "source", "found_at", "external_ref", "status", "overdue", "measures",
                 "responsible", "funds", "deadline", "interim_measures", "assigned_at", "rectification", "rectified_at",
                 "verification_note", "closed_at", "spot_check_note", "supervision_level", "supervising_unit",
                 "supervision_target_date", "listed_at", "lifted_at", "next_notice_on", "escalation_level")


DATETIME_FIELDS = frozenset({"found_at", "assigned_at", "rectified_at", "closed_at", "listed_at", "lifted_at"})
HAZARD_COLUMNS = tuple(f"{name}_id" if name in ("enterprise", "criterion_item") else name for name in HAZARD_FIELDS)


def _hazard_row(values: dict[str, Any], stamp: dt.datetime | None) -> list[Any]:
    return [stamp, stamp, *(database_datetime(values[name]) if name in DATETIME_FIELDS else values[name]
                            for name in HAZARD_COLUMNS[2:])]


INSPECTION_FIELDS = ("created", "updated", "enterprise", "schedule", "checklist", "period_start", "performed_at",
                     "failed_count", "note")
ANSWER_FIELDS = ("created", "updated", "inspection", "item", "result", "note", "hazard")


def generate(*, seed: int, today: dt.date | None = None) -> HazardDemoResult:
    """Generate the hazard history of the enterprises in the registry (see the module docstring).

    The ids of the rows inserted here are read back in insertion order, to link answers to their inspections and
    failed answers to their hazards.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    result = HazardDemoResult()
    generator = _Generator(seed=seed, today=today, steps=active_steps())
    rng = generator.rng
    stamp = timezone.now()
    by_domain, items = _checklists()
    first_day = today - dt.timedelta(days=DAYS)
    hazards: list[dict[str, Any]] = []
    scheduled: list[tuple[_Enterprise, int]] = []
    with_schedule: set[int] = set()
    enterprises = {enterprise.pk: enterprise for enterprise in _enterprises()}
    for enterprise in enterprises.values():
        high_risk = enterprise.domain in HIGH_RISK
        if rng.random() >= (HIGH_RISK_SHARE if high_risk else ENTERPRISE_SHARE):
            continue
        checklist = by_domain.get(enterprise.domain) or by_domain.get("")
        if checklist is not None and rng.random() < SCHEDULE_SHARE[high_risk]:
            scheduled.append((enterprise, checklist))
            with_schedule.add(enterprise.pk)
        count = max(0, round(rng.gauss(HAZARDS_PER_YEAR, 2)))
        for _hazard in range(count):
            source = rng.choices(generator.sources, generator.source_weights)[0]
            if source == HazardSource.SELF_INSPECTION and enterprise.pk in with_schedule:
                continue  # a scheduled enterprise's own findings come from its filled checklists below
            found = generator.moment(first_day + dt.timedelta(days=rng.randint(0, DAYS)))
            major = rng.random() < MAJOR_SHARE
            values = generator.hazard(enterprise, found=found, source=source, major=major)
            if major and values["status"] != HazardStatus.REPORTED and rng.random() < LISTED_SHARE:
                generator.list_for_supervision(values, enterprise)
            hazards.append(values)

    with transaction.atomic():
        inspection_before, hazard_before = _last_id(SelfInspection), _last_id(Hazard)
        schedules = InspectionSchedule._base_manager.bulk_create(
            InspectionSchedule(enterprise_id=enterprise.pk, checklist_id=checklist, frequency=Frequency.MONTHLY,
                               starts_on=first_day.replace(day=1), responsible=generator.person())
            for enterprise, checklist in scheduled
        )
        result.schedules = len(schedules)
        inspections: list[tuple] = []
        answers: list[list[Any]] = []  # [inspection index, item id, result, hazard index or None]
        for schedule, (enterprise, checklist) in zip(schedules, scheduled, strict=True):
            month = first_day.replace(day=1)
            while month <= today:
                last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
                if rng.random() < MISSED_INSPECTION or month > today:
                    month = last + dt.timedelta(days=1)
                    continue
                day = month + dt.timedelta(days=rng.randint(0, (min(last, today) - month).days))
                performed = generator.moment(day)
                index = len(inspections)
                failed = 0
                for item, major in items[checklist]:
                    draw = rng.random()
                    outcome = CheckResult.PASS
                    hazard_index = None
                    if draw < (FAIL_MAJOR if major else FAIL_GENERAL):
                        outcome = CheckResult.FAIL
                        failed += 1
                        values = generator.hazard(enterprise, found=performed, source=HazardSource.SELF_INSPECTION,
                                                  major=major, criterion_item=item if major else None)
                        hazard_index = len(hazards)
                        hazards.append(values)
                    elif draw > 1 - NOT_APPLICABLE:
                        outcome = CheckResult.NOT_APPLICABLE
                    answers.append([index, item, str(outcome), hazard_index])
                inspections.append((enterprise.pk, schedule.pk, checklist, month, database_datetime(performed),
                                    failed, ""))
                month = last + dt.timedelta(days=1)
        when = database_datetime(stamp)
        result.inspections = insert_prepared(SelfInspection, INSPECTION_FIELDS,
                                             [(when, when, *row) for row in inspections])
        inspection_ids = _inserted_ids(SelfInspection, inspection_before, result.inspections)

        result.hazards = insert_prepared(Hazard, HAZARD_FIELDS, [_hazard_row(values, when) for values in hazards])
        ids = _inserted_ids(Hazard, hazard_before, result.hazards)
        result.answers = insert_prepared(SelfInspectionAnswer, ANSWER_FIELDS, [
            (when, when, inspection_ids[index], item, outcome, "", None if hazard is None else ids[hazard])
            for index, item, outcome, hazard in answers
        ])
        result.reports = len(PublicReport._base_manager.bulk_create(
            generator.public_reports(hazards, ids, enterprises), batch_size=2000))
        # The hazards were inserted without Hazard.save(): the statistics' running counts are taken again.
        tally.rebuild()
    result.major = sum(values["level"] == HazardLevel.MAJOR for values in hazards)
    result.overdue = sum(values["overdue"] for values in hazards)
    result.listed = sum(bool(values["supervision_level"]) and values["lifted_at"] is None for values in hazards)
    result.seconds = time.perf_counter() - started
    return result


def delete_generated_for(enterprise_ids: models.QuerySet) -> str:
    """`generate-demo --replace` (issue 8 item 8): delete the demo city's hazards, self-inspections, schedules and
    public reports before its enterprises go, then count the hazards again (anjian.hazards.tally).

    Set-based statements on subqueries of `enterprise_ids` (the generated enterprises), no per-row signals: the demo
    city holds a million hazards. The public reports deleted are those accepted into the deleted hazards (the demo
    city's triage) and the ones this generator wrote without a hazard (its fixed texts); any other report stays.
    Another record linked to a deleted hazard loses the link, as it would through the admin (SET_NULL). Answers a
    line for the terminal.
    """
    from anjian.hazards.models import HistoricalHazard

    hazards = Hazard._base_manager.filter(enterprise__in=enterprise_ids)
    hazard_ids = hazards.values("pk")
    texts = [*PENDING_TEXTS, *(text for text, _reply in DISMISSED)]
    reports = PublicReport._base_manager.filter(
        models.Q(hazard__in=hazard_ids) | models.Q(hazard__isnull=True, description__in=texts)
    )
    deleted_reports = reports._raw_delete(connection.alias)
    inspections = SelfInspection._base_manager.filter(enterprise__in=enterprise_ids)
    SelfInspectionAnswer._base_manager.filter(inspection__in=inspections.values("pk"))._raw_delete(connection.alias)
    deleted_inspections = inspections._raw_delete(connection.alias)
    deleted_schedules = InspectionSchedule._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(
        connection.alias)
    for relation in Hazard._meta.related_objects:
        if relation.on_delete is models.SET_NULL:
            relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": hazard_ids}).update(
                **{relation.field.name: None})
    HistoricalHazard._base_manager.filter(
        models.Q(id__in=hazard_ids) | models.Q(enterprise_id__in=enterprise_ids))._raw_delete(connection.alias)
    deleted_hazards = hazards._raw_delete(connection.alias)
    tally.rebuild()
    if not (deleted_hazards or deleted_inspections or deleted_schedules or deleted_reports):
        return ""
    return (f"已删除此前生成的隐患 {deleted_hazards} 条、企业自查 {deleted_inspections} 次、自查计划 "
            f"{deleted_schedules} 个、群众举报 {deleted_reports} 条。")


def generate_for_demo(options: DemoOptions) -> str:
    """`anjian demo`'s step for hazards: a year of history when there is none yet."""
    count = Hazard._base_manager.count()
    if count:
        return f"隐患库已有 {count} 条隐患，不再生成演示数据。"
    if not Enterprise._base_manager.exists():
        return "登记库中没有企业，未生成隐患演示数据。"
    result = generate(seed=options.seed)
    checklists = f"，自查计划 {result.schedules} 个、企业自查 {result.inspections} 次" if result.schedules else (
        "（没有在用的排查清单，未生成企业自查）")
    return (
        f"已生成隐患 {result.hazards} 条（重大 {result.major} 条、逾期 {result.overdue} 条、"
        f"挂牌督办中 {result.listed} 条）{checklists}，群众举报 {result.reports} 条，用时 {result.seconds:.1f} 秒。"
    )
