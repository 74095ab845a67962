"""The KPI targets step: per KPI how it is measured, its unit, which way is better, the target
and an optional floor (the value that earns nothing on a scorecard). Stored field by field."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
)

from planner.domain.criteria import Criterion, CriterionStage, Direction
from planner.ui.criteria_pages_base import CriteriaPage, hint_label
from planner.ui.criteria_pages_criterion import number_edit, number_text, read_number
from planner.ui.widgets import InputError, cell_edit

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

NAME, METRIC, UNIT, DIRECTION, TARGET, FLOOR = range(6)
KPI = CriterionStage.PERFORMANCE


class TargetsPage(CriteriaPage):
    warns_about_review = True

    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "KPI targets",
            "What good looks like for each KPI: the target and which way is better.",
        )
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("kpiTargets")
        self.table.setHorizontalHeaderLabels(
            ["KPI", "Metric", "Unit", "Better when", "Target", "Floor"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(METRIC, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NAME, 170), (UNIT, 84), (DIRECTION, 92), (TARGET, 60), (FLOOR, 60)):
            header.resizeSection(column, width)
        self.ids: list[int | None] = []
        self.metric_edits: list[QLineEdit] = []
        self.unit: list[QLineEdit] = []
        self.direction: list[QComboBox] = []
        self.target: list[QLineEdit] = []
        self.floor: list[QLineEdit] = []
        self.body.addWidget(
            hint_label(
                "The floor is optional: on a scorecard, the target earns full points and the "
                "floor none. A changed target is stored when you leave the field."
            )
        )
        self.body.addWidget(self.table, 1)

    def skipped(self) -> bool:
        return not self.wiz.focus.includes(KPI) and not self.kpis()

    def kpis(self) -> list[Criterion]:
        return self.cs.stage_criteria(KPI) if self.cs else []

    def fill(self) -> None:
        kpis = self.kpis()
        if [c.id for c in kpis] != self.ids:
            self._build(kpis)
        self.sync()

    def _build(self, kpis: list[Criterion]) -> None:
        self.table.setRowCount(len(kpis))
        self.ids = [c.id for c in kpis]
        self.metric_edits, self.unit, self.direction, self.target, self.floor = [], [], [], [], []
        for row, c in enumerate(kpis):
            name = QTableWidgetItem(c.name)
            name.setToolTip(c.description)
            self.table.setItem(row, NAME, name)
            metric, unit = cell_edit(), cell_edit()
            direction = QComboBox()
            direction.addItem("—", "")
            for d in Direction:
                direction.addItem(d.value.capitalize(), d.value)
            direction.setToolTip("Higher is better, or lower is better.")
            target, floor = number_edit(), number_edit("optional")
            for column, widget in (
                (METRIC, metric),
                (UNIT, unit),
                (DIRECTION, direction),
                (TARGET, target),
                (FLOOR, floor),
            ):
                if isinstance(widget, QLineEdit):
                    widget.setFrame(False)
                    widget.editingFinished.connect(lambda r=row: self.commit(r))
                self.table.setCellWidget(row, column, widget)
            direction.activated.connect(lambda _i, r=row: self.commit(r))
            self.metric_edits.append(metric)
            self.unit.append(unit)
            self.direction.append(direction)
            self.target.append(target)
            self.floor.append(floor)

    def sync(self) -> None:
        """Show what is stored in the row widgets already there."""
        for row, c in enumerate(self.kpis()):
            if row >= len(self.ids):
                break
            for edit, text in (
                (self.metric_edits[row], c.metric),
                (self.unit[row], c.unit),
                (self.target[row], number_text(c.target)),
                (self.floor[row], number_text(c.floor)),
            ):
                with QSignalBlocker(edit):
                    edit.setText(text)
                    edit.setCursorPosition(0)
            self.metric_edits[row].setToolTip(c.metric)
            with QSignalBlocker(self.direction[row]):
                value = c.direction.value if c.direction else ""
                self.direction[row].setCurrentIndex(max(0, self.direction[row].findData(value)))

    def typed(self, row: int, c: Criterion) -> Criterion:
        direction = self.direction[row].currentData()
        return replace(
            c,
            metric=self.metric_edits[row].text().strip(),
            unit=self.unit[row].text().strip(),
            direction=Direction(direction) if direction else None,
            target=read_number(self.target[row], f"Target of '{c.name}'"),
            floor=read_number(self.floor[row], f"Floor of '{c.name}'"),
        )

    def commit(self, row: int) -> None:
        kpis = self.kpis()
        if row >= len(kpis):
            return
        c = kpis[row]
        try:
            edited = self.typed(row, c)
        except InputError as exc:
            self.show_message(str(exc))
            return
        if edited == c:
            return
        set_id = self.wiz.set_id
        self.persist(lambda: self.wiz.services.sets.update_criterion(set_id, edited))
        self.sync()  # a refused value gives way to what is stored; the message says why

    def flush(self) -> None:
        for row in range(len(self.ids)):
            editors = (self.metric_edits[row], self.unit[row], self.target[row], self.floor[row])
            if any(e.hasFocus() for e in editors):
                self.commit(row)

    def problem(self) -> str | None:
        for c in self.kpis():
            if c.target is None or c.direction is None:
                return f"KPI '{c.name}' needs a target and a direction."
        return None
