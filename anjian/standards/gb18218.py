"""GB 18218-2018《危险化学品重大危险源辨识》: identification (4.2) and grading (4.3) of one unit.

A unit (生产单元 or 储存单元, clause 3.2) holds chemicals i with quantities qᵢ in tonnes (the design maximum,
4.2.2). Identification, formula (1): S = Σ qᵢ/Qᵢ; the unit is a major hazard (重大危险源) when S ≥ 1, S = 1
included (clause 3.4 "等于或超过"). Grading, formula (2): R = α·Σ βᵢ·qᵢ/Qᵢ, and Table 6 gives the level
一级..四级. Arithmetic is exact (Fraction), so S = 1 and R = 10/50/100 compare exactly.

Where each number comes from (4.1.2 and 4.3):

* Q: Table 1 for a named chemical; otherwise Table 2 by hazard symbol (J1..W11), the lowest Q when the chemical
  has several (4.1.2 b); otherwise a Q determined by an assessor.
* β: Table 3 for the named toxic gases; otherwise Table 4 by hazard symbol; otherwise a β determined by an
  assessor. Table 4 gives no rule for a chemical with several symbols: this module takes the **highest** β,
  the conservative reading, by analogy with 4.1.2 b) which takes the most severe (lowest) Q.
* α: Table 5, by the number of people (常住人口) within 500 m outside the plant boundary.

The tables are read from the package's copies in ``data/`` (see data/SOURCES.md).

Names are matched the way people write them: full-width or half-width brackets, with or without locants
(环氧丙烷 = 1,2-环氧丙烷), by alias or CAS, and without a bracketed qualifier where that leaves one row
(汽油 = 汽油(乙醇汽油、甲醇汽油)). An ambiguous name (硝化纤维素, 硝酸铵) or an unknown one is refused with the
nearest candidates, unless a CAS number settles it or an assessor gives Q: the name is then only a label, and the
row records Q (and β, if given) as the assessor's. 一氧化碳 (CAS 630-08-0) is not a Table 1 name, but Table 1
row 13 names CO itself ("煤气(CO, CO和H₂、CH₄的混合物等)") and Table 3 lists 一氧化碳: it takes Q from row 13 and
β = 2 from Table 3. 煤气 as such is not in Table 3, so its β comes from Table 4 by hazard symbol.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache

from anjian.standards import _names
from anjian.standards._data import read_csv
from anjian.standards._errors import StandardsError
from anjian.standards._numbers import to_count, to_decimal, to_fraction

__all__ = [
    "Grading",
    "HazardCategory",
    "Identification",
    "Item",
    "METHOD",
    "METHOD_VERSION",
    "Row",
    "Table1Entry",
    "alpha_for",
    "grade",
    "identify",
    "level_for",
    "lookup",
    "table1",
    "table2",
    "table3",
    "table4",
]

METHOD = "GB 18218-2018"
METHOD_VERSION = "1"
"""Bump when a reading below changes (e.g. the several-symbol β rule), so stored results stay reproducible."""

SOURCE_ASSESSOR = "assessor"

_CRITICAL_QUANTITIES_CSV = "gb18218_critical_quantities.csv"  # GB 18218-2018 表1 and 表2
_CORRECTION_FACTORS_CSV = "gb18218_correction_factors.csv"  # GB 18218-2018 表3, 表4, 表5 and 表6

# GB 18218-2018 表1 第13行 "煤气(CO,CO和H₂、CH₄的混合物等)" names CO itself, and 表3 lists 一氧化碳 (β = 2):
# carbon monoxide is matched to that row, keeping its Table 3 name. 630-08-0 is the CAS number of CO.
_CARBON_MONOXIDE = "一氧化碳"
_CARBON_MONOXIDE_CAS = "630-08-0"
_CARBON_MONOXIDE_ROW = 13

# GB 18218-2018 表6 "级别" column: 一级..四级.
_LEVEL_NUMBERS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4}

# A CAS Registry Number, optionally followed by the name a 表1 CAS cell gives it ("74-98-6(丙烷)").
_CAS_PATTERN = re.compile(r"^(\d{2,7}-\d{2}-\d)(?:\((.+)\))?$")
_ALPHA_AT_LEAST = re.compile(r"^(\d+)人以上$")  # 表5 "100人以上" ("以上" includes the number)
_ALPHA_RANGE = re.compile(r"^(\d+)~(\d+)人$")  # 表5 "50~99人"
_ALPHA_EXACT = re.compile(r"^(\d+)人$")  # 表5 "0人"
_LEVEL_LOWER_BOUND = re.compile(r"R≥(\d+)$")  # 表6 "R≥100", "100>R≥50"
_PEOPLE = "厂区边界外500m范围内常住人口数"  # GB 18218-2018 4.3 and 表5: who counts for α


# --------------------------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Table1Entry:
    """One row of GB 18218-2018 Table 1 (危险化学品名称及其临界量)."""

    seq: int
    name: str
    aliases: tuple[str, ...]
    cas: tuple[str, ...]
    critical_quantity_t: Decimal

    @property
    def source(self) -> str:
        return f"表1 第{self.seq}行"


@dataclass(frozen=True)
class HazardCategory:
    """One hazard symbol of GB 18218-2018 Table 2 (its Q) joined with Table 4 (its β)."""

    symbol: str
    category: str
    description: str
    critical_quantity_t: Decimal
    beta: Decimal


@dataclass(frozen=True)
class _AlphaBand:
    lowest: int
    highest: int | None
    alpha: Decimal
    key: str


@dataclass(frozen=True)
class _LevelBand:
    level: int
    lower_bound: Fraction
    label: str


@dataclass(frozen=True)
class _Tables:
    table1: tuple[Table1Entry, ...]
    categories: Mapping[str, HazardCategory]
    table3: Mapping[str, Decimal]
    alpha_bands: tuple[_AlphaBand, ...]
    level_bands: tuple[_LevelBand, ...]
    exact_index: Mapping[str, frozenset[int]]
    loose_index: Mapping[str, frozenset[int]]
    cas_index: Mapping[str, frozenset[int]]
    table3_by_row: Mapping[int, str]


def _parse_cas_cell(cell: str) -> tuple[list[str], list[str]]:
    """Split a Table 1 CAS cell into CAS numbers and the names some of them carry ("74-98-6(丙烷)")."""
    numbers: list[str] = []
    names: list[str] = []
    for part in _names.split_top_level(_names.normalize(cell), ";"):
        found = _CAS_PATTERN.match(part)
        if found is None:
            raise StandardsError(f"GB 18218 表1 数据文件中的CAS号「{part}」格式无法识别", code="data")
        numbers.append(found.group(1))
        if found.group(2):
            names.append(found.group(2))
    return numbers, names


def _parse_table1(rows: Iterable[Mapping[str, str]]) -> tuple[Table1Entry, ...]:
    entries = []
    for row in rows:
        if row["table"] != "1":
            continue
        cas, cas_names = _parse_cas_cell(row["cas"])
        aliases = [alias for alias in re.split(r"[;、]", row["alias"]) if alias]
        entries.append(
            Table1Entry(
                seq=int(row["seq"]),
                name=row["name"],
                aliases=tuple(aliases + [name for name in cas_names if name not in aliases]),
                cas=tuple(cas),
                critical_quantity_t=Decimal(row["critical_quantity_t"]),
            )
        )
    return tuple(entries)


def _parse_categories(
    quantity_rows: Iterable[Mapping[str, str]], factor_rows: Iterable[Mapping[str, str]]
) -> dict[str, HazardCategory]:
    betas = {row["key"]: Decimal(row["value"]) for row in factor_rows if row["table"] == "4"}
    categories = {}
    for row in quantity_rows:
        if row["table"] != "2":
            continue
        if row["symbol"] not in betas:
            raise StandardsError(f"GB 18218 表4 数据文件缺少符号 {row['symbol']} 的β", code="data")
        categories[row["symbol"]] = HazardCategory(
            symbol=row["symbol"],
            category=row["category"],
            description=row["hazard_description"],
            critical_quantity_t=Decimal(row["critical_quantity_t"]),
            beta=betas[row["symbol"]],
        )
    return categories


def _parse_alpha_bands(rows: Iterable[Mapping[str, str]]) -> tuple[_AlphaBand, ...]:
    bands = []
    for row in rows:
        if row["table"] != "5":
            continue
        key = row["key"]
        alpha = Decimal(row["value"])
        if found := _ALPHA_AT_LEAST.match(key):
            bands.append(_AlphaBand(int(found.group(1)), None, alpha, key))
        elif found := _ALPHA_RANGE.match(key):
            bands.append(_AlphaBand(int(found.group(1)), int(found.group(2)), alpha, key))
        elif found := _ALPHA_EXACT.match(key):
            bands.append(_AlphaBand(int(found.group(1)), int(found.group(1)), alpha, key))
        else:
            raise StandardsError(f"GB 18218 表5 数据文件中的人数范围「{key}」无法识别", code="data")
    bands.sort(key=lambda band: band.lowest)
    # Every head count from 0 up must fall in exactly one band, the last one open-ended ("以上").
    expected = 0
    for band in bands:
        if band.lowest != expected or (band.highest is None and band is not bands[-1]):
            raise StandardsError("GB 18218 表5 数据文件的人数范围不连续", code="data")
        expected = band.highest + 1 if band.highest is not None else -1
    if expected != -1:
        raise StandardsError("GB 18218 表5 数据文件缺少“以上”一档", code="data")
    return tuple(bands)


def _parse_level_bands(rows: Iterable[Mapping[str, str]]) -> tuple[_LevelBand, ...]:
    bands = []
    for row in rows:
        if row["table"] != "6":
            continue
        found = _LEVEL_LOWER_BOUND.search(row["value"])
        lower = Fraction(int(found.group(1))) if found else Fraction(0)
        bands.append(_LevelBand(_LEVEL_NUMBERS[row["key"]], lower, row["key"]))
    bands.sort(key=lambda band: band.lower_bound, reverse=True)
    # The last band ("四级 R<10") must start at 0 so that every R ≥ 0 has a level.
    if not bands or bands[-1].lower_bound != 0:
        raise StandardsError("GB 18218 表6 数据文件缺少最低一级（R 下限为 0）", code="data")
    return tuple(bands)


def _index(table: Sequence[Table1Entry]) -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    """Build the exact index (names and aliases as written) and the loose one (without locants, qualifiers)."""
    exact: dict[str, set[int]] = {}
    loose: dict[str, set[int]] = {}
    for entry in table:
        names = [_names.normalize(entry.name)]
        names += _names.split_top_level(names[0], ",")
        names += [_names.normalize(alias) for alias in entry.aliases]
        for name in names:
            exact.setdefault(name, set()).add(entry.seq)
            for form in _names.loose_forms(name):
                loose.setdefault(form, set()).add(entry.seq)
    return (
        {key: frozenset(value) for key, value in exact.items()},
        {key: frozenset(value) for key, value in loose.items()},
    )


@cache
def _tables() -> _Tables:
    quantity_rows = read_csv(_CRITICAL_QUANTITIES_CSV)
    factor_rows = read_csv(_CORRECTION_FACTORS_CSV)
    table1_entries = _parse_table1(quantity_rows)
    exact, loose = _index(table1_entries)
    cas_index: dict[str, set[int]] = {}
    for entry in table1_entries:
        for number in entry.cas:
            cas_index.setdefault(number, set()).add(entry.seq)
    table3_values = {row["key"]: Decimal(row["value"]) for row in factor_rows if row["table"] == "3"}
    table3_by_row = {}
    for name in table3_values:
        rows = _name_candidates(name, exact, loose)
        if len(rows) == 1:
            table3_by_row[next(iter(rows))] = name
    return _Tables(
        table1=table1_entries,
        categories=_parse_categories(quantity_rows, factor_rows),
        table3=table3_values,
        alpha_bands=_parse_alpha_bands(factor_rows),
        level_bands=_parse_level_bands(factor_rows),
        exact_index=exact,
        loose_index=loose,
        cas_index={key: frozenset(value) for key, value in cas_index.items()},
        table3_by_row=table3_by_row,
    )


def table1() -> tuple[Table1Entry, ...]:
    """GB 18218-2018 Table 1: the 85 named chemicals with their critical quantities, in the standard's order."""
    return _tables().table1


