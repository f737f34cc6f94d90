"""The demo city's risk units (issue 9 item 7): every operating hazardous-chemicals enterprise and a share of the
others get risk units, each assessed once (LEC or the risk matrix, under the mapping and scheme in force) so that all
four colours occur, with two or three control measures, one of them checked monthly (a check item).

Deterministic for a seed (its own `random.Random`). The results are computed by anjian.standards once per distinct
input, not per row. Rows are written with one prepared statement per table (COPY on PostgreSQL, executemany on
SQLite) inside one transaction, without history rows, as anjian.hazards.demo writes its year of hazards.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from anjian.core.bulk import database_datetime, insert_prepared
from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import OperatingStatus, SupervisionDomain
from anjian.enterprises.models import Enterprise
from anjian.risk.choices import CheckCycle, ControlLevel, MeasureKind, RiskUnitKind
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.risk.services import lec_mapping, ls_scheme
from anjian.standards import lec, risk_matrix

SEED_SALT = 9_004
OTHER_SHARE = 0.2
UNITS = (2, 5)
ASSESSORS = ("安全部", "安全管理员", "第三方评价机构", "车间主任")
LEVELS = tuple(ControlLevel.values)

# (name, kind, location, hazard factors, accident types, warning signs): units typical of the domain.
HAZCHEM_UNITS = (
    ("液氨储罐区", RiskUnitKind.AREA, "厂区东侧", "液氨储罐、管道、阀门泄漏", "中毒和窒息、火灾、爆炸",
     "当心中毒、禁止烟火"),
    ("甲醇装卸站", RiskUnitKind.INSTALLATION, "罐区南侧", "装卸软管破裂、静电", "火灾、爆炸", "禁止烟火、当心火灾"),
    ("反应釜（聚合）", RiskUnitKind.INSTALLATION, "生产车间一楼", "超温超压、搅拌失效", "爆炸、灼烫", "当心爆炸"),
    ("危化品仓库", RiskUnitKind.AREA, "仓库A区", "混存、通风不良", "火灾、中毒和窒息", "禁止烟火、当心中毒"),
    ("动火作业", RiskUnitKind.JOB, "全厂", "可燃气体积聚、未办理作业票", "火灾、爆炸", "禁止烟火"),
    ("受限空间作业", RiskUnitKind.JOB, "储罐、管沟", "缺氧、有毒气体", "中毒和窒息", "当心缺氧"),
)
GENERAL_UNITS = (
    ("配电房", RiskUnitKind.AREA, "一号厂房北侧", "带电设备、绝缘老化", "触电、火灾", "当心触电"),
    ("冲压机", RiskUnitKind.INSTALLATION, "冲压车间", "安全光幕失效、违规操作", "机械伤害", "当心机械伤人"),
    ("叉车作业", RiskUnitKind.JOB, "仓储区", "视线受阻、超速", "车辆伤害", "当心车辆"),
    ("高处作业", RiskUnitKind.JOB, "厂房屋面", "未系安全带、临边无防护", "高处坠落", "必须系安全带"),
    ("空压机房", RiskUnitKind.INSTALLATION, "动力车间", "压力容器超压", "容器爆炸、噪声", "当心爆炸"),
    ("粉尘作业区", RiskUnitKind.AREA, "打磨车间", "可燃粉尘积聚", "粉尘爆炸、火灾", "禁止烟火"),
    ("行车吊装", RiskUnitKind.JOB, "装配车间", "钢丝绳磨损、吊物下站人", "起重伤害", "当心吊物"),
)
MEASURES = {
    MeasureKind.ENGINEERING: "设置可燃有毒气体检测报警装置并与联锁系统连接",
    MeasureKind.MANAGEMENT: "严格执行作业票证制度，作业前进行风险辨识",
    MeasureKind.TRAINING: "岗位人员每年接受安全操作规程培训并考核合格",
    MeasureKind.PPE: "作业人员按规定佩戴防护用品",
    MeasureKind.EMERGENCY: "配备应急器材，每半年组织一次应急演练",
}
EMERGENCY = "立即停止作业，切断危险源，疏散人员并报告值班负责人；必要时拨打119、120。"
# Inputs that give each colour under the default mapping (LEC 320/160/70) and scheme A; recomputed below under the
# settings in force, so a colour is what the standards say, never assumed. Weights: mostly low and general risks.
LEC_INPUTS = ((("6", "6", "15"), 3), (("3", "6", "15"), 8), (("3", "3", "15"), 25), (("1", "6", "7"), 64))
LS_INPUTS = (((5, 4), 3), ((3, 4), 8), ((2, 3), 25), ((1, 2), 64))


@dataclass
class RiskDemoResult:
    units: int = 0
    assessments: int = 0
    measures: int = 0
    colours: dict[str, int] | None = None
    seconds: float = 0.0


def _results() -> dict[tuple[str, tuple], tuple[str, str, str, str, str]]:
    """Each demo input's (method version, scheme, score, colour, inputs JSON) under the settings in force."""
    mapping, scheme = lec_mapping(), ls_scheme()
    results = {}
    for (l_value, e_value, c_value), _weight in LEC_INPUTS:
        result = lec.assess(l_value, e_value, c_value, mapping=mapping)
        results[("LEC", (l_value, e_value, c_value))] = (
            result.method_version, result.mapping, str(result.d), result.level.colour,
            json.dumps({"L": str(result.l), "E": str(result.e), "C": str(result.c), "band": result.band.label},
                       ensure_ascii=False))
    for (l_value, s_value), _weight in LS_INPUTS:
        result = risk_matrix.assess(l_value, s_value, scheme=scheme)
        results[("LS", (l_value, s_value))] = (
            result.method_version, f"LS-{scheme.name}", str(result.r), result.level.colour,
            json.dumps({"L": l_value, "S": s_value}))
    return results


