"""Decide what pipeline information to share with an engagement's CMO(s).

Engagement and relationship type → the CMOs' agreements → a short checklist per asset → the
level per asset, with exactly what it reveals → decision details → what is still open.

Every answer is written as it is entered, one small service call each, so closing the wizard
loses nothing and reopening it shows what was entered. A level counts as chosen once the
decision has a date (the date of disclosure the agreement gates are checked against): choosing or
changing a level dates the decision today (the details page may move that date), which keeps the
wizard's "every asset has a level" and `DisclosureSummary.undecided` the same thing.

The wizard reports through `decisions_changed` and `agreement_recorded`; it never touches other
windows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.pipeline import PipelineAsset
from planner.services.disclosure_context import DisclosureContext
from planner.services.disclosure_decisions import DisclosureService
from planner.services.pipeline import PipelineService
from planner.ui.sharing_pages_agreements import AgreementsPage
from planner.ui.sharing_pages_checklist import ChecklistPage
from planner.ui.sharing_pages_details import DetailsPage
from planner.ui.sharing_pages_engagement import EngagementPage
from planner.ui.sharing_pages_level import LevelPage
from planner.ui.sharing_pages_summary import SummaryPage
from planner.ui.sharing_pages_widgets import SharingPage
from planner.ui.wizard_base import ChecklistWizard


class SharingWizard(ChecklistWizard):
    decisions_changed = Signal(int)  # engagement id, after any write (relationship type included)
    agreement_recorded = Signal(int)  # CMO id

    def __init__(
        self,
        disclosures: DisclosureService,
        pipeline: PipelineService,
        engagement_id: int,
        engagement_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Pipeline sharing – {engagement_title}", parent)
        self.disclosures = disclosures
        self.pipeline = pipeline
        self.engagement_id = engagement_id
        self.context: DisclosureContext
        self.assets: list[PipelineAsset] = []
        self.decisions: dict[int, DisclosureDecision] = {}
        self.reload()
        # Nothing is pending when the wizard closes: every decision is stored as it is made.
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.engagement_page = EngagementPage(self)
        self.agreements_page = AgreementsPage(self)
        self.checklist_page = ChecklistPage(self)
        self.level_page = LevelPage(self)
        self.details_page = DetailsPage(self)
        self.summary_page = SummaryPage(self)
        for page in (
            self.engagement_page,
            self.agreements_page,
            self.checklist_page,
            self.level_page,
            self.details_page,
            self.summary_page,
        ):
            self.add_step(page)

    # -- what the pages read -------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the engagement, the CMOs' agreements, the active assets and the decisions."""
        self.context = self.disclosures.context(self.engagement_id)
        self.assets = self.pipeline.list_assets()
        self.decisions = {d.asset_id: d for d in self.disclosures.decisions(self.engagement_id)}

    def decision(self, asset_id: int) -> DisclosureDecision | None:
        return self.decisions.get(asset_id)

    def asset(self, asset_id: int) -> PipelineAsset:
        return next(a for a in self.assets if a.id == asset_id)

    def has_level(self, asset_id: int) -> bool:
        decision = self.decisions.get(asset_id)
        return decision is not None and decision.is_decided

    def cmo_names(self, names: list[str] | None = None) -> str:
        """'A', 'A and B', 'A, B and C' (the CMOs in scope unless `names` are given)."""
        names = [c.name for c in self.context.cmos] if names is None else names
        if not names:
            return "the CMO (none chosen or shortlisted yet)"
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + " and " + names[-1]

    def receivers_at(self, level: DisclosureLevel) -> tuple[list[str], list[str]]:
        """(CMOs whose agreements allow `level` today, CMOs that would get nothing at it)."""
        cmos = self.context.cmos
        return (
            [c.name for c in cmos if c.allowed.level >= level],
            [c.name for c in cmos if c.allowed.level < level],
        )

    def allowed_by_agreements(self) -> DisclosureLevel:
        """The highest level at least one CMO's agreements allow today (what the service refuses
        above; with several candidates, the ones that do not allow it are flagged blocked)."""
        levels = [c.allowed.level for c in self.context.cmos]
        return max(levels) if levels else DisclosureLevel.AGGREGATE

    # -- writes --------------------------------------------------------------------------
    def write(self, action: Callable[[], DisclosureDecision]) -> str | None:
        """Run one decision write; the user-facing reason it was refused, or None when saved."""
        try:
            decision = action()
        except (ValueError, LookupError) as exc:  # Conflict and rule errors are ValueErrors
            return str(exc)
        self.decisions[decision.asset_id] = decision
        self.decisions_changed.emit(self.engagement_id)
        return None

    def choose_level(
        self, asset_id: int, level: DisclosureLevel, justification: str | None
    ) -> str | None:
        """Record a new level, dated today, in one write (the agreements are checked on today)."""
        eid = self.engagement_id

        def change() -> DisclosureDecision:
            current = self.disclosures.get(eid, asset_id) or DisclosureDecision(eid, asset_id)
            if current.is_decided and current.level == level and justification is None:
                return current
            current.level = level
            if justification is not None:
                current.justification = justification
            current.decided_on = date.today()
            return self.disclosures.record(current)

        return self.write(change)

    def done(self, result: int) -> None:
        page = self.currentPage()
        if isinstance(page, SharingPage):
            page.flush()  # what is still being typed is an answer too
        super().done(result)
