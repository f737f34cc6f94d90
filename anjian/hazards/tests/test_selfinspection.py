"""Self-inspection (issue 8 item 2): schedules and their periods, submitting a filled checklist (every fail becomes a
hazard found by the enterprise, 重大 for an official criterion, with its photo), refusals that write nothing, and
the missed schedules shown to the towns."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anjian.core.models import Attachment, AuditEvent
from anjian.hazards.choices import ChecklistStatus, CheckResult, Frequency, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard, InspectionSchedule, SelfInspection, SelfInspectionAnswer
from anjian.hazards.selectors_checklists import missed_by_town, missed_schedules
from anjian.hazards.services_checklists import (
    Answer,
    period_start,
    schedule_save,
    self_inspection_submit,
)
from anjian.hazards.tests.factories import make_checklist

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(name: str = "site.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def all_pass(checklist, overrides: dict | None = None) -> dict[int, Answer]:
    answers = {item.pk: Answer(CheckResult.PASS) for item in checklist.items.all()}
    answers.update(overrides or {})
    return answers


def counts() -> tuple[int, ...]:
    return (SelfInspection.objects.count(), SelfInspectionAnswer.objects.count(), Hazard.objects.count(),
            Attachment.objects.count())


class TestPeriods:
    @pytest.mark.parametrize(("frequency", "day", "expected"), [
        (Frequency.DAILY, dt.date(2026, 3, 5), dt.date(2026, 3, 5)),
        (Frequency.WEEKLY, dt.date(2026, 3, 5), dt.date(2026, 3, 2)),  # a Thursday → its Monday
        (Frequency.WEEKLY, dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        (Frequency.WEEKLY, dt.date(2026, 3, 1), dt.date(2026, 2, 23)),  # a Sunday belongs to the week before
        (Frequency.MONTHLY, dt.date(2026, 3, 31), dt.date(2026, 3, 1)),
    ])
    def test_period_start(self, frequency, day, expected):
        assert period_start(frequency, day) == expected

    def test_the_period_is_the_day_in_shanghai(self, personas):
        checklist = make_checklist(items=1)
        schedule = InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist,
                                                     frequency=Frequency.DAILY, starts_on=dt.date(2026, 1, 1))
        # 2026-03-01 20:00 UTC is already 2026-03-02 04:00 in Dongguan.
        inspection = self_inspection_submit(
            actor=personas.enterprise_a_user, enterprise=personas.enterprise_a, checklist=checklist,
            schedule=schedule, answers=all_pass(checklist), performed_at=dt.datetime(2026, 3, 1, 20, tzinfo=dt.UTC),
        )
        assert inspection.period_start == dt.date(2026, 3, 2)


class TestSchedules:
    def test_enterprise_user_schedules_its_own_enterprise_only(self, personas):
        checklist = make_checklist()
        user = personas.enterprise_a_user
        own = schedule_save(actor=user, schedule=InspectionSchedule(
            enterprise=personas.enterprise_a, checklist=checklist, frequency=Frequency.WEEKLY,
            starts_on=dt.date(2026, 1, 1)))
        assert own.pk and AuditEvent.objects.filter(action="inspectionschedule.create").exists()
        with pytest.raises(PermissionDenied):
            schedule_save(actor=user, schedule=InspectionSchedule(
                enterprise=personas.enterprise_b, checklist=checklist, starts_on=dt.date(2026, 1, 1)))
        with pytest.raises(PermissionDenied):
            schedule_save(actor=personas.town_a_supervisor, schedule=InspectionSchedule(
                enterprise=personas.enterprise_b, checklist=checklist, starts_on=dt.date(2026, 1, 1)))
        assert InspectionSchedule.objects.count() == 1

    def test_a_schedule_follows_a_checklist_in_use(self, personas):
        draft = make_checklist(code="draft", status=ChecklistStatus.DRAFT)
        with pytest.raises(ValidationError, match="在用"):
            schedule_save(actor=personas.town_a_supervisor, schedule=InspectionSchedule(
                enterprise=personas.enterprise_a, checklist=draft, starts_on=dt.date(2026, 1, 1)))


class TestSubmit:
    def test_one_fail_makes_one_major_hazard_with_its_photo(self, personas):
        checklist = make_checklist(code="criteria", items=3, major=(2,), criteria=True, official=True)
        item = checklist.items.get(number=2)
        user = personas.enterprise_a_user
        inspection = self_inspection_submit(
            actor=user, enterprise=personas.enterprise_a, checklist=checklist,
            answers=all_pass(checklist, {item.pk: Answer(CheckResult.FAIL, note="安全阀未投用", place="二号罐区")}),
            photos={item.pk: [photo()]},
        )
        assert inspection.failed_count == 1 and inspection.answers.count() == 3
        hazard = Hazard.objects.get()
        assert hazard.level == HazardLevel.MAJOR and hazard.criterion_item == item
        assert hazard.source == HazardSource.SELF_INSPECTION and hazard.status == HazardStatus.REPORTED
        assert hazard.found_by == user and hazard.place == "二号罐区"
        assert item.text in hazard.description and "安全阀未投用" in hazard.description
        assert inspection.answers.get(item=item).hazard == hazard
        assert Attachment.objects.filter(object_id=str(hazard.pk), purpose="self_inspection").count() == 1
        assert AuditEvent.objects.filter(action="hazard.create", object_id=str(hazard.pk)).exists()
        assert AuditEvent.objects.filter(action="selfinspection.create", object_id=str(inspection.pk)).exists()

    def test_a_general_item_makes_a_general_hazard(self, personas):
        checklist = make_checklist(items=2)
        item = checklist.items.get(number=1)
        failed = {item.pk: Answer(CheckResult.FAIL, note="灭火器过期\n两具")}
        self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                               checklist=checklist, answers=all_pass(checklist, failed))
        hazard = Hazard.objects.get()
        assert hazard.level == HazardLevel.GENERAL and hazard.criterion_item is None
        assert "灭火器过期 两具" in hazard.description

    def test_the_hazard_is_described_in_the_sites_language_whatever_the_users(self, personas):
        """An English-speaking user's self-inspection leaves Chinese in the record the town reads."""
        from django.utils import translation

        checklist = make_checklist(items=1)
        item = checklist.items.get()
        with translation.override("en"):
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                   checklist=checklist, answers={item.pk: Answer(CheckResult.FAIL, note="锈蚀")})
        assert "（自查发现：锈蚀）" in Hazard.objects.get().description

    @pytest.mark.parametrize("case", ["missing", "fail_without_note", "bad_result", "foreign_item"])
    def test_bad_answers_are_refused_and_nothing_is_written(self, personas, case):
        checklist = make_checklist(items=3)
        items = list(checklist.items.order_by("number"))
        answers: dict = all_pass(checklist)
        answers[items[0].pk] = Answer(CheckResult.FAIL, note="有问题")
        if case == "missing":
            del answers[items[2].pk]
        elif case == "fail_without_note":
            answers[items[1].pk] = Answer(CheckResult.FAIL, note="  ")
        elif case == "bad_result":
            answers[items[1].pk] = Answer("maybe")
        else:
            answers[987654] = Answer(CheckResult.PASS)
        before = counts()
        with pytest.raises(ValidationError) as error:
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                   checklist=checklist, answers=answers, photos={items[0].pk: [photo()]})
        assert counts() == before
        assert all("\u4e00" <= message[0] <= "\u9fff" for message in error.value.messages)

    def test_a_bad_photo_refuses_everything(self, personas):
        checklist = make_checklist(items=1)
        item = checklist.items.get()
        before = counts()
        fake = SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")
        with pytest.raises(ValidationError) as error:
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                   checklist=checklist, answers={item.pk: Answer(CheckResult.FAIL, note="破损")},
                                   photos={item.pk: [fake]})
        assert f"item_{item.pk}" in error.value.message_dict
        assert counts() == before

    def test_a_period_already_inspected_is_refused(self, personas):
        checklist = make_checklist(items=1)
        schedule = InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist,
                                                     frequency=Frequency.WEEKLY, starts_on=dt.date(2026, 1, 1))
        kwargs = {"actor": personas.enterprise_a_user, "enterprise": personas.enterprise_a, "checklist": checklist,
                  "schedule": schedule, "answers": all_pass(checklist)}
        self_inspection_submit(**kwargs, performed_at=dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI))
        before = counts()
        with pytest.raises(ValidationError, match="本周期的自查已完成"):
            self_inspection_submit(**kwargs, performed_at=dt.datetime(2026, 3, 8, 9, tzinfo=SHANGHAI))
        assert counts() == before
        # The next week is a new period.
        self_inspection_submit(**kwargs, performed_at=dt.datetime(2026, 3, 9, 9, tzinfo=SHANGHAI))

    def test_refusals_of_checklist_schedule_and_enterprise(self, personas):
        draft = make_checklist(code="draft", status=ChecklistStatus.DRAFT, items=1)
        with pytest.raises(ValidationError, match="在用"):
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                   checklist=draft, answers=all_pass(draft))
        checklist = make_checklist(items=1)
        schedule = InspectionSchedule.objects.create(enterprise=personas.enterprise_b, checklist=checklist,
                                                     starts_on=dt.date(2026, 1, 1))
        with pytest.raises(ValidationError, match="不符"):
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                   checklist=checklist, schedule=schedule, answers=all_pass(checklist))
        with pytest.raises(PermissionDenied):
            self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_b,
                                   checklist=checklist, answers=all_pass(checklist))
        assert counts() == (0, 0, 0, 0)


