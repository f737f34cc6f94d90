"""The shared field validators: telephone numbers, invisible and direction-changing characters, date bounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    validate_date_in_range,
    validate_mobile_phone,
    validate_no_control_characters,
    validate_phone,
)

PHONE_MESSAGE = "请输入有效的电话号码：手机号为11位，座机须带区号，如 0769-22001234 或 0769-22001234-801。"


def refusal(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


# --- telephone numbers ---------------------------------------------------------------------------------------

MOBILES = [
    "13800138000",
    "19912345678",
    "14512345678",
    "16612345678",
    "138 0013 8000",
    "138-0013-8000",
    "+8613800138000",
    "+86 138 0013 8000",
    "+86-138-0013-8000",
    "008613800138000",
    "0086 13800138000",
]
LANDLINES = [
    "0769-22001234",  # Dongguan: 0 + 3-digit area code, 8-digit number
    "0769 22001234",
    "076922001234",
    "010-62345678",  # Beijing: 0 + 2-digit area code
    "020-8234567",  # a 7-digit local number
    "(0769)22001234",
    "(0769) 22001234",
    "0769-22001234-801",
    "0769-22001234转801",
    "0769-22001234 转 801",
    "0769-22001234分机801",
    "0769-22001234ext.801",
    "0769-22001234 ext.801",
    "0769-22001234 EXT801",
]
NOT_PHONES = [
    "abc",
    "1380013800a",
    "12800138000",  # 12x is not a mobile prefix
    "1380013800",  # 10 digits
    "138001380000",  # 12 digits
    "86 13800138000",  # a country code without + or 00
    "+86 12800138000",
    "0769-12345678",  # a local number starts with 2–9
    "0769-223456",  # 6 digits
    "0769-223456789",  # 9 digits
    "769-22001234",  # the area code without its 0
    "00-22001234",
    "0769--22001234",
    "138--0013-8000",
    "400-820-8820",  # a service number, not a person's
    "12345",
    "0769-22001234-",
    "0769-22001234-1234567",  # an extension of 7 digits
    "0769-22001234 x801",
    "１３８００１３８０００",  # full-width digits
    "1３８００１３８０００",  # \d would match these
    " 13800138000",
    "13800138000 ",
    "13800138000\n",
    "138\u200b00138000",
]


@pytest.mark.parametrize("value", MOBILES + LANDLINES)
def test_mainland_numbers_are_accepted(value):
    validate_phone(value)


@pytest.mark.parametrize("value", NOT_PHONES)
def test_other_text_is_refused_with_the_chinese_message(value):
    error = refusal(validate_phone, value)
    assert error.code == "phone"
    assert error.messages == [PHONE_MESSAGE]


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_mobile_prefix_13_to_19_is_a_mobile(second, rest):
    validate_phone(f"1{second}{rest}")
    validate_mobile_phone(f"1{second}{rest}")


@pytest.mark.parametrize("value", MOBILES)
def test_mobile_only_accepts_mobiles(value):
    validate_mobile_phone(value)


@pytest.mark.parametrize("value", ["0769-22001234", "076922001234", "abc"])
def test_mobile_only_refuses_landlines(value):
    error = refusal(validate_mobile_phone, value)
    assert error.code == "mobile_phone"
    assert error.messages == ["请输入有效的手机号：11位，以13–19开头，如 13800138000。"]


# --- invisible and direction-changing characters ----------------------------------------------------------------

INVISIBLE = {
    "\u202e": "U+202E",  # RIGHT-TO-LEFT OVERRIDE
    "\u202a": "U+202A",
    "\u202b": "U+202B",
    "\u202c": "U+202C",
    "\u202d": "U+202D",
    "\u2066": "U+2066",
    "\u2067": "U+2067",
    "\u2068": "U+2068",
    "\u2069": "U+2069",
    "\u200e": "U+200E",
    "\u200f": "U+200F",
    "\u061c": "U+061C",  # ARABIC LETTER MARK, a bidi control too
    "\u200b": "U+200B",  # ZERO WIDTH SPACE
    "\u200c": "U+200C",
    "\u200d": "U+200D",
    "\u2060": "U+2060",  # WORD JOINER
    "\ufeff": "U+FEFF",  # ZERO WIDTH NO-BREAK SPACE (BOM)
    "\u2028": "U+2028",  # LINE SEPARATOR
    "\u2029": "U+2029",  # PARAGRAPH SEPARATOR
    "\u00ad": "U+00AD",  # SOFT HYPHEN
    "\U000e0041": "U+E0041",  # TAG LATIN CAPITAL LETTER A: hides text from readers, not from programs
}


@pytest.mark.parametrize(("char", "code_point"), INVISIBLE.items(), ids=INVISIBLE.values())
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_invisible_and_direction_characters_are_refused_by_name(char, code_point, where):
    value = {"start": char + "东城甲企业", "middle": "东城" + char + "甲企业", "end": "东城甲企业" + char}[where]
    error = refusal(validate_no_control_characters, value)
    assert error.code == "invisible_characters"
    (message,) = error.messages
    assert f"发现 {code_point}" in message
    assert "不可见字符或改变文字方向的字符" in message


def test_control_characters_keep_their_own_message():
    error = refusal(validate_no_control_characters, "东城\t甲企业")
    assert error.code == "control_characters"
    assert error.messages == ["不能包含控制字符（如换行、制表符或不可见字符）。"]


@pytest.mark.parametrize(
    "value",
    [
        "东莞市（示例）五金制品有限公司",
        "Dongguan ABC Co., Ltd.",
        "张三 李四",
        "东城街道 123 号\u3000B 栋",  # an ideographic space is visible space
        "\u9fa6\U000e0100",  # a CJK character with an ideographic variation selector (Mn), as rare names need
        "عبد الله",  # right-to-left script itself is fine; only the overrides are refused
        "",
    ],
)
def test_ordinary_text_passes(value):
    validate_no_control_characters(value)


# --- dates ------------------------------------------------------------------------------------------------------


def test_the_bounds_are_the_documented_ones():
    assert EARLIEST_DATE.isoformat() == "1949-10-01"
    assert LATEST_DATE.isoformat() == "2100-12-31"


@pytest.mark.parametrize("value", [EARLIEST_DATE, LATEST_DATE, dt.date(2026, 12, 1), None])
def test_dates_inside_the_bounds_pass(value):
    validate_date_in_range(value)


@pytest.mark.parametrize(
    "value", [dt.date(1, 1, 1), dt.date(1949, 9, 30), dt.date(2101, 1, 1), dt.date(2205, 6, 30), dt.date.max]
)
def test_dates_outside_the_bounds_are_refused_with_the_range(value):
    error = refusal(validate_date_in_range, value)
    assert error.code == "date_out_of_range"
    assert error.messages == [f"日期须在 1949-10-01 至 2100-12-31 之间（现为 {value.isoformat()}），请检查年份。"]


def test_the_printable_fast_path_lets_no_refused_character_through():
    """validate_no_control_characters returns early for str.isprintable() text: that must never skip a character of
    the refused categories."""
    import sys
    import unicodedata

    refused = [chr(code) for code in range(sys.maxunicode + 1)
               if unicodedata.category(chr(code)) in {"Cc", "Cf", "Zl", "Zp"}]
    assert refused and not any(char.isprintable() for char in refused)
