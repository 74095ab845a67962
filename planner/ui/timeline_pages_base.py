"""What every page of the timeline wizard shares: the open points of its step, a text box that
saves itself, and the milestone list beside a per-milestone editor.

Pages never write to the store themselves: they hand a service call to `TimelineWizard.persist`,
which reports a refused edit on the page and re-reads the timeline either way. A page whose edit
was refused fills its widgets again from the re-read timeline, so what is shown is what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.timeline import Milestone
from planner.domain.timeline_summary import OpenPoint, TimelineStep
from planner.ui.wizard_base import DONE, TODO, StepPage

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

# Open points shown on a page before "and N more"; the summary page lists them all.
SHOWN_POINTS = 4
# Typing pauses this long before a text is saved; leaving the box saves at once.
SAVE_DELAY_MS = 800
BLOCKING_COLOUR = "#b00020"
ADVICE_COLOUR = "#8a5a00"
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def day_text(value: date | None) -> str:
    return value.isoformat() if value else "—"


def days_text(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def hint_label(text: str = "") -> QLabel:
    """A grey explanatory line: what the page asks for and why."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class SavingText(QPlainTextEdit):
    """A free-text answer that reports itself through `committed` after a pause in typing and
    when it loses focus, once per actual change (compared trimmed, as the service stores it)."""

    committed = Signal(str)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self._stored = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.commit)
        self.textChanged.connect(self._timer.start)

    def set_stored(self, text: str) -> None:
        with QSignalBlocker(self):
            self.setPlainText(text)
        self._stored = text.strip()
        self._timer.stop()

    def text(self) -> str:
        return self.toPlainText().strip()

    def mark_saved(self) -> None:
        """What is shown is being saved by the caller: no longer pending (the cursor stays)."""
        self._stored = self.text()
        self._timer.stop()

    @property
    def pending(self) -> bool:
        return self.text() != self._stored

    def commit(self) -> None:
        self._timer.stop()
        if self.pending:
            self._stored = self.text()
            self.committed.emit(self._stored)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self.commit()
        super().focusOutEvent(event)


class TimelinePage(StepPage):
    """A wizard page for one TimelineStep: it shows that step's open points under its body."""

    def __init__(
        self, wizard: TimelineWizard, step: TimelineStep | None, title: str, subtitle: str
    ) -> None:
        super().__init__(title, subtitle)
        self.wiz = wizard
        self.step = step
        self.notes = QLabel()
        self.notes.setObjectName("openPoints")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.notes)

    # -- hooks beyond StepPage's ----------------------------------------------------------
    def fill(self) -> None:
        """Show the timeline as the wizard last read it."""

    def flush(self) -> None:
        """Save a text still being typed (before leaving, switching milestone or closing)."""

    def focus_milestone(self, milestone_id: int) -> None:
        """Bring one milestone into view ("Go to step" from the summary)."""

    def stored(self, milestone_id: int) -> Milestone | None:
        """The milestone as last read; None when it has gone (removed by another user)."""
        return self.wiz.timeline.by_id().get(milestone_id)

    def open_points(self) -> tuple[OpenPoint, ...]:
        return self.wiz.summary.open_for(self.step) if self.step else ()

    # -- plumbing -------------------------------------------------------------------------
    def enter(self) -> None:
        self.fill()
        self.show_open_points()

    def leave(self) -> bool:
        self.flush()
        return True

    def cleanupPage(self) -> None:  # noqa: N802
        self.flush()  # Back does not call leave(); what was typed must not be lost
        super().cleanupPage()

    def persist(self, action: Callable[[], object]) -> bool:
        """Run one service call; False (and the reason shown on the page) when it was refused."""
        before = set(self.wiz.timeline.by_id())
        ok = self.wiz.persist(action)
        if ok:
            self.show_message("")
        else:
            self.show_message(self.wiz.last_error)
            if set(self.wiz.timeline.by_id()) != before:
                # Someone else changed the plan (a shared store): show it as it is now, once
                # the signal of the widget that asked is over.
                QTimer.singleShot(0, self.enter)
        self.show_open_points()
        self.changed()
        return ok

    def shown_points(self) -> tuple[OpenPoint, ...]:
        """The open points listed under the body; a page that shows them itself returns ()."""
        return self.open_points()

    def show_open_points(self) -> None:
        points = sorted(self.shown_points(), key=lambda p: not p.blocking)
        if not points:
            self.notes.hide()
            return
        lines = [f"{'•' if p.blocking else '○'} {p.text}" for p in points[:SHOWN_POINTS]]
        if len(points) > SHOWN_POINTS:
            lines.append(f"… and {len(points) - SHOWN_POINTS} more (see the last step).")
        heading = "Still open here:" if points[0].blocking else "Worth a look:"
        if self.problem():
            heading = "Needed before Next:"
        colour = BLOCKING_COLOUR if points[0].blocking else ADVICE_COLOUR
        self.notes.setStyleSheet(f"color: {colour};")
        self.notes.setText("\n".join([heading, *lines]))
        self.notes.show()


