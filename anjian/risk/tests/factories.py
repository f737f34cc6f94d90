"""Risk units and measures for tests (issue 9 item 4)."""

from __future__ import annotations

from anjian.risk.choices import ControlLevel, MeasureKind, RiskUnitKind
from anjian.risk.models import ControlMeasure, RiskUnit


def make_unit(enterprise, name: str = "液氨储罐区", **fields) -> RiskUnit:
    values = {"kind": RiskUnitKind.AREA, "location": "厂区东侧", "hazard_factors": "液氨泄漏", **fields}
    return RiskUnit.objects.create(enterprise=enterprise, name=name, **values)


def make_measure(unit: RiskUnit, description: str = "储罐区设置氨气泄漏报警仪并与喷淋联锁", **fields) -> ControlMeasure:
    values = {"kind": MeasureKind.ENGINEERING, "level": ControlLevel.WORKSHOP, "responsible": "张三", **fields}
    return ControlMeasure.objects.create(enterprise=unit.enterprise, unit=unit, description=description, **values)