def table2() -> Mapping[str, HazardCategory]:
    """GB 18218-2018 Tables 2 and 4 by hazard symbol: category, description, Q (Table 2) and β (Table 4)."""
    return _tables().categories


def table3() -> Mapping[str, Decimal]:
    """GB 18218-2018 Table 3: β of the named toxic gases."""
    return _tables().table3


def table4() -> Mapping[str, Decimal]:
    """GB 18218-2018 Table 4: β by hazard symbol, for chemicals not in Table 3."""
    return {symbol: category.beta for symbol, category in _tables().categories.items()}


# ----------------------------------------------------------------------------------------------- name lookup


def _name_candidates(
    name: str, exact: Mapping[str, frozenset[int]], loose: Mapping[str, frozenset[int]]
) -> frozenset[int]:
    normalized = _names.normalize(name)
    if normalized in exact:
        return exact[normalized]
    found: set[int] = set()
    for form in _names.loose_forms(normalized):
        found |= loose.get(form, frozenset())
    return frozenset(found)


def _normalize_cas(cas: str) -> str:
    normalized = _names.normalize(cas).replace("—", "-").replace("–", "-")
    if not re.fullmatch(r"\d{2,7}-\d{2}-\d", normalized):
        raise StandardsError(f"CAS号「{cas}」格式不正确，应形如 7782-50-5", code="cas_format")
    digits = normalized.replace("-", "")
    checksum = sum(int(digit) * weight for weight, digit in enumerate(reversed(digits[:-1]), start=1)) % 10
    if checksum != int(digits[-1]):
        raise StandardsError(f"CAS号「{cas}」校验位错误：最后一位应为 {checksum}", code="cas_check")
    return normalized


