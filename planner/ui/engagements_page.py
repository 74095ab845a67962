"""Engagements page: the list, and a detail pane to edit stage, relationship and CMOs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.engagement import Engagement, EngagementRow, EngagementRuleError
from planner.domain.enums import RelationshipType, Stage
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.ui import change_bus
from planner.ui.change_bus import ChangeBus
from planner.ui.cmo_picker import CmoPickerDialog
from planner.ui.row_table_model import ID_ROLE, Column, RowFilterProxy, RowTableModel
from planner.ui.widgets import DateEdit, InputError

_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}
COLUMNS: list[Column[EngagementRow]] = [
    Column("Title", lambda r: r.title, tooltip=lambda r: f"{r.title}\nProgram: {r.program or '—'}"),
    Column("Stage", lambda r: r.stage.label, sort_key=lambda r: _STAGE_ORDER[r.stage]),
    Column("Relationship", lambda r: r.relationship_type.label),
    Column("CMO", lambda r: r.cmo or "—"),
    Column(
        "Candidates",
        lambda r: str(len(r.candidates)),
        sort_key=lambda r: len(r.candidates),
        tooltip=lambda r: "\n".join(r.candidates),
        align_right=True,
    ),
]


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
        self.candidates.setMaximumHeight(130)
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
        self.notes.setMinimumHeight(90)

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
        form = QFormLayout(self)
        form.addRow("&Title *", self.title)
        form.addRow("&Program", self.program)
        form.addRow("Ser&vice", self.service_type)
        form.addRow("&Relationship", self.relationship)
        form.addRow("&Stage", self.stage)
        form.addRow("O&wner", self.owner)
        form.addRow("Dates", dates)
        form.addRow("Candidate CMOs", candidate_box)
        form.addRow("&Chosen CMO", self.chosen)
        form.addRow("Notes", self.notes)

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


class EngagementsPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        engagements: EngagementService,
        cmos: CmoService,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._engagements = engagements
        self._cmos = cmos
        self._bus = bus
        self._current_id: int | None = None

        self.model: RowTableModel[EngagementRow] = RowTableModel(
            COLUMNS,
            lambda r: r.id,
            lambda r: " ".join((r.title, r.program, r.stage.value, r.cmo or "", *r.candidates)),
            self,
        )
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter engagements  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_filter_text)
        self.new_button = QPushButton("&New engagement")
        self.delete_button = QPushButton("Delete")
        self.new_button.clicked.connect(self.new_engagement)
        self.delete_button.clicked.connect(self.delete_current)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 140)
        header.resizeSection(3, 170)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.form = EngagementForm(cmos)
        self.form.dirty_changed.connect(self._dirty_changed)
        self.save_button = QPushButton("&Save")
        self.revert_button = QPushButton("Re&vert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.delete_button)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table)

        detail = QGroupBox("Engagement")
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.form)
        detail_layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        detail_layout.addLayout(buttons)
        detail_layout.addStretch(1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([780, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        bus.changed.connect(self._on_changed)
        self._dirty_changed(False)
        self.refresh()

    # -- data ----------------------------------------------------------------------------
    def _on_changed(self, parts: frozenset[str]) -> None:
        if parts & {change_bus.ENGAGEMENTS, change_bus.CMOS}:
            self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(self._engagements.list_rows())
        if self._current_id is not None and self.model.row_of_id(self._current_id) is not None:
            self.select_id(self._current_id)
            if not self.form.dirty:
                self._load(self._current_id)
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._current_id = None
            self.form.load(None, {})
        self.delete_button.setEnabled(self._current_id is not None)

    def select_id(self, engagement_id: int) -> None:
        row = self.model.row_of_id(engagement_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        new_id = rows[0].data(ID_ROLE) if rows else None
        if new_id == self._current_id:
            return
        if self.form.dirty and not self.confirm_leave():
            self.table.selectionModel().blockSignals(True)
            if self._current_id is not None:
                self.select_id(self._current_id)
            self.table.selectionModel().blockSignals(False)
            return
        self._current_id = new_id
        self.error.hide()
        if new_id is None:
            self.form.load(None, {})
        else:
            self._load(new_id)
        self.delete_button.setEnabled(new_id is not None)

    def _load(self, engagement_id: int) -> None:
        try:
            engagement = self._engagements.get(engagement_id)
        except NotFound:
            self.form.load(None, {})
            return
        names = {r.id: r.name for r in self._cmos.list_rows()} if engagement.candidate_ids else {}
        self.form.load(engagement, names)

    def confirm_leave(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "Save the changes to this engagement?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def has_unsaved_changes(self) -> bool:
        return self.form.dirty

    def _dirty_changed(self, dirty: bool) -> None:
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    # -- actions -------------------------------------------------------------------------
    def save(self) -> bool:
        try:
            saved = self._engagements.update(self.form.engagement())
        except InputError as exc:
            self._show_error(str(exc))
            if exc.widget:
                exc.widget.setFocus()
            return False
        except (EngagementRuleError, Conflict, NotFound) as exc:
            self._show_error(str(exc))
            return False
        self.error.hide()
        self.form.load(None, {})  # clears the dirty flag before the refresh reloads it
        self._current_id = saved.id
        self._bus.notify(change_bus.ENGAGEMENTS)
        self.status_message.emit(f"Saved {saved.title}.")
        return True

    def revert(self) -> None:
        self.error.hide()
        if self._current_id is not None:
            self._load(self._current_id)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def new_engagement(self) -> None:
        if self.form.dirty and not self.confirm_leave():
            return
        self.form.load(None, {})
        created = self._engagements.create(Engagement(title="New engagement"))
        self._current_id = created.id
        self.search.clear()
        self._bus.notify(change_bus.ENGAGEMENTS)
        self.select_id(created.id)
        self.form.title.setFocus()
        self.form.title.selectAll()

    def delete_current(self) -> None:
        if self._current_id is None:
            return
        engagement = self._engagements.get(self._current_id)
        answer = QMessageBox.question(
            self,
            "Delete engagement",
            f"Delete '{engagement.title}' with its criteria, milestones and decisions?\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._engagements.delete(self._current_id)
        except (Conflict, NotFound) as exc:
            QMessageBox.warning(self, "Delete engagement", str(exc))
            return
        self.form.load(None, {})
        self._current_id = None
        self._bus.notify(change_bus.ENGAGEMENTS)
        self.status_message.emit(f"Deleted {engagement.title}.")
