"""The faster bulk paths of the import commit (issue 7 item 2) keep what the slower ones wrote.

History: a record changed for the first time gets its baseline in the same statement as its change, before it,
batch after batch. Values: what anjian.core.bulk writes without the ORM's per-value preparation is stored exactly as
the ORM stores it. The import pauses the cyclic garbage collector and gives it back as it found it.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from anjian.core import importing
from anjian.core.bulk import insert_objects
from anjian.core.history import BASELINE_REASON
from anjian.core.services import scoped_bulk_save
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import make_uscc

pytestmark = pytest.mark.django_db


def twin(personas, serial: int) -> Enterprise:
    return Enterprise(
        uscc=make_uscc(880000 + serial), name=f"批量写入{serial}有限公司", legal_representative="甲",
        safety_principal="乙", safety_principal_phone="13800000000", address="路1号", region=personas.village_a,
        industry_id=personas.enterprise_a.industry_id, domain=personas.enterprise_a.domain, size="small",
        latitude=Decimal("23.012345"), longitude=Decimal("113.750000"), employee_count=7, key_process=True,
        standardization_grade="2", standardization_expires=dt.date(2027, 6, 30),
    )


def test_baselines_go_with_their_batch_and_before_the_change(personas):
    # Records written without history (as the demo generator and raw loads write them), and one with a version.
    insert_objects(Enterprise, [twin(personas, serial) for serial in range(7)], key="uscc")
    loaded = Enterprise.objects.filter(uscc__in=[make_uscc(880000 + serial) for serial in range(7)]).order_by("pk")
    assert len(loaded) == 7 and not any(enterprise.history.exists() for enterprise in loaded)
    with_history = Enterprise.objects.get(pk=personas.enterprise_a.pk)  # saved through the ORM: it has a version
    assert with_history.history.count() == 1
    rows = [Enterprise.objects.get(pk=enterprise.pk) for enterprise in loaded] + [with_history]
    before = {row.pk: row.employee_count for row in rows}
    for row in rows:
        row.employee_count += 1

    result = scoped_bulk_save(actor=personas.city_admin, model=Enterprise, rows=rows, reason="批量",
                              audit_action="enterprise.import", checked=("uscc",), batch_size=2)

    assert (result.updated, result.baselines) == (8, 7)
    for row in rows[:-1]:
        versions = list(row.history.order_by("history_id"))
        assert [(version.history_type, version.employee_count) for version in versions] == [
            ("+", before[row.pk]), ("~", before[row.pk] + 1)]
        assert versions[0].history_change_reason == str(BASELINE_REASON) and versions[0].history_user is None
        assert versions[0].history_date == row.created
        assert versions[1].history_change_reason == "批量" and versions[1].history_user == personas.city_admin
    assert list(with_history.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "~"]


def stored_columns(pk: int) -> tuple:
    table = connection.ops.quote_name(Enterprise._meta.db_table)
    columns = "latitude, longitude, standardization_expires, employee_count, key_process, name"
    sql = f"SELECT {columns} FROM {table} "  # noqa: S608 - the model's own table name, quoted
    with connection.cursor() as cursor:
        cursor.execute(sql + "WHERE id = %s", [pk])
        return cursor.fetchone()


def test_values_written_in_bulk_are_stored_as_the_orm_stores_them(personas):
    by_orm, in_bulk = twin(personas, 1), twin(personas, 2)
    by_orm.save()
    insert_objects(Enterprise, [in_bulk], key="uscc")

    assert in_bulk.pk is not None and not in_bulk._state.adding
    assert stored_columns(in_bulk.pk)[:-1] == stored_columns(by_orm.pk)[:-1]
    stored = Enterprise.objects.get(pk=in_bulk.pk)
    assert (stored.latitude, stored.standardization_expires) == (Decimal("23.012345"), dt.date(2027, 6, 30))


def test_the_import_pauses_the_collector_and_gives_it_back():
    seen: list[bool] = []
    assert gc.isenabled()
    with importing.collector_paused():
        seen.append(gc.isenabled())
        with importing.collector_paused():  # the commit runs the dry run inside itself
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
    assert seen == [False, False, False] and gc.isenabled()

    with pytest.raises(RuntimeError), importing.collector_paused():
        raise RuntimeError
    assert gc.isenabled()

    gc.disable()
    try:
        with importing.collector_paused():
            pass
        assert not gc.isenabled(), "a collector the caller paused stays paused"
    finally:
        gc.enable()


def test_json_shared_by_many_rows_is_stored_for_each_row_as_the_orm_stores_it(personas):
    """anjian.core.bulk encodes a JSON value shared by several rows once (the colours' reasons, issue 9 item 5); every
    row must still hold the value itself, on PostgreSQL as JSON and not as a string of it, after an UPDATE too."""
    from anjian.core.bulk import insert_values, update_fields
    from anjian.core.models import AuditEvent

    shared = {"reasons": [{"code": "worst_unit", "text": "最高为橙色"}]}
    equal_but_separate = {"reasons": [{"code": "worst_unit", "text": "最高为橙色"}]}
    names = ("occurred_at", "action", "content_type", "object_id", "object_repr", "region_code", "domain", "reason",
             "data")
    fields = [AuditEvent._meta.get_field(name) for name in names]
    content_type = ContentType.objects.get_for_model(Enterprise)
    now = dt.datetime.now(dt.UTC)
    values = [shared, shared, equal_but_separate, {}, []]
    insert_values(AuditEvent, fields, [[now, "bulk.json", content_type.pk, str(n), "x", "", "", "", value]
                                       for n, value in enumerate(values)])
    stored = list(AuditEvent.objects.filter(action="bulk.json").order_by("object_id"))
    assert [event.data for event in stored] == [shared, shared, shared, {}, []]
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM core_auditevent WHERE action = 'bulk.json' AND object_id = '0'")
        raw = cursor.fetchone()[0]
    assert (raw if isinstance(raw, dict) else json.loads(raw)) == shared  # an object, not a string holding one

    changed = {"reasons": []}
    for event in stored:
        event.data = changed
    update_fields(AuditEvent, stored, ["data"])
    assert [event.data for event in AuditEvent.objects.filter(action="bulk.json")] == [changed] * 5
