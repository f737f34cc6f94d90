"""Import of hazard units with their chemicals (issue 9 item 6): one row per unit and chemical, keyed on USCC and unit
name; all or nothing with errors by row; a unit in the file gets exactly the chemicals the file lists."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text
from anjian.hazchem.importing_units import COLUMNS
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitChemical
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db
URL = "hazchem:hazardunit_import"


@pytest.fixture
def world(personas, settings):
    from anjian.core.testing.browser import use_plain_static

    use_plain_static(settings)
    seed_catalogue()
    return personas


def workbook(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([str(label) for label, _key in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("units.xlsx", buffer.getvalue())


def row(uscc, unit, chemical, quantity, quantity_unit="吨", kind="储存单元", people=120):
    return [uscc, unit, kind, chemical, quantity, quantity_unit, "东区", people, None, None, None]


def test_rows_of_one_unit_become_one_graded_unit_and_reimport_replaces_its_chemicals(world):
    uscc = world.enterprise_a.uscc
    client = client_for(world.enterprise_a_user)
    rows = [row(uscc, "液氯液氨罐区", "液氯", 10), row(uscc, "液氯液氨罐区", "液氨", 20000, "千克"),
            row(uscc, "甲醇罐区", "甲醇", 50)]
    checked = client.post(reverse(URL), {"file": workbook(rows)})
    assert "校验通过" in page_text(checked) and not HazardUnit.objects.exists()
    response = client.post(reverse(URL), {"file": workbook(rows), "commit": "on"})
    assert response.status_code == 302
    unit = HazardUnit.objects.get(name="液氯液氨罐区")
    assert (unit.level, MajorHazard.objects.get(unit=unit).level) == (3, 3)
    assert HazardUnit.objects.get(name="甲醇罐区").grading == "needs_beta"
    client.post(reverse(URL), {"file": workbook([row(uscc, "液氯液氨罐区", "氯", 1)]), "commit": "on"})
    unit.refresh_from_db()
    assert [r.chemical.name for r in UnitChemical.objects.filter(unit=unit)] == ["氯"] and not unit.is_major


def test_any_bad_row_writes_nothing_and_each_error_names_its_row(world):
    uscc = world.enterprise_a.uscc
    rows = [row(uscc, "罐区", "液氯", 10), row(uscc, "罐区", "氯乙稀", 1), row(uscc, "罐区2", "氨", -1),
            row(world.enterprise_b.uscc, "虎门罐区", "氨", 1), row(uscc, "罐区3", "氨", 1, kind="仓库")]
    response = client_for(world.enterprise_a_user).post(reverse(URL), {"file": workbook(rows), "commit": "on"})
    page = page_text(response)
    assert response.status_code == 200 and not HazardUnit.objects.exists()
    for text in ("相近的品名", "不能为负数", "不在您的管辖范围内", "储存单元"):
        assert text in page, text
    for number in ("<td>3</td>", "<td>4</td>", "<td>5</td>", "<td>6</td>"):
        assert number in page


def test_readers_may_not_import_and_a_bad_file_is_refused(world):
    assert client_for(world.grid_worker_a).get(reverse(URL)).status_code == 403
    response = client_for(world.town_a_supervisor).post(
        reverse(URL), {"file": SimpleUploadedFile("units.xlsx", b"not a zip"), "commit": "on"})
    assert response.status_code == 200 and not HazardUnit.objects.exists()
    template = client_for(world.town_a_supervisor).get(reverse("hazchem:hazardunit_import_template"))
    assert template.status_code == 200


def test_an_import_tells_the_colours_once_for_all_its_enterprises(world):
    """The units of a file are saved one by one, but the enterprises whose 重大危险源 level moved are named in one
    `major_hazards_regraded` at the end (their colours graded in one batch), not one `major_hazard_changed` each; the
    colours still follow in the same request. A name the catalogue lacks is refused on every row that uses it."""
    from anjian.hazchem import importing_units
    from anjian.hazchem.grading import major_hazard_changed, major_hazards_regraded
    from anjian.risk.models import EnterpriseColour

    one_by_one, at_once = [], []

    def heard_one(sender, enterprise_id, **kwargs):
        one_by_one.append(enterprise_id)

    def heard_all(sender, enterprise_ids, **kwargs):
        at_once.append(sorted(enterprise_ids))

    major_hazard_changed.connect(heard_one)
    major_hazards_regraded.connect(heard_all)
    try:
        rows = [row(uscc, "液氯罐区", "液氯", 300) for uscc in (world.enterprise_a.uscc, world.enterprise_b.uscc)]
        result = importing_units.run(actor=world.city_admin, upload=workbook(rows), commit=True)
    finally:
        major_hazard_changed.disconnect(heard_one)
        major_hazards_regraded.disconnect(heard_all)
    assert result.committed and result.created == 2
    assert one_by_one == [] and at_once == [sorted([world.enterprise_a.pk, world.enterprise_b.pk])]
    # 300 t of chlorine, 120 people: S = 60, R = 480, 一级: red (colour_method's floor for levels 1 and 2).
    assert set(EnterpriseColour.objects.filter(enterprise__in=[world.enterprise_a, world.enterprise_b])
               .values_list("inherent", flat=True)) == {"red"}

    unknown = [row(world.enterprise_a.uscc, "罐区", "氯乙稀", 1), row(world.enterprise_a.uscc, "罐区2", "氯乙稀", 2)]
    refused = importing_units.run(actor=world.city_admin, upload=workbook(unknown), commit=True)
    assert [error.row for error in refused.errors] == [2, 3]
    assert all("相近的品名" in error.message for error in refused.errors)
