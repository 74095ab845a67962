"""Step 1: the engagement, who the decisions apply to, and the relationship type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QFormLayout, QGroupBox, QRadioButton, QVBoxLayout

from planner.domain.disclosure_gates import relationship_ceiling
from planner.domain.enums import RelationshipType
from planner.domain.wording import plural
from planner.ui.sharing_pages_widgets import MUTED_STYLE, NOTE_STYLE, SharingPage, wrapped

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard


class EngagementPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "Relationship type",
            "Who the decisions are for, and how close the relationship is: the relationship "
            "type suggests how much to share at most.",
        )
        self.heading = wrapped()
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.stage = wrapped()
        self.program = wrapped()
        self.cmos = wrapped()
        self.applies = wrapped(style=MUTED_STYLE)
        self.assets = wrapped()
        form = QFormLayout()
        form.addRow("Program", self.program)
        form.addRow("Stage", self.stage)
        form.addRow("CMO", self.cmos)
        form.addRow("", self.applies)
        form.addRow("Pipeline", self.assets)

        box = QGroupBox("How close is the relationship?")
        box_layout = QVBoxLayout(box)
        self.types = QButtonGroup(self)
        self.buttons: dict[RelationshipType, QRadioButton] = {}
        for relationship in RelationshipType:
            ceiling = relationship_ceiling(relationship)
            button = QRadioButton(f"{relationship.label}: suggests up to {ceiling.label}")
            self.types.addButton(button)
            self.buttons[relationship] = button
            box_layout.addWidget(button)
            button.clicked.connect(lambda _c=False, r=relationship: self._chosen(r))
        box_layout.addWidget(
            wrapped(
                "A level above the suggestion can still be recorded, with a written "
                "justification. The agreements with the CMO set a hard limit (next step).",
                MUTED_STYLE,
            )
        )
        self.above = wrapped(style=NOTE_STYLE)
        box_layout.addWidget(self.above)

        self.body.addWidget(self.heading)
        self.body.addLayout(form)
        self.body.addSpacing(8)
        self.body.addWidget(box)
        self.body.addStretch(1)

    def enter(self) -> None:
        self.wiz.reload()
        context = self.wiz.context
        engagement = context.engagement
        self.heading.setText(engagement.title)
        self.program.setText(engagement.program or "—")
        self.stage.setText(engagement.stage.label)
        names = [c.name for c in context.cmos]
        if not context.applies_to_candidates:
            self.cmos.setText(f"{names[0]} (chosen)" if names else "—")
            self.applies.setText("The decisions apply to this CMO.")
        elif names:
            self.cmos.setText(f"No CMO chosen yet; candidates: {', '.join(names)}")
            self.applies.setText(
                "While no CMO is chosen, each decision applies to every candidate; the "
                "agreements are checked per candidate."
            )
        else:
            self.cmos.setText("No CMO chosen or shortlisted yet")
            self.applies.setText(
                "Without a CMO no agreement is in force, so nothing above L1 can be recorded."
            )
        decided = sum(self.wiz.has_level(a.id or 0) for a in self.wiz.assets)
        self.assets.setText(
            f"{plural(len(self.wiz.assets), 'active asset')} in the register; {decided} already "
            f"{'has' if decided == 1 else 'have'} a level for this engagement."
        )
        self.buttons[engagement.relationship_type].setChecked(True)
        self._show_above()

    def _chosen(self, relationship: RelationshipType) -> None:
        if relationship == self.wiz.context.engagement.relationship_type:
            return
        try:
            self.wiz.disclosures.set_relationship_type(self.wiz.engagement_id, relationship)
        except (ValueError, LookupError) as exc:
            self.show_message(f"The relationship type was not changed: {exc}")
            self.buttons[self.wiz.context.engagement.relationship_type].setChecked(True)
            return
        self.wiz.reload()
        self.wiz.decisions_changed.emit(self.wiz.engagement_id)
        self.show_message(f"Saved: {relationship.label.lower()}.", error=False)
        self._show_above()

    def _show_above(self) -> None:
        """Decisions the new suggestion leaves above it with no justification become open."""
        ceiling = self.wiz.context.suggested
        above = [
            f"{d.asset_code} ({d.level.short})"
            for d in self.wiz.decisions.values()
            if d.level > ceiling and not d.justification.strip()
        ]
        self.above.setText(
            f"Above {ceiling.short} without a justification: {', '.join(above)}. "
            "Give one on the level step, or lower the level."
            if above
            else ""
        )
        self.above.setVisible(bool(above))