def _describe(seqs: Iterable[int]) -> str:
    by_seq = {entry.seq: entry for entry in _tables().table1}
    return "、".join(f"{by_seq[seq].name}（{by_seq[seq].source}）" for seq in sorted(seqs))


def _nearest(name: str) -> list[int]:
    tables = _tables()
    keys = list(tables.exact_index) + [key for key in tables.loose_index if key not in tables.exact_index]
    seqs: list[int] = []
    for key in difflib.get_close_matches(_names.normalize(name), keys, n=8, cutoff=0.5):
        for seq in sorted(tables.exact_index.get(key) or tables.loose_index[key]):
            if seq not in seqs:
                seqs.append(seq)
    return seqs[:5]


@dataclass(frozen=True)
class _Match:
    entry: Table1Entry
    table3_name: str | None


def _match(name: str, cas: str, *, ambiguous_is_label: bool = False) -> _Match | None:
    """The Table 1 row that ``name`` and/or ``cas`` designate; None when neither designates any row.

    Several rows are refused, unless ``ambiguous_is_label``: then (an assessor gave Q) the name is only a label
    and None is answered too. A name and a CAS number that designate different rows are refused either way.
    """
    tables = _tables()
    cas_number = _normalize_cas(cas) if cas else ""
    name_is_co = _names.normalize(name) == _CARBON_MONOXIDE
    cas_is_co = cas_number == _CARBON_MONOXIDE_CAS
    by_name = _name_candidates(name, tables.exact_index, tables.loose_index) if name else frozenset()
    by_cas = tables.cas_index.get(cas_number, frozenset())
    if name_is_co:
        by_name = frozenset({_CARBON_MONOXIDE_ROW})
    if cas_is_co:
        by_cas = frozenset({_CARBON_MONOXIDE_ROW})
    if by_name and by_cas and not by_name & by_cas:
        raise StandardsError(
            f"名称「{name}」对应 {_describe(by_name)}，CAS号 {cas_number} 对应 {_describe(by_cas)}，二者不一致，请核对",
            code="name_cas_conflict",
        )
    candidates = (by_name & by_cas) if by_name and by_cas else (by_name or by_cas)
    if not candidates:
        return None
    if len(candidates) > 1:
        if ambiguous_is_label:
            return None
        given = f"「{name}」" if name else f"CAS号 {cas_number}"
        raise StandardsError(
            f"{given}在 GB 18218-2018 表1 中对应多行，临界量不同，请写明具体名称：{_describe(candidates)}",
            code="ambiguous_name",
        )
    entry = tables.table1[next(iter(candidates)) - 1]
    table3_name = _CARBON_MONOXIDE if name_is_co or cas_is_co else tables.table3_by_row.get(entry.seq)
    return _Match(entry, table3_name)


