"""Step 1: which template milestones apply, and milestones of the user's own.

Ticking a step adds it at once (TimelineService.apply_template); unticking removes it after a
question. A step added to a plan that has dated template milestones is placed at the template's
distance from its nearest planned neighbour, so adding "Site audit" later does not land it on
the start date; with no such neighbour it falls on the "first milestone" date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
)

from planner.domain.names import fold
from planner.domain.timeline import Milestone, Timeline
from planner.domain.timeline_summary import TimelineStep
from planner.domain.timeline_template import MilestoneTemplate, TemplateMilestone
from planner.domain.wording import plural
from planner.ui.timeline_pages_base import (
    ID_ROLE,
    TimelinePage,
    day_text,
    hint_label,
    milestone_table,
)
from planner.ui.widgets import DateEdit, InputError

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

KEY_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Milestone", "Typical day", "Owner", "Driver", "In the plan")
NOT_PLANNED = QBrush(QColor("#757575"))


def present_steps(template: MilestoneTemplate, timeline: Timeline) -> dict[str, Milestone]:
    """Template key → the milestone standing for it: by key, else by name, as apply_template."""
    by_key = {m.template_key: m for m in timeline.milestones if m.template_key}
    by_name = {fold(m.name): m for m in timeline.milestones}
    found = {}
    for step in template.milestones:
        m = by_key.get(step.key) or by_name.get(fold(step.name))
        if m is not None:
            found[step.key] = m
    return found


def placed_date(
    template: MilestoneTemplate, present: dict[str, Milestone], key: str
) -> date | None:
    """Where the template puts `key` relative to the nearest dated step already planned: the
    closest one before it in template order, else the closest after it; None without either."""
    order = template.keys()
    index = order.index(key)
    dated = [
        (i, present[k])
        for i, k in enumerate(order)
        if k in present and present[k].planned_date is not None
    ]
    before = [(i, m) for i, m in dated if i < index]
    after = [(i, m) for i, m in dated if i > index]
    if not (before or after):
        return None
    i, neighbour = before[-1] if before else after[0]
    assert neighbour.planned_date is not None
    gap = template.milestones[index].offset_days - template.milestones[i].offset_days
    return neighbour.planned_date + timedelta(days=gap)


class TemplatePage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            TimelineStep.TEMPLATE,
            "Choose milestones",
            "Tick the steps that apply to this engagement: each is added at once, spaced as the "
            "template usually spaces them, and linked to the steps it waits for.",
        )
        self.start = DateEdit("First milestone")
        self.start.editingFinished.connect(self._start_changed)
        label = QLabel("&First milestone on")
        label.setBuddy(self.start)
        self.start_hint = hint_label()
        start_row = QHBoxLayout()
        start_row.addWidget(label)
        start_row.addWidget(self.start)
        start_row.addWidget(self.start_hint, 1)
        self.table = milestone_table("templateTable", COLUMNS, (232, 72, 60, 110), row_height=24)
        self.table.itemChanged.connect(self._item_changed)
        self.own_name = QLineEdit()
        self.own_name.setPlaceholderText("A milestone of your own, e.g. 'Launch stock released'")
        self.own_name.returnPressed.connect(self.add_own)
        self.add_own_button = QPushButton("Add &own milestone")
        self.add_own_button.clicked.connect(self.add_own)
        self.add_all_button = QPushButton("Tick &all template steps")
        self.add_all_button.clicked.connect(self.add_all)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own_name, 1)
        own_row.addWidget(self.add_own_button)
        own_row.addWidget(self.add_all_button)
        self.body.addLayout(start_row)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(own_row)

    # -- showing --------------------------------------------------------------------------
    def fill(self) -> None:
        timeline = self.wiz.timeline
        present = present_steps(self.wiz.template, timeline)
        dates = [m.planned_date for m in timeline.milestones if m.planned_date]
        if dates:
            self.start.set_date(min(dates))
            self.start_hint.setText(
                "Steps you tick now are placed at the template's distance from the planned "
                "ones. A new date here moves the whole plan."
            )
        else:
            self.start_hint.setText(
                "The first step you tick falls on this date, the others at the template's "
                "typical distance. Leave it empty to date them on the next step."
            )
        standing = {m.id for m in present.values()}
        own = [m for m in timeline.ordered() if m.id not in standing]
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(self.wiz.template.milestones) + len(own))
            for row, step in enumerate(self.wiz.template.milestones):
                self._fill_row(row, present.get(step.key), step)
            for row, m in enumerate(own, start=len(self.wiz.template.milestones)):
                self._fill_row(row, m, None)
        self.add_all_button.setEnabled(len(present) < len(self.wiz.template.milestones))

    def _fill_row(self, row: int, m: Milestone | None, step: TemplateMilestone | None) -> None:
        if step is not None:
            deadline = "  (deadline)" if step.hard_deadline else ""
            texts = [
                step.name + deadline,
                f"day {step.offset_days}",
                step.owner.label,
                step.driver.label,
            ]
        else:
            assert m is not None
            texts = [
                m.name,
                "your own",
                m.owner.label if m.owner else "—",
                m.driver.label if m.driver else "—",
            ]
        if m is None:
            texts.append("not planned")
        elif step is not None and fold(m.name) != fold(step.name):
            texts.append(f"{day_text(m.planned_date)} as '{m.name}'")
        else:
            texts.append(day_text(m.planned_date))
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text if column else (step.prompt if step and step.prompt else text))
            if m is None:
                item.setForeground(NOT_PLANNED)
            if column == 0:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if m else Qt.CheckState.Unchecked)
                item.setData(ID_ROLE, m.id if m else None)
                item.setData(KEY_ROLE, step.key if step else "")
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, column, item)

    def row_of(self, key: str = "", milestone_id: int | None = None) -> int:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if (key and item.data(KEY_ROLE) == key) or (
                milestone_id is not None and item.data(ID_ROLE) == milestone_id
            ):
                return row
        raise KeyError(key or milestone_id)

    def focus_milestone(self, milestone_id: int) -> None:
        self.table.scrollToItem(self.table.item(self.row_of(milestone_id=milestone_id), 0))

    # -- answers --------------------------------------------------------------------------
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        ticked = item.checkState() == Qt.CheckState.Checked
        milestone_id, key = item.data(ID_ROLE), item.data(KEY_ROLE)
        # Later: answering rebuilds the table (and may ask a question), which must not happen
        # inside the signal of an item it replaces.
        if ticked and milestone_id is None and key:
            QTimer.singleShot(0, lambda: self.add_steps([key]))
        elif not ticked and milestone_id is not None:
            QTimer.singleShot(0, lambda: self.remove(milestone_id))

    def add_steps(self, keys: Iterable[str]) -> bool:
        order = self.wiz.template.keys()
        chosen = sorted(set(keys), key=order.index)
        if not chosen:
            return False
        present = present_steps(self.wiz.template, self.wiz.timeline)
        try:
            start = placed_date(self.wiz.template, present, chosen[0]) or self.start.date_value()
        except InputError as exc:
            self.show_message(str(exc))
            self.fill()
            return False
        eid = self.wiz.engagement_id
        ok = self.persist(lambda: self.wiz.service.apply_template(eid, chosen, start))
        self.fill()
        return ok

    def add_all(self) -> None:
        present = present_steps(self.wiz.template, self.wiz.timeline)
        self.add_steps(k for k in self.wiz.template.keys() if k not in present)

    def add_own(self) -> None:
        name = self.own_name.text().strip()
        if not name:
            self.show_message("Type the name of the milestone to add.")
            return
        eid = self.wiz.engagement_id
        if self.persist(lambda: self.wiz.service.add_milestone(eid, Milestone(name=name))):
            self.own_name.clear()
        self.fill()

    def remove(self, milestone_id: int) -> bool:
        m = self.wiz.timeline.get(milestone_id)
        answer = QMessageBox.question(
            self,
            "Remove milestone",
            f"Remove '{m.name}' from this engagement's plan?\n\nIts date, rationale and links go. "
            "Milestones that waited for it are linked straight to what it waited for.",
        )
        ok = answer == QMessageBox.StandardButton.Yes and self.persist(
            lambda: self.wiz.service.remove_milestone(milestone_id)
        )
        self.fill()
        return ok

    def _start_changed(self) -> None:
        try:
            wanted = self.start.date_value()
        except InputError as exc:
            self.show_message(str(exc))
            self.fill()
            return
        dated = [m for m in self.wiz.timeline.milestones if m.planned_date is not None]
        if not dated or wanted is None:
            self.show_message("")
            if dated:
                self.fill()  # the plan has dates; an empty field would say nothing true
            return
        first = min(m.planned_date for m in dated if m.planned_date)
        shift = (wanted - first).days
        if shift:
            self.shift_plan(shift)

    def shift_plan(self, days: int) -> bool:
        """Move every dated milestone by `days` after asking; spacing and lead times are kept."""
        dated = [m for m in self.wiz.timeline.milestones if m.planned_date is not None]
        answer = QMessageBox.question(
            self,
            "Move the plan",
            f"Move all {len(dated)} dated milestones {plural(abs(days), 'day')} "
            f"{'later' if days > 0 else 'earlier'}?",
        )
        ok = answer == QMessageBox.StandardButton.Yes
        for m in dated if ok else []:
            assert m.id is not None and m.planned_date is not None
            new_date = m.planned_date + timedelta(days=days)
            if not self.persist(
                lambda m=m, d=new_date: self.wiz.service.set_schedule(m.id, d, m.owner)
            ):
                ok = False
                break
        self.fill()
        return ok

    def problem(self) -> str | None:
        if not self.wiz.timeline.milestones:
            return "Tick at least one template step, or add a milestone of your own."
        return None
