"""Copies of a live SQLite store through SQLite's online backup API (never a plain file copy)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from planner.store.errors import StoreDamaged
from planner.store.leftovers import (
    BACKUP_TEMP_PREFIX,
    TEMP_SUFFIX,
    remove_stale_backup_temps,
    writer_tag,
)
from planner.store.location import low_on_space


def backup_file(source: Path, destination: Path) -> Path:
    """Write a consistent copy of `source` to `destination` atomically (temp file, then rename).

    `destination` is the old file or the complete new one whatever happens; a failed write is an
    OSError naming `destination` (ENOSPC when the disk is full) and leaves no temp file behind.
    Temp files of killed backups in the same folder are removed first.
    """
    with _StagedCopy(destination) as tmp:
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute(
                    "PRAGMA journal_mode=DELETE"
                )  # a self-contained file, no -wal beside it
            finally:
                dst.close()
        finally:
            src.close()
    return destination


def copy_file(source: Path, destination: Path) -> Path:
    """A byte copy with the same all-or-nothing promise as backup_file (for damaged stores,
    which SQLite cannot copy page by page)."""
    with _StagedCopy(destination) as tmp:
        shutil.copyfile(source, tmp)
        with tmp.open("r+b") as handle:
            os.fsync(handle.fileno())
    return destination


class _StagedCopy:
    """A temp file beside `destination`, renamed over it on success, removed on any failure."""

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        folder = self.destination.parent
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_backup_temps(folder)
        fd, name = tempfile.mkstemp(
            prefix=f"{BACKUP_TEMP_PREFIX}{writer_tag()}-", suffix=TEMP_SUFFIX, dir=folder
        )
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, kind, exc, _tb) -> bool:  # type: ignore[no-untyped-def]
        assert self.tmp is not None
        if exc is None:
            try:
                os.replace(self.tmp, self.destination)
            except BaseException as error:
                self.tmp.unlink(missing_ok=True)
                if isinstance(error, OSError):
                    raise self._naming_destination(error) from error
                raise
            return False
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise self._naming_destination(exc) from exc
        if isinstance(exc, sqlite3.Error) and (failure := _write_failure(exc, self.destination)):
            raise failure from exc
        return False

    def _naming_destination(self, error: OSError) -> OSError:
        """The same error about the file the user asked for, not the hidden temporary one."""
        return OSError(error.errno, error.strerror or str(error), str(self.destination))


def _write_failure(exc: sqlite3.Error, destination: Path) -> Exception | None:
    """sqlite3 errors while copying, as the OSError of the file that could not be written."""
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text:
        return StoreDamaged(f"The store could not be copied: it is damaged ({exc}).")
    if "is full" in text or low_on_space(destination):
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))
    if "disk i/o" in text or "readonly" in text:
        return OSError(errno.EIO, f"{os.strerror(errno.EIO)} ({exc})", str(destination))
    return None


def default_backup_dir(store_path: Path) -> Path:
    return store_path.parent / "backups"


def timestamped_backup(store_path: Path, reason: str, folder: Path | None = None) -> Path:
    """A backup named `<store>-<YYYYmmdd-HHMMSS>-<reason>.db`; "auto" ones are thinned over time."""
    folder = folder or default_backup_dir(store_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]
    return backup_file(store_path, folder / f"{store_path.stem}-{stamp}-{reason}.db")


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, newest first (by modification time)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.db") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def check_file(path: Path) -> str | None:
    """None when `path` is a sound SQLite file with a planner schema; otherwise the reason."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return f"{path.name} is not an SQLite database"
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            result = [row[0] for row in con.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                return f"{path.name} is damaged ({'; '.join(result[:3])})"
            tables = {
                row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not {"alembic_version", "cmo"} <= tables:
                return f"{path.name} is not a planner store"
        finally:
            con.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        return f"{path.name} cannot be read ({exc})"
    return None


def newest_good_backup(store_path: Path, folder: Path | None = None) -> Path | None:
    for candidate in list_backups(folder or default_backup_dir(store_path)):
        if check_file(candidate) is None:
            return candidate
    return None


def restore_into(backup: Path, store_path: Path) -> None:
    """Replace the store's content with the backup's, through SQLite so the -wal stays consistent."""
    src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(store_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def thin(
    backups: list[Path], now: datetime, daily: int = 12, weekly: int = 10, monthly: int = 9
) -> list[Path]:
    """The backups to delete so that one per day (last `daily` days), per ISO week and per month
    remain. Backups taken for a reason (before a migration, import or restore) are never thinned."""
    automatic = [p for p in backups if p.stem.endswith("-auto")]
    keep: set[Path] = set()
    for count, bucket in (
        (daily, lambda d: d.date()),
        (weekly, lambda d: d.isocalendar()[:2]),
        (monthly, lambda d: (d.year, d.month)),
    ):
        seen: list[object] = []
        for path in sorted(automatic, key=lambda p: p.stat().st_mtime, reverse=True):
            key = bucket(datetime.fromtimestamp(path.stat().st_mtime))
            if key not in seen:
                seen.append(key)
                if len(seen) <= count:
                    keep.add(path)
    return [p for p in automatic if p not in keep]
