"""Composition root: identity and paths, settings, the store, services, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import APP_ID, APP_NAME, __version__

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


def app_icon():
    """The application icon at every size the installers ship (resources/icons)."""
    from PySide6.QtGui import QIcon

    from planner.resource_files import resource

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        path = resource("icons", f"planner-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    return icon


def build_window(store, settings=None):
    """The main window over an open store (also used by the GUI tests)."""
    from planner.services.cmos import CmoService
    from planner.services.criteria_overview import CriteriaOverviewService
    from planner.services.criteria_scoring import ScoringService
    from planner.services.demo import load_demo
    from planner.services.disclosure_decisions import DisclosureService
    from planner.services.disclosure_register import DisclosureRegister
    from planner.services.engagements import EngagementService
    from planner.services.pipeline import PipelineService
    from planner.services.timeline import TimelineService
    from planner.store import backup as backups
    from planner.ui.criteria_tab import CriteriaViews
    from planner.ui.main_window import MainWindow, Services
    from planner.ui.settings import Settings

    folder = None
    if store.location.path is not None:
        folder = store.backup_dir or backups.default_backup_dir(store.location.path)
    from planner.services import import_suppliers as imports
    from planner.ui.import_wizard import Importer

    importer = Importer(
        preview=lambda path, options, progress, token: imports.preview_import(
            store, path, options, progress, token
        ),
        run=lambda path, options, progress, token: imports.run_import(
            store, path, options, progress, token
        ),
        undo=lambda batch_id: imports.undo_import(store, batch_id),
        save_profile=lambda name, headers, mapping: imports.save_profile(
            store, name, headers, mapping
        ),
        write_error_report=imports.write_error_report,
        backup=(lambda reason: store.backup(reason)) if store.can_back_up else None,
        history=lambda: imports.list_batches(store),
        check_undo=lambda batch_id: imports.check_undo(store, batch_id),
    )
    services = Services(
        cmos=CmoService(store),
        engagements=EngagementService(store),
        load_demo=lambda _progress, _token: load_demo(store),
        store_label=store.location.describe(),
        list_backups=lambda: backups.list_backups(folder) if folder else [],
        back_up_now=lambda: store.backup("manual"),
        backup_folder=folder,
        importer=importer,
        timeline=TimelineService(store),
        pipeline=PipelineService(store),
        register=DisclosureRegister(store),
        disclosures=DisclosureService(store),
        criteria_views=CriteriaViews(CriteriaOverviewService(store), ScoringService(store)),
        criteria=lambda: _criteria_services(store),
        packs=_pack_actions(store),
    )
    return MainWindow(services, settings or Settings())


def _open_or_offer_restore(target: str):
    """Open the store; on a damaged one offer the newest good backup. None when it cannot be used."""
    from planner.store.errors import StoreDamaged
    from planner.store.restore import restore_store
    from planner.store.store import open_store

    try:
        return open_store(target)
    except StoreDamaged as exc:
        if exc.good_backup is None:
            raise
        answer = QMessageBox.question(
            None,
            APP_NAME,
            f"{exc}\n\nRestore that backup now? The damaged store is kept beside the backups.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            raise
        restore_store(target, exc.good_backup)
        return open_store(target)


def _pack_actions(store):
    from planner.services import packs
    from planner.services.cmos import CmoService
    from planner.services.engagements import EngagementService
    from planner.ui.export_pack_dialog import PackActions
    from planner.ui.pack_pdf import write_pdf

    def targets(engagement_id: int) -> list[tuple[int, str]]:
        e = EngagementService(store).get(engagement_id)
        return CmoService(store).names([e.chosen_cmo_id] if e.chosen_cmo_id else e.candidate_ids)

    return PackActions(
        targets=targets,
        preview=lambda eid, cmo_id: packs.preview_pack(store, eid, cmo_id),
        export=lambda eid, cmo_id, path, pdf: packs.export_pack(
            store, eid, cmo_id, path, pdf_writer=write_pdf if pdf else None, pdf_path=pdf
        ),
        export_all=lambda eid, folder, with_pdf: packs.export_packs_for_candidates(
            store, eid, folder, pdf_writer=write_pdf if with_pdf else None
        ),
        file_name=packs.pack_file_name,
    )


def _criteria_services(store):
    """What the criteria wizard works with, built when it opens."""
    from planner.services.cmos import CmoService
    from planner.services.criteria_library import CriteriaLibrary
    from planner.services.criteria_overview import CriteriaOverviewService
    from planner.services.criteria_pairwise import CriteriaPairwiseService
    from planner.services.criteria_recipients import CriteriaRecipients
    from planner.services.criteria_sets import CriteriaSetService
    from planner.services.criteria_sign_off import CriteriaSignOffService
    from planner.services.engagements import EngagementService
    from planner.ui.criteria_wizard import CriteriaServices

    def candidates(engagement_id: int) -> list[tuple[int, str]]:
        return CmoService(store).names(EngagementService(store).get(engagement_id).candidate_ids)

    library = CriteriaLibrary(store)
    return CriteriaServices(
        sets=CriteriaSetService(store, library),
        sign_off=CriteriaSignOffService(store),
        pairwise=CriteriaPairwiseService(store),
        overview=CriteriaOverviewService(store),
        library=library,
        candidates=candidates,
        recipients=CriteriaRecipients(store),
    )


def run(db: str | None = None, open_file: str | None = None) -> int:
    from planner.store.errors import StoreLocked, StoreUnavailable

    set_identity()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)  # Wayland matches the window to the .desktop entry and icon
    target = db or str(default_store_path())
    try:
        store = _open_or_offer_restore(target)
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
    while True:
        restore: list = []
        try:
            window = build_window(store)
            window.restore_requested.connect(restore.append)
            window.show()
            if open_file:  # "Open with": a supplier list goes to the import wizard
                window.import_suppliers(open_file)
                open_file = None
            _quit_on_signals(window)
            _schedule_backups(window, store)
            code = app.exec()
        finally:
            try:
                store.auto_backup()  # on close, when anything changed
            except Exception as exc:  # a failed backup must not lose the session's work: say so
                print(f"planner: the backup on close failed: {exc}", file=sys.stderr)
            store.close()
        if not restore:
            return code
        try:
            from planner.store.restore import restore_store

            restore_store(target, restore[0])
            store = _open_or_offer_restore(target)
        except (StoreUnavailable, ValueError) as exc:
            QMessageBox.critical(None, APP_NAME, f"The backup could not be restored.\n\n{exc}")
            return 3


BACKUP_MINUTES = 15


def _schedule_backups(window, store) -> None:
    """Every few minutes, back up if anything changed; off the GUI thread, silently."""
    from PySide6.QtCore import QThreadPool, QTimer

    pool = QThreadPool(window)
    pool.setMaxThreadCount(1)
    timer = QTimer(window)
    timer.timeout.connect(lambda: pool.start(store.auto_backup))
    timer.start(BACKUP_MINUTES * 60 * 1000)


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
