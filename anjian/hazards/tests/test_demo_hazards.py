"""The demo city's hazard history (issue 8 item 8): plausible proportions, valid rows, self-inspections on the
published checklists, deterministic for a seed, and generated once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from anjian.core.registry import DemoOptions
from anjian.enterprises import demo as enterprise_demo
from anjian.hazards import demo
from anjian.hazards.choices import CheckResult, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.ladder import load_ladder
from anjian.hazards.models import Hazard, InspectionSchedule, SelfInspection, SelfInspectionAnswer
from anjian.hazards.tasks import mark_overdue
from anjian.hazards.tests.factories import make_checklist

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)
ENTERPRISES = 1500


@pytest.fixture
def city(reference_regions, industries):
    enterprise_demo.generate(enterprises=ENTERPRISES, seed=2026, today=TODAY)
    load_ladder()


@pytest.fixture
def checklists(city):
    make_checklist(code="general", items=12, title="通用安全检查表")
    make_checklist(code="hazchem-criteria", items=20, major=tuple(range(1, 21)), domain="hazardous_chemicals",
                   criteria=True, title="化工和危险化学品重大隐患判定标准")


def snapshot() -> list[tuple]:
    return list(Hazard.objects.order_by("pk").values_list(
        "enterprise_id", "description", "level", "source", "found_at", "status", "deadline", "rectified_at",
        "supervision_level", "overdue", "next_notice_on"))


def test_a_year_of_plausible_hazards(checklists):
    result = demo.generate(seed=2026, today=TODAY)
    hazards = Hazard.objects.all()
    total = hazards.count()
    assert total == result.hazards
    with_hazards = hazards.values("enterprise").distinct().count()
    assert 0.2 * ENTERPRISES < with_hazards < 0.5 * ENTERPRISES
    assert 3.5 < total / with_hazards < 6.5
    counts = hazards.aggregate(
        major=Count("id", filter=Q(level=HazardLevel.MAJOR)),
        closed=Count("id", filter=Q(status=HazardStatus.CLOSED)),
        rectifying=Count("id", filter=Q(status=HazardStatus.RECTIFYING)),
        overdue=Count("id", filter=Q(overdue=True)),
        listed=Count("id", filter=~Q(supervision_level="") & Q(lifted_at__isnull=True)),
        late=Count("id", filter=Q(status=HazardStatus.CLOSED, rectified_at__date__gt=models_deadline())),
        self_inspection=Count("id", filter=Q(source=HazardSource.SELF_INSPECTION)),
        inspection=Count("id", filter=Q(source=HazardSource.INSPECTION)),
    )
    assert 0.02 < counts["major"] / total < 0.07
    assert 0.7 < counts["closed"] / total < 0.95
    assert counts["rectifying"] > 0 and 0 < counts["overdue"] < 0.1 * total
    assert 0 < counts["late"] < 0.2 * counts["closed"]
    assert counts["listed"] > 0 and result.listed == counts["listed"]
    assert counts["inspection"] + counts["self_inspection"] > 0.6 * total
    assert set(hazards.values_list("supervision_level", flat=True)) == {"", "city", "town"}
    # Rows the models accept, in a sample of every kind.
    for hazard in hazards.filter(pk__in=list(hazards.values_list("pk", flat=True)[::25])):
        hazard.full_clean()
    # Its overdue flags are those the daily job would set today.
    assert mark_overdue(as_of=TODAY) == (0, 0)
    # Open hazards with a deadline are scheduled for the overdue job; closed ones are not.
    assert not hazards.filter(status=HazardStatus.CLOSED, next_notice_on__isnull=False).exists()
    assert hazards.filter(status=HazardStatus.RECTIFYING, next_notice_on__isnull=False).exists()


def models_deadline():
    from django.db.models import F

    return F("deadline")


def test_self_inspections_answer_every_item_and_each_fail_is_a_hazard(checklists):
    result = demo.generate(seed=2026, today=TODAY)
    assert result.schedules == InspectionSchedule.objects.count() > 0
    assert result.inspections == SelfInspection.objects.count() > result.schedules * 6
    for inspection in SelfInspection.objects.annotate(
        answered=Count("answers"), failed=Count("answers", filter=Q(answers__result=CheckResult.FAIL)),
    ).select_related("checklist")[:200]:
        assert inspection.answered == inspection.checklist.items.count()
        assert inspection.failed == inspection.failed_count
        assert inspection.schedule.enterprise_id == inspection.enterprise_id
    fails = SelfInspectionAnswer.objects.filter(result=CheckResult.FAIL)
    assert fails.exists() and not fails.filter(hazard__isnull=True).exists()
    assert not SelfInspectionAnswer.objects.exclude(result=CheckResult.FAIL).filter(hazard__isnull=False).exists()
    for answer in fails.select_related("hazard", "inspection", "item")[:100]:
        assert answer.hazard.source == HazardSource.SELF_INSPECTION
        assert answer.hazard.enterprise_id == answer.inspection.enterprise_id
        assert answer.hazard.found_at == answer.inspection.performed_at
        assert (answer.hazard.level == HazardLevel.MAJOR) is answer.item.major
    # Criteria checklists go to their domain only.
    assert not SelfInspection.objects.filter(checklist__code="hazchem-criteria").exclude(
        enterprise__domain="hazardous_chemicals").exists()


def test_same_seed_same_history(city):
    demo.generate(seed=2026, today=TODAY)
    first = snapshot()
    Hazard.objects.all().delete()
    demo.generate(seed=2026, today=TODAY)
    assert [row[1:] for row in snapshot()] == [row[1:] for row in first]
    Hazard.objects.all().delete()
    demo.generate(seed=7, today=TODAY)
    assert snapshot() != first


def test_the_demo_step_generates_once_and_without_checklists_says_so(city, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC), tick=False)
    line = demo.generate_for_demo(DemoOptions(enterprises=ENTERPRISES, seed=2026))
    assert line.startswith("已生成隐患 ") and "没有在用的排查清单，未生成企业自查" in line
    assert not SelfInspection.objects.exists()
    count = Hazard.objects.count()
    assert demo.generate_for_demo(DemoOptions(enterprises=ENTERPRISES, seed=2026)) == (
        f"隐患库已有 {count} 条隐患，不再生成演示数据。")
    assert Hazard.objects.count() == count


def test_no_enterprises_no_hazards(reference_regions):
    assert demo.generate_for_demo(DemoOptions(enterprises=0, seed=1)) == "登记库中没有企业，未生成隐患演示数据。"