def _unknown(name: str, cas: str) -> StandardsError:
    given = f"「{name}」" if name else f"CAS号 {cas}"
    message = f"{given}不在 GB 18218-2018 表1 中"
    nearest = _nearest(name) if name else []
    if nearest:
        message += f"；相近的名称：{_describe(nearest)}"
    message += "。如确不属表1，请给出其危险性类别符号（表2，如 W5.3）或由评价人员确定的临界量"
    return StandardsError(message, code="unknown_name")


def lookup(name: str = "", cas: str = "") -> Table1Entry:
    """The GB 18218-2018 Table 1 row for a name (or alias) and/or CAS number; StandardsError if none or several."""
    found = _match(name.strip(), cas.strip())
    if found is None:
        raise _unknown(name.strip(), cas.strip())
    return found.entry


# ------------------------------------------------------------------------------------------- inputs, outputs


def _normalize_symbols(symbols: str | Iterable[str]) -> tuple[str, ...]:
    raw = (symbols,) if isinstance(symbols, str) else tuple(symbols)
    known = _tables().categories
    result = []
    for symbol in raw:
        normalized = _names.normalize(str(symbol))
        if normalized not in known:
            raise StandardsError(
                f"危险性类别符号「{symbol}」不在 GB 18218-2018 表2 中；可用的符号：{'、'.join(known)}",
                code="unknown_symbol",
            )
        if normalized not in result:
            result.append(normalized)
    return tuple(result)


