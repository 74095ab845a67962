"""An engagement's pipeline-sharing decisions, what is still open, and the wizard to decide."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from planner.ui.disclosures_page import DECISION_COLUMNS, StatusModel, _table


class SharingTab(QWidget):
    wizard_requested = Signal(int)

    def __init__(self, register, disclosures, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._register = register
        self._disclosures = disclosures
        self.engagement_id: int | None = None
        self.wizard_button = QPushButton("&Decide what pipeline information to share…")
        self.wizard_button.clicked.connect(
            lambda: (
                self.engagement_id is not None and self.wizard_requested.emit(self.engagement_id)
            )
        )
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.wizard_button)
        top.addStretch(1)
        self.model = StatusModel(
            [c for c in DECISION_COLUMNS if c.title != "Engagement"],
            lambda e: hash((e.decision.id, e.cmo_id)),
            lambda e: e.asset_code,
            self,
        )
        self.table: QTableView = _table(self.model)
        for col, width in ((0, 90), (1, 230), (2, 50), (3, 70), (4, 200), (5, 90), (6, 260)):
            self.table.horizontalHeader().resizeSection(col, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_engagement(self, engagement_id: int | None) -> None:
        self.engagement_id = engagement_id
        self.refresh()

    def refresh(self) -> None:
        self.setEnabled(self.engagement_id is not None)
        if self.engagement_id is None:
            self.model.set_rows([])
            self.summary.setText("")
            return
        entries = [
            e for e in self._register.entries() if e.decision.engagement_id == self.engagement_id
        ]
        self.model.set_rows(entries)
        lines = self._disclosures.summary(self.engagement_id).open_lines()
        self.summary.setText(
            "<b>Still open:</b><br>"
            + "<br>".join(lines[:8])
            + (f"<br>… and {len(lines) - 8} more" if len(lines) > 8 else "")
            if lines
            else "Every pipeline asset has a decision for this engagement."
        )
