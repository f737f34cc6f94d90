"""GB 18218-2018: tests built from the standard's own tables and clauses."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from anjian.standards import StandardsError, gb18218
from anjian.standards.gb18218 import Item

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(filename: str, table: str) -> list[dict[str, str]]:
    """The CSV rows of one table, read here directly so the tests do not share the module's lookup path."""
    with (DATA / filename).open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["table"] == table]


TABLE1 = _rows("gb18218_critical_quantities.csv", "1")
TABLE2 = _rows("gb18218_critical_quantities.csv", "2")
TABLE3 = _rows("gb18218_correction_factors.csv", "3")
TABLE4 = _rows("gb18218_correction_factors.csv", "4")
CAS_COUNTS: dict[str, int] = {}
for _row in TABLE1:
    for _cas in _row["cas"].split(";"):
        if _cas:
            CAS_COUNTS[_cas.split("(")[0]] = CAS_COUNTS.get(_cas.split("(")[0], 0) + 1
UNIQUE_CAS = [
    (row["seq"], cas.split("(")[0], row["critical_quantity_t"])
    for row in TABLE1
    for cas in row["cas"].split(";")
    if cas and CAS_COUNTS[cas.split("(")[0]] == 1
]


def d(text: str) -> Decimal:
    return Decimal(text)


# ------------------------------------------------------------------------------------------------ Table 1


def test_table_sizes() -> None:
    assert len(TABLE1) == 85 and len(gb18218.table1()) == 85
    assert len(gb18218.table2()) == 24
    assert len(gb18218.table3()) == 14
    assert len(gb18218.table4()) == 24


@pytest.mark.parametrize("row", TABLE1, ids=lambda row: f"表1-{row['seq']}")
def test_every_table1_row_by_its_full_name(row: dict[str, str]) -> None:
    result = gb18218.identify([Item(quantity_t=d("1"), name=row["name"])]).rows[0]
    assert result.critical_quantity_t == Decimal(row["critical_quantity_t"])
    assert result.critical_quantity_source == f"表1 第{row['seq']}行"
    assert result.table1_name == row["name"]


@pytest.mark.parametrize(("seq", "cas", "quantity"), UNIQUE_CAS, ids=[f"{s}-{c}" for s, c, _ in UNIQUE_CAS])
def test_every_table1_row_by_its_unique_cas(seq: str, cas: str, quantity: str) -> None:
    result = gb18218.identify([Item(quantity_t=d("1"), cas=cas)]).rows[0]
    assert result.critical_quantity_t == Decimal(quantity)
    assert result.critical_quantity_source == f"表1 第{seq}行"
    assert result.name == result.table1_name


def test_shared_cas_numbers_are_only_the_nitrocellulose_and_ammonium_nitrate_rows() -> None:
    assert {cas for cas, count in CAS_COUNTS.items() if count > 1} == {"9004-70-0", "6484-52-2"}
    # 85 rows − 3 without CAS (13, 45, 74) − 8 sharing one (37–42, 43–44) = 74 rows; row 49 has 2 CAS numbers
    # and row 52 has 3: 77 unique CAS numbers.
    assert len(UNIQUE_CAS) == 77


@pytest.mark.parametrize(
    ("name", "seq"),
    [
        ("氯", 12),
        ("液氯", 12),  # alias
        ("氯气", 12),
        ("环氧丙烷", 63),  # 1,2-环氧丙烷 without its locants
        ("1,2-环氧丙烷", 63),
        ("汽油", 66),  # 汽油(乙醇汽油、甲醇汽油) without its qualifier
        ("乙醇汽油", 66),  # a variant the row itself names
        ("汽油（乙醇汽油、甲醇汽油）", 66),  # full-width brackets
        ("甲醛（含量＞90%）", 8),
        ("氯化氢", 11),  # 表3 writes 氯化氢; 表1 writes 氯化氢(无水)
        ("3-氯-1,2-环氧丙烷", 21),  # the alias' locants differ from the row name's; both strip to 氯环氧丙烷
        ("环氧氯丙烷", 21),
        ("丙烯腈", 60),
        ("三硝基甲苯", 35),
        ("tnt", 35),
        ("甲烷", 49),
        ("天然气", 49),
        ("丙烷", 52),  # the CAS cell names it: 74-98-6(丙烷)
        ("丁烷", 52),
        ("液化石油气", 52),
        ("硝化纤维素(含乙醇≥25%)", 39),
        ("硝化纤维素（含乙醇≥25％）", 39),
        ("硝化棉溶液", 42),
        ("硝酸铵肥料", 45),
        ("发烟硝酸", 80),
        ("硝酸", 81),
        ("氧气", 56),
        (" 苯 ", 57),
    ],
)
def test_names_as_people_write_them(name: str, seq: int) -> None:
    assert gb18218.lookup(name).seq == seq