@dataclass(frozen=True)
class Item:
    """One hazardous chemical in a unit: its quantity q in tonnes and how to find its Q and β.

    Give ``name`` and/or ``cas`` of a Table 1 chemical; or, for a chemical not in Table 1, its hazard symbols
    (Table 2 / Table 4); or a Q and β determined by an assessor. Quantities are Decimal (or int or a numeric
    string); binary floats are refused.
    """

    quantity_t: Decimal
    name: str = ""
    cas: str = ""
    hazard_symbols: tuple[str, ...] = ()
    critical_quantity_t: Decimal | None = None
    beta: Decimal | None = None

    def __post_init__(self) -> None:
        label = self.name.strip() or self.cas.strip()
        if not label:
            raise StandardsError("请给出危险化学品的名称或CAS号", code="missing_name")
        quantity = to_decimal(self.quantity_t, f"「{label}」的数量q")
        if quantity < 0:
            raise StandardsError(f"「{label}」的数量q不能为负数（收到 {quantity} t）", code="negative")
        object.__setattr__(self, "quantity_t", quantity)
        object.__setattr__(self, "name", self.name.strip())
        object.__setattr__(self, "cas", self.cas.strip())
        object.__setattr__(self, "hazard_symbols", _normalize_symbols(self.hazard_symbols))
        if self.critical_quantity_t is not None:
            critical = to_decimal(self.critical_quantity_t, f"「{label}」的临界量Q")
            if critical <= 0:
                raise StandardsError(f"「{label}」的临界量Q必须大于0（收到 {critical} t）", code="not_positive")
            object.__setattr__(self, "critical_quantity_t", critical)
        if self.beta is not None:
            beta = to_decimal(self.beta, f"「{label}」的校正系数β")
            if beta <= 0:
                raise StandardsError(f"「{label}」的校正系数β必须大于0（收到 {beta}）", code="not_positive")
            object.__setattr__(self, "beta", beta)


