"""An engagement's evaluation criteria without the wizard: the current set, its status, the
sign-off grid, weights as a chart, proposal scores with the ranking, and the scorecard."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.criteria import CriterionStage, role_label
from planner.ui.bar_chart import Bar, BarChart
from planner.ui.score_tables import ProposalScoresView, ScorecardView

STATUS_COLOURS = {
    "draft": "#546e7a",
    "in_review": "#ef6c00",
    "aligned": "#2e7d32",
    "communicated": "#1565c0",
}


@dataclass
class CriteriaViews:
    """The services the tab reads and writes through (built by the composition root)."""

    overview: object  # CriteriaOverviewService
    scoring: object  # ScoringService


def _readonly_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setWordWrap(False)
    return table


def _item(text: str, colour: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour:
        item.setForeground(QColor(colour))
    return item


class CriteriaTab(QWidget):
    wizard_requested = Signal(int)  # engagement id
    changed = Signal(int)

    def __init__(self, views: CriteriaViews, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._views = views
        self.engagement_id: int | None = None
        self.wizard_button = QPushButton("&Align evaluation criteria…")
        self.wizard_button.clicked.connect(
            lambda: (
                self.engagement_id is not None and self.wizard_requested.emit(self.engagement_id)
            )
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.open_items = QLabel()
        self.open_items.setWordWrap(True)
        self.open_items.setStyleSheet("color: #6d4c41;")
        top = QHBoxLayout()
        top.addWidget(self.wizard_button)
        top.addWidget(self.status, 1)

        self.criteria = _readonly_table(["Stage", "Criterion", "Weight", "Knockout", "Target"])
        header = self.criteria.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 75), (2, 65), (3, 75), (4, 130)):
            header.resizeSection(col, width)
        self.sign_offs = _readonly_table(["Role", "Person", "Verdict", "Date", "Comment"])
        self.sign_offs.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.weights_chart = BarChart("Selection weights (%)")
        overview = QWidget()
        grid = QHBoxLayout(overview)
        left = QVBoxLayout()
        left.addWidget(self.criteria, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Internal sign-off</b>"))
        right.addWidget(self.sign_offs, 1)
        right.addWidget(self.weights_chart)
        grid.addLayout(left, 3)
        grid.addLayout(right, 2)

        self.proposals = ProposalScoresView(views.scoring)
        self.scorecard = ScorecardView(views.scoring)
        for view in (self.proposals, self.scorecard):
            view.changed.connect(
                lambda: self.engagement_id is not None and self.changed.emit(self.engagement_id)
            )
        self.tabs = QTabWidget()
        self.tabs.addTab(overview, "Criteria and sign-off")
        self.tabs.addTab(self.proposals, "Proposal scores")
        self.tabs.addTab(self.scorecard, "Performance scorecard")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.open_items)
        layout.addWidget(self.tabs, 1)

    def set_engagement(self, engagement_id: int | None) -> None:
        self.engagement_id = engagement_id
        self.refresh()

    def refresh(self) -> None:
        self.setEnabled(self.engagement_id is not None)
        if self.engagement_id is None:
            return
        ov = self._views.overview.overview(self.engagement_id)
        cs = ov.criteria_set
        if cs is None:
            self.status.setText("No evaluation criteria yet.")
        else:
            colour = STATUS_COLOURS.get(cs.status.value, "#263238")
            when = f", communicated {cs.communicated_at:%Y-%m-%d}" if cs.communicated_at else ""
            self.status.setText(
                f"Version {cs.version}: <b style='color:{colour}'>{cs.status.label}</b>{when}"
            )
        self.open_items.setText("Still open: " + " · ".join(ov.open_items) if ov.open_items else "")
        self.open_items.setVisible(bool(ov.open_items))
        order = {CriterionStage.SELECTION: 0, CriterionStage.PERFORMANCE: 1}
        criteria = sorted(cs.criteria, key=lambda c: order.get(c.stage, 2)) if cs else []
        self.criteria.setRowCount(len(criteria))
        for r, c in enumerate(criteria):
            target = ""
            if c.target is not None:
                arrow = (
                    {"higher": "≥ ", "lower": "≤ "}.get(c.direction.value, "")
                    if c.direction
                    else ""
                )
                target = f"{arrow}{c.target:g} {c.unit}".strip()
            for col, text in enumerate(
                (c.stage.label, c.name, f"{c.weight:.1f}%", "yes" if c.knockout else "", target)
            ):
                self.criteria.setItem(r, col, _item(text))
        roles = cs.required_roles if cs else []
        self.sign_offs.setRowCount(len(roles))
        for r, role in enumerate(roles):
            s = cs.sign_off(role)
            verdict = s.verdict.label if s and s.verdict else "pending"
            colour = (
                "#c62828"
                if s and s.verdict and not s.verdict.is_agreement
                else "#2e7d32"
                if s and s.verdict
                else "#ef6c00"
            )
            values = (
                role_label(role),
                s.person if s else "",
                verdict,
                s.signed_on.isoformat() if s and s.signed_on else "",
                s.comment if s else "",
            )
            for col, text in enumerate(values):
                self.sign_offs.setItem(r, col, _item(text, colour if col == 2 else None))
        selection = [c for c in criteria if c.stage is CriterionStage.SELECTION]
        self.weights_chart.set_bars(
            [
                Bar(c.name, c.weight, f"{c.weight:.1f}%" + (" knockout" if c.knockout else ""))
                for c in selection
            ],
            maximum=max([c.weight for c in selection] + [1.0]),
        )
        self.proposals.set_engagement(self.engagement_id if cs else None)
        self.scorecard.set_engagement(self.engagement_id if cs else None)
