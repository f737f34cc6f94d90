"""The L×S matrix and its three published schemes (standards.md §3.2)."""

from __future__ import annotations

import pytest

from anjian.standards import RiskLevel, StandardsError, risk_matrix
from anjian.standards.risk_matrix import Scheme

M, H, Mo, L = RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MODERATE, RiskLevel.LOW

# The ranges of standards.md §3.2, written out per scheme: (重大, 较大, 一般, 低).
RANGES = {
    "A": (range(20, 26), range(9, 17), range(4, 9), range(1, 4)),
    "B": (range(20, 26), range(10, 17), range(4, 10), range(1, 4)),
    "C": (range(20, 26), range(15, 20), range(10, 15), range(1, 10)),
}


@pytest.mark.parametrize("scheme", ["A", "B", "C"])
@pytest.mark.parametrize("l_score", range(1, 6))
@pytest.mark.parametrize("s_score", range(1, 6))
def test_every_cell_of_every_scheme(scheme: str, l_score: int, s_score: int) -> None:
    result = risk_matrix.assess(l_score, s_score, scheme=scheme)
    r = l_score * s_score
    expected = next(level for level, band in zip((M, H, Mo, L), RANGES[scheme], strict=True) if r in band)
    assert (result.r, result.level, result.scheme) == (r, expected, scheme)
    assert (result.method, result.method_version) == ("LS", risk_matrix.METHOD_VERSION)


def test_the_disputed_cell_r9() -> None:
    assert risk_matrix.assess(3, 3, scheme="A").level is H
    assert risk_matrix.assess(3, 3, scheme="B").level is Mo
    assert risk_matrix.assess(3, 3, scheme="C").level is L
    assert risk_matrix.assess(3, 3).scheme == risk_matrix.DEFAULT_SCHEME == "A"


def test_products_that_cannot_occur() -> None:
    products = {l_score * s_score for l_score in range(1, 6) for s_score in range(1, 6)}
    assert products == {1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25}


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(StandardsError) as caught:
        risk_matrix.assess(3, 3, scheme="D")
    assert caught.value.code == "unknown_scheme" and "A、B、C" in str(caught.value)


@pytest.mark.parametrize(("l_score", "s_score"), [(0, 3), (6, 3), (3, 0), (3, 6), (True, 3), ("3", 3), (3.0, 3)])
def test_scores_outside_1_to_5_are_refused(l_score: object, s_score: object) -> None:
    with pytest.raises(StandardsError, match="1 至 5"):
        risk_matrix.assess(l_score, s_score)  # type: ignore[arg-type]  # wrong types and values on purpose


def test_a_scheme_configured_elsewhere() -> None:
    local = Scheme("东莞-试行", major_from=16, high_from=12, moderate_from=6)
    assert risk_matrix.assess(4, 4, scheme=local).level is M
    assert risk_matrix.assess(3, 4, scheme=local).scheme == "东莞-试行"
    with pytest.raises(StandardsError, match="界限"):
        Scheme("bad", major_from=9, high_from=12, moderate_from=4)
    with pytest.raises(StandardsError):
        Scheme("bad", major_from=26, high_from=12, moderate_from=4)