def test_every_row_name_and_alias_resolves_to_its_own_row_unless_shared() -> None:
    for entry in gb18218.table1():
        assert gb18218.lookup(entry.name) == entry
        for alias in entry.aliases:
            if alias not in {"硝化棉"}:
                assert gb18218.lookup(alias) == entry, alias


@pytest.mark.parametrize("name", ["硝化纤维素", "硝化棉", "硝酸铵"])
def test_ambiguous_names_are_refused_with_the_candidates(name: str) -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup(name)
    assert caught.value.code == "ambiguous_name"
    assert "对应多行" in str(caught.value)
    if name == "硝酸铵":
        assert "第43行" in str(caught.value) and "第44行" in str(caught.value)
        assert "第45行" not in str(caught.value)
    else:
        assert all(f"第{seq}行" in str(caught.value) for seq in (37, 38, 39, 40, 41))
        assert "第42行" not in str(caught.value)


def test_ambiguous_cas_is_refused() -> None:
    with pytest.raises(StandardsError, match="CAS号 9004-70-0.*对应多行"):
        gb18218.lookup(cas="9004-70-0")


def test_name_and_cas_together_narrow_and_must_agree() -> None:
    assert gb18218.lookup("液氯", "7782-50-5").seq == 12
    assert gb18218.lookup("硝化纤维素(含水≥25%)", "9004-70-0").seq == 41
    assert gb18218.lookup("not a table name", "7782-50-5").seq == 12
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup("氨", "7782-50-5")
    assert caught.value.code == "name_cas_conflict"
    with pytest.raises(StandardsError, match="对应多行"):
        gb18218.lookup("硝化棉", "9004-70-0")


def test_a_name_that_designates_several_rows_is_settled_by_its_cas() -> None:
    # Table 1's own ambiguous names share one CAS number per group (硝化纤维素/硝化棉 9004-70-0, 硝酸铵 6484-52-2),
    # so there the CAS settles nothing; a name written with a bracketed variant naming a second row does reach two
    # rows with different CAS numbers: 己烷 (row 70, 正己烷 110-54-3) and 环己烷 (row 62, 110-82-7).
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup("己烷（环己烷）")
    assert caught.value.code == "ambiguous_name" and "第62行" in str(caught.value) and "第70行" in str(caught.value)
    assert gb18218.lookup("己烷（环己烷）", "110-82-7").seq == 62
    assert gb18218.lookup("己烷（环己烷）", "110-54-3").seq == 70
    row = gb18218.identify([Item(quantity_t=d("100"), name="己烷（环己烷）", cas="110-82-7")]).rows[0]
    assert (row.table1_name, row.critical_quantity_source) == ("环己烷", "表1 第62行")
    with pytest.raises(StandardsError, match="对应多行"):
        gb18218.lookup("硝酸铵", "6484-52-2")  # the shared CAS number narrows nothing


def test_unknown_name_lists_the_nearest_candidates() -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup("氯气体")
    message = str(caught.value)
    assert caught.value.code == "unknown_name"
    assert "不在 GB 18218-2018 表1 中" in message and "相近的名称" in message and "氯（表1 第12行）" in message


def test_unknown_name_without_any_near_candidate() -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup("zzzzzz")
    assert "相近" not in str(caught.value)
    assert "危险性类别符号" in str(caught.value)


