"""Text the platform writes into the database: always in the site's language (settings.LANGUAGE_CODE).

A person using the English interface must not leave English in records the city reads in Chinese (a hazard's
description made from a self-inspection, an audit reason, a default unit name); what is shown is translated when it
is shown, what is stored is not.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def stored_text(message: Any, **values: Any) -> str:
    """`message` (a gettext_lazy string) in the site's language, %-formatted with `values` when given."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message)
    return text % values if values else text
