"""条例 第三条 grading, reporting deadlines and casualty updates; GB 6441 codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from anjian.standards import StandardsError, accidents
from anjian.standards.accidents import (
    AccidentGrade,
    AccidentKind,
    AuthorityLevel,
    BasicType2025,
    Category1986,
    Criterion,
    InjuryDegree2025,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
G, L, M, E = AccidentGrade.GENERAL, AccidentGrade.LARGER, AccidentGrade.MAJOR, AccidentGrade.ESPECIALLY_MAJOR


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# --------------------------------------------------------------------------------------------- grading


@pytest.mark.parametrize(("deaths", "expected"), [(0, G), (2, G), (3, L), (9, L), (10, M), (29, M), (30, E), (31, E)])
def test_deaths_boundaries(deaths: int, expected: AccidentGrade) -> None:
    result = accidents.grade(deaths=deaths)
    assert result.grade is expected
    assert result.criterion == (None if expected is G else Criterion.DEATHS)


@pytest.mark.parametrize(("injuries", "expected"), [(9, G), (10, L), (49, L), (50, M), (99, M), (100, E)])
def test_serious_injury_boundaries(injuries: int, expected: AccidentGrade) -> None:
    result = accidents.grade(serious_injuries=injuries)
    assert result.grade is expected
    assert result.criterion == (None if expected is G else "serious_injuries")


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        (Decimal("9999999.99"), G),
        (Decimal("10000000"), L),
        (49_999_999, L),
        (50_000_000, M),
        ("99999999", M),
        (100_000_000, E),
    ],
)
def test_direct_loss_boundaries(loss: Decimal | int | str, expected: AccidentGrade) -> None:
    result = accidents.grade(direct_loss_yuan=loss)
    assert result.grade is expected
    assert result.criterion == (None if expected is G else Criterion.DIRECT_LOSS)


def test_highest_criterion_decides_and_all_reaching_it_are_listed() -> None:
    result = accidents.grade(deaths=2, serious_injuries=12, direct_loss_yuan=Decimal("60000000"))
    assert (
        result.grade is M and result.criterion is Criterion.DIRECT_LOSS and result.criteria == (Criterion.DIRECT_LOSS,)
    )
    tie = accidents.grade(deaths=3, serious_injuries=10, direct_loss_yuan=0)
    assert tie.grade is L and tie.criteria == (Criterion.DEATHS, Criterion.SERIOUS_INJURIES)
    assert tie.criterion is Criterion.DEATHS and tie.criterion.label == "死亡人数"
    general = accidents.grade()
    assert general.grade is G and general.criterion is None and general.criteria == ()
    assert general.method.endswith("第三条") and general.method_version == accidents.METHOD_VERSION


def test_grade_labels_and_investigating_governments() -> None:
    assert [g.label for g in AccidentGrade] == ["一般事故", "较大事故", "重大事故", "特别重大事故"]
    assert E.investigated_by.startswith("国务院") and G.investigated_by == "事故发生地县级人民政府"
    assert [g.severity for g in AccidentGrade] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"deaths": -1},
        {"serious_injuries": -1},
        {"direct_loss_yuan": Decimal("-1")},
        {"deaths": 1.0},
        {"deaths": True},
        {"direct_loss_yuan": 1e7},
    ],
)
def test_bad_inputs_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(StandardsError):
        accidents.grade(**kwargs)  # type: ignore[arg-type]  # wrong types on purpose: the run-time checks


# ------------------------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("grade", "receivers", "highest"),
    [
        (G, [AuthorityLevel.CITY], AuthorityLevel.CITY),
        (L, [AuthorityLevel.CITY, AuthorityLevel.PROVINCE], AuthorityLevel.PROVINCE),
        (M, [AuthorityLevel.CITY, AuthorityLevel.PROVINCE, AuthorityLevel.STATE_COUNCIL], AuthorityLevel.STATE_COUNCIL),
        (E, [AuthorityLevel.CITY, AuthorityLevel.PROVINCE, AuthorityLevel.STATE_COUNCIL], AuthorityLevel.STATE_COUNCIL),
    ],
)
def test_escalation_chain_by_grade(
    grade: AccidentGrade, receivers: list[AuthorityLevel], highest: AuthorityLevel
) -> None:
    result = accidents.deadlines(at(2024, 3, 1, 10, 0), grade, "other")
    assert result.unit_report_by == at(2024, 3, 1, 11, 0)
    assert result.unit_report_to is AuthorityLevel.COUNTY
    assert [step.receiver for step in result.escalations] == receivers
    assert [step.sender for step in result.escalations] == [AuthorityLevel.COUNTY, *receivers[:-1]]
    assert [step.report_by for step in result.escalations] == [
        at(2024, 3, 1, 13, 0),
        at(2024, 3, 1, 15, 0),
        at(2024, 3, 1, 17, 0),
    ][: len(receivers)]
    assert all(step.limit == timedelta(hours=2) for step in result.escalations)
    assert result.highest_level is highest


def test_exam_case_general_accident_reports_to_the_city_only() -> None:
    # Two deaths → 一般 → escalated to 设区的市级 only; the county reports to the city within 2 hours.
    grading = accidents.grade(deaths=2)
    result = accidents.deadlines(at(2024, 5, 6, 23, 30), grading.grade, AccidentKind.FIRE)
    assert result.highest_level is AuthorityLevel.CITY and len(result.escalations) == 1
    assert result.escalations[0].report_by == at(2024, 5, 7, 2, 30)
    assert result.casualty_update_days == 7 and result.casualty_update_until == at(2024, 5, 14)


def test_unit_hour_runs_from_when_the_unit_head_is_told() -> None:
    result = accidents.deadlines(at(2024, 3, 1, 10, 0), "major", "other", reported_to_unit_at=at(2024, 3, 1, 10, 20))
    assert result.unit_report_by == at(2024, 3, 1, 11, 20)
    with pytest.raises(StandardsError, match="不能早于"):
        accidents.deadlines(at(2024, 3, 1, 10, 0), "major", "other", reported_to_unit_at=at(2024, 3, 1, 9, 0))


def test_deadlines_refuse_naive_times_and_unknown_kinds_or_grades() -> None:
    with pytest.raises(StandardsError, match="时区") as caught:
        accidents.deadlines(datetime(2024, 3, 1, 10), G, "other")
    assert caught.value.code == "naive_datetime"
    with pytest.raises(StandardsError, match="日期时间"):
        accidents.deadlines("2024-03-01", G, "other")  # type: ignore[arg-type]  # not a datetime, on purpose
    with pytest.raises(StandardsError, match="road_traffic"):
        accidents.deadlines(at(2024, 3, 1), G, "flood")
    with pytest.raises(StandardsError, match="事故等级"):
        accidents.deadlines(at(2024, 3, 1), "big", "other")


def test_deadlines_keep_the_callers_zone_and_count_elapsed_time() -> None:
    utc = accidents.deadlines(datetime(2024, 3, 1, 2, 0, tzinfo=UTC), L, "other")
    assert utc.unit_report_by == datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
    # Across a daylight-saving change the hour is an elapsed hour, not a wall-clock one.
    new_york = ZoneInfo("America/New_York")
    result = accidents.deadlines(datetime(2024, 3, 10, 1, 30, tzinfo=new_york), L, "other")
    assert result.unit_report_by.utcoffset() == timedelta(hours=-4)
    elapsed = result.unit_report_by.astimezone(UTC) - datetime(2024, 3, 10, 1, 30, tzinfo=new_york).astimezone(UTC)
    assert elapsed == timedelta(hours=1)
    assert result.unit_report_by.hour == 3


# ----------------------------------------------------------------------------------- casualty window


@pytest.mark.parametrize(
    ("kind", "until"),
    [
        ("fire", at(2024, 3, 9)),  # 7 days: 2–8 March, ends 24:00 on 8 March
        ("road_traffic", at(2024, 3, 9)),
        ("other", at(2024, 4, 1)),  # 30 days: 2–31 March, ends 24:00 on 31 March
    ],
)
def test_casualty_window_counting(kind: str, until: datetime) -> None:
    assert accidents.casualty_update_until(at(2024, 3, 1, 10, 0), kind) == until
    assert accidents.casualty_update_until(at(2024, 3, 1, 0, 0), kind) == until
    assert accidents.casualty_update_until(at(2024, 3, 1, 23, 59), kind) == until


def test_casualty_window_across_month_and_year_end() -> None:
    assert accidents.casualty_update_until(at(2023, 12, 20, 8), "other") == at(2024, 1, 20)
    assert accidents.casualty_update_until(at(2024, 2, 25, 8), "fire") == at(2024, 3, 4)


def test_casualty_window_is_counted_in_the_given_zone() -> None:
    # 2024-03-01 17:00 UTC is 2024-03-02 01:00 in Shanghai: the local day decides.
    occurred = datetime(2024, 3, 1, 17, 0, tzinfo=UTC)
    assert accidents.casualty_update_until(occurred.astimezone(SHANGHAI), "fire") == at(2024, 3, 10)
    assert accidents.casualty_update_until(occurred, "fire") == datetime(2024, 3, 9, tzinfo=UTC)
    fixed = timezone(timedelta(hours=8))
    assert accidents.casualty_update_until(occurred.astimezone(fixed), "fire") == at(2024, 3, 10)


def test_exam_case_fire_death_on_day_8_is_outside_the_window() -> None:
    occurred = at(2024, 3, 1, 10, 0)
    day_8 = accidents.regrade(G, occurred, "fire", at(2024, 3, 9, 8, 0), deaths=3, serious_injuries=0)
    assert not day_8.within_window and day_8.grade is G and not day_8.regraded
    assert day_8.counts_grade.grade is L and day_8.window_ends == at(2024, 3, 9)
    assert not day_8.higher_authority_may_investigate
    last_minute = accidents.regrade(G, occurred, "fire", at(2024, 3, 8, 23, 59), deaths=3, serious_injuries=0)
    assert last_minute.within_window and last_minute.grade is L and last_minute.regraded
    assert last_minute.higher_authority_may_investigate
    midnight = accidents.regrade(G, occurred, "fire", at(2024, 3, 9, 0, 0), deaths=3, serious_injuries=0)
    assert not midnight.within_window


def test_other_accidents_have_thirty_days() -> None:
    change = accidents.regrade("larger", at(2024, 3, 1, 10), "other", at(2024, 3, 20), deaths=10, serious_injuries=0)
    assert change.within_window and change.grade is M and change.higher_authority_may_investigate
    assert change.method.endswith("第十三、二十条")


def test_a_lower_count_inside_the_window_regrades_down_without_a_new_investigation() -> None:
    change = accidents.regrade(L, at(2024, 3, 1, 10), "other", at(2024, 3, 2), deaths=2, serious_injuries=0)
    assert change.grade is G and change.regraded and not change.higher_authority_may_investigate


def test_same_grade_is_not_a_regrade() -> None:
    change = accidents.regrade(
        L, at(2024, 3, 1, 10), "other", at(2024, 3, 2), deaths=4, serious_injuries=0, direct_loss_yuan=Decimal("100")
    )
    assert change.within_window and not change.regraded


def test_regrade_refuses_a_change_before_the_accident_and_naive_times() -> None:
    with pytest.raises(StandardsError, match="不能早于"):
        accidents.regrade(G, at(2024, 3, 1, 10), "fire", at(2024, 3, 1, 9), deaths=1, serious_injuries=0)
    with pytest.raises(StandardsError, match="时区"):
        accidents.regrade(G, at(2024, 3, 1, 10), "fire", datetime(2024, 3, 2), deaths=1, serious_injuries=0)


# --------------------------------------------------------------------------------------------- GB 6441


def test_gb6441_1986_has_20_categories() -> None:
    assert len(Category1986) == 20
    assert [c.value for c in Category1986] == list(range(1, 21))
    assert Category1986.FIRE.label == "火灾" and Category1986.OTHER_INJURY.label == "其他伤害"
    assert Category1986(19).label == "中毒和窒息"


def test_gb6441_2025_has_27_basic_types_with_their_codes() -> None:
    assert len(BasicType2025) == 27
    codes = [t.value for t in BasicType2025]
    assert codes[:26] == [f"WSA1{n:04d}" for n in range(1, 27)] and codes[26] == "WSA10099"
    # A StrEnum member is its code. Compared as the str it is: mypy calls a StrEnum literal and a str literal
    # non-overlapping (python/mypy#19576).
    fire: str = BasicType2025.FIRE
    assert fire == "WSA10009" and BasicType2025.FIRE.label == "火灾"  # 5.3's own example
    assert BasicType2025("WSA10099").label == "其他"


def test_gb6441_2025_injury_degrees() -> None:
    assert [t.value for t in InjuryDegree2025] == ["WSA20001", "WSA20002", "WSA20003", "WSA20004"]
    serious_injury: str = InjuryDegree2025.SERIOUS_INJURY  # as the str it is (python/mypy#19576)
    assert serious_injury == "WSA20003" and InjuryDegree2025.SERIOUS_INJURY.label == "重伤事故"


def test_kind_and_level_labels() -> None:
    assert AccidentKind.ROAD_TRAFFIC.label == "道路交通事故"
    assert AuthorityLevel.STATE_COUNCIL.label == "国务院" and "国务院" in AuthorityLevel.STATE_COUNCIL.authority