def test_unknown_cas_is_refused_without_suggestions() -> None:
    with pytest.raises(StandardsError, match="CAS号 108-95-2不在"):
        gb18218.identify([Item(quantity_t=d("1"), cas="108-95-2")])


@pytest.mark.parametrize(("cas", "code"), [("7782-50-6", "cas_check"), ("7782505", "cas_format"), ("x", "cas_format")])
def test_malformed_cas_is_refused(cas: str, code: str) -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.lookup(cas=cas)
    assert caught.value.code == code


def test_full_width_cas_and_dashes_are_accepted() -> None:
    assert gb18218.lookup(cas="７７８２－５０－５").seq == 12
    assert gb18218.lookup(cas="7782—50—5").seq == 12


# ------------------------------------------------------------------------------------------ Table 3, CO


@pytest.mark.parametrize("row", TABLE3, ids=lambda row: row["key"])
def test_every_table3_beta(row: dict[str, str]) -> None:
    result = gb18218.identify([Item(quantity_t=d("1"), name=row["key"])]).rows[0]
    assert result.beta == Decimal(row["value"])
    assert result.beta_source == "表3"


def test_carbon_monoxide_takes_row_13_and_table3_beta() -> None:
    by_name = gb18218.identify([Item(quantity_t=d("10"), name="一氧化碳")]).rows[0]
    by_cas = gb18218.identify([Item(quantity_t=d("10"), cas="630-08-0")]).rows[0]
    for row in (by_name, by_cas):
        assert row.critical_quantity_t == Decimal("20")
        assert row.critical_quantity_source == "表1 第13行"
        assert row.beta == Decimal("2") and row.beta_source == "表3"
    assert by_cas.name == "煤气(CO,CO和H₂、CH₄的混合物等)"


def test_town_gas_is_row_13_but_not_table3() -> None:
    row = gb18218.identify([Item(quantity_t=d("10"), name="煤气")]).rows[0]
    assert row.critical_quantity_source == "表1 第13行" and row.beta is None
    with pytest.raises(StandardsError, match="校正系数β"):
        gb18218.grade([Item(quantity_t=d("10"), name="煤气")], exposed_people=0)
    with_symbol = gb18218.identify([Item(quantity_t=d("10"), name="煤气", hazard_symbols=("W2",))]).rows[0]
    assert with_symbol.beta == Decimal("1.5") and with_symbol.beta_source == "表4 W2"


def test_carbon_monoxide_name_with_a_conflicting_cas_is_refused() -> None:
    with pytest.raises(StandardsError, match="二者不一致"):
        gb18218.lookup("一氧化碳", "7782-50-5")


# ------------------------------------------------------------------------------------------ Tables 2, 4


@pytest.mark.parametrize("row", TABLE2, ids=lambda row: row["symbol"])
def test_every_table2_quantity(row: dict[str, str]) -> None:
    result = gb18218.identify([Item(quantity_t=d("3"), name="X", hazard_symbols=(row["symbol"],))]).rows[0]
    assert result.critical_quantity_t == Decimal(row["critical_quantity_t"])
    assert result.critical_quantity_source == f"表2 {row['symbol']}"


@pytest.mark.parametrize("row", TABLE4, ids=lambda row: row["key"])
def test_every_table4_beta_for_a_table1_chemical_not_in_table3(row: dict[str, str]) -> None:
    result = gb18218.identify([Item(quantity_t=d("100"), name="甲醇", hazard_symbols=(row["key"],))]).rows[0]
    assert result.critical_quantity_t == Decimal("500")  # Q stays Table 1's (4.1.2 a)
    assert result.beta == Decimal(row["value"])
    assert result.beta_source == f"表4 {row['key']}"


