"""The main window is a shell: menus, navigation, the central stack of pages and a status bar."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from planner import APP_NAME, __version__
from planner.domain.wording import plural
from planner.services.cmos import CmoService
from planner.services.demo import DemoResult
from planner.services.engagements import EngagementService
from planner.ui import change_bus
from planner.ui.backups_dialog import BackupsDialog
from planner.ui.change_bus import ChangeBus
from planner.ui.disclosures_page import DisclosuresPage
from planner.ui.engagements_page import EngagementsPage
from planner.ui.import_wizard import ImportWizard
from planner.ui.imports_dialog import ImportsDialog
from planner.ui.pipeline_page import PipelinePage
from planner.ui.settings import Settings
from planner.ui.suppliers_page import SuppliersPage
from planner.ui.task_runner import TaskRunner


@dataclass
class Services:
    """What the window works with, built by the composition root (planner.app)."""

    cmos: CmoService
    engagements: EngagementService
    load_demo: object  # callable(progress, token) -> DemoResult
    store_label: str
    list_backups: object = list  # callable() -> list[Path], newest first
    back_up_now: object = None  # callable() -> Path
    backup_folder: object = None  # Path | None (None: a server store)
    importer: object = None  # planner.ui.import_wizard.Importer
    timeline: object = None  # planner.services.timeline.TimelineService
    pipeline: object = None  # planner.services.pipeline.PipelineService
    register: object = None  # planner.services.disclosure_register.DisclosureRegister
    disclosures: object = None  # planner.services.disclosure_decisions.DisclosureService
    criteria_views: object = None  # planner.ui.criteria_tab.CriteriaViews
    criteria: object = None  # () -> planner.ui.criteria_wizard.CriteriaServices
    packs: object = None  # planner.ui.export_pack_dialog.PackActions


class MainWindow(QMainWindow):
    restore_requested = Signal(object)  # Path: the app closes, restores and reopens the store
    PAGES = ("Suppliers", "Engagements", "Pipeline", "Disclosures")

    def __init__(
        self, services: Services, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings
        self.bus = ChangeBus(self)
        self.tasks = TaskRunner(self)
        self.setWindowTitle(f"{APP_NAME} — {services.store_label}")

        self.suppliers = SuppliersPage(services.cmos, self.bus)
        self.engagements = EngagementsPage(
            services.engagements,
            services.cmos,
            self.bus,
            services.timeline,
            services.criteria_views,
            services.register,
            services.disclosures,
            services,
        )
        self.pipeline = PipelinePage(services.pipeline, self.bus)
        self.disclosures = DisclosuresPage(
            services.register, services.cmos, services.pipeline, self.bus
        )
        self.stack = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        for name, page in zip(
            self.PAGES,
            (self.suppliers, self.engagements, self.pipeline, self.disclosures),
            strict=True,
        ):
            self.stack.addWidget(page)
            QListWidgetItem(name, self.nav)
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; border: none; }"
            "QListWidget#navigation::item { padding: 8px 12px; }"
        )
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.store_label = QLabel(services.store_label)
        self.statusBar().addPermanentWidget(self.store_label)
        for page in (self.suppliers, self.engagements, self.pipeline):
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.suppliers.demo_requested.connect(self.load_demo)
        self.suppliers.import_requested.connect(self.import_suppliers)
        self._build_menus()
        self._restore()

    # -- menus ---------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action("&New CMO…", self._new_cmo, QKeySequence.StandardKey.New, file_menu)
        self._action("New &engagement…", self._new_engagement, "Ctrl+Shift+N", file_menu)
        file_menu.addSeparator()
        self._action("&Import suppliers…", self.import_suppliers, "Ctrl+I", file_menu)
        self._action("Import &history…", self.show_imports, "Ctrl+Shift+I", file_menu)
        file_menu.addSeparator()
        self.demo_action = self._action("Load &demo portfolio", self.load_demo, None, file_menu)
        file_menu.addSeparator()
        self._action("&Backups…", self.show_backups, None, file_menu)
        file_menu.addSeparator()
        self._action("&Quit", self.close, "Ctrl+Q", file_menu)

        edit_menu = bar.addMenu("&Edit")
        self._action("&Find", self._focus_search, QKeySequence.StandardKey.Find, edit_menu)
        self._action(
            "&Refresh",
            lambda: self.bus.notify(*change_bus.ALL),
            QKeySequence.StandardKey.Refresh,
            edit_menu,
        )

        view_menu = bar.addMenu("&View")
        for i, name in enumerate(self.PAGES):
            self._action(
                f"&{name}",
                lambda _=False, i=i: self.nav.setCurrentRow(i),
                f"Ctrl+{i + 1}",
                view_menu,
            )

        help_menu = bar.addMenu("&Help")
        self._action("&About", self._about, None, help_menu)

    def _new_cmo(self) -> None:
        self.nav.setCurrentRow(0)
        self.suppliers.add_cmo()

    def _new_engagement(self) -> None:
        self.nav.setCurrentRow(1)
        self.engagements.new_engagement()

    def _focus_search(self) -> None:
        page = self.stack.currentWidget()
        if hasattr(page, "search"):
            page.search.setFocus()
            page.search.selectAll()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Align evaluation criteria, timelines and pipeline "
            f"disclosure with contract manufacturers.<br><br>Store: {self._services.store_label}",
        )

    def import_suppliers(self, path=None) -> ImportWizard:
        wizard = ImportWizard(self._services.importer, Path(path) if path else None, self)
        wizard.imported.connect(self._imported)
        wizard.undone.connect(self._import_undone)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        return wizard

    def show_imports(self) -> ImportsDialog:
        importer = self._services.importer
        dialog = ImportsDialog(
            importer.history,
            importer.undo,
            importer.check_undo,
            importer.backup and (lambda: importer.backup("before-undo-import")),
            self,
        )
        dialog.undone.connect(self._import_undone)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _imported(self, result) -> None:
        self.bus.notify(change_bus.CMOS, change_bus.ENGAGEMENTS)
        self.statusBar().showMessage(
            f"Import {result.batch_id}: {result.created:,} created, {result.updated:,} updated, "
            f"{result.skipped:,} skipped, {plural(len(result.errors), 'problem')}.",
            10000,
        )

    def _import_undone(self, result) -> None:
        self.bus.notify(change_bus.CMOS, change_bus.ENGAGEMENTS)
        self.statusBar().showMessage(
            f"Import {result.batch_id} undone: {plural(result.removed, 'supplier')} removed, "
            f"{result.restored:,} restored.",
            10000,
        )

    def show_backups(self) -> BackupsDialog:
        dialog = BackupsDialog(
            self._services.list_backups,
            self._services.back_up_now,
            self._services.backup_folder,
            self,
        )
        dialog.restore_requested.connect(self._restore_backup)
        dialog.open()
        return dialog

    def _restore_backup(self, path) -> None:
        if self.close():
            self.restore_requested.emit(path)

    # -- work ----------------------------------------------------------------------------
    def load_demo(self) -> None:
        self.demo_action.setEnabled(False)

        def done(result: DemoResult) -> None:
            self.demo_action.setEnabled(True)
            self.bus.notify(*change_bus.ALL)
            if result.changed:
                self.statusBar().showMessage(
                    f"Demo portfolio loaded: {result.cmos} CMOs, {result.engagements} engagements, "
                    f"{result.assets} pipeline assets.",
                    8000,
                )
            else:
                self.statusBar().showMessage("The demo portfolio is already loaded.", 8000)

        def failed(exc: Exception) -> None:
            self.demo_action.setEnabled(True)
            QMessageBox.warning(
                self, "Load demo portfolio", f"Could not load the demo portfolio: {exc}"
            )

        self.tasks.run(
            "Loading the demo portfolio…",
            self._services.load_demo,
            done,
            on_error=failed,
            cancellable=False,
        )

    # -- persistence of the window -------------------------------------------------------
    def _restore(self) -> None:
        geometry = self._settings.get("window/geometry")
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1200, 720)
        state = self._settings.get("window/state")
        if not state.isEmpty():
            self.restoreState(state)
        splitter = self._settings.get("engagements/splitter")
        if not splitter.isEmpty():
            self.engagements.splitter.restoreState(splitter)
        page = self._settings.get("window/page")
        self.nav.setCurrentRow(page if 0 <= page < len(self.PAGES) else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.engagements.has_unsaved_changes():
            self.nav.setCurrentRow(1)
            if not self.engagements.confirm_leave():
                event.ignore()
                return
        if self.tasks.busy:
            self.statusBar().showMessage("Waiting for running work to finish…")
            self.tasks.wait()
        self._settings.set("window/geometry", self.saveGeometry())
        self._settings.set("window/state", self.saveState())
        self._settings.set("window/page", self.nav.currentRow())
        self._settings.set("engagements/splitter", self.engagements.splitter.saveState())
        self._settings.sync()
        event.accept()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(1200, 720)
