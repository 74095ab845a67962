"""The feature commands on the demo portfolio: criteria, timeline, disclosures, import."""

import json

import openpyxl
import pytest

from planner.cli import main


@pytest.fixture
def demo_db(demo_template, tmp_path) -> str:
    path = tmp_path / "demo.db"
    path.write_bytes(demo_template.read_bytes())
    return str(path)


def run_json(capsys, *args):
    capsys.readouterr()
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_criteria_json_has_version_status_weights_and_sign_offs(demo_db, capsys) -> None:
    code, data = run_json(capsys, "--db", demo_db, "criteria", "ORP-4021")
    assert code == 0
    assert data["status"] == "in_review" or data["status"].startswith("in")
    assert data["weights"] == {"selection": 100.0, "performance": 100.0}
    assert {s["role"] for s in data["sign_offs"]} >= {"qa", "technical"}
    code, aligned = run_json(capsys, "--db", demo_db, "criteria", "ORP-2417")
    assert aligned["status"] == "aligned"


def test_timeline_json_and_slip(demo_db, capsys) -> None:
    code, data = run_json(capsys, "--db", demo_db, "timeline", "ORP-2417")
    assert code == 0 and data["conflicts"]
    assert all("rationale" in m for m in data["milestones"])
    code, slip = run_json(
        capsys, "--db", demo_db, "timeline", "ORP-3308", "--slip", "tech-transfer", "120"
    )
    assert code == 0
    assert slip["slip_days"] == 120 and len(slip["moves"]) > 1


def test_timeline_unknown_milestone_is_bad_input(demo_db, capsys) -> None:
    assert main(["--db", demo_db, "timeline", "ORP-3308", "--slip", "no such step", "5"]) == 2
    assert "planner:" in capsys.readouterr().err


def test_disclosures_json_filters_by_cmo_and_asset(demo_db, capsys) -> None:
    code, data = run_json(capsys, "--db", demo_db, "disclosures", "--asset", "ORP-0789")
    assert code == 0 and data["decisions"]
    assert {d["level"] for d in data["decisions"]} == {0}
    code, data = run_json(
        capsys, "--db", demo_db, "disclosures", "--cmo", "Lianyun Nucleic Acid Manufacturing"
    )
    assert any(d["status"] == "blocked" for d in data["decisions"])
    assert main(["--db", demo_db, "disclosures", "--asset", "NOPE-1"]) == 2


def test_import_suppliers_json_then_undo(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    book = tmp_path / "list.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Supplier", "Country/Region", "FEI_NUMBER", "E-mail"])
    wb.active.append(["Alpine Pharma GmbH", "DEU", "0001234567", "a@alpine.example"])
    wb.active.append(["Seoul Biologics", "Korea, Republic of", "", "nope"])
    wb.save(book)
    code, data = run_json(capsys, "--db", db, "import-suppliers", str(book))
    assert code == 1  # finished, with a row problem (the email)
    assert (data["created"], data["updated"], data["skipped"]) == (2, 0, 0)
    assert data["errors"][0]["row"] == 3 and data["errors"][0]["column"] == "E-mail"
    assert data["mapping"]["Supplier"] == "name" and data["batch"]
    code, again = run_json(capsys, "--db", db, "import-suppliers", str(book))
    assert again["created"] == 0
    capsys.readouterr()
    assert main(["--db", db, "undo-import", str(again["batch"])]) == 0
    assert main(["--db", db, "undo-import", str(data["batch"])]) == 0
    code, cmos = run_json(capsys, "--db", db, "list", "cmos")
    assert cmos == []
    code, history = run_json(capsys, "--db", db, "imports")
    assert code == 0 and [h["batch"] for h in history] == [again["batch"], data["batch"]]
    assert history[1]["created"] == 2 and history[1]["problems"] == 1
    assert history[1]["file"] == "list.xlsx" and history[1]["undone_at"].endswith("+00:00")
    assert main(["--db", db, "imports"]) == 0
    table = capsys.readouterr().out
    assert "list.xlsx" in table and "undone" in table


def test_a_refused_undo_is_exit_2_and_leaves_no_backup(tmp_path, capsys) -> None:
    db = tmp_path / "p.db"
    book = tmp_path / "list.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Supplier", "Country"])
    wb.active.append(["Alpine Pharma GmbH", "DE"])
    wb.save(book)
    assert main(["--db", str(db), "import-suppliers", str(book)]) == 0
    backups = tmp_path / "backups"
    before = sorted(backups.iterdir()) if backups.exists() else []
    assert main(["--db", str(db), "undo-import", "99"]) == 2
    assert "no import with id 99" in capsys.readouterr().err
    assert (sorted(backups.iterdir()) if backups.exists() else []) == before
    assert main(["--db", str(db), "undo-import"]) == 0
    assert any("before-undo-import" in p.name for p in backups.iterdir())


def test_import_refuses_a_non_spreadsheet_with_exit_2(tmp_path, capsys) -> None:
    bad = tmp_path / "list.xlsx"
    bad.write_bytes(b"<html>nope</html>")
    assert main(["--db", str(tmp_path / "p.db"), "import-suppliers", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("planner: ") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p.db").exists()  # refused before a store was created for it


def test_an_unexpected_failure_while_reading_is_one_line_without_a_traceback(tmp_path) -> None:
    import os
    import subprocess
    import sys

    book = tmp_path / "list.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Supplier", "Country"])
    wb.active.append(["Alpine Pharma GmbH", "DE"])
    wb.save(book)
    # A real process: pytest's own log capture would hide what a user's terminal shows.
    script = (
        "import sys, planner.excel.records as r\n"
        "def broken(*a): raise RuntimeError('boom')\n"
        "r.RecordBuilder.build = broken\n"
        "from planner.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PLANNER_DEBUG"}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--db",
            str(tmp_path / "p.db"),
            "import-suppliers",
            str(book),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("planner: ") and "boom" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_bug_exits_2_not_1_which_promises_a_finished_run(tmp_path, capsys, monkeypatch) -> None:
    from planner.services.cmos import CmoService

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    monkeypatch.setattr(CmoService, "list_rows", broken)
    assert main(["--db", str(tmp_path / "p.db"), "list", "cmos"]) == 2
    err = capsys.readouterr().err
    assert "unexpected error (RuntimeError: boom)" in err and len(err.strip().splitlines()) == 1