def test_several_symbols_lowest_q_and_highest_beta() -> None:
    # 4.1.2 b): several hazards -> the lowest Q (J1 5 t < W2 10 t); β: the highest of Table 4 (J1 4 > W2 1.5).
    row = gb18218.identify([Item(quantity_t=d("1"), name="X", hazard_symbols=("W2", "J1"))]).rows[0]
    assert (row.critical_quantity_t, row.critical_quantity_source) == (Decimal("5"), "表2 J1")
    assert (row.beta, row.beta_source) == (Decimal("4"), "表4 J1")
    mixed = gb18218.identify([Item(quantity_t=d("1"), name="Y", hazard_symbols=("W5.1", "J5"))]).rows[0]
    assert (mixed.critical_quantity_t, mixed.critical_quantity_source) == (Decimal("10"), "表2 W5.1")
    assert (mixed.beta, mixed.beta_source) == (Decimal("1.5"), "表4 W5.1")


def test_symbols_are_normalised_deduplicated_and_checked() -> None:
    item = Item(quantity_t=d("1"), name="X", hazard_symbols=("ｗ５．３", "W5.3", " w2 "))
    assert item.hazard_symbols == ("W5.3", "W2")
    # hazard_symbols is typed as a tuple; a single str is accepted at run time, which is what is tested here.
    assert Item(quantity_t=d("1"), name="X", hazard_symbols="W2").hazard_symbols == ("W2",)  # type: ignore[arg-type]
    with pytest.raises(StandardsError) as caught:
        Item(quantity_t=d("1"), name="X", hazard_symbols=("W12",))
    assert caught.value.code == "unknown_symbol" and "W11" in str(caught.value)


# ------------------------------------------------------------------------------------------------ assessor


def test_assessor_quantity_and_beta() -> None:
    row = gb18218.identify([Item(quantity_t=d("80"), name="B", critical_quantity_t=d("20"), beta=d("2"))]).rows[0]
    assert (row.critical_quantity_source, row.beta_source) == ("assessor", "assessor")
    assert row.ratio == 4 and row.weighted_ratio == 8


def test_assessor_quantity_wins_over_symbols_for_a_chemical_not_in_table1() -> None:
    row = gb18218.identify(
        [Item(quantity_t=d("1"), name="X", hazard_symbols=("W2",), critical_quantity_t=d("7"))]
    ).rows[0]
    assert (row.critical_quantity_t, row.critical_quantity_source) == (Decimal("7"), "assessor")
    assert row.beta_source == "表4 W2"


def test_assessor_beta_for_a_table1_chemical_not_in_table3() -> None:
    row = gb18218.identify([Item(quantity_t=d("100"), name="甲醇", beta=d("1"))]).rows[0]
    assert (row.critical_quantity_source, row.beta, row.beta_source) == ("表1 第65行", Decimal("1"), "assessor")


@pytest.mark.parametrize(
    ("name", "cas"), [("硝酸铵", ""), ("硝化棉", ""), ("", "9004-70-0"), ("硝化纤维素", "9004-70-0")]
)
def test_assessor_quantity_makes_an_ambiguous_name_a_label(name: str, cas: str) -> None:
    item = Item(quantity_t=d("10"), name=name, cas=cas, critical_quantity_t=d("20"))
    row = gb18218.identify([item]).rows[0]
    assert (row.critical_quantity_t, row.critical_quantity_source) == (Decimal("20"), "assessor")
    assert row.table1_name is None and row.name == (name or cas) and row.ratio == Fraction(1, 2)
    assert row.beta is None and row.beta_source is None
    # Grading needs a β as well: the assessor's, or one from Table 4 by hazard symbol.
    with pytest.raises(StandardsError) as caught:
        gb18218.grade([item], exposed_people=0)
    assert caught.value.code == "beta_missing"
    graded = gb18218.grade(
        [Item(quantity_t=d("10"), name=name, cas=cas, critical_quantity_t=d("20"), beta=d("2"))], exposed_people=0
    )
    assert [(r.critical_quantity_source, r.beta_source) for r in graded.rows] == [("assessor", "assessor")]
    assert graded.r == Fraction(1, 2)  # α 0.5 × β 2 × 10/20
    with_symbol = gb18218.identify(
        [Item(quantity_t=d("10"), name=name, cas=cas, critical_quantity_t=d("20"), hazard_symbols=("W9.1",))]
    ).rows[0]
    assert (with_symbol.critical_quantity_source, with_symbol.beta_source) == ("assessor", "表4 W9.1")


