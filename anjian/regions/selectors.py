"""Reads of the jurisdiction tree. Every one starts from `restrict()` (architecture rule 2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from anjian.core.scope import VIEW
from anjian.regions.models import Region


def region_choices(*, user: Any, levels: Iterable[str], empty_label: str | None = None) -> list[tuple[str, str]]:
    """The regions of `levels` the user can see, as (code, label) for a filter select, in tree order.

    Codes sort a parent before its children, so villages are indented under their town.
    """
    regions = Region.objects.restrict(user, VIEW).filter(level__in=list(levels)).order_by("code")
    choices = [("", empty_label if empty_label is not None else _("全部"))]
    for code, name, level in regions.values_list("code", "name", "level"):
        choices.append((code, f"\u3000{name}" if level == "village" else name))
    return choices
