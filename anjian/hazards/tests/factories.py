"""Factories of the hazards app's tests (shared by every test module of the app)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from anjian.hazards import tally
from anjian.hazards.choices import ChecklistStatus, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Checklist, ChecklistItem, Hazard, HazardDueTally, HazardTally


def make_checklist(*, code: str = "test-general", items: int = 3, major: tuple[int, ...] = (),
                   status: str = ChecklistStatus.PUBLISHED, **fields: Any) -> Checklist:
    """A checklist with `items` items numbered from 1; the numbers in `major` are 重大隐患 criteria."""
    checklist = Checklist.objects.create(
        code=code, title=fields.pop("title", "测试检查表"), status=status,
        published_at=timezone.now() if status == ChecklistStatus.PUBLISHED else None, **fields,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, number=number, text=f"检查项{number}：安全设施完好有效",
                      basis="《安全生产法》", clause=f"第{number}条", major=number in major)
        for number in range(1, items + 1)
    )
    return checklist


def make_hazard(enterprise: Any, *, status: str = HazardStatus.REPORTED, level: str = HazardLevel.GENERAL,
                deadline: dt.date | None = None, **fields: Any) -> Hazard:
    """A hazard written straight to the database in `status` (tests of what follows a state, not of reporting)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "enterprise": enterprise, "description": "配电箱门未关闭，内部线路裸露", "place": "一号车间",
        "level": level, "source": HazardSource.INSPECTION, "found_at": now, "status": status,
    }
    if status != HazardStatus.REPORTED:
        values.update(measures="更换配电箱门锁并整理线路", responsible="张三",
                      deadline=deadline or timezone.localdate() + dt.timedelta(days=10), assigned_at=now)
    if status in (HazardStatus.RECTIFIED, HazardStatus.CLOSED):
        values.update(rectification="已更换门锁并整理线路", rectified_at=now)
    if status == HazardStatus.CLOSED:
        values.update(closed_at=now)
    values.update(fields)
    return Hazard.objects.create(**values)


def counted() -> tuple[dict[tuple, int], dict[tuple, tuple[int, int]]]:
    """The running counts (anjian.hazards.tally) as they stand, without the keys that count nothing."""
    states = {
        (row.region_code, row.domain, row.status, row.level, row.overdue, row.listed): row.count
        for row in HazardTally.objects.all() if row.count
    }
    dues = {(row.town_code, row.domain, row.deadline): (row.due, row.on_time)
            for row in HazardDueTally.objects.all() if row.due or row.on_time}
    return states, dues


def assert_counts_exact() -> None:
    """The running counts kept by every write equal the counts made again from the hazards."""
    kept = counted()
    tally.rebuild()
    assert kept == counted()