def test_an_ambiguous_name_without_an_assessor_quantity_is_still_refused() -> None:
    # A β, or hazard symbols, do not choose the row: Q does, and Table 1 has several for this name.
    for item in (
        Item(quantity_t=d("10"), name="硝酸铵", beta=d("1")),
        Item(quantity_t=d("10"), name="硝酸铵", hazard_symbols=("W9.1",)),
    ):
        with pytest.raises(StandardsError) as caught:
            gb18218.identify([item])
        assert caught.value.code == "ambiguous_name"


def test_an_assessor_quantity_does_not_excuse_a_conflict_or_a_settled_row() -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.identify([Item(quantity_t=d("1"), name="硝酸铵", cas="9004-70-0", critical_quantity_t=d("20"))])
    assert caught.value.code == "name_cas_conflict"
    # Settled by its CAS, the name is no longer ambiguous: Table 1's Q applies (4.1.2 a).
    with pytest.raises(StandardsError) as caught:
        gb18218.identify([Item(quantity_t=d("1"), name="己烷（环己烷）", cas="110-82-7", critical_quantity_t=d("20"))])
    assert caught.value.code == "table1_quantity"


def test_assessor_may_not_contradict_table1_or_table3() -> None:
    with pytest.raises(StandardsError) as caught:
        Item(quantity_t=d("1"), name="氯", critical_quantity_t=d("50"))
        gb18218.identify([Item(quantity_t=d("1"), name="氯", critical_quantity_t=d("50"))])
    assert caught.value.code == "table1_quantity" and "4.1.2" in str(caught.value)
    with pytest.raises(StandardsError) as caught:
        gb18218.identify([Item(quantity_t=d("1"), name="氯", beta=d("1"))])
    assert caught.value.code == "table3_beta"
    agreeing = gb18218.identify([Item(quantity_t=d("1"), name="氯", critical_quantity_t=d("5"), beta=d("4"))]).rows[0]
    assert (agreeing.critical_quantity_source, agreeing.beta_source) == ("表1 第12行", "表3")


# ------------------------------------------------------------------------------------------- Item checks


def test_item_inputs_are_checked() -> None:
    with pytest.raises(StandardsError, match="名称或CAS号"):
        Item(quantity_t=d("1"))
    with pytest.raises(StandardsError, match="不能为负数"):
        Item(quantity_t=d("-1"), name="氯")
    with pytest.raises(StandardsError, match="二进制浮点数"):
        Item(quantity_t=0.1, name="氯")  # type: ignore[arg-type]  # a float on purpose: the run-time refusal
    with pytest.raises(StandardsError, match="临界量Q必须大于0"):
        Item(quantity_t=d("1"), name="B", critical_quantity_t=d("0"))
    with pytest.raises(StandardsError, match="校正系数β必须大于0"):
        Item(quantity_t=d("1"), name="B", critical_quantity_t=d("1"), beta=d("-2"))
    # The quantities are typed as Decimal; a str or int is converted at run time, which is what is tested here.
    assert Item(quantity_t="2.5", name=" 氯 ").quantity_t == Decimal("2.5")  # type: ignore[arg-type]
    assert Item(quantity_t=3, name="氯").name == "氯"  # type: ignore[arg-type]
    assert Item(quantity_t=d("1"), name="B", critical_quantity_t=2, beta="1.5").beta == Decimal("1.5")  # type: ignore[arg-type]


def test_an_assessor_beta_of_zero_is_refused() -> None:
    # β = 0 would drop the chemical from R = α·Σ β·q/Q (4.3) and grade the unit too low: β must be > 0.
    # β is typed as Decimal; a str or int is converted at run time, and 0 in each form is refused.
    for beta in (d("0"), "0", 0, d("-0.0")):
        with pytest.raises(StandardsError) as caught:
            Item(quantity_t=d("1"), name="B", critical_quantity_t=d("1"), beta=beta)  # type: ignore[arg-type]
        assert caught.value.code == "not_positive"
        assert str(caught.value) == "「B」的校正系数β必须大于0（收到 " + str(Decimal(str(beta))) + "）"
    assert Item(quantity_t=d("1"), name="B", critical_quantity_t=d("1"), beta=d("0.001")).beta == Decimal("0.001")


