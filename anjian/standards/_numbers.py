"""Conversion of caller-supplied numbers to exact types, refusing what would lose exactness."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from anjian.standards._errors import StandardsError


def to_decimal(value: object, what: str, *, allow_float: bool = False) -> Decimal:
    """Return ``value`` as a finite Decimal; ``what`` names the quantity in the Chinese error message.

    Binary floats are refused unless ``allow_float``: 0.1 + 0.2 != 0.3 in floats, and the standards compare
    sums against thresholds exactly. Where the value must then equal one of a few table values (LEC), a float
    is taken by its shortest decimal repr, which is what the caller typed.
    """
    if isinstance(value, bool):
        raise StandardsError(f"{what}应为数值，不能是真/假值", code="not_a_number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise StandardsError(f"{what}「{value}」不是有效的数值", code="not_a_number") from None
    elif isinstance(value, float) and allow_float:
        result = Decimal(repr(value))
    elif isinstance(value, float):
        raise StandardsError(
            f"{what}请以十进制数（Decimal 或数字字符串）给出，不接受二进制浮点数 {value!r}，以免舍入误差影响判定",
            code="float_refused",
        )
    else:
        raise StandardsError(f"{what}应为数值，收到的是 {type(value).__name__}", code="not_a_number")
    if not result.is_finite():
        raise StandardsError(f"{what}必须是有限的数值", code="not_a_number")
    return result


def to_fraction(value: object, what: str) -> Fraction:
    """Return ``value`` (Fraction, Decimal, int or numeric string) as an exact Fraction."""
    if isinstance(value, Fraction):
        return value
    return Fraction(to_decimal(value, what))


def to_count(value: object, what: str) -> int:
    """Return ``value`` as a non-negative whole number of people (or events)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise StandardsError(f"{what}应为整数", code="not_an_integer")
    if value < 0:
        raise StandardsError(f"{what}不能为负数（收到 {value}）", code="negative")
    return value