class TestMissed:
    def test_missed_schedules_per_town(self, personas):
        checklist = make_checklist(items=1)

        def schedule(enterprise, frequency):
            return InspectionSchedule.objects.create(enterprise=enterprise, checklist=checklist, frequency=frequency,
                                                     starts_on=dt.date(2026, 1, 1))

        weekly_a = schedule(personas.enterprise_a, Frequency.WEEKLY)
        monthly_a = schedule(personas.enterprise_a, Frequency.MONTHLY)
        daily_b = schedule(personas.enterprise_b, Frequency.DAILY)
        fresh = InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist,
                                                  frequency=Frequency.WEEKLY, starts_on=dt.date(2026, 3, 10))
        InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist, active=False,
                                          frequency=Frequency.DAILY, starts_on=dt.date(2026, 1, 1))

        def submit(item_schedule, when):
            self_inspection_submit(actor=personas.city_supervisor, enterprise=item_schedule.enterprise,
                                   checklist=checklist, schedule=item_schedule, answers=all_pass(checklist),
                                   performed_at=when)

        # As of Thursday 2026-03-12: last week began 03-02, last month 02-01, yesterday was 03-11.
        submit(weekly_a, dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI))  # last week done
        submit(monthly_a, dt.datetime(2026, 1, 20, 10, tzinfo=SHANGHAI))  # January done, February skipped
        submit(daily_b, dt.datetime(2026, 3, 12, 8, tzinfo=SHANGHAI))  # today done, yesterday skipped
        as_of = dt.date(2026, 3, 12)
        city = missed_schedules(user=personas.city_supervisor, as_of=as_of)
        assert set(city) == {monthly_a, daily_b}
        assert fresh not in city
        missed = {row.pk: (row.missed_period, row.last_period) for row in city}
        assert missed[monthly_a.pk] == (dt.date(2026, 2, 1), dt.date(2026, 1, 1))
        assert missed[daily_b.pk] == (dt.date(2026, 3, 11), dt.date(2026, 3, 12))
        towns = {row["code"]: row["count"] for row in missed_by_town(city)}
        assert towns == {personas.town_a.code: 1, personas.town_b.code: 1}
        # Each town sees its own only.
        assert list(missed_schedules(user=personas.town_a_supervisor, as_of=as_of)) == [monthly_a]
        assert list(missed_schedules(user=personas.town_b_supervisor, as_of=as_of)) == [daily_b]

        # A week on, the weekly one has skipped the week of 03-09 too.
        assert weekly_a in set(missed_schedules(user=personas.city_supervisor, as_of=dt.date(2026, 3, 19)))

    def test_missed_page_for_towns(self, personas, client):
        checklist = make_checklist(items=1)
        InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist,
                                          frequency=Frequency.DAILY, starts_on=dt.date(2026, 1, 1))
        InspectionSchedule.objects.create(enterprise=personas.enterprise_b, checklist=checklist,
                                          frequency=Frequency.DAILY, starts_on=dt.date(2026, 1, 1))
        client.force_login(personas.town_a_supervisor)
        with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=SHANGHAI)):
            page = client.get(reverse("hazards:schedule_missed")).content.decode()
        assert personas.enterprise_a.name in page and personas.enterprise_b.name not in page
        assert personas.town_a.name in page
        with time_machine.travel(dt.datetime(2026, 3, 12, 9, tzinfo=SHANGHAI)):
            export = client.get(reverse("hazards:schedule_missed"), {"export": "xlsx"})
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


