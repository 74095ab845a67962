"""The internal sign-off step: which roles must agree, who signs for each, their verdicts, and
the status they drive (draft → in review → aligned).

A verdict is stored as soon as its row is complete; a row the store refused (an objection
without a comment, criteria not ready for review) keeps what was typed and says why, and Next
waits until it is put right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from planner.domain.criteria import (
    STANDARD_ROLES,
    CriteriaSet,
    SetStatus,
    SignOff,
    Verdict,
    normalise_role,
    role_label,
)
from planner.ui.criteria_pages_base import STATUS_COLOURS, CriteriaPage, hint_label
from planner.ui.widgets import DateEdit, InputError, cell_edit

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

ROLE, PERSON, SIGNED_ON, VERDICT, COMMENT = range(5)
ROLE_COLUMNS = 3
STEPS = (SetStatus.DRAFT, SetStatus.IN_REVIEW, SetStatus.ALIGNED)


def stepper_html(cs: CriteriaSet) -> str:
    parts = []
    for status in STEPS:
        if status is cs.status:
            parts.append(f"<b style='color:{STATUS_COLOURS[status]}'>{status.label}</b>")
        else:
            parts.append(f"<span style='color:#9e9e9e'>{status.label}</span>")
    required = [s for s in cs.sign_offs if s.role in cs.required_roles]
    agreed = sum(1 for s in required if s.verdict is not None and s.verdict.is_agreement)
    return (
        f"Version {cs.version}: {' → '.join(parts)} &nbsp;·&nbsp; "
        f"{agreed} of {len(required)} required roles agreed"
    )


class SignOffPage(CriteriaPage):
    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "Internal sign-off",
            "Each role that must agree before the criteria go to the CMOs, and what they said.",
        )
        self.stepper = QLabel()
        self.stepper.setObjectName("statusStepper")
        self.stepper.setTextFormat(Qt.TextFormat.RichText)
        roles_box = QGroupBox("Roles that must sign off")
        self.roles_grid = QGridLayout()
        self.role_boxes: dict[str, QCheckBox] = {}
        self.other_role = QLineEdit()
        self.other_role.setPlaceholderText("Another role, e.g. Pharmacovigilance")
        self.other_role.returnPressed.connect(self._add_role)
        add_role = QPushButton("Add &role")
        add_role.clicked.connect(self._add_role)
        other = QHBoxLayout()
        other.addWidget(self.other_role, 1)
        other.addWidget(add_role)
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.addLayout(self.roles_grid)
        roles_layout.addLayout(other)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("signOffs")
        self.table.setHorizontalHeaderLabels(["Role", "Person", "Date", "Verdict", "Comment"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COMMENT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((ROLE, 96), (PERSON, 132), (SIGNED_ON, 90), (VERDICT, 164)):
            header.resizeSection(column, width)
        self.submit_button = QPushButton("&Submit for review")
        self.submit_button.clicked.connect(self._submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit_button)
        buttons.addWidget(
            hint_label(
                "A verdict is stored when its row is complete; 'agree with comment' and "
                "'object' need a comment. The date is today unless you give one."
            ),
            1,
        )
        self.rows: list[str] = []
        self.person: list[QLineEdit] = []
        self.signed_on: list[DateEdit] = []
        self.verdict: list[QComboBox] = []
        self.comment: list[QLineEdit] = []
        self.unsaved: dict[str, str] = {}  # role → why its row was not stored
        self.body.addWidget(self.stepper)
        self.body.addWidget(roles_box)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(buttons)

    # -- roles ------------------------------------------------------------------------------
    def fill(self) -> None:
        cs = self.cs
        if cs is None:
            return
        self.unsaved.clear()
        known = list(STANDARD_ROLES) + [r for r in cs.required_roles if r not in STANDARD_ROLES]
        for role in known:
            if role not in self.role_boxes:
                self._role_box(role)
        self.sync()

    def _next_cell(self) -> tuple[int, int]:
        n = len(self.role_boxes)
        return divmod(n, ROLE_COLUMNS)

    def _role_box(self, role: str) -> QCheckBox:
        box = QCheckBox(role_label(role))
        box.toggled.connect(lambda on, r=role: self._role_toggled(r, on))
        row, column = self._next_cell()
        self.roles_grid.addWidget(box, row, column)
        self.role_boxes[role] = box
        return box

    def _role_toggled(self, role: str, on: bool) -> None:
        cs = self.cs
        if cs is None:
            return
        roles = [r for r in cs.required_roles if r != role] + ([role] if on else [])
        self.persist(lambda: self.wiz.services.sign_off.set_required_roles(self.wiz.set_id, roles))
        self.sync()

    def _add_role(self) -> None:
        text = self.other_role.text().strip()
        cs = self.cs
        if not text or cs is None:
            return
        role = normalise_role(text)
        if role in cs.required_roles:
            self.show_message(f"{role_label(role)} already signs off.", error=False)
            return
        box = self.role_boxes.get(role) or self._role_box(role)
        box.setChecked(True)  # stored through the box's toggled signal
        if self.cs is not None and role in self.cs.required_roles:
            self.other_role.clear()

    # -- rows -------------------------------------------------------------------------------
    def sync(self) -> None:
        """Show the stored roles and verdicts; rows are rebuilt only when the roles changed."""
        cs = self.cs
        if cs is None:
            return
        self.stepper.setText(stepper_html(cs))
        for role, box in self.role_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(role in cs.required_roles)
        required = [s for s in cs.sign_offs if s.role in cs.required_roles]
        if [s.role for s in required] != self.rows:
            self._build([s.role for s in required])
        for row, s in enumerate(required):
            if s.role not in self.unsaved:
                self._show_row(row, s)
        self.submit_button.setEnabled(cs.status is SetStatus.DRAFT)
        self.changed()

    def _build(self, roles: list[str]) -> None:
        self.rows = roles
        self.unsaved = {r: m for r, m in self.unsaved.items() if r in roles}
        self.table.setRowCount(len(roles))
        self.person, self.signed_on, self.verdict, self.comment = [], [], [], []
        for row, role in enumerate(roles):
            self.table.setItem(row, ROLE, QTableWidgetItem(role_label(role)))
            person, comment = cell_edit(), cell_edit()
            person.setPlaceholderText("Who signs")
            signed_on = DateEdit(f"Date of the {role_label(role)} sign-off")
            verdict = QComboBox()
            verdict.addItem("— pending —", "")
            for v in Verdict:
                verdict.addItem(v.label, v.value)
            for column, widget in (
                (PERSON, person),
                (SIGNED_ON, signed_on),
                (VERDICT, verdict),
                (COMMENT, comment),
            ):
                if isinstance(widget, QLineEdit):
                    widget.setFrame(False)
                    widget.editingFinished.connect(lambda r=row: self.commit(r))
                self.table.setCellWidget(row, column, widget)
            verdict.activated.connect(lambda _i, r=row: self.commit(r))
            self.person.append(person)
            self.signed_on.append(signed_on)
            self.verdict.append(verdict)
            self.comment.append(comment)

    def _show_row(self, row: int, s: SignOff) -> None:
        for edit, text in (
            (self.person[row], s.person),
            (self.comment[row], s.comment),
            (self.signed_on[row], s.signed_on.isoformat() if s.signed_on else ""),
        ):
            if not edit.hasFocus():
                edit.setText(text)
                edit.setCursorPosition(0)
        self.comment[row].setToolTip(s.comment)
        with QSignalBlocker(self.verdict[row]):
            value = s.verdict.value if s.verdict else ""
            self.verdict[row].setCurrentIndex(max(0, self.verdict[row].findData(value)))

    def commit(self, row: int) -> None:
        cs = self.cs
        if cs is None or row >= len(self.rows):
            return
        role = self.rows[row]
        stored = cs.sign_off(role) or SignOff(role)
        person = self.person[row].text().strip()
        comment = self.comment[row].text().strip()
        value = self.verdict[row].currentData()
        verdict = Verdict(value) if value else None
        try:
            signed_on = self.signed_on[row].date_value()
        except InputError as exc:
            self._refused(role, str(exc))
            return
        service, set_id = self.wiz.services.sign_off, self.wiz.set_id
        if verdict is None:
            if stored.verdict is None and person == stored.person:
                self._saved(role)
                return

            def action() -> None:
                if stored.verdict is not None:
                    service.clear_sign_off(set_id, role)
                if person != stored.person:
                    service.assign_signer(set_id, role, person)

        else:
            wanted = (verdict, person, comment, signed_on or stored.signed_on)
            if wanted == (stored.verdict, stored.person, stored.comment, stored.signed_on):
                self._saved(role)
                return

            def action() -> None:
                service.record_sign_off(set_id, role, person, verdict, comment, signed_on)

        if self.persist(action):
            self._saved(role)
        else:
            self._refused(role, self.wiz.last_error)

    def _saved(self, role: str) -> None:
        self.unsaved.pop(role, None)
        self.sync()

    def _refused(self, role: str, reason: str) -> None:
        self.unsaved[role] = reason
        self.show_message(f"{role_label(role)}: {reason}")
        self.sync()

    def _submit(self) -> None:
        self.flush()
        if self.persist(lambda: self.wiz.services.sign_off.submit_for_review(self.wiz.set_id)):
            self.show_message("Submitted: record each role's verdict as it comes in.", error=False)
        self.sync()

    def flush(self) -> None:
        for row in range(len(self.rows)):
            editors = (self.person[row], self.signed_on[row], self.comment[row])
            if any(e.hasFocus() for e in editors):
                self.commit(row)

    # -- validation -------------------------------------------------------------------------
    def problem(self) -> str | None:
        cs = self.cs
        if cs is not None and not cs.required_roles:
            return "Name at least one role that must sign off."
        if self.unsaved:
            role, reason = next(iter(self.unsaved.items()))
            return f"the {role_label(role)} row is not stored: {reason}"
        return None
