"""Pure, cited implementations of the national standards anjian computes by.

No Django, no I/O beyond the package's own data files, no clock: time is always passed in. Each submodule
implements one standard or method and names it (number, year, clause) in its docstring and beside each constant:

* :mod:`gb18218` — GB 18218-2018 major-hazard identification (S) and grading (R, 一级..四级)
* :mod:`lec` — LEC (D = L×E×C) with the four-colour mapping of 双重预防
* :mod:`risk_matrix` — the L×S risk matrix with published threshold schemes
* :mod:`accidents` — 《生产安全事故报告和调查处理条例》 grading and reporting deadlines; GB 6441 codes
* :mod:`uscc` — GB 32100-2015 unified social credit code check character
"""

from anjian.standards import accidents, gb18218, lec, risk_matrix, uscc
from anjian.standards._errors import StandardsError
from anjian.standards.levels import RiskLevel

__all__ = ["RiskLevel", "StandardsError", "accidents", "gb18218", "lec", "risk_matrix", "uscc"]
