"""Running counts of hazards for the statistics (issue 8 item 7 and "Must show": the city's dashboard under 500 ms).

Counting a million hazards for every view of the 隐患统计 page costs seconds on SQLite; two small tables keep the
counts the page sums instead (anjian.hazards.models):
- HazardTally: hazards per village code, domain, status, level, overdue flag and 挂牌督办 state (a few thousand rows
  in a city): every count but the rectification rate's;
- HazardDueTally: per town, domain and deadline day, the hazards due that day and those of them closed on time
  (closed, and the local date of `rectified_at` on or before the deadline): the rate over any period.

They are kept exact in the same transaction as the hazards:
- every Hazard.save() moves one hazard from the keys it was stored under to the keys it has now (`follow`);
- a hazard deleted (a signal, so the admin and cascades count too) leaves its keys;
- a bulk UPDATE of hazards goes through `update_counted`, which shifts the counts of the rows it changes by groups;
- hazards written in bulk without save() are added with `count_created`, or counted again with `rebuild` (the demo
  generator, the benchmarks, and a nightly job that repairs what a write outside the services may have missed).
Increments are `INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n`, which SQLite (3.24+) and PostgreSQL both
run atomically, so two writers never lose a count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Case, Count, DateField, ExpressionWrapper, F, Func, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Concat, Substr, TruncDate
from django.utils import timezone

# Region codes: a town's 9 digits are the first 9 of its villages' 12; a town's own code ends in 000.
TOWN_PREFIX_LENGTH = 9
CLOSED = "closed"  # HazardStatus.CLOSED (choices imports nothing from here; models imports this module)

# The fields a key reads: a save that changes none of them leaves the counts as they are.
KEY_FIELDS = frozenset({"region_code", "domain", "status", "level", "overdue", "supervision_level", "lifted_at",
                        "deadline", "rectified_at"})
STATE_KEY = ("region_code", "domain", "status", "level", "overdue", "listed")

StateKey = tuple[str, str, str, str, bool, bool]
DueKey = tuple[str, str, dt.date]
Keys = tuple[StateKey, DueKey | None, int]  # state key, due key (None: no deadline), closed on time (0 or 1)


def _tally_model() -> type[models.Model]:
    return apps.get_model("hazards", "HazardTally")


def _due_model() -> type[models.Model]:
    return apps.get_model("hazards", "HazardDueTally")


def town_code(region_code: str) -> str:
    """The 12-digit code of the town a village code lies in."""
    return region_code[:TOWN_PREFIX_LENGTH].ljust(12, "0") if region_code else ""


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def keys_from(values: Mapping[str, Any]) -> Keys:
    """The keys a hazard with these field values (attname → value) is counted under."""
    listed = bool(values["supervision_level"]) and values["lifted_at"] is None
    state: StateKey = (values["region_code"], values["domain"], values["status"], values["level"],
                       bool(values["overdue"]), listed)
    deadline = values["deadline"]
    if deadline is None:
        return state, None, 0
    rectified = local_day(values["rectified_at"])
    on_time = int(values["status"] == CLOSED and rectified is not None and rectified <= deadline)
    return state, (town_code(values["region_code"]), values["domain"], deadline), on_time


def keys_of(hazard: models.Model) -> Keys:
    return keys_from({name: getattr(hazard, name) for name in KEY_FIELDS})


def stored_keys(hazard: models.Model, update_fields: Iterable[str] | None = None) -> Keys | None:
    """The keys the hazard is counted under now, before a save: None for a new one, or when the save cannot change
    them (`update_fields` without a key field). Read from the values the row was loaded with, or from the database
    when some were not loaded (a deferred field)."""
    if hazard._state.adding or hazard.pk is None:
        return None
    if update_fields is not None and not KEY_FIELDS.intersection(update_fields):
        return None
    loaded = getattr(hazard, "_loaded_values", None) or {}
    if KEY_FIELDS.issubset(loaded):
        return keys_from(loaded)
    stored = type(hazard)._base_manager.filter(pk=hazard.pk).values(*KEY_FIELDS).first()
    return keys_from(stored) if stored is not None else None


def follow(before: Keys | None, after: Keys | None) -> None:
    """Move one hazard's counts from the keys `before` (None: a new hazard) to `after` (None: deleted)."""
    if before != after:
        _shift([(keys, sign) for keys, sign in ((before, -1), (after, 1)) if keys is not None])


