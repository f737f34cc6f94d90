"""The import checks each USCC once, with the standard's own message (issue 2 item 4; issue 7 item 2).

The USCC column's parser only upper-cases the code and refuses a wrong length; the GB 32100-2015 check is the
model's validator, which every row runs. A bad code is still reported once, at its cell, in the standard's words.
"""

from __future__ import annotations

import pytest

from anjian.enterprises.tests.factories import make_uscc
from anjian.enterprises.tests.test_import import csv_upload, make_row, run
from anjian.standards import StandardsError, uscc

pytestmark = pytest.mark.django_db

LABEL = "统一社会信用代码"


def standard_message(code: str) -> str:
    with pytest.raises(StandardsError) as refused:
        uscc.validate(code)
    return str(refused.value)


GOOD = make_uscc(515151)
BAD_CODES = [
    GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"),  # wrong check character
    GOOD[:5] + "I" + GOOD[6:],  # a letter the character set leaves out
    "91441900ABCDEFGHJ" + "K",  # letters in the division code (positions 3-8 are digits)
    GOOD[:-1],  # 17 characters
    GOOD + "0",  # 19 characters
]


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_bad_code_is_refused_once_in_the_standards_words(personas, code):
    result = run(csv_upload([make_row(personas.village_a, 1, **{LABEL: code})], "utf-8"), personas.city_admin)

    assert [(error.row, error.column, error.message) for error in result.errors] == [
        (2, LABEL, standard_message(code))
    ]


def test_a_lower_case_code_is_stored_in_upper_case(personas):
    result = run(csv_upload([make_row(personas.village_a, 1, **{LABEL: GOOD.lower()})], "utf-8"),
                 personas.city_admin, commit=True)

    assert result.committed, result.errors
    assert result.to_create[0].obj.uscc == GOOD
