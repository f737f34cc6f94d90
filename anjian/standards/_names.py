"""Normalising chemical names the way people write them, for matching against GB 18218-2018 Table 1."""

from __future__ import annotations

import re
import unicodedata

_OPEN = "(["
_CLOSE = ")]"
# Brackets that NFKC leaves alone but people use interchangeably with ( and [.
_EXTRA_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "〈": "(", "〉": ")"})
# A position prefix such as "1,2-" or "2,4,6-" (IUPAC locants), not preceded by a letter or digit.
_LOCANT = re.compile(r"(?<![0-9A-Za-z])\d+(?:,\d+)*-")
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC), unify brackets, drop whitespace, upper-case Latin letters."""
    folded = unicodedata.normalize("NFKC", text).translate(_EXTRA_BRACKETS)
    return _WHITESPACE.sub("", folded).upper()


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on ``separators`` outside brackets; a comma between digits ("1,2-") never splits."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for index, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        between_digits = 0 < index < len(text) - 1 and text[index - 1].isdigit() and text[index + 1].isdigit()
        if depth == 0 and char in separators and not (char == "," and between_digits):
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part]


def strip_qualifiers(text: str) -> str:
    """Remove bracketed qualifiers: "硝化纤维素[干的或含水(或乙醇)<25%]" -> "硝化纤维素"."""
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def bracket_contents(text: str) -> list[str]:
    """The top-level bracketed segments of ``text``, without their brackets."""
    segments: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _OPEN:
            if depth:
                current.append(char)
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                segments.append("".join(current))
                current = []
        elif depth:
            current.append(char)
    return segments


def strip_locants(text: str) -> str:
    """Remove position prefixes: "1,2-环氧丙烷" -> "环氧丙烷", "2,4,6-三硝基甲苯" -> "三硝基甲苯"."""
    return _LOCANT.sub("", text)


def loose_forms(name: str) -> set[str]:
    """Every form of a normalised ``name`` that still identifies it: without locants, without qualifiers.

    A bracketed item that contains the bare name is a variant the row itself names (汽油(乙醇汽油、甲醇汽油)
    lists 乙醇汽油 and 甲醇汽油), so it is a form of that row too.
    """
    base = strip_qualifiers(name)
    forms = {name, base}
    for segment in bracket_contents(name):
        forms.update(item for item in split_top_level(segment, ",;、") if base and base in item)
    forms |= {strip_locants(form) for form in forms}
    return {form for form in forms if form}
