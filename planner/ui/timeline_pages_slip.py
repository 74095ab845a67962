"""Step 6: date-order conflicts (with a one-click fix) and the slip explorer.

The explorer answers "if the tech-transfer package slips 30 days, what moves, by how much, and
does a hard deadline move?" with TimelineService.slip, and how much room the chosen milestone
has before each deadline. The explorer only reads; the conflict fixes are this page's writes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from planner.domain.timeline import MAX_DAYS, Timeline
from planner.domain.timeline_rules import DateConflict
from planner.domain.timeline_slip import SlipEffect, propagate_slip
from planner.domain.timeline_summary import OpenPoint, TimelineStep
from planner.domain.wording import plural
from planner.ui.timeline_pages_base import (
    BLOCKING_COLOUR,
    ID_ROLE,
    TimelinePage,
    day_text,
    days_text,
)

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

EFFECT_COLUMNS = ("Milestone", "Planned", "Moves to", "By", "Held back by")
DEFAULT_SLIP_DAYS = 30
# The example: what a late tech-transfer package does to the plan.
FIRST_EXAMPLE = "tech_transfer_package"
OK_COLOUR = "#1b5e20"


def moves_to_resolve(timeline: Timeline, conflict: DateConflict) -> dict[int, int]:
    """Days each milestone moves when the conflict's dependent goes to its earliest date and
    everything after it keeps its lead times: the slip propagation with buffers left out. (A
    buffer absorbs lateness in a forecast; a planned date inside it would be a new conflict.)"""
    bare = Timeline(
        [replace(m, buffer_days=0) for m in timeline.milestones],
        list(timeline.links),
        timeline.engagement_id,
        timeline.version,
    )
    slip = propagate_slip(bare, conflict.dependent_id, conflict.short_by_days)
    return {e.milestone_id: e.days for e in slip.moves}


class ConflictsPage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.CONFLICTS,
            "Conflicts and slips",
            "The planner checks that every milestone comes after what it waits for, and shows "
            "what moves if one milestone is late.",
        )
        conflicts_box = QGroupBox("Date-order conflicts")
        self.conflicts = QListWidget()
        self.conflicts.setObjectName("conflictList")
        self.conflicts.setWordWrap(True)
        self.conflicts.setMaximumHeight(74)
        self.conflicts.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.no_conflicts = QLabel(
            "No conflicts: every milestone is planned after what it waits for plus the lead time."
        )
        self.no_conflicts.setStyleSheet(f"color: {OK_COLOUR};")
        self.no_conflicts.setWordWrap(True)
        self.fix_button = QPushButton("&Move it to the earliest date allowed")
        self.fix_button.clicked.connect(self.fix_selected)
        self.push_button = QPushButton("Move it and &push what follows")
        self.push_button.setToolTip(
            "Also moves every later milestone that would otherwise come too early, "
            "by as little as its lead times need"
        )
        self.push_button.clicked.connect(self.push_selected)
        self.dates_button = QPushButton("Change &dates…")
        self.dates_button.clicked.connect(self._go_to_dates)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.push_button)
        buttons.addWidget(self.dates_button)
        buttons.addStretch(1)
        box = QVBoxLayout(conflicts_box)
        box.addWidget(self.no_conflicts)
        box.addWidget(self.conflicts)
        box.addLayout(buttons)

        slip_box = QGroupBox("Slip explorer (hard deadlines in bold)")
        self.milestone = QComboBox()
        self.milestone.setObjectName("slipMilestone")
        self.milestone.setMinimumWidth(260)
        self.days = QSpinBox()
        self.days.setRange(0, MAX_DAYS)
        self.days.setSuffix(" days")
        self.days.setValue(DEFAULT_SLIP_DAYS)
        self.milestone.currentIndexChanged.connect(lambda _i: self.explore())
        self.days.valueChanged.connect(lambda _v: self.explore())
        ask = QHBoxLayout()
        if_label = QLabel("&If")
        if_label.setBuddy(self.milestone)
        ask.addWidget(if_label)
        ask.addWidget(self.milestone, 1)
        ask.addWidget(QLabel("slips"))
        ask.addWidget(self.days)
        self.sentence = QLabel()
        self.sentence.setObjectName("slipSentence")
        self.sentence.setWordWrap(True)
        self.room = QLabel()
        self.room.setObjectName("slipRoom")
        self.room.setWordWrap(True)
        self.effects = QTableWidget(0, len(EFFECT_COLUMNS))
        self.effects.setObjectName("slipEffects")
        self.effects.setHorizontalHeaderLabels(EFFECT_COLUMNS)
        self.effects.verticalHeader().setVisible(False)
        self.effects.verticalHeader().setDefaultSectionSize(24)
        self.effects.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.effects.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.effects.horizontalHeader()
        for column, width in enumerate((215, 85, 85, 70)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        slip = QVBoxLayout(slip_box)
        slip.addLayout(ask)
        slip.addWidget(self.sentence)
        slip.addWidget(self.effects, 1)
        slip.addWidget(self.room)
        self.body.addWidget(conflicts_box)
        self.body.addWidget(slip_box, 1)
        self._conflicts: list[DateConflict] = []

    def shown_points(self) -> tuple[OpenPoint, ...]:
        return ()  # the conflict list above is this step's open points, with a fix beside it

    # -- conflicts ------------------------------------------------------------------------
    def fill(self) -> None:
        self._conflicts = list(self.wiz.summary.conflicts)
        with QSignalBlocker(self.conflicts):
            self.conflicts.clear()
            for c in self._conflicts:
                item = QListWidgetItem(c.message)
                item.setData(ID_ROLE, c.dependent_id)
                self.conflicts.addItem(item)
            self.conflicts.setCurrentRow(0 if self._conflicts else -1)
        self.conflicts.setVisible(bool(self._conflicts))
        self.no_conflicts.setVisible(not self._conflicts)
        self._update_buttons()
        self._fill_milestones()
        self.explore()

    def selected_conflict(self) -> DateConflict | None:
        row = self.conflicts.currentRow()
        return self._conflicts[row] if 0 <= row < len(self._conflicts) else None

    def _update_buttons(self) -> None:
        c = self.selected_conflict()
        for button in (self.fix_button, self.push_button, self.dates_button):
            button.setVisible(bool(self._conflicts))
            button.setEnabled(c is not None)
        if c is not None:
            self.fix_button.setText(f"&Move it to {c.earliest_date.isoformat()}")

    def fix_selected(self) -> bool:
        """Move only the milestone that comes too early; what follows it may then conflict."""
        c = self.selected_conflict()
        return c is not None and self._move({c.dependent_id: c.short_by_days}, c)

    def push_selected(self) -> bool:
        """Move the milestone and everything after it that would come too early."""
        c = self.selected_conflict()
        if c is None:
            return False
        try:
            moves = moves_to_resolve(self.wiz.timeline, c)
        except ValueError as exc:  # a cycle, which only an old store could hold
            self.show_message(str(exc))
            return False
        return self._move(moves, c)

    def _move(self, moves: dict[int, int], conflict: DateConflict) -> bool:
        by_id = self.wiz.timeline.by_id()
        plan = [
            (mid, m.planned_date + timedelta(days=days), m.owner)
            for mid, days in moves.items()
            if days and (m := by_id.get(mid)) is not None and m.planned_date is not None
        ]
        service = self.wiz.service

        def move_all() -> None:
            for mid, new_date, owner in plan:
                service.set_schedule(mid, new_date, owner)

        ok = self.persist(move_all)
        if ok:
            others = len(plan) - 1
            self.show_message(
                f"Moved '{conflict.dependent_name}' to {conflict.earliest_date.isoformat()}"
                + (f" and {plural(others, 'milestone')} after it." if others else ".")
                + " See below what a slip would do now.",
                error=False,
            )
        self.fill()
        return ok

    def _go_to_dates(self) -> None:
        c = self.selected_conflict()
        self.wiz.go_to(self.wiz.dates_page, c.dependent_id if c else None)

    def focus_milestone(self, milestone_id: int) -> None:
        for row, c in enumerate(self._conflicts):
            if c.dependent_id == milestone_id:
                self.conflicts.setCurrentRow(row)
                break
        index = self.milestone.findData(milestone_id)
        if index >= 0:
            self.milestone.setCurrentIndex(index)

    # -- slip explorer --------------------------------------------------------------------
    def _fill_milestones(self) -> None:
        timeline = self.wiz.timeline
        keep = self.milestone.currentData()
        if keep not in timeline.by_id():
            with_dependents = [
                m for m in timeline.ordered() if m.id and timeline.dependents_of(m.id)
            ]
            example = [m for m in timeline.milestones if m.template_key == FIRST_EXAMPLE]
            first = (example or with_dependents or timeline.ordered() or [None])[0]
            keep = first.id if first else None
        with QSignalBlocker(self.milestone):
            self.milestone.clear()
            for m in timeline.ordered():
                self.milestone.addItem(f"{m.name} ({day_text(m.planned_date)})", m.id)
            self.milestone.setCurrentIndex(max(0, self.milestone.findData(keep)))

    def explore(self) -> None:
        milestone_id = self.milestone.currentData()
        self.effects.setRowCount(0)
        if milestone_id is None:
            self.sentence.setText("Add milestones first to see what a slip moves.")
            self.room.setText("")
            return
        eid, days = self.wiz.engagement_id, self.days.value()
        try:
            result = self.wiz.service.slip(eid, milestone_id, days)
            rooms = self.wiz.service.room_before_deadlines(eid, milestone_id)
        except (ValueError, LookupError) as exc:  # a cycle in an old store, a vanished milestone
            self.sentence.setText(str(exc))
            self.room.setText("")
            return
        self.sentence.setText(result.sentence)
        colour = BLOCKING_COLOUR if result.moves_hard_deadline else OK_COLOUR
        self.sentence.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.effects.setRowCount(len(result.effects))
        for row, effect in enumerate(result.effects):
            self._fill_effect(row, effect)
        if rooms:
            self.room.setText(
                "Room: this milestone may run "
                + "; ".join(
                    f"{days_text(r.float_days)} late before '{r.deadline_name}' moves"
                    for r in rooms
                )
                + "."
            )
        else:
            self.room.setText("No hard deadline waits for this milestone.")

    def _fill_effect(self, row: int, effect: SlipEffect) -> None:
        held = ""
        if effect.via_id is not None:
            parts = [
                f"{what} {days_text(n)}"
                for what, n in (("slack", effect.slack_used), ("buffer", effect.buffer_used))
                if n
            ]
            held = ", ".join(parts) or "nothing"
        texts = (
            effect.name,
            day_text(effect.planned_date),
            day_text(effect.new_date) if effect.moves else "stays",
            f"+{effect.days} d" if effect.moves else "0",
            held if effect.via_id is not None else "the slip itself",
        )
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(f"{text} (hard deadline)" if effect.hard_deadline else text)
            if effect.hard_deadline:  # bold: the sentence above names the deadlines
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                if effect.moves:
                    item.setForeground(QBrush(QColor(BLOCKING_COLOUR)))
            self.effects.setItem(row, column, item)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
