"""Step 2: per CMO the decisions apply to, its agreements today and the highest level they allow;
a shortcut records a missing CDA (or MSA, quality agreement) without leaving the wizard."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.disclosure_gates import agreement_name
from planner.domain.enums import AgreementType
from planner.services.disclosure_context import AgreementStatus, CmoGates
from planner.ui.sharing_pages_widgets import (
    MUTED_STYLE,
    NOTE_STYLE,
    SharingPage,
    bold_label,
    wrapped,
)
from planner.ui.widgets import DateEdit, InputError

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


def status_text(status: AgreementStatus, on: date) -> str:
    agreement = status.agreement
    if status.in_force:
        return "in force, expiring soon" if status.expiring else "in force"
    if agreement.effective_date is None:
        return "not signed"
    if agreement.effective_date > on:
        return f"from {agreement.effective_date}"
    return "expired"


def status_colour(status: AgreementStatus) -> str:
    if status.in_force:
        return "#8a5300" if status.expiring else "#1b5e20"
    return "#b00020"


class RecordAgreementDialog(QDialog):
    """Type, dates and scope of one agreement; `values()` after it was accepted. Saves nothing."""

    def __init__(
        self, cmo_name: str, kind: AgreementType, scope: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record an agreement with {cmo_name}")
        self.setMinimumWidth(460)
        self.kind = QComboBox()
        for t in AgreementType:
            self.kind.addItem(t.label, t)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.effective = DateEdit("Effective")
        self.effective.set_date(date.today())
        self.expiry = DateEdit("Expires")
        self.scope = QLineEdit(scope)
        self.error = wrapped(style=ERROR_STYLE)
        self.error.hide()
        # An error speaks of the values it was about: once they change it goes.
        for edit in (self.effective, self.expiry, self.scope):
            edit.textChanged.connect(self.error.hide)
        self.kind.currentIndexChanged.connect(self.error.hide)
        form = QFormLayout()
        form.addRow("&Type", self.kind)
        form.addRow("&Effective", self.effective)
        form.addRow("E&xpires", self.expiry)
        form.addRow("&Scope", self.scope)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Record")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            wrapped("Leave Expires empty for an agreement without an end date.", MUTED_STYLE)
        )
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._values: tuple[AgreementType, date, date | None, str] | None = None

    def values(self) -> tuple[AgreementType, date, date | None, str]:
        assert self._values is not None, "only after the dialog was accepted"
        return self._values

    def accept(self) -> None:
        try:
            effective = self.effective.date_value()
            expiry = self.expiry.date_value()
            if effective is None:
                raise InputError(
                    "Effective: when was it signed? Without a date it is not in force."
                )
            if expiry is not None and expiry < effective:
                raise InputError("Expires: the agreement cannot end before it takes effect.")
        except InputError as exc:
            self.error.setText(str(exc))
            self.error.show()
            (exc.widget or self.effective).setFocus()
            return
        kind = AgreementType(self.kind.currentData())  # Qt hands a StrEnum back as str
        self._values = (kind, effective, expiry, self.scope.text().strip())
        super().accept()


class CmoCard(QGroupBox):
    """One CMO: the level its agreements allow and why, the agreements, what is missing."""

    def __init__(self, gates: CmoGates, on: date, page: AgreementsPage) -> None:
        super().__init__(gates.name)
        self.gates = gates
        layout = QVBoxLayout(self)
        allowed = gates.allowed
        layout.addWidget(bold_label(f"Allows up to {allowed.level.label}"))
        layout.addWidget(wrapped(allowed.reason, MUTED_STYLE))
        if gates.ownership_change_date:
            owner = f" (now {gates.parent_company})" if gates.parent_company else ""
            layout.addWidget(
                wrapped(f"Changed ownership on {gates.ownership_change_date}{owner}.", NOTE_STYLE)
            )
        self.table = QTableWidget(len(gates.agreements), 4)
        self.table.setHorizontalHeaderLabels(["Agreement", "Dates", "Status", "Scope"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        for column, width in enumerate((130, 170, 160)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for row, status in enumerate(gates.agreements):
            a = status.agreement
            dates = f"{a.effective_date or '—'} – {a.expiry_date or 'no expiry'}"
            values = (agreement_name(a.type), dates, status_text(status, on), a.scope)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(status.description if column < 3 else text)
                if column == 2:
                    item.setForeground(QBrush(QColor(status_colour(status))))
                self.table.setItem(row, column, item)
        rows_height = sum(self.table.rowHeight(r) for r in range(len(gates.agreements)))
        self.table.setFixedHeight(header.height() + rows_height + 4)
        if gates.agreements:
            layout.addWidget(self.table)
        else:
            self.table.hide()
            layout.addWidget(wrapped("No agreement on record.", NOTE_STYLE))
        first_missing = gates.missing[0] if gates.missing else AgreementType.CDA
        self.record_button = QPushButton(
            f"Record {agreement_name(first_missing)}…" if gates.missing else "Record agreement…"
        )
        self.record_button.clicked.connect(lambda: page.open_record_dialog(gates, first_missing))
        row = QHBoxLayout()
        missing = ", ".join(agreement_name(k) for k in gates.missing)
        row.addWidget(wrapped(f"Not in force today: {missing}." if missing else "", MUTED_STYLE), 1)
        row.addWidget(self.record_button)
        layout.addLayout(row)


class AgreementsPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "The CMO's agreements",
            "L2 needs a CDA in force on the date of disclosure; L3 needs a CDA, an MSA and a "
            "quality agreement. Nothing above what they allow can be recorded.",
        )
        self.intro = wrapped()
        self.cards_host = QWidget()
        self.cards = QVBoxLayout(self.cards_host)
        self.cards.setContentsMargins(0, 0, 4, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.cards_host)
        self.body.addWidget(self.intro)
        self.body.addWidget(scroll, 1)
        self.dialog: RecordAgreementDialog | None = None

    def enter(self) -> None:
        self.wiz.reload()
        self._fill()

    def _fill(self) -> None:
        context = self.wiz.context
        while self.cards.count():
            item = self.cards.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # deleteLater waits for the event loop; until then it would show
                widget.deleteLater()
        if context.applies_to_candidates and context.cmos:
            self.intro.setText(
                f"Agreements on {context.on} of the {len(context.cmos)} candidates: a level is "
                "possible when one candidate allows it; the others receive nothing at that level."
            )
        else:
            self.intro.setText(f"Agreements in force on {context.on}:")
        for gates in context.cmos:
            card = CmoCard(gates, context.on, self)
            self.cards.addWidget(card)
            card.show()  # a layout shows a new child of a visible page only on the next event
        if not context.cmos:
            self.cards.addWidget(
                wrapped(
                    "No CMO is chosen or shortlisted for this engagement yet, so no agreement "
                    "applies: only L0 and L1 (aggregate figures) can be recorded. Add candidates "
                    "on the engagement to go further.",
                    NOTE_STYLE,
                )
            )
        self.cards.addStretch(1)

    def open_record_dialog(self, gates: CmoGates, kind: AgreementType) -> RecordAgreementDialog:
        engagement = self.wiz.context.engagement
        dialog = RecordAgreementDialog(
            gates.name, kind, engagement.program or engagement.title, self
        )
        dialog.accepted.connect(lambda: self._record(gates, dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _record(self, gates: CmoGates, dialog: RecordAgreementDialog) -> None:
        kind, effective, expiry, scope = dialog.values()
        try:
            self.wiz.disclosures.record_agreement(gates.cmo_id, kind, effective, expiry, scope)
        except (ValueError, LookupError) as exc:
            self.show_message(f"The agreement was not recorded: {exc}")
            return
        self.wiz.agreement_recorded.emit(gates.cmo_id)
        self.wiz.reload()
        self._fill()
        now = next((c for c in self.wiz.context.cmos if c.cmo_id == gates.cmo_id), None)
        allows = f" {gates.name} now allows up to {now.allowed.level.short}." if now else ""
        name = agreement_name(kind)
        self.show_message(f"{name[0].upper()}{name[1:]} recorded.{allows}", error=False)
