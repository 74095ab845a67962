"""Driver errors turned into one-line reasons a person can act on (StoreUnavailable and kin).

Only failures of the store itself are translated: a damaged file, a full disk, an I/O error, a
read-only or busy file. Anything else (a constraint, a bug) is left as it is.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from planner.store import backup as backups
from planner.store.errors import StoreDamaged, StoreUnavailable, StoreWriteFailed
from planner.store.location import StoreLocation, low_on_space

_UNSAVED = "Nothing of this change was saved"


def one_line(text: str) -> str:
    """SQLite's check results carry newlines and a '*** in database main ***' banner."""
    return " ".join(text.replace("*** in database main ***", " ").split())


def damaged(
    where: str, detail: str, store_path: Path | None, backup_dir: Path | None
) -> StoreDamaged:
    good = backups.newest_good_backup(store_path, backup_dir) if store_path else None
    advice = f" The newest good backup is {good}." if good else " No good backup was found."
    return StoreDamaged(one_line(f"{where} is damaged ({detail}).{advice}"), good)


def driver_error(exc: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind `exc` when it is about the file (not a constraint or a bug)."""
    orig = getattr(exc, "orig", exc)
    # Exact types: IntegrityError and ProgrammingError derive from DatabaseError but are ours.
    if type(orig) in (sqlite3.OperationalError, sqlite3.DatabaseError):
        return orig
    return None


def reason_for(
    exc: BaseException,
    location: StoreLocation,
    backup_dir: Path | None = None,
    *,
    writing: bool,
) -> StoreUnavailable | None:
    """The reason to show for `exc`, or None when it is not a failure of the store.

    `writing` is True inside a transaction (the change was rolled back), False while opening.
    """
    where = location.describe()
    if isinstance(exc, json.JSONDecodeError) and _raised_by_sqlalchemy(exc):
        return damaged(where, f"a stored value is not valid JSON: {exc}", location.path, backup_dir)
    error = driver_error(exc)
    if error is None:
        return None
    detail = one_line(str(error))
    text = detail.lower()
    if "malformed" in text or "not a database" in text or "could not decode" in text:
        return damaged(where, detail, location.path, backup_dir)
    if "is full" in text or (
        "disk i/o" in text and location.path is not None and low_on_space(location.path)
    ):
        if writing:
            return StoreWriteFailed(
                f"Could not write {where}: the disk is full. {_UNSAVED}; free some space and "
                "try again."
            )
        return StoreUnavailable(
            f"Cannot open {where}: the disk is full; free some space and try again."
        )
    if "disk i/o" in text:
        if writing:
            return StoreWriteFailed(f"Could not write {where}: disk I/O error. {_UNSAVED}.")
        return StoreUnavailable(f"Cannot use {where}: disk I/O error (is the disk failing?).")
    if "readonly" in text or "read-only" in text:
        if writing:
            return StoreWriteFailed(f"Could not write {where}: it is read-only. {_UNSAVED}.")
        return StoreUnavailable(f"{where} is read-only; the planner needs to write to it.")
    if "unable to open" in text:
        return StoreUnavailable(f"Cannot open {where} (check the path and permissions).")
    if "locked" in text or "busy" in text:
        return StoreUnavailable(f"{where} is busy in another program; try again.")
    if writing:
        return None
    return StoreUnavailable(f"Cannot use {where}: {detail}.")


def _raised_by_sqlalchemy(exc: BaseException) -> bool:
    """A JSON column whose stored text no longer parses, not JSON a service read elsewhere."""
    tb = exc.__traceback__
    while tb is not None:
        if "sqlalchemy" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False
