"""Bulk inserts for imports: tens of thousands of rows in one transaction, fast.

SQLAlchemy's executemany spends most of its time per row building parameter dicts and running
type processors (a JSON dump per list, a format per date). Imported columns repeat heavily (the
same capability list, country or timestamp on thousands of rows), so on SQLite we convert a
chunk column by column, running each column's bind processor once per distinct value, and hand
the driver plain tuples. For a large import SQLite also gets a bigger page cache and builds the
table's indexes once at the end instead of row by row. Other dialects take SQLAlchemy's own
batched path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Table, insert, select
from sqlalchemy.orm import Session

_CHUNK = 5_000
_PAGE_CACHE_KIB = 64 * 1024
_REBUILD_MIN_ROWS = 20_000


@contextmanager
def roomy_page_cache(session: Session) -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes a large import updates. The default
    (2 MB) holds a fraction of them once the table passes ~20k rows, and every insert then
    reloads pages of four indexes (measured: the cmo inserts take 1.5x as long). The cache
    grows only as pages are used and goes back to its size before when the block ends."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or 0)
    connection.exec_driver_sql(f"PRAGMA cache_size = {-_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {before}")


@contextmanager
def indexes_built_after(session: Session, table: Table, incoming: int) -> Iterator[None]:
    """On SQLite, when at least as many rows are coming as the table holds (and many), drop the
    table's plain indexes for the block and build them again at its end: one sorted build is
    about three times cheaper than updating four indexes row by row. The indexes are taken
    from the database itself (name and SQL as stored), so whatever the schema holds comes back
    exactly; unique indexes stay, as they guard the inserts. On an error the indexes are not
    rebuilt: the caller's transaction must roll back (Store.transaction does), which restores
    them."""
    connection = session.connection()
    indexes: list[tuple[str, str]] = []
    if connection.dialect.name == "sqlite" and incoming >= _REBUILD_MIN_ROWS:
        stored = connection.exec_driver_sql(f'SELECT count(*) FROM "{table.name}"').scalar()
        if incoming >= (stored or 0):
            indexes = [
                (name, sql)
                for name, sql in connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                    (table.name,),
                )
                if sql and sql.lstrip().upper().startswith("CREATE INDEX")
            ]
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


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
            params = list(map(getter, chunk))  # tuples built in C
        if converted:
            # Column by column: transposing and converting through a memo runs in C but for
            # the first sight of each distinct value.
            columns = list(zip(*params, strict=True))
            for position, convert in converted:
                columns[position] = convert(columns[position])
            params = list(zip(*columns, strict=True))
        connection.exec_driver_sql(compiled.string, params)
        done += len(chunk)
        if between_chunks:
            between_chunks(done)
        chunk = list(islice(source, _CHUNK))
    return done


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
    query = select(table.c.id).where(marker).order_by(table.c.id)
    ids = list(session.connection().execute(query).scalars())  # Core: no ORM loading per id
    if len(ids) != count:
        raise RuntimeError(f"inserted {count} rows but found {len(ids)}")
    return ids


def _converter(
    table: Table, key: str, dialect: Any
) -> Callable[[tuple[Any, ...]], list[Any]] | None:
    """A function from one column's values to what the driver takes for them."""
    # The dialect's implementation holds the processor (SQLite formats dates as text itself);
    # the generic type would hand the driver raw datetimes in another text format.
    process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return None
    # The type is part of the key: 1, 1.0 and True are equal dict keys but not equal values.
    # Lists (of text, in imports) are keyed by their items, in a memo of their own.
    scalars = _Memo(lambda key: process(key[1]))
    lists = _Memo(lambda key: process(list(key)))

    def convert(values: tuple[Any, ...]) -> list[Any]:
        kinds = set(map(type, values))
        try:
            if kinds == {list}:
                return list(map(lists.__getitem__, map(tuple, values)))
            if list not in kinds and dict not in kinds:
                return list(map(scalars.__getitem__, zip(map(type, values), values, strict=True)))
        except TypeError:  # unhashable inside (a list of lists): nothing to reuse
            pass
        return list(map(process, values))

    return convert


class _Memo(dict):
    """Runs `make` once per distinct key; lookups of known keys stay in C."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        result = self[key] = self.make(key)
        return result
