"""The enterprise import service: dry run, all-or-nothing commit, upsert by USCC, error report, template."""

from __future__ import annotations

import csv
import io
import os
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from anjian.core import importing as core_importing
from anjian.core.models import AuditEvent
from anjian.enterprises import importing
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import make_uscc

pytestmark = pytest.mark.django_db

HEADER = [column.label for column in importing.COLUMNS]


def make_row(village, serial: int, **overrides) -> dict:
    values = {
        "统一社会信用代码": make_uscc(700000 + serial),
        "单位名称": f"导入测试{serial}有限公司",
        "法定代表人": "王五",
        "安全负责人": "赵六",
        "安全负责人电话": "13900000000",
        "地址": f"{village.name}创业路{serial}号",
        "村（社区）代码": village.code,
        "园区": "",
        "纬度": "23.02",
        "经度": "113.75",
        "行业代码": "3360",
        "行业领域": "工贸-机械",
        "企业规模": "小型",
        "从业人数": 30,
        "经营状态": "在业",
        "粉尘涉爆": "是",
        "标准化等级": "",
        "标准化有效期至": "",
    }
    values.update(overrides)
    return values


def xlsx_upload(rows: list[dict], header: list[str] = HEADER, name: str = "企业.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(label, "否" if label in FLAG_LABELS else "") for label in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(rows: list[dict], encoding: str, name: str = "企业.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(label, "否" if label in FLAG_LABELS else "") for label in HEADER])
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


FLAG_LABELS = {column.label for column in importing.COLUMNS if column.kind == "flag"}


def run(upload, actor, *, commit: bool = False) -> importing.ImportResult:
    extension = importing.check_upload(upload)
    action = importing.commit if commit else importing.dry_run
    return action(actor=actor, handle=upload, extension=extension)


def errors_of(result) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in result.errors}


def test_a_good_file_creates_every_row_through_the_service(personas):
    rows = [make_row(personas.village_a, n) for n in range(5)]
    before = Enterprise.objects.count()

    preview = run(xlsx_upload(rows), personas.town_a_supervisor)
    assert preview.ok and len(preview.to_create) == 5
    assert Enterprise.objects.count() == before, "a dry run writes nothing"

    result = run(xlsx_upload(rows), personas.town_a_supervisor, commit=True)

    assert result.committed
    assert Enterprise.objects.count() == before + 5
    created = Enterprise.objects.get(uscc=rows[0]["统一社会信用代码"])
    assert created.region == personas.village_a
    assert created.domain == "machinery" and created.size == "small" and created.dust_explosion
    assert created.latitude == Decimal("23.020000")
    assert created.history.first().history_user == personas.town_a_supervisor
    assert created.history.first().history_change_reason == importing.IMPORT_REASON
    # One audit event for the import (issue 7 item 2); each row's change is in its history.
    event = AuditEvent.objects.get(action="enterprise.import", reason=importing.IMPORT_REASON)
    assert event.data["created"] == 5 and event.data["updated"] == 0
    assert event.actor == personas.town_a_supervisor and event.region_code == personas.town_a.code


def test_reimporting_the_same_file_changes_nothing(personas):
    rows = [make_row(personas.village_a, n) for n in range(3)]
    run(xlsx_upload(rows), personas.city_admin, commit=True)
    history_rows = Enterprise.history.count()

    again = run(xlsx_upload(rows), personas.city_admin, commit=True)

    assert again.committed
    assert not again.to_create and not again.to_update
    assert len(again.unchanged) == 3
    assert Enterprise.history.count() == history_rows


def test_an_update_lists_the_changed_fields(personas):
    existing = personas.enterprise_a
    row = make_row(
        personas.village_a, 1,
        **{
            "统一社会信用代码": existing.uscc, "单位名称": "东城甲企业（更名）有限公司",
            "法定代表人": existing.legal_representative, "安全负责人": existing.safety_principal,
            "安全负责人电话": existing.safety_principal_phone,
            "地址": existing.address, "纬度": "23.02", "经度": "113.75", "从业人数": 80, "粉尘涉爆": "否",
        },
    )

    preview = run(xlsx_upload([row]), personas.town_a_supervisor)

    assert preview.ok and len(preview.to_update) == 1
    changes = {change.column: (change.before, change.after) for change in preview.to_update[0].changes}
    assert changes == {
        "单位名称": ("东城甲企业有限公司", "东城甲企业（更名）有限公司"),
        "从业人数": ("50", "80"),
    }
    run(xlsx_upload([row]), personas.town_a_supervisor, commit=True)
    existing.refresh_from_db()
    assert existing.name == "东城甲企业（更名）有限公司" and existing.employee_count == 80
    assert AuditEvent.objects.get(action="enterprise.import").data["updated"] == 1
    latest = existing.history.order_by("-history_id").first()
    assert latest.history_type == "~" and latest.history_user == personas.town_a_supervisor
    assert sorted(latest.diff_against(latest.prev_record).changed_fields) == ["employee_count", "name"]


