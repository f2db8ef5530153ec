"""Writing millions of rows fast: COPY on PostgreSQL, batched inserts on SQLite.

For generated data (``sambang generate``) and rebuilt derived tables (``rollups
rebuild``): rows bypass model ``save()``, validation and signals, so whoever writes them
answers for their consistency and keeps the rollups up to date. Rows may carry their own
primary keys (``next_id``) so that other tables can point at them in the same run;
``sequences_reset`` then makes the database's own counters continue after them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

Convert = Callable[[Any], Any]


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table."""
    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def sequences_reset(*models_: type[models.Model]) -> None:
    """Make the database hand out keys after the ones written explicitly (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _converter(field: models.Field[Any, Any]) -> Convert | None:
    """How a Python value of ``field`` is written, when the driver does not do it itself."""
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value, ensure_ascii=False)
    if connection.vendor != "sqlite":
        return None  # psycopg adapts UUIDs, dates and aware datetimes
    if isinstance(field, models.UUIDField):
        return lambda value: None if value is None else value.hex
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.TimeField):
        return connection.ops.adapt_timefield_value
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return None


def _default(field: models.Field[Any, Any], now: dt.datetime) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if isinstance(field, models.UUIDField) and field.has_default():
        raise ValueError(f"{field.name}: give each row its own UUID")
    return field.get_default()  # "" for text columns without a default, as Django does


class BulkTable:
    """Rows of one model's table, given as tuples in the order of ``columns`` (attribute
    names: ``officer_id`` for a foreign key); every other column takes its default."""

    batch = 5_000

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        now = timezone.now()
        self.table = str(model._meta.db_table)
        self.columns = list(columns)
        # Every other column takes its default; an auto-incremented key left out is numbered
        # by the database.
        rest = [
            name
            for name, field in fields.items()
            if name not in columns and not isinstance(field, models.AutoField)
        ]
        self.defaults = tuple(_default(fields[name], now) for name in rest)
        self.names = [str(fields[name].column) for name in [*self.columns, *rest]]
        converters = [_converter(fields[name]) for name in [*self.columns, *rest]]
        self.convert = [(i, fn) for i, fn in enumerate(converters) if fn is not None]
        # Timestamps Django sets on save (auto_now, auto_now_add) that an unsaved instance
        # given to write_models still lacks.
        self.now = now
        self.stamped = {
            name
            for name in self.columns
            if getattr(fields[name], "auto_now", False)
            or getattr(fields[name], "auto_now_add", False)
        }

    @classmethod
    def of(cls, model: type[models.Model]) -> BulkTable:
        """Every column but an auto-incremented key: for ``write_models``."""
        return cls(
            model,
            [
                field.attname
                for field in model._meta.concrete_fields
                if not isinstance(field, models.AutoField)
            ],
        )

    def write_models(self, objects: Iterable[models.Model]) -> int:
        """Write unsaved model instances (their keys are not read back)."""
        columns, stamped, now = self.columns, self.stamped, self.now

        def value(obj: models.Model, name: str) -> Any:
            found = getattr(obj, name)
            return now if found is None and name in stamped else found

        return self.write([value(obj, name) for name in columns] for obj in objects)

    def _ready(self, row: Sequence[Any]) -> list[Any]:
        values = [*row, *self.defaults]
        for i, fn in self.convert:
            values[i] = fn(values[i])
        return values

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """Write ``rows``; returns how many."""
        quote = connection.ops.quote_name
        names = ", ".join(quote(name) for name in self.names)
        count = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                statement = f"COPY {quote(self.table)} ({names}) FROM STDIN"
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(self._ready(row))
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(self.names))
                # Names come from the model's metadata, quoted; values go as parameters.
                statement = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})"  # noqa: S608
                chunk: list[list[Any]] = []
                for row in rows:
                    chunk.append(self._ready(row))
                    if len(chunk) == self.batch:
                        cursor.executemany(statement, chunk)
                        count += len(chunk)
                        chunk = []
                if chunk:
                    cursor.executemany(statement, chunk)
                    count += len(chunk)
        return count


def update_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Update ``columns`` (attribute names) of rows given as ``(pk, *values)``, in batches;
    returns how many. Like ``bulk_update`` without its per-row SQL expressions, and, like
    every write here, without model signals."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    unknown = set(columns) - set(fields)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    quote = connection.ops.quote_name
    converters = [_converter(fields[name]) for name in columns]
    assignments = ", ".join(f"{quote(str(fields[name].column))} = %s" for name in columns)
    key = quote(str(model._meta.pk.column)) if model._meta.pk else "id"
    # Names come from the model's metadata, quoted; values go as parameters.
    statement = f"UPDATE {quote(str(model._meta.db_table))} SET {assignments} WHERE {key} = %s"  # noqa: S608
    count = 0
    chunk: list[list[Any]] = []
    with connection.cursor() as cursor:
        for pk, *values in rows:
            ready = [fn(v) if fn else v for fn, v in zip(converters, values, strict=True)]
            chunk.append([*ready, pk])
            if len(chunk) == BulkTable.batch:
                cursor.executemany(statement, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(statement, chunk)
            count += len(chunk)
    return count


def add_counts(
    model: type[models.Model], keys: Sequence[str], count: str, delta: dict[tuple[Any, ...], int]
) -> None:
    """Add ``delta`` (key values → amount) to the ``count`` column of the rows identified by
    ``keys`` (a unique constraint), creating missing rows: one upsert per row, the same SQL
    on both engines. Rows go in key order, so that two writers lock them in the same order
    (or deadlock)."""
    add_totals(model, keys, [count], {key: (n,) for key, n in delta.items()})


def add_totals(
    model: type[models.Model],
    keys: Sequence[str],
    counts: Sequence[str],
    delta: dict[tuple[Any, ...], tuple[int, ...]],
) -> None:
    """``add_counts`` for several count columns at once (``delta``: one amount per column).
    A row that loses counts is updated in place (it exists: what it loses was counted there);
    an upsert would check its negative amounts against the columns' constraints first."""
    rows = sorted((*key, *amounts) for key, amounts in delta.items() if any(amounts))
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(str(model._meta.db_table))
    fields = {field.name: field for field in model._meta.concrete_fields}
    columns = [quote(str(fields[name].column)) for name in (*keys, *counts)]
    key_columns, totals = columns[: len(keys)], columns[len(keys) :]
    gains = [row for row in rows if min(row[len(keys) :]) >= 0]
    losses = [row for row in rows if min(row[len(keys) :]) < 0]
    # Names come from the model's metadata, quoted; values go as parameters.
    upsert = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET "
        + ", ".join(f"{total} = {table}.{total} + excluded.{total}" for total in totals)
    )
    update = (
        f"UPDATE {table} SET "  # noqa: S608
        + ", ".join(f"{total} = {total} + %s" for total in totals)
        + " WHERE "
        + " AND ".join(f"{column} = %s" for column in key_columns)
    )
    with connection.cursor() as cursor:
        if gains:
            cursor.executemany(upsert, gains)
        if losses:
            cursor.executemany(update, [(*row[len(keys) :], *row[: len(keys)]) for row in losses])
