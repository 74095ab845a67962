"""Composition root: identity and paths, settings, the store, services, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import APP_NAME, __version__

ORGANISATION = "OutsourcingPlanner"
APPLICATION = "planner"
STORE_FILE = "planner.db"


def set_identity() -> None:
    """QStandardPaths and QSettings derive their folders from these names."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)


def default_store_path() -> Path:
    set_identity()
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / STORE_FILE


def build_window(store, settings=None):
    """The main window over an open store (also used by the GUI tests)."""
    from planner.services.cmos import CmoService
    from planner.services.demo import load_demo
    from planner.services.engagements import EngagementService
    from planner.ui.main_window import MainWindow, Services
    from planner.ui.settings import Settings

    services = Services(
        cmos=CmoService(store),
        engagements=EngagementService(store),
        load_demo=lambda _progress, _token: load_demo(store),
        store_label=store.location.describe(),
    )
    return MainWindow(services, settings or Settings())


def run(db: str | None = None) -> int:
    from planner.store.errors import StoreLocked, StoreUnavailable
    from planner.store.store import open_store

    set_identity()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationDisplayName(APP_NAME)
    target = db or str(default_store_path())
    try:
        store = open_store(target)
    except StoreLocked as exc:
        QMessageBox.critical(
            None,
            APP_NAME,
            f"This store is already open.\n\n{exc}\n\nClose the planner there first, or open "
            "another store with --db.",
        )
        return 3
    except StoreUnavailable as exc:
        QMessageBox.critical(None, APP_NAME, f"The store cannot be opened.\n\n{exc}")
        return 3
    try:
        window = build_window(store)
        window.show()
        _quit_on_signals(window)
        return app.exec()
    finally:
        store.close()


def _quit_on_signals(window) -> None:
    """Ctrl+C or a polite kill closes the window the normal way, so the store lock is released.

    Python runs signal handlers only between bytecodes; a timer lets it in while Qt's loop runs.
    """
    import signal

    from PySide6.QtCore import QTimer

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: window.close())
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)
    timer.start(250)
