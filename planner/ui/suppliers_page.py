"""Suppliers page: the CMO directory with type-to-filter search and add/edit/delete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.cmo import CmoRow
from planner.domain.countries import country_name
from planner.services.cmos import CmoService
from planner.services.errors import Conflict, NotFound
from planner.ui import change_bus
from planner.ui.change_bus import ChangeBus
from planner.ui.cmo_dialog import CmoDialog
from planner.ui.empty_hint import empty_hint
from planner.ui.import_wizard import SUPPORTED
from planner.ui.row_table_model import ID_ROLE, Column, RowFilterProxy, RowTableModel, data_table
from planner.ui.widgets import save_until_accepted

COLUMNS: list[Column[CmoRow]] = [
    Column("Name", lambda r: r.name, tooltip=lambda r: r.name),
    Column("Country", lambda r: r.country, tooltip=lambda r: country_name(r.country)),
    Column("City", lambda r: r.city, tooltip=lambda r: r.city),
    Column(
        "Capabilities",
        lambda r: ", ".join(r.capabilities),
        tooltip=lambda r: ", ".join(r.capabilities),
    ),
    Column("FEI", lambda r: r.fei_number),
    Column("DUNS", lambda r: r.duns_number),
    Column("Inspection", lambda r: r.last_inspection_outcome),
]


def _haystack(r: CmoRow) -> str:
    return " ".join((r.name, r.country, country_name(r.country), r.city, *r.capabilities))


def make_cmo_model(parent=None) -> RowTableModel[CmoRow]:
    return RowTableModel(COLUMNS, lambda r: r.id, _haystack, parent)


class EmptyState(QWidget):
    """What an empty store shows instead of an empty table: the two ways to start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("<h2>No suppliers yet</h2>")
        text = QLabel(
            "Load the demo portfolio to explore the planner with realistic CMOs and engagements, "
            "or add your first CMO."
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Load &demo portfolio")
        self.add_button = QPushButton("&Add first CMO…")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (title, text):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addStretch(2)


class SuppliersPage(QWidget):
    demo_requested = Signal()
    import_requested = Signal(object)  # Path of a file dropped on the page
    status_message = Signal(str)

    def __init__(self, cmos: CmoService, bus: ChangeBus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cmos = cmos
        self._bus = bus
        self.model = make_cmo_model(self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name, country, city or capability  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.add_button = QPushButton("&Add…")
        self.edit_button = QPushButton("&Edit…")
        self.delete_button = QPushButton("Delete")
        self.count_label = QLabel()
        self.add_button.clicked.connect(self.add_cmo)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)

        self.table = data_table(self.proxy)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col, width in enumerate((260, 70, 130, 320, 100, 95, 85)):
            header.resizeSection(col, width)
        # Name and capabilities share what is left, so neither shrinks to nothing on a laptop.
        for col in (0, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.hint = empty_hint(self.table, "", "No supplier matches the filter.")
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)

        self.empty = EmptyState()
        self.empty.demo_button.clicked.connect(self.demo_requested)
        self.empty.add_button.clicked.connect(self.add_cmo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack)
        bus.changed.connect(self._on_changed)
        self.setAcceptDrops(True)
        self.refresh()

    # -- drag and drop a supplier list -------------------------------------------------------
    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            path = Path(urls[0].toLocalFile())
            if path.suffix.lower() in SUPPORTED:
                return path
        return None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._dropped_file(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        path = self._dropped_file(event)
        if path:
            event.acceptProposedAction()
            self.import_requested.emit(path)

    # -- data ----------------------------------------------------------------------------
    def _on_changed(self, parts: frozenset[str]) -> None:
        if change_bus.CMOS in parts:
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        self.model.set_rows(self._cmos.list_rows())
        empty = self.model.rowCount() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.table)
        self.search.setEnabled(not empty)
        if selected is not None:
            self.select_id(selected)
        self._update_count()
        self._update_buttons()

    def _filter(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} CMOs")

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def select_id(self, cmo_id: int) -> None:
        source_row = self.model.row_of_id(cmo_id)
        if source_row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions -------------------------------------------------------------------------
    def add_cmo(self) -> None:
        dialog = CmoDialog(parent=self)
        created = save_until_accepted(dialog, dialog.cmo, self._cmos.create)
        if created is not None:
            self._bus.notify(change_bus.CMOS)
            self.select_id(created.id)
            self.status_message.emit(f"Added {created.name}.")

    def edit_selected(self) -> None:
        cmo_id = self.selected_id()
        if cmo_id is None:
            return
        try:
            cmo = self._cmos.get(cmo_id)
        except NotFound as exc:
            QMessageBox.information(self, "Edit CMO", str(exc))
            self._bus.notify(change_bus.CMOS)
            return
        dialog = CmoDialog(cmo, parent=self)
        while dialog.exec():
            try:
                saved = self._cmos.update(dialog.cmo())
            except (Conflict, NotFound, ValueError) as exc:
                dialog.show_error(str(exc))
                continue
            self._bus.notify(change_bus.CMOS, change_bus.ENGAGEMENTS)
            self.status_message.emit(f"Saved {saved.name}.")
            return

    def delete_selected(self) -> None:
        cmo_id = self.selected_id()
        if cmo_id is None:
            return
        row = self.model.row_at(self.model.row_of_id(cmo_id))
        answer = QMessageBox.question(
            self,
            "Delete CMO",
            f"Delete {row.name} with its contacts and agreements?\nThis cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._cmos.delete(cmo_id)
        except (Conflict, NotFound) as exc:
            QMessageBox.warning(self, "Delete CMO", str(exc))
            return
        self._bus.notify(change_bus.CMOS, change_bus.ENGAGEMENTS)
        self.status_message.emit(f"Deleted {row.name}.")
