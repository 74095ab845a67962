"""Step 2: a planned date and an owner for every milestone (required before Next).

A date is saved when the user presses Enter or leaves the field; an owner when it is chosen.
Date-order conflicts are pointed out beside the row as they appear; they are settled on the
conflicts step, where the slip explorer shows what they cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QTableWidgetItem,
)

from planner.domain.timeline import MilestoneOwner
from planner.domain.timeline_summary import TimelineStep
from planner.ui.timeline_pages_base import (
    BLOCKING_COLOUR,
    ID_ROLE,
    TimelinePage,
    hint_label,
    milestone_table,
)
from planner.ui.widgets import DateEdit, InputError

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

COLUMNS = ("Milestone", "Planned date", "Owner", "Check")
OK_COLOUR = "#1b5e20"


def owner_combo() -> QComboBox:
    combo = QComboBox()
    combo.addItem("— choose —", None)
    for owner in MilestoneOwner:
        combo.addItem(owner.label, owner)
    return combo


class DatesPage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.DATES,
            "Dates and owners",
            "When each milestone is planned and who delivers it: the sponsor, the CMO, or both "
            "together. Every milestone needs both before the next step.",
        )
        self.table = milestone_table("datesTable", COLUMNS, (225, 112, 100), editable=True)
        self.body.addWidget(
            hint_label("Type dates as YYYY-MM-DD; each is saved when you press Enter or move on.")
        )
        self.body.addWidget(self.table, 1)
        self.dates: dict[int, DateEdit] = {}
        self.owners: dict[int, QComboBox] = {}

    def fill(self) -> None:
        milestones = self.wiz.timeline.ordered()
        self.dates, self.owners = {}, {}
        self.table.setRowCount(len(milestones))
        for row, m in enumerate(milestones):
            assert m.id is not None
            name = QTableWidgetItem(m.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            name.setData(ID_ROLE, m.id)
            name.setToolTip(m.name)
            self.table.setItem(row, 0, name)
            edit = DateEdit(f"Date of '{m.name}'")
            edit.set_date(m.planned_date)
            edit.editingFinished.connect(lambda mid=m.id: self.date_entered(mid))
            self.table.setCellWidget(row, 1, edit)
            combo = owner_combo()
            combo.setCurrentIndex(max(0, combo.findData(m.owner)))
            combo.currentIndexChanged.connect(lambda _i, mid=m.id: self.owner_chosen(mid))
            self.table.setCellWidget(row, 2, combo)
            self.dates[m.id], self.owners[m.id] = edit, combo
        self.refresh_checks()

    def _restore(self, milestone_id: int) -> None:
        m = self.stored(milestone_id)
        if m is None:
            return
        self.dates[milestone_id].set_date(m.planned_date)
        combo = self.owners[milestone_id]
        with QSignalBlocker(combo):
            combo.setCurrentIndex(max(0, combo.findData(m.owner)))

    def date_entered(self, milestone_id: int) -> None:
        m = self.stored(milestone_id)
        if m is None:
            return
        try:
            value = self.dates[milestone_id].date_value()
        except InputError as exc:
            self.show_message(str(exc))
            self._restore(milestone_id)
            return
        if value == m.planned_date:
            return
        service = self.wiz.service
        if not self.persist(lambda: service.set_schedule(milestone_id, value, m.owner)):
            self._restore(milestone_id)
        self.refresh_checks()

    def owner_chosen(self, milestone_id: int) -> None:
        m = self.stored(milestone_id)
        if m is None:
            return
        owner = self.owners[milestone_id].currentData()
        if owner == m.owner:
            return
        service = self.wiz.service
        if not self.persist(lambda: service.set_schedule(milestone_id, m.planned_date, owner)):
            self._restore(milestone_id)
        self.refresh_checks()

    def refresh_checks(self) -> None:
        conflicts: dict[int, list[str]] = {}
        for c in self.wiz.summary.conflicts:
            conflicts.setdefault(c.dependent_id, []).append(
                f"{c.short_by_days} d early for '{c.prerequisite_name}'"
            )
        for row in range(self.table.rowCount()):
            milestone_id = self.table.item(row, 0).data(ID_ROLE)
            m = self.stored(milestone_id)
            if m is None:
                continue
            missing = [
                what
                for what, absent in (("no date", m.planned_date is None), ("no owner", not m.owner))
                if absent
            ]
            problems = missing + conflicts.get(milestone_id, [])
            item = QTableWidgetItem("; ".join(problems) if problems else "✓")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(item.text())
            item.setForeground(QBrush(QColor(BLOCKING_COLOUR if problems else OK_COLOUR)))
            self.table.setItem(row, 3, item)

    def flush(self) -> None:
        for milestone_id, edit in list(self.dates.items()):
            stored = self.wiz.timeline.by_id().get(milestone_id)
            if stored is not None and edit.text().strip() != (
                stored.planned_date.isoformat() if stored.planned_date else ""
            ):
                self.date_entered(milestone_id)

    def focus_milestone(self, milestone_id: int) -> None:
        edit = self.dates.get(milestone_id)
        if edit is not None:
            for row in range(self.table.rowCount()):
                if self.table.item(row, 0).data(ID_ROLE) == milestone_id:
                    self.table.scrollToItem(self.table.item(row, 0))
            edit.setFocus()

    def problem(self) -> str | None:
        missing = [
            m.name for m in self.wiz.timeline.ordered() if m.planned_date is None or not m.owner
        ]
        if not missing:
            return None
        names = ", ".join(f"'{n}'" for n in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        return f"Give every milestone a date and an owner; still missing: {names}{more}."
