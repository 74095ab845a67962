"""The engagement's milestones as an editable table; every edit is saved through the service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from planner.domain.timeline import Milestone, MilestoneDriver, MilestoneOwner

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _parse_day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD.") from None


def _int(text: str) -> int:
    try:
        return int(str(text).strip() or 0)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number of days.") from None


@dataclass(frozen=True)
class MilestoneColumn:
    title: str
    field: str
    show: Callable[[Milestone], Any]
    parse: Callable[[Any], Any] | None = None  # None: not editable as text
    choices: tuple[tuple[str, Any], ...] = ()
    check: bool = False
    width: int = 100


COLUMNS = (
    MilestoneColumn("Milestone", "name", lambda m: m.name, str.strip, width=210),
    MilestoneColumn(
        "Date",
        "planned_date",
        lambda m: m.planned_date.isoformat() if m.planned_date else "",
        _parse_day,
        width=95,
    ),
    MilestoneColumn(
        "Owner",
        "owner",
        lambda m: m.owner.label if m.owner else "",
        choices=(("—", None), *((o.label, o) for o in MilestoneOwner)),
        width=80,
    ),
    MilestoneColumn(
        "Driver",
        "driver",
        lambda m: m.driver.label if m.driver else "",
        choices=(("—", None), *((d.label, d) for d in MilestoneDriver)),
        width=130,
    ),
    MilestoneColumn("Why this date", "rationale", lambda m: m.rationale, str.strip, width=330),
    MilestoneColumn("Buffer (d)", "buffer_days", lambda m: str(m.buffer_days), _int, width=75),
    MilestoneColumn("Deadline", "hard_deadline", lambda m: m.hard_deadline, check=True, width=70),
    MilestoneColumn("Share", "share_with_cmo", lambda m: m.share_with_cmo, check=True, width=55),
    MilestoneColumn(
        "CMO confirmed",
        "cmo_confirmed_on",
        lambda m: (
            f"{m.cmo_confirmed_on.isoformat()} by {m.cmo_confirmed_by}"
            if m.cmo_confirmed_on
            else ""
        ),
        width=160,
    ),
)


class MilestoneTableModel(QAbstractTableModel):
    edit_failed = Signal(str)
    edited = Signal(int)  # milestone id

    def __init__(self, save: Callable[..., Milestone], parent=None) -> None:
        """`save(milestone_id, **fields)` persists one change and returns the stored milestone."""
        super().__init__(parent)
        self._save = save
        self._rows: list[Milestone] = []

    def set_rows(self, milestones: list[Milestone]) -> None:
        self.beginResetModel()
        self._rows = list(milestones)
        self.endResetModel()

    def milestone_at(self, row: int) -> Milestone:
        return self._rows[row]

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        column = COLUMNS[index.column()]
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if column.check:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif column.parse or column.choices:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self._rows[index.row()]
        column = COLUMNS[index.column()]
        value = column.show(m)
        if column.check:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return value
        if role == Qt.ItemDataRole.EditRole:
            return getattr(m, column.field) if column.choices else value
        if role == Qt.ItemDataRole.ToolTipRole and column.field == "rationale":
            return m.rationale or "No rationale yet: why was this date chosen?"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        m = self._rows[index.row()]
        column = COLUMNS[index.column()]
        try:
            if column.check and role == Qt.ItemDataRole.CheckStateRole:
                new = Qt.CheckState(value) == Qt.CheckState.Checked
            elif role == Qt.ItemDataRole.EditRole and column.parse:
                new = column.parse(value)
            elif role == Qt.ItemDataRole.EditRole and column.choices:
                new = value
            else:
                return False
            if getattr(m, column.field) == new:
                return False
            saved = self._save(m.id, **{column.field: new})
        except (ValueError, LookupError) as exc:  # rule errors, not found, conflicts
            self.edit_failed.emit(str(exc).strip('"'))
            return False
        self._rows[index.row()] = saved
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        self.edited.emit(saved.id)
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for columns with choices; the model takes the chosen value (EditRole)."""

    # The combo holds positions, not values: Qt would turn enum values into plain strings.
    def createEditor(self, parent, option, index):  # noqa: N802
        combo = QComboBox(parent)
        for label, _value in COLUMNS[index.column()].choices:
            combo.addItem(label)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802
        current = index.data(Qt.ItemDataRole.EditRole)
        values = [value for _label, value in COLUMNS[index.column()].choices]
        editor.setCurrentIndex(values.index(current) if current in values else 0)

    def setModelData(self, editor, model, index):  # noqa: N802
        _label, value = COLUMNS[index.column()].choices[editor.currentIndex()]
        model.setData(index, value, Qt.ItemDataRole.EditRole)
