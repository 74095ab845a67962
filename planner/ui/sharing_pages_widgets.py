"""Pieces the pipeline-sharing pages share: the page base with `flush()`, the asset list on the
left of the per-asset pages, a note editor that reports when it loses focus, a yes/no pair that
can stay unanswered, and the wording of disclosed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.disclosure_levels import DisclosedValue, DisclosureLevel
from planner.ui.wizard_base import StepPage

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard

ASSET_ROLE = Qt.ItemDataRole.UserRole + 1
OPEN_COLOUR = QColor("#8a5300")
DONE_MARK, OPEN_MARK = "✓", "○"
NOTE_STYLE = "color: #8a5300;"  # amber: open, not an error that blocks Next
MUTED_STYLE = "color: #546e7a;"


class SharingPage(StepPage):
    """A page of the sharing wizard. Text fields persist when they lose focus; `flush()` writes
    what is still being typed, and runs on Next, on Back and when the wizard closes."""

    def __init__(self, wizard: SharingWizard, title: str, subtitle: str = "") -> None:
        super().__init__(title, subtitle)
        self.wiz = wizard
        # Next is disabled while problem() has something to say, so it is always on show.
        self.todo = wrapped(style=NOTE_STYLE)
        self.todo.setObjectName("stepTodo")
        self.todo.hide()
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(1, self.todo)

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        super().initializePage()
        self._show_todo()

    def changed(self) -> None:
        super().changed()
        self._show_todo()

    def _show_todo(self) -> None:
        problem = self.problem()
        self.todo.setText(problem or "")
        self.todo.setVisible(bool(problem))

    def flush(self) -> None:
        """Write any answer that has not been saved yet."""

    def leave(self) -> bool:
        self.flush()
        return True

    def cleanupPage(self) -> None:  # noqa: N802 (Qt override: called on Back)
        self.flush()


class AssetList(QListWidget):
    """The assets of the per-asset pages, each marked done (✓) or open (○)."""

    asset_changed = Signal(object)  # asset id, or None when the list is empty

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharingAssets")
        self.setFixedWidth(180)
        self.setWordWrap(True)
        self.currentItemChanged.connect(self._current_changed)

    def set_entries(self, entries: Iterable[tuple[int, str, bool]]) -> None:
        """(asset id, text, done); keeps the current asset when it is still listed."""
        current = self.current_id()
        self.blockSignals(True)
        self.clear()
        for asset_id, text, done in entries:
            item = QListWidgetItem(self)
            item.setData(ASSET_ROLE, asset_id)
            self._paint(item, text, done)
        self.blockSignals(False)
        if current is not None and self.select(current):
            return
        if self.count():
            self.setCurrentRow(0)
        else:
            self.asset_changed.emit(None)

    def update_entry(self, asset_id: int, text: str, done: bool) -> None:
        item = self._item(asset_id)
        if item is not None:
            self._paint(item, text, done)

    def select(self, asset_id: int) -> bool:
        item = self._item(asset_id)
        if item is None:
            return False
        if item is self.currentItem():
            self.asset_changed.emit(asset_id)
        else:
            self.setCurrentItem(item)
        return True

    def current_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else item.data(ASSET_ROLE)

    def first_open(self) -> int | None:
        for row in range(self.count()):
            item = self.item(row)
            if not item.data(Qt.ItemDataRole.UserRole):
                return item.data(ASSET_ROLE)
        return None

    def _item(self, asset_id: int) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(ASSET_ROLE) == asset_id:
                return self.item(row)
        return None

    @staticmethod
    def _paint(item: QListWidgetItem, text: str, done: bool) -> None:
        item.setText(f"{DONE_MARK if done else OPEN_MARK}  {text}")
        item.setData(Qt.ItemDataRole.UserRole, done)
        item.setForeground(QBrush() if done else QBrush(OPEN_COLOUR))

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.asset_changed.emit(None if current is None else current.data(ASSET_ROLE))


class WrappingTable(QTableWidget):
    """A read-only two-column table whose rows grow to show wrapped values in full."""

    def __init__(self, headers: list[str], first_width: int, parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.horizontalHeader().resizeSection(0, first_width)
        self.horizontalHeader().setStretchLastSection(True)

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        self.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, column, item)
        self.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.resizeRowsToContents()  # the stretched column got its width only now


class NoteEdit(QTextEdit):
    """A few lines of free text; `edited` fires when it loses focus with text not yet saved.

    A QTextEdit in plain-text mode rather than a QPlainTextEdit: the latter scrolls by whole
    lines and shows a scroll bar for text that fits."""

    edited = Signal()

    def __init__(self, placeholder: str = "", lines: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)
        self._saved = ""

    def set_note(self, text: str) -> None:
        self._saved = text
        self.setPlainText(text)

    def note(self) -> str:
        return self.toPlainText().strip()

    def dirty(self) -> bool:
        return self.note() != self._saved.strip()

    def mark_saved(self) -> None:
        self._saved = self.note()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        if self.dirty():
            self.edited.emit()


class YesNo(QWidget):
    """Yes / No radio buttons; neither checked means 'not answered yet' (None)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.yes = QRadioButton("Yes")
        self.no = QRadioButton("No")
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.unanswered = QLabel("not answered yet")
        self.unanswered.setStyleSheet(NOTE_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        layout.addSpacing(12)
        layout.addWidget(self.unanswered)
        layout.addStretch(1)
        self.group.buttonClicked.connect(lambda _b: self._clicked())

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None

    def set_value(self, value: bool | None) -> None:
        self.group.setExclusive(False)  # an exclusive group refuses to uncheck its last button
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)
        self.unanswered.setVisible(value is None)

    def _clicked(self) -> None:
        self.unanswered.setVisible(self.value() is None)
        self.changed.emit()


def short_label(level: DisclosureLevel) -> str:
    """'L2 – program under CDA': the label without its list of contents (previews show those)."""
    return level.label.split(" (")[0]


def value_text(value: DisclosedValue) -> str:
    """A disclosed value as the CMO would read it: forecasts as 'year: amount', blanks as '—'."""
    if isinstance(value, dict):
        return " · ".join(f"{year}: {amount:,g}" for year, amount in value.items()) or "—"
    return value or "—"


def bold_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    label.setWordWrap(True)
    return label


def wrapped(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label
