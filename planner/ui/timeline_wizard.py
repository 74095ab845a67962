"""Document timeline rationale: template → dates and owners → the why → what hinges on each →
buffers → conflicts and slips → what to share → what is still open.

Every answer goes to the store as it is given, one short service call each, so the wizard can be
closed at any point and reopened where the user left off. The wizard holds the engagement's
timeline as last read and reads it again after every write; it reports writes through
`timeline_changed` and never reaches into other windows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from planner.domain.timeline import Timeline, TimelineRuleError
from planner.domain.timeline_summary import OpenPoint, TimelineStep, TimelineSummary, summarise
from planner.domain.wording import plural
from planner.services.errors import Conflict, NotFound
from planner.services.timeline import TimelineService
from planner.ui.timeline_pages_base import TimelinePage
from planner.ui.timeline_pages_buffers import BuffersPage
from planner.ui.timeline_pages_dates import DatesPage
from planner.ui.timeline_pages_share import SharePage
from planner.ui.timeline_pages_slip import ConflictsPage
from planner.ui.timeline_pages_summary import SummaryPage
from planner.ui.timeline_pages_template import TemplatePage
from planner.ui.timeline_pages_why import HingesPage, RationalePage
from planner.ui.wizard_base import DONE, TODO, ChecklistWizard

# What the service raises for an answer it will not store; the message is written for the user.
# (CycleError and TimelineRuleError are ValueErrors, as is Conflict; listed for the reader.)
REFUSALS = (TimelineRuleError, Conflict, NotFound, ValueError)


class TimelineWizard(ChecklistWizard):
    """Opens on the first step whatever was answered before; every step shows the stored
    answers. The constructor reads the timeline, so an unknown engagement raises NotFound."""

    timeline_changed = Signal(int)  # engagement id, after any write that changed the timeline

    def __init__(
        self,
        service: TimelineService,
        engagement_id: int,
        engagement_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Document timeline rationale — {engagement_title}", parent)
        self.service = service
        self.engagement_id = engagement_id
        self.engagement_title = engagement_title
        self.template = service.template()
        self.timeline: Timeline = service.timeline(engagement_id)
        self.summary: TimelineSummary = summarise(self.timeline)
        self.last_error = ""
        # Nothing is pending when the wizard closes: every answer is already stored.
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.template_page = TemplatePage(self)
        self.dates_page = DatesPage(self)
        self.rationale_page = RationalePage(self)
        self.hinges_page = HingesPage(self)
        self.buffers_page = BuffersPage(self)
        self.conflicts_page = ConflictsPage(self)
        self.share_page = SharePage(self)
        self.summary_page = SummaryPage(self)
        self._page_ids: dict[TimelinePage, int] = {}
        for page in self.pages():
            self._page_ids[page] = self.add_step(page)
        self._previous_id = -1
        self.currentIdChanged.connect(self._entered)

    def pages(self) -> tuple[TimelinePage, ...]:
        return (
            self.template_page,
            self.dates_page,
            self.rationale_page,
            self.hinges_page,
            self.buffers_page,
            self.conflicts_page,
            self.share_page,
            self.summary_page,
        )

    def page_for_step(self, step: TimelineStep) -> TimelinePage:
        return next(p for p in self.pages() if p.step == step)

    def page_for_point(self, point: OpenPoint) -> TimelinePage:
        # The summary files "no hard deadline" under the template step, but the flag is set on
        # the buffers page; that is the one non-blocking, milestone-less template point.
        if point.step == TimelineStep.TEMPLATE and not point.blocking:
            return self.buffers_page
        return self.page_for_step(point.step)

    # -- writing --------------------------------------------------------------------------
    def persist(self, action: Callable[[], object]) -> bool:
        """Run one service write; refusals land in `last_error`. The timeline is re-read either
        way, and `timeline_changed` fires only when the stored version moved."""
        before = self.timeline.version
        self.last_error = ""
        try:
            action()
        except REFUSALS as exc:
            self.last_error = str(exc).strip('"') or "The change was refused."
        self.reload()
        if self.timeline.version != before:
            self.timeline_changed.emit(self.engagement_id)
        return not self.last_error

    def reload(self) -> None:
        self.timeline = self.service.timeline(self.engagement_id)
        self.summary = summarise(self.timeline)

    # -- navigation -----------------------------------------------------------------------
    def go_to(self, page: TimelinePage, milestone_id: int | None = None) -> bool:
        """Walk Back (or Next, while each page allows it) to `page`; False when a page stopped
        the walk forward. Pages keep what they show, so nothing is lost on the way."""
        target = self._page_ids[page]
        while self.currentId() > target:
            self.back()
        while self.currentId() < target:
            current = self.currentId()
            self.next()
            if self.currentId() == current:
                return False
        if milestone_id is not None:
            page.focus_milestone(milestone_id)
        return True

    def _update_steps(self, *args: object) -> None:
        # Next stays allowed past open points, so "complete" alone would tick steps that still
        # have something to settle; those keep their to-do mark, with the count as a tooltip.
        super()._update_steps(*args)
        for row, page_id in enumerate(self.pageIds()):
            page = self.page(page_id)
            if not isinstance(page, TimelinePage) or page_id == self.currentId():
                continue
            item = self.steps.item(row)
            blocking = sum(1 for p in page.open_points() if p.blocking)
            if blocking and item.text().startswith(DONE):
                item.setText(f"{TODO}  {page.title()}")
            item.setToolTip(f"{plural(blocking, 'point')} to settle" if blocking else "")

    def initializePage(self, page_id: int) -> None:  # noqa: N802
        # Read again on every step: another user of a shared store may have changed the plan.
        self.reload()
        super().initializePage(page_id)

    def _entered(self, page_id: int) -> None:
        # QWizard initialises a page only when Next reaches it; coming Back, the page shows the
        # timeline as it was, which later steps may have changed (a conflict fixed, a share).
        if 0 <= page_id < self._previous_id:
            page = self.page(page_id)
            if isinstance(page, TimelinePage):
                self.reload()
                page.show_message("")
                page.enter()
        self._previous_id = page_id

    def done(self, result: int) -> None:
        page = self.currentPage()
        if isinstance(page, TimelinePage):
            page.flush()
        super().done(result)