def test_an_assessor_quantity_given_as_a_string_is_converted_or_refused() -> None:
    # The quantities are typed as Decimal; a str is converted at run time, which is what is tested here.
    item = Item(quantity_t="80", name="B", critical_quantity_t=" 20 ", beta="2")  # type: ignore[arg-type]
    assert type(item.critical_quantity_t) is Decimal and item.critical_quantity_t == Decimal("20")
    row = gb18218.grade([item], exposed_people=0).rows[0]
    assert type(row.critical_quantity_t) is Decimal and row.critical_quantity_t == Decimal("20")
    assert type(row.quantity_t) is Decimal and type(row.beta) is Decimal
    assert row.ratio == 4 and row.weighted_ratio == 8
    with pytest.raises(StandardsError) as caught:
        Item(quantity_t=d("1"), name="B", critical_quantity_t="二十")  # type: ignore[arg-type]
    assert caught.value.code == "not_a_number" and "「B」的临界量Q「二十」不是有效的数值" in str(caught.value)
    with pytest.raises(StandardsError) as caught:
        Item(quantity_t=d("1"), name="B", critical_quantity_t=d("1"), beta="x")  # type: ignore[arg-type]
    assert caught.value.code == "not_a_number" and "校正系数β" in str(caught.value)


def test_identify_refuses_what_is_not_an_item() -> None:
    with pytest.raises(StandardsError, match="gb18218.Item"):
        gb18218.identify([("氯", 5)])  # type: ignore[list-item]  # not an Item, on purpose: the run-time check


def test_name_without_table_entry_and_without_q_is_refused() -> None:
    with pytest.raises(StandardsError) as caught:
        gb18218.identify([Item(quantity_t=d("1"), name="苯酚")])
    assert caught.value.code == "unknown_name"


# -------------------------------------------------------------------------------------- identification


def test_exact_arithmetic_five_tenths_one_fifth_two_tenths() -> None:
    # In binary floats 5/10 + 1/5 + 0.2/1 is 0.8999999999999999; the standard compares exactly.
    ident = gb18218.identify(
        [
            Item(quantity_t=d("5"), name="A", critical_quantity_t=d("10")),
            Item(quantity_t=d("1"), name="B", critical_quantity_t=d("5")),
            Item(quantity_t=d("0.2"), name="C", critical_quantity_t=d("1")),
        ]
    )
    assert ident.s == Decimal("0.9")
    assert ident.s == Fraction(9, 10)
    assert not ident.is_major


def test_s_exactly_one_is_major() -> None:
    # 0.7 + 0.1 + 0.2 is 0.9999999999999999 in binary floats: a float implementation would miss this unit.
    ident = gb18218.identify(
        [
            Item(quantity_t=d("0.7"), name="A", critical_quantity_t=d("1")),
            Item(quantity_t=d("0.1"), name="B", critical_quantity_t=d("1")),
            Item(quantity_t=d("0.2"), name="C", critical_quantity_t=d("1")),
        ]
    )
    assert ident.s == 1 and ident.is_major
    single = gb18218.identify([Item(quantity_t=d("5"), name="氯")])
    assert single.s == 1 and single.is_major
    below = gb18218.identify([Item(quantity_t=d("4.999"), name="氯")])
    assert below.s < 1 and not below.is_major


def test_q_over_q_with_a_non_terminating_quotient_stays_exact() -> None:
    # 光气 Q = 0.3 t: 0.1/0.3 = 1/3 exactly, three of them make S = 1.
    items = [Item(quantity_t=d("0.1"), name="光气")] * 3
    ident = gb18218.identify(items)
    assert ident.rows[0].ratio == Fraction(1, 3)
    assert ident.s == 1 and ident.is_major


