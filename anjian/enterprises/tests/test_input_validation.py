"""Telephone numbers, invisible characters and date bounds of the registry, refused on every way in (issue 7).

The rules are validators on the model fields (anjian.core.validators); each test below goes in by one path: the
edit form (a POST), the API (POST and PATCH), the spreadsheet import (a row error, nothing written).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static
from anjian.core.validators import validate_phone
from anjian.enterprises import demo
from anjian.enterprises.forms import EnterpriseForm, LicenceForm
from anjian.enterprises.importing import COLUMNS
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.tests.factories import LiabilityInsuranceFactory, LicenceFactory, make_uscc
from anjian.enterprises.tests.test_api import assert_error, client_for, valid_payload
from anjian.enterprises.tests.test_import import errors_of, make_row, run, xlsx_upload
from anjian.enterprises.tests.test_views import form_data, login

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "请输入有效的电话号码：手机号为11位，座机须带区号，如 0769-22001234 或 0769-22001234-801。"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "甲企业\u202e司公限有" shows as "甲企业有限公司"
ZWSP = "\u200b"  # ZERO WIDTH SPACE
INVISIBLE_MESSAGE = "不能包含不可见字符或改变文字方向的字符"


def date_message(value: str) -> str:
    return f"日期须在 1949-10-01 至 2100-12-31 之间（现为 {value}），请检查年份。"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


# --- the edit forms -----------------------------------------------------------------------------------------


def post_enterprise(client, personas, **changes):
    enterprise = personas.enterprise_a
    login(client, personas.town_a_supervisor)
    return client.post(reverse("enterprises:enterprise_edit", args=[enterprise.pk]), form_data(enterprise, **changes))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"safety_principal_phone": "abc"}, "safety_principal_phone", PHONE_MESSAGE),
        ({"safety_principal_phone": "0769-12345678"}, "safety_principal_phone", PHONE_MESSAGE),
        ({"name": "东城甲企业" + RLO + "司公限有"}, "name", INVISIBLE_MESSAGE + "（发现 U+202E"),
        ({"address": "东城街道" + ZWSP + "工业路1号"}, "address", "发现 U+200B"),
        ({"safety_principal": "李\u2028四"}, "safety_principal", "发现 U+2028"),  # at an end, strip() drops it
        ({"standardization_grade": "3", "standardization_expires": "0001-01-01"}, "standardization_expires",
         date_message("0001-01-01")),
        ({"standardization_grade": "3", "standardization_expires": "2205-06-30"}, "standardization_expires",
         date_message("2205-06-30")),
    ],
)
def test_enterprise_form_refuses_inline_and_changes_nothing(client, personas, changes, field, message):
    before = Enterprise.objects.values().get(pk=personas.enterprise_a.pk)
    response = post_enterprise(client, personas, **changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.split(f'id="id_{field}-errors"')[1][:600]
    assert Enterprise.objects.values().get(pk=personas.enterprise_a.pk) == before


@pytest.mark.parametrize("phone", ["0769-22001234-801", "+86 139 0000 0000", "0769 22001234转801"])
def test_enterprise_form_saves_landlines_and_spaced_mobiles(client, personas, phone):
    response = post_enterprise(client, personas, safety_principal_phone=phone)
    assert response.status_code == 302, response.content.decode()[:2000]
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.safety_principal_phone == phone


def test_enterprise_user_correcting_its_phone_is_checked_too(client, personas):
    enterprise = personas.enterprise_a
    login(client, personas.enterprise_a_user)
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    response = client.post(url, form_data(enterprise, safety_principal_phone="call me"))
    assert response.status_code == 200
    assert PHONE_MESSAGE in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.safety_principal_phone == "13800000000"


@pytest.mark.parametrize(
    ("url_name", "data", "field", "model"),
    [
        ("licence_add", {"licence_type": "safety_production", "number": "X-1", "issuer": "东莞市应急管理局",
                         "valid_from": "2026-01-01", "valid_to": "0001-01-01"}, "valid_to", Licence),
        ("licence_add", {"licence_type": "safety_production", "number": "X-2", "issuer": "东莞市应急管理局",
                         "valid_from": "1900-01-01", "valid_to": "2027-01-01"}, "valid_from", Licence),
        ("insurance_add", {"insurer": "人保财险", "policy_number": "P-1", "insured_persons": 3,
                           "coverage_per_person_yuan": "1000", "valid_from": "2026-01-01",
                           "valid_to": "9999-12-31"}, "valid_to", LiabilityInsurance),
        ("licence_add", {"licence_type": "safety_production", "number": "X-3" + RLO, "issuer": "东莞市应急管理局",
                         "valid_from": "2026-01-01", "valid_to": "2027-01-01"}, "number", Licence),
    ],
)
def test_child_forms_refuse_dates_out_of_range_and_invisible_characters(client, personas, url_name, data, field,
                                                                        model):
    login(client, personas.town_a_supervisor)
    response = client.post(reverse(f"enterprises:{url_name}"), {"enterprise": personas.enterprise_a.pk, **data})
    assert response.status_code == 200
    inline = response.content.decode().split(f'id="id_{field}-errors"')[1][:600]
    assert ("日期须在 1949-10-01 至 2100-12-31 之间" if "valid" in field else INVISIBLE_MESSAGE) in inline
    assert not model.objects.exists()


def test_archive_form_refuses_an_expiry_out_of_range(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, personas.enterprise_a_user)
    response = client.post(reverse("enterprises:archive_add"), {
        "enterprise": personas.enterprise_a.pk, "doc_type": "emergency_plan", "title": "综合应急预案",
        "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"),
        "valid_to": "0001-01-01",
    })
    assert response.status_code == 200
    assert date_message("0001-01-01") in response.content.decode()
    assert not ArchiveDocument.objects.exists()


def test_date_pickers_offer_only_the_accepted_years(personas):
    for form in (EnterpriseForm(user=personas.city_admin), LicenceForm(user=personas.city_admin)):
        for name, field in form.fields.items():
            if "valid" in name or name == "standardization_expires":
                assert (field.widget.attrs["min"], field.widget.attrs["max"]) == ("1949-10-01", "2100-12-31")


# --- the API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"safety_principal_phone": "abc"}, "safety_principal_phone", PHONE_MESSAGE),
        ({"safety_principal_phone": "1380013800"}, "safety_principal_phone", PHONE_MESSAGE),
        ({"name": "新企业" + RLO + "司公限有"}, "name", "发现 U+202E"),
        ({"legal_representative": "王" + "\ufeff" + "五"}, "legal_representative", "发现 U+FEFF"),
        ({"standardization_grade": "3", "standardization_expires": "0001-01-01"}, "standardization_expires",
         date_message("0001-01-01")),
    ],
)
def test_api_create_refuses_with_the_field_and_message(personas, changes, field, message):
    before = Enterprise.objects.count()
    response = client_for(personas.city_admin).post(
        "/api/v1/enterprises/", valid_payload(personas, **changes), format="json"
    )
    body = assert_error(response, 400, field)
    assert any(message in text for text in body["fields"][field]), body
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"safety_principal_phone": "abc"}, "safety_principal_phone"),
        ({"safety_principal_phone": "0769-22001234 x801"}, "safety_principal_phone"),
        ({"address": "东城街道" + "\u2066" + "工业路1号"}, "address"),
        ({"standardization_grade": "3", "standardization_expires": "2101-01-01"}, "standardization_expires"),
    ],
)
def test_api_patch_refuses_and_changes_nothing(personas, changes, field):
    url = f"/api/v1/enterprises/{personas.enterprise_a.pk}/"
    before = Enterprise.objects.values().get(pk=personas.enterprise_a.pk)
    for actor in (personas.town_a_supervisor, personas.enterprise_a_user):
        if actor is personas.enterprise_a_user and field == "standardization_expires":
            continue  # not a field the enterprise may correct: refused for another reason
        assert_error(client_for(actor).patch(url, changes, format="json"), 400, field)
    assert Enterprise.objects.values().get(pk=personas.enterprise_a.pk) == before


def test_api_patch_accepts_a_landline_with_extension(personas):
    url = f"/api/v1/enterprises/{personas.enterprise_a.pk}/"
    response = client_for(personas.enterprise_a_user).patch(
        url, {"safety_principal_phone": "0769-22001234-801"}, format="json"
    )
    assert response.status_code == 200, response.content
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.safety_principal_phone == "0769-22001234-801"


def test_api_licence_and_insurance_dates_are_bounded(personas):
    client = client_for(personas.town_a_supervisor)
    payload = {
        "enterprise": personas.enterprise_a.pk, "licence_type": "safety_production", "number": "粤安许2026-009",
        "issuer": "广东省应急管理厅", "valid_from": "2026-01-01", "valid_to": "0001-01-01",
    }
    body = assert_error(client.post("/api/v1/licences/", payload, format="json"), 400, "valid_to")
    assert date_message("0001-01-01") in body["fields"]["valid_to"][0]
    assert not Licence.objects.filter(number="粤安许2026-009").exists()

    licence = LicenceFactory(enterprise=personas.enterprise_a)
    response = client.patch(f"/api/v1/licences/{licence.pk}/", {"valid_to": "9999-12-31"}, format="json")
    assert_error(response, 400, "valid_to")
    insurance = LiabilityInsuranceFactory(enterprise=personas.enterprise_a)
    response = client.patch(f"/api/v1/insurances/{insurance.pk}/", {"valid_from": "1949-09-30"}, format="json")
    assert_error(response, 400, "valid_from")
    response = client.patch(f"/api/v1/insurances/{insurance.pk}/", {"valid_from": "1949-10-01"}, format="json")
    assert response.status_code == 200, response.content
    licence.refresh_from_db()
    assert licence.valid_to == dt.date(2028, 1, 1)


# --- the import ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"安全负责人电话": "abc"}, "安全负责人电话", PHONE_MESSAGE),
        ({"安全负责人电话": "0769-223456"}, "安全负责人电话", PHONE_MESSAGE),
        ({"单位名称": "导入" + RLO + "司公限有"}, "单位名称", "发现 U+202E"),
        ({"法定代表人": "王" + ZWSP + "五"}, "法定代表人", "发现 U+200B"),
        ({"标准化等级": "三级", "标准化有效期至": "0001-01-01"}, "标准化有效期至", date_message("0001-01-01")),
        ({"标准化等级": "三级", "标准化有效期至": "99991231"}, "标准化有效期至", date_message("9999-12-31")),
    ],
)
def test_import_reports_the_cell_and_writes_nothing(personas, cells, column, message):
    rows = [make_row(personas.village_a, 1), make_row(personas.village_a, 2, **cells)]
    before = Enterprise.objects.count()
    result = run(xlsx_upload(rows), personas.town_a_supervisor, commit=True)
    assert not result.committed
    assert errors_of(result) == {(3, column)}
    assert message in result.errors[0].message
    assert Enterprise.objects.count() == before


def test_import_names_the_landline_whose_leading_zero_excel_dropped(personas):
    # 0769-22001234 typed into a number cell arrives as 76922001234.
    row = make_row(personas.village_a, 1, **{"安全负责人电话": 76922001234})
    result = run(xlsx_upload([row]), personas.town_a_supervisor)
    assert errors_of(result) == {(2, "安全负责人电话")}
    message = result.errors[0].message
    assert "区号前的0被 Excel 去掉" in message and "应为“076922001234”" in message
    # A number cell that is no landline without its 0 either gets the rule's own message.
    row = make_row(personas.village_a, 1, **{"安全负责人电话": 12345})
    assert [error.message for error in run(xlsx_upload([row]), personas.town_a_supervisor).errors] == [PHONE_MESSAGE]


def test_import_accepts_landlines_and_mobiles_as_people_write_them(personas):
    phones = ["0769-22001234", "0769-22001234转801", "(0769)22001234", "+86 139 0000 0000", 13912345678]
    rows = [make_row(personas.village_a, n, **{"安全负责人电话": phone}) for n, phone in enumerate(phones)]
    result = run(xlsx_upload(rows), personas.town_a_supervisor, commit=True)
    assert result.committed, result.errors
    stored = set(Enterprise.objects.filter(uscc__in=[make_uscc(700000 + n) for n in range(len(phones))])
                 .values_list("safety_principal_phone", flat=True))
    assert stored == {str(phone) for phone in phones}


def test_the_import_template_says_what_a_phone_cell_takes():
    column = next(column for column in COLUMNS if column.field == "safety_principal_phone")
    assert "0769-22001234" in column.rule and "文本" in column.rule


# --- the demo generator -------------------------------------------------------------------------------------


def test_demo_phone_numbers_pass_the_validator(reference_regions, industries):
    for prefix in demo.PHONE_PREFIXES:
        validate_phone(prefix + "00000000")
        validate_phone(prefix + "99999999")
    for seed in (1, 2026):
        generator = demo._Generator(seed=seed, today=dt.date(2026, 11, 29))
        for _ in range(500):
            validate_phone(generator.phone())
