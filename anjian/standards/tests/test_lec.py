"""LEC: value tables, the five classic bands, the four-level mapping (standards.md §3.1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anjian.standards import RiskLevel, StandardsError, lec
from anjian.standards.lec import DangerBand, LevelMapping


def test_value_tables_are_the_majority_version() -> None:
    assert [str(v) for v in lec.L_VALUES] == ["10", "6", "3", "1", "0.5", "0.2", "0.1"]
    assert [str(v) for v in lec.E_VALUES] == ["10", "6", "3", "2", "1", "0.5"]
    assert [str(v) for v in lec.C_VALUES] == ["100", "40", "15", "7", "3", "1"]


def test_assess_multiplies_exactly_and_records_how() -> None:
    result = lec.assess(Decimal("0.2"), 3, 15)
    assert result.d == Decimal("9") and result.d == Decimal("0.2") * 3 * 15
    assert result.band is DangerBand.SLIGHT and result.level is RiskLevel.LOW
    assert (result.method, result.mapping, result.method_version) == ("LEC", "LEC-320/160/70", lec.METHOD_VERSION)
    assert result.bands_lower_inclusive


def test_floats_and_strings_that_are_table_values_are_accepted() -> None:
    assert lec.assess(0.1, 0.5, 1).d == Decimal("0.05")
    assert lec.assess("6", "6", "40").d == 1440


@pytest.mark.parametrize(("l", "e", "c"), [(2, 6, 7), (3, 4, 7), (3, 6, 6), (0, 6, 7), (3, 6, 1000)])
def test_values_outside_the_tables_are_refused(l: int, e: int, c: int) -> None:  # noqa: E741
    with pytest.raises(StandardsError) as caught:
        lec.assess(l, e, c)
    assert caught.value.code == "not_in_table" and "不在LEC取值表中" in str(caught.value)


def test_bool_and_garbage_are_refused() -> None:
    with pytest.raises(StandardsError):
        lec.assess(True, 6, 7)  # a bool is an int to type checkers; the run-time check refuses it
    with pytest.raises(StandardsError):
        lec.assess("三", 6, 7)
    with pytest.raises(StandardsError):
        lec.assess([3], 6, 7)  # type: ignore[arg-type]  # a wrong type on purpose: the run-time check
    with pytest.raises(StandardsError):
        lec.assess(Decimal("NaN"), 6, 7)


@pytest.mark.parametrize(
    ("d", "inclusive_band", "exclusive_band"),
    [
        (400, DangerBand.EXTREME, DangerBand.EXTREME),
        (320, DangerBand.EXTREME, DangerBand.HIGH),
        (319, DangerBand.HIGH, DangerBand.HIGH),
        (160, DangerBand.HIGH, DangerBand.SIGNIFICANT),
        (70, DangerBand.SIGNIFICANT, DangerBand.POSSIBLE),
        (69, DangerBand.POSSIBLE, DangerBand.POSSIBLE),
        (20, DangerBand.POSSIBLE, DangerBand.SLIGHT),
        (Decimal("19.9"), DangerBand.SLIGHT, DangerBand.SLIGHT),
        (0, DangerBand.SLIGHT, DangerBand.SLIGHT),
    ],
)
def test_five_bands_with_both_boundary_readings(d: int, inclusive_band: DangerBand, exclusive_band: DangerBand) -> None:
    assert lec.band_for(d) is inclusive_band
    assert lec.band_for(d, lower_inclusive=False) is exclusive_band


def test_band_labels() -> None:
    assert DangerBand.EXTREME.label == "极其危险，不能继续作业"
    assert DangerBand.SLIGHT.label == "稍有危险，可以接受"
    assert DangerBand.HIGH.lower_bound == 160


@pytest.mark.parametrize(
    ("d", "level"),
    [
        (1000, RiskLevel.MAJOR),
        (320, RiskLevel.MAJOR),
        (Decimal("319.99"), RiskLevel.HIGH),
        (160, RiskLevel.HIGH),
        (159, RiskLevel.MODERATE),
        (70, RiskLevel.MODERATE),
        (Decimal("69.9"), RiskLevel.LOW),
        (20, RiskLevel.LOW),
        (0, RiskLevel.LOW),
    ],
)
def test_default_four_level_mapping(d: int, level: RiskLevel) -> None:
    assert lec.level_for(d) is level


def test_classic_worked_values() -> None:
    # L=3 (可能，但不经常), E=6 (每天工作时间内暴露), C=15 (一人死亡): D = 270 → 高度危险, 较大风险 (橙).
    result = lec.assess(3, 6, 15)
    assert result.d == 270 and result.band is DangerBand.HIGH and result.level is RiskLevel.HIGH
    assert result.level.colour == "orange"
    # L=10, E=6, C=40: D = 2400 → 极其危险, 重大风险 (红).
    result = lec.assess(10, 6, 40)
    assert result.d == 2400 and result.band is DangerBand.EXTREME and result.level is RiskLevel.MAJOR


def test_custom_mapping_and_exclusive_boundaries() -> None:
    strict = LevelMapping(
        name="strict", major_from=Decimal(320), high_from=Decimal(160), moderate_from=Decimal(70), lower_inclusive=False
    )
    assert lec.level_for(320, strict) is RiskLevel.HIGH
    assert lec.level_for(160, strict) is RiskLevel.MODERATE
    assert lec.level_for(70, strict) is RiskLevel.LOW
    assert lec.level_for(321, strict) is RiskLevel.MAJOR
    result = lec.assess(3, 6, 15, mapping=strict, bands_lower_inclusive=False)
    assert result.mapping == "strict" and not result.bands_lower_inclusive
    # Bounds typed as Decimal; a str or int is converted at run time, which is what is tested here.
    provincial = LevelMapping(name="p", major_from="400", high_from=200, moderate_from=Decimal("20"))  # type: ignore[arg-type]
    assert provincial.major_from == Decimal("400") and lec.level_for(20, provincial) is RiskLevel.MODERATE


def test_mapping_bounds_must_descend() -> None:
    with pytest.raises(StandardsError) as caught:
        LevelMapping(name="bad", major_from=Decimal(160), high_from=Decimal(320), moderate_from=Decimal(70))
    assert caught.value.code == "mapping_order"
    with pytest.raises(StandardsError):
        LevelMapping(name="bad", major_from=Decimal(320), high_from=Decimal(160), moderate_from=Decimal(0))


def test_negative_d_is_refused() -> None:
    with pytest.raises(StandardsError, match="不能为负数"):
        lec.level_for(-1)
    with pytest.raises(StandardsError, match="不能为负数"):
        lec.band_for(Decimal("-0.1"))
