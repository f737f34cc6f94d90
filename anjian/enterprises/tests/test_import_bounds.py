"""What an import file may not do to a worker (issue 7 item 8): unpack without bound, convert huge numbers, or have
its cells echoed back whole."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.core import importing as core_importing
from anjian.enterprises import importing
from anjian.enterprises.tests.test_import import HEADER, csv_upload, make_row, run, xlsx_upload

pytestmark = pytest.mark.django_db


def rebuilt(upload: SimpleUploadedFile, extra_part: tuple[str, bytes]) -> SimpleUploadedFile:
    """The same workbook with one more (highly compressible) part inside its zip."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(*extra_part)
    return SimpleUploadedFile("企业.xlsx", buffer.getvalue())


def test_a_workbook_that_unpacks_beyond_the_bound_is_refused_before_it_is_read(personas, monkeypatch):
    monkeypatch.setattr(core_importing, "MAX_UNPACKED_TOTAL", 2 * 1024 * 1024)
    bomb = rebuilt(xlsx_upload([make_row(personas.village_a, 1)]), ("xl/sharedStrings2.xml", b"\0" * 3 * 1024 * 1024))
    assert bomb.size < 100 * 1024
    with pytest.raises(importing.ImportFileError, match="解压后过大"):
        run(bomb, personas.city_admin)


def test_one_part_beyond_its_bound_is_refused(personas, monkeypatch):
    monkeypatch.setattr(core_importing, "MAX_UNPACKED_PART", 1024 * 1024)
    bomb = rebuilt(xlsx_upload([make_row(personas.village_a, 1)]), ("xl/worksheets/sheet9.xml", b" " * 2 * 1024 * 1024))
    with pytest.raises(importing.ImportFileError, match="解压后过大"):
        run(bomb, personas.city_admin)


def test_the_shipped_bounds_hold_a_full_import():
    # 50,000 rows of the registry's columns unpack to about 60 MB (bench/import_export.py); the bounds leave room.
    assert core_importing.MAX_UNPACKED_PART >= 100 * 1024 * 1024
    assert core_importing.MAX_UNPACKED_TOTAL >= core_importing.MAX_UNPACKED_PART


@pytest.mark.parametrize("count", ["1e1000000", "9" * 400, "1e5", "-3", "3.5", "2147483648"])
def test_counts_are_checked_for_shape_and_range_before_conversion(personas, count):
    result = run(xlsx_upload([make_row(personas.village_a, 1, **{"从业人数": count})]), personas.city_admin)
    messages = [error.message for error in result.errors if error.column == "从业人数"]
    assert len(messages) == 1
    assert "非负整数" in messages[0] or "过大" in messages[0]
    assert len(messages[0]) < 120


@pytest.mark.parametrize(("count", "stored"), [("30", 30), ("30.0", 30), ("+7", 7), ("2147483647", 2147483647)])
def test_well_formed_counts_still_import(personas, count, stored):
    result = run(csv_upload([make_row(personas.village_a, 1, **{"从业人数": count})], "utf-8"), personas.city_admin)
    assert result.ok, result.errors
    assert result.to_create[0].obj.employee_count == stored


@pytest.mark.parametrize("latitude", ["1e1000000", "23" + "0" * 400, "NaN", "Infinity"])
def test_decimals_are_checked_for_shape_before_conversion(personas, latitude):
    result = run(csv_upload([make_row(personas.village_a, 1, **{"纬度": latitude})], "utf-8"), personas.city_admin)
    assert [error.column for error in result.errors] == ["纬度"]


def test_a_huge_cell_is_refused_without_being_echoed(personas):
    huge = "工贸" * 200_000
    result = run(xlsx_upload([make_row(personas.village_a, 1, **{"行业领域": huge})]), personas.city_admin)
    assert [error.column for error in result.errors] == ["行业领域"]
    assert len(result.errors[0].message) < 100


def test_an_error_quotes_at_most_a_few_dozen_characters_of_a_cell(personas):
    long_value = "不" * 500
    result = run(xlsx_upload([make_row(personas.village_a, 1, **{"企业规模": long_value})]), personas.city_admin)
    message = result.errors[0].message
    assert long_value[: core_importing.QUOTE_CHARS] in message and long_value not in message
    assert len(message) < 300


def test_unknown_headers_are_quoted_briefly(personas):
    header = [*HEADER, "X" * 100_000, *[f"多余{n}" for n in range(30)]]
    with pytest.raises(importing.ImportFileError) as refused:
        run(xlsx_upload([make_row(personas.village_a, 1)], header=header), personas.city_admin)
    assert len(refused.value.message) < 800
