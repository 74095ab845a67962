"""Step 7: which milestones to share with the CMO, and which dates the CMO has confirmed.

Only shared milestones reach an alignment pack, with their rationale and the links among shared
milestones. A confirmation needs both the date and who confirmed; while only one of the two is
typed the page says what is missing and stores nothing, so the store never holds half of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
)

from planner.domain.timeline import Milestone
from planner.domain.timeline_summary import TimelineStep
from planner.ui.timeline_pages_base import (
    ID_ROLE,
    TimelinePage,
    day_text,
    hint_label,
    milestone_table,
)
from planner.ui.timeline_pages_buffers import centred
from planner.ui.widgets import DateEdit, InputError

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

COLUMNS = ("Share", "Milestone", "Planned", "CMO confirmed on", "Confirmed by")


class SharePage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.SHARE,
            "What to share",
            "Shared milestones go into the alignment pack with their why and what hinges on them "
            "among the shared ones. Record when the CMO confirmed a date.",
        )
        self.table = milestone_table("shareTable", COLUMNS, (48, 215, 85, 125))
        self.all_button = QPushButton("Share &all")
        self.all_button.clicked.connect(lambda: self.share_only(self.wiz.timeline.by_id()))
        self.none_button = QPushButton("Share &none")
        self.none_button.clicked.connect(lambda: self.share_only(()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        self.body.addWidget(
            hint_label(
                "A date the CMO confirmed is one it has planned for: record the day and who "
                "confirmed it (type both; they are saved together)."
            )
        )
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)
        self.shares: dict[int, QCheckBox] = {}
        self.confirmed_on: dict[int, DateEdit] = {}
        self.confirmed_by: dict[int, QLineEdit] = {}

    def fill(self) -> None:
        milestones = self.wiz.timeline.ordered()
        self.shares, self.confirmed_on, self.confirmed_by = {}, {}, {}
        self.table.setRowCount(len(milestones))
        for row, m in enumerate(milestones):
            assert m.id is not None
            check = QCheckBox()
            check.setToolTip(f"Share '{m.name}' with the CMO")
            check.toggled.connect(lambda on, mid=m.id: self.share_set(mid, on))
            self.table.setCellWidget(row, 0, centred(check))
            for column, text in ((1, m.name), (2, day_text(m.planned_date))):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setData(ID_ROLE, m.id)
                item.setToolTip(m.rationale or "No rationale yet: the pack would show no why.")
                self.table.setItem(row, column, item)
            on = DateEdit(f"Confirmation of '{m.name}'")
            on.editingFinished.connect(lambda mid=m.id: self.confirmation_entered(mid))
            self.table.setCellWidget(row, 3, on)
            by = QLineEdit()
            by.setPlaceholderText("name at the CMO")
            by.setMaxLength(200)
            by.editingFinished.connect(lambda mid=m.id: self.confirmation_entered(mid))
            self.table.setCellWidget(row, 4, by)
            self.shares[m.id], self.confirmed_on[m.id], self.confirmed_by[m.id] = check, on, by
            self._show_row(m)

    def _show_row(self, m: Milestone | None) -> None:
        if m is None or m.id not in self.shares:
            return
        with QSignalBlocker(self.shares[m.id]):
            self.shares[m.id].setChecked(m.share_with_cmo)
        self.confirmed_on[m.id].set_date(m.cmo_confirmed_on)
        self.confirmed_by[m.id].setText(m.cmo_confirmed_by)
        # A confirmation only means something for a date the CMO was told about.
        for widget in (self.confirmed_on[m.id], self.confirmed_by[m.id]):
            widget.setEnabled(m.share_with_cmo or m.cmo_confirmed)

    def share_set(self, milestone_id: int, on: bool) -> None:
        self.persist(lambda: self.wiz.service.set_share(milestone_id, on))
        self._show_row(self.stored(milestone_id))

    def share_only(self, milestone_ids: Iterable[int]) -> None:
        wanted = list(milestone_ids)
        self.persist(lambda: self.wiz.service.set_shared(self.wiz.engagement_id, wanted))
        for m in self.wiz.timeline.milestones:
            self._show_row(m)

    def confirmation_entered(self, milestone_id: int) -> None:
        stored = self.stored(milestone_id)
        if stored is None:
            return
        try:
            on = self.confirmed_on[milestone_id].date_value()
        except InputError as exc:
            self.show_message(str(exc))
            self._show_row(stored)
            return
        by = self.confirmed_by[milestone_id].text().strip()
        if (on, by) == (stored.cmo_confirmed_on, stored.cmo_confirmed_by):
            return
        if (on is None) != (not by):
            missing = "who confirmed it" if on else "the date the CMO confirmed it"
            self.show_message(f"Add {missing} for '{stored.name}' too; both are saved together.")
            return
        if self.persist(lambda: self.wiz.service.confirm_by_cmo(milestone_id, on, by)):
            self.show_message("")
        self._show_row(self.stored(milestone_id))

    def flush(self) -> None:
        for milestone_id in list(self.confirmed_on):
            m = self.wiz.timeline.by_id().get(milestone_id)
            if m is not None and (
                self.confirmed_on[milestone_id].text().strip()
                != (m.cmo_confirmed_on.isoformat() if m.cmo_confirmed_on else "")
                or self.confirmed_by[milestone_id].text().strip() != m.cmo_confirmed_by
            ):
                self.confirmation_entered(milestone_id)

    def leave(self) -> bool:
        self.flush()
        # A half-typed confirmation is input not yet stored, not an open point: stay and say so.
        return not any(
            bool(self.confirmed_on[mid].text().strip())
            != bool(self.confirmed_by[mid].text().strip())
            for mid in self.confirmed_on
        )

    def focus_milestone(self, milestone_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 1).data(ID_ROLE) == milestone_id:
                self.table.scrollToItem(self.table.item(row, 1))
                self.shares[milestone_id].setFocus()
