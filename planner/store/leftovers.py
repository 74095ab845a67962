"""Files a killed process leaves behind (SIGKILL, power loss, a full disk at the wrong moment).

Every temporary file the store writes carries its writer's tag (<host hash>-<pid>), so a later
process can tell a dead writer's leftovers from a file a live process is still writing: the
first are removed at the next open or backup, the second are never touched.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import zlib
from pathlib import Path

from planner.store.processes import pid_alive

BACKUP_TEMP_PREFIX = ".backup-"
TEMP_SUFFIX = ".tmp"
# Writers on other machines (a shared folder) cannot be seen; no backup takes a day.
FOREIGN_TEMP_MAX_AGE_S = 24 * 3600


def writer_tag() -> str:
    return f"{_host_hash()}-{os.getpid()}"


def restoring_path(store_path: Path) -> Path:
    """Where a restore stages the backup before swapping it in (only while holding the lock)."""
    return store_path.with_name(f".{store_path.name}.restoring")


def lock_temp_path(lock_path: Path, kind: str) -> Path:
    return lock_path.with_name(f".{lock_path.name}.{writer_tag()}-{kind}{TEMP_SUFFIX}")


def remove_stale_backup_temps(folder: Path) -> list[Path]:
    """`.backup-<tag>-*.tmp` files whose writer is gone."""
    return _remove_stale(folder, BACKUP_TEMP_PREFIX)


def remove_leftovers(store_path: Path, backup_folder: Path, holding_lock: bool) -> list[Path]:
    removed = remove_stale_backup_temps(store_path.parent)
    removed += remove_stale_backup_temps(backup_folder)
    removed += _remove_stale(store_path.parent, f".{store_path.name}.lock.")
    staged = restoring_path(store_path)
    if holding_lock and staged.exists():  # a restore runs only under the lock: this one died
        with contextlib.suppress(OSError):
            staged.unlink()
            removed.append(staged)
    return removed


def _remove_stale(folder: Path, prefix: str) -> list[Path]:
    try:
        candidates = [p for p in folder.glob(f"{prefix}*{TEMP_SUFFIX}") if p.is_file()]
    except OSError:
        return []
    removed = []
    for path in candidates:
        if _is_stale(path, path.name[len(prefix) : -len(TEMP_SUFFIX)]):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _is_stale(path: Path, rest: str) -> bool:
    host, _, after = rest.partition("-")
    pid = after.split("-", 1)[0]
    if host == _host_hash() and pid.isdigit():
        return not pid_alive(int(pid))
    try:  # another machine's, or named by an older version: judge by age
        return time.time() - path.stat().st_mtime > FOREIGN_TEMP_MAX_AGE_S
    except OSError:
        return False


def _host_hash() -> str:
    return f"{zlib.crc32(socket.gethostname().encode()):08x}"


def written_by_a_dead_process(path: Path, tag_and_rest: str) -> bool:
    """`tag_and_rest` starts with a writer_tag(): true when that writer can no longer finish."""
    return _is_stale(path, tag_and_rest)
