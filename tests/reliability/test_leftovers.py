"""What a killed process leaves behind is cleaned at the next open or backup; what a live
process is still writing is never touched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from planner.store import leftovers
from planner.store.backup import backup_file
from planner.store.store import open_store
from tests.reliability.conftest import copy_store


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def _tag(pid: int, host: str | None = None) -> str:
    return f"{host or leftovers.writer_tag().split('-')[0]}-{pid}"


def _touch(path: Path, age_s: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a backup")
    if age_s:
        then = time.time() - age_s
        os.utime(path, (then, then))
    return path


def test_open_removes_what_killed_processes_left(demo_template, tmp_path) -> None:
    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    backups = db.parent / "backups"
    dead, alive = _dead_pid(), os.getpid()
    gone = [
        _touch(db.parent / f".backup-{_tag(dead)}-x1y2.tmp"),
        _touch(backups / f".backup-{_tag(dead)}-a1b2.tmp"),
        _touch(db.parent / f".planner.db.lock.{_tag(dead)}-new.tmp"),
        _touch(db.parent / ".planner.db.restoring"),
        _touch(backups / f".backup-{_tag(4242, 'ffffffff')}-old1.tmp", age_s=2 * 86400),
        _touch(backups / ".backup-olderversion.tmp", age_s=2 * 86400),
    ]
    kept = [
        _touch(backups / f".backup-{_tag(alive)}-live.tmp"),  # a backup still being written
        _touch(backups / f".backup-{_tag(4242, 'ffffffff')}-recent.tmp"),  # another machine's
        _touch(backups / "planner-20260101-000000-000-manual.db"),  # a real backup
    ]
    with open_store(db):
        pass
    assert [p for p in gone if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_backup_removes_dead_temporary_files_in_its_folder(demo_template, tmp_path) -> None:
    out = tmp_path / "out"
    stale = _touch(out / f".backup-{_tag(_dead_pid())}-k1ll.tmp")
    live = _touch(out / f".backup-{_tag(os.getpid())}-l1ve.tmp")
    backup_file(demo_template, out / "copy.db")
    assert not stale.exists() and live.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["copy.db", live.name])


def test_backup_temporary_files_carry_their_writer(demo_template, tmp_path, monkeypatch) -> None:
    seen: list[str] = []
    real = os.replace

    def watch(src, dst):  # type: ignore[no-untyped-def]
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    backup_file(demo_template, tmp_path / "copy.db")
    assert seen and seen[0].startswith(f".backup-{leftovers.writer_tag()}-")
