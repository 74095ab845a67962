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
    folder = folder or default_backup_dir(store_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_file(store_path, folder / f"{store_path.stem}-{stamp}-{reason}.db")
