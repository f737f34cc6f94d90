"""The registry's daily expiry reminders (anjian/enterprises/tasks.py, issue 6 item 5): each current licence,
insurance policy and archive document expiring or expired is told to the enterprise's users and its town's
supervisors, once per record and validity."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import ArchiveDocumentType, OperatingStatus
from anjian.enterprises.models import ArchiveDocument
from anjian.enterprises.tasks import demo_expiry_reminders, every_morning, send_expiry_reminders
from anjian.enterprises.tests.factories import EnterpriseFactory, LiabilityInsuranceFactory, LicenceFactory
from anjian.notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 17)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def records(personas, templates, settings):
    settings.ANJIAN_EXPIRY_WARNING_DAYS = 30
    a, b = personas.enterprise_a, personas.enterprise_b
    closed = EnterpriseFactory(region=personas.village_a, operating_status=OperatingStatus.CLOSED)
    return {
        "expiring": LicenceFactory(enterprise=a, valid_from=days(-700), valid_to=days(10)),
        "valid": LicenceFactory(enterprise=a, valid_from=days(-700), valid_to=days(100)),
        "superseded": LicenceFactory(enterprise=a, valid_from=days(-700), valid_to=days(5), superseded=True),
        "closed": LicenceFactory(enterprise=closed, valid_from=days(-700), valid_to=days(5)),
        "expired_insurance": LiabilityInsuranceFactory(enterprise=a, valid_from=days(-400), valid_to=days(-3)),
        "archive_b": ArchiveDocument.objects.create(
            enterprise=b, doc_type=ArchiveDocumentType.EMERGENCY_PLAN, title="生产安全事故应急预案",
            file="archives/test/plan.pdf", valid_to=days(0)),
    }


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the job as huey would: outside any transaction, so each notice is delivered as it is sent."""

    def run(as_of: dt.date) -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return send_expiry_reminders(as_of=as_of)

    return run


def inbox(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "title"))


def test_reminders_reach_the_enterprises_users_and_the_towns_supervisors(personas, records, remind):
    counts = remind(TODAY)
    assert counts == {"licence": 1, "insurance": 1, "archive": 1}
    a = personas.enterprise_a.name
    expected_a = [("insurance.expiring", f"安责险已过期：{a}"), ("licence.expiring", f"许可证即将到期：{a}")]
    assert inbox(personas.enterprise_a_user) == expected_a
    assert inbox(personas.town_a_supervisor) == expected_a
    assert inbox(personas.town_b_supervisor) == [
        ("archive.expiring", f"安全生产档案即将到期：{personas.enterprise_b.name}")]
    assert inbox(personas.city_supervisor) == [] and inbox(personas.grid_worker_a) == []
    licence = records["expiring"]
    row = Notification.objects.get(recipient=personas.enterprise_a_user, kind="licence.expiring")
    assert row.key == f"licence:{licence.pk}:{days(10).isoformat()}"
    assert row.url == f"/enterprises/{personas.enterprise_a.pk}/"
    assert "（东城街道）的安全生产许可证" in row.text and "将于2026年2月27日到期，还剩10天" in row.text
    insurance = Notification.objects.get(recipient=personas.enterprise_a_user, kind="insurance.expiring")
    assert "已于2026年2月14日过期，已过期3天" in insurance.text and "请及时续保" in insurance.text
    archive = Notification.objects.get(recipient=personas.town_b_supervisor)
    assert "应急预案“生产安全事故应急预案”今天（2026年2月17日）到期" in archive.text


def test_the_next_day_tells_nobody_again_but_a_new_validity_does(personas, records, remind):
    remind(TODAY)
    before = Notification.objects.count()
    assert before == 5
    remind(days(1))
    assert Notification.objects.count() == before
    licence = records["expiring"]
    licence.valid_to = days(20)
    licence.save()
    remind(days(1))
    assert Notification.objects.count() == before + 2


def test_the_demo_sends_todays_reminders_and_says_so(personas, records, time_machine,
                                                     django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2026, 2, 17, 12, 0, tzinfo=dt.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        line = demo_expiry_reminders(DemoOptions(enterprises=0, seed=2026))
    assert line == "到期提醒：许可证 1 张、安责险 1 份、档案 1 份已提醒所属企业用户和镇街监管人员。"
    assert Notification.objects.filter(recipient=personas.town_a_supervisor).exists()


def test_the_reminders_run_at_half_past_seven_in_dongguan():
    assert every_morning(dt.datetime(2026, 2, 16, 23, 30))  # huey's naive UTC
    assert not every_morning(dt.datetime(2026, 2, 17, 7, 30))
    assert not every_morning(dt.datetime(2026, 2, 16, 23, 31))
