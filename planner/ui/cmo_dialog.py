"""Add or edit one CMO: details, contacts and agreements on tabs. Returns a CMO; saves nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.cmo import CMO, Agreement, CmoRuleError, Contact, check_cmo, is_email
from planner.domain.enums import CAPABILITY_TAGS, AgreementType, InspectionOutcome
from planner.ui.widgets import (
    CountryCombo,
    DateEdit,
    EditColumn,
    EditTable,
    InputError,
    TagEdit,
    parse_day,
)


class CmoDialog(QDialog):
    def __init__(self, cmo: CMO | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original = cmo
        self.setWindowTitle(f"Edit {cmo.name}" if cmo else "Add CMO")
        self.setMinimumWidth(640)

        self.tabs = QTabWidget(self)
        details = QScrollArea()  # 17 fields: on a small screen the form scrolls, never overlaps
        details.setWidget(self._details_tab())
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tabs.addTab(details, "&Details")
        self.contacts = EditTable(
            [
                EditColumn("Name", width=170),
                EditColumn("Role", width=150),
                EditColumn("Email", width=200),
                EditColumn("Phone"),
            ],
            "contact",
        )
        self.tabs.addTab(self.contacts, "&Contacts")
        self.agreements = EditTable(
            [
                EditColumn("Type", tuple((t.label, t.value) for t in AgreementType), width=200),
                EditColumn("Effective", width=100),
                EditColumn("Expires", width=100),
                EditColumn("Scope"),
            ],
            "agreement",
        )
        self.tabs.addTab(self.agreements, "&Agreements")

        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if cmo:
            self._load(cmo)
        self.name.setFocus()
        self._fit_to_screen(details)

    def _fit_to_screen(self, details: QScrollArea) -> None:
        """Tall enough for the whole form where the screen allows it."""
        wanted = self.sizeHint().height() + details.widget().sizeHint().height()
        wanted -= details.sizeHint().height()
        screen = (self.parentWidget() or self).screen()
        room = screen.availableGeometry().height() - 60 if screen else wanted
        self.resize(680, max(420, min(wanted, room)))

    def _details_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.name = QLineEdit()
        self.legal_name = QLineEdit()
        self.parent_company = QLineEdit()
        self.country = CountryCombo()
        self.city = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setFixedHeight(54)
        self.address.setTabChangesFocus(True)
        self.website = QLineEdit()
        self.website.setPlaceholderText("https://")
        self.fei = QLineEdit()
        self.fei.setPlaceholderText("FDA establishment identifier")
        self.duns = QLineEdit()
        self.duns.setPlaceholderText("9 digits")
        self.capabilities = TagEdit(CAPABILITY_TAGS)
        self.dosage_forms = TagEdit(("Tablet", "Capsule", "Vial", "Prefilled syringe"))
        self.certifications = TagEdit(("EU GMP", "FDA registered", "ISO 9001"))
        self.inspection_date = DateEdit("Last inspection")
        self.inspection_outcome = QComboBox()
        self.inspection_outcome.addItem("—", "")
        for outcome, label in (
            ("NAI", "NAI – no action indicated"),
            ("VAI", "VAI – voluntary action"),
            ("OAI", "OAI – official action"),
        ):
            self.inspection_outcome.addItem(label, outcome)
        self.ownership_change = DateEdit("Ownership change")
        self.capacity_notes = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setTabChangesFocus(True)
        form.addRow("&Name *", self.name)
        form.addRow("&Legal name", self.legal_name)
        form.addRow("&Parent company", self.parent_company)
        form.addRow("C&ountry", self.country)
        form.addRow("C&ity", self.city)
        form.addRow("Address", self.address)
        form.addRow("&Website", self.website)
        form.addRow("&FEI number", self.fei)
        form.addRow("D&UNS number", self.duns)
        form.addRow("Capa&bilities", self.capabilities)
        form.addRow("Dosage forms", self.dosage_forms)
        form.addRow("Certifications", self.certifications)
        form.addRow("Last inspection", self.inspection_date)
        form.addRow("Inspection outcome", self.inspection_outcome)
        form.addRow("Ownership changed", self.ownership_change)
        form.addRow("Capacity notes", self.capacity_notes)
        form.addRow("Notes", self.notes)
        return page

    def _load(self, cmo: CMO) -> None:
        self.name.setText(cmo.name)
        self.legal_name.setText(cmo.legal_name)
        self.parent_company.setText(cmo.parent_company)
        self.country.set_code(cmo.country)
        self.city.setText(cmo.city)
        self.address.setPlainText(cmo.address)
        self.website.setText(cmo.website)
        self.fei.setText(cmo.fei_number)
        self.duns.setText(cmo.duns_number)
        self.capabilities.set_tags(cmo.capabilities)
        self.dosage_forms.set_tags(cmo.dosage_forms)
        self.certifications.set_tags(cmo.certifications)
        self.inspection_date.set_date(cmo.last_inspection_date)
        outcome = cmo.last_inspection_outcome.value if cmo.last_inspection_outcome else ""
        self.inspection_outcome.setCurrentIndex(max(0, self.inspection_outcome.findData(outcome)))
        self.ownership_change.set_date(cmo.ownership_change_date)
        self.capacity_notes.setText(cmo.capacity_notes)
        self.notes.setPlainText(cmo.notes)
        for c in cmo.contacts:
            self.contacts.add_row([c.name, c.role, c.email, c.phone], c.id)
        for a in cmo.agreements:
            self.agreements.add_row(
                [
                    a.type.value,
                    a.effective_date.isoformat() if a.effective_date else "",
                    a.expiry_date.isoformat() if a.expiry_date else "",
                    a.scope,
                ],
                a.id,
            )

    def cmo(self) -> CMO:
        """The CMO as entered; raises InputError naming the field to correct."""
        outcome = self.inspection_outcome.currentData()
        contacts = []
        for n, (cid, (name, role, email, phone)) in enumerate(self.contacts.rows(), start=1):
            if not name:
                raise InputError(f"Contact {n} needs a name.", self.contacts)
            if email and not is_email(email):
                raise InputError(
                    f"Contact {name}: '{email}' is not an email address.", self.contacts
                )
            contacts.append(Contact(name, role, email, phone, id=cid))
        agreements = []
        for n, (aid, (kind, effective, expiry, scope)) in enumerate(
            self.agreements.rows(), start=1
        ):
            try:
                start = parse_day(effective, f"Agreement {n}, effective")
                end = parse_day(expiry, f"Agreement {n}, expires")
            except InputError as exc:
                exc.widget = self.agreements
                raise
            if start is None:
                raise InputError(f"Agreement {n} needs the date it took effect.", self.agreements)
            agreements.append(Agreement(AgreementType(kind), start, end, scope, id=aid))
        cmo = CMO(
            name=self.name.text().strip(),
            legal_name=self.legal_name.text().strip(),
            parent_company=self.parent_company.text().strip(),
            country=self.country.code(),
            city=self.city.text().strip(),
            address=self.address.toPlainText().strip(),
            website=self.website.text().strip(),
            fei_number=self.fei.text().strip(),
            duns_number=self.duns.text().strip().replace("-", ""),
            capabilities=self.capabilities.tags(),
            dosage_forms=self.dosage_forms.tags(),
            certifications=self.certifications.tags(),
            last_inspection_date=self.inspection_date.date_value(),
            last_inspection_outcome=InspectionOutcome(outcome) if outcome else None,
            capacity_notes=self.capacity_notes.text().strip(),
            ownership_change_date=self.ownership_change.date_value(),
            notes=self.notes.toPlainText().strip(),
            contacts=contacts,
            agreements=agreements,
            source_import_id=self._original.source_import_id if self._original else None,
            id=self._original.id if self._original else None,
        )
        try:
            check_cmo(cmo)
        except CmoRuleError as exc:
            raise InputError(str(exc), self.name if not cmo.name else None) from exc
        return cmo

    def accept(self) -> None:
        try:
            self.cmo()
        except InputError as exc:
            self.show_error(str(exc), exc.widget)
            return
        super().accept()

    def show_error(self, message: str, widget: QWidget | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if widget is not None:
            for i in range(self.tabs.count()):
                if self.tabs.widget(i).isAncestorOf(widget) or self.tabs.widget(i) is widget:
                    self.tabs.setCurrentIndex(i)
            widget.setFocus()
