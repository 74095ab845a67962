"""Who may use a store: one process at a time (the second is told who holds it), a dead
process's lock taken over, and a store file this user may not write refused with a reason."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from planner.store.lock import StoreLock
from tests.reliability.conftest import copy_store
from tests.reliability.planner_process import (
    PYTHON_ENV,
    ROOT,
    Watched,
    one_line_reason,
    planner_argv,
    run_planner,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL and a pseudo-terminal")


def _lock_pid(db: Path) -> int | None:
    info = StoreLock(db).holder()
    return int(info["pid"]) if info else None


@posix_only
def test_second_instance_exits_3_naming_the_holder(demo_template, supplier_sheet, tmp_path):
    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    with Watched(planner_argv(db, "import-suppliers", str(supplier_sheet))) as first:
        assert first.wait_until(lambda: _lock_pid(db) == first.pid, 120)
        os.kill(first.pid, signal.SIGSTOP)  # it holds the store for as long as we need
        try:
            second = run_planner(db, "list", "cmos")
        finally:
            os.kill(first.pid, signal.SIGCONT)
        assert first.finish() == 0
    assert second.returncode == 3
    reason = one_line_reason(second)
    assert "in use by" in reason and f"process {first.pid}" in reason
    assert socket.gethostname() in reason
    assert not StoreLock(db).path.exists()


@posix_only
def test_lock_of_a_killed_process_is_taken_over(demo_template, supplier_sheet, tmp_path):
    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    with Watched(planner_argv(db, "import-suppliers", str(supplier_sheet))) as holder:
        assert holder.wait_for(b"Reading", 120) is not None
        assert holder.kill()
    assert _lock_pid(db) == holder.pid  # SIGKILL: no chance to clean up
    result = run_planner(db, "list", "cmos", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 46
    assert not StoreLock(db).path.exists()


_CONTENDER = """
import sys
from pathlib import Path
from planner.store.errors import StoreLocked
from planner.store.lock import StoreLock

lock = StoreLock(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # "go": all contenders are started and waiting
try:
    lock.acquire()
except StoreLocked:
    print("refused", flush=True)
else:
    print("holds", flush=True)
    sys.stdin.readline()  # "done": every contender has answered
    lock.release()
"""


@pytest.mark.slow
@pytest.mark.parametrize("left_behind", ["nothing", "dead-process", "empty-file"])
def test_processes_starting_together_never_share_the_lock(tmp_path, left_behind) -> None:
    """Six processes try the lock at the same moment, five rounds: exactly one holds it."""
    db = tmp_path / "planner.db"
    for round_ in range(5):
        lock_file = StoreLock(db).path
        if left_behind == "dead-process":
            dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                                  capture_output=True, text=True, check=True)  # fmt: skip
            lock_file.write_text(
                json.dumps({"user": "ghost", "host": socket.gethostname(),
                            "pid": int(dead.stdout), "since": "2026-01-01T00:00:00"})
            )  # fmt: skip
        elif left_behind == "empty-file":
            lock_file.write_bytes(b"")
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _CONTENDER, str(db)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env=PYTHON_ENV,
            )  # fmt: skip
            for _ in range(6)
        ]
        assert [p.stdout.readline().strip() for p in procs] == ["ready"] * 6  # type: ignore[union-attr]
        for p in procs:
            p.stdin.write("go\n")  # type: ignore[union-attr]
            p.stdin.flush()  # type: ignore[union-attr]
        answers = sorted(p.stdout.readline().strip() for p in procs)  # type: ignore[union-attr]
        for p in procs:
            p.communicate("done\n", timeout=60)
        assert answers == ["holds"] + ["refused"] * 5, f"round {round_}: {answers}"
        assert not lock_file.exists()
        assert list(tmp_path.glob(".planner.db.lock.*")) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root to switch to an unprivileged user",
)
def test_read_only_store_file_in_a_writable_folder_is_refused(demo_template) -> None:
    top = Path(tempfile.mkdtemp(prefix="planner-ro-file-"))  # pytest's tmp is private to root
    try:
        folder = top / "shared"
        folder.mkdir()
        db = copy_store(demo_template, folder / "planner.db")
        db.chmod(0o444)
        folder.chmod(0o777)
        top.chmod(0o755)
        before = db.read_bytes()
        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
             *planner_argv(db, "list", "cmos")],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
            env={**PYTHON_ENV, "HOME": str(top)},
        )  # fmt: skip
        assert result.returncode == 3, result.stderr
        reason = one_line_reason(result)
        assert "read-only" in reason and str(db) in reason
        assert db.read_bytes() == before
        assert sorted(p.name for p in folder.iterdir()) == ["planner.db"]
    finally:
        shutil.rmtree(top, ignore_errors=True)
