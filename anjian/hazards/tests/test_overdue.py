"""The overdue job (issue 8 item 5, "Must show"): under time-machine, every reminder and ladder step is sent exactly
once, on its day, to the right people; none after closure; an extension reschedules; a deactivated step is not sent;
the overdue flag is set and cleared."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core.models import AuditEvent
from anjian.hazards.choices import HazardStatus, LadderStepKind
from anjian.hazards.ladder import load_ladder, schedule_next_notice
from anjian.hazards.models import Hazard, LadderStep
from anjian.hazards.tasks import every_morning, every_night, recount_hazards, run_overdue
from anjian.hazards.tests.factories import assert_counts_exact, counted, make_hazard
from anjian.notifications.models import Notification
from anjian.notifications.reference import load_templates

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = dt.date(2026, 3, 16)


def day(n: int) -> dt.date:
    return DEADLINE + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def ladder(db):
    load_templates()
    assert load_ladder() == 5


@pytest.fixture
def walk(time_machine, django_capture_on_commit_callbacks):
    """Run the job on a day as huey would at 07:30 (outside a transaction); answer the notifications it wrote, as
    (username, kind, step) triples."""

    def run(n: int, times: int = 1) -> set[tuple[str, str, str]]:
        time_machine.move_to(dt.datetime.combine(day(n), dt.time(7, 30), tzinfo=SHANGHAI), tick=False)
        before = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for _run in range(times):
            with django_capture_on_commit_callbacks(execute=True):
                run_overdue()
        rows = Notification.objects.filter(id__gt=before).values_list("recipient__username", "kind", "key")
        return {(user, kind, key.rsplit(":", 2)[1] + ":" + key.rsplit(":", 1)[1]) for user, kind, key in rows}

    return run


def reminder(user: str, days: int) -> tuple[str, str, str]:
    return (user, "hazard.reminder", f"reminder:{days}")


def escalation(user: str, days: int) -> tuple[str, str, str]:
    return (user, "hazard.escalated", f"escalation:{days}")


EXPECTED = {
    -3: {reminder("enterprise_a_user", 3)},
    -1: {reminder("enterprise_a_user", 1)},
    0: {escalation("enterprise_a_user", 0), escalation("grid_worker_a", 0)},
    3: {escalation("town_a_supervisor", 3)},
    7: {escalation("city_supervisor", 7)},
}


def test_every_step_once_on_its_day_to_the_right_people(personas, walk):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    make_hazard(personas.enterprise_b, status=HazardStatus.RECTIFYING, deadline=day(30))
    for n in range(-6, 12):
        # Twice on some days: the second run writes nothing.
        sent = walk(n, times=2 if n in (-3, 0, 3, 4) else 1)
        assert sent == EXPECTED.get(n, set()), n
        hazard.refresh_from_db()
        assert hazard.overdue is (n > 0), n
        assert_counts_exact()
    assert hazard.escalation_level == "市"
    assert hazard.next_notice_on is None
    # Each escalation is an audit event of the hazard, once.
    events = AuditEvent.objects.filter(action="hazard.escalate", object_id=str(hazard.pk))
    assert sorted(events.values_list("data__days", flat=True)) == [0, 3, 7]
    assert events.first().action_label == "隐患逾期升级"
    # Town B heard nothing of town A's hazard.
    assert not Notification.objects.filter(recipient=personas.town_b_supervisor).exists()


def test_the_texts_say_what_is_due(personas, walk):
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE,
                description="配电箱门未关闭，内部线路裸露")
    walk(-1)
    row = Notification.objects.get(recipient=personas.enterprise_a_user, kind="hazard.reminder")
    assert row.title == f"隐患整改即将到期：{personas.enterprise_a.name}"
    assert "（东城街道）一号车间的一般隐患“配电箱门未关闭，内部线路裸露”整改期限为2026年3月16日，还剩1天" in row.text
    assert row.url.startswith("/hazards/")
    walk(0)
    row = Notification.objects.get(recipient=personas.grid_worker_a, kind="hazard.escalated")
    assert row.title == f"隐患今日整改到期，通报村（社区）：{personas.enterprise_a.name}"
    assert "今天到期仍未完成整改，现按逾期升级规则通报村（社区）" in row.text
    walk(3)
    row = Notification.objects.get(recipient=personas.town_a_supervisor, kind="hazard.escalated")
    assert row.title == f"隐患整改逾期，通报镇街：{personas.enterprise_a.name}"
    assert "已逾期3天，现按逾期升级规则通报镇街" in row.text


def test_nothing_after_closure(personas, walk):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    for n in range(-4, 2):
        assert walk(n) == EXPECTED.get(n, set())
    hazard.refresh_from_db()
    assert hazard.overdue
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.CLOSED, rectification="已整改",
                                               rectified_at=dt.datetime(2026, 3, 17, 9, tzinfo=SHANGHAI),
                                               closed_at=dt.datetime(2026, 3, 17, 10, tzinfo=SHANGHAI))
    for n in range(2, 12):
        assert walk(n) == set(), n
    hazard.refresh_from_db()
    assert hazard.overdue is False and hazard.next_notice_on is None
    assert hazard.escalation_level == "村（社区）"


def test_rectified_awaiting_verification_gets_nothing_and_is_not_overdue(personas, walk):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFIED, deadline=DEADLINE)
    for n in range(-4, 9):
        assert walk(n) == set(), n
    hazard.refresh_from_db()
    assert hazard.overdue is False


def test_an_extension_reschedules(personas, walk):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    for n in range(-4, 2):
        walk(n)
    hazard.refresh_from_db()
    assert hazard.overdue
    # Extended on day +1 to day +6, as the extend service would: the new deadline, then schedule_next_notice.
    hazard.deadline = day(6)
    schedule_next_notice(hazard, as_of=day(1))
    hazard.save()
    assert hazard.next_notice_on == day(3)
    assert walk(2) == set()
    hazard.refresh_from_db()
    assert hazard.overdue is False
    assert walk(3) == {reminder("enterprise_a_user", 3)}
    assert walk(4) == set()
    assert walk(5) == {reminder("enterprise_a_user", 1)}
    assert walk(6) == {escalation("enterprise_a_user", 0), escalation("grid_worker_a", 0)}
    assert walk(9) == {escalation("town_a_supervisor", 3)}
    keys = set(Notification.objects.filter(recipient=personas.enterprise_a_user).values_list("key", flat=True))
    assert f"hazard:{hazard.pk}:{day(6).isoformat()}:reminder:3" in keys
    assert f"hazard:{hazard.pk}:{DEADLINE.isoformat()}:reminder:3" in keys


def test_an_extension_without_a_new_schedule_still_gets_its_reminders(personas, walk):
    """A service that forgot schedule_next_notice: the job reads the stale schedule from the start."""
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    for n in range(-4, 2):
        walk(n)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=day(6))
    assert walk(2) == set()
    assert walk(3) == {reminder("enterprise_a_user", 3)}
    assert walk(5) == {reminder("enterprise_a_user", 1)}
    assert walk(6) == {escalation("enterprise_a_user", 0), escalation("grid_worker_a", 0)}


def test_a_hazard_never_scheduled_is_picked_up(personas, walk):
    """Written without next_notice_on (an import, a service that did not schedule): the job schedules it."""
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    assert hazard.next_notice_on is None
    assert walk(-2) == set()
    hazard.refresh_from_db()
    assert hazard.next_notice_on == day(-1)
    assert walk(-1) == {reminder("enterprise_a_user", 1)}


def test_a_deactivated_step_is_not_sent(personas, walk):
    LadderStep.objects.filter(kind=LadderStepKind.ESCALATION, days=3).update(active=False)
    LadderStep.objects.filter(kind=LadderStepKind.REMINDER, days=1).update(active=False)
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    sent = set()
    for n in range(-5, 10):
        sent |= walk(n)
    assert sent == EXPECTED[-3] | EXPECTED[0] | EXPECTED[7]


def test_a_job_that_missed_days_sends_the_latest_reminder_and_every_escalation(personas, walk):
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    assert walk(-5) == set()
    assert walk(-1) == {reminder("enterprise_a_user", 1)}
    assert walk(8) == EXPECTED[0] | EXPECTED[3] | EXPECTED[7]


def test_a_reopened_hazard_is_escalated_again_only_for_what_is_new(personas, walk):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    for n in range(-4, 4):
        walk(n)
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.CLOSED)
    assert walk(5) == set()
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.RECTIFYING)
    assert walk(6) == set()
    assert walk(7) == EXPECTED[7]


def test_the_job_runs_at_half_past_seven_in_dongguan():
    assert every_morning(dt.datetime(2026, 2, 16, 23, 30))  # huey's naive UTC
    assert not every_morning(dt.datetime(2026, 2, 17, 7, 30))
    assert every_night(dt.datetime(2026, 2, 16, 19, 10))


def test_the_nightly_recount_repairs_a_write_outside_the_services(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.CLOSED)  # no service: the counts miss it
    kept, _dues = counted()
    assert kept[(hazard.region_code, hazard.domain, HazardStatus.RECTIFYING, "general", False, False)] == 1
    assert recount_hazards.call_local() == {"state_rows": 1, "due_rows": 1}
    states, _dues = counted()
    assert states == {(hazard.region_code, hazard.domain, HazardStatus.CLOSED, "general", False, False): 1}


def test_the_default_ladder_is_loaded_once_and_never_overwritten():
    steps = {(step.kind, step.days): step for step in LadderStep.objects.all()}
    assert steps[("escalation", 3)].roles == ["town_supervisor"] and steps[("escalation", 3)].level_label == "镇街"
    assert steps[("escalation", 7)].roles == ["city_supervisor"] and steps[("escalation", 7)].level_label == "市"
    assert steps[("escalation", 0)].roles == ["enterprise_user", "grid_worker"]
    assert steps[("reminder", 3)].roles == steps[("reminder", 1)].roles == ["enterprise_user"]
    LadderStep.objects.filter(kind="escalation", days=7).update(days=10, active=False)
    assert load_ladder() == 0
    assert not LadderStep.objects.filter(kind="escalation", days=7).exists()


def test_a_morning_costs_the_same_statements_for_few_hazards_or_many(personas, time_machine,
                                                                     django_capture_on_commit_callbacks):
    """The escalation events and the notices of a batch are read and written together (issue 8 "Must show": the job
    over a million hazards), so more hazards due the same morning do not mean more statements."""
    time_machine.move_to(dt.datetime.combine(day(3), dt.time(7, 30), tzinfo=SHANGHAI), tick=False)

    def statements(count: int) -> int:
        for enterprise in (personas.enterprise_a, personas.enterprise_b) * count:
            make_hazard(enterprise, status=HazardStatus.RECTIFYING, deadline=DEADLINE)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            run = run_overdue()
        assert run.escalations == 2 * count  # the town's step (+3 days) of each new hazard
        return len(queries)

    assert statements(2) == statements(5)
