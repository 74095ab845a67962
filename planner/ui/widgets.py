"""Small input widgets shared by dialogs: optional dates, country picker, tag lists, edit tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pycountry
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.countries import country_name, to_alpha2


class InputError(ValueError):
    """A field the user must correct; `widget` gets the focus."""

    def __init__(self, message: str, widget: QWidget | None = None) -> None:
        super().__init__(message)
        self.widget = widget


def parse_day(text: str, what: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what}: '{text}' is not a date; write it as YYYY-MM-DD.") from None


class DateEdit(QLineEdit):
    """A date that may be left empty, typed as YYYY-MM-DD."""

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self.setPlaceholderText("YYYY-MM-DD")
        self.setMaxLength(10)
        self.setMaximumWidth(120)

    def set_date(self, value: date | None) -> None:
        self.setText(value.isoformat() if value else "")

    def date_value(self) -> date | None:
        try:
            return parse_day(self.text(), self._what)
        except InputError as exc:
            exc.widget = self
            raise


class CountryCombo(QComboBox):
    """Type a country name or code; stores the ISO alpha-2 code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", "")
        for c in sorted(pycountry.countries, key=lambda c: country_name(c.alpha_2)):
            self.addItem(f"{country_name(c.alpha_2)} ({c.alpha_2})", c.alpha_2)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def set_code(self, code: str) -> None:
        index = self.findData(code) if code else 0
        self.setCurrentIndex(max(index, 0))

    def code(self) -> str:
        text = self.currentText().strip()
        if not text:
            return ""
        index = self.findText(text)
        if index >= 0:
            return self.itemData(index)
        code = to_alpha2(text.rsplit("(", 1)[-1].rstrip(")") if text.endswith(")") else text)
        if code is None:
            raise InputError(f"Country: '{text}' is not a country we know.", self)
        return code


class TagEdit(QLineEdit):
    """A list of short tags typed as 'a; b; c'."""

    def __init__(self, suggestions: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(
            "; ".join(suggestions[:4]) + " …" if suggestions else "separate with ;"
        )
        if suggestions:
            self.setToolTip("Separate with semicolons. Usual tags: " + ", ".join(suggestions))

    def set_tags(self, tags: Sequence[str]) -> None:
        self.setText("; ".join(tags))

    def tags(self) -> list[str]:
        seen: list[str] = []
        for part in self.text().replace(",", ";").split(";"):
            part = part.strip()
            if part and part.lower() not in {s.lower() for s in seen}:
                seen.append(part)
        return seen


@dataclass(frozen=True)
class EditColumn:
    title: str
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) for a drop-down column
    width: int = 0


class _ChoiceDelegate(QStyledItemDelegate):
    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent, option, index):  # noqa: N802 (Qt override)
        combo = QComboBox(parent)
        for label, value in self._choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.UserRole))))

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentData(), Qt.ItemDataRole.UserRole)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class EditTable(QWidget):
    """A short editable list (a CMO's contacts or agreements) with Add and Remove.

    Rows are few and owned by one dialog, so a QTableWidget is the right size here.
    """

    def __init__(
        self, columns: Sequence[EditColumn], noun: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for i, column in enumerate(columns):
            if column.choices:
                self.table.setItemDelegateForColumn(i, _ChoiceDelegate(column.choices, self.table))
            if column.width:
                header.resizeSection(i, column.width)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
        self.add_button = QPushButton(f"Add {noun}")
        self.remove_button = QPushButton(f"Remove {noun}")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _add_clicked(self) -> None:
        row = self.add_row([""] * len(self._columns))
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def add_row(self, values: Sequence[str], row_id: int | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for i, (column, value) in enumerate(zip(self._columns, values, strict=True)):
            item = QTableWidgetItem()
            if column.choices:
                label = next((lbl for lbl, v in column.choices if v == value), column.choices[0][0])
                item.setData(Qt.ItemDataRole.UserRole, value or column.choices[0][1])
                item.setText(label)
            else:
                item.setText(value)
            if i == 0:
                item.setData(Qt.ItemDataRole.UserRole + 1, row_id)
            self.table.setItem(row, i, item)
        return row

    def remove_selected(self) -> None:
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: -i.row()):
            self.table.removeRow(index.row())

    def rows(self) -> list[tuple[int | None, list[str]]]:
        """(id, values) per row; blank rows are dropped. Drop-down columns give their value."""
        result = []
        for r in range(self.table.rowCount()):
            values = []
            for c, column in enumerate(self._columns):
                item = self.table.item(r, c)
                if item is None:
                    values.append("")
                elif column.choices:
                    values.append(str(item.data(Qt.ItemDataRole.UserRole) or ""))
                else:
                    values.append(item.text().strip())
            free_text = [v for v, col in zip(values, self._columns, strict=True) if not col.choices]
            if any(free_text):
                first = self.table.item(r, 0)
                result.append((first.data(Qt.ItemDataRole.UserRole + 1) if first else None, values))
        return result


def cell_edit() -> QLineEdit:
    """A frameless line edit for a table cell; its tooltip shows the whole text, which a
    narrow column cuts off."""
    edit = QLineEdit()
    edit.setFrame(False)
    edit.textChanged.connect(edit.setToolTip)
    return edit


def save_until_accepted(dialog, read, save, errors=(ValueError, LookupError)):
    """Show `dialog` until `save(read())` succeeds or the user cancels; a refused save keeps the
    dialog open with the reason, so nothing typed is lost. Returns what `save` returned, or None."""
    while dialog.exec():
        try:
            return save(read())
        except errors as exc:
            dialog.show_error(str(exc).strip('"'))
    return None