# 镇街 code: the first 9 digits of a 12-digit division code.
TOWN_CODE_LENGTH = 9
# Each town's demo assessments lean safer or riskier by a factor drawn in this range: a town's severe results are
# weighted by factor ** severity (blue 0 … red 3), so the towns of the demo map differ as real ones do (a chemical park
# beside residential streets) instead of all showing the city's average.
TOWN_FACTOR = (0.45, 1.75)
SEVERITY = {"blue": 0, "yellow": 1, "orange": 2, "red": 3}


def _town_weights(results: dict, towns: list[str], rng: random.Random) -> dict[str, dict[str, tuple[list, list]]]:
    """Per method and town: the demo inputs and their weights, leaned by the town's factor."""
    by_method: dict[str, dict[str, tuple[list, list]]] = {"LEC": {}, "LS": {}}
    for town in towns:
        factor = rng.uniform(*TOWN_FACTOR)
        for method, inputs in (("LEC", LEC_INPUTS), ("LS", LS_INPUTS)):
            keys = [(method, values) for values, _weight in inputs]
            leaned = [weight * factor ** SEVERITY[results[key][3]] for key, (_values, weight) in zip(keys, inputs,
                                                                                                    strict=True)]
            by_method[method][town] = (keys, leaned)
    return by_method


