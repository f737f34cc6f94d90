"""The four risk levels of 双重预防 (安委办〔2016〕11号): 重大/较大/一般/低, coloured 红/橙/黄/蓝.

安委办〔2016〕11号《关于实施遏制重特大事故工作指南构建双重预防机制的意见》 fixes the four levels and their
colours but no method or threshold; :mod:`anjian.standards.lec` and :mod:`anjian.standards.risk_matrix` map
their scores onto these levels.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING


class RiskLevel(StrEnum):
    """A 双重预防 risk level with its Chinese label, colour and severity (4 = most severe)."""

    label: str
    colour: str
    colour_label: str
    severity: int

    def __new__(cls, value: str, label: str, colour: str, colour_label: str, severity: int) -> RiskLevel:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.colour = colour
        member.colour_label = colour_label
        member.severity = severity
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its value (see LabelledStrEnum in _enums.py).
        def __init__(self, value: object) -> None: ...

    # 安委办〔2016〕11号 二(二): 重大风险 红、较大风险 橙、一般风险 黄、低风险 蓝.
    MAJOR = ("major", "重大风险", "red", "红", 4)
    HIGH = ("high", "较大风险", "orange", "橙", 3)
    MODERATE = ("moderate", "一般风险", "yellow", "黄", 2)
    LOW = ("low", "低风险", "blue", "蓝", 1)