def forget(hazard: models.Model) -> None:
    """A deleted hazard leaves its counts (post_delete of Hazard)."""
    follow(stored_keys(hazard) or keys_of(hazard), None)


def count_created(hazards: Iterable[models.Model]) -> None:
    """Count hazards written in bulk without Hazard.save() (an import's bulk_create): call in the same transaction."""
    _shift((keys_of(hazard), 1) for hazard in hazards)


def count_changed(hazards: Iterable[models.Model]) -> None:
    """Move hazards updated in bulk without Hazard.save() (an import's bulk_update) from the keys of the values they
    were loaded with to the keys of their values now: call in the same transaction, after the update."""
    shifts: list[tuple[Keys, int]] = []
    for hazard in hazards:
        loaded = getattr(hazard, "_loaded_values", None) or {}
        if not KEY_FIELDS.issubset(loaded):
            raise ValueError(f"hazard {hazard.pk} was not loaded with every counted field")
        shifts += [(keys_from(loaded), -1), (keys_of(hazard), 1)]
    _shift(shifts)


def _shift(changes: Iterable[tuple[Keys, int]]) -> None:
    """Add each hazard's `sign` (+1 or -1) to the counts of its keys, in one statement per table."""
    states: Counter[StateKey] = Counter()
    dues: dict[DueKey, list[int]] = {}
    for (state, due, on_time), sign in changes:
        states[state] += sign
        if due is not None:
            pair = dues.setdefault(due, [0, 0])
            pair[0] += sign
            pair[1] += sign * on_time
    _add_states(states)
    _add_dues(dues)


# ---------------------------------------------------------------------------------------------------------------
# Grouped reads: the same keys, computed by the database for many hazards at once.


def local_date(field: str) -> Func:
    """The local date (the site's time zone) of a date-time column, computed by the database itself.

    Django's `__date` on SQLite calls a Python function per row; SQLite's own date() with the zone's offset gives the
    same day where the zone keeps one offset all year, as Asia/Shanghai has since 1991. PostgreSQL converts with its
    time-zone database (AT TIME ZONE).
    """
    if connection.vendor != "sqlite":
        return TruncDate(field)
    offset = timezone.localtime().utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return Func(F(field), Value(f"{minutes:+d} minutes"), function="date", output_field=DateField())


# Under 挂牌督办 now: listed and not yet lifted (Hazard.listed).
LISTED = ~Q(supervision_level="") & Q(lifted_at__isnull=True)


def listed_expression() -> ExpressionWrapper:
    return ExpressionWrapper(LISTED, output_field=models.BooleanField())


def on_time_expression() -> Case:
    return Case(When(status=CLOSED, rectified_day__lte=F("deadline"), then=Value(1)), default=Value(0),
                output_field=IntegerField())


def state_groups(hazards: models.QuerySet) -> models.QuerySet:
    """Hazards grouped by the state key, with `n` per group (in STATE_KEY order, then n)."""
    return hazards.annotate(listed=listed_expression()).values(*STATE_KEY).annotate(n=Count("id")).order_by()


def due_groups(hazards: models.QuerySet) -> models.QuerySet:
    """Hazards with a deadline grouped by town, domain and deadline, with `due` and `on_time`."""
    rows = hazards.filter(deadline__isnull=False).annotate(
        rectified_day=local_date("rectified_at"),
        town=Concat(Substr("region_code", 1, TOWN_PREFIX_LENGTH), Value("000"), output_field=models.CharField()),
    )
    return rows.values("town", "domain", "deadline").annotate(
        due=Count("id"), on_time=Sum(on_time_expression())).order_by()


def update_counted(hazards: models.QuerySet, **changes: Any) -> int:
    """`hazards.update(**changes)` with the counts shifted for every row it changes (a bulk UPDATE bypasses save()).

    `changes` may set the place (`region_code`, `domain`) and the `overdue` flag: what the overdue job and an
    enterprise's move change in bulk. The key fields of the rows are read first, in the same transaction, and each
    row's keys computed as for one save; a plain read (no GROUP BY) lets SQLite's planner take the filter's index
    (grouping, it scanned a whole million-row index to avoid a sort).
    """
    unknown = set(changes) - {"region_code", "domain", "overdue"}
    if unknown:
        raise ValueError(f"update_counted cannot shift the counts for {sorted(unknown)}")
    names = sorted(KEY_FIELDS)
    with transaction.atomic():
        shifts: list[tuple[Keys, int]] = []
        # Unordered: the model's default order (newest found first) made SQLite walk the found_at index over every
        # row instead of taking the filter's index (3.3 s instead of 0.1 s at 1,000,000 hazards).
        for values in hazards.order_by().values_list(*names).iterator(chunk_size=5_000):
            stored = dict(zip(names, values, strict=True))
            shifts.append((keys_from(stored), -1))
            shifts.append((keys_from({**stored, **changes}), 1))
        changed = hazards.update(**changes)
        _shift(shifts)
    return changed


