"""Writes of checklists and self-inspection (issue 8 items 1 and 2): views, the API and jobs call these.

Checklists are versioned: a draft is edited freely by city staff; `checklist_publish` puts it in use and retires
the version in use of the same code in the same transaction; a published or retired version and its items are
never changed (a new version is a copy: `checklist_new_version`). Self-inspections: `self_inspection_submit` writes
the inspection, one answer per item and, for every failed item, a hazard found by the enterprise, with the item's
photos, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit
from anjian.core.attachments import attach
from anjian.core.i18n import stored_text
from anjian.core.scope import ADD, can_add
from anjian.core.services import scoped_delete, scoped_save
from anjian.core.validation import changed_fields
from anjian.core.workflow import transition
from anjian.hazards.choices import ChecklistStatus, CheckResult, Frequency, HazardSource
from anjian.hazards.models import (
    Checklist,
    ChecklistItem,
    Hazard,
    InspectionSchedule,
    SelfInspection,
    SelfInspectionAnswer,
)
from anjian.hazards.services import hazard_report

SHANGHAI = ZoneInfo("Asia/Shanghai")
# What a draft's own edit may change; code, version, status and the stamps belong to the versioning services.
CHECKLIST_EDITABLE = frozenset({"title", "domain", "basis", "criteria", "note"})
NOTE_MAX_LENGTH = 1000

# A failed item becomes the hazard's description (stored in the site's language, anjian.core.i18n).
SELF_INSPECTION_DESCRIPTION = gettext_lazy("%(text)s（自查发现：%(note)s）")


def frozen_message() -> str:
    return _("已发布或已停用的清单版本不能修改；如需调整，请基于该版本创建新版本。")


# ---- checklists --------------------------------------------------------------------------------------------------


def _stored_status(checklist_id: int | None) -> str | None:
    if checklist_id is None:
        return None
    return Checklist.objects.filter(pk=checklist_id).values_list("status", flat=True).first()


def _refuse_unless_draft(checklist_id: int | None) -> None:
    status = _stored_status(checklist_id)
    if status is not None and status != ChecklistStatus.DRAFT:
        raise ValidationError(frozen_message(), code="checklist_frozen")


def checklist_save(*, actor: Any, checklist: Checklist, reason: str = "") -> Checklist:
    """Create a checklist (a draft, version 1 of a new code) or save a draft's own fields."""
    if checklist._state.adding and checklist.pk is None:
        if Checklist.objects.filter(code=checklist.code).exists():
            raise ValidationError({"code": _("该清单编号已存在；如需修改，请在原清单上创建新版本。")})
        checklist.version = 1
        checklist.status = ChecklistStatus.DRAFT
        checklist.official = False
        checklist.published_at = None
        return scoped_save(actor=actor, obj=checklist, reason=reason)
    _refuse_unless_draft(checklist.pk)
    changed = changed_fields(checklist) or []
    fixed = [name for name in changed if name not in CHECKLIST_EDITABLE]
    if fixed:
        labels = "、".join(str(Checklist._meta.get_field(name).verbose_name) for name in fixed)
        raise ValidationError(_("草稿只能修改名称、行业领域、依据、判定标准和说明，不能修改：%(fields)s。")
                              % {"fields": labels})
    if "criteria" in changed and not checklist.criteria and checklist.items.filter(major=True).exists():
        raise ValidationError({"criteria": _("清单中有判定为重大隐患的检查项，不能取消“重大事故隐患判定标准”。")})
    return scoped_save(actor=actor, obj=checklist, reason=reason)


def checklist_delete(*, actor: Any, checklist: Checklist, reason: str = "") -> None:
    """Delete a draft (a version that was ever in use stays, with the inspections made against it)."""
    _refuse_unless_draft(checklist.pk)
    scoped_delete(actor=actor, obj=checklist, reason=reason)


