"""Step 5: per asset the decision's rationale, expected benefit, risks, approver and dates.

Missing answers do not block Next: like `DisclosureSummary`, the summary lists them as open for
every level (an L0 decision is a decision too, and needs its reason and an owner). What blocks is
input that cannot be stored: a date that is not a date, a review before the decision, a decision
date on which the agreements do not allow the level.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from planner.domain.disclosure_decision import DisclosureDecision, open_items
from planner.ui.sharing_pages_widgets import (
    NOTE_STYLE,
    AssetList,
    NoteEdit,
    SharingPage,
    bold_label,
    wrapped,
)
from planner.ui.widgets import DateEdit, InputError

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard

REVIEW_AFTER = (("in &6 months", 182), ("in 1 &year", 365))


class DetailsPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "Decision details",
            "Why, what it should bring, what could go wrong, who approves and when to look "
            "at it again. Each answer is saved when you leave its field.",
        )
        self.assets = AssetList()
        self.assets.asset_changed.connect(self._show)
        self.asset_id: int | None = None
        self.last_problem: str | None = None  # of the last write, kept to stay on the page
        self.heading = bold_label()
        self.rationale = NoteEdit("Why this level for this asset and this CMO", 4)
        self.benefit = NoteEdit("What sharing should bring (capacity, planning, price)", 3)
        self.risks = NoteEdit("What could go wrong if it leaks or the CMO changes hands", 3)
        self.approver = QLineEdit()
        self.approver.setPlaceholderText("Name and role")
        self.decided_on = DateEdit("Decision date")
        self.decided_on.setToolTip(
            "The date from which the level applies; the agreements must allow it then."
        )
        self.review_date = DateEdit("Review date")
        self.notes = {
            "rationale": self.rationale,
            "expected_benefit": self.benefit,
            "risks": self.risks,
        }
        for edit in self.notes.values():
            edit.edited.connect(self._save_notes)
        self.approver.editingFinished.connect(self._save_approver)
        self.decided_on.editingFinished.connect(self._save_dates)
        self.review_date.editingFinished.connect(self._save_dates)
        self.decided_on.textChanged.connect(self.changed)
        self.review_date.textChanged.connect(self.changed)
        review_row = QHBoxLayout()
        review_row.addWidget(self.review_date)
        self.review_buttons: list[QPushButton] = []
        for text, days in REVIEW_AFTER:
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, d=days: self._review_in(d))
            review_row.addWidget(button)
            self.review_buttons.append(button)
        review_row.addStretch(1)
        form = QFormLayout()
        form.addRow("&Rationale", self.rationale)
        form.addRow("Expected &benefit", self.benefit)
        form.addRow("Ris&ks", self.risks)
        form.addRow("&Approver", self.approver)
        form.addRow("&Decision date", self.decided_on)
        review_label = QLabel("Re&view date")
        review_label.setBuddy(self.review_date)
        form.addRow(review_label, review_row)
        self.still_open = wrapped(style=NOTE_STYLE)
        self.flags = wrapped(style=NOTE_STYLE)
        self._flags: dict[int, list[str]] = {}
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addLayout(form)
        right.addWidget(self.still_open)
        right.addWidget(self.flags)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.assets)
        row.addSpacing(6)
        row.addLayout(right, 1)
        self.body.addLayout(row, 1)

    # -- filling -------------------------------------------------------------------------
    def enter(self) -> None:
        self.wiz.reload()
        self._read_flags()
        self.asset_id = None
        self.assets.set_entries(self._entry(a.id) for a in self.wiz.assets if a.id is not None)
        first = self.assets.first_open()
        if first is not None:
            self.assets.select(first)

    def _open_items(self, decision: DisclosureDecision | None) -> list[str]:
        if decision is None:
            return ["No level yet."]
        return open_items(decision, self.wiz.context.engagement.relationship_type)

    def _entry(self, asset_id: int) -> tuple[int, str, bool]:
        decision = self.wiz.decision(asset_id)
        code = self.wiz.asset(asset_id).code
        items = self._open_items(decision)
        level = decision.level.short if decision and decision.is_decided else "no level"
        state = f"{len(items)} open" if items else "done"
        return asset_id, f"{code} · {level} · {state}", not items

    def _show(self, asset_id: int | None) -> None:
        self.flush()
        self.asset_id = asset_id
        if asset_id is None:
            return
        decision = self.wiz.decision(asset_id) or DisclosureDecision(
            self.wiz.engagement_id, asset_id
        )
        level = decision.level.label if decision.is_decided else "no level chosen yet"
        self.heading.setText(f"{self.wiz.asset(asset_id).code}: {level}")
        for name, edit in self.notes.items():
            edit.set_note(getattr(decision, name))
        self.approver.setText(decision.approver)
        self.decided_on.set_date(decision.decided_on)
        self.review_date.set_date(decision.review_date)
        # Details belong to a chosen level; without one there is nothing to write them to.
        for widget in (
            *self.notes.values(),
            self.approver,
            self.decided_on,
            self.review_date,
            *self.review_buttons,
        ):
            widget.setEnabled(decision.is_decided)
        self._show_open()

    def _read_flags(self) -> None:
        """Review flags (blocked, CDA expiring, ownership changed, review due) per asset."""
        summary = self.wiz.disclosures.summary(self.wiz.engagement_id)
        self._flags = {
            a.asset.id: [f.message for f in a.flags] for a in summary.assets if a.asset.id
        }

    def _show_open(self) -> None:
        if self.asset_id is None:
            return
        items = self._open_items(self.wiz.decision(self.asset_id))
        self.still_open.setText("Still open: " + " ".join(items) if items else "")
        self.still_open.setVisible(bool(items))
        flags = self._flags.get(self.asset_id, [])
        self.flags.setText("\n".join(f"⚑ {message}" for message in flags))
        self.flags.setVisible(bool(flags))
        self.assets.update_entry(*self._entry(self.asset_id))

    # -- saving --------------------------------------------------------------------------
    def _saved(self, problem: str | None) -> bool:
        self.last_problem = problem
        self.show_message(f"Not saved: {problem}" if problem else "")
        self._show_open()
        self.changed()
        return problem is None

    def _save_notes(self) -> None:
        asset_id = self.asset_id
        if asset_id is None or self.wiz.decision(asset_id) is None:
            return
        values = {name: edit.note() for name, edit in self.notes.items() if edit.dirty()}
        if not values:
            return
        eid = self.wiz.engagement_id
        if self._saved(
            self.wiz.write(lambda: self.wiz.disclosures.set_notes(eid, asset_id, **values))
        ):
            for name in values:
                self.notes[name].mark_saved()

    def _save_approver(self) -> None:
        asset_id = self.asset_id
        decision = self.wiz.decision(asset_id) if asset_id is not None else None
        if asset_id is None or decision is None:
            return
        text = self.approver.text().strip()
        if text != decision.approver:
            eid = self.wiz.engagement_id
            self._saved(
                self.wiz.write(
                    lambda: self.wiz.disclosures.set_approval(eid, asset_id, approver=text)
                )
            )

    def _dates(self) -> tuple[date | None, date | None]:
        decided_on = self.decided_on.date_value()
        if decided_on is None:
            raise InputError(
                "Decision date: the date from which the level applies is needed; the "
                "agreements are checked on it.",
                self.decided_on,
            )
        return decided_on, self.review_date.date_value()

    def _save_dates(self) -> None:
        asset_id = self.asset_id
        decision = self.wiz.decision(asset_id) if asset_id is not None else None
        if asset_id is None or decision is None or not decision.is_decided:
            return
        try:
            decided_on, review = self._dates()
        except InputError as exc:
            self.show_message(str(exc))
            return
        if (decided_on, review) == (decision.decided_on, decision.review_date):
            return
        eid = self.wiz.engagement_id

        def change() -> DisclosureDecision:
            # record(), not set_approval(): clearing the review date must be possible too.
            current = self.wiz.disclosures.get(eid, asset_id) or decision
            current.decided_on, current.review_date = decided_on, review
            return self.wiz.disclosures.record(current)

        if self._saved(self.wiz.write(change)):
            self._read_flags()  # a new date can raise or settle a flag
            self._show_open()

    def _review_in(self, days: int) -> None:
        try:
            start = self.decided_on.date_value() or date.today()
        except InputError:
            start = date.today()
        self.review_date.set_date(start + timedelta(days=days))
        self._save_dates()

    def flush(self) -> None:
        if self.asset_id is None:
            return
        self._save_notes()
        self._save_approver()
        self._save_dates()

    def problem(self) -> str | None:
        if self.asset_id is not None and self.wiz.has_level(self.asset_id):
            try:
                decided_on, review = self._dates()
            except InputError as exc:
                return str(exc)
            if review is not None and review < decided_on:
                return f"Review date: {review} is before the decision date ({decided_on})."
        missing = [a.code for a in self.wiz.assets if not self.wiz.has_level(a.id or 0)]
        if missing:
            return f"No level yet for {', '.join(missing)}: go back one step to choose it."
        return None

    def leave(self) -> bool:
        self.last_problem = None
        self.flush()
        return self.last_problem is None