def test_identify_works_for_a_table1_chemical_without_symbol_while_grade_refuses() -> None:
    items = [Item(quantity_t=d("600"), name="甲醇")]
    ident = gb18218.identify(items)
    assert ident.is_major and ident.s == Fraction(6, 5)
    assert ident.rows[0].beta is None and ident.rows[0].weighted_ratio is None
    with pytest.raises(StandardsError) as caught:
        gb18218.grade(items, exposed_people=10)
    assert caught.value.code == "beta_missing"
    assert "「甲醇」（表1 第65行）" in str(caught.value) and "危险性类别符号" in str(caught.value)


def test_empty_unit() -> None:
    ident = gb18218.identify([])
    assert ident.s == 0 and not ident.is_major and ident.rows == ()


def test_result_carries_method_and_version() -> None:
    ident = gb18218.identify([Item(quantity_t=d("1"), name="氯")])
    assert ident.method == "GB 18218-2018 4.2.1" and ident.method_version == gb18218.METHOD_VERSION
    grading = gb18218.grade([Item(quantity_t=d("1"), name="氯")], exposed_people=0)
    assert grading.method == "GB 18218-2018 4.3"


# ---------------------------------------------------------------------------------------- Tables 5 and 6


@pytest.mark.parametrize(
    ("people", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (10**6, "2.0"),
    ],
)
def test_alpha_table5(people: int, alpha: str) -> None:
    assert gb18218.alpha_for(people) == Decimal(alpha)


@pytest.mark.parametrize("people", [-1, True, "5", 5.0])
def test_alpha_refuses_bad_counts(people: object) -> None:
    with pytest.raises(StandardsError):
        gb18218.alpha_for(people)  # type: ignore[arg-type]  # wrong types on purpose: the run-time check


@pytest.mark.parametrize(
    ("r", "level"),
    [
        (Decimal("1000"), 1),
        (100, 1),
        (Fraction(9999, 100), 2),
        (50, 2),
        (Decimal("49.999"), 3),
        (10, 3),
        (Fraction(99999, 10000), 4),
        (0, 4),
        ("75", 2),
    ],
)
def test_level_table6(r: object, level: int) -> None:
    assert gb18218.level_for(r) == level  # type: ignore[arg-type]  # "75": a numeric str is also converted at run time


def test_level_refuses_negative_and_float() -> None:
    with pytest.raises(StandardsError, match="不能为负数"):
        gb18218.level_for(-1)
    with pytest.raises(StandardsError, match="浮点数"):
        gb18218.level_for(10.0)  # type: ignore[arg-type]  # a float on purpose: the run-time refusal


@pytest.mark.parametrize(("quantity", "level"), [("25", 3), ("31.25", 2), ("62.5", 1)])
def test_r_exactly_at_the_level_boundaries(quantity: str, level: int) -> None:
    # 氨 Q = 10 t, β = 2 (表3); α = 2.0 (≥ 100 people): R = 2.0 × 2 × q/10 = 0.4 q -> 10, 12.5...
    # For R = 10, 50 and 100 exactly: 氨 25 t -> R = 10; 氯 (Q 5, β 4) 31.25 t -> 2 × 4 × 6.25 = 50;
    # 氯 62.5 t -> 100.
    name = "氨" if quantity == "25" else "氯"
    grading = gb18218.grade([Item(quantity_t=Decimal(quantity), name=name)], exposed_people=100)
    assert grading.r == {"25": 10, "31.25": 50, "62.5": 100}[quantity]
    assert grading.level == level
    assert grading.level_label == f"{'一二三'[level - 1]}级"


def test_grade_of_a_unit_that_is_not_major() -> None:
    grading = gb18218.grade([Item(quantity_t=d("2"), name="氯")], exposed_people=0)
    assert not grading.is_major and grading.level is None and grading.level_label is None
    assert grading.alpha == Decimal("0.5") and grading.r == Fraction(8, 10)  # 0.5 × 4 × 2/5


def test_grade_refuses_negative_people() -> None:
    with pytest.raises(StandardsError, match="不能为负数"):
        gb18218.grade([Item(quantity_t=d("5"), name="氯")], exposed_people=-1)


