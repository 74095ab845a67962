"""SIGKILL while alignment packs are being exported: the pack file is always the old one or a
complete new workbook, never half written, and the store passes the integrity check."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.reliability.conftest import copy_store, store_state
from tests.reliability.planner_process import Watched

packs = pytest.importorskip("planner.services.packs")
if not hasattr(packs, "export_pack"):
    pytest.skip("planner.services.packs has no export_pack yet", allow_module_level=True)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL and a pseudo-terminal"),
]

RUNS = 10


def exportable_pair(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The first demo engagement whose chosen CMO may receive a pack."""
    from planner.services.engagements import EngagementService

    engagements = EngagementService(store)
    for row in engagements.list_rows():
        engagement = engagements.get(row.id)
        cmo = engagement.chosen_cmo_id
        if cmo and packs.preview_pack(store, engagement.id, cmo).can_export:
            return engagement.id, cmo
    pytest.fail("no demo engagement may receive a pack")


def _complete_workbook(path: Path) -> bool:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            if archive.testzip() is not None:
                return False
        load_workbook(path, read_only=True).close()
    except Exception:  # any failure to read it back means it is not a complete workbook
        return False
    return True


def _register(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {row[0] for row in con.execute("SELECT file_hash FROM pack")}
    finally:
        con.close()


def test_killed_export_leaves_the_old_pack_or_a_complete_new_one(demo_template, tmp_path) -> None:
    from planner.store.store import open_store

    started = time.monotonic()
    db = copy_store(demo_template, tmp_path / "store" / "planner.db")
    target = tmp_path / "packs" / "pack.xlsx"
    target.parent.mkdir()
    with open_store(db) as store:
        engagement_id, cmo_id = exportable_pair(store)
        packs.export_pack(store, engagement_id, cmo_id, target)
    argv = [sys.executable, "-m", "tests.reliability.export_driver"]
    argv += [str(db), str(engagement_id), str(cmo_id), str(target)]

    rng = random.Random(11)
    exports = unregistered = 0
    leftovers: set[str] = set()
    for run in range(RUNS):
        registered_before = len(_register(db))
        with Watched(argv) as proc:
            assert proc.wait_for(b"ready", 120) is not None, proc.output[-500:]
            proc.sleep(rng.uniform(0.05, 1.2))
            assert proc.kill(), f"run {run}: the export loop ended on its own"
            printed = proc.output.count(b"exported ")
        exports += printed
        assert _complete_workbook(target), f"run {run}: the pack file is not a complete workbook"
        registered = _register(db)
        assert printed <= len(registered) - registered_before <= printed + 1, f"run {run}"
        if hashlib.sha256(target.read_bytes()).hexdigest() not in registered:
            unregistered += 1  # killed between putting the file in place and recording it
        leftovers |= {p.name for p in target.parent.iterdir() if p.name.startswith(".")}
        assert store_state(db).problems == (), f"run {run}: integrity check failed"
    print(
        f"\nkill during export: {RUNS} kills, {exports} exports completed between them, "
        f"{unregistered} times the file in place had no register entry yet, hidden files left "
        f"beside it: {sorted(leftovers) or 'none'}, {time.monotonic() - started:.0f} s in all"
    )
