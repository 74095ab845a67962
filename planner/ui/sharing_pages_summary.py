"""Step 6: the decision per asset and what is still open, as `DisclosureSummary` states it (the
same lines the command line prints), with review flags (blocked, CDA expiring, ownership changed,
review due) set apart in colour."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from planner.domain.wording import plural
from planner.services.disclosure_summary import AssetSummary, DisclosureSummary
from planner.ui.sharing_pages_widgets import SharingPage, bold_label, short_label, wrapped

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard

STATUS_COLOURS = {
    "blocked": "#b00020",
    "review": "#8a5300",
    "draft": "#546e7a",
    "undecided": "#546e7a",
    "ok": "#1b5e20",
}
STATUS_TEXT = {
    "blocked": "blocked",
    "review": "to review",
    "draft": "draft",
    "undecided": "no decision",
    "ok": "decided",
}
COLUMNS = (
    ("Asset", 85),
    ("Level", 175),
    ("Status", 80),
    ("Open", 45),
    ("Approver", 0),
    ("Review", 85),
)
FLAG_COLOUR = "#8a5300"
MAX_TABLE_ROWS = 8  # beyond that the table scrolls and the open points keep their room


class SummaryPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "Summary",
            "What was decided and what is still open. Everything is saved; you can come back "
            "to any step later.",
        )
        self.headline = bold_label()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([c for c, _w in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        for column, (_title, width) in enumerate(COLUMNS):
            if width:
                header.resizeSection(column, width)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.flags_title = bold_label("To review")
        self.flags = wrapped(style=f"color: {FLAG_COLOUR};")
        self.open_title = bold_label("Still open")
        self.open_lines = _line_list()
        self.applies = wrapped(style="color: #546e7a;")
        self.body.addWidget(self.headline)
        self.body.addWidget(self.applies)
        self.body.addWidget(self.table)
        self.body.addWidget(self.flags_title)
        self.body.addWidget(self.flags)
        self.body.addWidget(self.open_title)
        self.body.addWidget(self.open_lines, 3)
        self.summary: DisclosureSummary | None = None

    def enter(self) -> None:
        self.wiz.reload()
        summary = self.wiz.disclosures.summary(self.wiz.engagement_id)
        self.summary = summary
        lines = summary.open_lines()
        flags = {f"{a.code}: {f.message}" for a in summary.assets for f in a.flags}
        decided = len(summary.assets) - len(summary.undecided)
        flagged = sum(line in flags for line in lines)
        if summary.complete and not flagged:
            self.headline.setText(f"All {len(summary.assets)} assets decided; nothing is open.")
        else:
            self.headline.setText(
                f"{decided} of {len(summary.assets)} assets decided · "
                f"{plural(len(lines) - flagged, 'open point')}"
                + (f" · {flagged} to review" if flagged else "")
            )
        who = ", ".join(summary.cmos) or "no CMO yet"
        self.applies.setText(f"Applies to {who}; checked on {summary.on}.")
        self._fill_table(summary)
        # Both lists together hold exactly `open_lines()`, in its order; flags are set apart.
        self.open_lines.clear()
        flagged_lines = [f"⚑ {line}" for line in lines if line in flags]
        for line in lines:
            if line not in flags:
                QListWidgetItem(f"○  {line}", self.open_lines)
        if not self.open_lines.count():
            QListWidgetItem("✓  Nothing is open.", self.open_lines)
        self.flags.setText("\n".join(flagged_lines))
        self.flags_title.setVisible(bool(flagged_lines))
        self.flags.setVisible(bool(flagged_lines))

    def _fill_table(self, summary: DisclosureSummary) -> None:
        self.table.setRowCount(len(summary.assets))
        for row, a in enumerate(summary.assets):
            d = a.decision
            decided = d is not None and d.is_decided
            values = (
                a.code + (" (archived)" if a.asset.archived else ""),
                short_label(d.level) if d is not None and decided else "—",
                _status_text(a),
                str(len(a.open_items)) if a.open_items else "—",
                (d.approver if d else "") or "—",
                str(d.review_date) if d and d.review_date else "—",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == 2:
                    colour = STATUS_COLOURS.get(a.status, "#000")
                    if a.status == "ok" and a.open_items:
                        colour = STATUS_COLOURS["draft"]
                    item.setForeground(QBrush(QColor(colour)))
                if column == 1 and d is not None:
                    item.setToolTip(d.level.label)
                if column == 3 and a.open_items:
                    item.setToolTip("\n".join(a.open_items))
                self.table.setItem(row, column, item)
        shown = min(len(summary.assets), MAX_TABLE_ROWS)
        rows = sum(self.table.rowHeight(r) for r in range(shown))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + rows + 4)


def _status_text(a: AssetSummary) -> str:
    if a.status == "ok" and a.open_items:
        return "incomplete"
    return STATUS_TEXT.get(a.status, a.status)


def _line_list() -> QListWidget:
    lines = QListWidget()
    lines.setWordWrap(True)
    lines.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return lines
