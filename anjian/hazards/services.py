"""Writes of 隐患排查治理 (architecture rule 3): UI views, API views, jobs and imports all call these.

The rules every write shares (the gate, the fields a role may change, the re-check after saving, the audit event)
live in anjian.core.services and anjian.core.workflow; what is the hazards' own is here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.services import scoped_save
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import ChecklistItem, Hazard


def hazard_report(
    *,
    actor: Any,
    hazard: Hazard,
    source: str,
    criterion_item: ChecklistItem | None = None,
    reason: str = "",
) -> Hazard:
    """Record a newly found hazard (status 待整改) as `actor` found it, through `source`.

    A hazard found by failing an item of an official 判定标准 is a 重大隐患 (standards.md §4); the item is kept as
    the criterion that made it so. `found_at` defaults to now and `found_by` to the actor (none for the public).
    """
    if hazard.pk is not None:
        raise ValueError("hazard_report records new hazards only")
    if source not in HazardSource.values:
        raise ValidationError({"source": _("发现途径无效。")})
    hazard.source = source
    hazard.status = HazardStatus.REPORTED
    if criterion_item is not None:
        hazard.criterion_item = criterion_item
        if criterion_item.major:
            hazard.level = HazardLevel.MAJOR
    if hazard.found_at is None:
        hazard.found_at = timezone.now()
    if hazard.found_by_id is None and getattr(actor, "is_authenticated", False):
        hazard.found_by = actor
    return scoped_save(actor=actor, obj=hazard, reason=reason)


def hazard_save(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    """Save corrections to a hazard's description (the role's editable fields); a new one goes to hazard_report."""
    if hazard.pk is None:
        return hazard_report(actor=actor, hazard=hazard, source=hazard.source or HazardSource.OTHER, reason=reason)
    return scoped_save(actor=actor, obj=hazard, reason=reason)
