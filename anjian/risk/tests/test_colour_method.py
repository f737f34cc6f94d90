"""The four-colour method (issue 9 item 5): each rule of anjian.risk.colour_method, with its reason."""

from __future__ import annotations

import pytest

from anjian.risk.colour_method import BLUE, ORANGE, RED, YELLOW, Facts, Profile, grade_enterprise, grade_region


def codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


def test_nothing_assessed_is_blue_and_says_so():
    result = grade_enterprise(Profile(), Facts())
    assert (result.inherent, result.dynamic) == (BLUE, BLUE)
    assert result.reasons_as_dicts() == [{"code": "no_assessed_units", "text": "尚无已评估的风险点", "from": "",
                                          "to": BLUE, "stage": "inherent"}]


def test_the_worst_unit_sets_the_inherent_colour():
    result = grade_enterprise(Profile(worst_unit=ORANGE, assessed_units=3), Facts())
    assert result.inherent == result.dynamic == ORANGE
    assert "3 个已评估风险点中最高为橙色" in result.reasons[0].text


@pytest.mark.parametrize(("level", "colour"), [(1, RED), (2, RED), (3, ORANGE), (4, ORANGE), (None, ORANGE)])
def test_a_major_hazard_raises_by_its_level(level, colour):
    result = grade_enterprise(Profile(worst_unit=BLUE, major_hazard=True, major_hazard_level=level), Facts())
    assert result.inherent == colour
    assert result.reasons[-1].before == BLUE and result.reasons[-1].after == colour


@pytest.mark.parametrize(("flag", "colour"), [("key_process", ORANGE), ("key_chemical", ORANGE),
                                              ("dust_explosion", YELLOW), ("ammonia_refrigeration", YELLOW)])
def test_flags_set_a_floor_and_never_lower(flag, colour):
    assert grade_enterprise(Profile(**{flag: True}), Facts()).inherent == colour
    high = grade_enterprise(Profile(worst_unit=RED, **{flag: True}), Facts())
    assert high.inherent == RED
    # The rule still shows, unchanged from red to red: the page names everything that bears on the result.
    assert (high.reasons[-1].code, high.reasons[-1].before, high.reasons[-1].after) == (flag, RED, RED)


def test_each_kind_of_fact_raises_one_step():
    profile = Profile(worst_unit=BLUE, dust_explosion=True)
    assert grade_enterprise(profile, Facts(open_major_hazards=2)).dynamic == ORANGE
    both = grade_enterprise(profile, Facts(open_major_hazards=1, overdue_hazards=5))
    assert (both.inherent, both.dynamic) == (YELLOW, RED)
    assert codes(both)[-2:] == ["open_major_hazard", "overdue_hazards"]
    assert [r.stage for r in both.reasons][-2:] == ["dynamic", "dynamic"]
    assert grade_enterprise(Profile(worst_unit=RED), Facts(overdue_hazards=1)).dynamic == RED


@pytest.mark.parametrize(("counts", "colour"), [
    ({}, ""),
    ({BLUE: 100}, BLUE),
    ({RED: 5, BLUE: 95}, RED),              # 5 % red
    ({RED: 4, BLUE: 96}, BLUE),
    ({RED: 10, BLUE: 5000}, BLUE),          # shares only (version 2): ten reds in a large town do not paint it red
    ({RED: 4, ORANGE: 8, BLUE: 88}, ORANGE),  # 12 % red or orange
    ({ORANGE: 11, BLUE: 89}, BLUE),
    ({ORANGE: 12, YELLOW: 18, BLUE: 70}, ORANGE),
    ({ORANGE: 11, YELLOW: 19, BLUE: 70}, YELLOW),  # 30 % yellow or worse
    ({YELLOW: 29, BLUE: 71}, BLUE),
])
def test_region_colour_from_the_mix(counts, colour):
    assert grade_region(counts).colour == colour