class TestPages:
    def test_fill_page_submits_and_shows_the_hazard(self, personas, client):
        checklist = make_checklist(items=2, major=(1,), criteria=True)
        first, second = checklist.items.order_by("number")
        client.force_login(personas.enterprise_a_user)
        url = reverse("hazards:selfinspection_add")
        page = client.get(url, {"checklist": checklist.pk})
        assert page.status_code == 200
        html = page.content.decode()
        assert 'capture="environment"' in html and 'accept="image/*"' in html

        # A fail without a note: the page says so on the item, nothing written.
        response = client.post(url, {"checklist": checklist.pk, f"result_{first.pk}": "fail",
                                     f"result_{second.pk}": "pass"})
        assert response.status_code == 400 and "请说明存在的问题" in response.content.decode()
        assert counts() == (0, 0, 0, 0)

        response = client.post(url, {"checklist": checklist.pk, f"result_{first.pk}": "fail",
                                     f"note_{first.pk}": "安全阀拆除", f"photo_{first.pk}": photo(),
                                     f"result_{second.pk}": "not_applicable"})
        assert response.status_code == 302
        inspection = SelfInspection.objects.get()
        assert response["Location"] == inspection.get_absolute_url()
        detail = client.get(response["Location"]).content.decode()
        hazard = Hazard.objects.get()
        assert hazard.level == HazardLevel.MAJOR
        assert f"#{hazard.pk}" in detail and 'data-testid="hazard-photo"' in detail

    def test_other_enterprise_cannot_be_filled(self, personas, client):
        checklist = make_checklist(items=1)
        client.force_login(personas.enterprise_a_user)
        url = reverse("hazards:selfinspection_add")
        assert client.get(url, {"checklist": checklist.pk, "enterprise": personas.enterprise_b.pk}).status_code == 404
        grid = personas.grid_worker_a
        client.force_login(grid)
        assert client.get(url).status_code == 403

    def test_pages_render(self, personas, client):
        checklist = make_checklist(items=2, major=(1,), criteria=True)
        schedule = InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=checklist,
                                                     starts_on=dt.date(2026, 1, 1))
        client.force_login(personas.enterprise_a_user)
        for name, args in (("hazards:checklist_list", []), ("hazards:checklist_detail", [checklist.pk]),
                           ("hazards:schedule_list", []), ("hazards:schedule_detail", [schedule.pk]),
                           ("hazards:selfinspection_list", []), ("hazards:selfinspection_add", []),
                           ("hazards:schedule_add", []),
                           ("enterprises:enterprise_detail", [personas.enterprise_a.pk])):
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200, name
            if name == "enterprises:enterprise_detail":
                assert 'id="self-inspections"' in response.content.decode()
        assert "开始自查" in client.get(reverse("hazards:schedule_detail", args=[schedule.pk])).content.decode()


