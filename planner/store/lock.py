"""One writer per store: a lock file beside it that names its holder.

A lock left by a process that no longer runs on this machine is stale and is taken over.

Two processes starting at the same moment must never both believe they hold the lock, so:
- the lock file appears complete or not at all (written aside, then hard-linked into place,
  which fails when a lock exists); an empty or half-written lock can then only come from
  outside, and counts as stale;
- a stale lock is taken over by moving *that* file aside (atomic), and only when the moved
  file is the one judged stale; a lock another process created meanwhile is put back.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from planner.store.errors import StoreLocked
from planner.store.leftovers import lock_temp_path
from planner.store.processes import pid_alive


def _me() -> dict:
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers and services
        user = "unknown user"
    return {
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": datetime.now().isoformat(timespec="seconds"),
    }


def describe_holder(info: dict) -> str:
    return (
        f"{info.get('user', '?')} on {info.get('host', '?')} "
        f"(process {info.get('pid', '?')}, since {info.get('since', '?')})"
    )


def _parse(raw: bytes | None) -> dict | None:
    if raw is None:
        return None
    try:
        info = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return info if isinstance(info, dict) else None


class StoreLock:
    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".lock")
        self._held = False

    def holder(self) -> dict | None:
        return _parse(self._raw())

    def _raw(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except OSError:
            return None

    def _is_stale(self, info: dict | None) -> bool:
        if info is None:  # unreadable or half-written: no planner writes a lock that way
            return True
        if info.get("host") != socket.gethostname():
            return False  # cannot see processes on another machine; trust the lock
        try:
            pid = int(info.get("pid", 0))
        except (TypeError, ValueError):
            return True
        return not pid_alive(pid)

    def acquire(self) -> None:
        for _attempt in range(3):
            if self._create():
                self._held = True
                return
            raw = self._raw()
            info = _parse(raw)
            if not self._is_stale(info):
                raise StoreLocked(describe_holder(info or {}))
            self._take_over(raw)
        raise StoreLocked(describe_holder(self.holder() or {}))

    def _create(self) -> bool:
        """Put a complete lock in place; False when a lock file is already there."""
        content = json.dumps(_me()).encode("utf-8")
        temp = lock_temp_path(self.path, "new")
        try:
            with temp.open("wb") as fh:
                fh.write(content)
            try:
                os.link(temp, self.path)
            except FileExistsError:
                return False
            except OSError:  # no hard links on this file system (FAT, some shares)
                return self._create_exclusive(content)
            return True
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()

    def _create_exclusive(self, content: bytes) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        return True

    def _take_over(self, judged: bytes | None) -> None:
        """Remove the lock judged stale, and only that one."""
        aside = lock_temp_path(self.path, "stale")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:  # released or taken over by someone else meanwhile
            return
        try:
            moved = aside.read_bytes()
        except OSError:
            moved = None
        if moved != judged:  # a live process created it after we looked: give it back
            try:
                os.link(aside, self.path)
            except FileExistsError:
                pass
            except OSError:
                with contextlib.suppress(OSError):
                    os.rename(aside, self.path)
        with contextlib.suppress(OSError):
            aside.unlink()

    def release(self) -> None:
        if not self._held:
            return
        info = self.holder()
        if info and info.get("pid") == os.getpid() and info.get("host") == socket.gethostname():
            self.path.unlink(missing_ok=True)
        self._held = False
