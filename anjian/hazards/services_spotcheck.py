"""The town's random draw of hazards to spot-check (issue 8 item 3: a 一般隐患 is closed by the enterprise "with town
spot checks"). The check itself is `services.hazard_spot_check`; this picks which of the 待抽查 to check, fairly and
on the record: the draw is random (`secrets`, so nobody can steer it) and audited (who, when, which ids, out of how
many), so a regulator can later show that the hazards checked were not chosen by hand.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anjian.core import audit
from anjian.core.models import AuditEvent
from anjian.hazards.models import Hazard
from anjian.hazards.selectors_spotcheck import DRAW, draw_size, may_spot_check, spot_checks_pending

# A draw larger than this is a list, not a sample; the pending list itself serves that.
MAX_DRAW = 200


@dataclass(frozen=True)
class SpotCheckDraw:
    event: AuditEvent
    ids: list[int]
    pool: int


def spot_check_draw(*, actor: Any, size: int | None = None) -> SpotCheckDraw:
    """Draw `size` (default: draw_size of the pending count) of the actor's 待抽查 at random and record the draw."""
    if not may_spot_check(actor):
        raise PermissionDenied(_("您无权抽查隐患。"))
    with transaction.atomic():
        pool = list(spot_checks_pending(user=actor).values_list("pk", flat=True))
        if not pool:
            raise ValidationError({"size": [_("当前没有待抽查的隐患。")]})
        wanted = draw_size(len(pool)) if size is None else size
        if not 1 <= wanted <= min(len(pool), MAX_DRAW):
            raise ValidationError(
                {"size": [_("抽取数量须在 1 到 %(most)d 之间。") % {"most": min(len(pool), MAX_DRAW)}]}
            )
        ids = secrets.SystemRandom().sample(pool, wanted)
        summary = _("随机抽取待抽查隐患 %(size)d 条（共 %(pool)d 条）") % {"size": wanted, "pool": len(pool)}
        event = audit.record_bulk(
            actor=actor,
            action=DRAW,
            model=Hazard,
            summary=summary,
            data={"ids": ids, "size": wanted, "pool": len(pool)},
        )
    return SpotCheckDraw(event=event, ids=ids, pool=len(pool))
