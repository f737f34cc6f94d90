"""Validators shared by every app's fields: single-line text, telephone numbers, dates.

They are attached to model fields, so the edit forms, the API and the imports (which all validate the model) refuse
the same values with the same Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that are invisible or change the direction of the text around them (Unicode general categories Cf,
# "format", and Zl/Zp, the line and paragraph separators): the bidi controls U+061C, U+200E/U+200F,
# U+202A–U+202E and U+2066–U+2069, the zero-width U+200B–U+200D, U+2060 and U+FEFF, U+2028/U+2029, and the rest
# of Cf (soft hyphen, invisible operators, tag characters). A name carrying U+202E shows "公司ABC" as "CBA司公" in a
# list; one carrying U+200B looks like another name and escapes duplicate searches. Variation selectors (Mn), which
# rare characters of Chinese names may need, are not among them.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def validate_no_control_characters(value: str) -> None:
    """Names, numbers and addresses are single-line text: control characters (pasted or sent by a system) are
    refused, since they break exports (.xlsx cannot hold them) and printed documents; so are invisible and
    direction-changing characters (see _INVISIBLE_CATEGORIES), which make a list show other text than is stored."""
    text = str(value)
    # str.isprintable is false for every character of Cc, Cf, Zl and Zp (and for spaces other than " "): most text
    # passes this test in C, and only the rest is looked at character by character (an import checks millions).
    if text.isprintable():
        return
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ValidationError(_("不能包含控制字符（如换行、制表符或不可见字符）。"), code="control_characters")
    found = next((char for char in text if unicodedata.category(char) in _INVISIBLE_CATEGORIES), None)
    if found is not None:
        raise ValidationError(
            _("不能包含不可见字符或改变文字方向的字符（发现 %(char)s，如零宽空格、从右至左覆盖符、行分隔符），"
              "这类字符会使显示的内容与实际内容不同，请删除后重新输入。"),
            code="invisible_characters",
            params={"char": f"U+{ord(found):04X}"},
        )


# Mainland China telephone numbers, as people write them:
# * a mobile number: 11 digits starting 13–19, optionally after +86 or 0086; a space or hyphen between digits is
#   tolerated (138 0013 8000, +86-138-0013-8000);
# * a landline: 0 and a 2–3 digit area code (010, 020…029, 0769), then a 7–8 digit local number starting 2–9; a
#   hyphen, a space or nothing between them, or the area code in brackets ((0769)22001234); an optional extension
#   after 转, 分机, ext. or a hyphen (0769-22001234-801, 0769-22001234转801, 0769-22001234 ext.801).
# Service numbers (400/800, 95xxx, 12345) are not a person's number and are refused. Digits are ASCII ([0-9], not
# \d, which would let full-width or other scripts' digits through).
_MOBILE = r"(?:(?:\+86|0086)[ -]?)?1[3-9](?:[ -]?[0-9]){9}"
_AREA = r"(?:0[1-9][0-9]{1,2}[ -]?|\(0[1-9][0-9]{1,2}\) ?)"
_EXTENSION = r"(?:(?: ?(?:转|分机|(?i:ext)\.?) ?|-)[0-9]{1,6})"
_LANDLINE = rf"{_AREA}[2-9][0-9]{{6,7}}{_EXTENSION}?"
_MOBILE_RE = re.compile(_MOBILE)
_PHONE_RE = re.compile(f"{_MOBILE}|{_LANDLINE}")


def validate_phone(value: str) -> None:
    """A mainland Chinese telephone number: a mobile number, or a landline with its area code (see _LANDLINE)."""
    if not _PHONE_RE.fullmatch(str(value)):
        raise ValidationError(
            _("请输入有效的电话号码：手机号为11位，座机须带区号，如 0769-22001234 或 0769-22001234-801。"),
            code="phone",
        )


def validate_mobile_phone(value: str) -> None:
    """A mainland Chinese mobile number (for fields that receive text messages): 11 digits starting 13–19."""
    if not _MOBILE_RE.fullmatch(str(value)):
        raise ValidationError(_("请输入有效的手机号：11位，以13–19开头，如 13800138000。"), code="mobile_phone")


# The dates a register may hold (licence and insurance validity, document expiry, certifications). A date outside
# them is a typing error (0001-01-01, 2205 for 2025, a legacy system's 9999-12-31 for "no expiry"), and such a
# date would sort first or last in every expiry list and never warn. No record of this register predates the
# People's Republic (1949-10-01); no certificate or policy runs past 2100.
EARLIEST_DATE = dt.date(1949, 10, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def validate_date_in_range(value: dt.date) -> None:
    """A date between EARLIEST_DATE and LATEST_DATE, both included."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("日期须在 %(earliest)s 至 %(latest)s 之间（现为 %(value)s），请检查年份。"),
            code="date_out_of_range",
            params={
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
                "value": value.isoformat(),
            },
        )
