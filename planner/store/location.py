"""Turn the user's `--db PATH|URL` into an SQLAlchemy URL, checking what can be checked early."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from planner.store.errors import NotAPlannerStore, StoreUnavailable

SQLITE_MAGIC = b"SQLite format 3\x00"
# Below this much free room SQLite's "disk I/O error" is most likely a full disk: on some file
# systems (tmpfs, for one) a full disk fails the shared-memory file rather than a write.
LOW_SPACE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoreLocation:
    url: URL
    path: Path | None  # the SQLite file, None for server stores and in-memory ones

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def describe(self) -> str:
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)


def resolve(target: str | os.PathLike[str]) -> StoreLocation:
    text = os.fspath(target)
    if "://" in text:
        try:
            url = make_url(text)
        except Exception as exc:  # ArgumentError: a malformed URL is unusable input, say so
            raise StoreUnavailable(f"'{text}' is not a valid database URL.") from exc
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return StoreLocation(url, Path(url.database).expanduser().resolve())
        return StoreLocation(url, None)
    path = Path(text).expanduser().resolve()
    return StoreLocation(URL.create("sqlite+pysqlite", database=str(path)), path)


def check_file(path: Path) -> None:
    """Refuse a folder, a foreign file or an unwritable place before SQLite gets a chance to guess."""
    try:
        _check_file(path)
    except OSError as exc:
        raise StoreUnavailable(f"Cannot use {path}: {exc.strerror or exc}.") from exc


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise StoreUnavailable(f"{path} is a folder, not a store file.")
    if path.exists():
        if not path.is_file():
            raise StoreUnavailable(f"{path} is not a regular file.")
        if not os.access(path, os.R_OK):
            raise StoreUnavailable(f"{path} cannot be read (permission denied).")
        if path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(16) != SQLITE_MAGIC:
                    raise NotAPlannerStore(
                        f"{path} is not a planner store (not an SQLite database)."
                    )
        return
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(f"Cannot create the folder {parent}: {exc.strerror}.") from exc
    if not parent.is_dir():
        raise StoreUnavailable(f"Cannot create a store in {parent}: it is not a folder.")
    if not os.access(parent, os.W_OK):
        raise StoreUnavailable(f"Cannot create a store in {parent} (permission denied).")


def check_writable(path: Path) -> None:
    """Refuse a store file this user may read but not write, before anything is attempted."""
    if path.is_file() and not os.access(path, os.W_OK):
        raise StoreUnavailable(
            f"{path} is read-only (no permission to write it); the planner needs to write to it."
        )


def low_on_space(path: Path) -> bool:
    """True when the folder of `path` has less than LOW_SPACE_BYTES free."""
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False
