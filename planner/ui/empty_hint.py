"""A line of guidance in the middle of a table while it shows no rows.

An empty table with bare headers does not say whether something failed or what to do first;
the hint does ("No engagements yet: New engagement… starts one"), and a filter that matches
nothing says so instead of looking like lost data.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel


class EmptyHint(QObject):
    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view)
        self._view = view
        self._text = text
        self.label = QLabel(view.viewport())
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: #5f6368; padding: 24px;")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        model = view.model()
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self.update)
        view.viewport().installEventFilter(self)
        self.update()

    def update(self, *_args: object) -> None:
        empty = self._view.model().rowCount() == 0
        if empty:
            self.label.setText(self._text())
            self._place()
        self.label.setVisible(empty)

    def _place(self) -> None:
        area = self._view.viewport().rect()
        width = min(area.width(), 560)
        self.label.setFixedWidth(width)
        self.label.adjustSize()
        self.label.move(
            (area.width() - width) // 2, max(0, area.height() // 3 - self.label.height() // 2)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and self.label.isVisible():
            self._place()
        return False


def empty_hint(view: QAbstractItemView, when_empty: str, when_filtered: str = "") -> EmptyHint:
    """`when_filtered` is shown when the view's source has rows but a filter hides them all."""
    model = view.model()
    source = getattr(model, "sourceModel", lambda: None)()

    def text() -> str:
        if when_filtered and source is not None and source.rowCount() > 0:
            return when_filtered
        return when_empty

    return EmptyHint(view, text)