@dataclass(frozen=True)
class Row:
    """The working for one chemical: q, Q, q/Q, β and the table row each came from.

    ``critical_quantity_source`` is "表1 第12行", "表2 W5.3" or "assessor"; ``beta_source`` is "表3",
    "表4 W2", "assessor", or None when β cannot be determined (identification does not need it).
    ``table1_name`` is None when no single Table 1 row applies, also when an assessor's Q made an ambiguous
    name (硝酸铵) only a label.
    """

    name: str
    cas: str
    table1_name: str | None
    hazard_symbols: tuple[str, ...]
    quantity_t: Decimal
    critical_quantity_t: Decimal
    critical_quantity_source: str
    ratio: Fraction
    beta: Decimal | None
    beta_source: str | None
    weighted_ratio: Fraction | None
    """β·q/Q, when β is known."""


@dataclass(frozen=True)
class Identification:
    """GB 18218-2018 4.2.1 formula (1): S = Σ q/Q; ``is_major`` when S ≥ 1."""

    rows: tuple[Row, ...]
    s: Fraction
    is_major: bool
    method: str = field(default=METHOD + " 4.2.1")
    method_version: str = METHOD_VERSION


@dataclass(frozen=True)
class Grading:
    """GB 18218-2018 4.3 formula (2): R = α·Σ β·q/Q and the Table 6 level (None when the unit is not major)."""

    rows: tuple[Row, ...]
    s: Fraction
    is_major: bool
    exposed_people: int
    alpha: Decimal
    alpha_source: str
    r: Fraction
    level: int | None
    level_label: str | None
    method: str = field(default=METHOD + " 4.3")
    method_version: str = METHOD_VERSION


def _row(item: Item) -> Row:
    categories = _tables().categories
    label = item.name or item.cas
    # A name that matches several Table 1 rows is refused, since the row decides Q (4.1.2 a), unless an assessor
    # gave Q: the assessor has decided, and the name is only a label (source "assessor"). The assessor's β, or a
    # Table 4 β by hazard symbol, then serves grading (4.3) as for any chemical outside Table 3.
    found = _match(item.name, item.cas, ambiguous_is_label=item.critical_quantity_t is not None)
    table3_name = found.table3_name if found else None

    if found is not None:
        critical = found.entry.critical_quantity_t
        critical_source = found.entry.source
        if item.critical_quantity_t is not None and item.critical_quantity_t != critical:
            raise StandardsError(
                f"「{label}」列于 GB 18218-2018 {critical_source}，临界量为 {critical} t（4.1.2 a），"
                f"不能另定为 {item.critical_quantity_t} t",
                code="table1_quantity",
            )
    elif item.critical_quantity_t is not None:
        critical, critical_source = item.critical_quantity_t, SOURCE_ASSESSOR
    elif item.hazard_symbols:
        # 4.1.2 b): several hazards -> the lowest critical quantity; ties keep Table 2's order.
        lowest = min(item.hazard_symbols, key=lambda symbol: categories[symbol].critical_quantity_t)
        critical, critical_source = categories[lowest].critical_quantity_t, f"表2 {lowest}"
    else:
        raise _unknown(item.name, item.cas)

    beta: Decimal | None
    beta_source: str | None
    if table3_name is not None:
        beta, beta_source = _tables().table3[table3_name], "表3"
        if item.beta is not None and item.beta != beta:
            raise StandardsError(
                f"「{label}」列于 GB 18218-2018 表3（{table3_name}），校正系数β为 {beta}，不能另定为 {item.beta}",
                code="table3_beta",
            )
    elif item.beta is not None:
        beta, beta_source = item.beta, SOURCE_ASSESSOR
    elif item.hazard_symbols:
        # Several symbols -> the highest β of Table 4: the conservative reading (see the module docstring).
        highest = max(item.hazard_symbols, key=lambda symbol: categories[symbol].beta)
        beta, beta_source = categories[highest].beta, f"表4 {highest}"
    else:
        beta, beta_source = None, None

    ratio = Fraction(item.quantity_t) / Fraction(critical)
    return Row(
        name=item.name or (found.entry.name if found else item.cas),
        cas=item.cas,
        table1_name=found.entry.name if found else None,
        hazard_symbols=item.hazard_symbols,
        quantity_t=item.quantity_t,
        critical_quantity_t=critical,
        critical_quantity_source=critical_source,
        ratio=ratio,
        beta=beta,
        beta_source=beta_source,
        weighted_ratio=Fraction(beta) * ratio if beta is not None else None,
    )


