"""The one entry object over a store: engine, sessions, lock. Opened once per process."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planner.store import location as loc
from planner.store import migrations
from planner.store.backup import timestamped_backup
from planner.store.engine import make_engine
from planner.store.errors import NotAPlannerStore, StoreUnavailable
from planner.store.lock import StoreLock


class Store:
    def __init__(self, location: loc.StoreLocation, engine: Engine, lock: StoreLock | None) -> None:
        self.location = location
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short session and one transaction: commit on success, roll back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
        if self._lock:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    target: str | os.PathLike[str],
    *,
    lock: bool = True,
    migrate: bool = True,
    backup_dir: Path | None = None,
) -> Store:
    """Open (creating if needed) and migrate a store. Raises StoreUnavailable with a user reason."""
    location = loc.resolve(target)
    store_lock = None
    if location.path is not None:
        loc.check_file(location.path)
        if lock:
            store_lock = StoreLock(location.path)
            store_lock.acquire()
    try:
        engine = make_engine(location)
        try:
            current, head = migrations.pending(engine)
            if migrate and current != head:
                if current is not None and location.path is not None:
                    timestamped_backup(location.path, f"before-migration-{current}", backup_dir)
                migrations.upgrade(engine)
        except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise _explain(exc, location) from exc
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if store_lock:
            store_lock.release()
        raise
    return Store(location, engine, store_lock)


def _explain(exc: Exception, location: loc.StoreLocation) -> StoreUnavailable:
    text = str(getattr(exc, "orig", exc)).lower()
    where = location.describe()
    if "not a database" in text or "malformed" in text:
        return NotAPlannerStore(f"{where} is damaged or not a planner store ({text}).")
    if "readonly" in text or "read-only" in text:
        return StoreUnavailable(f"{where} is read-only; the planner needs to write to it.")
    if "unable to open" in text:
        return StoreUnavailable(f"Cannot open {where} (check the path and permissions).")
    if "locked" in text or "busy" in text:
        return StoreUnavailable(f"{where} is busy in another program; try again.")
    return StoreUnavailable(f"Cannot use {where}: {text}.")
