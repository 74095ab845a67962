import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_demo_then_list_cmos_json(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "list", "cmos", "--json"]) == 0
    cmos = json.loads(capsys.readouterr().out)
    assert len(cmos) >= 40
    assert len({c["country"] for c in cmos}) >= 10
    for c in cmos:
        assert set(c) >= {
            "id",
            "name",
            "country",
            "city",
            "fei_number",
            "duns_number",
            "capabilities",
        }
        assert isinstance(c["capabilities"], list)
        assert c["country"] is None or (len(c["country"]) == 2 and c["country"].isupper())


def test_demo_twice_changes_nothing(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    main(["--db", db, "demo"])
    capsys.readouterr()
    main(["--db", db, "list", "engagements", "--json"])
    first = capsys.readouterr().out
    assert main(["--db", db, "demo"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    main(["--db", db, "list", "engagements", "--json"])
    assert capsys.readouterr().out == first


def test_list_engagements_json_fields(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    main(["--db", db, "demo"])
    capsys.readouterr()
    main(["--db", db, "list", "engagements", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) >= 5
    assert len({r["stage"] for r in rows}) == 4
    assert len({r["relationship_type"] for r in rows}) == 3
    for r in rows:
        assert set(r) >= {"id", "title", "stage", "relationship_type", "cmo", "candidates"}
        assert r["cmo"] is None or r["cmo"] in r["candidates"]


def test_search_filters_both_lists(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    main(["--db", db, "demo"])
    capsys.readouterr()
    main(["--db", db, "list", "cmos", "--search", "sterile", "--json"])
    sterile = json.loads(capsys.readouterr().out)
    assert sterile and all(
        "Sterile fill-finish" in c["capabilities"] or "sterile" in c["name"].lower()
        for c in sterile
    )
    main(["--db", db, "list", "cmos", "--search", "zzzz-no-such-thing"])
    assert "(0 shown)" in capsys.readouterr().out


def test_plain_table_output(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    main(["--db", db, "demo"])
    capsys.readouterr()
    main(["--db", db, "list", "engagements"])
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["ID", "Title"]


def test_planner_db_environment_variable(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "env.db"))
    assert main(["list", "cmos", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert (tmp_path / "env.db").exists()


def _folder(p: Path) -> Path:
    p.mkdir()
    return p


def _text_file(p: Path) -> Path:
    p.write_text("not a database")
    return p


def _below_a_file(p: Path) -> Path:
    p.write_text("a file where a folder should be")
    return p / "sub" / "x.db"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_folder, "is a folder"),
        (_text_file, "not an SQLite database"),
        (_below_a_file, "Cannot create the folder"),
    ],
)
def test_bad_db_exits_3_with_one_line(tmp_path, make, reason) -> None:
    target = make(tmp_path / "target")
    result = run_cli("--db", str(target), "list", "cmos")
    assert result.returncode == 3
    assert reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_second_instance_is_told_who_holds_the_store(store, store_path) -> None:
    result = run_cli("--db", str(store_path), "list", "cmos")
    assert result.returncode == 3
    assert "in use by" in result.stderr and str(os.getpid()) in result.stderr


def test_version_and_help() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("planner ")
    assert "demo" in run_cli("--help").stdout


def test_backup_check_and_restore(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    main(["--db", db, "demo"])
    assert main(["--db", db, "backup", "--out", str(tmp_path / "b.db")]) == 0
    assert main(["--db", db, "check"]) == 0
    assert "integrity check passed" in capsys.readouterr().out
    from planner.services.cmos import CmoService
    from planner.store.store import open_store

    with open_store(db) as s:
        service = CmoService(s)
        service.delete(service.list_rows()[0].id)
        assert service.count() == 45
    assert main(["--db", db, "restore", str(tmp_path / "b.db")]) == 0
    with open_store(db) as s:
        assert CmoService(s).count() == 46
    junk = tmp_path / "junk.db"
    junk.write_text("x")
    assert main(["--db", db, "restore", str(junk)]) == 2


def test_server_store_backup_is_refused_with_a_reason(capsys) -> None:
    assert main(["--db", "postgresql://u@127.0.0.1:9/x", "backup"]) == 2
    assert "server's own tools" in capsys.readouterr().err


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(),
    reason="needs root to switch to an unprivileged user",
)
def test_read_only_store_run_as_a_non_root_user_is_refused_with_a_reason() -> None:
    import shutil
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="planner-ro-"))  # pytest's own tmp is private to root
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "planner.db"
    assert main(["--db", str(db), "list", "cmos"]) == 0
    db.chmod(0o444)
    folder.chmod(0o555)
    tmp_path.chmod(0o755)
    before = db.read_bytes()
    result = subprocess.run(
        [
            "/usr/bin/setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            sys.executable,
            "-m",
            "planner",
            "--db",
            str(db),
            "list",
            "cmos",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    try:
        assert result.returncode == 3, result.stderr
        assert "must be writable" in result.stderr and "Traceback" not in result.stderr
        assert db.read_bytes() == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(tmp_path)


def test_device_and_unwritable_places_exit_3(tmp_path) -> None:
    for target in ("/dev/null", "/proc/planner-test.db"):
        result = run_cli("--db", target, "list", "cmos")
        assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