# ---------------------------------------------------------------------------------------------------------------
# Writes


def _upsert(table: str, key_columns: Sequence[str], count_columns: Sequence[str],
            rows: Sequence[Sequence[Any]]) -> None:
    """Add `rows` (key values, then the amounts) to the counts; identifiers are the models' own, quoted; values are
    parameters."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [*key_columns, *count_columns]
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    additions = ", ".join(f"{quote(column)} = {quote(table)}.{quote(column)} + excluded.{quote(column)}"
                          for column in count_columns)
    sql = (f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES {values} "  # noqa: S608
           f"ON CONFLICT ({', '.join(map(quote, key_columns))}) DO UPDATE SET {additions}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


# Rows per statement: well under SQLite's limit of 32,766 parameters.
UPSERT_CHUNK = 2_000


def _add_states(states: Mapping[StateKey, int]) -> None:
    rows = [(*key, n) for key, n in sorted(states.items()) if n]
    table = _tally_model()._meta.db_table
    for start in range(0, len(rows), UPSERT_CHUNK):
        _upsert(table, STATE_KEY, ("count",), rows[start:start + UPSERT_CHUNK])


def _add_dues(dues: Mapping[DueKey, Sequence[int]]) -> None:
    rows = [(*key, due, on_time) for key, (due, on_time) in sorted(dues.items()) if due or on_time]
    table = _due_model()._meta.db_table
    for start in range(0, len(rows), UPSERT_CHUNK):
        _upsert(table, ("town_code", "domain", "deadline"), ("due", "on_time"), rows[start:start + UPSERT_CHUNK])


@transaction.atomic
def rebuild(*, hazard_model: type[models.Model] | None = None, tally_model: type[models.Model] | None = None,
            due_model: type[models.Model] | None = None) -> tuple[int, int]:
    """Count every hazard again from scratch; answers the rows written to each table.

    Two INSERT ... SELECT statements grouped by the database. On PostgreSQL the tables are locked first, so a hazard
    written meanwhile waits and then adds to the fresh counts instead of being lost between them; they are emptied
    with TRUNCATE (a DELETE would leave a whole table of dead rows for every reader to skip until a vacuum) and
    analysed after. The models may be given (a migration passes its historical ones).
    """
    hazard_model = hazard_model or apps.get_model("hazards", "Hazard")
    tally_model = tally_model or _tally_model()
    due_model = due_model or _due_model()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {quote(tally_model._meta.db_table)}, {quote(due_model._meta.db_table)} "
                           "IN EXCLUSIVE MODE")
        written = []
        for model, columns, grouped in (
            (tally_model, [*STATE_KEY, "count"], state_groups(hazard_model._base_manager.all())),
            (due_model, ["town_code", "domain", "deadline", "due", "on_time"],
             due_groups(hazard_model._base_manager.all())),
        ):
            table = quote(model._meta.db_table)
            empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
            cursor.execute(f"{empty} {table}")
            sql, params = grouped.query.sql_with_params()
            if connection.vendor == "sqlite":
                # Every row is read: a plain scan of the table, not (as SQLite's planner prefers, to spare a sort)
                # a walk of an index that fetches each row from the table again: 2.5 s instead of 10 s at 1,000,000.
                source = f"FROM {quote(hazard_model._meta.db_table)}"
                if source not in sql:
                    raise RuntimeError(f"rebuild expected {source!r} in {sql!r}")
                sql = sql.replace(source, f"{source} NOT INDEXED", 1)
            cursor.execute(f"INSERT INTO {table} ({', '.join(map(quote, columns))}) {sql}", params)
            written.append(cursor.rowcount)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {table}")
    return written[0], written[1]
