"""Derive one stage's weights by pairwise comparison: every pair judged on Saaty's 1/9 … 9 scale,
the derived weights and the consistency ratio shown as the judgments come in.

Each judgment is stored as it is made (the comparison can be left and resumed); the weights are
not touched here. The dialog is accepted with "Apply", and the weights page applies the result.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.criteria import CriteriaRuleError, CriterionStage
from planner.domain.pairwise import CR_LIMIT
from planner.services.criteria_pairwise import CriteriaPairwiseService, PairwiseState
from planner.services.errors import Conflict, NotFound

NOT_JUDGED = "— not judged —"
# Short forms of Saaty's words (pairwise.SCALE_WORDS) that fit a drop-down.
_WORDS = {1: "equal", 3: "moderate", 5: "strong", 7: "very strong", 9: "extreme"}


def scale_choices() -> list[tuple[str, float]]:
    """(label, how many times the left criterion outweighs the right), left-heavy first.
    ◀ points at the criterion that matters more."""
    choices = []
    for v in range(9, 1, -1):
        choices.append((f"◀ {v}" + (f" · {_WORDS[v]}" if v in _WORDS else ""), float(v)))
    choices.append(("1 · equal", 1.0))
    for v in range(2, 10):
        choices.append(((f"{_WORDS[v]} · " if v in _WORDS else "") + f"{v} ▶", 1.0 / v))
    return choices


def _judged(state: PairwiseState, first: int, second: int) -> float | None:
    if (first, second) in state.judgments:
        return state.judgments[(first, second)]
    if (second, first) in state.judgments:
        return 1.0 / state.judgments[(second, first)]
    return None


class PairwiseDialog(QDialog):
    def __init__(
        self,
        service: CriteriaPairwiseService,
        set_id: int,
        stage: CriterionStage,
        current: dict[int, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Derive weights by pairwise comparison — {stage.label}")
        self._service = service
        self._set_id = set_id
        self._stage = stage
        self.state = service.state(set_id, stage)
        self.names = dict(self.state.criteria)
        self._current = current or {}
        self.combos: dict[tuple[int, int], QComboBox] = {}
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        ids = [cid for cid, _ in self.state.criteria]
        row = 0
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                left = QLabel(self.names[first])
                left.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                left.setWordWrap(True)
                right = QLabel(self.names[second])
                right.setWordWrap(True)
                combo = QComboBox()
                combo.addItem(NOT_JUDGED, None)
                for label, value in scale_choices():
                    combo.addItem(label, value)
                combo.setMinimumWidth(150)
                combo.currentIndexChanged.connect(lambda _i, a=first, b=second: self._judge(a, b))
                grid.addWidget(left, row, 0)
                grid.addWidget(combo, row, 1)
                grid.addWidget(right, row, 2)
                self.combos[(first, second)] = combo
                row += 1
        grid.setRowStretch(row, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_holder)
        self.weights = QTableWidget(len(ids), 3)
        self.weights.setHorizontalHeaderLabels(["Criterion", "Now", "Derived"])
        self.weights.verticalHeader().setVisible(False)
        self.weights.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.weights.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.weights.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weights.horizontalHeader().resizeSection(1, 64)
        self.weights.horizontalHeader().resizeSection(2, 70)
        self.consistency = QLabel()
        self.consistency.setObjectName("consistency")
        self.consistency.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Weights from your judgments</b>"))
        side.addWidget(self.weights, 1)
        intro = QLabel(
            "For each pair, say which matters more and how much: ◀ favours the criterion on "
            "the left, ▶ the one on the right; 1 is equal, 3 moderate, 5 strong, 7 very strong, "
            "9 extreme. Each judgment is saved as you make it."
        )
        intro.setWordWrap(True)
        split = QHBoxLayout()
        split.addWidget(scroll, 3)
        split.addLayout(side, 2)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            "&Apply these weights", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.clear_button = QPushButton("C&lear all judgments")
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.clear_button.clicked.connect(self._clear)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(split, 1)
        layout.addWidget(self.consistency)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._show_judgments()
        self._show_state()
        self.resize(900, 560)

    def choose(self, first: int, second: int, value: float) -> None:
        """Pick the scale value nearest to `value` for a pair (what a user's click does)."""
        combo = self.combos[(first, second)]
        combo.setCurrentIndex(self._index_for(combo, value))

    @staticmethod
    def _index_for(combo: QComboBox, value: float | None) -> int:
        if value is None:
            return 0
        gaps = [
            (abs(math.log(combo.itemData(i)) - math.log(value)), i) for i in range(1, combo.count())
        ]
        return min(gaps)[1]

    def _show_judgments(self) -> None:
        for (first, second), combo in self.combos.items():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(self._index_for(combo, _judged(self.state, first, second)))

    def _judge(self, first: int, second: int) -> None:
        value = self.combos[(first, second)].currentData()
        if value is None:
            return  # judgments cannot be withdrawn one by one; "Clear all" starts over
        try:
            self.state = self._service.judge(self._set_id, self._stage, first, second, value)
        except (CriteriaRuleError, Conflict, NotFound) as exc:
            self._show_error(str(exc))
            return
        self._show_error("")
        self._show_state()

    def _clear(self) -> None:
        answer = QMessageBox.question(
            self,
            "Clear all judgments",
            "Clear every 'which matters more' judgment made here? The weights derived from "
            "them stay as they are until you apply new judgments.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.state = self._service.clear(self._set_id, self._stage)
        except (CriteriaRuleError, Conflict, NotFound) as exc:
            self._show_error(str(exc))
            return
        self._show_judgments()
        self._show_state()

    def _show_state(self) -> None:
        derived = self.state.weights()
        for row, (cid, name) in enumerate(self.state.criteria):
            self.weights.setItem(row, 0, QTableWidgetItem(name))
            now = self._current.get(cid)
            for column, number in ((1, now), (2, derived.get(cid))):
                value = QTableWidgetItem("—" if number is None else f"{number:.1f} %")
                value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.weights.setItem(row, column, value)
        result = self.state.result
        self.apply_button.setEnabled(result is not None)
        if result is None:
            n = len(self.state.missing)
            self.consistency.setStyleSheet("color: #555;")
            self.consistency.setText(
                f"{n} comparison{'s' if n != 1 else ''} still to make before the weights "
                "can be derived."
            )
            return
        if result.acceptable:
            self.consistency.setStyleSheet("color: #1b5e20;")
            self.consistency.setText(
                f"Consistency ratio {result.consistency_ratio:.2f}: consistent enough "
                f"(at most {CR_LIMIT:.2f})."
            )
            return
        worst = [
            f"{self.names[d.first]} vs {self.names[d.second]}" for d in self.state.disagreements
        ]
        hint = f" Most at odds: {'; '.join(worst)}." if worst else ""
        self.consistency.setStyleSheet("color: #b00020;")
        self.consistency.setText(f"⚠ {result.warning}{hint}")

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
