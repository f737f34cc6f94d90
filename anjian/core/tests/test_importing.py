"""The generic import engine (issue 6 item 8): cell parsers, headers, CSV encodings, the spec, the engine, reports.

The enterprise import (anjian/enterprises/tests/test_import*.py) is the engine's first user and its full test;
here a tiny spec over industrial parks shows the engine knows nothing about enterprises.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, models
from django.utils import translation
from openpyxl import Workbook, load_workbook

from anjian.core import importing
from anjian.core.importing import CellError, Column, ImportSpec, Kind
from anjian.core.views_import import ImportPages
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region


@pytest.fixture(autouse=True)
def _chinese():
    """The messages are checked in Chinese whatever language an earlier test's request left active."""
    with translation.override("zh-hans"):
        yield


# --- cell parsers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("是", True), ("Y", True), ("√", True), ("否", False), ("", False),
                                                ("0", False), ("×", False)])
def test_flags(text, expected):
    assert importing.parse_flag(text) is expected


def test_a_flag_that_is_neither_yes_nor_no_is_refused():
    with pytest.raises(CellError, match="请填写“是”或“否”（现为“也许”）"):
        importing.parse_flag("也许")


@pytest.mark.parametrize(("text", "expected"), [("30", 30), ("30.0", 30), ("0", 0)])
def test_counts(text, expected):
    assert importing.parse_count(text) == expected


@pytest.mark.parametrize("text", ["-3", "2.5", "三十", "NaN", "Infinity"])
def test_bad_counts_are_refused(text):
    with pytest.raises(CellError, match="须为非负整数"):
        importing.parse_count(text)


def test_decimals_round_half_up_to_the_places_of_the_field():
    assert importing.parse_decimal("23.0123455", 6) == Decimal("23.012346")
    assert importing.parse_decimal("113.75", 6) == Decimal("113.750000")
    for text in ("北纬23", "NaN", "-Infinity"):
        with pytest.raises(CellError, match="须为数字"):
            importing.parse_decimal(text, 6)


@pytest.mark.parametrize("text", ["2027-06-30", "2027/06/30", "2027.06.30", "2027年06月30日", "20270630"])
def test_dates_in_the_usual_chinese_spellings(text):
    assert importing.parse_date(text) == dt.date(2027, 6, 30)


def test_an_unreadable_date_is_refused():
    with pytest.raises(CellError, match="日期格式无法识别（现为“明年”）"):
        importing.parse_date("明年")


def test_cells_as_text():
    assert importing.cell_text(None) == ""
    assert importing.cell_text(441900003001.0) == "441900003001"
    assert importing.cell_text(23.5) == "23.5"
    assert importing.cell_text(True) == "是"
    assert importing.cell_text(dt.datetime(2027, 6, 30, 12, 0)) == "2027-06-30"
    assert importing.cell_text("  东城  ") == "东城"


def test_headers_tolerate_spaces_markers_and_half_width_parentheses():
    assert importing.normalize_header(" *村 (社区) 代码 ") == "村（社区）代码"
    assert importing.normalize_header("单位名称＊") == "单位名称"


class Colour(models.TextChoices):
    RED = "red", "风险-重大"
    BLUE = "blue", "低风险"


def test_choice_labels_take_labels_values_short_labels_and_aliases():
    column = Column("颜色", "colour", Kind.CHOICE, choices=Colour, aliases={"蓝": Colour.BLUE})

    mapping = importing.choice_labels(column)

    assert mapping == {"red": "red", "blue": "blue", "风险-重大": "red", "重大": "red", "低风险": "blue", "蓝": "blue"}


# --- reading files ----------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    content = csv_bytes([["园区名称", "说明", ""], [], ["松山湖园区", "高新技术"], ["", ""], ["立沙岛园区"]], encoding)

    table = importing.read_table(io.BytesIO(content), ".csv")

    assert table.header == ["园区名称", "说明"]
    assert table.rows == [(3, ["松山湖园区", "高新技术"]), (5, ["立沙岛园区", None])]


