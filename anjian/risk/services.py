"""Writes of risk units, their assessments, control measures and measure checks (issue 9 item 4, 双重预防).

`risk_assess` is the only writer of an assessment and of `RiskUnit.colour`: it computes the result with
anjian.standards (LEC or the L×S matrix, under the mapping or scheme in force: settings ANJIAN_RISK_LEC_BOUNDS and
ANJIAN_RISK_LS_SCHEME), stores method, version, mapping or scheme and inputs with the result, and makes the unit's
colour the latest assessment's. The enterprise and region colours (item 5) read that column. `measure_check` records
one period's check of a control measure; a measure not in place becomes a hazard found by the enterprise's
self-inspection (anjian.hazards.services.hazard_report), so risk control feeds hazard checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core import audit
from anjian.core.i18n import stored_text
from anjian.core.scope import ADD, CHANGE, allows
from anjian.core.services import scoped_delete, scoped_save
from anjian.core.validation import changed_fields
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import Hazard
from anjian.hazards.services import hazard_report
from anjian.risk.choices import AssessmentMethod, CheckCycle, CheckResult
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.standards import lec, risk_matrix
from anjian.standards._errors import StandardsError

SHANGHAI = ZoneInfo("Asia/Shanghai")
ASSESS = "assess"
NOTE_MAX_LENGTH = 1000
# A hazard reported by a failed check, stored in the site's language (anjian.core.i18n.stored_text).
CHECK_HAZARD_DESCRIPTION = gettext_lazy("风险管控措施未落实（%(unit)s）：%(measure)s。%(note)s")


# ---- the mapping and scheme in force -------------------------------------------------------------------------------


def lec_mapping() -> lec.LevelMapping:
    """The LEC four-level mapping in force: ANJIAN_RISK_LEC_BOUNDS "重大,较大,一般" (default 320,160,70, i.e.
    anjian.standards.lec.DEFAULT_MAPPING). A bad setting fails loudly: results must not be graded by a guess."""
    text = getattr(settings, "ANJIAN_RISK_LEC_BOUNDS", "")
    parts = [part.strip() for part in text.split(",")] if text else []
    if not parts:
        return lec.DEFAULT_MAPPING
    if len(parts) != 3:
        raise ImproperlyConfiguredBounds(text)
    try:
        bounds = [Decimal(part) for part in parts]
        mapping = lec.LevelMapping(name="LEC-" + "/".join(parts), major_from=bounds[0], high_from=bounds[1],
                                   moderate_from=bounds[2])
    except (ArithmeticError, StandardsError) as error:
        raise ImproperlyConfiguredBounds(text) from error
    return lec.DEFAULT_MAPPING if mapping == lec.DEFAULT_MAPPING else mapping


class ImproperlyConfiguredBounds(ValueError):
    def __init__(self, text: str) -> None:
        super().__init__(f"ANJIAN_RISK_LEC_BOUNDS={text!r}: three decreasing positive numbers expected (320,160,70)")


def ls_scheme() -> risk_matrix.Scheme:
    """The L×S scheme in force: ANJIAN_RISK_LS_SCHEME, a key of anjian.standards.risk_matrix.SCHEMES."""
    name = getattr(settings, "ANJIAN_RISK_LS_SCHEME", "") or risk_matrix.DEFAULT_SCHEME
    if name not in risk_matrix.SCHEMES:
        raise ValueError(f"ANJIAN_RISK_LS_SCHEME={name!r}: one of {', '.join(risk_matrix.SCHEMES)} expected")
    return risk_matrix.SCHEMES[name]


# ---- risk units ---------------------------------------------------------------------------------------------------


def risk_unit_save(*, actor: Any, unit: RiskUnit, reason: str = "") -> RiskUnit:
    """Create or change a risk unit (its enterprise's people; the gate decides). Its colour and assessment date are
    the assessments', never set here."""
    changed = changed_fields(unit)
    if changed is None:
        if unit.colour or unit.assessed_on:
            raise ValidationError({"colour": _("风险等级由风险评估得出，不能直接填写。")})
    elif {"colour", "assessed_on"} & set(changed):
        raise ValidationError({"colour": _("风险等级由风险评估得出，不能直接修改。")})
    elif "enterprise" in changed:
        raise ValidationError({"enterprise": _("风险点不能改到其他单位。")})
    return scoped_save(actor=actor, obj=unit, reason=reason)


def risk_unit_delete(*, actor: Any, unit: RiskUnit, reason: str = "") -> None:
    """Delete a risk unit with its assessments, measures and checks (their hazards stay in the hazards app)."""
    scoped_delete(actor=actor, obj=unit, reason=reason)


# ---- assessments --------------------------------------------------------------------------------------------------


def _number(inputs: Mapping[str, Any], key: str, label: str) -> Any:
    value = inputs.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError({key: _("请填写%(label)s。") % {"label": label}})
    return value.strip() if isinstance(value, str) else value


def _compute(method: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The result of `method` on `inputs`, with everything stored beside it; a value outside the tables raises a
    ValidationError naming the field (the standards' own Chinese message)."""
    if method == AssessmentMethod.LEC:
        values = {key: _number(inputs, key, label) for key, label in
                  (("l", _("可能性L")), ("e", _("暴露频繁程度E")), ("c", _("后果C")))}
        mapping = lec_mapping()
        try:
            result = lec.assess(values["l"], values["e"], values["c"], mapping=mapping)
        except StandardsError as error:
            raise ValidationError({_factor_of(str(error)): str(error)}) from error
        return {"method_version": result.method_version, "scheme": result.mapping, "score": result.d,
                "level": result.level, "inputs": {"L": str(result.l), "E": str(result.e), "C": str(result.c),
                                                  "band": result.band.label}}
    if method == AssessmentMethod.LS:
        values = {key: _number(inputs, key, label) for key, label in (("l", _("可能性L")), ("s", _("严重性S")))}
        scheme = ls_scheme()
        parsed = {}
        for key, label in (("l", _("可能性L")), ("s", _("严重性S"))):
            try:
                number = Decimal(str(values[key]))
            except ArithmeticError:
                number = None
            # 1–5 whole numbers only (shared standards.md §3.2); "3.0" is 3, "3.5" is refused.
            if number is None or number != number.to_integral_value() or not 1 <= number <= 5:
                raise ValidationError({key: _("%(label)s应为1至5的整数（收到“%(value)s”）。") % {
                    "label": label, "value": str(values[key])[:20]}})
            parsed[key] = int(number)
        try:
            result = risk_matrix.assess(parsed["l"], parsed["s"], scheme=scheme)
        except StandardsError as error:
            raise ValidationError({"l": str(error)}) from error
        return {"method_version": result.method_version, "scheme": f"LS-{scheme.name}", "score": Decimal(result.r),
                "level": result.level, "inputs": {"L": parsed["l"], "S": parsed["s"]}}
    raise ValidationError({"method": _("评价方法应为 LEC 或 LS。")})


def _factor_of(message: str) -> str:
    # anjian.standards.lec begins its refusal with the factor's name (可能性L / 暴露频繁程度E / 后果C).
    for key, name in (("l", "可能性L"), ("e", "暴露频繁程度E"), ("c", "后果C")):
        if message.startswith(name):
            return key
    return "l"


def risk_assess(
    *,
    actor: Any,
    unit: RiskUnit,
    method: str,
    inputs: Mapping[str, Any],
    assessed_on: dt.date | None = None,
    assessor_name: str = "",
    reason: str = "",
) -> RiskAssessment:
    """Assess `unit` by LEC (inputs l, e, c from the LEC tables) or the risk matrix (inputs l, s in 1–5).

    Stores the result with the method, its version, the mapping or scheme in force and the inputs, and makes the
    unit's colour the latest assessment's (by assessment date, then entry): a later assessment replaces the colour,
    a back-dated one is kept in the history without changing it. Bad input changes nothing.
    """
    today = timezone.localdate()
    assessed_on = assessed_on or today
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("评估日期不能晚于今天。")})
    if len(assessor_name) > 50:
        raise ValidationError({"assessor_name": _("评估人姓名过长。")})
    computed = _compute(method, inputs)
    with transaction.atomic():
        # The stored row, locked: two assessments at once cannot both think they are the latest.
        locked = RiskUnit.objects.restrict(actor, ASSESS).select_for_update().filter(pk=unit.pk).first()
        if locked is None:
            raise PermissionDenied(_("您无权评估该风险点。"))
        assessment = RiskAssessment(
            enterprise_id=locked.enterprise_id, unit=locked, method=method,
            method_version=computed["method_version"], scheme=computed["scheme"], inputs=computed["inputs"],
            score=computed["score"], colour=computed["level"].colour, assessed_on=assessed_on,
            assessor=actor if getattr(actor, "is_authenticated", False) else None,
            assessor_name=(assessor_name or getattr(actor, "get_full_name", lambda: "")() or "").strip()[:50],
        )
        assessment.full_clean()
        assessment.save()
        if locked.assessed_on is None or assessed_on >= locked.assessed_on:
            locked.colour = assessment.colour
            locked.assessed_on = assessed_on
            locked._history_user = actor
            locked._change_reason = reason
            locked.save(update_fields=["colour", "assessed_on", "updated"])
        audit.record(actor=actor, action=audit.name(RiskUnit, ASSESS), obj=locked, reason=reason, data={
            "assessment": assessment.pk, "method": method, "method_version": assessment.method_version,
            "scheme": assessment.scheme, "inputs": assessment.inputs, "score": str(assessment.score),
            "colour": assessment.colour})
    unit.colour, unit.assessed_on = locked.colour, locked.assessed_on
    return assessment


# ---- control measures ---------------------------------------------------------------------------------------------


def measure_save(*, actor: Any, measure: ControlMeasure, reason: str = "") -> ControlMeasure:
    """Create or change a control measure of a risk unit the actor may change; it belongs to the unit's enterprise."""
    if measure.unit_id is None:
        raise ValidationError({"unit": _("请选择风险点。")})
    changed = changed_fields(measure)
    if changed is not None and "unit" in changed:
        raise ValidationError({"unit": _("管控措施不能改到其他风险点。")})
    if not RiskUnit.objects.restrict(actor, CHANGE).filter(pk=measure.unit_id).exists():
        raise PermissionDenied(_("您无权修改该风险点的管控措施。"))
    measure.enterprise_id = measure.unit.enterprise_id
    if not measure.check_cycle:
        measure.check_content = measure.check_content.strip()
    return scoped_save(actor=actor, obj=measure, reason=reason)


def measure_delete(*, actor: Any, measure: ControlMeasure, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=measure, reason=reason)


# ---- periodic checks of the measures (check items) -----------------------------------------------------------------


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` in Asia/Shanghai, where the enterprise's day, week and month are."""
    return moment.astimezone(SHANGHAI).date()


def period_start(cycle: str, day: dt.date) -> dt.date:
    """The first day of the cycle's period holding `day`: the day, its week's Monday, its month's, quarter's or
    year's first day."""
    if cycle == CheckCycle.DAILY:
        return day
    if cycle == CheckCycle.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if cycle == CheckCycle.MONTHLY:
        return day.replace(day=1)
    if cycle == CheckCycle.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if cycle == CheckCycle.YEARLY:
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown check cycle {cycle!r}")


def measure_check(
    *,
    actor: Any,
    measure: ControlMeasure,
    result: str,
    note: str = "",
    place: str = "",
    checked_at: dt.datetime | None = None,
) -> MeasureCheck:
    """Record this period's check of `measure` (a measure with a check cycle). A measure not in place (未落实, with a
    note) is reported as a hazard found by the enterprise's self-inspection, at `place` or the unit's location, in
    the same transaction. One check per measure and period; all or nothing."""
    checked_at = checked_at or timezone.now()
    note = note.strip()
    if not measure.check_cycle:
        raise ValidationError({"measure": _("该管控措施没有设置检查周期。")})
    if result not in CheckResult.values:
        raise ValidationError({"result": _("检查结果应为“落实”或“未落实”。")})
    if result == CheckResult.FAIL and not note:
        raise ValidationError({"note": _("未落实时请说明存在的问题。")})
    if len(note) > NOTE_MAX_LENGTH or len(place) > 200:
        raise ValidationError({"note": _("说明或部位过长。")})
    if checked_at > timezone.now():
        raise ValidationError({"checked_at": _("检查时间不能晚于现在。")})
    period = period_start(measure.check_cycle, local_day(checked_at))
    check = MeasureCheck(enterprise_id=measure.enterprise_id, measure=measure, period_start=period,
                         checked_at=checked_at, result=result, note=" ".join(note.split()),
                         checked_by=actor if getattr(actor, "is_authenticated", False) else None)
    try:
        with transaction.atomic():
            scoped_save(actor=actor, obj=check, data={"measure": measure.pk, "result": result})
            if result == CheckResult.FAIL:
                unit = measure.unit
                hazard = hazard_report(
                    actor=actor,
                    hazard=Hazard(enterprise=unit.enterprise, place=(place.strip() or unit.location)[:200],
                                  description=stored_text(CHECK_HAZARD_DESCRIPTION, unit=unit.name,
                                                          measure=" ".join(measure.check_text.split()),
                                                          note=check.note),
                                  found_at=checked_at),
                    source=HazardSource.SELF_INSPECTION,
                )
                MeasureCheck.objects.filter(pk=check.pk).update(hazard=hazard)
                check.hazard = hazard
    except IntegrityError as error:
        # Two checks of the same period at once: the unique constraint decides, the second is refused.
        raise ValidationError({"period_start": _("本周期已检查过该管控措施。")}) from error
    return check


def may_check(user: Any, measure: ControlMeasure) -> bool:
    """Whether `user` may record checks of `measure` (the gate's ADD on checks, asked in memory)."""
    return allows(user, ADD, MeasureCheck(enterprise_id=measure.enterprise_id, enterprise=measure.enterprise))


__all__ = [
    "lec_mapping", "ls_scheme", "may_check", "measure_check", "measure_delete", "measure_save",
    "period_start", "risk_assess", "risk_unit_delete", "risk_unit_save",
]
