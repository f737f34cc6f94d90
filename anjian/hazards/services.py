"""Writes of 隐患排查治理 (architecture rule 3): UI views, API views, jobs and imports all call these.

The rules every write shares (the gate, the fields a role may change, the re-check after saving, the audit event)
live in anjian.core.services and anjian.core.workflow; what is the hazards' own is here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.roles import CITY_ROLES, Role
from anjian.core.attachments import attach, attachment_upload
from anjian.core.i18n import stored_text
from anjian.core.notices import Notice, send_many_on_commit, send_on_commit
from anjian.core.scope import ADD, CHANGE
from anjian.core.services import check_editable_fields, scoped_save
from anjian.core.validation import changed_fields, loaded_values
from anjian.core.workflow import transition
from anjian.hazards import tally
from anjian.hazards.choices import HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.corrections import correction_refusal, is_regulator
from anjian.hazards.ladder import schedule_next_notice
from anjian.hazards.models import ChecklistItem, Hazard


def hazard_report(
    *,
    actor: Any,
    hazard: Hazard,
    source: str,
    criterion_item: ChecklistItem | None = None,
    reason: str = "",
    attachments: Sequence[Any] = (),
) -> Hazard:
    """Record a newly found hazard (status 待整改) as `actor` found it, through `source`.

    A hazard found by failing an item of an official 判定标准 is a 重大隐患 (standards.md §4); the item is kept as
    the criterion that made it so. `found_at` defaults to now and `found_by` to the actor (none for the public).
    `attachments` are photos of what was found, stored with the hazard or not at all.
    """
    if hazard.pk is not None:
        raise ValueError("hazard_report records new hazards only")
    if source not in HazardSource.values:
        raise ValidationError({"source": _("发现途径无效。")})
    if hazard.enterprise_id:
        # Its place on the tree before any check reads it (Hazard.save would copy it only when saving).
        hazard.copy_place()
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
    stored: list[Any] = []
    try:
        with transaction.atomic():
            saved = scoped_save(actor=actor, obj=hazard, reason=reason)
            if attachments:
                stored.extend(attach(actor=actor, obj=saved, files=attachments, purpose="report", action=ADD,
                                     error_field="photos"))
    except BaseException:
        # The rows rolled back; the files written to storage for them go too.
        for item in stored:
            item.delete_files()
        raise
    notify_reported(actor=actor, hazards=[saved])
    return saved


def reported_notices(hazard: Hazard) -> tuple[Notice, ...]:
    """The enterprise learns of what was found on its site; the town of every 重大隐患 (issue 8 item 3)."""
    roles = (Role.ENTERPRISE_USER, Role.TOWN_SUPERVISOR) if hazard.level == HazardLevel.MAJOR else (
        Role.ENTERPRISE_USER,)
    return (Notice("hazard.reported", roles=roles),)


def notify_reported(*, actor: Any, hazards: Sequence[Hazard]) -> None:
    """After the commit, tell of newly reported hazards: hazard_report (one) and the bulk import of a campaign's
    hazards (many, written together by the batch sender)."""
    items = [(hazard, reported_notices(hazard), hazard.get_absolute_url()) for hazard in hazards]
    if len(items) == 1:
        send_on_commit(actor=actor, obj=items[0][0], notices=items[0][1], url=items[0][2])
    else:
        send_many_on_commit(actor=actor, items=items)


def move_enterprise_hazards(enterprise: Any) -> int:
    """An enterprise moved (another village or domain): its hazards' copied place follows, so the new town lists and
    counts them and the old one no longer does (Hazard.region_code, Hazard.domain). Answers how many moved."""
    code = enterprise.region.code if enterprise.region_id else ""
    moved = Hazard._base_manager.filter(enterprise_id=enterprise.pk).exclude(region_code=code, domain=enterprise.domain)
    return tally.update_counted(moved, region_code=code, domain=enterprise.domain)


def follow_enterprise_save(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """post_save of an enterprise saved outside the services (the admin, a shell): its hazards follow a move too."""
    if created or kwargs.get("raw"):
        return
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is not None and (loaded.get("region_id"), loaded.get("domain")) == (instance.region_id, instance.domain):
        return
    move_enterprise_hazards(instance)


def hazard_save(*, actor: Any, hazard: Hazard, reason: str = "", attachments: Sequence[Any] = ()) -> Hazard:
    """Save corrections to a reported hazard (issue 8 item 3); a new one goes to hazard_report.

    The stored row is read through the gate for CHANGE under a lock: its status and finder decide whether `actor`
    may correct it now (anjian.hazards.corrections), so a correction racing an assignment is refused once the
    assignment has committed. The role's fields come first (Hazard.editable_fields: a refused field is a 403, as
    everywhere); then a level raised to 重大 needs, as in a report, a 判定标准 item that makes it so (choosing one
    raises it by itself) or a reason. scoped_save re-checks, saves and writes `hazard.update`, shown with the
    hazard's history; `attachments` (more photos of what was found) are stored with it, or none, and audited as
    `hazard.attach`.
    """
    if hazard.pk is None:
        return hazard_report(actor=actor, hazard=hazard, source=hazard.source or HazardSource.OTHER, reason=reason,
                             attachments=attachments)
    with transaction.atomic():
        stored = (
            Hazard.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=hazard.pk)
            .values("status", "found_by_id", "found_by__enterprise_id", "level").first()
        )
        if stored is None:
            raise PermissionDenied(_("您无权修改该记录。"))
        refusal = correction_refusal(actor, status=stored["status"], found_by_id=stored["found_by_id"],
                                     finder_enterprise_id=stored["found_by__enterprise_id"])
        if refusal is not None:
            raise PermissionDenied(refusal)
        changed = changed_fields(hazard) or []
        check_editable_fields(actor, hazard, changed)
        criterion = hazard.criterion_item if hazard.criterion_item_id else None
        if "criterion_item" in changed and criterion is not None and criterion.major:
            hazard.level = HazardLevel.MAJOR
        raised = hazard.level == HazardLevel.MAJOR and stored["level"] != HazardLevel.MAJOR
        if raised and (criterion is None or not criterion.major) and not reason.strip():
            raise ValidationError({"level": _("改为重大隐患须选择判定依据（判定标准中的重大隐患检查项）或填写理由。")})
        saved = scoped_save(actor=actor, obj=hazard, reason=reason)
        if attachments:
            attachment_upload(actor=actor, obj=saved, files=attachments, purpose="correction", error_field="photos")
        return saved


# ---------------------------------------------------------------------------------------------------------------
# The hazard's lifecycle (issue 8 item 3): one service per action of Hazard.workflow. Each runs
# anjian.core.workflow.transition (lock, gate, table, requirements, audit event `hazard.<action>`, notices after
# the commit) with `apply=` for the hazards' own rules and stamps, which run on the locked row.

CITY_UNIT = gettext_lazy("东莞市应急管理局")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def _stored(row: Hazard, name: str) -> Any:
    """The value `name` had in the database when the locked row was read (before the transition set its fields)."""
    values = loaded_values(row) or {}
    return values.get(row._meta.get_field(name).attname)


def is_city_actor(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or getattr(actor, "role", None) in CITY_ROLES


def actor_supervision_level(actor: Any) -> str | None:
    """The 挂牌督办 level `actor` lists at: the city's roles at the city, a town supervisor at its town."""
    if is_city_actor(actor):
        return SupervisionLevel.CITY
    if getattr(actor, "role", None) == Role.TOWN_SUPERVISOR:
        return SupervisionLevel.TOWN
    return None


