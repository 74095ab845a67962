"""Backups…: the store's backups with dates, reasons and sizes; back up now; restore one.

Restoring replaces the open store, so the dialog only reports the choice (`restore_requested`);
the composition root closes the store, restores and reopens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.ui.row_table_model import Column, RowTableModel


@dataclass(frozen=True)
class BackupRow:
    path: Path
    taken: datetime
    size: int

    @property
    def reason(self) -> str:
        # File names are <store>-<YYYYmmdd>-<HHMMSS>-<ms>-<reason>.db
        parts = self.path.stem.split("-", 4)
        reason = parts[4] if len(parts) == 5 else "manual"
        return {"auto": "automatic"}.get(reason, reason.replace("-", " "))


def backup_rows(paths: list[Path]) -> list[BackupRow]:
    rows = []
    for p in paths:
        try:
            stat = p.stat()
        except OSError:
            continue
        rows.append(BackupRow(p, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return rows


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


COLUMNS: list[Column[BackupRow]] = [
    Column("Taken", lambda r: r.taken.strftime("%Y-%m-%d %H:%M:%S"), sort_key=lambda r: r.taken),
    Column("Reason", lambda r: r.reason),
    Column("Size", lambda r: _size(r.size), sort_key=lambda r: r.size, align_right=True),
    Column("File", lambda r: r.path.name, tooltip=lambda r: str(r.path)),
]


class BackupsDialog(QDialog):
    restore_requested = Signal(object)  # Path of the backup to restore

    def __init__(
        self, list_backups, back_up_now, folder: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.resize(760, 420)
        self._list = list_backups
        self._back_up_now = back_up_now
        self.model: RowTableModel[BackupRow] = RowTableModel(
            COLUMNS, lambda r: hash(r.path), lambda r: r.reason, self
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 160)
        self.table.horizontalHeader().resizeSection(1, 170)
        where = QLabel(
            f"Backups are kept in {folder}. Automatic ones are thinned to one a day for 12 days, "
            "one a week for 10 weeks and one a month for 9 months; those taken before a migration, "
            "an import or a restore are kept."
            if folder
            else "This store lives on a database server: back it up with the server's own tools."
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.now_button = QPushButton("Back up &now")
        self.restore_button = QPushButton("&Restore selected…")
        self.now_button.setEnabled(folder is not None)
        self.now_button.clicked.connect(self._now)
        self.restore_button.clicked.connect(self._restore)
        self.table.selectionModel().selectionChanged.connect(self._update)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Enter in the table must not take a backup or start a restore.
        for button in (self.now_button, self.restore_button):
            button.setAutoDefault(False)
        close.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.now_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(backup_rows(self._list()))
        self._update()

    def _selected(self) -> BackupRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update(self) -> None:
        self.restore_button.setEnabled(self._selected() is not None)

    def _now(self) -> None:
        try:
            path = self._back_up_now()
        except Exception as exc:  # disk full, permissions: say so, keep the dialog
            QMessageBox.warning(self, "Back up now", f"Could not write the backup: {exc}")
            return
        self.refresh()
        row = self.model.row_of_id(hash(path))
        if row is not None:
            self.table.selectRow(row)

    def _restore(self) -> None:
        row = self._selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Restore backup",
            f"Replace the current store with the backup taken {row.taken:%Y-%m-%d %H:%M}?\n\n"
            "The current store is kept as a backup first. The planner reopens the store.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested.emit(row.path)
            self.accept()
