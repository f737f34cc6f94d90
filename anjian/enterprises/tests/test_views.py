"""The registry's web pages work for an allowed user: list, detail, edit, delete, export, uploads."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.models import AuditEvent
from anjian.core.testing.browser import use_plain_static
from anjian.enterprises.models import ArchiveDocument, Enterprise, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LicenceFactory, make_uscc
from anjian.standards import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # Tests run without collectstatic: the hashed-manifest storage would have no manifest to read.
    use_plain_static(settings)


def login(client, user):
    # force_login: django-axes' backend needs a request, which client.login() does not pass.
    client.force_login(user)
    return client


def form_data(enterprise: Enterprise, **changes) -> dict:
    data = {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "legal_representative": enterprise.legal_representative,
        "safety_principal": enterprise.safety_principal,
        "safety_principal_phone": enterprise.safety_principal_phone,
        "address": enterprise.address,
        "region": enterprise.region_id,
        "park": "",
        "latitude": str(enterprise.latitude),
        "longitude": str(enterprise.longitude),
        "industry": enterprise.industry_id,
        "domain": enterprise.domain,
        "size": enterprise.size,
        "employee_count": enterprise.employee_count,
        "operating_status": enterprise.operating_status,
        "standardization_grade": "",
        "standardization_expires": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.active.iter_rows(values_only=True))


def test_list_shows_own_town_with_filters_and_no_count_query(client, personas):
    login(client, personas.town_a_supervisor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:enterprise_list"), {"domain": "machinery", "sort": "name"})
    assert response.status_code == 200
    html = response.content.decode()
    assert personas.enterprise_a.name in html
    assert personas.enterprise_b.name not in html
    assert "导出 Excel" in html
    # LazyPaginator: the 200,000-row list never counts the whole table (the header's unread-notification count is
    # the only COUNT on the page).
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert not [sql for sql in counts if "enterprises_enterprise" in sql], counts


def test_list_paginates_and_reports_an_unknown_region(client, personas):
    for index in range(3):
        EnterpriseFactory(region=personas.village_a, name=f"东城分页{index}")
    login(client, personas.city_admin)
    response = client.get(reverse("enterprises:enterprise_list"), {"per_page": 25, "q": "东城分页"})
    assert response.status_code == 200
    assert "东城分页2" in response.content.decode()
    response = client.get(reverse("enterprises:enterprise_list"), {"region": "441900999999"})
    assert response.status_code == 200
    assert "未知的行政区划代码" in response.content.decode()


def test_htmx_list_request_answers_the_table_only(client, personas):
    login(client, personas.city_supervisor)
    response = client.get(reverse("enterprises:enterprise_list"), {"q": "东城"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="object-list">')
    assert personas.enterprise_a.name in html


def test_export_keeps_filters_and_masks_phone_for_grid_worker_free_roles(client, personas):
    login(client, personas.town_a_supervisor)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx", "q": "东城", "sort": "-name"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response)
    # The import's columns (issue 7 item 2): the code first, then the name.
    assert rows[0][:2] == ("统一社会信用代码", "单位名称")
    names = [row[1] for row in rows[1:]]
    assert names == [personas.enterprise_a.name]
    # A town supervisor calls safety principals: the full number.
    assert "13800000000" in rows[1]


def test_export_over_the_row_limit_is_refused_with_a_message(client, personas, settings):
    settings.ANJIAN_EXPORT_MAX_ROWS = 1
    login(client, personas.city_supervisor)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx", "domain": "machinery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise_list") + "?domain=machinery"
    page = client.get(response["Location"]).content.decode()
    assert "超过单次导出上限 1 条" in page


def test_export_refused_without_export_right(client, personas):
    login(client, personas.grid_worker_a)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx"})
    assert response.status_code == 403


def test_phone_masked_for_grid_worker(client, personas):
    login(client, personas.grid_worker_a)
    listing = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert "138****0000" in listing
    assert "13800000000" not in listing
    detail = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk])).content.decode()
    assert "138****0000" in detail
    assert "13800000000" not in detail


def test_phone_in_full_for_own_enterprise_user_on_detail(client, personas):
    login(client, personas.enterprise_a_user)
    detail = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk])).content.decode()
    assert "13800000000" in detail


def test_detail_shows_fields_children_warnings_and_out_of_scope_is_404(client, personas):
    today = timezone.localdate()
    LicenceFactory(enterprise=personas.enterprise_a, number="WH-0001", valid_to=today + dt.timedelta(days=10))
    login(client, personas.town_a_supervisor)
    response = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.enterprise_a.uscc in html
    assert "WH-0001" in html
    assert "证照到期预警" in html
    assert "变更记录" in html
    assert reverse("enterprises:licence_add") + f"?enterprise={personas.enterprise_a.pk}" in html
    missing = client.get(reverse("enterprises:enterprise_detail", args=[999999]))
    other_town = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_b.pk]))
    assert missing.status_code == other_town.status_code == 404


def test_grid_worker_sees_no_edit_links(client, personas):
    LicenceFactory(enterprise=personas.enterprise_a)
    login(client, personas.grid_worker_a)
    html = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_a.pk])).content.decode()
    assert reverse("enterprises:enterprise_edit", args=[personas.enterprise_a.pk]) not in html
    assert "licences/add/" not in html
    assert client.get(reverse("enterprises:enterprise_edit", args=[personas.enterprise_a.pk])).status_code == 404


def test_edit_saves_through_service_and_shows_in_history(client, personas):
    enterprise = personas.enterprise_a
    login(client, personas.town_a_supervisor)
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(enterprise, name="东城甲企业（更名）有限公司", employee_count=88))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == enterprise.get_absolute_url()
    enterprise.refresh_from_db()
    assert enterprise.name == "东城甲企业（更名）有限公司"
    assert AuditEvent.objects.filter(action="enterprise.update", object_id=str(enterprise.pk)).exists()
    html = client.get(enterprise.get_absolute_url()).content.decode()
    history = html[html.index('id="change-history"'):]
    assert "东城甲企业有限公司" in history
    assert "东城甲企业（更名）有限公司" in history
    assert "从业人数" in history
    assert "town_a_supervisor" in history


def test_enterprise_user_corrects_contacts_but_not_registration(client, personas):
    enterprise = personas.enterprise_a
    login(client, personas.enterprise_a_user)
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    assert form.fields["region"].disabled and form.fields["major_hazard"].disabled
    assert not form.fields["safety_principal_phone"].disabled
    posted = form_data(enterprise, safety_principal_phone="13900000000", name="改名有限公司", major_hazard="on")
    posted["region"] = personas.village_b.pk
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    enterprise.refresh_from_db()
    assert enterprise.safety_principal_phone == "13900000000"
    registration = (enterprise.name, enterprise.region, enterprise.major_hazard)
    assert registration == ("东城甲企业有限公司", personas.village_a, False)


def test_wrong_uscc_shows_the_check_character_inline(client, personas):
    enterprise = personas.enterprise_a
    right = enterprise.uscc
    expected = uscc.check_character(right[:17])
    wrong = right[:17] + ("0" if expected != "0" else "1")
    login(client, personas.town_a_supervisor)
    response = client.post(
        reverse("enterprises:enterprise_edit", args=[enterprise.pk]), form_data(enterprise, uscc=wrong)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "form-error-summary" in html
    assert "is-invalid" in html
    inline = html.split('id="id_uscc-errors"')[1][:400]
    assert f"校验位错误：第18位应为 {expected}" in inline
    enterprise.refresh_from_db()
    assert enterprise.uscc == right


def test_coordinates_outside_dongguan_are_refused_inline(client, personas):
    enterprise = personas.enterprise_a
    login(client, personas.town_a_supervisor)
    response = client.post(
        reverse("enterprises:enterprise_edit", args=[enterprise.pk]), form_data(enterprise, latitude="39.9")
    )
    assert response.status_code == 200
    assert "不在东莞市范围内" in response.content.decode()


def test_town_supervisor_cannot_pick_another_towns_village(client, personas):
    enterprise = personas.enterprise_a
    login(client, personas.town_a_supervisor)
    response = client.post(
        reverse("enterprises:enterprise_edit", args=[enterprise.pk]),
        form_data(enterprise, region=personas.village_b.pk),
    )
    assert response.status_code == 200
    assert "请选择您管辖范围内的村（社区）" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.region_id == personas.village_a.pk


def test_add_enterprise(client, personas):
    login(client, personas.town_a_supervisor)
    page = client.get(reverse("enterprises:enterprise_add"))
    assert page.status_code == 200
    assert 'id="industry-codes"' in page.content.decode()
    template = personas.enterprise_a
    data = form_data(template, uscc=make_uscc(777), name="东城新登记有限公司")
    response = client.post(reverse("enterprises:enterprise_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Enterprise.objects.get(name="东城新登记有限公司")
    assert created.region_id == personas.village_a.pk


def test_enterprise_user_cannot_add_enterprises(client, personas):
    login(client, personas.enterprise_a_user)
    assert client.get(reverse("enterprises:enterprise_add")).status_code == 403


def test_delete_enterprise_by_city_admin(client, personas):
    doomed = EnterpriseFactory(region=personas.village_a, name="待注销企业")
    login(client, personas.city_admin)
    url = reverse("enterprises:enterprise_delete", args=[doomed.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "已注销"})
    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=doomed.pk).exists()
    assert AuditEvent.objects.filter(action="enterprise.delete", object_id=str(doomed.pk), reason="已注销").exists()


def test_delete_refused_to_town_supervisor(client, personas):
    login(client, personas.town_a_supervisor)
    url = reverse("enterprises:enterprise_delete", args=[personas.enterprise_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_delete_of_a_referenced_enterprise_says_why(client, personas):
    login(client, personas.city_admin)
    response = client.post(reverse("enterprises:enterprise_delete", args=[personas.enterprise_a.pk]))
    assert response.status_code == 409
    assert "仍被其他记录引用" in response.content.decode()
    assert Enterprise.objects.filter(pk=personas.enterprise_a.pk).exists()


def test_licence_add_with_preselected_enterprise_edit_and_delete(client, personas):
    login(client, personas.enterprise_a_user)
    add_url = reverse("enterprises:licence_add")
    page = client.get(add_url, {"enterprise": personas.enterprise_a.pk})
    assert page.status_code == 200
    assert f'<option value="{personas.enterprise_a.pk}" selected>' in page.content.decode()
    data = {
        "enterprise": personas.enterprise_a.pk,
        "licence_type": "safety_production",
        "number": "（粤）WH安许证字〔2026〕9001",
        "issuer": "广东省应急管理厅",
        "valid_from": "2026-01-01",
        "valid_to": "2029-01-01",
    }
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    licence = Licence.objects.get(number=data["number"])
    edit_url = reverse("enterprises:licence_edit", args=[licence.pk])
    response = client.post(edit_url, {**data, "issuer": "东莞市应急管理局", "enterprise": personas.enterprise_b.pk})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.issuer == "东莞市应急管理局"
    # The enterprise of an existing record is fixed (disabled field): the attempt to move it is ignored.
    assert licence.enterprise_id == personas.enterprise_a.pk
    # Enterprise users keep their records but may not delete them.
    assert client.get(reverse("enterprises:licence_delete", args=[licence.pk])).status_code == 404
    login(client, personas.city_admin)
    response = client.post(reverse("enterprises:licence_delete", args=[licence.pk]))
    assert response.status_code == 302
    assert response["Location"] == personas.enterprise_a.get_absolute_url()
    assert not Licence.objects.filter(pk=licence.pk).exists()


def test_licence_dates_out_of_order_are_refused(client, personas):
    login(client, personas.town_a_supervisor)
    response = client.post(reverse("enterprises:licence_add"), {
        "enterprise": personas.enterprise_a.pk, "licence_type": "safety_production", "number": "X-1",
        "issuer": "东莞市应急管理局", "valid_from": "2026-06-01", "valid_to": "2026-01-01",
    })
    assert response.status_code == 200
    assert "有效期至不能早于有效期自" in response.content.decode()


def test_child_lists_and_export(client, personas):
    LicenceFactory(enterprise=personas.enterprise_a, number="A-LIST-1")
    LicenceFactory(enterprise=personas.enterprise_b, number="B-LIST-1")
    login(client, personas.town_a_supervisor)
    for name in ("licence_list", "insurance_list", "archive_list"):
        assert client.get(reverse(f"enterprises:{name}")).status_code == 200
    html = client.get(reverse("enterprises:licence_list")).content.decode()
    assert "A-LIST-1" in html
    assert "B-LIST-1" not in html
    rows = sheet_rows(client.get(reverse("enterprises:licence_list"), {"export": "xlsx"}))
    assert any("A-LIST-1" in row for row in rows[1:])
    assert not any("B-LIST-1" in row for row in rows)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_archive_upload_refuses_a_renamed_executable(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, personas.enterprise_a_user)
    response = client.post(reverse("enterprises:archive_add"), {
        "enterprise": personas.enterprise_a.pk, "doc_type": "emergency_plan", "title": "应急预案",
        "file": _upload("预案.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    })
    assert response.status_code == 200
    assert "不允许上传可执行文件" in response.content.decode()
    assert not ArchiveDocument.objects.exists()


def test_archive_upload_and_download_through_the_gate(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, personas.enterprise_a_user)
    response = client.post(reverse("enterprises:archive_add"), {
        "enterprise": personas.enterprise_a.pk, "doc_type": "emergency_plan", "title": "综合应急预案",
        "file": _upload("plan.pdf", b"%PDF-1.4\n%test\n"), "valid_to": "2027-01-01",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    document = ArchiveDocument.objects.get()
    download = client.get(reverse("enterprises:archive_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "attachment" in download["Content-Disposition"]
    login(client, personas.town_b_supervisor)
    assert client.get(reverse("enterprises:archive_download", args=[document.pk])).status_code == 404


# ---- one date format -----------------------------------------------------------------------------------------

MOMENT = dt.datetime(2026, 12, 1, 6, 30, tzinfo=dt.UTC)  # 2026-12-01 14:30 in Asia/Shanghai


@pytest.fixture
def dated(personas):
    LicenceFactory(enterprise=personas.enterprise_a, valid_from=dt.date(2025, 12, 2), valid_to=dt.date(2026, 12, 1))
    Enterprise.objects.filter(pk=personas.enterprise_a.pk).update(
        standardization_grade="3", standardization_expires=dt.date(2026, 12, 1), updated=MOMENT
    )
    return personas.enterprise_a


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lists_and_detail_pages_write_dates_one_way(client, personas, dated, settings, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login(client, personas.city_admin)
    licences = client.get(reverse("enterprises:licence_list")).content.decode()
    detail = client.get(reverse("enterprises:enterprise_detail", args=[dated.pk])).content.decode()
    for html in (licences, detail):
        assert "2026-12-01" in html
        assert "2026年12月1日" not in html and "Dec. 1, 2026" not in html and "December 1, 2026" not in html
    assert "2025-12-02" in licences
    assert "2026-12-01 14:30" in detail  # updated, in Asia/Shanghai
    assert not re.search(r"\d{4}年\d{1,2}月\d{1,2}日", licences + detail)


def test_the_audit_log_writes_moments_one_way(client, personas):
    import time_machine

    from anjian.core import audit

    with time_machine.travel(MOMENT, tick=False):  # audit events are append-only: record one at that moment
        audit.record(actor=personas.city_admin, action="enterprise.update", obj=personas.enterprise_a,
                     reason="日期格式")
    login(client, personas.city_admin)
    html = client.get(reverse("core:auditevent_list"), {"q": "日期格式"}).content.decode()
    assert "2026-12-01 14:30" in html
    assert "2026年12月1日" not in html


def test_dates_in_lists_stay_on_one_line(client, personas, dated):
    login(client, personas.city_admin)
    html = client.get(reverse("enterprises:licence_list")).content.decode()
    cell = r'<td class="text-nowrap"[^>]*>\s*2026-12-01\s*</td>'
    assert re.search(cell, html), "valid_to may not wrap at its hyphens"
