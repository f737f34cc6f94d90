"""Validators shared by every app's text fields."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_no_control_characters(value: str) -> None:
    """Names, numbers and addresses are single-line text: control characters (pasted or sent by a system) are
    refused, since they break exports (.xlsx cannot hold them) and printed documents."""
    if any(unicodedata.category(char) == "Cc" for char in str(value)):
        raise ValidationError(_("不能包含控制字符（如换行、制表符或不可见字符）。"), code="control_characters")
