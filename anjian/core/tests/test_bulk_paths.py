"""The faster bulk paths of the import commit (issue 7 item 2) keep what the slower ones wrote.

History: a record changed for the first time gets its baseline in the same statement as its change, before it,
batch after batch. Values: what anjian.core.bulk writes without the ORM's per-value preparation is stored exactly as
the ORM stores it. The import pauses the cyclic garbage collector and gives it back as it found it.
"""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal

import pytest
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
