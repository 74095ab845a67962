"""Put a backup back in place of a store — also when the store itself is too damaged to open."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from planner.store import backup as backups
from planner.store import location as loc
from planner.store.errors import BackupNotPossible, StoreUnavailable
from planner.store.leftovers import restoring_path
from planner.store.lock import StoreLock


class BadBackup(ValueError):
    """The file offered as a backup is not one we can restore (exit 2)."""


def restore_store(
    target: str | os.PathLike[str], backup: Path, backup_dir: Path | None = None
) -> Path | None:
    """Validate `backup`, keep a copy of the current store, then swap the backup in atomically.

    Returns the copy kept of the replaced store (None when there was no store yet).
    """
    location = loc.resolve(target)
    if location.path is None:
        raise BackupNotPossible("Server stores are restored with the server's own tools.")
    problem = backups.check_file(backup)
    if problem:
        raise BadBackup(f"Not restored: {problem}.")
    store_path = location.path
    if not store_path.exists():
        loc.check_file(store_path)  # creates the folder, or says why it cannot
    lock = StoreLock(store_path)
    lock.acquire()
    try:
        folder = backup_dir or backups.default_backup_dir(store_path)
        kept: Path | None = None
        if store_path.exists() and store_path.stat().st_size > 0:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
            if backups.check_file(store_path) is None:
                kept = backups.timestamped_backup(store_path, "before-restore", folder)
                _checkpoint(store_path)
            else:
                # Damaged: SQLite cannot copy it page by page, and nothing writes it while we
                # hold the lock, so a byte copy keeps the evidence.
                kept = backups.copy_file(
                    store_path, folder / f"{store_path.stem}-{stamp}-damaged.db"
                )
        staged = backups.backup_file(backup, restoring_path(store_path))
        for suffix in ("-wal", "-shm"):  # belong to the replaced file; stale for the new one
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, store_path)
    except OSError as exc:
        raise StoreUnavailable(
            f"Could not write {exc.filename or store_path}: {exc.strerror or exc}; "
            "the store was not changed."
        ) from exc
    finally:
        lock.release()
    return kept


def _checkpoint(store_path: Path) -> None:
    """Move everything the -wal holds into the store file, so that deleting the -wal before the
    swap loses nothing even if the process dies between the two."""
    try:
        con = sqlite3.connect(store_path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error:
        pass  # a copy was just kept; the swap goes ahead either way
