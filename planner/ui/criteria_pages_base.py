"""What every page of the criteria wizard shares: the wizard's set, a warning when an edit would
void sign-offs already given, and one way to hand a service call to the wizard.

Pages never write to the store themselves: they pass a service call to `CriteriaWizard.persist`,
which reports a refusal on the page and re-reads the set either way, so what a page shows after
a write is what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from planner.domain.criteria import CriteriaSet, CriterionStage, SetStatus
from planner.ui.wizard_base import StepPage

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

STATUS_COLOURS = {
    SetStatus.DRAFT: "#546e7a",
    SetStatus.IN_REVIEW: "#ef6c00",
    SetStatus.ALIGNED: "#2e7d32",
    SetStatus.COMMUNICATED: "#1565c0",
}
WARNING_COLOUR = "#8a5a00"
BLOCKER_COLOUR = "#b00020"
STAGE_NOUNS = {CriterionStage.SELECTION: "selection criterion", CriterionStage.PERFORMANCE: "KPI"}
PLURALS = {CriterionStage.SELECTION: "selection criteria", CriterionStage.PERFORMANCE: "KPIs"}


def hint_label(text: str = "") -> QLabel:
    """A grey explanatory line: what the page asks for and why."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def day_text(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "an unrecorded date"


def status_html(cs: CriteriaSet) -> str:
    colour = STATUS_COLOURS[cs.status]
    return f"Version {cs.version} · <b style='color:{colour}'>{cs.status.label}</b>"


def verdicts_given(cs: CriteriaSet) -> int:
    return sum(1 for s in cs.sign_offs if s.verdict is not None)


def review_warning(cs: CriteriaSet | None) -> str:
    """What an edit to criteria or weights would undo now; '' when nothing would be lost."""
    if cs is None or cs.status not in (SetStatus.IN_REVIEW, SetStatus.ALIGNED):
        return ""
    given = verdicts_given(cs)
    lost = f" and clears the {given} verdict{'s' if given != 1 else ''} given" if given else ""
    return (
        f"Version {cs.version} is {cs.status.label.lower()}: changing criteria or weights sends "
        f"it back to draft{lost}. The people named stay named."
    )


class CriteriaPage(StepPage):
    """A wizard page that edits the wizard's open criteria set."""

    # Pages that edit criteria or weights warn that an edit voids the verdicts given.
    warns_about_review = False

    def __init__(self, wizard: CriteriaWizard, title: str, subtitle: str) -> None:
        super().__init__(title, subtitle)
        self.wiz = wizard
        self.note = QLabel()
        self.note.setObjectName("reviewNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.note.hide()
        # Why Next is greyed out, kept up to date as answers change (refusals go to `message`).
        self.blocker = QLabel()
        self.blocker.setObjectName("blocker")
        self.blocker.setWordWrap(True)
        self.blocker.setTextFormat(Qt.TextFormat.PlainText)
        self.blocker.setStyleSheet(f"color: {BLOCKER_COLOUR};")
        self.blocker.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.note)
        layout.insertWidget(layout.count() - 1, self.blocker)

    @property
    def cs(self) -> CriteriaSet | None:
        return self.wiz.criteria_set

    # -- hooks beyond StepPage's ----------------------------------------------------------
    def fill(self) -> None:
        """Show the set as the wizard last read it."""

    def flush(self) -> None:
        """Save an answer still being typed (before leaving, going Back or closing)."""

    def skipped(self) -> bool:
        """True when the chosen focus leaves this step out."""
        return False

    # -- plumbing -------------------------------------------------------------------------
    def enter(self) -> None:
        self.fill()
        self.show_note()
        self.changed()

    def changed(self) -> None:
        super().changed()
        problem = self.problem()
        self.blocker.setText(f"Before you go on: {problem}" if problem else "")
        self.blocker.setVisible(bool(problem))

    def leave(self) -> bool:
        self.flush()
        return True

    def validatePage(self) -> bool:  # noqa: N802
        self.flush()
        if self.problem():
            self.changed()  # the blocker line says why; no second copy in the message line
            return False
        return self.leave()

    def cleanupPage(self) -> None:  # noqa: N802
        self.flush()  # Back does not call leave(); what was typed must not be lost

    def show_note(self) -> None:
        text = review_warning(self.cs) if self.warns_about_review else ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def persist(self, action: Callable[[], object]) -> bool:
        """Run one service call; False (and the reason shown on the page) when it was refused."""
        ok = self.wiz.persist(action)
        self.show_message("" if ok else self.wiz.last_error)
        self.show_note()
        self.changed()
        return ok
