from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from planner.app import build_window, set_identity
from planner.ui.settings import Settings

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def settings(tmp_path) -> Settings:
    set_identity()
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(qtbot, settings):
    windows = []

    def make(store):
        window = build_window(store, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.tasks.wait(5000)
        if w.engagements.has_unsaved_changes():
            w.engagements.revert()


@pytest.fixture(autouse=True)
def no_blocking_questions(monkeypatch):
    """A question nobody set an answer for gets "no button" instead of blocking the test run."""
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.NoButton
    )
    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: QMessageBox.StandardButton.Ok)


@pytest.fixture
def answer(monkeypatch):
    """Answer the next QMessageBox.question with the given button instead of blocking."""
    asked: list[str] = []

    def set_answer(button: QMessageBox.StandardButton) -> list[str]:
        def fake(_parent, _title, text, *args, **kwargs):
            asked.append(text)
            return button

        monkeypatch.setattr(QMessageBox, "question", fake)
        return asked

    return set_answer


def save_screenshot(widget, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path
