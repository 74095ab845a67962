"""SIGKILL during `planner import-suppliers` of 10,000 rows: the store holds all of the import or
none of it, every time, and passes the full integrity check.

Each run starts `python -m planner --db X import-suppliers FILE` and kills it at a point chosen
at random: after a random delay from its first "Saving suppliers" progress line (printed inside
the import's transaction, once rows are being written); the moment the -wal file starts to
grow (the commit writing its pages: a torn commit); after the commit (checkpoint and exit); or
anywhere from the start (opening, lock, backup, reading). A kill counts as landing mid-import
when the process was still running, had printed "Saving suppliers", and the store afterwards
holds none of the import: the transaction had begun but not committed. The killed store is
reused for the next run until an import completes, which also takes over the dead process's
lock and removes its temporary files again and again.
"""

from __future__ import annotations

import os
import random
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from tests.reliability.conftest import SUPPLIER_ROWS, StoreState, copy_store, store_state
from tests.reliability.planner_process import Watched, planner_argv

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL and a pseudo-terminal"),
]

MID_IMPORT_KILLS_REQUIRED = 20
MAX_RUNS = 90  # a safety stop; about 30 runs are needed on 2 idle cores
WORKERS = 2
SAVING = b"Saving suppliers"


@dataclass
class Tally:
    runs: int = 0
    landed: int = 0
    mid_import: int = 0
    wal_had_uncommitted_frames: int = 0
    outcomes: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enough(self) -> bool:
        return self.mid_import >= MID_IMPORT_KILLS_REQUIRED + 2 or self.runs >= MAX_RUNS


@dataclass(frozen=True)
class Timing:
    """From one uninterrupted import, in seconds after the first 'Saving' line: about when the
    transaction commits, and when the process ends; and the whole run."""

    writing: float
    to_exit: float
    total: float


def _calibrate(template: Path, folder: Path, sheet: Path) -> tuple[Timing, StoreState]:
    db = copy_store(template, folder / "planner.db")
    with Watched(planner_argv(db, "import-suppliers", str(sheet))) as proc:
        first = proc.wait_for(SAVING, 180)
        saved = proc.wait_for(b"100% " + SAVING, 180)
        assert first is not None and saved is not None, proc.output[-500:]
        assert proc.finish() == 0, proc.output[-500:]
        total = time.monotonic() - proc.started
    # After the last 'Saving' line come the batch items, the change log and the commit.
    return Timing(saved - first + 0.1, total - first, total), store_state(db)


def _delay(rng: random.Random, timing: Timing) -> tuple[str, float]:
    """Where to kill: mostly inside the transaction; a third of those while the commit is
    writing its pages to the -wal (SQLite keeps them in memory until then, so that window is
    only milliseconds long and is aimed at by watching the -wal grow); some after the commit;
    some anywhere from the start."""
    roll = rng.random()
    if roll < 0.45:
        return "saving", rng.uniform(0, timing.writing * 1.1)
    if roll < 0.72:
        return "wal", rng.uniform(0, 0.006)
    if roll < 0.86:
        return "saving", rng.uniform(timing.writing, timing.to_exit)
    return "start", rng.uniform(0, timing.total)


def _worker(
    index: int,
    template: Path,
    folder: Path,
    sheet: Path,
    timing: Timing,
    before: StoreState,
    after: StoreState,
    tally: Tally,
) -> None:
    try:
        _runs(index, template, folder, sheet, timing, before, after, tally)
    except BaseException:  # a damaged store raises on open: that is a failure to report
        with tally.lock:
            tally.failures.append(f"worker {index}: {traceback.format_exc()}")


def _runs(
    index: int,
    template: Path,
    folder: Path,
    sheet: Path,
    timing: Timing,
    before: StoreState,
    after: StoreState,
    tally: Tally,
) -> None:
    rng = random.Random(1000 + index)
    db = copy_store(template, folder / f"worker-{index}" / "planner.db")
    while not tally.enough():
        anchor, delay = _delay(rng, timing)
        landed, wal, saw_saving = _kill_one_import(db, sheet, anchor, delay)
        state = store_state(db)
        outcome = (
            "none" if state.cmos == before.cmos else "all" if state.cmos == after.cmos else "part"
        )
        with tally.lock:
            tally.runs += 1
            tally.landed += landed
            tally.outcomes[outcome] += 1
            if landed and saw_saving and outcome == "none":
                tally.mid_import += 1
                tally.wal_had_uncommitted_frames += wal > 32
            problem = _problem(state, outcome, before, after)
            if problem:
                tally.failures.append(f"run {tally.runs} ({anchor} +{delay:.2f}s): {problem}")
        if outcome != "none":  # start again from the template so the next import writes rows
            db = copy_store(template, db)


def _kill_one_import(db: Path, sheet: Path, anchor: str, delay: float) -> tuple[bool, int, bool]:
    """(whether the kill landed, -wal size when it did, whether 'Saving' had been printed)."""
    wal_size = partial(_size, Path(f"{db}-wal"))
    with Watched(planner_argv(db, "import-suppliers", str(sheet))) as proc:
        if anchor == "start":
            delay = max(0.0, delay - (time.monotonic() - proc.started))
        elif anchor == "saving":
            proc.wait_for(SAVING, 180)
        else:  # a -wal header is 32 bytes; frames follow once the commit writes its pages
            proc.wait_until(lambda: SAVING in proc.output and wal_size() > 32, 180)
        proc.sleep(delay)
        wal = wal_size()
        return proc.kill(), wal, SAVING in proc.output


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _problem(state: StoreState, outcome: str, before: StoreState, after: StoreState) -> str:
    if state.problems:
        return f"integrity check failed: {state.problems[:3]}"
    if outcome == "part":
        return f"partial import: {state.cmos} CMOs"
    expected = before if outcome == "none" else after
    if (state.batches, state.batch_items) != (expected.batches, expected.batch_items):
        return (
            f"{state.cmos} CMOs but {state.batches} batches / {state.batch_items} batch items "
            f"(expected {expected.batches} / {expected.batch_items})"
        )
    if state.leftovers:
        return f"temporary files left after the next open: {state.leftovers}"
    return ""


def test_killed_import_leaves_all_or_nothing(demo_template, supplier_sheet, tmp_path) -> None:
    started = time.monotonic()
    before = store_state(copy_store(demo_template, tmp_path / "before" / "planner.db"))
    timing, after = _calibrate(demo_template, tmp_path / "calibration", supplier_sheet)
    assert after.cmos == before.cmos + SUPPLIER_ROWS
    assert (after.batches, after.batch_items) == (before.batches + 1, SUPPLIER_ROWS)
    assert after.problems == ()

    tally = Tally()
    workers = [
        threading.Thread(
            target=_worker,
            args=(i, demo_template, tmp_path, supplier_sheet, timing, before, after, tally),
        )
        for i in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    print(
        f"\nkill during import: {tally.runs} runs, {tally.landed} kills landed, "
        f"{tally.mid_import} mid-import ({tally.wal_had_uncommitted_frames} of them while the "
        f"commit was writing to the -wal), outcomes {dict(tally.outcomes)}, "
        f"calibration {timing.total:.1f} s per import, {time.monotonic() - started:.0f} s in all"
    )
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.mid_import >= MID_IMPORT_KILLS_REQUIRED, tally
    assert tally.outcomes["part"] == 0
