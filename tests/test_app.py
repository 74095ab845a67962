"""The desktop app as a user starts it: `planner` with no command."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from planner import app
from planner.store.lock import StoreLock

ROOT = Path(__file__).resolve().parents[1]


def test_app_starts_offscreen_on_a_demo_store_and_stays_up(demo_template, tmp_path) -> None:
    db = tmp_path / "demo.db"
    db.write_bytes(demo_template.read_bytes())
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)
        assert proc.poll() is None, proc.communicate()
        assert StoreLock(db).holder()["pid"] == proc.pid  # it holds the store while it runs
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert StoreLock(db).holder() is None  # closed cleanly: the lock is gone


def test_second_instance_gets_a_dialog_naming_the_holder(
    qtbot, store, store_path, monkeypatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    assert app.run(str(store_path)) == 3
    assert "already open" in shown[0] and str(os.getpid()) in shown[0]


def test_unusable_store_gets_a_dialog(qtbot, tmp_path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    assert app.run(str(bad)) == 3
    assert "not an SQLite database" in shown[0]


def test_damaged_store_offers_the_newest_good_backup(qtbot, store_path, monkeypatch) -> None:
    from planner.app import _open_or_offer_restore
    from planner.domain.cmo import CMO
    from planner.services.cmos import CmoService
    from planner.store.store import open_store
    from tests.store.test_backup import corrupt

    with open_store(store_path) as s:
        CmoService(s).create(CMO(name="Keep me"))
        s.backup("manual")
    corrupt(store_path)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes,
    )
    store = _open_or_offer_restore(str(store_path))
    try:
        assert "is damaged" in asked[0] and "Restore that backup" in asked[0]
        assert [r.name for r in CmoService(store).list_rows()] == ["Keep me"]
    finally:
        store.close()


def test_the_app_icon_has_every_size(qtbot) -> None:
    sizes = {(s.width(), s.height()) for s in app.app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (256, 256)} <= sizes


def test_open_with_a_spreadsheet_starts_the_app_on_it(tmp_path, monkeypatch) -> None:
    from planner.cli import main

    sheet = tmp_path / "list.csv"
    sheet.write_text("Company Name,Country\nAlpine Pharma,DE\n", encoding="utf-8")
    calls: list[tuple] = []
    monkeypatch.setattr(
        app, "run", lambda db=None, open_file=None: calls.append((db, open_file)) or 0
    )
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "p.db"))
    assert main([str(sheet)]) == 0
    assert calls == [(str(tmp_path / "p.db"), str(sheet))]
