"""Copies of a live SQLite store through SQLite's online backup API (never a plain file copy)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path


def backup_file(source: Path, destination: Path) -> Path:
    """Write a consistent copy of `source` to `destination` atomically (temp file, then rename)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
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
        os.replace(tmp, destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return destination


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
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
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
