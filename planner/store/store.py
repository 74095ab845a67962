"""The one entry object over a store: engine, sessions, lock. Opened once per process."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from planner.store import backup as backups
from planner.store import location as loc
from planner.store import migrations
from planner.store.backup import timestamped_backup
from planner.store.engine import make_engine
from planner.store.errors import BackupNotPossible, StoreUnavailable
from planner.store.failure_reasons import one_line, reason_for
from planner.store.integrity import check_before_use
from planner.store.leftovers import remove_leftovers
from planner.store.lock import StoreLock


class Store:
    def __init__(
        self,
        location: loc.StoreLocation,
        engine: Engine,
        lock: StoreLock | None,
        backup_dir: Path | None = None,
    ) -> None:
        self.location = location
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.backup_dir = backup_dir
        self.changed_since_backup = False
        event.listen(self._sessions, "after_commit", self._mark_changed)

    def _mark_changed(self, _session: Session) -> None:
        self.changed_since_backup = True

    @property
    def can_back_up(self) -> bool:
        return self.location.path is not None

    def backup(self, reason: str = "manual", out: Path | None = None) -> Path:
        """A consistent copy via SQLite's online backup; server stores are backed up by the server."""
        if self.location.path is None:
            raise BackupNotPossible(
                "This store lives on a database server; back it up with the server's own tools "
                "(for PostgreSQL: pg_dump). The planner does not copy server stores."
            )
        if out is not None:
            path = backups.backup_file(self.location.path, out)
        else:
            path = timestamped_backup(self.location.path, reason, self.backup_dir)
        self.changed_since_backup = False
        return path

    def auto_backup(self) -> Path | None:
        """Back up only when something changed since the last backup, then thin old automatic ones."""
        if not self.changed_since_backup or self.location.path is None:
            return None
        path = self.backup("auto")
        folder = self.backup_dir or backups.default_backup_dir(self.location.path)
        for old in backups.thin(backups.list_backups(folder), datetime.now()):
            old.unlink(missing_ok=True)
        return path

    def integrity_problems(self, full: bool = True) -> list[str]:
        """[] when sound. `full` runs integrity_check (also checks indexes); else quick_check."""
        if not self.location.is_sqlite:
            return []
        pragma = "integrity_check" if full else "quick_check"
        try:
            with self.engine.connect() as conn:
                result = [one_line(row[0]) for row in conn.execute(text(f"PRAGMA {pragma}"))]
                fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
        except (DatabaseError, sqlite3.DatabaseError) as exc:  # too damaged to finish the check
            return [one_line(str(getattr(exc, "orig", exc)))]
        problems = [] if result == ["ok"] else result
        problems += [f"row {r[1]} of {r[0]} points to a missing {r[2]}" for r in fk]
        return problems

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One short session and one transaction: commit on success, roll back on any error.
        A failure of the store itself (disk full, damage found) arrives as StoreUnavailable."""
        with self._failures_explained(writing=True):
            with self._sessions() as session, session.begin():
                yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._failures_explained(writing=False):
            with self._sessions() as session:
                yield session

    @contextmanager
    def _failures_explained(self, writing: bool) -> Iterator[None]:
        try:
            yield
        except (DatabaseError, sqlite3.DatabaseError, json.JSONDecodeError) as exc:
            reason = reason_for(exc, self.location, self.backup_dir, writing=writing)
            if reason is None:
                raise
            raise reason from exc

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
            try:
                store_lock.acquire()
            except OSError as exc:
                raise StoreUnavailable(_lock_failure(location.path, exc)) from exc
    try:
        if location.path is not None:
            loc.check_writable(location.path)
            folder = backup_dir or backups.default_backup_dir(location.path)
            remove_leftovers(location.path, folder, holding_lock=store_lock is not None)
            check_before_use(location.path, backup_dir)
        engine = _engine_or_reason(location)
        try:
            current, head = migrations.pending(engine)
            if migrate and current != head:
                if current is not None and location.path is not None:
                    _backup_before_migration(location.path, current, backup_dir)
                migrations.upgrade(engine)
        except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
            engine.dispose()
            raise _explain(exc, location, backup_dir) from exc
        except BaseException:
            engine.dispose()
            raise
    except BaseException:
        if store_lock:
            store_lock.release()
        raise
    return Store(location, engine, store_lock, backup_dir)


def _engine_or_reason(location: loc.StoreLocation) -> Engine:
    try:
        return make_engine(location)
    except ImportError as exc:
        raise StoreUnavailable(
            f"The database driver for {location.url.get_backend_name()} is not installed "
            f"({exc.name}); install the planner with its 'postgres' extra."
        ) from exc
    except Exception as exc:  # ArgumentError and friends: the URL cannot be used as given
        raise StoreUnavailable(f"Cannot use {location.describe()}: {exc}.") from exc


def _backup_before_migration(path: Path, current: str, backup_dir: Path | None) -> None:
    try:
        timestamped_backup(path, f"before-migration-{current}", backup_dir)
    except OSError as exc:
        raise StoreUnavailable(
            f"Could not back up {path} before upgrading it ({exc.strerror or exc}); "
            "nothing was changed."
        ) from exc


def _lock_failure(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"Cannot write the lock file beside {path}: the disk is full."
    return (
        f"Cannot write the lock file beside {path} ({exc.strerror or exc}); "
        "the folder must be writable."
    )


def _explain(
    exc: Exception, location: loc.StoreLocation, backup_dir: Path | None = None
) -> StoreUnavailable:
    reason = reason_for(exc, location, backup_dir, writing=False)
    detail = one_line(str(getattr(exc, "orig", exc)))
    return reason or StoreUnavailable(f"Cannot use {location.describe()}: {detail}.")
