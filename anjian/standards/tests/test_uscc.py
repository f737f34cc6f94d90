"""GB 32100-2015 unified social credit codes."""

from __future__ import annotations

import pytest

from anjian.standards import StandardsError, uscc

# Published codes, each verified with the algorithm before being written here:
PUBLISHED = [
    "91350100M000100Y43",  # GB 32100-2015's own worked example (Σ = 1640, 1640 mod 31 = 28, 31 − 28 = 3)
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
]


def test_weights_are_powers_of_three_mod_31() -> None:
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(uscc.CHARSET) == 31 and not set("IOZSV") & set(uscc.CHARSET)


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert uscc.validate(code) == code
    assert uscc.check_character(code[:17]) == code[17]


def test_the_standards_worked_example_by_hand() -> None:
    first17 = "91350100M000100Y4"
    total = sum(uscc.CHARSET.index(c) * w for c, w in zip(first17, uscc.WEIGHTS, strict=True))
    assert total == 1640 and total % 31 == 28
    assert uscc.check_character(first17) == "3"


def test_lower_case_and_spaces_are_normalised() -> None:
    assert uscc.validate("  91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize("code", PUBLISHED)
@pytest.mark.parametrize("position", [0, 8, 12, 16])
def test_one_changed_character_names_the_expected_check_character(code: str, position: int) -> None:
    replacement = "1" if code[position] != "1" else "2"
    altered = code[:position] + replacement + code[position + 1 :]
    expected = uscc.check_character(altered[:17])
    assert expected != altered[17]  # weights are non-zero mod the prime 31, so one change always shows
    with pytest.raises(StandardsError) as caught:
        uscc.validate(altered)
    assert str(caught.value) == f"统一社会信用代码校验位错误：第18位应为 {expected}"
    assert caught.value.code == "uscc_check"


def test_changed_check_character() -> None:
    with pytest.raises(StandardsError, match="第18位应为 3$"):
        uscc.validate("91350100M000100Y44")
    # The standard's own counter-example ends in Z, which is not in the character set at all.
    with pytest.raises(StandardsError, match="第18位字符“Z”不合法"):
        uscc.validate("91350100M000100Y4Z")


def test_check_value_zero_maps_to_character_zero() -> None:
    # A prefix whose weighted sum is a multiple of 31 has check value (31 − 0) mod 31 = 0 → "0".
    assert uscc.check_character("00000000000000000") == "0"
    assert uscc.validate("000000000000000000") == "000000000000000000"


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length(code: str) -> None:
    with pytest.raises(StandardsError, match="应为18位") as caught:
        uscc.validate(code)
    assert caught.value.code == "uscc_length"


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [("91350100M000100I43", 16, "I"), ("O1350100M000100Y43", 1, "O"), ("91350100M0001-0Y43", 14, "-")],
)
def test_illegal_character_is_named_with_its_position(code: str, position: int, char: str) -> None:
    with pytest.raises(StandardsError) as caught:
        uscc.validate(code)
    assert f"第{position}位字符“{char}”不合法" in str(caught.value)
    assert caught.value.code == "uscc_character"


def test_division_code_positions_must_be_digits() -> None:
    with pytest.raises(StandardsError) as caught:
        uscc.validate("913A0100M000100Y43")
    assert "第4位" in str(caught.value) and "行政区划码" in str(caught.value)
    assert caught.value.code == "uscc_division"


def test_check_character_needs_seventeen_valid_characters() -> None:
    with pytest.raises(StandardsError, match="前17位"):
        uscc.check_character("9135")
    with pytest.raises(StandardsError, match="不合法"):
        uscc.check_character("91350100M000100Z4")
    assert uscc.check_character(" 91350100m000100y4 ") == "3"
