"""Steps 3 and 4: why each date is what it is, and what hinges on each milestone.

Both pages may be left with answers missing (the summary lists them); both save every answer as
it is given. Links are saved as the whole set of dependents of the milestone
(TimelineService.set_links), so a refused link (a cycle) leaves the others as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
)

from planner.domain.timeline import MAX_DAYS, Milestone, MilestoneDriver
from planner.domain.timeline_summary import TimelineStep
from planner.ui.timeline_pages_base import ID_ROLE, MilestoneListPage, SavingText, day_text
from planner.ui.timeline_pages_base import hint_label as hint

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

WHY_PLACEHOLDER = (
    "What fixes this date? Who needs it, what does it wait for, what would moving it cost?"
)


class RationalePage(MilestoneListPage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.RATIONALE,
            "The why and the driver",
            "Not only when, but why: the CMO plans better when it knows what the date protects.",
        )
        self.driver = QComboBox()
        self.driver.addItem("— choose —", None)
        for driver in MilestoneDriver:
            self.driver.addItem(driver.label, driver)
        self.driver.currentIndexChanged.connect(lambda _i: self.save())
        self.why = SavingText(WHY_PLACEHOLDER)
        self.why.setObjectName("rationale")
        self.why.committed.connect(lambda _text: self.save())
        self.prompt = hint()
        form = QFormLayout()
        form.addRow("&Driver", self.driver)
        form.addRow("", hint("The external reason the date cannot simply move."))
        self.form.addLayout(form)
        why_label = QLabel("&Why this date?")
        why_label.setBuddy(self.why)
        self.form.addWidget(why_label)
        self.form.addWidget(self.why, 1)
        self.form.addWidget(self.prompt)

    def answered(self, milestone: Milestone) -> bool:
        return milestone.driver is not None and bool(milestone.rationale.strip())

    def show_milestone(self, milestone: Milestone) -> None:
        with QSignalBlocker(self.driver):
            self.driver.setCurrentIndex(max(0, self.driver.findData(milestone.driver)))
        self.why.set_stored(milestone.rationale)
        prompt = ""
        if milestone.template_key and milestone.template_key in self.wiz.template.keys():
            prompt = self.wiz.template.get(milestone.template_key).prompt
        self.prompt.setText(f"Ask yourself: {prompt}" if prompt else "")
        self.prompt.setVisible(bool(prompt))

    def save(self) -> bool:
        m = self.current()
        if m is None or m.id is None:
            return False
        milestone_id, driver, why = m.id, self.driver.currentData(), self.why.text()
        self.why.mark_saved()
        return self.persist(lambda: self.wiz.service.set_rationale(milestone_id, driver, why))

    def flush(self) -> None:
        if self.why.pending:
            self.save()


class HingesPage(MilestoneListPage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.HINGES,
            "What hinges on it",
            "Which milestones cannot start until this one is done (and how long after at "
            "least), what outside the plan waits for it, and what a slip would cost.",
        )
        self.depends = hint()
        self.dependents = QTableWidget(0, 3)
        self.dependents.setObjectName("dependentsTable")
        self.dependents.setHorizontalHeaderLabels(["Hinges on it", "Planned", "Lead at least"])
        self.dependents.verticalHeader().setVisible(False)
        self.dependents.verticalHeader().setDefaultSectionSize(28)
        self.dependents.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.dependents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.dependents.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 85)
        header.resizeSection(2, 105)
        self.dependents.itemChanged.connect(self._ticked)
        self.leads: dict[int, QSpinBox] = {}
        self.outside = SavingText("e.g. first patient in, an equipment slot, a launch plan")
        self.outside.setObjectName("externalConsequences")
        self.impact = SavingText("e.g. the slot is re-let; the next one is six months later")
        self.impact.setObjectName("slipImpact")
        for text in (self.outside, self.impact):
            text.setMaximumHeight(58)
            text.committed.connect(lambda _text: self.save_texts())
        self.form.addWidget(self.depends)
        self.form.addWidget(self.dependents, 1)
        form = QFormLayout()
        form.addRow("Outside the &plan", self.outside)
        form.addRow("A &slip costs", self.impact)
        self.form.addLayout(form)

    def answered(self, milestone: Milestone) -> bool:
        assert milestone.id is not None
        timeline = self.wiz.timeline
        linked = timeline.dependents_of(milestone.id) or timeline.prerequisites_of(milestone.id)
        return bool(linked or milestone.external_consequences.strip())

    def show_milestone(self, milestone: Milestone) -> None:
        self.show_links(milestone)
        self.outside.set_stored(milestone.external_consequences)
        self.impact.set_stored(milestone.slip_impact)

    def show_links(self, milestone: Milestone) -> None:
        assert milestone.id is not None
        timeline = self.wiz.timeline
        by_id = timeline.by_id()
        before = [
            f"'{by_id[k.prerequisite_id].name}' (+{k.min_lead_days} d)"
            for k in timeline.prerequisites_of(milestone.id)
        ]
        self.depends.setText(
            f"It waits for {', '.join(before)}." if before else "It waits for no other milestone."
        )
        links = {k.dependent_id: k.min_lead_days for k in timeline.dependents_of(milestone.id)}
        others = [m for m in timeline.ordered() if m.id != milestone.id]
        self.leads = {}
        with QSignalBlocker(self.dependents):
            self.dependents.setRowCount(len(others))
            for row, other in enumerate(others):
                assert other.id is not None
                name = QTableWidgetItem(other.name)
                name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                name.setCheckState(
                    Qt.CheckState.Checked if other.id in links else Qt.CheckState.Unchecked
                )
                name.setData(ID_ROLE, other.id)
                name.setToolTip(other.name)
                self.dependents.setItem(row, 0, name)
                planned = QTableWidgetItem(day_text(other.planned_date))
                planned.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.dependents.setItem(row, 1, planned)
                lead = QSpinBox()
                lead.setRange(0, MAX_DAYS)
                lead.setSuffix(" days")
                lead.setKeyboardTracking(False)
                lead.setValue(links.get(other.id, 0))
                lead.setEnabled(other.id in links)
                lead.valueChanged.connect(lambda _v: self.save_links())
                self.dependents.setCellWidget(row, 2, lead)
                self.leads[other.id] = lead

    def chosen_links(self) -> dict[int, int]:
        chosen = {}
        for row in range(self.dependents.rowCount()):
            item = self.dependents.item(row, 0)
            if item.checkState() == Qt.CheckState.Checked:
                chosen[item.data(ID_ROLE)] = self.leads[item.data(ID_ROLE)].value()
        return chosen

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() == 0:
            self.leads[item.data(ID_ROLE)].setEnabled(item.checkState() == Qt.CheckState.Checked)
            self.save_links()

    def save_links(self) -> bool:
        m = self.current()
        if m is None or m.id is None:
            return False
        milestone_id, chosen = m.id, self.chosen_links()
        return self.persist(lambda: self.wiz.service.set_links(milestone_id, chosen))

    def restore(self, milestone: Milestone) -> None:
        assert milestone.id is not None
        links = {
            k.dependent_id: k.min_lead_days for k in self.wiz.timeline.dependents_of(milestone.id)
        }
        with QSignalBlocker(self.dependents):
            for row in range(self.dependents.rowCount()):
                item = self.dependents.item(row, 0)
                other_id = item.data(ID_ROLE)
                item.setCheckState(
                    Qt.CheckState.Checked if other_id in links else Qt.CheckState.Unchecked
                )
                lead = self.leads[other_id]
                with QSignalBlocker(lead):
                    lead.setValue(links.get(other_id, 0))
                lead.setEnabled(other_id in links)
        self.outside.set_stored(milestone.external_consequences)
        self.impact.set_stored(milestone.slip_impact)

    def save_texts(self) -> bool:
        m = self.current()
        if m is None or m.id is None:
            return False
        milestone_id, outside, impact = m.id, self.outside.text(), self.impact.text()
        self.outside.mark_saved()
        self.impact.mark_saved()
        service = self.wiz.service
        return self.persist(lambda: service.set_consequences(milestone_id, outside, impact))

    def flush(self) -> None:
        if self.outside.pending or self.impact.pending:
            self.save_texts()
