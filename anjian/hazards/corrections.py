"""Corrections of a reported hazard (issue 8 item 3): who may correct what was found, and until when.

The gate decides whose hazards a person reaches for CHANGE and `Hazard.editable_fields` which fields each role may
change; what neither can see is here, decided on the hazard as stored:
- the enterprise and the grid worker correct what was found only while it is 待整改: once rectification is assigned,
  the 五到位 plan answers the description as it then stood;
- a grid worker corrects only the hazards they found themselves, not every hazard of their village;
- an enterprise corrects only what its own people found (自查自报), never a regulator's or a grid worker's finding;
- regulators correct any open hazard (before 销号); a closed one is reopened first.
`hazard_save` refuses what this refuses; the detail page hides its 编辑 button and the edit page answers 403.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anjian.accounts.roles import REGULATOR_ROLES, Role
from anjian.hazards.choices import OPEN_STATUSES, HazardStatus
from anjian.hazards.models import Hazard

# The statuses in which the one who found a hazard may still correct it: before rectification is assigned.
FINDER_CORRECTS_IN = (HazardStatus.REPORTED,)


def is_regulator(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or getattr(actor, "role", None) in REGULATOR_ROLES


def correction_refusal(actor: Any, *, status: str, found_by_id: int | None,
                       finder_enterprise_id: int | None = None) -> str | None:
    """Why `actor` may not correct a hazard stored in `status` and found by `found_by_id` (a user of the enterprise
    `finder_enterprise_id`, or of none) (None: nothing in the way).

    Reach and fields are the gate's and `editable_fields`' to decide; this answers only the state and the finder.
    """
    if is_regulator(actor):
        if status not in OPEN_STATUSES:
            return _("已销号的隐患不能修改；如需更正，请先重新整改。")
        return None
    if status not in FINDER_CORRECTS_IN:
        return _("隐患已下达整改，不能再修改发现的内容。")
    if getattr(actor, "role", None) == Role.GRID_WORKER and found_by_id != actor.pk:
        return _("网格员只能修改本人发现的隐患。")
    if getattr(actor, "role", None) == Role.ENTERPRISE_USER and (
            finder_enterprise_id is None or finder_enterprise_id != actor.enterprise_id):
        return _("企业只能修改本单位人员发现的隐患；对检查发现的隐患有异议，请联系检查单位。")
    return None


def hazard_correction_refusal(actor: Any, hazard: Hazard) -> str | None:
    """`correction_refusal` of a hazard as it was read: the pages and direct uploads ask it, hazard_save asks it
    again of the row it locks."""
    finder = hazard.found_by if hazard.found_by_id else None
    return correction_refusal(actor, status=hazard.status, found_by_id=hazard.found_by_id,
                              finder_enterprise_id=finder.enterprise_id if finder is not None else None)


def photo_refusal(actor: Any, hazard: Hazard) -> str | None:
    """Why `actor` may not add photos to a hazard directly (the attachments panel and API): its finder only while it
    may correct it; regulators, who may also change files, at any status as before."""
    return None if is_regulator(actor) else hazard_correction_refusal(actor, hazard)
