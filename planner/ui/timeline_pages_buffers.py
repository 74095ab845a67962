"""Step 5: buffer days in front of milestones, and which milestones are hard deadlines.

Beside each milestone the page shows how late it may run before a hard deadline moves (the
float of timeline_slip), recomputed as buffers and flags change, so the user sees where a
buffer buys room and where it does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QSpinBox,
    QTableWidgetItem,
    QWidget,
)

from planner.domain.timeline import MAX_DAYS, CycleError, Milestone
from planner.domain.timeline_slip import room_before_deadlines
from planner.domain.timeline_summary import OpenPoint, TimelineStep
from planner.ui.timeline_pages_base import (
    ID_ROLE,
    TimelinePage,
    day_text,
    hint_label,
    milestone_table,
)

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

COLUMNS = (
    "Milestone",
    "Planned",
    "Buffer",
    "Hard deadline",
    "Room before a deadline",
)


def centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    return holder


class BuffersPage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.BUFFERS,
            "Buffers and deadlines",
            "A buffer absorbs lateness arriving from a milestone's prerequisites before the "
            "milestone itself moves. Hard deadlines (filing, launch) are what the plan protects.",
        )
        self.table = milestone_table("buffersTable", COLUMNS, (215, 85, 85, 90))
        self.body.addWidget(
            hint_label(
                "Days of buffer are held in front of the milestone: with a 10-day buffer, a "
                "prerequisite 10 days late does not move it."
            )
        )
        self.body.addWidget(self.table, 1)
        self.buffers: dict[int, QSpinBox] = {}
        self.deadlines: dict[int, QCheckBox] = {}

    def open_points(self) -> tuple[OpenPoint, ...]:
        # "No hard deadline" is filed under the template step by the summary; it is set here.
        summary = self.wiz.summary
        return summary.open_for(TimelineStep.BUFFERS) + tuple(
            p for p in summary.open_for(TimelineStep.TEMPLATE) if self.wiz.page_for_point(p) is self
        )

    def fill(self) -> None:
        milestones = self.wiz.timeline.ordered()
        self.buffers, self.deadlines = {}, {}
        self.table.setRowCount(len(milestones))
        for row, m in enumerate(milestones):
            assert m.id is not None
            for column, text in enumerate((m.name, day_text(m.planned_date))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setData(ID_ROLE, m.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            spin = QSpinBox()
            spin.setRange(0, MAX_DAYS)
            spin.setSuffix(" days")
            spin.setKeyboardTracking(False)
            spin.setValue(m.buffer_days)
            spin.valueChanged.connect(lambda value, mid=m.id: self.buffer_set(mid, value))
            self.table.setCellWidget(row, 2, spin)
            check = QCheckBox()
            check.setChecked(m.hard_deadline)
            check.setToolTip("A date the plan must protect (filing, launch)")
            check.toggled.connect(lambda on, mid=m.id: self.deadline_set(mid, on))
            self.table.setCellWidget(row, 3, centred(check))
            self.buffers[m.id], self.deadlines[m.id] = spin, check
        self.refresh_room()

    def buffer_set(self, milestone_id: int, days: int) -> None:
        if not self.persist(lambda: self.wiz.service.set_buffer(milestone_id, days)):
            m = self.stored(milestone_id)
            with QSignalBlocker(self.buffers[milestone_id]):
                self.buffers[milestone_id].setValue(m.buffer_days if m else days)
        self.refresh_room()

    def deadline_set(self, milestone_id: int, on: bool) -> None:
        if not self.persist(lambda: self.wiz.service.set_hard_deadline(milestone_id, on)):
            m = self.stored(milestone_id)
            with QSignalBlocker(self.deadlines[milestone_id]):
                self.deadlines[milestone_id].setChecked(m.hard_deadline if m else on)
        self.refresh_room()

    def room_text(self, milestone: Milestone) -> str:
        assert milestone.id is not None
        if milestone.hard_deadline:
            return "is a hard deadline"
        try:
            rooms = room_before_deadlines(self.wiz.timeline, milestone.id)
        except CycleError:  # the service refuses cycles; an old store might still hold one
            return "—"
        if not rooms:
            return "no hard deadline waits for it"
        least = min(rooms, key=lambda r: r.float_days)
        text = f"{least.float_days} d · {least.deadline_name}"
        others = len(rooms) - 1
        return text + (f" (+{others} more)" if others else "")

    def refresh_room(self) -> None:
        for row in range(self.table.rowCount()):
            m = self.stored(self.table.item(row, 0).data(ID_ROLE))
            item = QTableWidgetItem(self.room_text(m) if m else "removed")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(item.text())
            self.table.setItem(row, 4, item)

    def focus_milestone(self, milestone_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) == milestone_id:
                self.table.scrollToItem(self.table.item(row, 0))
                self.buffers[milestone_id].setFocus()
