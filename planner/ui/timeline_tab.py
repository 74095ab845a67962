"""An engagement's timeline: the drawing with a slip slider, and the same milestones as a table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.wording import plural
from planner.services.timeline import TimelineService
from planner.ui.milestone_table import COLUMNS, ChoiceDelegate, MilestoneTableModel
from planner.ui.timeline_canvas import TimelineCanvas

LEGEND = (
    "<span style='color:#1565c0'>◆</span> shared with the CMO &nbsp; "
    "<span style='color:#c62828'>━</span> critical chain to a deadline &nbsp; "
    "<span style='color:#d50000'>━</span> date conflict &nbsp; "
    "<span style='color:#ef6c00'>◆</span> where a slip moves it &nbsp; ⚑ hard deadline"
)


class TimelineTab(QWidget):
    wizard_requested = Signal(int)  # engagement id
    changed = Signal(int)  # engagement id, after an edit in the table

    def __init__(self, service: TimelineService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.engagement_id: int | None = None

        self.wizard_button = QPushButton("Document timeline &rationale…")
        self.wizard_button.clicked.connect(
            lambda: (
                self.engagement_id is not None and self.wizard_requested.emit(self.engagement_id)
            )
        )
        self.summary = QLabel()
        self.slip_milestone = QComboBox()
        self.slip_milestone.setMinimumWidth(280)
        self.slip_days = QSlider(Qt.Orientation.Horizontal)
        self.slip_days.setRange(0, 180)
        self.slip_days.setSingleStep(1)
        self.slip_days.setPageStep(7)
        self.slip_days.setFixedWidth(180)
        self.slip_label = QLabel("Slip: 0 days")
        self.slip_label.setMinimumWidth(90)
        self.slip_result = QLabel()
        self.slip_result.setWordWrap(True)
        self.slip_days.valueChanged.connect(self._slip)
        self.slip_milestone.currentIndexChanged.connect(self._slip)

        top = QHBoxLayout()
        top.addWidget(self.wizard_button)
        top.addWidget(self.summary, 1)
        slip_row = QHBoxLayout()
        slip_row.addWidget(QLabel("What if"))
        slip_row.addWidget(self.slip_milestone)
        slip_row.addWidget(QLabel("slips"))
        slip_row.addWidget(self.slip_days)
        slip_row.addWidget(self.slip_label)
        slip_row.addWidget(self.slip_result, 1)

        self.canvas = TimelineCanvas()
        scroll = QScrollArea()
        scroll.setWidget(self.canvas)
        scroll.setWidgetResizable(True)
        self.model = MilestoneTableModel(self._service.update_milestone, self)
        self.model.edit_failed.connect(self._show_error)
        self.model.edited.connect(self._edited)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        delegate = ChoiceDelegate(self.table)
        for i, column in enumerate(COLUMNS):
            self.table.horizontalHeader().resizeSection(i, column.width)
            if column.choices:
                self.table.setItemDelegateForColumn(i, delegate)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_selected)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        legend = QLabel(LEGEND)
        legend.setStyleSheet("color: #546e7a;")

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(self.table)
        split.setSizes([320, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(slip_row)
        layout.addWidget(split, 1)
        layout.addWidget(legend)
        layout.addWidget(self.error)

    def set_engagement(self, engagement_id: int | None) -> None:
        self.engagement_id = engagement_id
        self.error.hide()
        self.refresh()

    def refresh(self) -> None:
        if self.engagement_id is None:
            self.canvas.set_view(None)
            self.model.set_rows([])
            self.summary.setText("")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        view = self._service.view(self.engagement_id)
        self.canvas.set_view(view)
        self.model.set_rows(list(view.milestones))
        s = view.summary
        parts = [
            f"{s.milestones} milestones",
            f"{s.documented} with their why",
            f"{s.shared} shared",
            f"version {view.version}",
        ]
        if s.conflicts:
            parts.append(
                f"<span style='color:#d50000'><b>{len(s.conflicts)} date conflict(s)</b></span>"
            )
        self.summary.setText(" · ".join(parts))
        current = self.slip_milestone.currentData()
        self.slip_milestone.blockSignals(True)
        self.slip_milestone.clear()
        for m in view.milestones:
            if m.planned_date:
                self.slip_milestone.addItem(m.name, m.id)
        index = self.slip_milestone.findData(current)
        self.slip_milestone.setCurrentIndex(max(index, 0))
        self.slip_milestone.blockSignals(False)
        self._slip()

    def _slip(self) -> None:
        days = self.slip_days.value()
        self.slip_label.setText(f"{days} days")
        milestone_id = self.slip_milestone.currentData()
        if self.engagement_id is None or milestone_id is None or days == 0:
            self.canvas.set_slip(None)
            self.slip_result.setText("")
            return
        result = self._service.slip(self.engagement_id, milestone_id, days)
        self.canvas.set_slip(result)
        moved = [e for e in result.moves if e.milestone_id != milestone_id]
        text = f"{plural(len(moved), 'other milestone')} {'moves' if len(moved) == 1 else 'move'}"
        if result.hard_deadlines_moved:
            worst = max(result.hard_deadlines_moved, key=lambda e: e.days)
            text += f"; <b style='color:#c62828'>{worst.name} moves {worst.days} days</b>"
        else:
            text += "; no hard deadline moves"
        self.slip_result.setText(text + ".")

    def _row_selected(self, current, _previous) -> None:
        if current.isValid():
            self.canvas.selected_id = self.model.milestone_at(current.row()).id
            self.canvas.update()

    def _edited(self, _milestone_id: int) -> None:
        self.error.hide()
        row = self.table.currentIndex()
        self.refresh()
        if row.isValid():
            self.table.setCurrentIndex(
                self.model.index(min(row.row(), self.model.rowCount() - 1), row.column())
            )
        if self.engagement_id is not None:
            self.changed.emit(self.engagement_id)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
