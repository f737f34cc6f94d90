"""Reads of the town's spot checks (issue 8 item 3: a 一般隐患 is closed by the enterprise "with town spot checks").

待抽查: the 一般隐患 an enterprise user verified and closed itself that no regulator has spot-checked yet, in the
reach of the person who may spot-check them (`Hazard.objects.restrict(user, "spot_check")`: a town its own town, a
department its domains, the city everything; enterprise users and grid workers hold no such action).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from anjian.accounts.roles import Role
from anjian.core.models import AuditEvent
from anjian.core.scope import VIEW
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Hazard

SPOT_CHECK = "spot_check"
DRAW = "hazard.spot_check_draw"
# The share of the pending hazards a draw takes unless the supervisor asks for another number.
DRAW_PERCENT = 10


def may_spot_check(user: Any) -> bool:
    """Whether `user` spot-checks hazards anywhere (the 待抽查 pages answer 403 otherwise)."""
    return bool(getattr(user, "is_authenticated", False)) and not user.jurisdiction(SPOT_CHECK, Hazard).nothing


def spot_checks_pending(*, user: Any, action: str = SPOT_CHECK) -> QuerySet[Hazard]:
    """The 待抽查 list: closed 一般隐患 verified by an enterprise user, not yet spot-checked, newest closure first.

    `action` is the gate's question (the list page asks view or export of someone who may spot-check: the same
    reach)."""
    return (
        Hazard.objects.restrict(user, action)
        .filter(
            status=HazardStatus.CLOSED,
            level=HazardLevel.GENERAL,
            spot_checked_at__isnull=True,
            verified_by__role=Role.ENTERPRISE_USER,
        )
        .order_by("-closed_at", "-id")
    )


def draw_size(pending: int, *, percent: int = DRAW_PERCENT) -> int:
    """How many a draw takes by default: `percent` of the pending ones rounded up, at least 1 (none of none)."""
    if pending <= 0:
        return 0
    return max(1, -(-pending * percent // 100))


def spot_check_draw_event(*, user: Any, pk: int) -> AuditEvent | None:
    """A draw `user` made (its audit event), or None: a draw is its maker's list of hazards to open one by one."""
    return AuditEvent.objects.filter(pk=pk, action=DRAW, actor_id=getattr(user, "pk", None)).first()


def drawn_hazards(*, user: Any, event: AuditEvent) -> list[Hazard]:
    """The hazards of a draw, in the order drawn, as `user` may still view them (one moved out of reach is left out)."""
    ids = [int(pk) for pk in (event.data or {}).get("ids", [])]
    found = Hazard.objects.restrict(user, VIEW).select_related("enterprise", "enterprise__region").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
