"""Assessments set the unit's colour with the method, version and mapping stored; bad input changes nothing; measure
checks feed the hazards app (issue 9 item 4, "Must show")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.hazards.choices import HazardSource, HazardStatus
from anjian.risk import services
from anjian.risk.choices import CheckCycle, CheckResult
from anjian.risk.models import MeasureCheck, RiskAssessment
from anjian.risk.tests.factories import make_measure, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(personas):
    return make_unit(personas.enterprise_a)


def test_an_lec_assessment_sets_the_colour_and_stores_how_it_was_made(personas, unit):
    user = personas.enterprise_a_user
    assessment = services.risk_assess(actor=user, unit=unit, method="LEC", inputs={"l": "6", "e": "6", "c": "15"},
                                      assessed_on=dt.date(2026, 11, 1))
    unit.refresh_from_db()
    # D = 6 × 6 × 15 = 540 ≥ 320: 重大 (red) under the default mapping 320/160/70.
    assert (unit.colour, unit.assessed_on) == ("red", dt.date(2026, 11, 1))
    assert assessment.score == Decimal("540")
    assert (assessment.method, assessment.method_version, assessment.scheme) == ("LEC", "1", "LEC-320/160/70")
    assert assessment.inputs["L"] == "6" and assessment.inputs["C"] == "15"
    assert assessment.assessor == user
    event = AuditEvent.objects.get(action="riskunit.assess", object_id=str(unit.pk))
    assert event.data["scheme"] == "LEC-320/160/70" and event.data["colour"] == "red"


def test_a_later_assessment_replaces_the_colour_and_an_earlier_one_does_not(personas, unit):
    user = personas.enterprise_a_user
    services.risk_assess(actor=user, unit=unit, method="LEC", inputs={"l": 6, "e": 6, "c": 15},
                         assessed_on=dt.date(2026, 10, 1))
    services.risk_assess(actor=user, unit=unit, method="LS", inputs={"l": 2, "s": 3},
                         assessed_on=dt.date(2026, 11, 1))
    unit.refresh_from_db()
    # R = 6: scheme A puts 4–8 at 一般 (yellow).
    assert unit.colour == "yellow"
    latest = RiskAssessment.objects.get(unit=unit, method="LS")
    assert (latest.scheme, latest.score, latest.inputs) == ("LS-A", Decimal("6"), {"L": 2, "S": 3})
    # A back-dated assessment is kept but does not replace the colour of a later one.
    services.risk_assess(actor=user, unit=unit, method="LEC", inputs={"l": 1, "e": 1, "c": 1},
                         assessed_on=dt.date(2026, 9, 1))
    unit.refresh_from_db()
    assert (unit.colour, unit.assessed_on) == ("yellow", dt.date(2026, 11, 1))
    assert unit.assessments.count() == 3


def test_the_mapping_and_scheme_in_force_are_settings(personas, unit, settings):
    settings.ANJIAN_RISK_LEC_BOUNDS = "500,200,100"
    settings.ANJIAN_RISK_LS_SCHEME = "C"
    user = personas.enterprise_a_user
    lec = services.risk_assess(actor=user, unit=unit, method="LEC", inputs={"l": 6, "e": 6, "c": 7})
    assert (lec.scheme, lec.colour) == ("LEC-500/200/100", "orange")  # D = 252
    ls = services.risk_assess(actor=user, unit=unit, method="LS", inputs={"l": 3, "s": 3})
    assert (ls.scheme, ls.colour) == ("LS-C", "blue")  # R = 9 is 低 under scheme C
    unit.refresh_from_db()
    assert unit.colour == "blue"


@pytest.mark.parametrize(("method", "inputs", "field", "words"), [
    ("LEC", {"l": "5", "e": "6", "c": "15"}, "l", "不在LEC取值表中"),
    ("LEC", {"l": "6", "e": "4", "c": "15"}, "e", "不在LEC取值表中"),
    ("LEC", {"l": "6", "e": "6", "c": ""}, "c", "请填写"),
    ("LS", {"l": "6", "s": "3"}, "l", "应为1至5的整数"),
    ("LS", {"l": "2", "s": "0"}, "s", "应为1至5的整数"),
    ("LS", {"l": "2.5", "s": "3"}, "l", "应为1至5的整数"),
    ("XYZ", {}, "method", "LEC 或 LS"),
])
def test_bad_input_gets_a_chinese_error_and_changes_nothing(personas, unit, method, inputs, field, words):
    with pytest.raises(ValidationError) as refused:
        services.risk_assess(actor=personas.enterprise_a_user, unit=unit, method=method, inputs=inputs)
    assert words in " ".join(refused.value.message_dict[field])
    unit.refresh_from_db()
    assert unit.colour == "" and not RiskAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="riskunit.assess").exists()


def test_who_may_not_assess_changes_nothing(personas, unit):
    for persona in ("town_a_supervisor", "grid_worker_a", "expert_a"):
        with pytest.raises(PermissionDenied):
            services.risk_assess(actor=getattr(personas, persona), unit=unit, method="LS", inputs={"l": 5, "s": 5})
    other = make_unit(personas.enterprise_b, name="虎门乙储罐区")
    with pytest.raises(PermissionDenied):
        services.risk_assess(actor=personas.enterprise_a_user, unit=other, method="LS", inputs={"l": 5, "s": 5})
    assert not RiskAssessment.objects.exists()


def test_the_colour_is_not_set_by_hand(personas, unit):
    unit.colour = "blue"
    with pytest.raises(ValidationError):
        services.risk_unit_save(actor=personas.enterprise_a_user, unit=unit)
    unit.refresh_from_db()
    assert unit.colour == ""


def test_period_starts():
    day = dt.date(2026, 8, 20)  # a Thursday
    assert services.period_start(CheckCycle.DAILY, day) == day
    assert services.period_start(CheckCycle.WEEKLY, day) == dt.date(2026, 8, 17)
    assert services.period_start(CheckCycle.MONTHLY, day) == dt.date(2026, 8, 1)
    assert services.period_start(CheckCycle.QUARTERLY, day) == dt.date(2026, 7, 1)
    assert services.period_start(CheckCycle.YEARLY, day) == dt.date(2026, 1, 1)


def test_a_failed_check_reports_a_self_inspection_hazard_once_per_period(personas, unit):
    from anjian.risk.selectors import check_items_due

    user = personas.enterprise_a_user
    measure = make_measure(unit, check_cycle=CheckCycle.WEEKLY)
    make_measure(unit, description="不定期检查的措施")
    assert list(check_items_due(user=user)) == [measure]
    with pytest.raises(ValidationError):
        services.measure_check(actor=user, measure=measure, result=CheckResult.FAIL, note="")
    check = services.measure_check(actor=user, measure=measure, result=CheckResult.FAIL, note="报警仪失效")
    hazard = check.hazard
    assert hazard.enterprise == personas.enterprise_a and hazard.source == HazardSource.SELF_INSPECTION
    assert hazard.status == HazardStatus.REPORTED and "报警仪失效" in hazard.description
    assert hazard.place == "厂区东侧"
    assert list(check_items_due(user=user)) == []
    with pytest.raises(ValidationError) as refused:
        services.measure_check(actor=user, measure=measure, result=CheckResult.PASS)
    assert "本周期已检查过" in str(refused.value)
    assert MeasureCheck.objects.count() == 1
    # Next week the item is open again.
    next_week = timezone.now() + dt.timedelta(days=7)
    assert list(check_items_due(user=user, as_of=timezone.localdate(next_week))) == [measure]


def test_town_staff_may_not_record_checks(personas, unit):
    measure = make_measure(unit, check_cycle=CheckCycle.DAILY)
    with pytest.raises(PermissionDenied):
        services.measure_check(actor=personas.town_a_supervisor, measure=measure, result=CheckResult.PASS)
    assert not MeasureCheck.objects.exists()
