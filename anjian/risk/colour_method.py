"""The four-colour method of enterprises, villages and towns (issue 9 item 5): pure Python over plain values.

安委办〔2016〕11号 fixes the four levels and their colours (重大 红, 较大 橙, 一般 黄, 低 蓝) but no method for
grading a whole enterprise or a region; neither does any national standard. The rules below are this platform's
own, named METHOD and versioned METHOD_VERSION / REGION_METHOD_VERSION: every stored result keeps the name and the
version it was computed with, and any change to a rule or a threshold must raise the version, so a past colour can
be told apart from a present one and reproduced.

An enterprise has two colours:

- the **inherent** colour (固有风险): the worst colour of its assessed risk units (风险点, item 4), raised by what it
  is: the level of its 危险化学品重大危险源 (GB 18218-2018, kept by anjian.hazchem.grading), the 两重点一重大 flags
  and the 工贸 key flags (粉尘涉爆, 涉氨制冷);
- the **dynamic** colour (动态风险): the inherent colour raised one step for each kind of recent fact that shows the
  risk is not under control: an open 重大隐患, open hazards past their rectification deadline.
  Open alarms (monitoring) and penalties (enforcement) are named by the issue as well, but those modules do not
  exist yet: the method does not use them and says nothing about them. They plug in as rules in DYNAMIC_RULES over
  new fields of `Facts`, with METHOD_VERSION raised.

Every rule that applies is reported as a reason {code, text, from, to, stage}, also when the colour was already as
high (from == to), so the enterprise page shows everything that bears on the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

METHOD = "anjian-enterprise-colour"
METHOD_VERSION = "1"
REGION_METHOD = "anjian-region-colour"
REGION_METHOD_VERSION = "2"

RED, ORANGE, YELLOW, BLUE = "red", "orange", "yellow", "blue"
# Most severe last: a colour's index is its severity (安委办〔2016〕11号: 重大 > 较大 > 一般 > 低).
ORDER = (BLUE, YELLOW, ORANGE, RED)
SEVERITY = {colour: index for index, colour in enumerate(ORDER)}
NAMES = {RED: "红", ORANGE: "橙", YELLOW: "黄", BLUE: "蓝"}

INHERENT = "inherent"
DYNAMIC = "dynamic"


def worst(*colours: str) -> str:
    """The most severe of `colours` (blank values ignored; blue when none)."""
    present = [colour for colour in colours if colour]
    return max(present, key=SEVERITY.__getitem__) if present else BLUE


def raised(colour: str, steps: int = 1) -> str:
    """`colour` raised `steps` levels, red at most."""
    return ORDER[min(SEVERITY[colour] + steps, len(ORDER) - 1)]


@dataclass(frozen=True)
class Profile:
    """What the enterprise is: its units' worst assessed colour (blank when none is assessed) and its flags."""

    worst_unit: str = ""
    assessed_units: int = 0
    major_hazard: bool = False
    major_hazard_level: int | None = None  # 一级 = 1 … 四级 = 4 (GB 18218-2018 4.2), None when unknown or none
    key_process: bool = False
    key_chemical: bool = False
    dust_explosion: bool = False
    ammonia_refrigeration: bool = False


@dataclass(frozen=True)
class Facts:
    """What happened lately (counts as of the computation). Alarms and penalties are not here yet: see the module
    docstring."""

    open_major_hazards: int = 0
    overdue_hazards: int = 0


def inputs_text(profile: Profile, facts: Facts) -> str:
    """The inputs of a grading in one short line, stored with the result (architecture rule 4: a past grade can be
    reproduced) and compared by the nightly run: equal inputs and version give an equal result, so it is not graded
    again."""
    flags = "".join("1" if value else "0" for value in (profile.major_hazard, profile.key_process,
                                                        profile.key_chemical, profile.dust_explosion,
                                                        profile.ammonia_refrigeration))
    return (f"worst={profile.worst_unit or '-'} units={profile.assessed_units} "
            f"level={profile.major_hazard_level or '-'} flags={flags} open_major={facts.open_major_hazards} "
            f"overdue={facts.overdue_hazards}")


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    before: str
    after: str
    stage: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "from": self.before, "to": self.after, "stage": self.stage}


@dataclass(frozen=True)
class Result:
    inherent: str
    dynamic: str
    reasons: tuple[Reason, ...]

    def reasons_as_dicts(self) -> list[dict[str, str]]:
        return [reason.as_dict() for reason in self.reasons]


@dataclass(frozen=True)
class Floor:
    """An inherent rule: when `applies`, the colour is at least `colour`."""

    code: str
    colour: str
    applies: Callable[[Profile], bool]
    text: Callable[[Profile], str]


_LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

