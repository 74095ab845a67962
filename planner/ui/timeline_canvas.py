"""The timeline drawn on a time axis: one row per milestone, arrows for dependencies, the critical
chain in red, shared milestones filled, hard deadlines flagged, and — while the slip slider is
used — where each milestone would move."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from planner.domain.timeline_slip import SlipPropagation
from planner.domain.timeline_summary import TimelineView

ROW = 26
TOP = 34
LABEL_W = 230
RIGHT = 30
INK = QColor("#263238")
GRID = QColor("#e0e4e8")
LINK = QColor("#78909c")
CRITICAL = QColor("#c62828")
SHARED = QColor("#1565c0")
MOVED = QColor("#ef6c00")
CONFLICT = QColor("#d50000")


class TimelineCanvas(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: TimelineView | None = None
        self.slip: SlipPropagation | None = None
        self.selected_id: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(160)
        self.setAutoFillBackground(True)

    def set_view(self, view: TimelineView | None) -> None:
        self.view = view
        self.slip = None
        self.setMinimumHeight(max(160, self.sizeHint().height()))  # scroll rather than squeeze
        self.updateGeometry()
        self.update()

    def set_slip(self, slip: SlipPropagation | None) -> None:
        self.slip = slip
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = len(self.view.milestones) if self.view else 4
        return QSize(900, TOP + rows * ROW + 20)

    # -- geometry -------------------------------------------------------------------------
    def _range(self) -> tuple[date, date]:
        days = [m.planned_date for m in self.view.milestones if m.planned_date] if self.view else []
        if self.slip:
            days += [e.new_date for e in self.slip.effects if e.new_date]
        if not days:
            today = date.today()
            return today, today + timedelta(days=365)
        start, end = min(days), max(days)
        pad = max(14, (end - start).days // 20)
        return start - timedelta(days=pad), end + timedelta(days=pad)

    def _x(self, day: date, start: date, end: date) -> float:
        span = max(1, (end - start).days)
        width = max(50, self.width() - LABEL_W - RIGHT)
        return LABEL_W + width * (day - start).days / span

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        if not self.view or not self.view.milestones:
            p.setPen(INK)
            p.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "No milestones yet. Use “Document timeline rationale…” to start from the template.",
            )
            return
        start, end = self._range()
        rows = {m.id: i for i, m in enumerate(self.view.milestones)}
        self._axis(p, start, end, len(rows))
        critical = {
            (a.milestone_id, b.milestone_id)
            for c in self.view.critical_chains
            for a, b in zip(c.steps, c.steps[1:], strict=False)
        }
        conflicts = {(c.prerequisite_id, c.dependent_id) for c in self.view.conflicts}
        moves = {e.milestone_id: e for e in self.slip.effects} if self.slip else {}
        for link in self.view.links:
            if link.prerequisite_id in rows and link.dependent_id in rows:
                key = (link.prerequisite_id, link.dependent_id)
                color = CONFLICT if key in conflicts else CRITICAL if key in critical else LINK
                self._arrow(p, link, rows, start, end, color, width=2.0 if color != LINK else 1.2)
        on_chain = {s.milestone_id for c in self.view.critical_chains for s in c.steps}
        for m in self.view.milestones:
            self._milestone(p, m, rows[m.id], start, end, m.id in on_chain, moves.get(m.id))

    def _axis(self, p: QPainter, start: date, end: date, rows: int) -> None:
        bottom = TOP + rows * ROW
        font = QFont(self.font().family(), 8)
        p.setFont(font)
        # The step follows the room a month gets on screen, so labels never run together.
        months = max(1, (end - start).days / 30.44)
        per_month = (self._x(end, start, end) - self._x(start, start, end)) / months
        needed = QFontMetricsF(font).horizontalAdvance("Sep 2026") + 10
        step = next((s for s in (1, 2, 3, 6, 12) if s * per_month >= needed), 24)
        day = date(start.year, start.month, 1)
        while day <= end:
            if day >= start and (day.month - 1) % step == 0 and (step < 24 or day.year % 2 == 0):
                x = self._x(day, start, end)
                p.setPen(QPen(GRID, 1))
                p.drawLine(QPointF(x, TOP - 6), QPointF(x, bottom))
                p.setPen(INK)
                label = day.strftime("%b %Y") if day.month == 1 or step > 1 else day.strftime("%b")
                p.drawText(QPointF(x + 3, TOP - 10), label)
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        today = date.today()
        if start <= today <= end:
            x = self._x(today, start, end)
            p.setPen(QPen(QColor("#9e9e9e"), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, TOP - 6), QPointF(x, bottom))
            p.drawText(QPointF(x + 3, bottom + 14), "today")

    def _arrow(self, p: QPainter, link, rows, start, end, color: QColor, width: float) -> None:
        pre = self.view.milestones[rows[link.prerequisite_id]]
        dep = self.view.milestones[rows[link.dependent_id]]
        if not pre.planned_date or not dep.planned_date:
            return
        a = QPointF(self._x(pre.planned_date, start, end), TOP + rows[pre.id] * ROW + ROW / 2)
        b = QPointF(self._x(dep.planned_date, start, end), TOP + rows[dep.id] * ROW + ROW / 2)
        path = QPainterPath(a)
        bend = max(12.0, (b.x() - a.x()) / 2)
        path.cubicTo(
            QPointF(a.x() + bend, a.y()), QPointF(b.x() - bend, b.y()), QPointF(b.x() - 7, b.y())
        )
        p.setPen(QPen(color, width))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(color)
        tip = QPointF(b.x() - 7, b.y())
        p.drawPolygon(
            QPolygonF([tip, QPointF(tip.x() - 6, tip.y() - 4), QPointF(tip.x() - 6, tip.y() + 4)])
        )

    def _milestone(self, p: QPainter, m, row: int, start, end, critical: bool, effect) -> None:
        y = TOP + row * ROW + ROW / 2
        if m.id == self.selected_id:
            p.fillRect(QRectF(0, y - ROW / 2, self.width(), ROW), QColor("#e3f2fd"))
        elif row % 2:
            p.fillRect(QRectF(0, y - ROW / 2, LABEL_W, ROW), QColor("#f7f9fa"))
        font = QFont(self.font())
        font.setBold(m.hard_deadline)
        p.setFont(font)
        p.setPen(CRITICAL if m.hard_deadline else INK)
        name = QFontMetrics(font).elidedText(
            ("⚑ " if m.hard_deadline else "") + m.name, Qt.TextElideMode.ElideRight, LABEL_W - 12
        )
        p.drawText(QRectF(8, y - ROW / 2, LABEL_W - 12, ROW), Qt.AlignmentFlag.AlignVCenter, name)
        if not m.planned_date:
            p.setPen(QColor("#9e9e9e"))
            p.drawText(QPointF(LABEL_W + 4, y + 4), "no date yet")
            return
        x = self._x(m.planned_date, start, end)
        if effect is not None and effect.moves and effect.new_date:
            nx = self._x(effect.new_date, start, end)
            p.setPen(QPen(MOVED, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, y), QPointF(nx, y))
            self._diamond(p, nx, y, MOVED, filled=True, outline=MOVED)
            p.setPen(MOVED)
            p.setFont(QFont(self.font().family(), 8))
            p.drawText(QPointF(nx + 9, y - 6), f"+{effect.days} d")
        outline = CRITICAL if critical else SHARED if m.share_with_cmo else INK
        self._diamond(
            p, x, y, SHARED if m.share_with_cmo else QColor("white"), filled=True, outline=outline
        )

    @staticmethod
    def _diamond(
        p: QPainter, x: float, y: float, fill: QColor, filled: bool, outline: QColor
    ) -> None:
        r = 7
        p.setPen(QPen(outline, 2))
        p.setBrush(fill if filled else Qt.BrushStyle.NoBrush)
        p.drawPolygon(
            QPolygonF([QPointF(x, y - r), QPointF(x + r, y), QPointF(x, y + r), QPointF(x - r, y)])
        )

    def milestone_at(self, y: float) -> int | None:
        if not self.view:
            return None
        row = int((y - TOP) // ROW)
        if 0 <= row < len(self.view.milestones):
            return self.view.milestones[row].id
        return None

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.selected_id = self.milestone_at(event.position().y())
        self.update()
        super().mousePressEvent(event)