class TestApi:
    def test_submit_json_and_multipart(self, personas, client):
        checklist = make_checklist(items=2, major=(1,), criteria=True)
        first, second = checklist.items.order_by("number")
        client.force_login(personas.enterprise_a_user)
        body = {"checklist": checklist.pk, "answers": [
            {"item": first.pk, "result": "fail", "note": "安全阀拆除", "place": "罐区"},
            {"item": second.pk, "result": "pass"},
        ]}
        response = client.post("/api/v1/self-inspections/", body, content_type="application/json")
        assert response.status_code == 201, response.content
        answer = response.json()
        assert answer["enterprise"] == personas.enterprise_a.pk and answer["failed_count"] == 1
        hazard = Hazard.objects.get()
        assert [row["hazard"] for row in answer["answers"]] == [hazard.pk, None]
        assert hazard.level == HazardLevel.MAJOR

        response = client.post("/api/v1/self-inspections/", {
            "checklist": checklist.pk, "answers": json.dumps(body["answers"]), f"photo_{first.pk}": photo(),
        })
        assert response.status_code == 201, response.content
        newest = Hazard.objects.order_by("-pk").first()
        assert Attachment.objects.filter(object_id=str(newest.pk)).count() == 1

    def test_refusals_write_nothing(self, personas, client):
        checklist = make_checklist(items=2)
        first, second = checklist.items.order_by("number")
        client.force_login(personas.enterprise_a_user)
        url = "/api/v1/self-inspections/"
        cases = [
            {"checklist": checklist.pk, "answers": [{"item": first.pk, "result": "pass"}]},  # one item unanswered
            {"checklist": checklist.pk, "answers": [{"item": first.pk, "result": "fail"},
                                                    {"item": second.pk, "result": "pass"}]},  # fail without note
            {"checklist": checklist.pk, "enterprise": personas.enterprise_b.pk,
             "answers": [{"item": first.pk, "result": "pass"}, {"item": second.pk, "result": "pass"}]},
            {"checklist": 987654321, "answers": [{"item": first.pk, "result": "pass"}]},
            {"checklist": checklist.pk, "answers": "not json"},
            {"checklist": checklist.pk, "answers": [{"item": 2**70, "result": "pass"}]},
        ]
        for body in cases:
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 400, (body, response.content)
            assert response.json()["code"] == "invalid"
        assert counts() == (0, 0, 0, 0)
        client.force_login(personas.grid_worker_a)
        response = client.post(url, cases[0], content_type="application/json")
        assert response.status_code == 403