def checklist_item_save(*, actor: Any, item: ChecklistItem, reason: str = "") -> ChecklistItem:
    """Add or change an item of a draft. Only a 判定标准 checklist's items may make a failure 重大."""
    _refuse_unless_draft(item.checklist_id)
    if not item._state.adding:
        stored = ChecklistItem.objects.filter(pk=item.pk).values_list("checklist_id", flat=True).first()
        if stored is not None and stored != item.checklist_id:
            raise ValidationError(_("检查项不能移到其他清单。"))
    if item.major and not item.checklist.criteria:
        raise ValidationError({"major": _("只有“重大事故隐患判定标准”清单的检查项才能判定为重大隐患。")})
    return scoped_save(actor=actor, obj=item, reason=reason)


def checklist_item_delete(*, actor: Any, item: ChecklistItem, reason: str = "") -> None:
    _refuse_unless_draft(item.checklist_id)
    scoped_delete(actor=actor, obj=item, reason=reason)


def checklist_new_version(*, actor: Any, checklist: Checklist, reason: str = "") -> Checklist:
    """A draft version n+1 of `checklist`'s code, with a copy of `checklist`'s items (a published or retired one)."""
    if not can_add(actor, Checklist):
        raise PermissionDenied(_("您无权新建排查清单。"))
    if checklist.status == ChecklistStatus.DRAFT:
        raise ValidationError(_("草稿可以直接编辑，无需创建新版本。"))
    with transaction.atomic():
        siblings = Checklist.objects.select_for_update().filter(code=checklist.code)
        if siblings.filter(status=ChecklistStatus.DRAFT).exists():
            raise ValidationError(_("该清单已有草稿版本，请先编辑或删除该草稿。"))
        version = (siblings.aggregate(top=Max("version"))["top"] or 0) + 1
        draft = Checklist(
            code=checklist.code, version=version, title=checklist.title, domain=checklist.domain,
            basis=checklist.basis, criteria=checklist.criteria, note=checklist.note,
            status=ChecklistStatus.DRAFT, official=False,
        )
        scoped_save(actor=actor, obj=draft, reason=reason, data={"from_version": checklist.version})
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=draft, number=item.number, text=item.text, basis=item.basis, clause=item.clause,
                          category=item.category, major=item.major, provisional=item.provisional)
            for item in checklist.items.order_by("number")
        )
    return draft


def checklist_in_use(checklist: Checklist) -> Checklist | None:
    """The version of `checklist`'s code in use now (itself, when it is the published one); None when none is.

    Schedules name the version they were made with; they follow its code, so a newly published version is the one
    the enterprise fills (issue 8 item 1: a version in use is replaced, never edited)."""
    if checklist.status == ChecklistStatus.PUBLISHED:
        return checklist
    return Checklist.objects.filter(code=checklist.code, status=ChecklistStatus.PUBLISHED).first()


def checklist_publish(*, actor: Any, obj: Checklist, action: str = "publish", reason: str = "",
                      data: Mapping[str, Any] | None = None, attachments: Sequence[Any] = ()) -> Checklist:
    """Put a draft in use; the version of the same code in use is retired in the same transaction."""
    now = timezone.now()

    def retire_previous(row: Checklist) -> None:
        if not row.items.exists():
            raise ValidationError(_("清单没有检查项，不能发布。"))
        for old in Checklist.objects.select_for_update().filter(code=row.code, status=ChecklistStatus.PUBLISHED
                                                                ).exclude(pk=row.pk):
            old.status = ChecklistStatus.RETIRED
            old._history_user = actor
            old.save(update_fields=["status", "updated"])
            audit.record(actor=actor, action=audit.name(Checklist, "retire"), obj=old,
                         reason=_("已发布第%(version)d版") % {"version": row.version},
                         data={"from": ChecklistStatus.PUBLISHED, "to": ChecklistStatus.RETIRED})
        row.published_at = now

    return transition(actor=actor, obj=obj, action="publish", reason=reason, data=data, attachments=attachments,
                      apply=retire_previous)


