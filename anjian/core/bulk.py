"""Batched INSERT and UPDATE statements for bulk writes (architecture rule 8; issue 7 item 2).

Django's bulk_create and bulk_update compile SQL value by value: profiled on an import of 5,000 registry rows, the
compiler took most of the write phase (bulk_update builds a CASE WHEN per field per row). These helpers prepare
each value with the field's own `get_db_prep_save` (the same conversion the ORM applies) where that conversion
changes it, and hand one parameterised statement with all rows to SQLite's executemany (a loop in C), or stream
them with COPY on PostgreSQL.
They skip signals and auto fields: callers (anjian.core.services.scoped_bulk_save) write history and audit
themselves, inside their own transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction

BATCH_ROWS = 2000


# Fields whose Python values both drivers take as they are (str, int, bool, None): preparing them would only copy.
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField)


# psycopg's COPY writes decimals, dates and aware date-times itself (Django's preparation returns them unchanged on
# PostgreSQL, after a costly round of formatting for decimals).
_PLAIN_FOR_COPY = (*_PLAIN, models.DecimalField, models.DateField)


def _is_plain(field: models.Field, connection: Any) -> bool:
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return isinstance(field, _PLAIN_FOR_COPY if connection.vendor == "postgresql" else _PLAIN)


def _prepared(fields: Sequence[models.Field], connection: Any) -> Callable[[Sequence[Any]], list[Any]]:
    converters = [
        (index, _converter(field, connection)) for index, field in enumerate(fields) if not _is_plain(field, connection)
    ]
    if not converters:
        return list

    def prepare(values: Sequence[Any]) -> list[Any]:
        row = list(values)
        for index, convert in converters:
            row[index] = convert(row[index])
        return row

    return prepare


# Values sqlite3 stores as the field's own preparation would store them: the preparation returns a Decimal or a date
# unchanged, and Django registers str() for Decimal and isoformat() for date with the driver.
_SQLITE_AS_IS: dict[type[models.Field], type] = {models.DecimalField: decimal.Decimal, models.DateField: dt.date}


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """The field's own get_db_prep_save, called only where it changes something (issue 7 item 2: 75,000 history
    rows and 25,000 records are prepared value by value). A date-time is prepared once per distinct value: the rows
    of one write share their instant (history dates, timestamps), and SQLite's preparation formats it each time."""
    prepare = field.get_db_prep_save
    kept = _SQLITE_AS_IS.get(type(field)) if connection.vendor == "sqlite" else None
    if kept is not None:
        return lambda value: value if value is None or type(value) is kept else prepare(value, connection)
    if isinstance(field, models.JSONField):
        return _shared_once(lambda value: _json_text(prepare(value, connection)))
    if not isinstance(field, models.DateTimeField):
        return lambda value: prepare(value, connection)
    prepared: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return prepared[value]
        except KeyError:
            prepared[value] = result = prepare(value, connection)
            return result
        except TypeError:  # an unhashable value (an expression): as it is
            return prepare(value, connection)

    return convert


def _json_text(adapted: Any) -> Any:
    """On PostgreSQL Django wraps a JSON value for psycopg, which encodes it when the row is sent: encode it here
    instead, so a value shared by many rows is encoded once (COPY's text format takes the JSON text as it is)."""
    dumps = getattr(adapted, "dumps", None)
    return dumps(adapted.obj) if dumps is not None and hasattr(adapted, "obj") else adapted