def test_worked_example_chlorine_and_ammonia() -> None:
    """A storage unit: a 液氯 tank of 20 t design maximum and a 液氨 tank of 50 t; 60 people within 500 m.

    By hand, GB 18218-2018 4.2.1 and 4.3:
      S = q1/Q1 + q2/Q2 = 20/5 + 50/10 = 4 + 5 = 9 ≥ 1 → 重大危险源
      β: 氯 4, 氨 2 (表3); α: 60 people → 1.5 (表5, 50~99人)
      R = 1.5 × (4 × 20/5 + 2 × 50/10) = 1.5 × (16 + 10) = 39 → 50 > R ≥ 10 → 三级 (表6)
    """
    grading = gb18218.grade(
        [Item(quantity_t=d("20"), name="液氯"), Item(quantity_t=d("50"), name="液氨")], exposed_people=60
    )
    assert grading.s == 9 and grading.is_major
    assert grading.alpha == Decimal("1.5") and grading.alpha_source == "表5 50~99人"
    assert [row.weighted_ratio for row in grading.rows] == [16, 10]
    assert grading.r == 39
    assert grading.level == 3 and grading.level_label == "三级"
    assert grading.exposed_people == 60


def test_worked_example_mixed_sources() -> None:
    """A unit mixing a Table 1 chemical with a symbol, a Table 2 chemical and an assessor's values.

    甲醇 300 t: Q 500 (表1 第65行), β 1 (表4 W5.3)      → q/Q = 0.6,  β·q/Q = 0.6
    X 300 t, W5.1: Q 10 (表2 W5.1), β 1.5 (表4 W5.1)    → q/Q = 30,   β·q/Q = 45
    B 80 t: Q 20, β 2 (assessor)                        → q/Q = 4,    β·q/Q = 8
    S = 34.6 → major; α for 0 people = 0.5; R = 0.5 × 53.6 = 26.8 → 三级
    """
    grading = gb18218.grade(
        [
            Item(quantity_t=d("300"), name="甲醇", hazard_symbols=("W5.3",)),
            Item(quantity_t=d("300"), name="X", hazard_symbols=("W5.1",)),
            Item(quantity_t=d("80"), name="B", critical_quantity_t=d("20"), beta=d("2")),
        ],
        exposed_people=0,
    )
    assert grading.s == Decimal("34.6") and grading.r == Decimal("26.8") and grading.level == 3
    assert [row.critical_quantity_source for row in grading.rows] == ["表1 第65行", "表2 W5.1", "assessor"]
    assert [row.beta_source for row in grading.rows] == ["表4 W5.3", "表4 W5.1", "assessor"]


# ------------------------------------------------------------------------------- the data files' parsers


def test_parsers_refuse_malformed_data() -> None:
    with pytest.raises(StandardsError, match="CAS号"):
        gb18218._parse_cas_cell("7782_50_5")
    with pytest.raises(StandardsError, match="表4 数据文件缺少"):
        gb18218._parse_categories(
            [{"table": "2", "symbol": "J1", "category": "", "hazard_description": "", "critical_quantity_t": "5"}], []
        )
    with pytest.raises(StandardsError, match="无法识别"):
        gb18218._parse_alpha_bands([{"table": "5", "key": "很多人", "value": "2"}])
    with pytest.raises(StandardsError, match="不连续"):
        gb18218._parse_alpha_bands(
            [{"table": "5", "key": "0人", "value": "0.5"}, {"table": "5", "key": "2~9人", "value": "1"}]
        )
    with pytest.raises(StandardsError, match="不连续"):
        gb18218._parse_alpha_bands(
            [{"table": "5", "key": "0人以上", "value": "0.5"}, {"table": "5", "key": "1人", "value": "1"}]
        )
    with pytest.raises(StandardsError, match="以上"):
        gb18218._parse_alpha_bands([{"table": "5", "key": "0人", "value": "0.5"}])
    with pytest.raises(StandardsError, match="表6"):
        gb18218._parse_level_bands([{"table": "6", "key": "一级", "value": "R≥100"}])
    with pytest.raises(StandardsError, match="表6"):
        gb18218._parse_level_bands([])