def default_supervising_unit(actor: Any, level: str) -> str:
    """The listing body's name: the city's 应急管理局, or the town (the listing town supervisor's region)."""
    if level == SupervisionLevel.CITY:
        return stored_text(CITY_UNIT)
    region = getattr(actor, "region", None)
    return region.name if region is not None else ""


def level_refusal(actor: Any, hazard: Hazard, action: str) -> str | None:
    """Why `actor` may not take `action` on this hazard because of its level or listing (None: nothing in the way).

    The gate and the transition table decide the rest; this is what they cannot see (issue 8 items 3 and 4): a
    重大隐患 is closed only on a regulator's verification, and a listing is lifted only by the level that listed it.
    Detail pages use it to hide the buttons the services would refuse.
    """
    if action == "verify" and hazard.level == HazardLevel.MAJOR and not is_regulator(actor):
        return _("重大隐患须由监管部门验收销号，企业只能验收一般隐患。")
    if action == "list_supervision":
        if hazard.level != HazardLevel.MAJOR:
            return _("只有重大隐患可以挂牌督办。")
        if hazard.listed:
            return _("该隐患已挂牌督办，尚未解除，不能重复挂牌。")
        if actor_supervision_level(actor) is None:
            return _("只有市级或镇街监管人员可以挂牌督办。")
    if action == "lift_supervision":
        if not hazard.listed:
            return _("该隐患未挂牌督办或已解除督办。")
        if hazard.supervision_level == SupervisionLevel.CITY and not is_city_actor(actor):
            return _("市级挂牌督办的隐患只能由市级解除督办。")
        if actor_supervision_level(actor) is None:
            return _("只有挂牌的市级或镇街监管人员可以解除督办。")
    return None


