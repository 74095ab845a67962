"""Shared material for the reliability tests: a 10k-row supplier sheet, store copies, a small
disk, and a look at a store after something went wrong."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.store.backup import backup_file
from planner.store.store import open_store

SUPPLIER_ROWS = 10_000
HEADERS = ["Company Name", "Country", "City", "FEI Number", "Capabilities", "Contact Email"]
_COUNTRIES = ["Germany", "USA", "India", "CH", "Ireland", "JPN"]


def write_supplier_sheet(path: Path, rows: int) -> Path:
    """`rows` distinct suppliers, none matching the demo portfolio (FEIs 49xxxxxxxx)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Suppliers")
    sheet.append(HEADERS)
    for i in range(rows):
        sheet.append(
            [
                f"Reliability Test Supplier {i:05d} GmbH",
                _COUNTRIES[i % len(_COUNTRIES)],
                f"City {i % 97}",
                str(4_900_000_000 + i),
                "API; Oral solids" if i % 2 else "Sterile fill-finish",
                f"qa{i}@supplier{i % 50}.example",
            ]
        )
    book.save(path)
    return path


@pytest.fixture(scope="session")
def supplier_sheet(tmp_path_factory) -> Path:
    return write_supplier_sheet(
        tmp_path_factory.mktemp("sheets") / "suppliers-10k.xlsx", SUPPLIER_ROWS
    )


def copy_store(template: Path, destination: Path) -> Path:
    """A fresh store file (no -wal, no lock) with the template's content."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
    return backup_file(template, destination)


@dataclass(frozen=True)
class StoreState:
    cmos: int
    batches: int
    batch_items: int
    problems: tuple[str, ...]
    leftovers: tuple[str, ...]  # temporary files a killed process left that survived the open


def store_state(path: Path) -> StoreState:
    """Open the store the way the planner does (recovering the -wal, taking over a dead
    process's lock, removing its temporary files) and count what it holds."""
    with open_store(path) as store:
        problems = tuple(store.integrity_problems(full=True))
    con = sqlite3.connect(path)
    try:
        cmos, batches, items = (
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cmo", "import_batch", "import_batch_item")
        )
    finally:
        con.close()
    return StoreState(cmos, batches, items, problems, tuple(temporary_files(path.parent)))


def temporary_files(folder: Path) -> list[str]:
    """Hidden temporary files the store writes (backups, lock, restore), in `folder` and its
    backups/ subfolder."""
    found = []
    for place in (folder, folder / "backups"):
        if place.is_dir():
            found += [
                p.name
                for p in place.iterdir()
                if p.name.startswith(".") and (p.suffix == ".tmp" or p.name.endswith(".restoring"))
            ]
    return sorted(found)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 2 MB tmpfs: a disk that really fills up. Skipped where mounting is not permitted (the
    monkeypatched ENOSPC tests cover the same paths everywhere)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill_disk(folder: Path, leave_bytes: int) -> None:
    """Fill the file system of `folder` until about `leave_bytes` remain free."""
    free = shutil.disk_usage(folder).free
    with (folder / "filler").open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave_bytes))


@pytest.fixture(scope="session")
def large_store(tmp_path_factory, demo_template: Path, supplier_sheet: Path) -> Path:
    """The demo portfolio plus the 10k suppliers with long notes: about 50 MB, so that copying
    it takes long enough for a kill to land in the middle."""
    from planner.services.import_suppliers import run_import

    path = copy_store(demo_template, tmp_path_factory.mktemp("large") / "planner.db")
    with open_store(path) as store:
        run_import(store, supplier_sheet)
    con = sqlite3.connect(path)
    try:
        con.execute("UPDATE cmo SET notes = hex(randomblob(2000))")
        con.commit()
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def thousand_store(tmp_path_factory, demo_template: Path) -> Path:
    """The demo portfolio plus 1,000 imported suppliers (under 1 MB)."""
    from planner.services.import_suppliers import run_import

    folder = tmp_path_factory.mktemp("thousand")
    sheet = write_supplier_sheet(folder / "suppliers-1k.xlsx", 1000)
    path = copy_store(demo_template, folder / "planner.db")
    with open_store(path) as store:
        run_import(store, sheet)
    return path
