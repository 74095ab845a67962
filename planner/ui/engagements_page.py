"""Engagements page: the list, and a detail pane to edit stage, relationship and CMOs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.engagement import Engagement, EngagementRow, EngagementRuleError
from planner.domain.enums import Stage
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.services.timeline import TimelineService
from planner.ui import change_bus
from planner.ui.change_bus import ChangeBus
from planner.ui.criteria_tab import CriteriaTab, CriteriaViews
from planner.ui.empty_hint import empty_hint
from planner.ui.engagement_form import EngagementForm
from planner.ui.row_table_model import ID_ROLE, Column, RowFilterProxy, RowTableModel, data_table
from planner.ui.sharing_tab import SharingTab
from planner.ui.timeline_tab import TimelineTab
from planner.ui.widgets import InputError

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


class EngagementsPage(QWidget):
    status_message = Signal(str)
    export_requested = Signal(int, list)  # engagement id, CMO ids: export alignment packs

    def __init__(
        self,
        engagements: EngagementService,
        cmos: CmoService,
        bus: ChangeBus,
        timeline: TimelineService,
        criteria: CriteriaViews,
        register,
        disclosures,
        wizard_services,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._engagements = engagements
        self._cmos = cmos
        self._bus = bus
        self._current_id: int | None = None
        self._timeline = timeline
        self._wizard_services = wizard_services

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
        self.new_button = QPushButton("&New engagement…")
        self.delete_button = QPushButton("Delete")
        self.new_button.clicked.connect(self.new_engagement)
        self.delete_button.clicked.connect(self.delete_current)

        self.table = data_table(self.proxy)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(2, 140)
        header.resizeSection(3, 170)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.hint = empty_hint(
            self.table,
            "No engagements yet. An engagement is one outsourcing project with its candidate "
            "CMOs, criteria, timeline and sharing decisions: New engagement… (Ctrl+Shift+N) "
            "starts one, or load the demo portfolio from the File menu.",
            "No engagement matches the filter.",
        )

        self.form = EngagementForm(cmos)
        self.form.dirty_changed.connect(self._dirty_changed)
        self.save_button = QPushButton("&Save")
        self.revert_button = QPushButton("Re&vert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        # The keys of the Suppliers page, and Ctrl+S anywhere on the page.
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_current)
        QShortcut(QKeySequence.StandardKey.Save, self, self._save_if_changed)
        self.save_button.setToolTip("Save the engagement (Ctrl+S)")
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

        details = QWidget()
        detail_layout = QVBoxLayout(details)
        detail_layout.addWidget(self.form)
        detail_layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        detail_layout.addLayout(buttons)
        detail_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, "&Details")
        self.timeline_tab = TimelineTab(timeline)
        self.timeline_tab.wizard_requested.connect(self.open_timeline_wizard)
        self.tabs.addTab(self.timeline_tab, "&Timeline")
        self.criteria_tab = CriteriaTab(criteria)
        self.criteria_tab.wizard_requested.connect(self.open_criteria_wizard)
        self.tabs.addTab(self.criteria_tab, "&Criteria")
        self.sharing_tab = SharingTab(register, disclosures)
        self.sharing_tab.wizard_requested.connect(self.open_sharing_wizard)
        self.tabs.addTab(self.sharing_tab, "Pipeline &sharing")
        self.export_button = QPushButton("E&xport alignment pack…")
        self.export_button.clicked.connect(
            lambda: self._current_id is not None and self.export_pack(self._current_id, [])
        )
        self.tabs.setCornerWidget(self.export_button)
        self.export_requested.connect(self.export_pack)

        # The list on top, the engagement's tabs below at full width (the timeline needs it).
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([190, 560])
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
            self._show_tabs(self._current_id)
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._current_id = None
            self.form.load(None, {})
            self._show_tabs(None)
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
        self._show_tabs(new_id)
        self.delete_button.setEnabled(new_id is not None)

    def _load(self, engagement_id: int) -> None:
        try:
            engagement = self._engagements.get(engagement_id)
        except NotFound:
            self.form.load(None, {})
            return
        names = dict(self._cmos.names(engagement.candidate_ids))
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

    def export_pack(self, engagement_id: int, cmo_ids: list) -> None:
        from planner.ui.export_pack_dialog import ExportPackDialog

        engagement = self._engagements.get(engagement_id)
        dialog = ExportPackDialog(
            self._wizard_services.packs,
            engagement_id,
            engagement.title,
            engagement.program,
            cmo_ids[0] if cmo_ids else None,
            self,
        )
        dialog.exported.connect(
            lambda _eid: self._bus.notify(change_bus.PACKS, change_bus.ENGAGEMENTS)
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.export_dialog = dialog

    def _show_tabs(self, engagement_id: int | None) -> None:
        self.export_button.setEnabled(engagement_id is not None)
        for tab in (self.timeline_tab, self.criteria_tab, self.sharing_tab):
            tab.set_engagement(engagement_id)

    def open_criteria_wizard(self, engagement_id: int) -> None:
        from planner.ui.criteria_wizard import CriteriaWizard

        title = self._engagements.get(engagement_id).title
        wizard = CriteriaWizard(self._wizard_services.criteria(), engagement_id, title, self)
        wizard.criteria_changed.connect(lambda _eid: self.criteria_tab.refresh())
        wizard.export_requested.connect(self.export_requested)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        self.criteria_wizard = wizard

    def open_sharing_wizard(self, engagement_id: int) -> None:
        from planner.ui.sharing_wizard import SharingWizard

        title = self._engagements.get(engagement_id).title
        services = self._wizard_services
        wizard = SharingWizard(services.disclosures, services.pipeline, engagement_id, title, self)
        # The wizard may change the relationship type: the details and the register follow.
        wizard.decisions_changed.connect(
            lambda _eid: self._bus.notify(change_bus.ENGAGEMENTS, change_bus.PIPELINE)
        )
        wizard.agreement_recorded.connect(lambda _cmo: self._bus.notify(change_bus.CMOS))
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        self.sharing_wizard = wizard

    def open_timeline_wizard(self, engagement_id: int) -> None:
        from planner.ui.timeline_wizard import TimelineWizard

        title = self._engagements.get(engagement_id).title
        wizard = TimelineWizard(self._timeline, engagement_id, title, self)
        wizard.timeline_changed.connect(lambda _eid: self.timeline_tab.refresh())
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()
        self.timeline_wizard = wizard

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

    def _save_if_changed(self) -> None:
        if self.form.dirty:
            self.save()

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
        # The title first: Cancel then leaves nothing behind to delete.
        title, ok = QInputDialog.getText(
            self,
            "New engagement",
            "Title (program and what is outsourced, e.g. 'ORP-2417 Phase 3 API supply'):",
        )
        title = " ".join(title.split())
        if not ok or not title:
            return
        try:
            created = self._engagements.create(Engagement(title=title))
        except (EngagementRuleError, Conflict) as exc:
            QMessageBox.warning(self, "New engagement", str(exc))
            return
        self.form.load(None, {})
        self._current_id = created.id
        self.search.clear()
        self._bus.notify(change_bus.ENGAGEMENTS)
        self.select_id(created.id)
        self.status_message.emit(f"Created {created.title}; fill in its details and save.")
        self.form.program.setFocus()

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
