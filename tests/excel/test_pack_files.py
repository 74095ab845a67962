from pathlib import Path

import pytest

from planner.excel import pack_files
from planner.excel.pack_files import stage_bytes, stage_with


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_commit_replaces_and_finish_drops_the_old_copy(tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    target.write_bytes(b"old")
    staged = stage_bytes(target, b"new")
    assert target.read_bytes() == b"old" and len(leftovers(tmp_path)) == 1
    staged.commit()
    assert target.read_bytes() == b"new"
    staged.finish()
    assert leftovers(tmp_path) == []


def test_rollback_after_commit_puts_the_old_file_back(tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    target.write_bytes(b"old")
    staged = stage_bytes(target, b"new")
    staged.commit()
    staged.rollback()
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_rollback_after_commit_removes_a_file_that_was_not_there(tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    staged = stage_bytes(target, b"new")
    staged.commit()
    staged.rollback()
    assert list(tmp_path.iterdir()) == []


def test_a_write_failing_half_way_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "pack.xlsx"
    target.write_bytes(b"old")

    def half_then_fail(handle, data: bytes) -> None:
        handle.write(data[: len(data) // 2])
        raise OSError("No space left on device")

    monkeypatch.setattr(pack_files, "_write", half_then_fail)
    with pytest.raises(OSError, match="No space"):
        stage_bytes(target, b"x" * 100_000)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_a_writer_that_writes_nothing_fails(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="nothing was written"):
        stage_with(tmp_path / "pack.pdf", lambda path: None)
    assert list(tmp_path.iterdir()) == []


def test_the_sha256_is_of_the_staged_bytes(tmp_path: Path) -> None:
    staged = stage_bytes(tmp_path / "a.xlsx", b"abc")
    assert staged.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    staged.rollback()


def test_leftovers_of_a_killed_export_are_removed_by_the_next(tmp_path) -> None:
    import subprocess
    import sys

    from planner.excel.pack_files import remove_stale_siblings, stage_bytes
    from planner.store.leftovers import writer_tag

    target = tmp_path / "pack.xlsx"
    target.write_bytes(b"old")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    host = writer_tag().split("-")[0]
    stale = [
        tmp_path / f".pack.xlsx.{host}-{dead}-abcd1234.tmp",
        tmp_path / f".pack.xlsx.{host}-{dead}-abcd1234.old",
    ]
    live = tmp_path / f".pack.xlsx.{writer_tag()}-ffff0000.tmp"
    for p in (*stale, live):
        p.write_bytes(b"x")
    staged = stage_bytes(target, b"new")
    assert not any(p.exists() for p in stale)
    assert live.exists()  # a writer still running (this process) is never touched
    staged.rollback()
    assert target.read_bytes() == b"old"
    assert remove_stale_siblings(target) == []
