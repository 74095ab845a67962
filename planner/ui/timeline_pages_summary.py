"""The last step: what is still open, grouped by the step that settles it, blocking points first,
each one a double-click (or "Go to step") away from the page and milestone it concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem

from planner.domain.timeline_summary import OpenPoint
from planner.domain.wording import plural
from planner.ui.timeline_pages_base import ADVICE_COLOUR, BLOCKING_COLOUR, TimelinePage

if TYPE_CHECKING:
    from planner.ui.timeline_wizard import TimelineWizard

POINT_ROLE = Qt.ItemDataRole.UserRole + 3
OK_COLOUR = "#1b5e20"


class SummaryPage(TimelinePage):
    def __init__(self, wizard: TimelineWizard) -> None:
        super().__init__(
            wizard,
            None,
            "What is still open",
            "Everything is saved already. Points marked ● must be settled before the timeline "
            "is shared; ○ are worth a look.",
        )
        self.counts = QLabel()
        self.counts.setObjectName("summaryCounts")
        self.counts.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setObjectName("summaryVerdict")
        self.verdict.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("openPointsTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.go_to_item(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self.go_button = QPushButton("&Go to step")
        self.go_button.clicked.connect(lambda: self.go_to_item(self.tree.currentItem()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.go_button)
        buttons.addStretch(1)
        self.body.addWidget(self.counts)
        self.body.addWidget(self.verdict)
        self.body.addWidget(self.tree, 1)
        self.body.addLayout(buttons)
        # Takes the room of the hidden tree when nothing is open, so the lines stay on top.
        self._spacer = self.body.count()
        self.body.addStretch(0)
        self.setFinalPage(True)
        self._points: list[OpenPoint] = []

    def fill(self) -> None:
        s = self.wiz.summary
        self.counts.setText(
            f"<b>{s.milestones}</b> milestones · <b>{s.documented}</b> fully documented "
            f"(date, owner, driver, why) · <b>{s.shared}</b> shared with the CMO, "
            f"<b>{s.confirmed}</b> of them confirmed · timeline version {self.wiz.timeline.version}"
        )
        blocking = sum(1 for p in s.open_points if p.blocking)
        if s.complete:
            advice = len(s.open_points)
            self.verdict.setText(
                "Nothing blocking: the timeline is ready to go into an alignment pack."
                + (
                    f" {plural(advice, 'point')} {'is' if advice == 1 else 'are'} worth a look."
                    if advice
                    else ""
                )
            )
        else:
            self.verdict.setText(
                f"{plural(blocking, 'point')} to settle before the timeline is shared."
            )
        self.verdict.setStyleSheet(
            f"color: {OK_COLOUR if s.complete else BLOCKING_COLOUR}; font-weight: bold;"
        )
        self._fill_tree()

    def _fill_tree(self) -> None:
        self.tree.clear()
        self._points = []
        groups: dict[TimelinePage, list[OpenPoint]] = {}
        for point in self.wiz.summary.open_points:
            groups.setdefault(self.wiz.page_for_point(point), []).append(point)
        for page in self.wiz.pages():
            points = sorted(groups.get(page, []), key=lambda p: not p.blocking)
            if not points:
                continue
            settle = sum(1 for p in points if p.blocking)
            counts = [
                text
                for text, n in (
                    (f"{settle} to settle", settle),
                    (f"{len(points) - settle} worth a look", len(points) - settle),
                )
                if n
            ]
            group = QTreeWidgetItem(self.tree, [f"{page.title()} — {', '.join(counts)}"])
            font = QFont(group.font(0))
            font.setBold(True)
            group.setFont(0, font)
            group.setData(0, POINT_ROLE, -1)
            for point in points:
                item = QTreeWidgetItem(group, [f"{'●' if point.blocking else '○'}  {point.text}"])
                item.setToolTip(0, point.text)
                item.setForeground(
                    0, QBrush(QColor(BLOCKING_COLOUR if point.blocking else ADVICE_COLOUR))
                )
                item.setData(0, POINT_ROLE, len(self._points))
                self._points.append(point)
        self.tree.expandAll()
        self.tree.setVisible(bool(self._points))
        self.body.setStretch(self._spacer, 0 if self._points else 1)
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self._update_button()

    def _target(self, item: QTreeWidgetItem | None) -> tuple[TimelinePage, int | None] | None:
        if item is None:
            return None
        index = item.data(0, POINT_ROLE)
        if index is not None and index >= 0:
            point = self._points[index]
            return self.wiz.page_for_point(point), point.milestone_id
        if item.childCount():
            return self._target(item.child(0))
        return None

    def _update_button(self) -> None:
        target = self._target(self.tree.currentItem())
        self.go_button.setVisible(bool(self._points))
        self.go_button.setEnabled(target is not None)
        if target is not None:
            self.go_button.setText(f"&Go to “{target[0].title()}”")

    def go_to_item(self, item: QTreeWidgetItem | None) -> bool:
        target = self._target(item)
        if target is None:
            return False
        return self.wiz.go_to(*target)
