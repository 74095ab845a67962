import os
import sqlite3
from datetime import datetime, timedelta

import pytest

from planner.domain.cmo import CMO
from planner.services.cmos import CmoService
from planner.store import backup as backups
from planner.store.errors import StoreDamaged
from planner.store.restore import BadBackup, restore_store
from planner.store.store import open_store


def cmo_count(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM cmo").fetchone()[0]
    finally:
        con.close()


def test_backup_of_a_live_store_holds_committed_data(store, tmp_path) -> None:
    CmoService(store).create(CMO(name="In WAL only", country="DE"))
    assert os.path.getsize(str(store.location.path) + "-wal") > 0  # not yet checkpointed
    out = store.backup(out=tmp_path / "copy.db")
    assert cmo_count(out) == 1
    assert backups.check_file(out) is None
    assert not os.path.exists(str(out) + "-wal")


def test_auto_backup_only_when_changed_and_thinned(store) -> None:
    assert store.auto_backup() is None
    CmoService(store).create(CMO(name="A"))
    first = store.auto_backup()
    assert first is not None and first.name.endswith("-auto.db")
    assert store.auto_backup() is None


def test_thinning_keeps_one_per_day_week_and_month(tmp_path) -> None:
    now = datetime(2026, 11, 25, 12, 0)
    paths = []
    for hours in range(0, 24 * 400, 12):  # two a day for 400 days
        p = tmp_path / f"s-{hours}-auto.db"
        p.write_bytes(b"")
        t = (now - timedelta(hours=hours)).timestamp()
        os.utime(p, (t, t))
        paths.append(p)
    reasoned = tmp_path / "s-x-before-import.db"
    reasoned.write_bytes(b"")
    doomed = backups.thin([*paths, reasoned], now)
    kept = set(paths) - set(doomed)
    assert reasoned not in doomed
    assert 12 <= len(kept) <= 12 + 10 + 9
    assert max(kept, key=lambda p: p.stat().st_mtime) == paths[0]  # the newest is always kept


def corrupt(path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(4096, min(len(data), 4096 * 6)):  # scribble over the first table pages
        data[i] = 0xAB
    path.write_bytes(bytes(data))


def test_damaged_store_is_refused_naming_the_newest_good_backup(store_path) -> None:
    with open_store(store_path) as s:
        CmoService(s).create(CMO(name="Keep me"))
        good = s.backup("manual")
    corrupt(store_path)
    with pytest.raises(StoreDamaged) as info:
        open_store(store_path)
    assert info.value.good_backup == good
    assert str(good) in str(info.value)


def test_restore_replaces_a_damaged_store_and_keeps_the_evidence(store_path) -> None:
    with open_store(store_path) as s:
        CmoService(s).create(CMO(name="Keep me"))
        good = s.backup("manual")
    corrupt(store_path)
    kept = restore_store(store_path, good)
    assert kept is not None and kept.name.endswith("-damaged.db")
    with open_store(store_path) as s:
        assert [r.name for r in CmoService(s).list_rows()] == ["Keep me"]


def test_restore_refuses_a_file_that_is_not_a_backup(store_path, tmp_path) -> None:
    open_store(store_path).close()
    junk = tmp_path / "junk.db"
    junk.write_text("nope")
    with pytest.raises(BadBackup, match="not an SQLite database"):
        restore_store(store_path, junk)


def test_full_check_passes_on_a_sound_store(demo_store) -> None:
    assert demo_store.integrity_problems(full=True) == []
