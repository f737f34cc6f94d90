"""Property tests (hypothesis): monotonicity and order invariance of GB 18218 and 条例 第三条."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.standards import accidents, gb18218
from anjian.standards.gb18218 import Item

# Chemicals whose Q and β are all determined: Table 3 names, Table 2 symbols, assessor values.
_TABLE3_NAMES = ["氯", "氨", "硫化氢", "光气", "一氧化碳", "环氧乙烷", "氰化氢"]
_SYMBOLS = sorted(gb18218.table2())

quantities = st.decimals(min_value=0, max_value=10_000, places=3, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=Decimal("0.001"), max_value=1000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def items(draw: st.DrawFn) -> Item:
    quantity = draw(quantities)
    kind = draw(st.sampled_from(["table3", "symbols", "assessor", "table1_with_symbol"]))
    if kind == "table3":
        return Item(quantity_t=quantity, name=draw(st.sampled_from(_TABLE3_NAMES)))
    if kind == "symbols":
        symbols = draw(st.lists(st.sampled_from(_SYMBOLS), min_size=1, max_size=3))
        return Item(quantity_t=quantity, name="X", hazard_symbols=tuple(symbols))
    if kind == "assessor":
        return Item(quantity_t=quantity, name="B", critical_quantity_t=draw(positive), beta=draw(positive))
    return Item(
        quantity_t=quantity,
        name=draw(st.sampled_from(["甲醇", "汽油", "苯", "液化石油气"])),
        hazard_symbols=(draw(st.sampled_from(_SYMBOLS)),),
    )


units = st.lists(items(), min_size=0, max_size=6)
people = st.integers(min_value=0, max_value=500)


def _with_quantity(item: Item, quantity: Decimal) -> Item:
    return Item(
        quantity_t=quantity,
        name=item.name,
        cas=item.cas,
        hazard_symbols=item.hazard_symbols,
        critical_quantity_t=item.critical_quantity_t,
        beta=item.beta,
    )


@settings(max_examples=200, deadline=None)
@given(unit=units, index=st.integers(min_value=0), extra=quantities, exposed=people)
def test_s_and_r_are_monotone_in_every_quantity(unit: list[Item], index: int, extra: Decimal, exposed: int) -> None:
    if not unit:
        return
    i = index % len(unit)
    bigger = list(unit)
    bigger[i] = _with_quantity(unit[i], unit[i].quantity_t + extra)
    before, after = gb18218.grade(unit, exposed), gb18218.grade(bigger, exposed)
    assert after.s >= before.s
    assert after.r >= before.r
    assert after.is_major or not before.is_major
    if before.level is not None:
        assert after.level is not None and after.level <= before.level


@settings(max_examples=200, deadline=None)
@given(unit=units, added=items(), exposed=people)
def test_adding_a_chemical_never_lowers_s_or_r(unit: list[Item], added: Item, exposed: int) -> None:
    before, after = gb18218.grade(unit, exposed), gb18218.grade([*unit, added], exposed)
    assert after.s >= before.s and after.r >= before.r


@settings(max_examples=200, deadline=None)
@given(unit=units, exposed=people, data=st.data())
def test_results_do_not_depend_on_the_order_of_chemicals(unit: list[Item], exposed: int, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(unit))
    first, second = gb18218.grade(unit, exposed), gb18218.grade(shuffled, exposed)
    assert (first.s, first.r, first.level, first.is_major) == (second.s, second.r, second.level, second.is_major)


@settings(max_examples=200, deadline=None)
@given(unit=units, fewer=people, more=people)
def test_r_is_monotone_in_exposed_people(unit: list[Item], fewer: int, more: int) -> None:
    low, high = sorted((fewer, more))
    assert gb18218.grade(unit, high).r >= gb18218.grade(unit, low).r
    assert gb18218.alpha_for(high) >= gb18218.alpha_for(low)


counts = st.integers(min_value=0, max_value=200)
losses = st.decimals(min_value=0, max_value=300_000_000, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(deaths=counts, injuries=counts, loss=losses, more_deaths=counts, more_injuries=counts, more_loss=losses)
def test_accident_grade_is_monotone_in_each_input(
    deaths: int, injuries: int, loss: Decimal, more_deaths: int, more_injuries: int, more_loss: Decimal
) -> None:
    base = accidents.grade(deaths=deaths, serious_injuries=injuries, direct_loss_yuan=loss).grade.severity
    for bigger in (
        accidents.grade(deaths=deaths + more_deaths, serious_injuries=injuries, direct_loss_yuan=loss),
        accidents.grade(deaths=deaths, serious_injuries=injuries + more_injuries, direct_loss_yuan=loss),
        accidents.grade(deaths=deaths, serious_injuries=injuries, direct_loss_yuan=loss + more_loss),
    ):
        assert bigger.grade.severity >= base


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=500, places=3, allow_nan=False),
    more=st.decimals(min_value=0, max_value=500, places=3, allow_nan=False),
)
def test_level_is_monotone_in_r(value: Decimal, more: Decimal) -> None:
    assert gb18218.level_for(value + more) <= gb18218.level_for(value)