def test_enterprise_user_creates_a_schedule_through_the_page(personas, client):
    checklist = make_checklist(items=1)
    draft = make_checklist(code="draft-page", status=ChecklistStatus.DRAFT)
    client.force_login(personas.enterprise_a_user)
    url = reverse("hazards:schedule_add")
    form = client.get(url).content.decode()
    assert checklist.title in form and f'value="{draft.pk}"' not in form
    response = client.post(url, {"enterprise": personas.enterprise_a.pk, "checklist": checklist.pk,
                                 "frequency": Frequency.DAILY, "starts_on": "2026-03-01", "responsible": "张三",
                                 "active": "on"})
    assert response.status_code == 302
    schedule = InspectionSchedule.objects.get()
    assert (schedule.enterprise, schedule.frequency) == (personas.enterprise_a, Frequency.DAILY)
    response = client.post(url, {"enterprise": personas.enterprise_b.pk, "checklist": checklist.pk,
                                 "frequency": Frequency.DAILY, "starts_on": "2026-03-01"})
    assert response.status_code == 200 and InspectionSchedule.objects.count() == 1


def test_a_schedule_follows_its_checklist_to_the_new_version(personas, client):
    from anjian.hazards.models import ChecklistItem
    from anjian.hazards.services_checklists import checklist_item_save, checklist_new_version, checklist_publish

    first = make_checklist(code="follow", items=1)
    schedule = InspectionSchedule.objects.create(enterprise=personas.enterprise_a, checklist=first,
                                                 frequency=Frequency.DAILY, starts_on=dt.date(2026, 1, 1))
    city = personas.city_supervisor
    second = checklist_new_version(actor=city, checklist=first)
    checklist_item_save(actor=city, item=ChecklistItem(checklist=second, number=2, text="新增的检查项"))
    checklist_publish(actor=city, obj=second)

    client.force_login(personas.enterprise_a_user)
    page = client.get(reverse("hazards:selfinspection_add"), {"schedule": schedule.pk}).content.decode()
    assert "新增的检查项" in page
    with pytest.raises(ValidationError, match="在用"):
        self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                               checklist=first, schedule=schedule, answers=all_pass(first))
    inspection = self_inspection_submit(actor=personas.enterprise_a_user, enterprise=personas.enterprise_a,
                                        checklist=second, schedule=schedule, answers=all_pass(second))
    assert inspection.checklist == second and inspection.answers.count() == 2
