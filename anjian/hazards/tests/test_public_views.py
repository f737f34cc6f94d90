"""Pages of public reports (issue 8 item 6): the citizen's form, confirmation and tracking page without an account,
the bot challenge and honeypot, the rate limit per client address (and whose X-Forwarded-For is believed), and the
regulators' list, detail and triage pages."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from anjian.core.models import Attachment
from anjian.core.testing.matrix import client_for
from anjian.hazards import challenge, services_public
from anjian.hazards.choices import HazardSource, PublicReportStatus
from anjian.hazards.models import Hazard, PublicReport

pytestmark = pytest.mark.django_db

CONTACT = "13912345678"
FORM = reverse("hazards:public_report")
TRACK = reverse("hazards:public_report_track")
# Each answer carries its own masked CSRF token (the forms and htmx's header): not part of what it says.
CSRF_TOKENS = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, plain_static):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_file(name: str = "现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(personas, **values) -> dict:
    issued = challenge.new_challenge()
    data = {
        "town": personas.town_a.code, "village": personas.village_a.code, "place": "工业路8号",
        "description": "仓库堆放大量油漆，无灭火器", "contact": CONTACT, "website": "",
        "challenge_token": issued.token, "challenge_answer": str(challenge.solution(issued.token)),
    }
    data.update(values)
    return data


def text(response) -> str:
    return response.content.decode()


def test_login_page_links_the_public_pages():
    body = text(Client().get(reverse("login")))
    assert FORM in body and TRACK in body and "我要举报" in body


def test_the_form_needs_no_login_and_carries_a_challenge_picture(personas):
    response = Client().get(FORM)
    assert response.status_code == 200
    body = text(response)
    assert 'src="data:image/png;base64,' in body and 'name="challenge_token"' in body and 'name="website"' in body
    assert "no-store" in response["Cache-Control"]
    assert personas.town_a.name in body and 'hx-get="/hazards/public/report/villages/"' in body
    villages = text(Client().get(reverse("hazards:public_report_villages"), {"town": personas.town_a.code}))
    assert personas.village_a.name in villages and personas.village_b.name not in villages
    assert text(Client().get(reverse("hazards:public_report_villages"), {"town": "x' or 1=1"})).count("<option") == 1
    fresh = Client().get(reverse("hazards:public_report_challenge"))
    assert fresh.status_code == 200 and 'name="challenge_token"' in text(fresh)


def test_a_citizen_files_a_report_and_follows_it(personas):
    client = Client()
    response = client.post(FORM, {**form_data(personas), "photos": [jpeg_file()]})
    assert response.status_code == 200, text(response)[:2000]
    report = PublicReport.objects.get()
    code = services_public.format_tracking_code(report.tracking_code)
    assert code in text(response) and "举报已提交" in text(response)
    assert "no-store" in response["Cache-Control"]
    assert report.region == personas.village_a and report.contact == CONTACT
    assert Attachment.objects.filter(object_id=str(report.pk)).count() == 1
    # A reload sends the same form again: its challenge is used up, nothing is filed twice.
    again = client.post(FORM, form_data(personas, challenge_token=response.wsgi_request.POST["challenge_token"],
                                        challenge_answer=response.wsgi_request.POST["challenge_answer"]))
    assert "验证码错误或已过期" in text(again) and PublicReport.objects.count() == 1

    tracked = Client().post(TRACK, {"code": code.lower()})
    body = text(tracked)
    assert tracked.status_code == 200 and "待处理" in body and "已收到，正在核查" in body
    assert CONTACT not in body and "no-store" in tracked["Cache-Control"]

    services_public.public_report_accept(actor=personas.town_a_supervisor, report=report,
                                         enterprise=personas.enterprise_a, public_reply="已责令整改")
    body = text(Client().post(TRACK, {"code": report.tracking_code}))
    assert "已受理" in body and "已立案，待整改" in body and "已责令整改" in body
    for secret in (CONTACT, personas.enterprise_a.name, personas.town_a_supervisor.username,
                   personas.enterprise_a.safety_principal):
        assert secret not in body, secret


def test_unknown_and_malformed_codes_get_the_same_page(personas):
    report = services_public.public_report_submit(region=personas.town_a.code, description="无证经营烟花爆竹")
    unknown = "".join("2" if ch != "2" else "3" for ch in report.tracking_code)
    answers = [Client().post(TRACK, {"code": code}) for code in (unknown, "0O1-IL", "", "a" * 64)]
    assert {answer.status_code for answer in answers} == {404}
    bodies = {CSRF_TOKENS.sub("", text(answer)) for answer in answers}
    assert len(bodies) == 1 and "未找到该查询码对应的举报" in bodies.pop()


def test_wrong_challenge_and_filled_honeypot_are_refused(personas):
    client = Client()
    wrong = form_data(personas)
    wrong["challenge_answer"] = str(int(wrong["challenge_answer"]) + 1)
    response = client.post(FORM, wrong)
    assert response.status_code == 200 and "验证码错误或已过期" in text(response)
    # What was typed stays, with a new picture to answer.
    assert "仓库堆放大量油漆" in text(response) and wrong["challenge_token"] not in text(response)
    response = client.post(FORM, form_data(personas, website="http://spam.example"))
    assert "提交未通过验证" in text(response)
    response = client.post(FORM, form_data(personas, challenge_token="forged:token"))
    assert "验证码错误或已过期" in text(response)
    assert not PublicReport.objects.exists()


def test_bad_input_on_the_form_is_refused_in_chinese(personas, settings):
    client = Client()
    response = client.post(FORM, form_data(personas, village=personas.village_b.code))
    assert "选择一个有效的选项" in text(response) and "所在村（社区）" in text(response)
    response = client.post(FORM, form_data(personas, contact="123"))
    assert "请输入有效的电话号码" in text(response)
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(FORM, {**form_data(personas), "photos": [pdf]})
    assert "只能上传 JPG 或 PNG 格式的照片" in text(response)
    settings.ANJIAN_UPLOAD_MAX_BYTES = 100
    response = client.post(FORM, {**form_data(personas), "photos": [jpeg_file()]})
    assert "文件过大" in text(response)
    assert not PublicReport.objects.exists() and not Attachment.objects.exists()


def test_the_rate_limit_counts_per_client_address(personas, settings):
    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _index in range(2):
        assert "举报已提交" in text(client.post(FORM, form_data(personas)))
    # A forwarded address is not believed from a client that is no trusted proxy.
    response = client.post(FORM, form_data(personas), HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 429
    assert "同一网络每小时最多提交 2 条举报" in text(response) and int(response["Retry-After"]) > 0
    assert "仓库堆放大量油漆" in text(response)
    # Another address may still report.
    assert "举报已提交" in text(Client(REMOTE_ADDR="203.0.113.10").post(FORM, form_data(personas)))
    assert PublicReport.objects.count() == 3


def test_behind_a_trusted_proxy_each_forwarded_client_counts_apart(personas, settings):
    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 1
    settings.ANJIAN_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert "举报已提交" in text(proxy.post(FORM, form_data(personas), HTTP_X_FORWARDED_FOR="198.51.100.1"))
    assert proxy.post(FORM, form_data(personas), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # A client writing its own X-Forwarded-For in front does not escape: the right-most untrusted address counts.
    spoofed = proxy.post(FORM, form_data(personas), HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.1")
    assert spoofed.status_code == 429
    assert "举报已提交" in text(proxy.post(FORM, form_data(personas), HTTP_X_FORWARDED_FOR="198.51.100.2"))


def test_a_wrong_challenge_does_not_count_against_the_limit(personas, settings):
    settings.ANJIAN_PUBLIC_REPORT_LIMIT = 1
    client = Client()
    for _index in range(3):
        client.post(FORM, form_data(personas, challenge_answer="-99"))
    assert "举报已提交" in text(client.post(FORM, form_data(personas)))


# ---- the regulators' pages ----------------------------------------------------------------------------------------


@pytest.fixture
def report(personas):
    return services_public.public_report_submit(region=personas.village_a.code, description="仓库堆放大量油漆",
                                                contact=CONTACT, photos=[jpeg_file()])


def test_list_and_detail_show_the_contact_only_to_those_who_handle_it(personas, report):
    town = client_for(personas.town_a_supervisor)
    listed = text(town.get(reverse("hazards:publicreport_list")))
    assert report.tracking_code in listed and CONTACT in listed
    detail = text(town.get(reverse("hazards:publicreport_detail", args=[report.pk])))
    assert CONTACT in detail and "仓库堆放大量油漆" in detail and 'data-action="accept"' in detail
    assert 'data-testid="attachment-photos"' in detail
    grid = client_for(personas.grid_worker_a)
    for url in (reverse("hazards:publicreport_list"), reverse("hazards:publicreport_detail", args=[report.pk])):
        body = text(grid.get(url))
        assert "仓库堆放大量油漆" in body and CONTACT not in body and "139****5678" in body
    assert 'data-action="accept"' not in text(grid.get(reverse("hazards:publicreport_detail", args=[report.pk])))
    exported = town.get(reverse("hazards:publicreport_list"), {"export": "xlsx"})
    from anjian.core.testing.matrix import xlsx_text

    assert CONTACT in xlsx_text(exported)
    # The list filters by status and place.
    assert report.tracking_code not in text(town.get(reverse("hazards:publicreport_list"), {"status": "accepted"}))
    assert report.tracking_code in text(town.get(reverse("hazards:publicreport_list"),
                                                 {"region": personas.town_a.code, "status": "pending"}))


def test_accept_page_creates_a_hazard_at_an_enterprise_of_the_town(personas, report):
    town = client_for(personas.town_a_supervisor)
    url = reverse("hazards:publicreport_action", args=[report.pk, "accept"])
    page = text(town.get(url))
    assert personas.enterprise_a.name in page and personas.enterprise_b.name not in page
    refused = town.post(url, {"public_reply": "收到"})
    assert refused.status_code == 400 and "二选一" in text(refused)
    foreign = town.post(url, {"enterprise": personas.enterprise_b.pk})
    assert foreign.status_code == 400
    response = town.post(url, {"enterprise": personas.enterprise_a.pk, "description": "仓库油漆未配灭火器",
                               "place": "二号仓库", "public_reply": "已责令整改"})
    assert response.status_code == 302, text(response)[:3000]
    report.refresh_from_db()
    assert report.status == PublicReportStatus.ACCEPTED
    hazard = Hazard.objects.get()
    assert report.hazard == hazard and hazard.source == HazardSource.PUBLIC_REPORT and hazard.place == "二号仓库"
    # The box 将举报照片附到新建的隐患上 was not ticked in this post: the photo stays with the report only.
    assert not Attachment.objects.filter(content_type__model="hazard").exists()
    assert "checked" in re.search(r'<input[^>]*name="copy_photos"[^>]*>', page).group(0), "ticked by default"


def test_dismiss_page_needs_a_reason_and_reward_waits_for_acceptance(personas, report):
    town = client_for(personas.town_a_supervisor)
    reward = town.get(reverse("hazards:publicreport_action", args=[report.pk, "reward"]))
    assert reward.status_code == 409 and "当前状态为“待处理”" in text(reward)
    url = reverse("hazards:publicreport_action", args=[report.pk, "dismiss"])
    assert 'name="attachments"' not in text(town.get(url))
    assert town.post(url, {"reason": ""}).status_code == 400
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING
    dismissed = town.post(url, {"reason": "现场核查无此情况", "public_reply": "经现场核查，未发现举报情况"})
    assert dismissed.status_code == 302
    report.refresh_from_db()
    assert report.status == PublicReportStatus.REJECTED


def test_town_b_gets_404_on_town_a_reports(personas, report):
    other = client_for(personas.town_b_supervisor)
    assert other.get(reverse("hazards:publicreport_detail", args=[report.pk])).status_code == 404
    for action in ("accept", "dismiss", "reward"):
        url = reverse("hazards:publicreport_action", args=[report.pk, action])
        assert other.get(url).status_code == 404
        assert other.post(url, {"enterprise": personas.enterprise_a.pk, "reason": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == PublicReportStatus.PENDING


def test_the_regulators_pages_need_a_login(report):
    response = Client().get(reverse("hazards:publicreport_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
