"""The editable details of one engagement: title, stage, relationship, dates and CMOs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.engagement import Engagement
from planner.domain.enums import RelationshipType, Stage
from planner.services.cmos import CmoService
from planner.ui.cmo_picker import CmoPickerDialog
from planner.ui.widgets import DateEdit, InputError


class EngagementForm(QWidget):
    """Edits one Engagement; emits `dirty_changed` so the page can offer Save and Revert."""

    dirty_changed = Signal(bool)

    def __init__(self, cmos: CmoService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cmos = cmos
        self._engagement: Engagement | None = None
        self._names: dict[int, str] = {}
        self._dirty = False
        self._loading = False

        self.title = QLineEdit()
        self.program = QLineEdit()
        self.service_type = QLineEdit()
        self.relationship = QComboBox()
        for rel in RelationshipType:
            self.relationship.addItem(rel.label, rel.value)
        self.stage = QComboBox()
        for stage in Stage:
            self.stage.addItem(stage.label, stage.value)
        self.owner = QLineEdit()
        self.start = DateEdit("Start date")
        self.target = DateEdit("Target date")
        self.candidates = QListWidget()
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.candidates.setMinimumHeight(90)
        self.candidates.setMaximumHeight(160)
        self.add_candidates = QPushButton("Add candidates…")
        self.remove_candidates = QPushButton("Remove")
        self.add_candidates.clicked.connect(self._pick_candidates)
        self.remove_candidates.clicked.connect(self._remove_candidates)
        self.candidates.itemSelectionChanged.connect(
            lambda: self.remove_candidates.setEnabled(bool(self.candidates.selectedItems()))
        )
        self.remove_candidates.setEnabled(False)
        self.chosen = QComboBox()
        self.notes = QPlainTextEdit()
        self.notes.setMinimumHeight(70)
        self.notes.setTabChangesFocus(True)

        candidate_buttons = QHBoxLayout()
        candidate_buttons.addWidget(self.add_candidates)
        candidate_buttons.addWidget(self.remove_candidates)
        candidate_buttons.addStretch(1)
        candidate_box = QVBoxLayout()
        candidate_box.addWidget(self.candidates)
        candidate_box.addLayout(candidate_buttons)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.target)
        dates.addStretch(1)
        left = QFormLayout()
        left.addRow("&Title *", self.title)
        left.addRow("&Program", self.program)
        left.addRow("Ser&vice", self.service_type)
        left.addRow("&Relationship", self.relationship)
        left.addRow("&Stage", self.stage)
        left.addRow("O&wner", self.owner)
        left.addRow("Dates", dates)
        left.addRow("Notes", self.notes)
        right = QFormLayout()
        right.addRow("Candidate CMOs", candidate_box)
        right.addRow("&Chosen CMO", self.chosen)
        columns = QHBoxLayout(self)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)

        for edit in (
            self.title,
            self.program,
            self.service_type,
            self.owner,
            self.start,
            self.target,
        ):
            edit.textEdited.connect(self._touch)
        for combo in (self.relationship, self.stage, self.chosen):
            combo.currentIndexChanged.connect(self._touch)
        self.notes.textChanged.connect(self._touch)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def _touch(self, *_args: object) -> None:
        if not self._loading and not self._dirty:
            self._dirty = True
            self.dirty_changed.emit(True)

    def load(self, engagement: Engagement | None, names: dict[int, str]) -> None:
        self._loading = True
        self._engagement = engagement
        self._names = names
        e = engagement or Engagement(title="")
        self.title.setText(e.title)
        self.title.setCursorPosition(0)
        self.program.setText(e.program)
        self.service_type.setText(e.service_type)
        self.relationship.setCurrentIndex(self.relationship.findData(e.relationship_type.value))
        self.stage.setCurrentIndex(self.stage.findData(e.stage.value))
        self.owner.setText(e.owner)
        self.start.set_date(e.start_date)
        self.target.set_date(e.target_date)
        self.notes.setPlainText(e.notes)
        self.candidates.clear()
        for cmo_id in sorted(e.candidate_ids, key=lambda i: names.get(i, "").lower()):
            self._add_candidate_item(cmo_id)
        self._fill_chosen(e.chosen_cmo_id)
        self.setEnabled(engagement is not None)
        self._loading = False
        if self._dirty:
            self._dirty = False
            self.dirty_changed.emit(False)

    def _add_candidate_item(self, cmo_id: int) -> None:
        item = QListWidgetItem(self._names.get(cmo_id, f"CMO {cmo_id}"))
        item.setData(Qt.ItemDataRole.UserRole, cmo_id)
        self.candidates.addItem(item)

    def candidate_ids(self) -> list[int]:
        return [
            self.candidates.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.candidates.count())
        ]

    def _fill_chosen(self, chosen: int | None) -> None:
        was_loading = self._loading
        self._loading = True
        self.chosen.clear()
        self.chosen.addItem("— none yet —", None)
        for cmo_id in self.candidate_ids():
            self.chosen.addItem(self._names.get(cmo_id, f"CMO {cmo_id}"), cmo_id)
        index = self.chosen.findData(chosen) if chosen is not None else 0
        self.chosen.setCurrentIndex(max(index, 0))
        self._loading = was_loading

    def _pick_candidates(self) -> None:
        rows = self._cmos.list_rows()
        self._names.update({r.id: r.name for r in rows})
        picker = CmoPickerDialog(rows, set(self.candidate_ids()), "Add candidate CMOs", self)
        if picker.exec() and picker.selected_ids():
            current = self.chosen.currentData()
            for cmo_id in picker.selected_ids():
                self._add_candidate_item(cmo_id)
            self._fill_chosen(current)
            self._touch()

    def _remove_candidates(self) -> None:
        current = self.chosen.currentData()
        for item in self.candidates.selectedItems():
            self.candidates.takeItem(self.candidates.row(item))
        self._fill_chosen(current if current in self.candidate_ids() else None)
        self._touch()

    def engagement(self) -> Engagement:
        if self._engagement is None:
            raise InputError("Select an engagement first.")
        if not self.title.text().strip():
            raise InputError("An engagement needs a title.", self.title)
        return Engagement(
            title=self.title.text().strip(),
            program=self.program.text().strip(),
            service_type=self.service_type.text().strip(),
            relationship_type=RelationshipType(self.relationship.currentData()),
            stage=Stage(self.stage.currentData()),
            owner=self.owner.text().strip(),
            start_date=self.start.date_value(),
            target_date=self.target.date_value(),
            notes=self.notes.toPlainText().strip(),
            candidate_ids=self.candidate_ids(),
            chosen_cmo_id=self.chosen.currentData(),
            id=self._engagement.id,
        )