def _check_level(actor: Any, row: Hazard, action: str) -> None:
    refusal = level_refusal(actor, row, action)
    if refusal is None:
        return
    # What the row is (a 一般隐患, already listed, not listed) is bad input; who the actor is, a refusal of rights.
    if action == "list_supervision" and (row.level != HazardLevel.MAJOR or row.listed):
        raise ValidationError(refusal)
    if action == "lift_supervision" and not row.listed:
        raise ValidationError(refusal)
    raise PermissionDenied(refusal)


def _not_past(value: dt.date | None, today: dt.date, field: str, label: str) -> None:
    if value is not None and value < today:
        raise ValidationError({field: _("%(label)s不能早于今天（%(today)s）。") % {
            "label": label, "today": today.isoformat()}})


def _finder(row: Hazard) -> tuple[int, ...]:
    return (row.found_by_id,) if row.found_by_id else ()


def _run(*, actor: Any, hazard: Hazard, action: str, reason: str, data: Mapping[str, Any] | None,
         attachments: Sequence[Any], apply: Callable[[Hazard], None], notices: Sequence[Notice] = ()) -> Hazard:
    def apply_and_schedule(row: Hazard) -> None:
        apply(row)
        # Every transition may move the deadline or end the wait: the overdue job's next date follows at once
        # (issue 8 item 5), so an extension's reminders and a closed hazard's silence start the same day.
        schedule_next_notice(row)

    return transition(actor=actor, obj=hazard, action=action, reason=reason, data=data, attachments=attachments,
                      apply=apply_and_schedule, notices=notices)


