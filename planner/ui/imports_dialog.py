"""Import history…: every supplier import with its counts, and Undo for one of them.

An import can be undone long after its wizard closed, as on the command line
(`planner imports`, `planner undo-import BATCH`). The undo runs off the GUI thread: removing
100k suppliers with their contacts takes seconds. A refusal (later edits touch the import's
suppliers, or they are used in engagements since) is shown as the service words it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.wording import plural
from planner.services.import_batches import BatchInfo, UndoResult
from planner.ui import background
from planner.ui.row_table_model import Column, RowTableModel, data_table

_POLICIES = {"update": "update", "skip": "skip", "add": "add anyway"}


def _local(stamp: datetime | None) -> str:
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M") if stamp else ""


def _count(value: int) -> str:
    return f"{value:,}"


COLUMNS: list[Column[BatchInfo]] = [
    Column("Batch", lambda b: str(b.id), sort_key=lambda b: b.id, align_right=True),
    Column("Imported", lambda b: _local(b.imported_at), sort_key=lambda b: b.imported_at),
    Column("File", lambda b: b.file_name, tooltip=lambda b: f"{b.file_name}, sheet '{b.sheet}'"),
    Column("Created", lambda b: _count(b.created), sort_key=lambda b: b.created, align_right=True),
    Column("Updated", lambda b: _count(b.updated), sort_key=lambda b: b.updated, align_right=True),
    Column("Skipped", lambda b: _count(b.skipped), sort_key=lambda b: b.skipped, align_right=True),
    Column("Problems", lambda b: _count(b.errors), sort_key=lambda b: b.errors, align_right=True),
    Column("Duplicates", lambda b: _POLICIES.get(b.policy, b.policy)),
    Column("By", lambda b: b.imported_by),
    Column("Status", lambda b: f"undone {_local(b.undone_at)}" if b.undone else "imported"),
]


class ImportsDialog(QDialog):
    undone = Signal(object)  # UndoResult, after the store changed

    def __init__(
        self,
        list_batches: Callable[[], list[BatchInfo]],
        undo: Callable[[int], UndoResult],
        check: Callable[[int], object] | None = None,
        backup: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import history")
        self.resize(900, 420)
        self._list = list_batches
        self._undo_batch = undo
        self._check = check or (lambda _batch_id: None)
        self._backup = backup
        self._job: background.Job | None = None
        self.model: RowTableModel[BatchInfo] = RowTableModel(
            COLUMNS, lambda b: b.id, lambda b: f"{b.file_name} {b.sheet} {b.imported_by}", self
        )
        self.table = data_table(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in range(len(COLUMNS)):
            if column != 2:  # the file name takes what is left
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        about = QLabel(
            "Undoing an import removes the suppliers it created and puts back the values it "
            "changed. It is refused once those suppliers were edited or imported again, or are "
            "used in an engagement: undo later imports first."
        )
        about.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.undo_button = QPushButton("&Undo selected import…")
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.selectionModel().selectionChanged.connect(self._update)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        # Enter in the table must not start an undo: only a click (or Alt+U) does.
        self.undo_button.setAutoDefault(False)
        self.close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._list())
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        if not self.model.rowCount():
            self.status.setText("No supplier list has been imported into this store yet.")
        self._update()

    def selected(self) -> BatchInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        batch = self.selected()
        self.undo_button.setEnabled(self._job is None and batch is not None and not batch.undone)

    def undo_selected(self) -> None:
        batch = self.selected()
        if batch is None or batch.undone or self._job is not None:
            return
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Undo import {batch.id} of {batch.file_name} ({_local(batch.imported_at)})?\n\n"
            f"This removes the {plural(batch.created, 'supplier')} it created and gives the "
            f"{plural(batch.updated, 'supplier')} it updated their earlier values back."
            + (" The store is backed up first." if self._backup else ""),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.status.setText(f"Undoing import {batch.id}…")
        self.close_button.setEnabled(False)
        self._job = background.start(
            lambda _progress, _token: self._work(batch.id), self._done, self._failed
        )
        self._update()

    def _work(self, batch_id: int) -> UndoResult:  # on the worker thread
        if self._backup is not None:
            self._check(batch_id)  # a refused undo leaves no backup behind
            self._backup()
        return self._undo_batch(batch_id)

    def _finished(self) -> None:
        self._job = None
        self.close_button.setEnabled(True)

    def _done(self, result: UndoResult) -> None:
        self._finished()
        self.status.setText(
            f"Undid import {result.batch_id}: {plural(result.removed, 'supplier')} removed, "
            f"{result.restored:,} restored to their earlier values."
        )
        self.refresh()
        self.undone.emit(result)

    def _failed(self, exc: Exception) -> None:
        self._finished()
        self.status.setText("")
        self._update()
        QMessageBox.warning(self, "Undo import", str(exc).strip('"'))

    def reject(self) -> None:
        if self._job is not None:  # the undo finishes in one transaction; wait for it
            return
        super().reject()
