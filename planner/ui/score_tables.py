"""Proposal scores (criteria × candidates, with the ranking) and the performance scorecard
(KPIs × periods). Every cell edit is saved through the scoring service at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.ui.bar_chart import Bar, BarChart

KNOCKED_OUT = QColor("#b0bec5")
BAND_COLOURS = {"at risk": "#e57373", "watch": "#ffb74d", "good": "#81c784"}
ROLE = Qt.ItemDataRole.UserRole


class _GridView(QWidget):
    changed = Signal()

    def __init__(
        self, scoring, chart_title: str, maximum: float, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._scoring = scoring
        self.engagement_id: int | None = None
        self.grid = QTableWidget()
        self.grid.setWordWrap(False)
        self.grid.itemChanged.connect(self._item_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.chart = BarChart(chart_title, maximum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.chart)
        self._filling = False

    def set_engagement(self, engagement_id: int | None) -> None:
        self.engagement_id = engagement_id
        self.error.hide()
        self._filling = True
        try:
            self.fill()
        finally:
            self._filling = False

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.data(ROLE) is None:
            return
        try:
            self.save(item)
        except (ValueError, LookupError) as exc:
            self.error.setText(str(exc).strip('"'))
            self.error.show()
            self.set_engagement(self.engagement_id)
            return
        self.set_engagement(self.engagement_id)
        self.changed.emit()

    def fill(self) -> None:
        raise NotImplementedError

    def save(self, item: QTableWidgetItem) -> None:
        raise NotImplementedError


class ProposalScoresView(_GridView):
    """Type 1–5 or N/A in a cell; N/A asks for the reason (it never counts as zero)."""

    def __init__(self, scoring, parent: QWidget | None = None) -> None:
        super().__init__(scoring, "Weighted score (1–5, over rated criteria)", 5.0, parent)

    def fill(self) -> None:
        self.grid.clear()
        if self.engagement_id is None:
            self.grid.setRowCount(0)
            self.chart.set_bars([])
            return
        sheet = self._scoring.proposals(self.engagement_id)
        names = list(sheet.candidates.items())
        self.grid.setColumnCount(len(names))
        self.grid.setRowCount(len(sheet.criteria))
        self.grid.setHorizontalHeaderLabels([n for _i, n in names])
        self.grid.setVerticalHeaderLabels(
            [
                f"{c.name} ({c.weight:.0f}%){' – knockout' if c.knockout else ''}"
                for c in sheet.criteria
            ]
        )
        editable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if sheet.open_for_scoring:
            editable |= Qt.ItemFlag.ItemIsEditable
        for r, c in enumerate(sheet.criteria):
            for col, (cmo_id, _name) in enumerate(names):
                score = sheet.score(cmo_id, c.id)
                text = "" if score is None else ("N/A" if score.score is None else str(score.score))
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(editable)
                item.setData(ROLE, (c.id, cmo_id))
                if score and score.note:
                    item.setToolTip(score.note)
                self.grid.setItem(r, col, item)
        self.grid.resizeColumnsToContents()
        for col in range(len(names)):
            self.grid.setColumnWidth(col, max(110, self.grid.columnWidth(col) + 12))
        ranking = sheet.ranking
        bars = []
        for result in ranking.candidates:
            if result.weighted_score is None or not result.eligible:
                why = (
                    ("knocked out: " + ", ".join(result.failed_knockouts))
                    if result.failed_knockouts
                    else "not scored yet"
                )
                bars.append(Bar(result.name, None, why))
            else:
                rank = f"#{result.rank}  " if result.rank else ""
                bars.append(
                    Bar(result.name, result.weighted_score, f"{rank}{result.weighted_score:.2f}")
                )
        self.chart.set_bars(bars)
        state = (
            "Type 1–5 or N/A in a cell."
            if sheet.open_for_scoring
            else "The engagement has left consideration: scores are read-only."
        )
        call = ranking.closest_call
        if call is not None and ranking.leader_id is not None:
            leader = sheet.candidates.get(ranking.leader_id, "The leader")
            rival = sheet.candidates.get(call.overtaken_by, "a rival")
            state += (
                f" {leader} leads; it keeps first place unless the weight of “{call.name}” moves "
                f"from {call.weight:.1f}% to {call.new_weight:.1f}% ({call.change:+.1f} points), "
                f"when {rival} draws level."
            )
        self.note.setText(state)

    def save(self, item: QTableWidgetItem) -> None:
        criterion_id, cmo_id = item.data(ROLE)
        text = item.text().strip().upper()
        if not text:
            self._scoring.clear_score(criterion_id, cmo_id)
        elif text in {"N/A", "NA", "-"}:
            note, ok = QInputDialog.getText(
                self, "Not applicable", "Why does this criterion not apply?"
            )
            if not ok or not note.strip():
                raise ValueError("N/A needs a reason; the score was not changed.")
            self._scoring.set_score(criterion_id, cmo_id, None, note.strip())
        elif text in {"1", "2", "3", "4", "5"}:
            self._scoring.set_score(criterion_id, cmo_id, int(text))
        else:
            raise ValueError(f"'{item.text()}' is not a score: type 1 to 5, or N/A.")


class ScorecardView(_GridView):
    """KPI actuals per quarter for the chosen CMO; an empty cell is 'not rated', never zero."""

    def __init__(self, scoring, parent: QWidget | None = None) -> None:
        super().__init__(scoring, "Score per period (0–100)", 100.0, parent)

    def fill(self) -> None:
        self.grid.clear()
        if self.engagement_id is None:
            self.grid.setRowCount(0)
            self.chart.set_bars([])
            return
        try:
            sheet = self._scoring.scorecard(self.engagement_id)
        except LookupError as exc:  # no chosen CMO yet
            self.note.setText(str(exc).strip('"'))
            self.grid.setRowCount(0)
            self.chart.set_bars([])
            return
        card = sheet.scorecard
        periods = [p.period for p in card.periods]
        if sheet.next_period not in periods:
            periods.append(sheet.next_period)
        self.grid.setColumnCount(len(periods))
        self.grid.setRowCount(len(sheet.kpis))
        self.grid.setHorizontalHeaderLabels(periods)
        self.grid.setVerticalHeaderLabels(
            [f"{k.name} ({k.unit})" if k.unit else k.name for k in sheet.kpis]
        )
        actuals = {(a.criterion_id, a.period): a for a in sheet.actuals}
        for r, kpi in enumerate(sheet.kpis):
            for col, period in enumerate(periods):
                entry = actuals.get((kpi.id, period))
                text = "" if entry is None or entry.actual is None else f"{entry.actual:g}"
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(ROLE, (kpi.id, period))
                self.grid.setItem(r, col, item)
        for col in range(len(periods)):
            self.grid.setColumnWidth(col, 90)
        self.chart.set_bars(
            [
                Bar(
                    p.period,
                    p.score,
                    f"{p.score:.0f} – {p.band}" if p.score is not None else "not rated",
                    BAND_COLOURS.get(p.band or "", QColor("#4f83cc")),
                )
                for p in card.periods
            ]
        )
        latest = card.latest
        trend = f" Trend: {card.trend.value}" + (
            f" ({card.change:+.0f} points)." if card.change is not None else "."
        )
        self.note.setText(
            f"{sheet.cmo_name}: "
            + (
                f"latest {latest.period} scores {latest.score:.0f} ({latest.band})."
                if latest
                else "no period scored yet."
            )
            + trend
            + " Type an actual in a cell; clear it to remove."
        )

    def save(self, item: QTableWidgetItem) -> None:
        criterion_id, period = item.data(ROLE)
        text = item.text().strip().replace(",", ".").rstrip("%")
        if not text:
            self._scoring.clear_kpi_actual(criterion_id, period)
            return
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"'{item.text()}' is not a number.") from None
        self._scoring.set_kpi_actual(criterion_id, period, value)
