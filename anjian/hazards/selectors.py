"""Reads of hazards (architecture rule 2): every queryset starts from `Hazard.objects.restrict(user, action)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from anjian.core.scope import VIEW
from anjian.core.workflow import Transition, possible_actions
from anjian.hazards.choices import OPEN_STATUSES
from anjian.hazards.models import Hazard
from anjian.hazards.services import level_refusal

# Listed for supervision now (挂牌督办 and not lifted): the filter of the 督办 lists and the public page.
LISTED = Q(lifted_at__isnull=True) & ~Q(supervision_level="")


def hazard_list(*, user: Any, action: str = VIEW) -> QuerySet[Hazard]:
    """The hazards `user` may `action`, with what a list row shows (enterprise, its village and town)."""
    return Hazard.objects.restrict(user, action).select_related("enterprise", "enterprise__region__parent")


def open_hazards_of(*, user: Any, enterprise: Any, limit: int = 10) -> list[Hazard]:
    """The enterprise's open hazards the user may view, most urgent deadline first (the enterprise page's panel)."""
    return list(
        Hazard.objects.restrict(user, VIEW).filter(enterprise=enterprise, status__in=OPEN_STATUSES)
        .order_by("-overdue", "deadline", "-found_at", "-id")[:limit]
    )


def listed_publicly() -> QuerySet[Hazard]:
    """Hazards under 挂牌督办 now, for the public 督办 page (no login, issue 8 item 4): what a regulator publishes.

    Not through the gate: the page shows every listed hazard of the city to anyone, and only the columns of
    `PUBLIC_FIELDS` (no person, no phone), which the view reads with `.values()`.
    """
    return Hazard.objects.filter(LISTED).order_by("supervision_target_date", "-listed_at", "-id")


PUBLIC_FIELDS = (
    "id", "enterprise__name", "enterprise__region__parent__name", "description", "level", "status",
    "supervision_level", "supervising_unit", "supervision_target_date", "listed_at", "deadline",
)


def actions_for(user: Any, hazard: Hazard) -> list[Transition]:
    """The actions `user` may take on `hazard` now: the kit's (state and gate), less those the hazards' level rules
    would refuse (an enterprise verifying a 重大隐患, a listing lifted by the wrong level...)."""
    return [step for step in possible_actions(user, hazard) if level_refusal(user, hazard, step.action) is None]