def test_csv_in_an_unknown_encoding_is_refused():
    upload = SimpleUploadedFile("园区.csv", b"\xff\xfe\x00n\x00a\x00m\x00e")
    with pytest.raises(importing.ImportFileError, match="不是文本"):
        importing.check_upload(upload)


def test_the_first_sheet_of_a_workbook_is_read():
    workbook = Workbook()
    workbook.active.append(["园区名称"])
    workbook.active.append(["松山湖园区"])
    workbook.create_sheet("说明").append(["不是数据"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = importing.read_table(buffer, ".xlsx")

    assert table.header == ["园区名称"] and table.rows == [(2, ["松山湖园区"])]


# --- a tiny spec over industrial parks --------------------------------------------------------------------


def _towns(actor) -> importing.Lookups:
    return {"towns": {region.code: region for region in Region.objects.filter(level=RegionLevel.TOWN)}}


def _chemical_parks_are_described(row: importing.Row) -> None:
    if row.obj.is_chemical_park and not row.obj.description:
        row.error("description", "化工园区须填写说明。")


class Saves:
    """The module's service stand-in: records each call, saves, and can fail on one name."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail_on = ""
        self.failure: Exception = ValidationError({"description": "模拟失败"})

    def __call__(self, *, actor, obj, reason):
        self.calls.append((obj.name, reason))
        if obj.name == self.fail_on:
            raise self.failure
        obj.full_clean()
        obj.save()
        return obj


def park_spec(save: Saves) -> ImportSpec:
    return ImportSpec(
        model=IndustrialPark,
        key="name",
        columns=(
            Column("园区名称", "name", Kind.TEXT, True, 24),
            Column("所在镇街代码", "region", Kind.LOOKUP, True, 16, "12位镇街代码", lookup="towns",
                   missing="未找到镇街“%(value)s”。"),
            Column("化工园区", "is_chemical_park", Kind.FLAG),
            Column("说明", "description", Kind.TEXT),
        ),
        save=save,
        lookups=_towns,
        check=_chemical_parks_are_described,
        sheet_title="园区信息",
        notes=("每行填写一个园区。",),
    )


HEADER = ["园区名称", "所在镇街代码", "化工园区", "说明"]


def upload(rows: list[list], header: list[str] = HEADER) -> SimpleUploadedFile:
    return SimpleUploadedFile("园区.csv", csv_bytes([header, *rows], "utf-8-sig"))


def run(spec: ImportSpec, rows: list[list], actor, *, commit: bool = False) -> importing.ImportResult:
    file = upload(rows)
    extension = importing.check_upload(file)
    action = importing.commit if commit else importing.dry_run
    return action(spec, actor=actor, handle=file, extension=extension)


def described(result: importing.ImportResult) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


@pytest.fixture
def park(personas) -> IndustrialPark:
    return IndustrialPark.objects.create(name="测试园区", region=personas.town_a, description="旧说明")


@pytest.mark.django_db
def test_a_dry_run_plans_creates_updates_and_unchanged_rows_and_writes_nothing(personas, park):
    save = Saves()
    town_a, town_b = personas.town_a.code, personas.town_b.code
    rows = [
        ["新园区", town_b, "否", ""],
        ["测试园区", town_a, "否", "新说明"],
    ]

    result = importing.dry_run(park_spec(save), actor=personas.city_admin, handle=upload(rows), extension=".csv")

    assert result.ok and not save.calls
    assert [item.obj.name for item in result.to_create] == ["新园区"]
    assert result.to_update[0].obj.pk == park.pk
    assert result.to_update[0].changes == [importing.FieldChange("说明", "旧说明", "新说明")]
    assert IndustrialPark.objects.get(pk=park.pk).description == "旧说明"
    assert not IndustrialPark.objects.filter(name="新园区").exists()

    same = run(park_spec(save), [["测试园区", town_a, "否", "旧说明"]], personas.city_admin)
    assert len(same.unchanged) == 1 and not same.to_update


@pytest.mark.django_db
def test_commit_saves_through_the_service_with_the_reason(personas, park):
    save = Saves()
    rows = [["新园区", personas.town_b.code, "是", "化工"], ["测试园区", personas.town_a.code, "否", "新说明"]]

    result = run(park_spec(save), rows, personas.city_admin, commit=True)

    assert result.committed
    assert save.calls == [("新园区", "批量导入"), ("测试园区", "批量导入")]
    assert IndustrialPark.objects.get(name="新园区").region == personas.town_b
    park.refresh_from_db()
    assert park.description == "新说明"


@pytest.mark.django_db
def test_a_failing_save_rolls_back_every_row(personas, park):
    save = Saves()
    save.fail_on = "第二园区"
    rows = [["第一园区", personas.town_a.code, "否", ""], ["第二园区", personas.town_a.code, "否", ""]]

    result = run(park_spec(save), rows, personas.city_admin, commit=True)

    assert not result.committed
    assert described(result) == [(3, "说明", "模拟失败")]
    assert not IndustrialPark.objects.filter(name__in=["第一园区", "第二园区"]).exists()
    assert all(item.obj.pk is None for item in result.to_create)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (PermissionDenied(), (3, "", "无权保存该记录。")),
        (PermissionDenied("您无权在该镇街登记园区。"), (3, "", "您无权在该镇街登记园区。")),
        # Someone registered the same key between the validation and the save.
        (IntegrityError(), (3, "园区名称", "该园区名称已登记。")),
    ],
)
def test_a_refused_or_conflicting_save_is_reported_at_its_row(personas, failure, expected):
    save = Saves()
    save.fail_on, save.failure = "第二园区", failure
    rows = [["第一园区", personas.town_a.code, "否", ""], ["第二园区", personas.town_a.code, "否", ""]]

    result = run(park_spec(save), rows, personas.city_admin, commit=True)

    assert not result.committed and described(result) == [expected]
    assert not IndustrialPark.objects.filter(name="第一园区").exists()


@pytest.mark.django_db
def test_cell_hook_model_and_key_errors_are_reported_by_row_and_column(personas, park):
    rows = [
        ["甲园区", "441900999999", "否", ""],  # row 2: unknown town
        ["乙园区", personas.town_a.code, "是", ""],  # row 3: the spec's check
        ["丙" * 101, personas.town_a.code, "否", ""],  # row 4: longer than the field
        ["甲园区", personas.town_a.code, "否", ""],  # row 5: the key again
        ["丁园区", "", "也许", ""],  # row 6: required cell, bad flag
    ]

    result = run(park_spec(Saves()), rows, personas.city_admin)

    assert described(result) == [
        (2, "所在镇街代码", "未找到镇街“441900999999”。"),
        (3, "说明", "化工园区须填写说明。"),
        (4, "园区名称", "不能超过 100 个字符（现有 101 个）。"),
        (5, "园区名称", "园区名称与第 2 行重复。"),
        (6, "所在镇街代码", "必填项不能为空。"),
        (6, "化工园区", "请填写“是”或“否”（现为“也许”）。"),
    ]


@pytest.mark.django_db
def test_rows_outside_what_the_actor_may_change_are_refused_without_being_created_again(personas, park):
    # Parks are reference data: a town supervisor may read them but not change them (restrict(actor, CHANGE)).
    rows = [["测试园区", personas.town_a.code, "否", "越权"]]

    result = run(park_spec(Saves()), rows, personas.town_a_supervisor, commit=True)

    assert not result.committed
    assert described(result) == [(2, "园区名称", "无权修改该记录。")]
    assert IndustrialPark.objects.filter(name="测试园区").count() == 1


@pytest.mark.django_db
def test_an_optional_column_left_out_keeps_the_stored_value(personas, park):
    file = SimpleUploadedFile("园区.csv", csv_bytes([["园区名称", "所在镇街代码"], ["测试园区", personas.town_a.code]],
                                                   "utf-8"))

    result = importing.dry_run(park_spec(Saves()), actor=personas.city_admin, handle=file, extension=".csv")

    assert len(result.unchanged) == 1 and result.unchanged[0].obj.description == "旧说明"


def test_header_problems_refuse_the_file():
    spec = park_spec(Saves())
    with pytest.raises(importing.ImportFileError, match="缺少必填列：所在镇街代码"):
        importing.plan(spec, actor=None, table=importing.Table(header=["园区名称"], rows=[]))
    with pytest.raises(importing.ImportFileError, match="“园区名称”列出现了两次"):
        importing.plan(spec, actor=None, table=importing.Table(header=["园区名称", "园区名称 "], rows=[]))


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ((Column("园区名称", "name", Kind.TEXT),), "must be a required column"),
        ((Column("园区名称", "name", Kind.TEXT, True), Column("化工", "is_chemical_park", Kind.CHOICE)), "choices"),
        ((Column("园区名称", "name", Kind.TEXT, True), Column("镇街", "region", Kind.LOOKUP)), "lookup"),
        ((Column("园区名称", "name", Kind.TEXT, True), Column("说明", "description", "memo")), "unknown kind"),
        ((Column("园区名称", "name", Kind.TEXT, True), Column("园区名称", "description", Kind.TEXT)), "twice"),
        ((Column("园区名称", "name", Kind.TEXT, True), Column("面积", "area", Kind.DECIMAL)), "has no field named"),
    ],
)
def test_a_spec_that_cannot_work_is_refused_when_declared(columns, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        ImportSpec(model=IndustrialPark, key="name", columns=columns, save=Saves())


# --- workbooks --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_error_report_marks_bad_cells_and_keeps_formulas_as_text(personas):
    rows = [["=HYPERLINK(\"http://x\")", personas.town_a.code, "否", ""], ["好园区", "441900999999", "否", ""]]
    result = run(park_spec(Saves()), rows, personas.city_admin)

    sheet = load_workbook(io.BytesIO(importing.error_report(result))).active

    assert [cell.value for cell in sheet[1]] == HEADER + ["错误"]
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B3"].fill.start_color.rgb.endswith("FFC7CE")
    assert "441900999999" in sheet["B3"].comment.text
    assert sheet["E3"].value.startswith("所在镇街代码：未找到镇街")
    assert sheet["A3"].comment is None
    assert sheet.column_dimensions["A"].width == 24


def test_the_template_has_the_columns_drop_downs_and_notes():
    content = importing.template_workbook(park_spec(Saves()), example={"name": "示例园区"})

    workbook = load_workbook(io.BytesIO(content))

    assert workbook.sheetnames == ["园区信息", "说明"]
    sheet = workbook["园区信息"]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet["A2"].value == "示例园区" and sheet["C2"].value == "否"
    assert sheet["A2"].number_format == "@"
    validations = {str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation}
    assert validations == {f"C2:C{importing.MAX_ROWS + 1}": '"是,否"'}
    notes = [row[0] for row in workbook["说明"].iter_rows(values_only=True) if row[0]]
    assert notes[:2] == ["园区信息导入说明", "1. 每行填写一个园区。"]
    assert notes[2].startswith("2. 导入前先预览") and notes[3].startswith("3. 只能导入 .xlsx 或 .csv")


def test_each_import_keeps_its_pending_file_under_its_own_session_key():
    spec = park_spec(Saves())
    first = ImportPages(spec=spec, url_name="regions:park_import", list_url="regions:park_list", list_label="园区",
                        title="导入园区")
    second = ImportPages(spec=spec, url_name="regions:park_import_more", list_url="regions:park_list",
                         list_label="园区", title="导入园区")

    assert first.session_key != second.session_key
