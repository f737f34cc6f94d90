"""GB 32100-2015《法人和其他组织统一社会信用代码编码规则》: validation and the check character.

The code has 18 characters from a 31-character set (digits and capital letters except I, O, Z, S, V):
position 1 登记管理部门代码, 2 机构类别代码, 3–8 登记管理机关行政区划码 (digits, GB/T 2260), 9–17 主体标识码
(组织机构代码, GB 11714), 18 校验码. The check character is C18 = 31 − MOD(Σ Ci×Wi, 31) for i = 1..17 with
Wi = 3^(i−1) mod 31, and a value of 31 written as 0.
"""

from __future__ import annotations

from anjian.standards._errors import StandardsError

__all__ = ["CHARSET", "LENGTH", "WEIGHTS", "check_character", "validate"]

# GB 32100-2015 表1 代码字符集: each character's value is its index (0–9 → 0–9, A → 10 … Y → 30).
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 校验码计算: Wi = MOD(3^(i−1), 31) for positions i = 1..17 (表2 各位置序号上的加权因子).
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 32100-2015 代码结构: 18 characters.
LENGTH = 18
# GB 32100-2015 代码结构: positions 3–8 are the 登记管理机关行政区划码, six digits (0-based slice 2:8).
_DIVISION_CODE = slice(2, 8)
_NAME = "统一社会信用代码"


def _check_characters(text: str) -> None:
    for position, char in enumerate(text, start=1):
        if char not in CHARSET:
            raise StandardsError(
                f"{_NAME}第{position}位字符“{char}”不合法：只能使用数字和除 I、O、Z、S、V 以外的大写字母",
                code="uscc_character",
            )
        if _DIVISION_CODE.start < position <= _DIVISION_CODE.stop and not char.isdigit():
            raise StandardsError(
                f"{_NAME}第{position}位字符“{char}”不合法：第3至8位是登记管理机关行政区划码，只能是数字",
                code="uscc_division",
            )


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character (position 18) for the first 17 characters of a code."""
    text = first17.strip().upper()
    if len(text) != LENGTH - 1:
        raise StandardsError(f"计算校验位需要{_NAME}的前17位，收到{len(text)}位", code="uscc_length")
    _check_characters(text)
    total = sum(CHARSET.index(char) * weight for char, weight in zip(text, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return ``code`` normalised (stripped, upper-case) if it is a valid GB 32100-2015 code.

    Otherwise StandardsError names what is wrong: the length, an illegal character and its position, or the
    check character that position 18 should hold.
    """
    text = code.strip().upper()
    if len(text) != LENGTH:
        raise StandardsError(f"{_NAME}应为18位，收到{len(text)}位", code="uscc_length")
    _check_characters(text)
    expected = check_character(text[:-1])
    if text[-1] != expected:
        raise StandardsError(f"{_NAME}校验位错误：第18位应为 {expected}", code="uscc_check")
    return text
