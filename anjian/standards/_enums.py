"""Enumerations whose members carry a Chinese label beside their stable code."""

from __future__ import annotations

from enum import StrEnum


class LabelledStrEnum(StrEnum):
    """Members are written `NAME = ("code", "中文标签")`; the code is the value, the label is for people."""

    label: str

    def __new__(cls, value: str, label: str) -> LabelledStrEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
