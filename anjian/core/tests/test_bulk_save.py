"""scoped_bulk_save (issue 7 item 2): many rows at once under the rules scoped_save applies to one."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from anjian.core import xlsx
from anjian.core.models import AuditEvent
from anjian.core.services import RowRefused, scoped_bulk_save
from anjian.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def fresh(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_related("region").get(pk=enterprise.pk)


def write(actor, rows):
    return scoped_bulk_save(actor=actor, model=Enterprise, rows=rows, reason="批量", audit_action="enterprise.import",
                            checked=("uscc",))


def test_a_row_moved_out_of_the_actors_town_is_refused_and_nothing_is_written(personas):
    stays, leaves = fresh(personas.enterprise_a), fresh(personas.enterprise_a)
    stays.employee_count += 1
    leaves.region = personas.village_b
    with pytest.raises(RowRefused) as refused:
        write(personas.town_a_supervisor, [stays, leaves])
    assert refused.value.position == 1
    assert fresh(personas.enterprise_a).region == personas.village_a
    assert fresh(personas.enterprise_a).employee_count == personas.enterprise_a.employee_count
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()


def test_an_enterprise_user_may_change_only_its_editable_fields(personas):
    own = fresh(personas.enterprise_a)
    own.name = "擅自更名有限公司"
    with pytest.raises(RowRefused) as refused:
        write(personas.enterprise_a_user, [own])
    assert "单位名称" in str(refused.value.error)
    own = fresh(personas.enterprise_a)
    own.safety_principal = "新负责人"
    result = write(personas.enterprise_a_user, [own])
    assert (result.created, result.updated) == (0, 1)
    assert fresh(personas.enterprise_a).safety_principal == "新负责人"


def test_a_row_out_of_reach_is_refused(personas):
    other = fresh(personas.enterprise_b)
    other.employee_count += 1
    with pytest.raises(RowRefused):
        write(personas.town_a_supervisor, [other])


def test_unchanged_rows_write_nothing_and_no_event(personas):
    result = write(personas.town_a_supervisor, [fresh(personas.enterprise_a)])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert not AuditEvent.objects.filter(action="enterprise.import").exists()


def test_history_and_one_audit_event_for_the_write(personas):
    first = fresh(personas.enterprise_a)
    first.employee_count += 3
    history_before = Enterprise.history.count()
    write(personas.town_a_supervisor, [first])
    event = AuditEvent.objects.get(action="enterprise.import")
    assert event.data == {"created": 0, "updated": 1, "unchanged": 0}
    assert event.region_code == personas.town_a.code and event.actor == personas.town_a_supervisor
    latest = first.history.order_by("-history_id").first()
    assert latest.history_user == personas.town_a_supervisor and latest.history_change_reason == "批量"
    assert Enterprise.history.count() > history_before


# --- the export writer ------------------------------------------------------------------------------------------


def test_the_writer_keeps_types_escapes_markup_and_never_writes_a_formula():
    import datetime as dt
    from decimal import Decimal

    buffer = io.BytesIO()
    rows = [["a&b<c>", 7, 2.5, Decimal("23.123456"), True, dt.date(2027, 1, 2), None, '=HYPERLINK("x")', "x\x04y"]]
    written = xlsx.write(buffer, headers=["名称", "n", "f", "d", "b", "日期", "空", "公式", "控制"], rows=rows,
                         sheet_title="企业信息" * 10)
    assert written == 1
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook.active
    assert sheet.title == ("企业信息" * 10)[:31]
    assert sheet["A1"].font.b
    assert [cell.value for cell in sheet[2]] == ["a&b<c>", 7, 2.5, 23.123456, "是", "2027-01-02", None,
                                                '=HYPERLINK("x")', "xy"]
    assert sheet["H2"].data_type == "s"
    assert sheet.freeze_panes == "A2"
