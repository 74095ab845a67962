import json
import os
import socket
import subprocess
import sys

import pytest

from planner.store.errors import StoreLocked
from planner.store.lock import StoreLock
from planner.store.store import open_store


def test_second_open_is_told_who_holds_the_store(store, store_path) -> None:
    with pytest.raises(StoreLocked) as info:
        open_store(store_path)
    assert str(os.getpid()) in str(info.value)
    assert socket.gethostname() in str(info.value)


def test_lock_is_released_on_close(store_path) -> None:
    open_store(store_path).close()
    assert not (store_path.parent / "planner.db.lock").exists()
    open_store(store_path).close()


def test_stale_lock_of_a_dead_process_is_taken_over(store_path) -> None:
    store_path.parent.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    lock = store_path.parent / "planner.db.lock"
    lock.write_text(
        json.dumps(
            {
                "user": "ghost",
                "host": socket.gethostname(),
                "pid": int(dead.stdout),
                "since": "2026-01-01T00:00:00",
            }
        )
    )
    with open_store(store_path):
        assert json.loads(lock.read_text())["pid"] == os.getpid()


def test_half_written_lock_is_taken_over(store_path) -> None:
    store_path.parent.mkdir(parents=True)
    (store_path.parent / "planner.db.lock").write_text('{"user": ')
    open_store(store_path).close()


def test_lock_held_on_another_host_is_respected(store_path) -> None:
    store_path.parent.mkdir(parents=True)
    (store_path.parent / "planner.db.lock").write_text(
        json.dumps(
            {"user": "maria", "host": "other-laptop", "pid": 1, "since": "2026-11-24T09:00:00"}
        )
    )
    with pytest.raises(StoreLocked, match="maria on other-laptop"):
        open_store(store_path)


def test_failed_open_releases_the_lock(tmp_path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(Exception):  # noqa: B017 - the reason is tested in test_location
        open_store(path)
    assert StoreLock(path).holder() is None
