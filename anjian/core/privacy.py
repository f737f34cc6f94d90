"""Masks for personal data shown in lists, detail pages, exports and the API (one rule, every surface)."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    """138****0000: keep the carrier prefix and the last four digits, hide the rest.

    Lists and exports reach many people (grid workers, experts, anyone an export is mailed to); a
    personal mobile number is shown in full only to those who must call it (see each app's rule).
    """
    if not value:
        return ""
    text = str(value).strip()
    if len(text) <= 4:
        return "*" * len(text)
    if len(text) <= 7:
        return text[:1] + "*" * (len(text) - 3) + text[-2:]
    return text[:3] + "****" + text[-4:]
