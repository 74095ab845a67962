"""Pipeline page: the confidential register of assets; add, edit, archive and restore."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.pipeline import PipelineAssetRow
from planner.services.pipeline import PipelineService
from planner.ui import change_bus
from planner.ui.asset_dialog import AssetDialog
from planner.ui.change_bus import ChangeBus
from planner.ui.empty_hint import empty_hint
from planner.ui.row_table_model import ID_ROLE, Column, RowFilterProxy, RowTableModel, data_table
from planner.ui.widgets import save_until_accepted


def _peak(r: PipelineAssetRow) -> str:
    return "" if r.peak_volume_kg is None else f"{r.peak_volume_kg:,.1f} kg"


COLUMNS: list[Column[PipelineAssetRow]] = [
    Column("Code", lambda r: r.code),
    Column("INN", lambda r: r.inn),
    Column("Modality", lambda r: r.modality),
    Column("Therapeutic area", lambda r: r.therapeutic_area),
    Column("Phase", lambda r: r.phase),
    Column("Peak volume / year", _peak, sort_key=lambda r: r.peak_volume_kg or 0, align_right=True),
    Column(
        "Decisions", lambda r: str(r.decisions), sort_key=lambda r: r.decisions, align_right=True
    ),
    Column("", lambda r: "archived" if r.archived else ""),
]


class PipelinePage(QWidget):
    status_message = Signal(str)

    def __init__(
        self, pipeline: PipelineService, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._pipeline = pipeline
        self._bus = bus
        self.model: RowTableModel[PipelineAssetRow] = RowTableModel(
            COLUMNS,
            lambda r: r.id,
            lambda r: " ".join((r.code, r.inn, r.modality, r.therapeutic_area, r.phase)),
            self,
        )
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        banner = QLabel(
            "<b>Confidential.</b> Nothing here reaches a CMO unless a sharing decision on "
            "an engagement allows it, and then only the fields of the decided level."
        )
        banner.setStyleSheet("background: #fff8e1; border: 1px solid #ffe082; padding: 6px;")
        banner.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by code, INN, modality, area or phase  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_filter_text)
        self.show_archived = QCheckBox("Show &archived")
        self.show_archived.toggled.connect(self.refresh)
        self.add_button = QPushButton("&Add…")
        self.edit_button = QPushButton("&Edit…")
        self.archive_button = QPushButton("Archi&ve")
        self.add_button.clicked.connect(self.add_asset)
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.table = data_table(self.proxy)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (1, 200), (2, 170), (4, 100), (5, 140), (6, 80), (7, 80)):
            self.table.horizontalHeader().resizeSection(col, width)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.hint = empty_hint(
            self.table,
            "No pipeline assets yet. Add… the programs you may discuss with CMOs; nothing about "
            "them is shared until a sharing decision says so.",
            "No asset matches the filter (archived ones show with 'Show archived').",
        )
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_archived)
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.archive_button)
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        bus.changed.connect(lambda parts: change_bus.PIPELINE in parts and self.refresh())
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_id()
        self.model.set_rows(
            self._pipeline.list_rows(include_archived=self.show_archived.isChecked())
        )
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ID_ROLE) if rows else None

    def select_id(self, asset_id: int) -> None:
        row = self.model.row_of_id(asset_id)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())

    def _update_buttons(self) -> None:
        asset_id = self.selected_id()
        self.edit_button.setEnabled(asset_id is not None)
        self.archive_button.setEnabled(asset_id is not None)
        if asset_id is not None:
            row = self.model.row_at(self.model.row_of_id(asset_id))
            self.archive_button.setText("Resto&re" if row.archived else "Archi&ve")

    def add_asset(self) -> None:
        dialog = AssetDialog(parent=self)
        created = save_until_accepted(dialog, dialog.asset, self._pipeline.create)
        if created is not None:
            self._bus.notify(change_bus.PIPELINE)
            self.select_id(created.id)
            self.status_message.emit(f"Added {created.code}.")

    def edit_selected(self) -> None:
        asset_id = self.selected_id()
        if asset_id is None:
            return
        dialog = AssetDialog(self._pipeline.get(asset_id), parent=self)
        while dialog.exec():
            try:
                saved = self._pipeline.update(dialog.asset())
            except (ValueError, LookupError) as exc:
                dialog.show_error(str(exc))
                continue
            self._bus.notify(change_bus.PIPELINE)
            self.status_message.emit(f"Saved {saved.code}.")
            return

    def toggle_archived(self) -> None:
        asset_id = self.selected_id()
        if asset_id is None:
            return
        row = self.model.row_at(self.model.row_of_id(asset_id))
        if row.archived:
            self._pipeline.restore(asset_id)
            self.status_message.emit(f"Restored {row.code}.")
        else:
            answer = QMessageBox.question(
                self,
                "Archive asset",
                f"Archive {row.code}? It is hidden from the register and gets no new sharing "
                "decisions; its history stays in the disclosure register.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._pipeline.archive(asset_id)
            self.status_message.emit(f"Archived {row.code}.")
        self._bus.notify(change_bus.PIPELINE)