INHERENT_FLOORS: tuple[Floor, ...] = (
    # 一级 and 二级 重大危险源 (GB 18218-2018 4.2, R ≥ 50) can cause a 重大 or 特别重大 accident: 重大风险.
    Floor("major_hazard_high", RED, lambda p: p.major_hazard_level in (1, 2),
          lambda p: f"{_LEVEL_NAMES[p.major_hazard_level]}危险化学品重大危险源"),
    # 三级 and 四级, or a 重大危险源 whose level is not known yet: 较大风险 at least.
    Floor("major_hazard", ORANGE, lambda p: p.major_hazard_level in (3, 4)
          or (p.major_hazard and p.major_hazard_level is None),
          lambda p: (f"{_LEVEL_NAMES[p.major_hazard_level]}危险化学品重大危险源" if p.major_hazard_level
                     else "危险化学品重大危险源（级别未定）")),
    # 两重点一重大 (安监总管三〔2011〕95号 and the 重点监管 lists): the regulator's key objects, 较大风险 at least.
    Floor("key_process", ORANGE, lambda p: p.key_process, lambda p: "涉及重点监管危险化工工艺"),
    Floor("key_chemical", ORANGE, lambda p: p.key_chemical, lambda p: "涉及重点监管危险化学品"),
    # 工贸 key fields (工贸企业重大事故隐患判定标准, 应急管理部令第10号 2023): an explosion or a release can kill
    # several people, so never 低风险.
    Floor("dust_explosion", YELLOW, lambda p: p.dust_explosion, lambda p: "粉尘涉爆"),
    Floor("ammonia_refrigeration", YELLOW, lambda p: p.ammonia_refrigeration, lambda p: "涉氨制冷"),
)


@dataclass(frozen=True)
class Step:
    """A dynamic rule: when `applies`, the colour is raised one step (red at most)."""

    code: str
    applies: Callable[[Facts], bool]
    text: Callable[[Facts], str]


DYNAMIC_RULES: tuple[Step, ...] = (
    # An open 重大隐患 (by its field's 判定标准) means a serious accident may happen now (issue 9 item 5).
    Step("open_major_hazard", lambda f: f.open_major_hazards > 0,
         lambda f: f"未销号重大隐患 {f.open_major_hazards} 项"),
    # Hazards left unrectified past their deadline show the controls are not working.
    Step("overdue_hazards", lambda f: f.overdue_hazards > 0, lambda f: f"逾期未整改隐患 {f.overdue_hazards} 项"),
    # Open alarms (monitoring) and penalties (enforcement) plug in here once those modules exist (issue 9 item 5).
)


def grade_enterprise(profile: Profile, facts: Facts) -> Result:
    """The enterprise's inherent and dynamic colours with every reason (see the module docstring)."""
    reasons: list[Reason] = []
    if profile.worst_unit:
        colour = profile.worst_unit
        reasons.append(Reason("worst_unit", f"{profile.assessed_units} 个已评估风险点中最高为{NAMES[colour]}色",
                              "", colour, INHERENT))
    else:
        # Nothing assessed says nothing about the risk: the lowest colour, and a reason that says why.
        colour = BLUE
        reasons.append(Reason("no_assessed_units", "尚无已评估的风险点", "", colour, INHERENT))
    for floor in INHERENT_FLOORS:
        if floor.applies(profile):
            after = worst(colour, floor.colour)
            reasons.append(Reason(floor.code, f"{floor.text(profile)}：至少为{NAMES[floor.colour]}色",
                                  colour, after, INHERENT))
            colour = after
    inherent = colour
    for step in DYNAMIC_RULES:
        if step.applies(facts):
            after = raised(colour)
            reasons.append(Reason(step.code, f"{step.text(facts)}：提高一级", colour, after, DYNAMIC))
            colour = after
    return Result(inherent=inherent, dynamic=colour, reasons=tuple(reasons))


# --- regions ------------------------------------------------------------------------------------------------------

# A region's colour from the mix of its enterprises' dynamic colours, by shares only. Version 1 also counted (ten
# red enterprises made a red area, any red an orange one, any orange a yellow one): in a town of 5,000 enterprises
# that painted every town red on the demo city's map, which then told a regulator nothing. The red and orange
# enterprises themselves stay visible as the map's points and in the ranking's counts.
RED_SHARE = Decimal("0.05")      # 5 % of the region's enterprises red: 重大风险 area
ORANGE_SHARE = Decimal("0.12")   # 12 % red or orange: 较大风险 area
YELLOW_SHARE = Decimal("0.30")   # 30 % red, orange or yellow: 一般风险 area


@dataclass(frozen=True)
class RegionResult:
    colour: str  # blank when the region has no enterprise in operation
    reason: str


def grade_region(counts: dict[str, int]) -> RegionResult:
    """The colour of a village or town from the counts of its enterprises' colours (those in operation)."""
    red, orange, yellow = counts.get(RED, 0), counts.get(ORANGE, 0), counts.get(YELLOW, 0)
    total = red + orange + yellow + counts.get(BLUE, 0)
    if total == 0:
        return RegionResult("", "无在业单位")
    if red >= RED_SHARE * total:
        return RegionResult(RED, f"红色单位 {red} 家，占 {red / total:.0%}")
    if red + orange >= ORANGE_SHARE * total:
        return RegionResult(ORANGE, f"红、橙色单位 {red + orange} 家，占 {(red + orange) / total:.0%}")
    at_least_yellow = red + orange + yellow
    if at_least_yellow >= YELLOW_SHARE * total:
        return RegionResult(YELLOW, f"黄色及以上单位 {at_least_yellow} 家，占 {at_least_yellow / total:.0%}")
    return RegionResult(BLUE, f"黄色及以上单位占比不足 {YELLOW_SHARE:.0%}")
