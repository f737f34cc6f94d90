"""Hazard units of the demo city (issue 9 item 7): its 危险化学品 enterprises get storage and production units holding
real catalogue chemicals, so that the map has 重大危险源 of every level.

Enterprises the registry's generator flagged `major_hazard` get one major storage unit; the four recipes below are
worked so that GB 18218-2018 grades them 一级 to 四级 in turn (R = α·Σβq/Q against 表6), each quantity varied
within its band. The others get units below S = 1, manufacturers (industry 26) also a production unit, and one in
twenty a 甲醇 tank without a β, left in the "需补充危险性类别符号或β" state as real data would be. Chemicals the
tables give no β (甲醇, 汽油, 苯, 液化石油气) carry an assessor's β with its source, as a 安全评价报告 gives it.
Units and rows are written in bulk and graded by `grading.regrade_all`; the registrations get 包保责任 persons.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from anjian.core.bulk import update_fields
from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.demo import generated_enterprises
from anjian.hazchem import grading
from anjian.hazchem.models import Chemical, HazardUnit, MajorHazard, UnitChemical, UnitKind

ASSESSOR_SOURCE = "安全评价报告（演示数据）"
# (chemical, tonnes, β from the assessor or None where 表3 gives it), people within 500 m, and the level it grades.
MAJOR_RECIPES: tuple[tuple[str, tuple[tuple[str, int, Decimal | None], ...], int], ...] = (
    ("液氯储罐区", (("氯", 150, None),), 150),  # S = 30, α 2.0: R = 240 ≥ 100 → 一级
    ("液氨储罐区", (("氨", 200, None),), 60),  # S = 20, α 1.5: R = 60 → 二级
    ("液氯液氨罐区", (("氯", 10, None), ("氨", 20, None)), 120),  # α 2.0 × (4×2 + 2×2) = 24 → 三级
    ("液氨制冷机房", (("氨", 12, None),), 10),  # S = 1.2, α 1.0: R = 2.4 → 四级
)
MINOR_RECIPES: tuple[tuple[str, tuple[tuple[str, int, Decimal | None], ...]], ...] = (
    ("甲醇储罐区", (("甲醇", 120, Decimal(1)),)),  # Q 500 t
    ("成品油罐区", (("汽油", 60, Decimal(1)),)),  # Q 200 t
    ("溶剂仓库", (("苯", 15, Decimal(1)), ("甲醇", 20, Decimal(1)))),  # Q 50 t and 500 t
    ("液化气瓶库", (("液化石油气", 8, Decimal("1.5")),)),  # Q 50 t
)
PRODUCTION_RECIPE = ("合成车间", (("甲醇", 30, Decimal(1)), ("苯", 5, Decimal(1))))
NEEDS_BETA_RECIPE = ("甲醇中间罐", (("甲醇", 100, None),))
NEEDS_BETA_SHARE = 20  # one in twenty enterprises without a major hazard
SURNAMES = "陈李黄张梁刘何叶王林罗钟郑谢莫卢"
GIVEN = ("志强", "伟明", "建华", "国栋", "丽娟", "海燕", "永红", "俊杰", "晓东", "少芳", "锦辉", "家豪")


@dataclass
class UnitsDemoResult:
    units: int = 0
    rows: int = 0
    majors: dict[int, int] | None = None
    needs_beta: int = 0
    seconds: float = 0.0


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"


def hazchem_enterprises() -> QuerySet:
    return generated_enterprises().filter(domain=SupervisionDomain.HAZARDOUS_CHEMICALS)


def generate(*, seed: int) -> UnitsDemoResult:
    """Units for every generated 危险化学品 enterprise that has none, graded in bulk."""
    started = time.monotonic()
    rng = random.Random(f"hazchem-units-{seed}")
    chemicals = {chemical.name: chemical for chemical in Chemical.objects.filter(
        sub_row=1, name__in={name for _u, rows, *_ in (*MAJOR_RECIPES, *MINOR_RECIPES) for name, *_r in rows})}
    enterprises = list(hazchem_enterprises().order_by("pk").values_list("pk", "major_hazard", "industry_id"))
    units: list[HazardUnit] = []
    planned: list[list[tuple[str, int, Decimal | None]]] = []
    majors = 0
    needs_beta = 0
    for enterprise_id, flagged, industry in enterprises:
        def add(name: str, kind: str, rows: Any, people: int, *, enterprise_id: int = enterprise_id) -> None:
            units.append(HazardUnit(enterprise_id=enterprise_id, name=name, kind=kind, exposed_people=people,
                                    location=f"{rng.choice('东南西北')}区{rng.randint(1, 9)}号"))
            planned.append([(chemical, max(1, round(tonnes * rng.uniform(1.0, 1.2))), beta)
                            for chemical, tonnes, beta in rows])

        if flagged:
            name, rows, people = MAJOR_RECIPES[majors % len(MAJOR_RECIPES)]
            add(name, UnitKind.STORAGE, rows, people)
            majors += 1
        else:
            name, rows = MINOR_RECIPES[rng.randrange(len(MINOR_RECIPES))]
            add(name, UnitKind.STORAGE, rows, rng.randint(0, 300))
            if rng.randrange(NEEDS_BETA_SHARE) == 0:
                add(*NEEDS_BETA_RECIPE[:1], UnitKind.STORAGE, NEEDS_BETA_RECIPE[1], rng.randint(0, 300))
                needs_beta += 1
        if str(industry or "").startswith("26"):
            add(PRODUCTION_RECIPE[0], UnitKind.PRODUCTION, PRODUCTION_RECIPE[1], rng.randint(0, 300))
    with transaction.atomic():
        HazardUnit.objects.bulk_create(units, batch_size=1000)
        rows = [UnitChemical(unit=unit, chemical=chemicals[chemical], max_quantity_t=Decimal(tonnes), beta=beta,
                             assessor_source=ASSESSOR_SOURCE if beta is not None else "")
                for unit, unit_rows in zip(units, planned, strict=True) for chemical, tonnes, beta in unit_rows]
        UnitChemical.objects.bulk_create(rows, batch_size=2000)
        # These enterprises had no units before (generate_for_demo checks), so their units are exactly the new ones.
        grading.regrade_all(HazardUnit.objects.filter(enterprise__in=hazchem_enterprises()))
        registrations = list(MajorHazard.objects.filter(enterprise__in=hazchem_enterprises()).order_by("pk"))
        for registration in registrations:
            registration.principal_name, registration.principal_phone = _person(rng), _phone(rng)
            registration.technical_name, registration.technical_phone = _person(rng), _phone(rng)
            registration.operational_name, registration.operational_phone = _person(rng), _phone(rng)
        update_fields(MajorHazard, registrations, ("principal_name", "principal_phone", "technical_name",
                                                   "technical_phone", "operational_name", "operational_phone"))
    levels = dict.fromkeys(range(1, 5), 0)
    for level in MajorHazard.objects.filter(enterprise__in=hazchem_enterprises()).values_list("level", flat=True):
        levels[level] = levels.get(level, 0) + 1
    return UnitsDemoResult(units=len(units), rows=len(rows), majors=levels, needs_beta=needs_beta,
                           seconds=time.monotonic() - started)


def generate_for_demo(options: DemoOptions) -> str:
    """`anjian demo`'s step for hazard units: units for the demo city's 危险化学品 enterprises, once."""
    if HazardUnit._base_manager.filter(enterprise__in=hazchem_enterprises()).exists():
        return "演示企业已有危险化学品单元，不再生成。"
    if not hazchem_enterprises().exists():
        return "登记库中没有危险化学品演示企业，未生成危险化学品单元。"
    if not Chemical.objects.filter(name="氯").exists():
        return "危险化学品目录未加载（anjian load-reference），未生成危险化学品单元。"
    result = generate(seed=options.seed)
    levels = "、".join(f"{level}级 {count} 处" for level, count in (result.majors or {}).items())
    return (f"已生成危险化学品单元 {result.units} 个（物质 {result.rows} 条），重大危险源 {levels}，"
            f"需补充β {result.needs_beta} 个，用时 {result.seconds:.1f} 秒。")


def delete_generated_for(enterprise_ids: QuerySet) -> str:
    """`generate-demo --replace`: the generated enterprises' units, rows and registrations, set-based."""
    units = HazardUnit._base_manager.filter(enterprise__in=enterprise_ids)
    HazardUnit.key_processes.through.objects.filter(hazardunit__in=units)._raw_delete(connection.alias)
    UnitChemical.objects.filter(unit__in=units)._raw_delete(connection.alias)
    MajorHazard._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(connection.alias)
    count = units._raw_delete(connection.alias)
    return f"已删除演示企业的危险化学品单元 {count} 个。" if count else ""
