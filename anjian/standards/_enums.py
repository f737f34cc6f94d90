"""Enumerations whose members carry a Chinese label beside their stable code."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Self


class LabelledStrEnum(StrEnum):
    """Members are written `NAME = ("code", "中文标签")`; the code is the value, the label is for people."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    if TYPE_CHECKING:  # pragma: no cover - for type checkers only
        # Calling the class looks a member up by its code: once the members are built, EnumType replaces the
        # __new__ above with Enum.__new__(cls, value). Mypy would read the member-building __new__ as the call
        # signature; declaring the lookup one here makes it use this instead (it prefers __init__ when a class
        # defines both). Type checkers only: at run time the class has no __init__ of its own.
        def __init__(self, value: object) -> None: ...
