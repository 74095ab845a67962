"""One writer per store: a lock file beside it that names its holder.

A lock left by a process that no longer runs on this machine is stale and is taken over.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

from planner.store.errors import StoreLocked


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


class StoreLock:
    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".lock")
        self._held = False

    def holder(self) -> dict | None:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _is_stale(self, info: dict | None) -> bool:
        if info is None:  # unreadable or half-written lock: its writer died while writing
            return True
        if info.get("host") != socket.gethostname():
            return False  # cannot see processes on another machine; trust the lock
        pid = int(info.get("pid", 0))
        return not _pid_alive(pid)

    def acquire(self) -> None:
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                info = self.holder()
                if not self._is_stale(info):
                    raise StoreLocked(describe_holder(info or {})) from None
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(_me(), fh)
            self._held = True
            return
        raise StoreLocked(describe_holder(self.holder() or {}))

    def release(self) -> None:
        if not self._held:
            return
        info = self.holder()
        if info and info.get("pid") == os.getpid() and info.get("host") == socket.gethostname():
            self.path.unlink(missing_ok=True)
        self._held = False
