"""Pinyin initials of catalogue names (issue 9 item 1: search by 拼音首字母), computed once per saved name."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# The catalogue's qualifiers in square brackets (氯乙烯[稳定的], …[含量＞20%]) are not part of what people type.
_QUALIFIER = re.compile(r"[\[［].*?[\]］]")


def without_qualifier(text: str) -> str:
    return _QUALIFIER.sub("", text)


def pinyin_of(text: str) -> str:
    """氯乙烯 → lv yi xi (tones dropped), to compare how names sound."""
    return " ".join(lazy_pinyin(without_qualifier(text)))


# A load computes the initials of every catalogue name and alias again; remembering them keeps a second load (and the
# tests' loads) from asking pypinyin for the same 6,000 strings.
@lru_cache(maxsize=16384)
def initials_of(text: str) -> str:
    """氯乙烯[稳定的] → lyx; digits and Latin letters are kept (1,2-二氯乙烷 → 12elyw), punctuation is dropped."""
    letters = lazy_pinyin(without_qualifier(text), style=Style.FIRST_LETTER, errors="default")
    return "".join(character for chunk in letters for character in chunk.lower()
                   if character.isascii() and character.isalnum())