def hazard_assign(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                  attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """下达整改 with the 五到位 (measures, responsible person, funds, deadline, interim measures): 待整改 → 整改中.

    The deadline may be today but not earlier (issue 8 "Bad input": a deadline in the past)."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        _not_past(row.deadline, _today(moment), "deadline", _("整改期限"))
        row.assigned_at = moment
        row.overdue = False

    return _run(actor=actor, hazard=hazard, action="assign", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.assigned", roles=(Role.ENTERPRISE_USER,),
                                             context={"deadline": (data or {}).get("deadline")}),))


def hazard_rectify(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                   attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """提交整改 with evidence (at least one photo or file, the table says): 整改中 → 待验收.

    A rectified hazard is no longer overdue and a pending extension request is moot."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        row.rectified_at = moment
        row.overdue = False
        row.requested_deadline = None

    # Whoever verifies is told: the regulators for a 重大隐患, the enterprise for a 一般隐患; and its finder.
    roles = (Role.TOWN_SUPERVISOR,) if hazard.level == HazardLevel.MAJOR else (Role.ENTERPRISE_USER,)
    return _run(actor=actor, hazard=hazard, action="rectify", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.rectified", roles=roles, users=_finder(hazard)),))


def hazard_verify(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                  attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """验收销号: 待验收 → 已销号. A 重大隐患 only on a regulator's verification (issue 8 item 3)."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        _check_level(actor, row, "verify")
        row.verified_by = actor
        row.closed_at = moment
        row.overdue = False

    return _run(actor=actor, hazard=hazard, action="verify", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.closed", roles=(Role.ENTERPRISE_USER,), users=_finder(hazard)),))


def hazard_reject(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                  attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """退回整改 with a reason: 待验收 → 整改中; the rectification is no longer complete."""

    def apply(row: Hazard) -> None:
        row.rectified_at = None

    return _run(actor=actor, hazard=hazard, action="reject", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.rejected", roles=(Role.ENTERPRISE_USER,),
                                             context={"reason": reason}),))


def hazard_extend(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                  attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """延期 (a regulator's decision, with a reason): a new deadline, not in the past and later than the current one.

    It answers a pending request (cleared) and, the new deadline not being past, the hazard is no longer overdue."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        today = _today(moment)
        _not_past(row.deadline, today, "deadline", _("新的整改期限"))
        current = _stored(row, "deadline")
        if current is not None and row.deadline is not None and row.deadline <= current:
            raise ValidationError({"deadline": _("新的整改期限须晚于当前期限（%(current)s）。") % {
                "current": current.isoformat()}})
        row.requested_deadline = None
        if row.deadline is not None and row.deadline >= today:
            row.overdue = False

    return _run(actor=actor, hazard=hazard, action="extend", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.extended", roles=(Role.ENTERPRISE_USER,),
                                             context={"reason": reason, "deadline": (data or {}).get("deadline")}),))


def hazard_request_extension(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                             attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """申请延期 (the enterprise, with a reason): the date it asks for, later than the current deadline."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        _not_past(row.requested_deadline, _today(moment), "requested_deadline", _("申请延期的日期"))
        if row.deadline is not None and row.requested_deadline is not None and row.requested_deadline <= row.deadline:
            raise ValidationError({"requested_deadline": _("申请延期的日期须晚于当前整改期限（%(current)s）。") % {
                "current": row.deadline.isoformat()}})

    return _run(actor=actor, hazard=hazard, action="request_extension", reason=reason, data=data,
                attachments=attachments, apply=apply,
                notices=(Notice("hazard.extension_requested", roles=(Role.TOWN_SUPERVISOR,),
                                context={"reason": reason,
                                         "requested_deadline": (data or {}).get("requested_deadline")}),))


def hazard_list_supervision(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                            attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """挂牌督办 a 重大隐患 (issue 8 item 4): the city's roles list at the city level, a town supervisor at the town
    level (its own town's hazards: the gate). The supervising unit defaults to the listing body's name."""
    moment = _now(now)
    values = dict(data or {})

    def apply(row: Hazard) -> None:
        level = row.supervision_level
        # The checks on the row as stored: the transition has already set the requested level on it.
        stored_level = _stored(row, "supervision_level")
        row.supervision_level = stored_level
        _check_level(actor, row, "list_supervision")
        row.supervision_level = level
        own = actor_supervision_level(actor)
        if level != own:
            raise PermissionDenied(_("您只能以“%(level)s”挂牌督办。") % {"level": SupervisionLevel(own).label})
        _not_past(row.supervision_target_date, _today(moment), "supervision_target_date", _("督办期限"))
        if not str(values.get("supervising_unit") or "").strip():
            row.supervising_unit = default_supervising_unit(actor, level)
        row.listed_at = moment
        row.lifted_at = None

    return _run(actor=actor, hazard=hazard, action="list_supervision", reason=reason, data=values,
                attachments=attachments, apply=apply,
                notices=(Notice("hazard.listed", roles=(Role.ENTERPRISE_USER, Role.TOWN_SUPERVISOR,
                                                        Role.CITY_SUPERVISOR),
                                context={"target_date": values.get("supervision_target_date")}),))


def hazard_lift_supervision(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                            attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """解除督办, only after verification (the table: from 已销号) and only by the listing level: a city listing by
    the city's roles, a town listing by that town's supervisor or the city."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        _check_level(actor, row, "lift_supervision")
        row.lifted_at = moment

    return _run(actor=actor, hazard=hazard, action="lift_supervision", reason=reason, data=data,
                attachments=attachments, apply=apply,
                notices=(Notice("hazard.lifted", roles=(Role.ENTERPRISE_USER, Role.TOWN_SUPERVISOR)),))


def hazard_spot_check(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                      attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """抽查 a closed hazard (the town's or city's check on what an enterprise closed itself)."""
    moment = _now(now)

    def apply(row: Hazard) -> None:
        row.spot_checked_at = moment

    return _run(actor=actor, hazard=hazard, action="spot_check", reason=reason, data=data, attachments=attachments,
                apply=apply)


def hazard_reopen(*, actor: Any, hazard: Hazard, reason: str = "", data: Mapping[str, Any] | None = None,
                  attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """重新整改 (with a reason): 已销号 → 整改中; the closure and its verification are undone."""

    def apply(row: Hazard) -> None:
        row.closed_at = None
        row.verified_by = None
        row.rectified_at = None

    return _run(actor=actor, hazard=hazard, action="reopen", reason=reason, data=data, attachments=attachments,
                apply=apply, notices=(Notice("hazard.reopened", roles=(Role.ENTERPRISE_USER,),
                                             context={"reason": reason}),))


HAZARD_SERVICES: dict[str, Callable[..., Hazard]] = {
    "assign": hazard_assign,
    "rectify": hazard_rectify,
    "verify": hazard_verify,
    "reject": hazard_reject,
    "extend": hazard_extend,
    "request_extension": hazard_request_extension,
    "list_supervision": hazard_list_supervision,
    "lift_supervision": hazard_lift_supervision,
    "spot_check": hazard_spot_check,
    "reopen": hazard_reopen,
}


def hazard_transition(*, actor: Any, obj: Hazard, action: str, reason: str = "", data: Mapping[str, Any] | None = None,
                      attachments: Sequence[Any] = (), now: dt.datetime | None = None) -> Hazard:
    """The service of `action`, called the way the kit's action views and API actions call one."""
    service = HAZARD_SERVICES.get(action)
    if service is None:
        raise ValueError(f"no hazard service for {action!r}")
    return service(actor=actor, hazard=obj, reason=reason, data=data, attachments=attachments, now=now)
