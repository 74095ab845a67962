"""The same promises on a disk that really fills up: a 2 MB tmpfs (skipped where it cannot be
mounted; test_write_failures.py injects the same errors everywhere)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from planner.store.backup import check_file
from tests.reliability.conftest import copy_store, fill_disk, store_state, temporary_files
from tests.reliability.planner_process import one_line_reason, run_planner


def test_import_onto_a_full_disk(demo_template, supplier_sheet, small_disk) -> None:
    db = copy_store(demo_template, small_disk / "planner.db")
    before = store_state(db)
    result = run_planner(db, "import-suppliers", str(supplier_sheet))
    assert result.returncode == 3, result.stderr
    reason = one_line_reason(result)
    assert "Could not write" in reason and "disk is full" in reason
    after = store_state(db)
    assert (after.cmos, after.batches, after.problems) == (before.cmos, before.batches, ())
    assert temporary_files(small_disk) == []


def test_backup_onto_a_full_disk(demo_template, small_disk, tmp_path) -> None:
    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    fill_disk(small_disk, leave_bytes=64 * 1024)
    target = small_disk / "copy.db"
    result = run_planner(db, "backup", "--out", str(target))
    assert result.returncode == 2, result.stderr
    reason = one_line_reason(result)
    assert "No space left on device" in reason and str(target) in reason
    assert not target.exists()
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    assert store_state(db).problems == ()


def test_restore_onto_a_full_disk(demo_template, small_disk, tmp_path) -> None:
    good = copy_store(demo_template, tmp_path / "good.db")
    db = copy_store(demo_template, small_disk / "planner.db")
    con = sqlite3.connect(db)
    con.execute("DELETE FROM contact")
    con.commit()
    con.close()
    before = store_state(db)
    fill_disk(small_disk, leave_bytes=96 * 1024)
    result = run_planner(db, "restore", str(good))
    assert result.returncode == 3, result.stderr
    reason = one_line_reason(result)
    assert "Could not write" in reason and "not changed" in reason
    (small_disk / "filler").unlink()
    after = store_state(db)
    assert (after.cmos, after.problems, after.leftovers) == (before.cmos, (), ())
    assert [p.name for p in (small_disk / "backups").glob(".*")] == []


def test_pack_export_onto_a_full_disk(demo_template, small_disk, tmp_path) -> None:
    packs = pytest.importorskip("planner.services.packs")
    from planner.store.store import open_store
    from tests.reliability.test_kill_export import exportable_pair

    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    fill_disk(small_disk, leave_bytes=4 * 1024)
    out = small_disk / "pack.xlsx"
    with open_store(db) as store:
        engagement_id, cmo_id = exportable_pair(store)
        with pytest.raises(OSError) as info:
            packs.export_pack(store, engagement_id, cmo_id, out)
    assert info.value.errno == errno.ENOSPC
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM pack").fetchone()[0] == 0
    finally:
        con.close()


def test_a_store_on_a_full_disk_still_backs_up_elsewhere(demo_template, small_disk, tmp_path):
    db = copy_store(demo_template, small_disk / "planner.db")
    fill_disk(small_disk, leave_bytes=64 * 1024)
    result = run_planner(db, "backup", "--out", str(tmp_path / "rescue.db"))
    assert result.returncode == 0, result.stderr
    assert check_file(Path(tmp_path / "rescue.db")) is None


def test_cli_pack_export_onto_a_full_disk(demo_template, small_disk, tmp_path) -> None:
    pytest.importorskip("planner.cli_packs")
    from planner.store.store import open_store
    from tests.reliability.test_kill_export import exportable_pair

    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    with open_store(db) as store:
        engagement_id, cmo_id = exportable_pair(store)
    fill_disk(small_disk, leave_bytes=4 * 1024)
    out = small_disk / "pack.xlsx"
    result = run_planner(
        db, "export-pack", str(engagement_id), "--cmo", str(cmo_id), "--out", str(out)
    )
    assert result.returncode == 2, result.stderr
    assert "No space left on device" in one_line_reason(result)
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
