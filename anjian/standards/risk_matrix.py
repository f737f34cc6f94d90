"""The L×S risk matrix (风险矩阵法): R = L × S with L, S ∈ 1..5, mapped onto the four 双重预防 levels.

No national standard fixes the thresholds; 安委办〔2016〕11号 only requires the four levels 重大/较大/一般/低
(红/橙/黄/蓝). Three published schemes disagree (shared standards.md §3.2), so the scheme is data and a parameter,
and every result records the scheme and method version that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from anjian.standards._errors import StandardsError
from anjian.standards.levels import RiskLevel

__all__ = ["DEFAULT_SCHEME", "METHOD", "METHOD_VERSION", "RiskMatrixResult", "SCHEMES", "Scheme", "assess"]

METHOD = "LS"
METHOD_VERSION = "1"
"""Bump when a scheme below changes, so stored assessments stay reproducible."""

_SCALE = range(1, 6)  # L and S are each scored 1..5 (shared standards.md §3.2).


@dataclass(frozen=True)
class Scheme:
    """Lower bounds (inclusive) of R for MAJOR, HIGH and MODERATE; anything below is LOW."""

    name: str
    major_from: int
    high_from: int
    moderate_from: int
    source: str = ""

    def __post_init__(self) -> None:
        if not 25 >= self.major_from > self.high_from > self.moderate_from > 1:
            raise StandardsError(
                f"风险矩阵分级方案「{self.name}」的界限应满足 25 ≥ 重大 > 较大 > 一般 > 1",
                code="scheme_order",
            )

    def level_for(self, r: int) -> RiskLevel:
        if r >= self.major_from:
            return RiskLevel.MAJOR
        if r >= self.high_from:
            return RiskLevel.HIGH
        if r >= self.moderate_from:
            return RiskLevel.MODERATE
        return RiskLevel.LOW


SCHEMES: Mapping[str, Scheme] = {
    # Scheme A (coal-mine style 5×5 matrix): 重大 20–25, 较大 9–16, 一般 4–8, 低 1–3;
    # shared standards.md §3.2, source http://zgmkw.com/doc-30900.html (S1).
    "A": Scheme("A", major_from=20, high_from=9, moderate_from=4, source="zgmkw.com/doc-30900"),
    # Scheme B (paper citing the 总局 four-colour rule): 重大 20–25, 较大 10–16, 一般 4–9, 低 1–3;
    # shared standards.md §3.2, source https://mtoou.info/tubiao/54344.html (S1).
    "B": Scheme("B", major_from=20, high_from=10, moderate_from=4, source="mtoou.info/tubiao/54344"),
    # Scheme C (third-party coal LS default): 重大 20–25, 较大 15–19, 一般 10–14, 低 1–9;
    # shared standards.md §3.2, source qieqiesitan/digital-emergency-plan-generator risk_method_engine.py (S1).
    "C": Scheme("C", major_from=20, high_from=15, moderate_from=10, source="COAL_LS_DEFAULT_THRESHOLDS"),
}

DEFAULT_SCHEME = "A"
"""Provisional until the regulator names the scheme its 双重预防 guidance uses (standards.md §3.2, U)."""


@dataclass(frozen=True)
class RiskMatrixResult:
    """One L×S assessment with everything needed to reproduce it."""

    l: int  # noqa: E741 - the method's own symbol
    s: int
    r: int
    level: RiskLevel
    scheme: str
    method: str = METHOD
    method_version: str = METHOD_VERSION


def _score(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in _SCALE:
        raise StandardsError(f"{what}应为 1 至 5 的整数（收到 {value!r}）", code="not_in_scale")
    return value


def assess(l: int, s: int, scheme: str | Scheme = DEFAULT_SCHEME) -> RiskMatrixResult:  # noqa: E741
    """R = L × S and its level under ``scheme`` ("A", "B", "C" of SCHEMES, or a Scheme configured elsewhere)."""
    if isinstance(scheme, Scheme):
        chosen = scheme
    elif scheme in SCHEMES:
        chosen = SCHEMES[scheme]
    else:
        raise StandardsError(
            f"未知的风险矩阵分级方案「{scheme}」；可用方案：{'、'.join(SCHEMES)}", code="unknown_scheme"
        )
    l_score = _score(l, "可能性L")
    s_score = _score(s, "严重性S")
    r = l_score * s_score
    return RiskMatrixResult(l=l_score, s=s_score, r=r, level=chosen.level_for(r), scheme=chosen.name)