def broken_rows(personas) -> list[dict]:
    good = make_row(personas.village_a, 1)
    bad_uscc = make_row(personas.village_a, 2)
    code = bad_uscc["统一社会信用代码"]
    wrong_check = "0" if code[-1] != "0" else "1"
    bad_uscc["统一社会信用代码"] = code[:-1] + wrong_check
    return [
        good,  # row 2
        bad_uscc,  # row 3
        make_row(personas.village_a, 3, **{"村（社区）代码": "441900999999"}),  # row 4
        make_row(personas.village_a, 4, **{"行业代码": "9999"}),  # row 5
        make_row(personas.village_a, 5, **{"纬度": "24.5"}),  # row 6
        make_row(personas.village_a, 6, **{"统一社会信用代码": good["统一社会信用代码"]}),  # row 7: duplicate
    ]


def test_broken_rows_import_nothing_and_are_reported_by_row_and_column(personas):
    rows = broken_rows(personas)
    expected_check = make_uscc(700002)[-1]
    before = Enterprise.objects.count()

    result = run(xlsx_upload(rows), personas.city_admin, commit=True)

    assert not result.committed
    assert Enterprise.objects.count() == before
    assert errors_of(result) == {
        (3, "统一社会信用代码"),
        (4, "村（社区）代码"),
        (5, "行业代码"),
        (6, "纬度"),
        (7, "统一社会信用代码"),
    }
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert f"第18位应为 {expected_check}" in messages[(3, "统一社会信用代码")]
    assert "441900999999" in messages[(4, "村（社区）代码")]
    assert "9999" in messages[(5, "行业代码")]
    assert "不在东莞市范围内" in messages[(6, "纬度")]
    assert "与第 2 行重复" in messages[(7, "统一社会信用代码")]


