"""Corrupt, truncated and foreign files as the store: refused with a one-line reason (CLI exit 3),
never used silently, and never changed by the attempt to open them."""

from __future__ import annotations

import hashlib
import io
import random
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.cli import main
from planner.store.errors import NotAPlannerStore, StoreDamaged, StoreUnavailable
from planner.store.store import open_store
from tests.reliability.conftest import copy_store
from tests.reliability.planner_process import one_line_reason, run_planner


def _digest(*paths: Path) -> list[str | None]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths]


def _wal_left_by_a_crash(db: Path, statements: list[str]) -> bytes:
    """The -wal a process leaves when it dies after committing `statements` (before any
    checkpoint): written with checkpoints off and copied while the connection is still open."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")
    for statement in statements:
        con.execute(statement)
    con.commit()
    wal = Path(f"{db}-wal").read_bytes()
    con.close()
    return wal


# --- how each kind of damage is made --------------------------------------------------------


def truncated(db: Path, _other: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def scribbled_pages(db: Path, _other: Path) -> None:
    data = bytearray(db.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = bytes(random.Random(3).randbytes(8192))
    db.write_bytes(bytes(data))


def header_then_garbage(db: Path, _other: Path) -> None:
    db.write_bytes(b"SQLite format 3\x00" + bytes(random.Random(5).randbytes(20_000)))


def zip_file(db: Path, _other: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a store")
    db.write_bytes(buffer.getvalue())


def pdf_file(db: Path, _other: Path) -> None:
    db.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")


def text_file(db: Path, _other: Path) -> None:
    db.write_text("name,country\nAcme,DE\n", encoding="utf-8")


def other_program_database(db: Path, _other: Path) -> None:
    db.unlink()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    con.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    con.commit()
    con.close()


def wal_of_another_store(db: Path, other: Path) -> None:
    """A -wal from a different planner store put beside this one (a store copied by hand)."""
    wal = _wal_left_by_a_crash(other, ["UPDATE cmo SET notes = 'changed in the other store'"])
    Path(f"{db}-wal").write_bytes(wal)


def wal_of_another_program(db: Path, other: Path) -> None:
    foreign = other.with_name("foreign.db")
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x BLOB)")
    con.execute("INSERT INTO t VALUES (randomblob(3000))")
    con.commit()
    con.close()
    wal = _wal_left_by_a_crash(foreign, ["INSERT INTO t SELECT randomblob(3000) FROM t"] * 3)
    Path(f"{db}-wal").write_bytes(wal)


DAMAGE: list[tuple[Callable[[Path, Path], None], type[StoreUnavailable], str]] = [
    (truncated, StoreDamaged, "is damaged"),
    (scribbled_pages, StoreDamaged, "is damaged"),
    (header_then_garbage, StoreDamaged, "is damaged"),
    (zip_file, NotAPlannerStore, "not an SQLite database"),
    (pdf_file, NotAPlannerStore, "not an SQLite database"),
    (text_file, NotAPlannerStore, "not an SQLite database"),
    (other_program_database, NotAPlannerStore, "another program"),
    (wal_of_another_store, StoreDamaged, "does not belong to it"),
    (wal_of_another_program, StoreDamaged, "does not belong to it"),
]


@pytest.fixture
def damaged(request, thousand_store, demo_template, tmp_path) -> tuple[Path, type, str]:
    make, expected, words = request.param
    db = copy_store(thousand_store, tmp_path / "store" / "planner.db")
    other = copy_store(demo_template, tmp_path / "other" / "planner.db")
    make(db, other)
    return db, expected, words


@pytest.mark.parametrize("damaged", DAMAGE, ids=[d[0].__name__ for d in DAMAGE], indirect=True)
def test_damaged_store_is_refused_and_left_as_it_was(damaged, capsys) -> None:
    db, expected, words = damaged
    wal = Path(f"{db}-wal")
    before = _digest(db, wal)
    with pytest.raises(expected) as info:
        open_store(db)
    message = str(info.value)
    assert words in message and "\n" not in message
    assert _digest(db, wal) == before, "opening it changed the file"
    assert not db.with_name("planner.db.lock").exists()
    assert main(["--db", str(db), "list", "cmos"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err
    assert _digest(db, wal) == before


def test_damage_names_the_newest_good_backup(thousand_store, tmp_path) -> None:
    db = copy_store(thousand_store, tmp_path / "store" / "planner.db")
    with open_store(db) as store:
        good = store.backup("manual")
    scribbled_pages(db, db)
    with pytest.raises(StoreDamaged) as info:
        open_store(db)
    assert info.value.good_backup == good and str(good) in str(info.value)


@pytest.mark.parametrize(
    "make", [truncated, zip_file, wal_of_another_store], ids=lambda f: f.__name__
)
def test_the_real_command_exits_3_with_one_line(make, thousand_store, demo_template, tmp_path):
    db = copy_store(thousand_store, tmp_path / "store" / "planner.db")
    make(db, copy_store(demo_template, tmp_path / "other" / "planner.db"))
    result = run_planner(db, "list", "cmos")
    assert result.returncode == 3
    assert one_line_reason(result).startswith("planner: ")


@pytest.mark.slow
def test_random_byte_flips_are_refused_or_harmless(thousand_store, tmp_path, capsys) -> None:
    """Flip 1, 8 or 64 random bits in one 4 KB stretch of the middle of the file, 60 times.

    Structural damage must be refused when the store is opened. Flips inside a stored value
    (a letter of a name) are invisible to SQLite, which keeps no checksums: such a store opens
    and passes the full check; a value that no longer decodes is refused when it is read. In
    no case may a command end with anything but exit 0 or a one-line exit 3.
    """
    size = thousand_store.stat().st_size
    outcomes: Counter[str] = Counter()
    for seed in range(60):
        rng = random.Random(seed)
        db = copy_store(thousand_store, tmp_path / f"flip-{seed}" / "planner.db")
        data = bytearray(db.read_bytes())
        start = rng.randrange(size // 4, 3 * size // 4)
        for _ in range(rng.choice([1, 8, 64])):
            data[start + rng.randrange(4096)] ^= 1 << rng.randrange(8)
        db.write_bytes(bytes(data))
        flipped = _digest(db)
        try:
            with open_store(db) as store:
                assert store.integrity_problems(full=True) == [], f"seed {seed}: opened damaged"
        except StoreDamaged as exc:
            assert "\n" not in str(exc) and _digest(db) == flipped
            outcomes["refused at open"] += 1
            continue
        code = main(["--db", str(db), "list", "cmos", "--json"])
        err = capsys.readouterr().err
        assert code in (0, 3) and err.count("\n") == (code == 3), f"seed {seed}: {err}"
        outcomes["refused when read" if code else "unnoticed (a value changed)"] += 1
    print(f"\nrandom byte flips: {dict(outcomes)}")
    assert outcomes["refused at open"] >= 30


@pytest.mark.parametrize(
    ("column", "value"),
    [("name", "CAST(x'52656c69ff61' AS TEXT)"), ("capabilities", '\'["API", "Oral\'')],
    ids=["text-not-utf8", "json-cut-short"],
)
def test_a_value_that_no_longer_reads_is_refused_when_read(
    thousand_store, tmp_path, capsys, column, value
) -> None:
    """Damage inside one value passes every check SQLite has; reading it must still end in a
    one-line refusal, not a traceback."""
    db = copy_store(thousand_store, tmp_path / "store" / "planner.db")
    con = sqlite3.connect(db)
    con.execute(f"UPDATE cmo SET {column} = {value} WHERE id = (SELECT min(id) FROM cmo)")
    con.commit()
    con.close()
    assert main(["--db", str(db), "list", "cmos", "--json"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is damaged" in err, err
