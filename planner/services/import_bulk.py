"""Bulk inserts for imports: tens of thousands of rows in one transaction, fast.

SQLAlchemy's executemany spends most of its time per row building parameter dicts and running
type processors (a JSON dump per list, a format per date). Imported columns repeat heavily (the
same capability list, country or timestamp on thousands of rows), so on SQLite we run each
column's bind processor once per distinct value and hand the driver plain tuples: about 2.5x
faster for the supplier table. Other dialects take SQLAlchemy's own batched path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Table, insert, select
from sqlalchemy.orm import Session

_CHUNK = 5_000


def insert_rows(
    session: Session,
    table: Table,
    rows: Iterable[dict[str, Any]],
    between_chunks: Callable[[int], None] | None = None,
) -> int:
    """Insert rows that all have the same keys, one for every column but an autoincrement key;
    return how many. `rows` may be a generator: it is consumed a chunk at a time, so 100k rows
    are never all in memory at once. `between_chunks(done)` runs after each chunk and may raise
    to abort (the caller's transaction then rolls back)."""
    source = iter(rows)
    first = list(islice(source, _CHUNK))
    if not first:
        return 0
    connection = session.connection()
    done = 0
    if connection.dialect.name != "sqlite":
        chunk = first
        while chunk:
            session.execute(insert(table), chunk)
            done += len(chunk)
            if between_chunks:
                between_chunks(done)
            chunk = list(islice(source, _CHUNK))
        return done
    keys = list(first[0])
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=keys)
    order = list(compiled.positiontup or keys)
    missing = sorted(set(order) - set(keys))
    if missing:  # Python-side defaults are not run on this path: rows must be complete
        raise ValueError(f"rows for {table.name} lack {', '.join(missing)}")
    getter = itemgetter(*order)
    converted = [
        (position, convert)
        for position, key in enumerate(order)
        if (convert := _converter(table, key, connection.dialect)) is not None
    ]
    chunk = first
    while chunk:
        if len(order) == 1:
            params: list[Any] = [(getter(row),) for row in chunk]
        else:
            params = [getter(row) for row in chunk]  # tuples built in C
        if converted:
            params = [_apply(values, converted) for values in params]
        connection.exec_driver_sql(compiled.string, params)
        done += len(chunk)
        if between_chunks:
            between_chunks(done)
        chunk = list(islice(source, _CHUNK))
    return done


def _apply(values: tuple, converted: list[tuple[int, Callable[[Any], Any]]]) -> tuple:
    out = list(values)
    for position, convert in converted:
        out[position] = convert(out[position])
    return tuple(out)


def insert_returning_ids(
    session: Session,
    table: Table,
    rows: Iterable[dict[str, Any]],
    marker: ColumnElement[bool],
    between_chunks: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert and return the new primary keys in the order of `rows`.

    `marker` must select exactly the rows just inserted (e.g. their import batch). On SQLite an
    INTEGER PRIMARY KEY takes max(id) + 1 per insert, so in one writing transaction the ids
    rise in insertion order; elsewhere RETURNING with sort_by_parameter_order guarantees it.
    """
    if session.connection().dialect.name != "sqlite":
        ids: list[int] = []
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        source = iter(rows)
        while chunk := list(islice(source, _CHUNK)):
            ids += session.scalars(statement, chunk).all()
            if between_chunks:
                between_chunks(len(ids))
        return ids
    count = insert_rows(session, table, rows, between_chunks)
    if not count:
        return []
    ids = list(session.scalars(select(table.c.id).where(marker).order_by(table.c.id)))
    if len(ids) != count:
        raise RuntimeError(f"inserted {count} rows but found {len(ids)}")
    return ids


def _converter(table: Table, key: str, dialect: Any) -> Callable[[Any], Any] | None:
    # The dialect's implementation holds the processor (SQLite formats dates as text itself);
    # the generic type would hand the driver raw datetimes in another text format.
    process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    cache: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            # The type is part of the key: 1, 1.0 and True are equal dict keys but not equal values.
            marker = (list, tuple(value)) if value.__class__ is list else (value.__class__, value)
            return cache[marker]
        except KeyError:
            result = cache[marker] = process(value)
            return result
        except TypeError:  # unhashable (a dict, a list of lists): nothing to reuse
            return process(value)

    return convert
