"""Services of public reports (issue 8 item 6): submitting without an account, the status the public reads, the
regulators' triage (accept creating or linking a hazard, dismiss with a reason, reward after acceptance), the rate
limit per address and the bot challenge."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.core.models import Attachment, AuditEvent
from anjian.core.workflow import IllegalTransition
from anjian.hazards import challenge, services_public
from anjian.hazards.choices import HazardSource, HazardStatus, PublicReportStatus
from anjian.hazards.models import Hazard, PublicReport
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

CONTACT = "13912345678"


def jpeg_file(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def templates(db):
    from anjian.notifications.reference import load_templates

    load_templates()


def submit(personas, **values) -> PublicReport:
    data = {"region": personas.village_a.code, "description": "某厂仓库堆放大量油漆，无灭火器", "place": "工业路8号",
            "contact": CONTACT, "client_ip": "203.0.113.5"}
    data.update(values)
    return services_public.public_report_submit(**data)


def files_in(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# ---- submitting ---------------------------------------------------------------------------------------------------


def test_submit_records_the_report_its_photo_audit_and_notice(personas, templates, django_capture_on_commit_callbacks):
    from anjian.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        report = submit(personas, photos=[jpeg_file()])
    assert report.status == PublicReportStatus.PENDING
    assert len(report.tracking_code) == services_public.CODE_LENGTH
    assert set(report.tracking_code) <= set(services_public.CODE_ALPHABET)
    assert report.region == personas.village_a and report.contact == CONTACT
    photos = Attachment.objects.filter(object_id=str(report.pk), content_type__model="publicreport")
    assert photos.count() == 1 and photos.get().uploaded_by is None
    assert photos.get().region_code == personas.village_a.code
    event = AuditEvent.objects.get(action="publicreport.submit", object_id=str(report.pk))
    assert event.actor is None
    assert CONTACT not in str(event.data) and CONTACT not in event.object_repr and "203.0.113.5" not in str(event.data)
    # The town's supervisors are told; town B's are not.
    told = set(Notification.objects.filter(kind=services_public.RECEIVED).values_list("recipient__username", flat=True))
    assert told == {"town_a_supervisor"}
    text = Notification.objects.get(kind=services_public.RECEIVED).text
    assert "东城" in text and CONTACT not in text


def test_codes_are_random_and_distinct(personas):
    codes = {submit(personas).tracking_code for _index in range(5)}
    assert len(codes) == 5


def test_a_town_is_a_place_too_and_the_city_is_not(personas):
    assert submit(personas, region=personas.town_b.code).region == personas.town_b
    for region in ("441900000000", "441900999999", "abc", "", "44190000300０"):
        with pytest.raises(ValidationError) as refused:
            submit(personas, region=region)
        assert "镇街或村" in str(refused.value.message_dict["region"])
    assert not PublicReport.objects.exclude(region=personas.town_b).exists()


@pytest.mark.parametrize("values, field", [
    ({"description": "  "}, "description"),
    ({"description": "长" * 2001}, "description"),
    ({"contact": "12345"}, "contact"),
    ({"latitude": "91", "longitude": "113.7"}, "latitude"),
    ({"latitude": "23.0"}, "latitude"),
])
def test_bad_fields_are_refused_with_nothing_written(personas, values, field):
    with pytest.raises(ValidationError) as refused:
        submit(personas, **values)
    assert field in refused.value.message_dict
    assert not PublicReport.objects.exists() and not AuditEvent.objects.filter(action="publicreport.submit").exists()


def test_wrong_photo_type_is_refused_with_nothing_written(personas, _media):
    pdf = SimpleUploadedFile("举报材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    renamed = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    for photos in ([pdf], [jpeg_file(), renamed]):
        with pytest.raises(ValidationError) as refused:
            submit(personas, photos=photos)
        assert "JPG 或 PNG" in " ".join(refused.value.message_dict["photos"])
    assert not PublicReport.objects.exists() and not Attachment.objects.exists() and not files_in(_media)


def test_oversize_and_broken_photos_are_refused_with_nothing_written(personas, settings, _media):
    settings.ANJIAN_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        submit(personas, photos=[big])
    assert "文件过大" in " ".join(refused.value.message_dict["photos"])
    # Right magic bytes, no picture: refused when decoded, after the report row was written, which rolls back.
    broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        submit(personas, photos=[jpeg_file(), broken])
    assert "图片无法识别" in " ".join(refused.value.message_dict["photos"])
    assert not PublicReport.objects.exists() and not Attachment.objects.exists() and not files_in(_media)


def test_too_many_photos(personas):
    with pytest.raises(ValidationError):
        submit(personas, photos=[jpeg_file(f"{index}.jpg") for index in range(services_public.MAX_PHOTOS + 1)])
    assert not PublicReport.objects.exists()


# ---- what the public reads ----------------------------------------------------------------------------------------


def test_status_by_code_in_any_typing_and_none_for_unknown_or_malformed(personas):
    report = submit(personas)
    code = report.tracking_code
    for typed in (code, code.lower(), services_public.format_tracking_code(code), f" {code[:6]} {code[6:]} "):
        answer = services_public.public_report_status(tracking_code=typed)
        assert answer is not None and answer.tracking_code == code and answer.status_label == "待处理"
    unknown = "".join("2" if ch != "2" else "3" for ch in code)
    for typed in (unknown, "0O1IL", "", None, 12345, code + "2", "x" * 10_000, "' OR 1=1 --"):
        assert services_public.public_report_status(tracking_code=typed) is None
    answer = services_public.public_report_status(tracking_code=code)
    assert CONTACT not in repr(answer)


# ---- triage -------------------------------------------------------------------------------------------------------


def test_accept_creating_a_hazard(personas):
    p = personas
    report = submit(p, photos=[jpeg_file()])
    decided = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    accepted = services_public.public_report_accept(
        actor=p.town_a_supervisor, report=report, enterprise=p.enterprise_a, public_reply="已责令企业整改",
        description="仓库堆放油漆，未配灭火器", now=decided,
    )
    assert accepted.status == PublicReportStatus.ACCEPTED and accepted.decided_at == decided
    hazard = accepted.hazard
    assert hazard.enterprise == p.enterprise_a and hazard.source == HazardSource.PUBLIC_REPORT
    assert hazard.status == HazardStatus.REPORTED and hazard.description == "仓库堆放油漆，未配灭火器"
    assert hazard.place == "工业路8号" and hazard.found_at == report.submitted_at
    # The report's photo goes with the new hazard, added by the regulator, with the hazard's audit event.
    copied = Attachment.objects.get(object_id=str(hazard.pk), content_type__model="hazard")
    assert copied.purpose == services_public.PHOTOS_FROM_REPORT and copied.uploaded_by == p.town_a_supervisor
    assert copied.enterprise_id == p.enterprise_a.pk
    assert AuditEvent.objects.filter(action="hazard.attach", object_id=str(hazard.pk)).exists()
    assert AuditEvent.objects.filter(action="hazard.create", object_id=str(hazard.pk)).exists()
    event = AuditEvent.objects.get(action="publicreport.accept", object_id=str(report.pk))
    assert event.actor == p.town_a_supervisor
    # The hazard's own trail (which the enterprise reads) does not carry the citizen's tracking code.
    assert not AuditEvent.objects.filter(object_id=str(hazard.pk), reason__contains=report.tracking_code).exists()
    answer = services_public.public_report_status(tracking_code=report.tracking_code)
    assert answer.status_label == "已受理" and answer.hazard_progress == "已立案，待整改"
    assert answer.public_reply == "已责令企业整改"


def test_accept_defaults_to_the_report_text_and_may_leave_the_photos(personas):
    report = submit(personas, photos=[jpeg_file()])
    accepted = services_public.public_report_accept(actor=personas.city_supervisor, report=report,
                                                    enterprise=personas.enterprise_a, copy_photos=False)
    assert accepted.hazard.description == report.description
    assert not Attachment.objects.filter(content_type__model="hazard").exists()


def test_a_refused_acceptance_keeps_no_hazard_and_no_copied_file(personas, _media):
    p = personas
    report = submit(p, photos=[jpeg_file()])
    before = set(files_in(_media))
    PublicReport.objects.filter(pk=report.pk).update(status=PublicReportStatus.REJECTED)
    # The page was read while the report was pending: the hazard and its photo are written, then the table refuses.
    with pytest.raises(IllegalTransition):
        services_public.public_report_accept(actor=p.town_a_supervisor, report=report, enterprise=p.enterprise_a)
    assert not Hazard.objects.exists() and not Attachment.objects.filter(content_type__model="hazard").exists()
    assert set(files_in(_media)) == before


def test_accept_linking_an_open_hazard_of_the_town(personas):
    p = personas
    hazard = make_hazard(p.enterprise_a, status=HazardStatus.RECTIFYING)
    report = submit(p)
    accepted = services_public.public_report_accept(actor=p.town_a_supervisor, report=report, hazard=hazard)
    assert accepted.hazard == hazard and Hazard.objects.count() == 1
    answer = services_public.public_report_status(tracking_code=report.tracking_code)
    assert answer.hazard_progress == "整改中"
    Hazard.objects.filter(pk=hazard.pk).update(status=HazardStatus.CLOSED, closed_at=dt.datetime(2026, 12, 5,
                                                                                                 tzinfo=dt.UTC))
    answer = services_public.public_report_status(tracking_code=report.tracking_code)
    assert answer.hazard_progress == "已整改，已销号" and answer.hazard_closed_at is not None


def test_accept_refuses_hazards_and_enterprises_out_of_the_town(personas):
    p = personas
    report = submit(p)
    other_town = make_hazard(p.enterprise_b)
    closed = make_hazard(p.enterprise_a, status=HazardStatus.CLOSED)
    for choice in ({"hazard": other_town}, {"hazard": closed}, {"enterprise": p.enterprise_b}, {},
                   {"hazard": closed, "enterprise": p.enterprise_a}):
        with pytest.raises(ValidationError):
            services_public.public_report_accept(actor=p.city_supervisor, report=report, **choice)
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING and report.hazard is None
    assert Hazard.objects.count() == 2


def test_town_b_cannot_triage_town_a(personas):
    p = personas
    report = submit(p)
    with pytest.raises(PermissionDenied):
        services_public.public_report_accept(actor=p.town_b_supervisor, report=report, enterprise=p.enterprise_a)
    for action, data in (("dismiss", {}), ("reward", {"reward_amount": Decimal("100")})):
        with pytest.raises(PermissionDenied):
            services_public.public_report_transition(actor=p.town_b_supervisor, obj=report, action=action,
                                                     reason="越权", data=data)
    for person in (p.grid_worker_a, p.enterprise_a_user, p.department_a_supervisor):
        with pytest.raises(PermissionDenied):
            services_public.public_report_accept(actor=person, report=report, enterprise=p.enterprise_a)
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING and not Hazard.objects.exists()


def test_accept_twice_is_an_illegal_transition_and_creates_no_second_hazard(personas):
    p = personas
    report = submit(p)
    services_public.public_report_accept(actor=p.town_a_supervisor, report=report, enterprise=p.enterprise_a)
    with pytest.raises(IllegalTransition):
        services_public.public_report_accept(actor=p.town_a_supervisor, report=report, enterprise=p.enterprise_a)
    stale = PublicReport.objects.get(pk=report.pk)
    stale.status = PublicReportStatus.PENDING  # a page read before the first acceptance
    with pytest.raises(IllegalTransition):
        services_public.public_report_accept(actor=p.town_a_supervisor, report=stale, enterprise=p.enterprise_a)
    assert Hazard.objects.count() == 1


def test_dismiss_needs_a_reason(personas):
    p = personas
    report = submit(p)
    with pytest.raises(ValidationError) as refused:
        services_public.public_report_dismiss(actor=p.town_a_supervisor, report=report, reason="  ")
    assert "reason" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING
    dismissed = services_public.public_report_dismiss(actor=p.town_a_supervisor, report=report,
                                                      reason="现场核查无此情况")
    assert dismissed.status == PublicReportStatus.REJECTED and dismissed.decided_at is not None
    event = AuditEvent.objects.get(action="publicreport.dismiss", object_id=str(report.pk))
    assert event.reason == "现场核查无此情况"
    answer = services_public.public_report_status(tracking_code=report.tracking_code)
    # The reason stays with the regulators; the public reads a general sentence unless given a reply.
    assert answer.status_label == "不予受理" and "现场核查无此情况" not in repr(answer)
    assert answer.public_reply == "经核查，该举报不予受理。"


def test_reward_only_after_acceptance(personas):
    p = personas
    report = submit(p)
    with pytest.raises(IllegalTransition):
        services_public.public_report_reward(actor=p.town_a_supervisor, report=report, reward_amount=Decimal("200"))
    services_public.public_report_accept(actor=p.town_a_supervisor, report=report, enterprise=p.enterprise_a)
    with pytest.raises(ValidationError):
        services_public.public_report_reward(actor=p.town_a_supervisor, report=report, reward_amount=None)
    with pytest.raises(ValidationError):
        services_public.public_report_reward(actor=p.town_a_supervisor, report=report, reward_amount=Decimal("-1"))
    rewarded = services_public.public_report_reward(actor=p.town_a_supervisor, report=report,
                                                    reward_amount=Decimal("200"), reward_note="银行转账")
    assert rewarded.reward_amount == Decimal("200") and rewarded.status == PublicReportStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="publicreport.reward", object_id=str(report.pk)).exists()
    dismissed = submit(p)
    services_public.public_report_dismiss(actor=p.town_a_supervisor, report=dismissed, reason="重复举报")
    with pytest.raises(IllegalTransition):
        services_public.public_report_reward(actor=p.town_a_supervisor, report=dismissed,
                                             reward_amount=Decimal("200"))


def test_contact_is_read_in_full_only_by_those_who_handle_it(personas):
    p = personas
    report = PublicReport.objects.select_related("region").get(pk=submit(p).pk)
    assert services_public.sees_contact(p.town_a_supervisor, report)
    assert services_public.sees_contact(p.city_supervisor, report)
    assert not services_public.sees_contact(p.grid_worker_a, report)
    assert not services_public.sees_contact(p.town_b_supervisor, report)


# ---- rate limit and challenge -------------------------------------------------------------------------------------


def test_rate_limit_per_address_slides_over_an_hour(settings):
    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 3
    start = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _index in range(3):
            assert services_public.rate_take(client_ip="198.51.100.7") is None
            traveller.shift(dt.timedelta(minutes=10))
        wait = services_public.rate_take(client_ip="198.51.100.7")
        assert wait is not None and 30 * 60 - 5 <= wait <= 30 * 60 + 5
        assert services_public.rate_wait(client_ip="198.51.100.7") == wait
        # Another address is counted apart.
        assert services_public.rate_take(client_ip="198.51.100.8") is None
        assert "每小时最多提交 3 条" in services_public.rate_message(wait)
        traveller.shift(dt.timedelta(seconds=wait))
        assert services_public.rate_take(client_ip="198.51.100.7") is None


def test_challenge_answers_once_and_expires():
    first = challenge.new_challenge()
    assert first.image.startswith("data:image/png;base64,")
    answer = challenge.solution(first.token)
    assert answer is not None
    assert not challenge.check(first.token, str(answer + 1))
    assert not challenge.check(first.token, "")
    assert not challenge.check(first.token[:-2] + "xx", str(answer))
    # Full-width digits typed with a Chinese input method count.
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in str(answer))
    assert challenge.check(first.token, full_width)
    assert not challenge.check(first.token, str(answer)), "a token answers once"
    later = challenge.new_challenge()
    answer = challenge.solution(later.token)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=challenge.CHALLENGE_MAX_AGE + 60)):
        assert challenge.solution(later.token) is None
        assert not challenge.check(later.token, str(answer))