def generate(*, seed: int, today: dt.date | None = None) -> RiskDemoResult:
    started = time.perf_counter()
    rng = random.Random(seed * 1_000_003 + SEED_SALT)
    today = today or timezone.localdate()
    results = _results()
    result = RiskDemoResult(colours={})
    enterprises = list(Enterprise._base_manager.filter(operating_status=OperatingStatus.OPERATING)
                       .order_by("pk").values_list("pk", "domain", "region__code"))
    chosen = [(pk, domain, code[:TOWN_CODE_LENGTH]) for pk, domain, code in enterprises
              if domain == SupervisionDomain.HAZARDOUS_CHEMICALS or rng.random() < OTHER_SHARE]
    weights = _town_weights(results, sorted({town for _pk, _domain, town in chosen}), rng)
    stamp = database_datetime(timezone.now())
    units: list[list[Any]] = []
    plans: list[tuple[int, tuple[str, tuple], dt.date]] = []
    for pk, domain, town in chosen:
        catalogue = HAZCHEM_UNITS if domain == SupervisionDomain.HAZARDOUS_CHEMICALS else GENERAL_UNITS
        for name, kind, location, factors, accidents, signs in rng.sample(catalogue, rng.randint(*UNITS)):
            method = "LEC" if rng.random() < 0.5 else "LS"
            keys, town_weights = weights[method][town]
            key = rng.choices(keys, town_weights)[0]
            assessed_on = today - dt.timedelta(days=rng.randint(0, 360))
            colour = results[key][3]
            units.append([stamp, stamp, pk, name, kind, location, factors, accidents, rng.choice(LEVELS),
                          rng.choice("陈李黄张梁刘林何") + rng.choice("伟强明华建国志勇"), EMERGENCY, "0769-2283" +
                          f"{rng.randint(0, 9999):04d}", signs, colour, assessed_on])
            plans.append((pk, key, assessed_on))
    names = ("created", "updated", "enterprise_id", "name", "kind", "location", "hazard_factors", "accident_types",
             "control_level", "responsible_person", "emergency_measures", "emergency_phone", "warning_signs",
             "colour", "assessed_on")
    with transaction.atomic():
        after = RiskUnit._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        insert_prepared(RiskUnit, names, units)
        ids = list(RiskUnit._base_manager.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True))
        if len(ids) != len(units):
            raise RuntimeError(f"RiskUnit: {len(ids)} rows after id {after}, {len(units)} inserted")
        assessments, measures = [], []
        for unit_id, (enterprise_id, key, assessed_on) in zip(ids, plans, strict=True):
            version, scheme, score, colour, inputs = results[key]
            assessments.append([stamp, stamp, enterprise_id, unit_id, key[0], version, scheme, inputs, score, colour,
                                rng.choice(ASSESSORS), assessed_on])
            result.colours[colour] = result.colours.get(colour, 0) + 1
            kinds = rng.sample(list(MeasureKind.values), rng.randint(2, 3))
            for number, kind in enumerate(kinds):
                cycle = CheckCycle.MONTHLY if number == 0 else ""
                measures.append([stamp, stamp, enterprise_id, unit_id, kind, MEASURES[kind], rng.choice(LEVELS),
                                 "", cycle, ""])
        insert_prepared(RiskAssessment, ("created", "updated", "enterprise_id", "unit_id", "method", "method_version",
                                         "scheme", "inputs", "score", "colour", "assessor_name", "assessed_on"),
                        assessments)
        insert_prepared(ControlMeasure, ("created", "updated", "enterprise_id", "unit_id", "kind", "description",
                                         "level", "responsible", "check_cycle", "check_content"), measures)
    result.units, result.assessments, result.measures = len(units), len(assessments), len(measures)
    result.seconds = time.perf_counter() - started
    return result


def delete_generated_for(enterprise_ids: models.QuerySet) -> str:
    """`generate-demo --replace`: delete the demo city's risk records before its enterprises go (set-based)."""
    alias = connection.alias
    MeasureCheck._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(alias)
    ControlMeasure.history.model._base_manager.filter(enterprise_id__in=enterprise_ids)._raw_delete(alias)
    ControlMeasure._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(alias)
    RiskAssessment._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(alias)
    RiskUnit.history.model._base_manager.filter(enterprise_id__in=enterprise_ids)._raw_delete(alias)
    deleted = RiskUnit._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(alias)
    return f"已删除此前生成的风险点 {deleted} 个。" if deleted else ""


def generate_for_demo(options: DemoOptions) -> str:
    """`anjian demo`'s step for risk units: assessed units when there are none yet."""
    count = RiskUnit._base_manager.count()
    if count:
        return f"已有风险点 {count} 个，不再生成演示数据。"
    if not Enterprise._base_manager.exists():
        return "登记库中没有企业，未生成风险点演示数据。"
    result = generate(seed=options.seed)
    colours = "、".join(f"{label} {result.colours.get(value, 0)}" for value, label in
                        (("red", "红"), ("orange", "橙"), ("yellow", "黄"), ("blue", "蓝")))
    return (f"已生成风险点 {result.units} 个（{colours}），评估 {result.assessments} 次，"
            f"管控措施 {result.measures} 条，用时 {result.seconds:.1f} 秒。")


__all__ = ["delete_generated_for", "generate", "generate_for_demo"]