def checklist_retire(*, actor: Any, obj: Checklist, reason: str, action: str = "retire",
                     data: Mapping[str, Any] | None = None, attachments: Sequence[Any] = ()) -> Checklist:
    return transition(actor=actor, obj=obj, action="retire", reason=reason, data=data, attachments=attachments)


# ---- schedules and periods ---------------------------------------------------------------------------------------


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` in Asia/Shanghai (where the enterprise's day, week and month are)."""
    return moment.astimezone(SHANGHAI).date()


def period_start(frequency: str, day: dt.date) -> dt.date:
    """The first day of the period holding `day`: the day itself, its week's Monday, its month's 1st."""
    if frequency == Frequency.DAILY:
        return day
    if frequency == Frequency.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    raise ValueError(f"unknown frequency {frequency!r}")


def previous_period_start(frequency: str, start: dt.date) -> dt.date:
    """The first day of the period before the one starting on `start`."""
    return period_start(frequency, start - dt.timedelta(days=1))


def schedule_save(*, actor: Any, schedule: InspectionSchedule, reason: str = "") -> InspectionSchedule:
    """Create or change a self-inspection schedule: enterprise users for their own enterprise, regulators in their
    area (the gate, through scoped_save). A schedule follows a checklist in use."""
    changed = changed_fields(schedule)
    new_checklist = changed is None or "checklist" in changed
    if new_checklist and schedule.checklist_id is not None and schedule.checklist.status != ChecklistStatus.PUBLISHED:
        raise ValidationError({"checklist": _("只能选择在用的排查清单。")})
    return scoped_save(actor=actor, obj=schedule, reason=reason)


# ---- self-inspection ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One item's answer as submitted: pass / fail / not applicable, a note (required for a fail), the place."""

    result: str
    note: str = ""
    place: str = ""


def item_key(item_id: int) -> str:
    """The error key of one item's answer (the fill page shows it on the item's card)."""
    return f"item_{item_id}"


def _answer(value: Answer | Mapping[str, Any]) -> Answer:
    if isinstance(value, Answer):
        return value
    return Answer(result=str(value.get("result") or ""), note=str(value.get("note") or ""),
                  place=str(value.get("place") or ""))


def _one_line(text: str) -> str:
    # A hazard's description is single-line text (validate_no_control_characters): the note's line breaks go.
    return re.sub(r"\s+", " ", text).strip()


def _check_answers(items: list[ChecklistItem], answers: Mapping[Any, Any], photos: Mapping[Any, Sequence[Any]]
                   ) -> dict[int, Answer]:
    """Every item answered, with a valid result, a fail with a note; raise one ValidationError naming each item."""
    errors: dict[str, list[str]] = {}
    by_id = {item.pk: item for item in items}
    given: dict[int, Answer] = {}
    for key, value in answers.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            item_id = None
        if item_id not in by_id:
            errors.setdefault("answers", []).append(_("答案中有不属于本清单的检查项。"))
            continue
        given[item_id] = _answer(value)
    for key in photos:
        try:
            known = int(key) in by_id
        except (TypeError, ValueError):
            known = False
        if not known:
            errors.setdefault("answers", []).append(_("照片中有不属于本清单的检查项。"))
    for item in items:
        answer = given.get(item.pk)
        if answer is None or not answer.result:
            errors[item_key(item.pk)] = [_("第%(number)d项未作答。") % {"number": item.number}]
        elif answer.result not in CheckResult.values:
            errors[item_key(item.pk)] = [_("第%(number)d项的结果无效。") % {"number": item.number}]
        elif answer.result == CheckResult.FAIL and not answer.note.strip():
            errors[item_key(item.pk)] = [_("第%(number)d项不合格，请说明存在的问题。") % {"number": item.number}]
        elif len(answer.note) > NOTE_MAX_LENGTH or len(answer.place) > 200:
            errors[item_key(item.pk)] = [_("第%(number)d项的说明或部位过长。") % {"number": item.number}]
    if errors:
        raise ValidationError(errors)
    return given


def self_inspection_submit(
    *,
    actor: Any,
    enterprise: Any,
    checklist: Checklist,
    answers: Mapping[Any, Answer | Mapping[str, Any]],
    schedule: InspectionSchedule | None = None,
    performed_at: dt.datetime | None = None,
    photos: Mapping[Any, Sequence[Any]] | None = None,
    note: str = "",
) -> SelfInspection:
    """Record one filled checklist for `enterprise`, and a hazard (source 企业自查) for every failed item.

    With a schedule, `checklist` is the version of the schedule's checklist code in use (`checklist_in_use`).
    `answers` maps each item's id to its Answer; every item of the checklist must be answered. `photos` maps an
    item's id to the photos of a failed item, attached to its hazard (photos of other items are not kept: there is
    no finding to carry them). A failed item whose failure is 重大 by an official 判定标准 makes a 重大隐患, with
    the item as its criterion. With a schedule, the inspection covers the schedule's period holding `performed_at`
    (Asia/Shanghai), and a period already inspected is refused. All or nothing.
    """
    performed_at = performed_at or timezone.now()
    photos = photos or {}
    # Asked of the database: the row in hand may have been read before a new version retired it.
    if _stored_status(checklist.pk) != ChecklistStatus.PUBLISHED:
        raise ValidationError({"checklist": _("只能按在用的排查清单自查。")})
    period = None
    if schedule is not None:
        # The schedule's checklist, or the version of its code that replaced it.
        if schedule.enterprise_id != enterprise.pk or schedule.checklist.code != checklist.code:
            raise ValidationError({"schedule": _("自查计划与单位或清单不符。")})
        if not schedule.active:
            raise ValidationError({"schedule": _("该自查计划已停用。")})
        period = period_start(schedule.frequency, local_day(performed_at))
        if period < period_start(schedule.frequency, schedule.starts_on):
            raise ValidationError({"schedule": _("该自查计划尚未开始。")})
    items = list(checklist.items.order_by("number"))
    given = _check_answers(items, answers, photos)
    failed = [item for item in items if given[item.pk].result == CheckResult.FAIL]
    inspection = SelfInspection(
        enterprise=enterprise, schedule=schedule, checklist=checklist, period_start=period,
        performed_at=performed_at, performed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note.strip(), failed_count=len(failed),
    )
    stored_files: list[Any] = []
    try:
        with transaction.atomic():
            scoped_save(actor=actor, obj=inspection, data={"items": len(items), "failed": len(failed)})
            rows = {
                item.pk: SelfInspectionAnswer(inspection=inspection, item=item, result=given[item.pk].result,
                                              note=given[item.pk].note.strip())
                for item in items
            }
            SelfInspectionAnswer.objects.bulk_create(rows.values())
            for item in failed:
                answer = given[item.pk]
                hazard = hazard_report(
                    actor=actor,
                    hazard=Hazard(
                        enterprise=enterprise, place=_one_line(answer.place)[:200], category=item.category,
                        description=stored_text(SELF_INSPECTION_DESCRIPTION, text=_one_line(item.text),
                                                note=_one_line(answer.note)),
                        found_at=performed_at,
                    ),
                    source=HazardSource.SELF_INSPECTION,
                    # The criterion is the 判定标准 item that makes the hazard 重大 (models.Hazard.criterion_item).
                    criterion_item=item if item.major else None,
                )
                files = list(photos.get(item.pk) or photos.get(str(item.pk)) or ())
                if files:
                    stored_files.extend(attach(actor=actor, obj=hazard, files=files, purpose="self_inspection",
                                               action=ADD, error_field=item_key(item.pk)))
                SelfInspectionAnswer.objects.filter(pk=rows[item.pk].pk).update(hazard=hazard)
    except IntegrityError as error:
        # Two submissions of the same period at once: the unique constraint decides, the second is refused.
        for stored in stored_files:
            stored.delete_files()
        raise ValidationError({"period_start": _("本周期的自查已完成。")}) from error
    except BaseException:
        for stored in stored_files:
            stored.delete_files()
        raise
    return inspection
