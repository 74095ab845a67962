"""The first step of the criteria wizard: which stages this pass works on, and where the
engagement's criteria stand (version, status, and what editing a communicated version means)."""

from __future__ import annotations

import html
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from planner.domain.criteria import CriteriaSet, CriterionStage, SetStatus
from planner.domain.enums import Stage
from planner.ui.criteria_pages_base import (
    PLURALS,
    CriteriaPage,
    day_text,
    hint_label,
    review_warning,
    status_html,
)

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard


class Focus(StrEnum):
    """Which stages of criteria this pass works on (the weights page always shows every stage
    that has criteria: each must total 100 before the set can go to review)."""

    BOTH = "both"
    SELECTION = "selection"
    PERFORMANCE = "performance"

    @property
    def label(self) -> str:
        return {
            "both": "Selection criteria and performance KPIs",
            "selection": "Selection criteria only (choosing a CMO)",
            "performance": "Performance KPIs only (running an engagement)",
        }[self.value]

    def includes(self, stage: CriterionStage) -> bool:
        return self is Focus.BOTH or self.value == stage.value


def suggested_focus(cs: CriteriaSet | None, engagement_stage: Stage) -> Focus:
    """From what the set already holds, else from the engagement's stage: candidates are told
    both what they are chosen on and what they will be measured on; a running engagement
    (active) needs KPIs."""
    if cs is not None and cs.criteria:
        has_sel = bool(cs.stage_criteria(CriterionStage.SELECTION))
        has_kpi = bool(cs.stage_criteria(CriterionStage.PERFORMANCE))
        if has_sel != has_kpi:
            return Focus.SELECTION if has_sel else Focus.PERFORMANCE
        return Focus.BOTH
    return Focus.PERFORMANCE if engagement_stage is Stage.ACTIVE else Focus.BOTH


class FocusPage(CriteriaPage):
    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "Engagement and focus",
            "What this pass works on, and where the engagement's criteria stand.",
        )
        self.engagement = QLabel()
        self.engagement.setWordWrap(True)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.versions = QLabel()
        self.versions.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("versionNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffe082; padding: 8px; color: #5d4037;"
        )
        form = QFormLayout()
        form.addRow("Engagement", self.engagement)
        form.addRow("Criteria", self.status)
        form.addRow("Versions", self.versions)
        box = QGroupBox("Work on")
        box_layout = QVBoxLayout(box)
        self.choices = QButtonGroup(self)
        for i, focus in enumerate(Focus):
            button = QRadioButton(focus.label)
            button.setProperty("choice", focus.value)
            self.choices.addButton(button, i)
            box_layout.addWidget(button)
        box_layout.addWidget(
            hint_label(
                "Candidates are usually told both what they are chosen on and what they will "
                "be measured on; a running engagement may only need its KPIs revisited."
            )
        )
        self.choices.idToggled.connect(self._focus_toggled)
        self.body.addLayout(form)
        self.body.addWidget(self.notice)
        self.body.addWidget(box)
        self.body.addStretch(1)

    def fill(self) -> None:
        ov = self.wiz.refresh_overview()
        program = f"{ov.program} · " if ov.program else ""
        self.engagement.setText(
            f"{ov.engagement_title}\n{program}stage: {ov.engagement_stage.label}"
        )
        cs = ov.criteria_set
        if cs is None:
            self.status.setText("None yet")
        else:
            counts = ", ".join(
                f"{len(cs.stage_criteria(st))} {PLURALS[st]}" for st in CriterionStage
            )
            self.status.setText(f"{status_html(cs)} · {html.escape(counts)}")
        self.versions.setText(
            "; ".join(
                f"{v.version}: {v.status.label.lower()}"
                + (f" {day_text(v.communicated_at)}" if v.communicated_at else "")
                for v in ov.versions
            )
            or "—"
        )
        self.notice.setText(self._notice())
        with QSignalBlocker(self.choices):
            for button in self.choices.buttons():
                button.setChecked(button.property("choice") == self.wiz.focus.value)

    def _notice(self) -> str:
        cs = self.cs
        if cs is None:
            return "No criteria yet for this engagement. Next starts version 1."
        if cs.frozen:
            return (
                f"Version {cs.version} was communicated on {day_text(cs.communicated_at)}; "
                f"your edits create version {cs.version + 1}. Version {cs.version} stays as "
                "it was sent; the people named to sign off are asked again."
            )
        if cs.status is SetStatus.DRAFT:
            return f"Version {cs.version} is a draft: carry on where you left off."
        return review_warning(cs)

    def _focus_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.wiz.focus = Focus(self.choices.button(button_id).property("choice"))
            self.changed()

    def leave(self) -> bool:
        if not self.wiz.open_for_editing():
            self.show_message(self.wiz.last_error)
            return False
        return True
