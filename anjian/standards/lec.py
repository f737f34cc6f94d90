"""LEC (作业条件危险性评价法, Graham–Kinney): D = L × E × C, its five danger bands and the four-colour levels.

No national standard fixes the LEC values, bands or colour mapping. 安委办〔2016〕11号 requires four levels
(重大/较大/一般/低, 红/橙/黄/蓝) and leaves the method to enterprises and provinces. The value tables below are
the majority version of the published tables (anjian docs, shared standards.md §3.1, level S2); the band
boundaries' inclusivity and the four-level mapping are conventions (S1/S2), so both are parameters, and every
result records the mapping and method version that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING

from anjian.standards._errors import StandardsError
from anjian.standards._numbers import to_decimal
from anjian.standards.levels import RiskLevel

__all__ = [
    "C_VALUES",
    "DEFAULT_MAPPING",
    "DangerBand",
    "E_VALUES",
    "L_VALUES",
    "LecResult",
    "LevelMapping",
    "METHOD",
    "METHOD_VERSION",
    "assess",
    "band_for",
    "level_for",
]

METHOD = "LEC"
METHOD_VERSION = "1"
"""Bump when a value table or band changes, so stored assessments stay reproducible."""

# L — 事故发生的可能性: Graham–Kinney value table as in shared standards.md §3.1 (S2).
L_VALUES: Mapping[Decimal, str] = {
    Decimal("10"): "完全可以预料",
    Decimal("6"): "相当可能",
    Decimal("3"): "可能，但不经常",
    Decimal("1"): "可能性小，完全意外",
    Decimal("0.5"): "很不可能，可以设想",
    Decimal("0.2"): "极不可能",
    Decimal("0.1"): "实际不可能",
}

# E — 暴露于危险环境的频繁程度: Graham–Kinney value table as in shared standards.md §3.1 (S2).
E_VALUES: Mapping[Decimal, str] = {
    Decimal("10"): "连续暴露",
    Decimal("6"): "每天工作时间内暴露",
    Decimal("3"): "每周一次，或偶然暴露",
    Decimal("2"): "每月一次暴露",
    Decimal("1"): "每年几次暴露",
    Decimal("0.5"): "非常罕见地暴露",
}

# C — 发生事故可能造成的后果: Graham–Kinney value table as in shared standards.md §3.1 (S2).
C_VALUES: Mapping[Decimal, str] = {
    Decimal("100"): "大灾难，许多人死亡",
    Decimal("40"): "灾难，数人死亡",
    Decimal("15"): "非常严重，一人死亡",
    Decimal("7"): "严重，重伤",
    Decimal("3"): "重大，致残",
    Decimal("1"): "引人注目，需要救护",
}


class DangerBand(Enum):
    """The classic five D bands of Graham–Kinney (shared standards.md §3.1): boundaries 320, 160, 70, 20."""

    label: str
    lower_bound: Decimal

    def __new__(cls, value: int, label: str, lower_bound: str) -> DangerBand:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        member.lower_bound = Decimal(lower_bound)
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its value (see LabelledStrEnum in _enums.py).
        def __init__(self, value: object) -> None: ...

    # D > 320 (classic table, standards.md §3.1).
    EXTREME = (1, "极其危险，不能继续作业", "320")
    # 160 ~ 320.
    HIGH = (2, "高度危险，需立即整改", "160")
    # 70 ~ 160.
    SIGNIFICANT = (3, "显著危险，需要整改", "70")
    # 20 ~ 70.
    POSSIBLE = (4, "一般危险，需要注意", "20")
    # D < 20.
    SLIGHT = (5, "稍有危险，可以接受", "0")


def _reaches(d: Decimal, bound: Decimal, lower_inclusive: bool) -> bool:
    return d >= bound if lower_inclusive else d > bound


def band_for(d: Decimal | int | str, *, lower_inclusive: bool = True) -> DangerBand:
    """The classic danger band of D.

    The classic table does not say which band a boundary value (320, 160, 70, 20) belongs to. With
    ``lower_inclusive`` (the default, as in the "320 / 160–320 / 70–159 / 20–69 / <20" rendering) D = 160
    is 高度危险; with ``lower_inclusive=False`` (as in a published worked table that labels D = 20 稍有危险)
    a boundary value belongs to the lower band.
    """
    value = _check_d(d)
    for band in (DangerBand.EXTREME, DangerBand.HIGH, DangerBand.SIGNIFICANT, DangerBand.POSSIBLE):
        if _reaches(value, band.lower_bound, lower_inclusive):
            return band
    return DangerBand.SLIGHT


@dataclass(frozen=True)
class LevelMapping:
    """A mapping of D onto the four 双重预防 levels: a convention, not a standard (shared standards.md §3.1).

    D reaching ``major_from`` is MAJOR, ``high_from`` HIGH, ``moderate_from`` MODERATE, anything lower LOW;
    "reaching" means ≥ when ``lower_inclusive`` and > otherwise. ``name`` is stored with every result.
    """

    name: str
    major_from: Decimal
    high_from: Decimal
    moderate_from: Decimal
    lower_inclusive: bool = True

    def __post_init__(self) -> None:
        bounds = [to_decimal(value, "LEC 分级界限") for value in (self.major_from, self.high_from, self.moderate_from)]
        if not bounds[0] > bounds[1] > bounds[2] > 0:
            raise StandardsError(
                f"LEC 分级界限应满足 重大 > 较大 > 一般 > 0（收到 {bounds[0]}、{bounds[1]}、{bounds[2]}）",
                code="mapping_order",
            )
        object.__setattr__(self, "major_from", bounds[0])
        object.__setattr__(self, "high_from", bounds[1])
        object.__setattr__(self, "moderate_from", bounds[2])

    def level_for(self, d: Decimal | int | str) -> RiskLevel:
        value = _check_d(d)
        if _reaches(value, self.major_from, self.lower_inclusive):
            return RiskLevel.MAJOR
        if _reaches(value, self.high_from, self.lower_inclusive):
            return RiskLevel.HIGH
        if _reaches(value, self.moderate_from, self.lower_inclusive):
            return RiskLevel.MODERATE
        return RiskLevel.LOW


# The common 双重预防 mapping (S2 as a convention, shared standards.md §3.1): D ≥ 320 重大(红),
# 160 ≤ D < 320 较大(橙), 70 ≤ D < 160 一般(黄), D < 70 低(蓝).
DEFAULT_MAPPING = LevelMapping(
    name="LEC-320/160/70",
    major_from=Decimal("320"),
    high_from=Decimal("160"),
    moderate_from=Decimal("70"),
)


@dataclass(frozen=True)
class LecResult:
    """One LEC assessment with everything needed to reproduce it."""

    l: Decimal  # noqa: E741 - the method's own symbol
    e: Decimal
    c: Decimal
    d: Decimal
    band: DangerBand
    level: RiskLevel
    mapping: str
    bands_lower_inclusive: bool
    method: str = METHOD
    method_version: str = METHOD_VERSION


def _check_d(d: object) -> Decimal:
    value = to_decimal(d, "危险性分值D", allow_float=True)
    if value < 0:
        raise StandardsError(f"危险性分值D不能为负数（收到 {value}）", code="negative")
    return value


def _table_value(value: object, table: Mapping[Decimal, str], what: str) -> Decimal:
    number = to_decimal(value, what, allow_float=True)
    if number not in table:
        allowed = "、".join(str(key) for key in table)
        raise StandardsError(f"{what}取值 {number} 不在LEC取值表中；可取：{allowed}", code="not_in_table")
    return number


def level_for(d: Decimal | int | str, mapping: LevelMapping = DEFAULT_MAPPING) -> RiskLevel:
    """The four-level 双重预防 risk level of D by ``mapping`` (default: 320 / 160 / 70, lower bound inclusive)."""
    return mapping.level_for(d)


def assess(
    l: Decimal | int | float | str,  # noqa: E741 - the method's own symbol
    e: Decimal | int | float | str,
    c: Decimal | int | float | str,
    *,
    mapping: LevelMapping = DEFAULT_MAPPING,
    bands_lower_inclusive: bool = True,
) -> LecResult:
    """D = L × E × C with L, E, C from the LEC value tables (a value outside them is refused).

    Returns D (exact), its classic danger band and its four-level risk level under ``mapping``.
    """
    l_value = _table_value(l, L_VALUES, "可能性L")
    e_value = _table_value(e, E_VALUES, "暴露频繁程度E")
    c_value = _table_value(c, C_VALUES, "后果C")
    d = l_value * e_value * c_value
    return LecResult(
        l=l_value,
        e=e_value,
        c=c_value,
        d=d,
        band=band_for(d, lower_inclusive=bands_lower_inclusive),
        level=mapping.level_for(d),
        mapping=mapping.name,
        bands_lower_inclusive=bands_lower_inclusive,
    )