def _items(items: Iterable[Item]) -> tuple[Item, ...]:
    result = tuple(items)
    for item in result:
        if not isinstance(item, Item):
            raise StandardsError(f"每种危险化学品须以 gb18218.Item 给出，收到 {type(item).__name__}", code="not_item")
    return result


def identify(items: Iterable[Item]) -> Identification:
    """Identify a unit by GB 18218-2018 4.2.1: S = q1/Q1 + … + qn/Qn, a major hazard when S ≥ 1.

    β is filled in each row where it can be determined, but is not needed: a Table 1 chemical without a hazard
    symbol is identified all the same.
    """
    rows = tuple(_row(item) for item in _items(items))
    s = sum((row.ratio for row in rows), Fraction(0))
    return Identification(rows=rows, s=s, is_major=s >= 1)


def _alpha_band(people: int) -> _AlphaBand:
    return next(
        band
        for band in _tables().alpha_bands
        if band.lowest <= people and (band.highest is None or people <= band.highest)
    )


def alpha_for(exposed_people: int) -> Decimal:
    """α by GB 18218-2018 Table 5: 0 → 0.5, 1–29 → 1.0, 30–49 → 1.2, 50–99 → 1.5, 100 and more → 2.0."""
    return _alpha_band(to_count(exposed_people, _PEOPLE)).alpha


def level_for(r: Fraction | Decimal | int) -> int:
    """The level by GB 18218-2018 Table 6: R ≥ 100 → 1, 50 ≤ R < 100 → 2, 10 ≤ R < 50 → 3, R < 10 → 4."""
    value = to_fraction(r, "R值")
    if value < 0:
        raise StandardsError(f"R值不能为负数（收到 {value}）", code="negative")
    return next(band.level for band in _tables().level_bands if value >= band.lower_bound)


def grade(items: Iterable[Item], exposed_people: int) -> Grading:
    """Grade a unit by GB 18218-2018 4.3: R = α·(β1·q1/Q1 + … + βn·qn/Qn), level by Table 6.

    R and α are returned for any unit; ``level`` is None when the unit is not a major hazard (S < 1), since
    grading applies only to major hazards. Every chemical needs a β: from Table 3, from Table 4 by its hazard
    symbol, or from an assessor; a missing β is refused, never guessed.
    """
    people = to_count(exposed_people, _PEOPLE)
    identification = identify(items)
    band = _alpha_band(people)
    missing = [row for row in identification.rows if row.weighted_ratio is None]
    if missing:
        names = "、".join(f"「{row.name}」（{row.critical_quantity_source}）" for row in missing)
        raise StandardsError(
            f"无法确定{names}的校正系数β：不在 GB 18218-2018 表3 中的危险化学品须按表4由其危险性类别确定。"
            "请给出危险性类别符号（如 W2、W5.3、J1）或由评价人员确定的β值",
            code="beta_missing",
        )
    weighted = sum((row.weighted_ratio for row in identification.rows if row.weighted_ratio is not None), Fraction(0))
    r = Fraction(band.alpha) * weighted
    level = level_for(r) if identification.is_major else None
    return Grading(
        rows=identification.rows,
        s=identification.s,
        is_major=identification.is_major,
        exposed_people=people,
        alpha=band.alpha,
        alpha_source=f"表5 {band.key}",
        r=r,
        level=level,
        level_label=next(b.label for b in _tables().level_bands if b.level == level) if level else None,
    )