class MilestoneListPage(TimelinePage):
    """The milestones on the left (✓ when this step's answers are in), an editor on the right.

    The list keeps the order it had when the page was entered, so a row does not jump away from
    under the mouse while its date or text changes.
    """

    def __init__(
        self, wizard: TimelineWizard, step: TimelineStep, title: str, subtitle: str
    ) -> None:
        super().__init__(wizard, step, title, subtitle)
        self.list = QListWidget()
        self.list.setObjectName("milestoneList")
        self.list.setFixedWidth(225)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._row_changed)
        self.editor = QWidget()
        self.form = QVBoxLayout(self.editor)
        self.form.setContentsMargins(8, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.form.addWidget(self.heading)
        row = QHBoxLayout()
        row.addWidget(self.list)
        row.addWidget(self.editor, 1)
        self.body.addLayout(row, 1)
        self.current_id: int | None = None

    # -- what a subclass provides ------------------------------------------------------------
    def answered(self, milestone: Milestone) -> bool:
        raise NotImplementedError

    def show_milestone(self, milestone: Milestone) -> None:
        raise NotImplementedError

    # -- list -------------------------------------------------------------------------------
    def current(self) -> Milestone | None:
        if self.current_id is None:
            return None
        return self.wiz.timeline.by_id().get(self.current_id)

    def fill(self) -> None:
        milestones = self.wiz.timeline.ordered()
        ids = [m.id for m in milestones]
        keep = self.current_id if self.current_id in ids else (ids[0] if ids else None)
        with QSignalBlocker(self.list):
            self.list.clear()
            for m in milestones:
                item = QListWidgetItem()
                item.setData(ID_ROLE, m.id)
                self.list.addItem(item)
            self.refresh_marks()
            self.list.setCurrentRow(ids.index(keep) if keep is not None else -1)
        self.current_id = keep
        self.editor.setEnabled(keep is not None)
        self._show_current()

    def refresh_marks(self) -> None:
        by_id = self.wiz.timeline.by_id()
        for row in range(self.list.count()):
            item = self.list.item(row)
            m = by_id.get(item.data(ID_ROLE))
            if m is None:
                continue
            mark = DONE if self.answered(m) else TODO
            item.setText(f"{mark}  {m.name}\n      {day_text(m.planned_date)}")

    def _row_changed(self, row: int) -> None:
        self.show_message("")  # a refusal concerned the milestone being left
        self.flush()  # saves the text of the milestone being left, under its own id
        item = self.list.item(row) if row >= 0 else None
        self.current_id = item.data(ID_ROLE) if item else None
        self._show_current()

    def _show_current(self) -> None:
        m = self.current()
        if m is None:
            self.heading.setText("No milestones yet: add them on the first step.")
            return
        owner = m.owner.label if m.owner else "no owner yet"
        self.heading.setText(f"{m.name}  ·  {day_text(m.planned_date)}  ·  {owner}")
        self.show_milestone(m)

    def focus_milestone(self, milestone_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == milestone_id:
                self.list.setCurrentRow(row)
                return

    def persist(self, action: Callable[[], object]) -> bool:
        ok = super().persist(action)
        self.refresh_marks()
        current = self.current()
        if not ok and current is not None:
            self.restore(current)  # the refused answer gives way to what is stored
        return ok

    def restore(self, milestone: Milestone) -> None:
        """Show the stored answers again without replacing widgets: this runs inside the signal
        of the widget whose answer was refused."""
        self.show_milestone(milestone)


def milestone_table(
    name: str,
    columns: list[str],
    widths: tuple[int, ...],
    row_height: int = 30,
    editable: bool = False,
) -> QTableWidget:
    """The pages' one-row-per-milestone tables: widgets in the cells, no selection, the column
    after the given widths stretched."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    header.setSectionResizeMode(len(widths), QHeaderView.ResizeMode.Stretch)
    return table
