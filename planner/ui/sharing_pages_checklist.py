"""Step 3: per asset, three questions that drive the recommendation (see disclosure_advice).

Each answer is saved as it is given. A question left unanswered is not an error: the
recommendation treats it cautiously and the summary lists it as open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QVBoxLayout

from planner.domain.disclosure_advice import QUESTIONS, Benefit, SharingChecklist
from planner.ui.sharing_pages_widgets import (
    MUTED_STYLE,
    AssetList,
    SharingPage,
    YesNo,
    bold_label,
    wrapped,
)

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard


class ChecklistPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "Checklist per asset",
            "Three questions per asset, one asset at a time. Unanswered questions are treated "
            "cautiously and stay open in the summary.",
        )
        self.assets = AssetList()
        self.assets.asset_changed.connect(self._show)
        self.asset_id: int | None = None
        self.heading = bold_label()
        self.facts = wrapped(style=MUTED_STYLE)
        self.public = YesNo()
        self.competitor = YesNo()
        self.competitor_question = wrapped()
        self.benefits = {b: QCheckBox(b.label) for b in Benefit}
        self.nothing = QCheckBox("None of these: sharing buys nothing now")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("Notes (sources, who confirmed, what is not known yet)")
        for answer in (self.public, self.competitor):
            answer.changed.connect(self._save)
        for box in self.benefits.values():
            box.clicked.connect(self._benefit_clicked)
        self.nothing.clicked.connect(self._nothing_clicked)
        self.notes.editingFinished.connect(self._notes_done)

        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.facts)
        right.addSpacing(6)
        right.addWidget(wrapped(f"1. {QUESTIONS['existence_public']}"))
        right.addWidget(self.public)
        right.addWidget(
            wrapped("Not known counts as not public: INN and indication stay inside.", MUTED_STYLE)
        )
        right.addSpacing(6)
        right.addWidget(self.competitor_question)
        right.addWidget(self.competitor)
        right.addWidget(wrapped("Not known counts as yes: aggregate figures at most.", MUTED_STYLE))
        right.addSpacing(6)
        right.addWidget(wrapped(f"3. {QUESTIONS['benefits']}"))
        for box in self.benefits.values():
            right.addWidget(box)
        right.addWidget(self.nothing)
        right.addSpacing(6)
        right.addWidget(wrapped("Notes"))
        right.addWidget(self.notes)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.assets)
        row.addSpacing(8)
        row.addLayout(right, 1)
        self.body.addLayout(row, 1)

    # -- filling -------------------------------------------------------------------------
    def enter(self) -> None:
        self.wiz.reload()
        self.asset_id = None
        self.assets.set_entries(self._entry(a.id) for a in self.wiz.assets if a.id is not None)
        first = self.assets.first_open()
        if first is not None:
            self.assets.select(first)
        if not self.wiz.assets:
            self.show_message(
                "The pipeline register holds no active asset: there is nothing to decide.",
                error=False,
            )

    def _entry(self, asset_id: int) -> tuple[int, str, bool]:
        asset = self.wiz.asset(asset_id)
        unanswered = len(self._checklist(asset_id).unanswered())
        text = f"{asset.code} · {unanswered} open" if unanswered else asset.code
        return asset_id, text, unanswered == 0

    def _checklist(self, asset_id: int) -> SharingChecklist:
        decision = self.wiz.decision(asset_id)
        return decision.checklist if decision else SharingChecklist()

    def _show(self, asset_id: int | None) -> None:
        self.flush()
        self.asset_id = asset_id
        if asset_id is None:
            return
        asset = self.wiz.asset(asset_id)
        self.heading.setText(f"{asset.code}  {asset.inn}".strip())
        self.facts.setText(
            " · ".join(
                part
                for part in (
                    asset.modality,
                    asset.therapeutic_area,
                    asset.phase.value if asset.phase else "",
                )
                if part
            )
        )
        area = asset.therapeutic_area or "this therapeutic area"
        self.competitor_question.setText(
            f"2. Does {self.wiz.cmo_names()} serve a direct competitor in {area}?"
        )
        checklist = self._checklist(asset_id)
        self.public.set_value(checklist.existence_public)
        self.competitor.set_value(checklist.serves_competitor)
        chosen = checklist.benefits or []
        for benefit, box in self.benefits.items():
            box.setChecked(benefit in chosen)
        self.nothing.setChecked(checklist.benefits == [])
        self.notes.setText(checklist.notes)

    # -- answers -------------------------------------------------------------------------
    def _benefit_clicked(self) -> None:
        if any(box.isChecked() for box in self.benefits.values()):
            self.nothing.setChecked(False)
        self._save()

    def _nothing_clicked(self) -> None:
        if self.nothing.isChecked():
            for box in self.benefits.values():
                box.setChecked(False)
        self._save()

    def _notes_done(self) -> None:
        if (
            self.asset_id is not None
            and self.notes.text().strip() != self._checklist(self.asset_id).notes.strip()
        ):
            self._save()

    def checklist(self) -> SharingChecklist:
        """The answers on screen; no box ticked means the benefits are not answered yet."""
        benefits: list[Benefit] | None = [b for b, box in self.benefits.items() if box.isChecked()]
        if not benefits and not self.nothing.isChecked():
            benefits = None
        return SharingChecklist(
            existence_public=self.public.value(),
            serves_competitor=self.competitor.value(),
            benefits=benefits,
            notes=self.notes.text().strip(),
        )

    def _save(self) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        checklist = self.checklist()
        problem = self.wiz.write(
            lambda: self.wiz.disclosures.save_checklist(self.wiz.engagement_id, asset_id, checklist)
        )
        self.show_message(f"Not saved: {problem}" if problem else "")
        self.assets.update_entry(*self._entry(asset_id))
        self.changed()

    def flush(self) -> None:
        self._notes_done()
