"""Small table models over plain Python rows, with sorting and filtering done on Python lists.

Qt's proxy sorts by calling `data()` for every comparison (seconds for 100k rows); sorting the
list with a key and filtering on a precomputed lower-case haystack takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from planner.domain.names import fold

Row = TypeVar("Row")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    tooltip: Callable[[Row], str] | None = None
    align_right: bool = False


class RowTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(
        self,
        columns: Sequence[Column[Row]],
        row_id: Callable[[Row], int],
        haystack: Callable[[Row], str],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._row_id = row_id
        self._haystack_of = haystack
        self._rows: list[Row] = []
        self._haystacks: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- content -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort:
            self._sort_rows(*self._sort)
        self._haystacks = [fold(self._haystack_of(r)) for r in self._rows]
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def row_of_id(self, row_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if self._row_id(r) == row_id:
                return i
        return None

    def haystack(self, row: int) -> str:
        return self._haystacks[row]

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return self._row_id(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [self._row_id(r) for r in self._rows]
        self._sort = (column, order)
        self._sort_rows(column, order)
        self._haystacks = [fold(self._haystack_of(r)) for r in self._rows]
        new_pos = {self._row_id(r): i for i, r in enumerate(self._rows)}
        for index in self.persistentIndexList():
            target = new_pos[old_ids[index.row()]]
            self.changePersistentIndex(index, self.index(target, index.column()))
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        col = self._columns[column]
        key = col.sort_key or (lambda r: fold(col.text(r)))
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)


class RowFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose haystack holds every word typed; sorting is passed to the source."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_filter_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._words = fold(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = fold(text).split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self._words:
            return True
        hay = self.sourceModel().haystack(source_row)
        return all(w in hay for w in self._words)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


def data_table(model, *, multi: bool = False, sortable: bool = True):
    """A read-only QTableView the way every list in the app looks: whole rows selected, single
    lines, no row numbers, sorted through the model (see RowTableModel.sort)."""
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    if sortable:
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
    return table
