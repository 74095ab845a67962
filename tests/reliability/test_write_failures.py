"""A write that fails (disk full, I/O error) on each write path: import, backup, restore and pack
export each report "could not write" in one line, leave the store as it was and leave no
partial file behind.

The failures are injected where they really happen: SQLite's own "database or disk is full"
(by capping the database with PRAGMA max_page_count, so the real error comes from the real
write), and OSError(ENOSPC) from the file writes and renames. test_full_disk.py does the same
on a disk that really fills up.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from planner.cli import main
from planner.store import backup as backup_module
from planner.store import restore as restore_module
from planner.store import store as store_module
from planner.store.errors import StoreUnavailable, StoreWriteFailed
from planner.store.restore import restore_store
from planner.store.store import open_store
from tests.reliability.conftest import copy_store, store_state, temporary_files

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
_real_connect = sqlite3.connect


def _cap_growth(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Let the store grow by 20 pages at most: SQLite then fails the write as on a full disk."""
    pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
    dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 20}")


def _capped_engines(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = store_module.make_engine

    def make_engine(location):  # type: ignore[no-untyped-def]
        engine = real(location)
        event.listen(engine, "connect", _cap_growth)
        return engine

    monkeypatch.setattr(store_module, "make_engine", make_engine)


def _full_temp_files(monkeypatch, folder: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Backup temp files (*.tmp; only those in `folder` when given) fill up after 5 pages, as
    on a full disk; the store itself is not affected."""

    def connect(database, *args, **kwargs):  # type: ignore[no-untyped-def]
        con = _real_connect(database, *args, **kwargs)
        path = Path(str(database))
        if path.suffix == ".tmp" and (folder is None or path.parent == folder):
            con.execute("PRAGMA max_page_count = 5")
        return con

    monkeypatch.setattr(sqlite3, "connect", connect)


class _OsWith:
    """The os module with some functions replaced, for one module only (os.replace is used by
    every module; patching it in `os` itself would fail them all)."""

    def __init__(self, **overrides) -> None:  # type: ignore[no-untyped-def]
        self.__dict__.update(overrides)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(os, name)


@pytest.fixture
def demo_copy(demo_template, tmp_path) -> Path:
    return copy_store(demo_template, tmp_path / "store" / "planner.db")


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# --- import -------------------------------------------------------------------------------


def test_import_on_a_full_disk_writes_nothing(demo_copy, supplier_sheet, monkeypatch) -> None:
    from planner.services.import_suppliers import run_import

    before = store_state(demo_copy)
    _capped_engines(monkeypatch)
    with open_store(demo_copy) as store, pytest.raises(StoreWriteFailed) as info:
        run_import(store, supplier_sheet)
    assert "Could not write" in str(info.value) and "disk is full" in str(info.value)
    monkeypatch.undo()
    assert store_state(demo_copy) == before


def test_cli_import_on_a_full_disk_says_so_in_one_line(
    demo_copy, supplier_sheet, monkeypatch, capsys
) -> None:
    before = store_state(demo_copy)
    _capped_engines(monkeypatch)
    assert main(["--db", str(demo_copy), "import-suppliers", str(supplier_sheet)]) == 3
    line = _one_line(capsys.readouterr().err)
    assert "Could not write" in line and "disk is full" in line and "Nothing" in line
    monkeypatch.undo()
    assert store_state(demo_copy) == before


def test_import_whose_backup_cannot_be_written_imports_nothing(
    demo_copy, supplier_sheet, monkeypatch, capsys
) -> None:
    before = store_state(demo_copy)
    _full_temp_files(monkeypatch)
    assert main(["--db", str(demo_copy), "import-suppliers", str(supplier_sheet)]) != 0
    assert "No space left on device" in _one_line(capsys.readouterr().err)
    monkeypatch.undo()
    assert store_state(demo_copy) == before


# --- backup -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["sqlite-copy", "rename"])
def test_backup_on_a_full_disk_leaves_no_file(demo_copy, tmp_path, monkeypatch, capsys, where):
    target = tmp_path / "out" / "copy.db"
    if where == "rename":
        monkeypatch.setattr(backup_module, "os", _OsWith(replace=_raise(ENOSPC)))
    else:
        _full_temp_files(monkeypatch)
    assert main(["--db", str(demo_copy), "backup", "--out", str(target)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "could not read or write" in line and "No space left on device" in line
    assert str(target) in line
    assert list(target.parent.iterdir()) == []
    monkeypatch.undo()
    assert store_state(demo_copy).problems == ()


def test_backup_that_fails_keeps_the_old_backup(demo_copy, tmp_path, monkeypatch) -> None:
    target = tmp_path / "copy.db"
    with open_store(demo_copy) as store:
        store.backup(out=target)
    old = target.read_bytes()
    _full_temp_files(monkeypatch)
    with open_store(demo_copy) as store, pytest.raises(OSError) as info:
        store.backup(out=target)
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(target)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []


# --- restore ------------------------------------------------------------------------------


@pytest.fixture
def backup_and_changed_store(demo_copy, tmp_path) -> tuple[Path, Path]:
    """A backup of the demo store, then the store with one CMO fewer."""
    from planner.services.cmos import CmoService

    good = tmp_path / "good.db"
    with open_store(demo_copy) as store:
        store.backup(out=good)
        service = CmoService(store)
        service.delete(service.list_rows()[0].id)
    return good, demo_copy


@pytest.mark.parametrize("where", ["staging", "swap"])
def test_restore_on_a_full_disk_leaves_the_store_as_it_was(
    backup_and_changed_store, monkeypatch, capsys, where
) -> None:
    good, db = backup_and_changed_store
    before = store_state(db)
    if where == "swap":
        monkeypatch.setattr(restore_module, "os", _OsWith(replace=_raise(ENOSPC)))
    else:
        _full_temp_files(monkeypatch, folder=db.parent)
    with pytest.raises(StoreUnavailable) as info:
        restore_store(db, good)
    assert "Could not write" in str(info.value) and "not changed" in str(info.value)
    assert main(["--db", str(db), "restore", str(good)]) == 3
    assert "Could not write" in _one_line(capsys.readouterr().err)
    monkeypatch.undo()
    after = store_state(db)
    assert (after.cmos, after.problems, after.leftovers) == (before.cmos, (), ())
    assert temporary_files(db.parent) == []


# --- pack export --------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["write", "rename"])
def test_pack_export_on_a_full_disk_leaves_no_file(demo_copy, tmp_path, monkeypatch, where):
    packs = pytest.importorskip("planner.services.packs")
    pack_files = pytest.importorskip("planner.excel.pack_files")
    from tests.reliability.test_kill_export import exportable_pair

    out = tmp_path / "packs" / "pack.xlsx"
    out.parent.mkdir()
    with open_store(demo_copy) as store:
        engagement_id, cmo_id = exportable_pair(store)
        registered = _pack_count(demo_copy)
        if where == "write":

            def half_then_full(handle, data):  # type: ignore[no-untyped-def]
                handle.write(data[: len(data) // 2])
                raise ENOSPC

            monkeypatch.setattr(pack_files, "_write", half_then_full)
        else:
            monkeypatch.setattr(pack_files, "os", _OsWith(replace=_raise(ENOSPC)))
        with pytest.raises(OSError) as info:
            packs.export_pack(store, engagement_id, cmo_id, out)
        monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert list(out.parent.iterdir()) == []
    assert _pack_count(demo_copy) == registered


def _pack_count(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM pack").fetchone()[0]
    finally:
        con.close()


def _raise(error: OSError):  # type: ignore[no-untyped-def]
    """A stand-in for os.replace & co that fails as they do, naming the files involved."""

    def fail(*args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError(error.errno, error.strerror, *(str(a) for a in args[:1]), None, *args[1:2])

    return fail