def test_the_error_report_marks_the_bad_cells(personas):
    result = run(xlsx_upload(broken_rows(personas)), personas.city_admin)

    workbook = load_workbook(io.BytesIO(importing.error_report(result)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header == HEADER + ["错误"]
    column = {label: index + 1 for index, label in enumerate(header)}
    bad = sheet.cell(row=4, column=column["村（社区）代码"])
    assert bad.value == "441900999999"
    assert bad.fill.start_color.rgb.endswith("FFC7CE")
    assert "441900999999" in bad.comment.text
    assert "第18位应为" in sheet.cell(row=3, column=column["统一社会信用代码"]).comment.text
    assert sheet.cell(row=2, column=column["统一社会信用代码"]).comment is None
    assert sheet.cell(row=2, column=column["错误"]).value is None
    assert "行业代码" in sheet.cell(row=5, column=column["错误"]).value


def test_a_corrected_error_report_can_be_uploaded_again(personas):
    rows = [make_row(personas.village_a, 1), make_row(personas.village_a, 2, **{"行业代码": "9999"})]
    report = importing.error_report(run(xlsx_upload(rows), personas.city_admin))
    workbook = load_workbook(io.BytesIO(report))
    sheet = workbook.active
    sheet.cell(row=3, column=HEADER.index("行业代码") + 1, value="3360")
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run(SimpleUploadedFile("修正.xlsx", buffer.getvalue()), personas.city_admin, commit=True)

    assert result.committed and len(result.to_create) == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(personas, encoding):
    rows = [make_row(personas.village_a, n, **{"单位名称": f"东莞市虎门镇测试{n}号厂"}) for n in range(2)]

    result = run(csv_upload(rows, encoding), personas.city_admin, commit=True)

    assert result.committed, result.errors
    assert Enterprise.objects.filter(name="东莞市虎门镇测试1号厂").exists()


def test_a_town_supervisor_cannot_import_into_another_town(personas):
    rows = [
        make_row(personas.village_a, 1),
        make_row(personas.village_b, 2),  # a new enterprise in town B
        make_row(personas.village_a, 3, **{"统一社会信用代码": personas.enterprise_b.uscc}),  # town B's enterprise
    ]
    before = Enterprise.objects.count()

    result = run(xlsx_upload(rows), personas.town_a_supervisor, commit=True)

    assert not result.committed
    assert Enterprise.objects.count() == before
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert messages == {
        (3, "村（社区）代码"): "您无权在该村（社区）新建企业。",
        (4, "统一社会信用代码"): "无权修改该企业。",
    }
    personas.enterprise_b.refresh_from_db()
    assert personas.enterprise_b.region == personas.village_b


def test_moving_an_enterprise_out_of_the_town_is_refused(personas):
    existing = personas.enterprise_a
    row = make_row(personas.village_b, 1, **{"统一社会信用代码": existing.uscc})

    result = run(xlsx_upload([row]), personas.town_a_supervisor)

    assert errors_of(result) == {(2, "村（社区）代码")}


def test_required_cells_labels_and_flags_are_checked(personas):
    rows = [
        make_row(personas.village_a, 1, **{"单位名称": "", "企业规模": "特大型", "粉尘涉爆": "也许"}),
        make_row(personas.village_a, 2, **{"标准化等级": "二级"}),
        make_row(personas.village_a, 3, **{"从业人数": "-3", "标准化有效期至": "明年"}),
    ]

    result = run(xlsx_upload(rows), personas.city_admin)

    assert errors_of(result) == {
        (2, "单位名称"), (2, "企业规模"), (2, "粉尘涉爆"),
        (3, "标准化有效期至"),
        (4, "从业人数"), (4, "标准化有效期至"),
    }
    messages = {(error.row, error.column): error.message for error in result.errors}
    assert messages[(2, "单位名称")] == "必填项不能为空。"
    assert "大型" in messages[(2, "企业规模")]


def test_a_bad_latitude_is_reported_once_not_again_as_a_missing_pair(personas):
    row = make_row(personas.village_a, 1, **{"纬度": "北纬23"})

    result = run(xlsx_upload([row]), personas.city_admin)

    messages = [(error.row, error.column, error.message) for error in result.errors]
    assert messages == [(2, "纬度", "须为数字（现为“北纬23”）。")]


def test_numbers_typed_into_excel_cells_are_read_as_codes(personas):
    row = make_row(personas.village_a, 1, **{
        "村（社区）代码": int(personas.village_a.code), "行业代码": 3360, "安全负责人电话": 13912345678,
        "纬度": 23.0123456789, "经度": 113.75, "标准化等级": "一级", "标准化有效期至": "2027/06/30",
    })

    result = run(xlsx_upload([row]), personas.city_admin, commit=True)

    assert result.committed, result.errors
    created = Enterprise.objects.get(uscc=row["统一社会信用代码"])
    assert created.safety_principal_phone == "13912345678"
    assert created.latitude == Decimal("23.012346")
    assert created.standardization_grade == "1" and created.standardization_expires.isoformat() == "2027-06-30"


def test_header_problems_refuse_the_file(personas):
    with pytest.raises(importing.ImportFileError, match="缺少必填列：单位名称"):
        run(xlsx_upload([], header=[label for label in HEADER if label != "单位名称"]), personas.city_admin)
    with pytest.raises(importing.ImportFileError, match="无法识别的列：备注"):
        run(xlsx_upload([], header=HEADER + ["备注"]), personas.city_admin)
    with pytest.raises(importing.ImportFileError, match="没有表头"):
        run(SimpleUploadedFile("空.csv", b"\r\n\r\n"), personas.city_admin)


def test_half_width_parentheses_in_the_header_are_accepted(personas):
    header = [label.replace("（", "(").replace("）", ")") for label in HEADER]
    rows = [{h: make_row(personas.village_a, 1)[label] for h, label in zip(header, HEADER, strict=True)
             if label in make_row(personas.village_a, 1)}]

    result = run(xlsx_upload(rows, header=header), personas.city_admin)

    assert result.ok and len(result.to_create) == 1


def test_oversized_executable_and_fake_files_are_refused():
    with pytest.raises(importing.ImportFileError, match="导入文件上限为 10 MB"):
        importing.check_upload(SimpleUploadedFile("大.csv", b"a" * (importing.MAX_BYTES + 1)))
    with pytest.raises(importing.ImportFileError, match="可执行文件"):
        importing.check_upload(SimpleUploadedFile("企业.csv", b"MZ\x90\x00" + b"\x00" * 100))
    with pytest.raises(importing.ImportFileError, match="内容与扩展名"):
        importing.check_upload(SimpleUploadedFile("企业.xlsx", "统一社会信用代码\n".encode()))
    with pytest.raises(importing.ImportFileError, match="只能导入"):
        importing.check_upload(SimpleUploadedFile("企业.exe", b"hello"))
    with pytest.raises(importing.ImportFileError, match="不是文本"):
        importing.check_upload(SimpleUploadedFile("企业.csv", bytes(range(256)) * 4))


def test_a_damaged_xlsx_is_refused_with_a_message(personas):
    upload = SimpleUploadedFile("坏.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(importing.ImportFileError, match="无法读取该 .xlsx 文件"):
        run(upload, personas.city_admin)


def test_too_many_rows_are_refused(personas, monkeypatch):
    monkeypatch.setattr(core_importing, "MAX_ROWS", 3)
    rows = [make_row(personas.village_a, n) for n in range(4)]
    with pytest.raises(importing.ImportFileError, match="超过 3 行"):
        run(csv_upload(rows, "utf-8"), personas.city_admin)


def test_a_row_refused_while_writing_rolls_back_every_row(personas, monkeypatch):
    from django.core.exceptions import PermissionDenied

    from anjian.core import services

    rows = [make_row(personas.village_a, n) for n in range(2)]
    existing = personas.enterprise_a
    rows.append(make_row(personas.village_a, 3, **{"统一社会信用代码": existing.uscc, "单位名称": "改名有限公司"}))

    def refuse(actor, obj, changed):
        raise PermissionDenied("模拟拒绝")

    monkeypatch.setattr(services, "check_editable_fields", refuse)
    before = Enterprise.objects.count()

    result = run(xlsx_upload(rows), personas.city_admin, commit=True)

    assert not result.committed
    assert [(error.row, error.message) for error in result.errors] == [(4, "模拟拒绝")]
    assert Enterprise.objects.count() == before
    assert Enterprise.objects.get(pk=existing.pk).name == existing.name
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()


def test_a_cancel_while_writing_leaves_nothing_half_imported(personas):
    from anjian.core.progress import Cancelled

    rows = [make_row(personas.village_a, n) for n in range(3)]
    before, history = Enterprise.objects.count(), Enterprise.history.count()

    def cancel_when_writing(done, total, phase=""):
        if str(phase) == str(core_importing.WRITING) and done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        importing.commit(actor=personas.city_admin, handle=xlsx_upload(rows), extension=".xlsx",
                         progress=cancel_when_writing)

    assert Enterprise.objects.count() == before and Enterprise.history.count() == history
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()


def test_the_untouched_template_imports_nothing_and_imports_once_its_example_row_is_filled_in(personas):
    content = importing.template_workbook(example_region=importing.example_region_for(personas.town_a_supervisor))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["企业信息", "说明"]
    sheet = workbook["企业信息"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.column_dimensions["A"].width >= 20
    notes = " ".join(str(cell.value) for row in workbook["说明"].iter_rows() for cell in row if cell.value)
    for label in ("危险化学品", "工贸-机械", "微型", "取缔", "小微企业"):
        assert label in notes

    untouched = run(SimpleUploadedFile("模板.xlsx", content), personas.town_a_supervisor, commit=True)
    assert not untouched.committed
    assert [(error.row, error.column) for error in untouched.errors] == [(2, "统一社会信用代码")]
    assert "示例行" in untouched.errors[0].message

    sheet.cell(row=2, column=1, value=make_uscc(424242))
    filled = io.BytesIO()
    workbook.save(filled)
    result = run(SimpleUploadedFile("模板.xlsx", filled.getvalue()), personas.town_a_supervisor, commit=True)

    assert result.committed, result.errors
    created = Enterprise.objects.get(uscc=make_uscc(424242))
    assert created.region.code.startswith(personas.town_a.prefix)


def test_pending_uploads_are_kept_by_token_and_purged_after_a_day(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    token = importing.store_pending(SimpleUploadedFile("a.csv", b"x,y\n"), ".csv")
    path = importing.pending_path(token, ".csv")
    assert path is not None and path.read_bytes() == b"x,y\n"
    assert importing.pending_path("../../etc/passwd", ".csv") is None
    assert importing.pending_path(token, ".exe") is None

    old = time.time() - 2 * 86400
    os.utime(path, (old, old))
    assert importing.pending_path(token, ".csv") is None
    assert importing.purge_pending() == 1
    assert not path.exists()


def test_the_command_dry_runs_and_commits(personas, tmp_path):
    rows = [make_row(personas.village_a, n) for n in range(2)]
    upload = xlsx_upload(rows)
    path = tmp_path / "企业.xlsx"
    path.write_bytes(upload.read())
    out = io.StringIO()

    call_command("import_enterprises", str(path), user="town_a_supervisor", stdout=out)
    assert "新增 2" in out.getvalue() and "试运行" in out.getvalue()
    assert not Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()

    call_command("import_enterprises", str(path), user="town_a_supervisor", commit=True, stdout=out)
    assert Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()


def test_the_command_reports_errors_and_fails(personas, tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(xlsx_upload(broken_rows(personas)).read())
    report = tmp_path / "报告.xlsx"
    out = io.StringIO()

    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_enterprises", str(path), user="city_admin", commit=True, error_report=str(report),
                     stdout=out)

    assert "第 4 行【村（社区）代码】" in out.getvalue()
    assert report.exists()