def _shared_once(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`prepare` called once per distinct object: derived rows share one list or dict among thousands of rows (the
    colours' reasons, issue 9 item 5), and encoding JSON is the costly part of writing them. Keyed by identity, so
    equal but separate objects are each encoded; the object is kept with its result so its id is not reused within
    the statement."""
    prepared: dict[int, tuple[Any, Any]] = {}

    def convert(value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return prepare(value)
        hit = prepared.get(id(value))
        if hit is None:
            hit = prepared[id(value)] = (value, prepare(value))
        return hit[1]

    return convert


def insert_values(model: type[models.Model], fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]) -> int:
    """INSERT `rows` (values in `fields` order, as Python values) into `model`'s table; returns the rows written."""
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Names come from the model (quoted); every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    prepare = _prepared(fields, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream for all rows, about ten times faster than row-by-row statements on PostgreSQL.
            with cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(prepare(values))
            return len(rows)
        for start in range(0, len(rows), BATCH_ROWS):
            cursor.executemany(sql, [prepare(values) for values in rows[start: start + BATCH_ROWS]])
    return len(rows)


def insert_prepared(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                    *, batch_size: int = 5000) -> int:
    """INSERT rows whose values are already in the database's shape (attribute names `names`; no preparation per
    value: the demo generators convert each kind of value once themselves, see `database_datetime`). COPY on
    PostgreSQL, executemany in batches on SQLite; `rows` may be a generator. Returns the rows written."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # Names come from the model (quoted); every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def database_datetime(value: dt.datetime | None, *, using: str = "default") -> dt.datetime | None:
    """A date-time as the database takes it without Django's preparation: aware on PostgreSQL, naive UTC on SQLite
    (how Django stores it there)."""
    if value is None or connections[using].vendor == "postgresql":
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model], *, key: str | None = None) -> None:
    """INSERT new `objs` and set their primary keys. With `key`, a unique field every row carries, the rows are
    written without the ORM: on PostgreSQL their keys are drawn from the table's own sequence first (one query) and
    written with them; elsewhere they are read back by `key` (one query per batch). Without `key`, bulk_create
    returns them (and compiles every value)."""
    if not objs:
        return
    if key is None:
        model._base_manager.bulk_create(objs)
        return
    connection = connections[router.db_for_write(model)]
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if not isinstance(field, models.AutoField)]
    # Values as the ORM would insert them: pre_save sets them where a field computes its value (auto_now,
    # auto_now_add).
    computed = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    for obj in objs:
        for field in computed:
            field.pre_save(obj, True)
    drawn = connection.vendor == "postgresql" and isinstance(pk, models.AutoField)
    if drawn:
        for obj, value in zip(objs, _next_keys(model, len(objs), connection), strict=True):
            obj.pk = value
        fields = [pk, *fields]
    values = _getter(operator.attrgetter, [field.attname for field in fields])
    insert_values(model, fields, [values(obj) for obj in objs])
    if not drawn:
        keys = [getattr(obj, key) for obj in objs]
        stored = dict(model._base_manager.filter(**{f"{key}__in": keys}).values_list(key, "pk"))
        for obj in objs:
            obj.pk = stored[getattr(obj, key)]
    for obj in objs:
        obj._state.adding = False


def _next_keys(model: type[models.Model], count: int, connection: Any) -> list[int]:
    """`count` values of the sequence behind `model`'s auto primary key (PostgreSQL), as the inserts would take."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


def update_fields(model: type[models.Model], objs: Sequence[models.Model], names: Sequence[str]) -> int:
    """UPDATE the fields `names` of each of `objs` (by primary key) to the values on the objects."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    pk = model._meta.pk
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    prepare = _prepared([*fields, pk], connection)
    # Each row's new values, then its primary key (the statement's parameter order).
    values = _getter(operator.attrgetter, [*(field.attname for field in fields), pk.attname])
    if connection.vendor == "postgresql":
        _update_by_copy(model, [prepare(values(obj)) for obj in objs], fields, connection)
        return len(objs)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_ROWS):
            cursor.executemany(sql, [prepare(values(obj)) for obj in objs[start: start + BATCH_ROWS]])
    return len(objs)


def _update_by_copy(model: type[models.Model], rows: Sequence[Sequence[Any]], fields: Sequence[models.Field],
                    connection: Any) -> None:
    """PostgreSQL: COPY the new values into a temporary table, then one UPDATE ... FROM joins it by primary key."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    staging = quote(f"anjian_bulk_{uuid.uuid4().hex[:12]}")
    columns = [quote(field.column) for field in fields]
    names = ", ".join([*columns, pk])
    assignments = ", ".join(f"{column} = staged.{column}" for column in columns)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Names come from the model (quoted) and a random suffix; every value goes through COPY.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
                       f"SELECT {names} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {staging} AS staged "  # noqa: S608
                       f"WHERE {table}.{pk} = staged.{pk}")
        cursor.execute(f"DROP TABLE {staging}")


@dataclass(frozen=True)
class HistoryTable:
    """A model's simple_history table as bulk writes fill it: each row is the record's tracked values followed by
    the history date, reason, type ("+" created, "~" changed) and user, as `bulk_history_create` builds it."""

    model: type[models.Model]
    tracked: tuple[str, ...]
    fields: tuple[models.Field, ...]

    @classmethod
    def of(cls, model: type[models.Model]) -> HistoryTable | None:
        """The history table of `model`, or None for a model without history."""
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if not manager_name:
            return None
        history_model = getattr(model, manager_name).model
        tracked = tuple(field.attname for field in history_model.tracked_fields)
        by_attname = {field.attname: field for field in history_model._meta.concrete_fields}
        fields = tuple(by_attname[name] for name in (*tracked, *_HISTORY_COLUMNS))
        return cls(model=history_model, tracked=tracked, fields=fields)

    def rows(self, objs: Sequence[models.Model], *, history_type: str, user_id: Any, reason: str,
             date: dt.datetime) -> list[tuple[Any, ...]]:
        """A version of each of `objs` as it is in memory (about to be written)."""
        values = _getter(operator.attrgetter, self.tracked)
        tail = (date, reason, history_type, user_id)
        return [values(obj) + tail for obj in objs]

    def stored_rows(self, stored: Sequence[Mapping[str, Any]], *, history_type: str, user_id: Any, reason: str,
                    dates: Sequence[dt.datetime]) -> list[tuple[Any, ...]]:
        """A version of each record from its values as read (attname → value; baselines), dated one by one."""
        values = _getter(operator.itemgetter, self.tracked)
        return [values(row) + (date, reason, history_type, user_id)
                for row, date in zip(stored, dates, strict=True)]

    def insert(self, rows: Sequence[Sequence[Any]]) -> int:
        return insert_values(self.model, self.fields, rows)


# The columns simple_history adds after the tracked fields, in HistoryTable's row order.
_HISTORY_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _getter(kind: Callable[..., Callable[[Any], Any]], names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """attrgetter/itemgetter for `names` that always answers a tuple (they answer the value itself for one name)."""
    get = kind(*names)
    return get if len(names) > 1 else lambda source: (get(source),)


def insert_history(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    history_type: str,
    user_id: Any,
    reason: str,
    date: dt.datetime,
) -> int:
    """simple_history rows for `objs` as they are in memory, inserted without model instances."""
    table = HistoryTable.of(model)
    if table is None or not objs:
        return 0
    return table.insert(table.rows(objs, history_type=history_type, user_id=user_id, reason=reason, date=date))


__all__ = ["HistoryTable", "insert_history", "insert_objects", "insert_values", "update_fields"]
