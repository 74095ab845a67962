"""Align evaluation criteria: focus → selection criteria → KPIs → weights → KPI targets →
internal sign-off → who receives them → what is still open.

Every answer goes to the store as it is given, one short service call each, so the wizard can be
closed at any point and reopened where the user left off. The wizard holds the engagement's
latest criteria set as last read and reads it again after every write; it reports writes through
`criteria_changed`, asks for packs through `export_requested`, and never reaches into other
windows.

A communicated version is frozen: the wizard shows it on the first step and starts the next
version (`open_for_editing`) only when the user moves on to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget, QWizard

from planner.domain.criteria import CriteriaRuleError, CriteriaSet, CriterionStage
from planner.services.criteria_library import CriteriaLibrary
from planner.services.criteria_overview import CriteriaOverview, CriteriaOverviewService
from planner.services.criteria_pairwise import CriteriaPairwiseService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.errors import Conflict, NotFound
from planner.ui.criteria_pages_base import CriteriaPage
from planner.ui.criteria_pages_choose import ChoosePage
from planner.ui.criteria_pages_focus import Focus, FocusPage, suggested_focus
from planner.ui.criteria_pages_sign_off import SignOffPage
from planner.ui.criteria_pages_summary import RecipientsPage, SummaryPage
from planner.ui.criteria_pages_targets import TargetsPage
from planner.ui.criteria_pages_weights import WeightsPage
from planner.ui.wizard_base import CURRENT, DONE, TODO, ChecklistWizard

# What the services raise for an answer they will not store; the message is written for the user.
# (CriteriaRuleError and Conflict are ValueErrors; listed for the reader.)
REFUSALS = (CriteriaRuleError, Conflict, NotFound, ValueError)
SKIPPED = "–"


class RecipientChoice(Protocol):
    """Where the CMOs chosen to receive the criteria are kept between sessions."""

    def load(self, engagement_id: int) -> list[int] | None: ...  # None: never chosen

    def save(self, engagement_id: int, cmo_ids: list[int]) -> None: ...


@dataclass
class CriteriaServices:
    """The criteria use cases bound to one store (built by the composition root)."""

    sets: CriteriaSetService
    sign_off: CriteriaSignOffService
    pairwise: CriteriaPairwiseService
    overview: CriteriaOverviewService
    library: CriteriaLibrary
    candidates: Callable[[int], list[tuple[int, str]]]  # engagement id → [(cmo id, name)]
    # Without one the choice lasts as long as the wizard; every candidate is ticked at first.
    recipients: RecipientChoice | None = None


class CriteriaWizard(ChecklistWizard):
    criteria_changed = Signal(int)  # engagement id, after any write that changed the set
    export_requested = Signal(int, list)  # engagement id, CMO ids to receive a pack

    def __init__(
        self,
        services: CriteriaServices,
        engagement_id: int,
        engagement_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Align evaluation criteria — {engagement_title}", parent)
        self.services = services
        self.engagement_id = engagement_id
        self.engagement_title = engagement_title
        self.overview: CriteriaOverview = services.overview.overview(engagement_id)
        self.criteria_set: CriteriaSet | None = self.overview.criteria_set
        self.focus: Focus = suggested_focus(self.criteria_set, self.overview.engagement_stage)
        self.candidates: list[tuple[int, str]] = services.candidates(engagement_id)
        self.recipients: list[int] = self._load_recipients()
        self.last_error = ""
        # Nothing is pending when the wizard closes: every answer is already stored.
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.focus_page = FocusPage(self)
        self.selection_page = ChoosePage(self, CriterionStage.SELECTION)
        self.kpi_page = ChoosePage(self, CriterionStage.PERFORMANCE)
        self.weights_page = WeightsPage(self)
        self.targets_page = TargetsPage(self)
        self.sign_off_page = SignOffPage(self)
        self.recipients_page = RecipientsPage(self)
        self.summary_page = SummaryPage(self)
        for page in self.pages():
            self.add_step(page)
        self._previous_id = -1
        self.currentIdChanged.connect(self._entered)

    def pages(self) -> tuple[CriteriaPage, ...]:
        return (
            self.focus_page,
            self.selection_page,
            self.kpi_page,
            self.weights_page,
            self.targets_page,
            self.sign_off_page,
            self.recipients_page,
            self.summary_page,
        )

    @property
    def set_id(self) -> int:
        """The set being edited; pages after the first only exist once one is open."""
        if self.criteria_set is None or self.criteria_set.id is None:
            raise NotFound("No criteria set is open yet.")
        return self.criteria_set.id

    # -- writing --------------------------------------------------------------------------
    def persist(self, action: Callable[[], object]) -> bool:
        """Run one service write; a refusal lands in `last_error`. The set is re-read either
        way, and `criteria_changed` fires only when what is stored moved."""
        before = self.criteria_set
        self.last_error = ""
        try:
            action()
        except REFUSALS as exc:
            self.last_error = str(exc).strip('"') or "The change was refused."
        self.reload()
        if self.criteria_set != before:
            self.criteria_changed.emit(self.engagement_id)
        return not self.last_error

    def reload(self) -> None:
        self.criteria_set = self.services.sets.current(self.engagement_id)

    def refresh_overview(self) -> CriteriaOverview:
        self.overview = self.services.overview.overview(self.engagement_id)
        self.criteria_set = self.overview.criteria_set
        return self.overview

    def open_for_editing(self) -> bool:
        """Starts version 1, or the next version of a communicated set; a no-op otherwise."""
        cs = self.criteria_set
        if cs is not None and not cs.frozen:
            return True
        ok = self.persist(lambda: self.services.sets.open_for_editing(self.engagement_id))
        if ok:
            self.refresh_overview()
        return ok

    # -- recipients -----------------------------------------------------------------------
    def _load_recipients(self) -> list[int]:
        known = [cid for cid, _ in self.candidates]
        stored = None
        if self.services.recipients is not None:
            stored = self.services.recipients.load(self.engagement_id)
        if stored is None:
            return known
        return [cid for cid in stored if cid in known]

    def set_recipients(self, cmo_ids: list[int]) -> None:
        self.recipients = list(cmo_ids)
        if self.services.recipients is not None:
            self.services.recipients.save(self.engagement_id, self.recipients)

    def recipient_names(self) -> list[str]:
        names = dict(self.candidates)
        return [names[cid] for cid in self.recipients if cid in names]

    def request_export(self) -> None:
        self.export_requested.emit(self.engagement_id, list(self.recipients))

    # -- navigation -----------------------------------------------------------------------
    def nextId(self) -> int:  # noqa: N802
        for page_id in self.pageIds():
            if page_id > self.currentId() and not self._skipped(page_id):
                return page_id
        return -1

    def _skipped(self, page_id: int) -> bool:
        page = self.page(page_id)
        return isinstance(page, CriteriaPage) and page.skipped()

    def _entered(self, page_id: int) -> None:
        # QWizard initialises a page only when Next reaches it; coming Back, the page must show
        # the set as it is now (a later step may have changed weights or the status).
        if 0 <= page_id < self._previous_id:
            page = self.page(page_id)
            if isinstance(page, CriteriaPage):
                page.show_message("")
                page.enter()
        self._previous_id = page_id

    def _update_steps(self, *_args: object) -> None:
        current = self.currentId()
        visited = set(self.visitedIds())
        for row, page_id in enumerate(self.pageIds()):
            item = self.steps.item(row)
            if item is None:
                continue  # add_step connects before the item for the next page exists
            page = self.page(page_id)
            skipped = self._skipped(page_id)
            if page_id == current:
                mark = CURRENT
            elif skipped:
                mark = SKIPPED
            elif page_id in visited and page.isComplete():
                mark = DONE
            else:
                mark = TODO
            item.setText(f"{mark}  {page.title()}")
            font = QFont(item.font())
            font.setBold(page_id == current)
            item.setFont(font)
            if skipped and page_id != current:
                item.setForeground(QColor("#9e9e9e"))
            else:
                item.setData(Qt.ItemDataRole.ForegroundRole, None)

    def done(self, result: int) -> None:
        page = self.currentPage()
        if isinstance(page, CriteriaPage):
            page.flush()
        super().done(result)
