"""SIGKILL during `planner backup --out F`: F is absent or the old file or a complete, valid
backup; the store is untouched; the temporary file a killed backup leaves is removed by the
next backup (and by the next open of the store, for the store's own folders)."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from planner.store.backup import check_file
from tests.reliability.conftest import copy_store, store_state
from tests.reliability.planner_process import Watched, planner_argv, run_planner

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL and a pseudo-terminal"),
]

RUNS = 14
MID_BACKUP_KILLS_REQUIRED = 6


def _temps(folder: Path, pid: int | str = "*") -> list[Path]:
    """Temporary backup files; of one process when `pid` is given (the name carries it)."""
    return sorted(folder.glob(f".backup-*-{pid}-*.tmp"))


def test_killed_backup_leaves_no_half_file(large_store, tmp_path) -> None:
    started = time.monotonic()
    db = copy_store(large_store, tmp_path / "store" / "planner.db")
    before = store_state(db)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "copy.db"

    # One uninterrupted backup: how long the copy itself takes.
    with Watched(planner_argv(db, "backup", "--out", str(target))) as proc:
        assert proc.wait_until(lambda: _temps(out_dir, proc.pid), 120)
        copy_started = time.monotonic()
        assert proc.wait_until(target.exists, 120)
        copying = time.monotonic() - copy_started
        assert proc.finish() == 0
    assert check_file(target) is None
    old_bytes = target.read_bytes()

    rng = random.Random(7)
    mid_backup = left_behind = 0
    for run in range(RUNS):
        if run % 2:
            target.unlink(missing_ok=True)
        had_old = target.exists()
        with Watched(planner_argv(db, "backup", "--out", str(target))) as proc:
            assert proc.wait_until(lambda: _temps(out_dir, proc.pid), 120), proc.output[-300:]
            proc.sleep(rng.uniform(0, copying * 1.15))
            writing = bool(_temps(out_dir, proc.pid)) and proc.proc.poll() is None
            landed = proc.kill()
        if target.exists():
            if target.read_bytes() != old_bytes:
                assert check_file(target) is None, f"run {run}: a half-written backup in place"
                old_bytes = target.read_bytes()
        else:
            assert not had_old, f"run {run}: the old backup vanished"
        if landed and writing and (target.exists() == had_old):
            mid_backup += 1
        left_behind += len(_temps(out_dir))
        state = store_state(db)
        assert (state.cmos, state.problems) == (before.cmos, ()), f"run {run}: store changed"

    # The next backup into that folder removes the dead processes' temporary files.
    result = run_planner(db, "backup", "--out", str(target))
    assert result.returncode == 0, result.stderr
    assert _temps(out_dir) == []
    assert check_file(target) is None
    print(
        f"\nkill during backup: {RUNS} runs, {mid_backup} killed while copying "
        f"({copying:.2f} s per copy of {db.stat().st_size / 1e6:.0f} MB), "
        f"{left_behind} temporary files left by kills and removed by the next backup, "
        f"{time.monotonic() - started:.0f} s in all"
    )
    assert mid_backup >= MID_BACKUP_KILLS_REQUIRED
