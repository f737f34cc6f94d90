"""The registry's export (issue 7 item 2): every import column, so export → import of the same file changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from anjian.accounts.models import User
from anjian.accounts.roles import Role, defaults
from anjian.core import importing as core_importing
from anjian.core.views import export_source_for
from anjian.enterprises import demo, importing
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(reference_regions, industries):
    """A generated demo city: parks, coordinates, flags, standardization grades and expiries, every domain."""
    demo.generate(today=dt.date(2026, 12, 1), enterprises=400, seed=11)
    return User.objects.create(username="export_city", role=Role.CITY_SUPERVISOR,
                               region=Region.objects.get(level="city"))


def exported(user: User, query: str = "") -> bytes:
    source = export_source_for(user, reverse("enterprises:enterprise_list"), query)
    buffer = io.BytesIO()
    from anjian.core.export import write_xlsx

    write_xlsx(buffer, source)
    return buffer.getvalue()


def test_export_then_import_of_the_same_file_changes_nothing(city):
    content = exported(city)
    result = importing.dry_run(actor=city, handle=io.BytesIO(content), extension=".xlsx")
    assert result.errors == []
    assert result.to_create == [] and result.to_update == []
    assert len(result.unchanged) == Enterprise.objects.count() == 400


def test_export_carries_every_import_column_and_the_readable_extras(city):
    sheet = load_workbook(io.BytesIO(exported(city)), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert list(header) == [column.label for column in importing.COLUMNS] + ["所属镇街", "村（社区）名称", "行业名称"]


def test_an_edited_export_imports_only_the_edit(city):
    workbook = load_workbook(io.BytesIO(exported(city)))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    employees = header.index("从业人数") + 1
    sheet.cell(row=2, column=employees, value=int(sheet.cell(row=2, column=employees).value or 0) + 7)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importing.dry_run(actor=city, handle=io.BytesIO(buffer.getvalue()), extension=".xlsx")
    assert result.errors == []
    assert [[change.column for change in item.changes] for item in result.to_update] == [["从业人数"]]


def test_export_follows_the_filters_and_the_gate(city, personas):
    town = personas.town_a_supervisor
    town_rows = Enterprise.objects.restrict(town, "export").count()
    sheet = load_workbook(io.BytesIO(exported(town)), read_only=True).worksheets[0]
    assert sum(1 for _row in sheet.iter_rows(min_row=2, values_only=True)) == town_rows
    village = Enterprise.objects.restrict(town, "export").values_list("region__code", flat=True).first()
    query = f"region={village}"
    filtered = load_workbook(io.BytesIO(exported(city, query)), read_only=True).worksheets[0]
    codes = {row[6] for row in filtered.iter_rows(min_row=2, values_only=True)}
    assert codes == {village}


def test_phone_numbers_are_masked_for_a_role_that_may_not_read_them(city, monkeypatch):
    # Every role that may export reads phone numbers today; a role that may not still gets them masked.
    monkeypatch.setitem(Enterprise.policy, Role.CITY_SUPERVISOR, defaults(Role.CITY_SUPERVISOR))
    reader = User.objects.get(pk=city.pk)
    rows = list(load_workbook(io.BytesIO(exported(reader)), read_only=True).worksheets[0].iter_rows(values_only=True))
    phone = rows[0].index("安全负责人电话")
    assert len(rows) > 1
    assert all("*" in row[phone] for row in rows[1:])


def test_spec_export_needs_an_export_path_for_relations(db):
    from django.core.exceptions import ImproperlyConfigured

    columns = tuple(
        core_importing.Column(column.label, column.field, column.kind, column.required, parse=column.parse,
                              choices=column.choices, lookup=column.lookup)
        for column in importing.COLUMNS
    )
    spec = core_importing.ImportSpec(model=Enterprise, key="uscc", columns=columns, save=importing.SPEC.save)
    with pytest.raises(ImproperlyConfigured, match="export_path"):
        next(core_importing.export_rows(spec, Enterprise.objects.all()))
