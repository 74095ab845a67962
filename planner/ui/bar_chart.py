"""A small horizontal bar chart drawn with QPainter: weights, or candidates' weighted scores."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#4f83cc")
MUTED = QColor("#b0bec5")
ROW = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: drawn as "not rated"
    text: str = ""  # shown after the bar; default: the value
    colour: str = BAR.name()  # a colour name; QColor is mutable, so not a dataclass default


class BarChart(QWidget):
    def __init__(
        self, title: str = "", maximum: float = 100.0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.maximum = maximum
        self.bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_bars(self, bars: list[Bar], maximum: float | None = None) -> None:
        self.bars = bars
        if maximum is not None:
            self.maximum = maximum
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 28 + ROW * max(1, len(self.bars)))

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        p.setPen(QColor("#263238"))
        font = self.font()
        font.setBold(True)
        p.setFont(font)
        p.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        if not self.bars:
            p.drawText(
                QRectF(0, 22, self.width(), ROW), Qt.AlignmentFlag.AlignLeft, "Nothing to show yet."
            )
            return
        label_w = min(
            int(self.width() * 0.42),
            max(metrics.horizontalAdvance(b.label) for b in self.bars) + 10,
        )
        text_w = 70
        span = max(20, self.width() - label_w - text_w)
        for i, bar in enumerate(self.bars):
            y = 24 + i * ROW
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_w - 8)
            p.setPen(QColor("#37474f"))
            p.drawText(
                QRectF(0, y, label_w - 6, ROW - 4),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                label,
            )
            if bar.value is None:
                p.setPen(MUTED)
                p.drawText(
                    QRectF(label_w, y, span, ROW - 4),
                    Qt.AlignmentFlag.AlignVCenter,
                    bar.text or "not rated",
                )
                continue
            width = (
                span * max(0.0, min(bar.value, self.maximum)) / self.maximum if self.maximum else 0
            )
            p.fillRect(QRectF(label_w, y + 3, width, ROW - 10), QColor(bar.colour))
            p.setPen(QColor("#263238"))
            p.drawText(
                QRectF(label_w + width + 4, y, text_w + span - width, ROW - 4),
                Qt.AlignmentFlag.AlignVCenter,
                bar.text or f"{bar.value:g}",
            )
