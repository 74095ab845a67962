"""The weights step: per stage a table with a weight, a lock, the knockout flag and the evidence
asked for on each row, the remainder live, and Normalise / Equal weights / pairwise comparison.

Locks belong to this screen, not to the set: a locked row keeps its weight when the others are
rebalanced, normalised or split equally. Each edit is stored when the field is left.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain import criteria_weights as rules
from planner.domain.criteria import CriteriaSet, Criterion, CriterionStage
from planner.domain.pairwise import MAX_ITEMS
from planner.ui.criteria_pages_base import CriteriaPage, hint_label
from planner.ui.criteria_pages_pairwise import PairwiseDialog
from planner.ui.widgets import cell_edit

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

NAME, WEIGHT, LOCK, KNOCKOUT, EVIDENCE = range(5)
OK_COLOUR, SHORT_COLOUR = "#1b5e20", "#b00020"


def around_locks(weights: Sequence[float], locked: Collection[int], equal: bool) -> list[float]:
    """Weights summing to 100 with the `locked` indexes kept: the others rescaled in proportion
    (`equal`: split equally). Raises CriteriaRuleError when the locks leave no room."""
    if not locked:
        return rules.equal_weights(len(weights)) if equal else rules.normalise(weights)
    basis = [w if i in locked or not equal else 1.0 for i, w in enumerate(weights)]
    first = min(locked)
    return rules.lock_and_distribute(basis, first, basis[first], locked)


def remainder_text(weights: Sequence[float]) -> tuple[str, bool]:
    """(what the remainder line says, whether the stage is complete)."""
    left = rules.remainder(weights)
    total = rules.total(weights)
    if rules.is_complete(weights):
        return f"Total {total:g}% · nothing left to hand out", True
    if left > 0:
        return f"Total {total:g}% · {left:g} points still to hand out", False
    return f"Total {total:g}% · {-left:g} points over 100", False


def centred(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(widget)
    return holder


class StageWeights(QWidget):
    """The weights of one stage; it reads the page's set and writes through the page."""

    def __init__(self, page: WeightsPage, stage: CriterionStage, criteria: list[Criterion]):
        super().__init__()
        self.page = page
        self.stage = stage
        self.ids = [c.id for c in criteria]
        self.locked: set[int] = set()
        kpi = stage is CriterionStage.PERFORMANCE
        self.table = QTableWidget(len(criteria), 5)
        self.table.setHorizontalHeaderLabels(
            ["Criterion", "Weight", "Lock", "Knockout", "Evidence requested"]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EVIDENCE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NAME, 230), (WEIGHT, 86), (LOCK, 40), (KNOCKOUT, 70)):
            header.resizeSection(column, width)
        self.table.verticalHeader().setDefaultSectionSize(32)
        self.table.setColumnHidden(KNOCKOUT, kpi)
        self.spins: list[QDoubleSpinBox] = []
        self.locks: list[QCheckBox] = []
        self.knockouts: list[QCheckBox] = []
        self.evidence: list[QLineEdit] = []
        for row, c in enumerate(criteria):
            self._build_row(row, c)
        self.remainder = QLabel()
        self.remainder.setObjectName("remainder")
        self.rebalance = QCheckBox("&Keep the total at 100: rebalance the unlocked rows as I go")
        self.rebalance.setChecked(True)
        self.normalise_button = QPushButton("&Normalise")
        self.normalise_button.setToolTip("Rescale the unlocked weights in proportion to fill 100.")
        self.normalise_button.clicked.connect(lambda: self.page.spread(self, equal=False))
        self.equal_button = QPushButton("E&qual weights")
        self.equal_button.setToolTip("Share what the locked rows leave equally.")
        self.equal_button.clicked.connect(lambda: self.page.spread(self, equal=True))
        self.pairwise_button = QPushButton("&Derive by pairwise comparison…")
        self.pairwise_button.clicked.connect(lambda: self.page.pairwise(self))
        if not 2 <= len(criteria) <= MAX_ITEMS:
            self.pairwise_button.setEnabled(False)
            self.pairwise_button.setToolTip(f"Works for 2 to {MAX_ITEMS} criteria.")
        buttons = QHBoxLayout()
        for button in (self.normalise_button, self.equal_button, self.pairwise_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remainder)
        layout.addWidget(self.rebalance)
        layout.addLayout(buttons)
        self.sync(criteria)

    def _build_row(self, row: int, c: Criterion) -> None:
        name = QTableWidgetItem(c.name)
        name.setToolTip(c.description)
        self.table.setItem(row, NAME, name)
        spin = QDoubleSpinBox()
        spin.setRange(0, 100)
        spin.setDecimals(1)
        spin.setSuffix(" %")
        spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no change by a stray mouse wheel
        spin.valueChanged.connect(self._show_remainder)
        spin.editingFinished.connect(lambda r=row: self.page.commit_weight(self, r))
        self.table.setCellWidget(row, WEIGHT, spin)
        lock = QCheckBox()
        lock.setToolTip("Keep this weight when the others are rebalanced.")
        lock.toggled.connect(lambda on, r=row: self._lock(r, on))
        self.table.setCellWidget(row, LOCK, centred(lock))
        knockout = QCheckBox()
        knockout.setToolTip("A score of 1 on this criterion eliminates the candidate.")
        knockout.toggled.connect(lambda on, r=row: self.page.commit_knockout(self, r, on))
        self.table.setCellWidget(row, KNOCKOUT, centred(knockout))
        evidence = cell_edit()
        evidence.setPlaceholderText("What the CMO should send")
        evidence.setFrame(False)
        evidence.editingFinished.connect(lambda r=row: self.page.commit_evidence(self, r))
        self.table.setCellWidget(row, EVIDENCE, evidence)
        self.spins.append(spin)
        self.locks.append(lock)
        self.knockouts.append(knockout)
        self.evidence.append(evidence)

    def criteria(self) -> list[Criterion]:
        cs = self.page.cs
        by_id = {c.id: c for c in cs.criteria} if cs else {}
        return [by_id[i] for i in self.ids if i in by_id]

    def sync(self, criteria: list[Criterion] | None = None) -> None:
        """Show the stored values in place (the row widgets stay: one may be sending a signal)."""
        for row, c in enumerate(criteria if criteria is not None else self.criteria()):
            with QSignalBlocker(self.spins[row]):
                self.spins[row].setValue(c.weight)
            with QSignalBlocker(self.knockouts[row]):
                self.knockouts[row].setChecked(c.knockout)
            if not self.evidence[row].hasFocus():
                self.evidence[row].setText(c.evidence_requested)
            self.evidence[row].setToolTip(c.evidence_requested)
            self.evidence[row].setCursorPosition(0)
        self._show_remainder()

    def typed_weights(self) -> list[float]:
        return [spin.value() for spin in self.spins]

    def locked_rows(self) -> set[int]:
        return {row for row, cid in enumerate(self.ids) if cid in self.locked}

    def _lock(self, row: int, on: bool) -> None:
        (self.locked.add if on else self.locked.discard)(self.ids[row])
        self.spins[row].setEnabled(not on)

    def _show_remainder(self) -> None:
        text, complete = remainder_text(self.typed_weights())
        self.remainder.setText(text)
        self.remainder.setStyleSheet(f"color: {OK_COLOUR if complete else SHORT_COLOUR};")
        self.page.update_tab(self, complete)


class WeightsPage(CriteriaPage):
    warns_about_review = True

    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "Weights",
            "How much each criterion counts, per stage; each stage's weights add up to 100.",
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("weightTabs")
        self.stages: list[StageWeights] = []
        self._shape: list[tuple[CriterionStage, list[int | None]]] = []
        self.body.addWidget(
            hint_label(
                "Type a weight and leave the field to store it. Lock a row to keep it while "
                "the others are rebalanced; pairwise comparison derives the weights from "
                "'which matters more' judgments."
            )
        )
        self.body.addWidget(self.tabs, 1)

    def fill(self) -> None:
        cs = self.cs
        shape = [
            (st, [c.id for c in cs.stage_criteria(st)])
            for st in CriterionStage
            if cs and cs.stage_criteria(st)
        ]
        if shape == self._shape:
            for stage in self.stages:
                stage.sync()
            return
        keep = self.tabs.currentIndex()
        self.tabs.clear()
        for old in self.stages:
            old.deleteLater()
        self.stages = []
        self._shape = shape
        for st, _ids in shape:
            widget = StageWeights(self, st, cs.stage_criteria(st) if cs else [])
            self.stages.append(widget)
            self.tabs.addTab(widget, st.label)
            widget.sync()
        self.tabs.setCurrentIndex(max(0, min(keep, self.tabs.count() - 1)))

    def update_tab(self, stage: StageWeights, complete: bool) -> None:
        index = self.tabs.indexOf(stage)
        if index >= 0:
            mark = "✓" if complete else "≠ 100"
            self.tabs.setTabText(index, f"{stage.stage.label}  {mark}")

    def stage_widget(self, stage: CriterionStage) -> StageWeights:
        return next(w for w in self.stages if w.stage is stage)

    # -- writing ---------------------------------------------------------------------------
    def _after(self, ok: bool) -> bool:
        for stage in self.stages:
            stage.sync()
        self.changed()
        return ok

    def commit_weight(self, stage: StageWeights, row: int) -> None:
        criteria = stage.criteria()
        if row >= len(criteria):
            return
        c, value = criteria[row], round(stage.spins[row].value(), 1)
        if abs(c.weight - value) < 1e-9:
            return
        sets, set_id = self.wiz.services.sets, self.wiz.set_id
        if stage.rebalance.isChecked():
            locked = [stage.ids[i] for i in stage.locked_rows()]
            self._after(self.persist(lambda: sets.lock_weight(set_id, c.id, value, locked)))
        else:
            self._after(self.persist(lambda: sets.set_weights(set_id, {c.id: value})))

    def commit_knockout(self, stage: StageWeights, row: int, on: bool) -> None:
        c = stage.criteria()[row]
        if c.knockout != on:
            self._update(replace(c, knockout=on))

    def commit_evidence(self, stage: StageWeights, row: int) -> None:
        c = stage.criteria()[row]
        text = stage.evidence[row].text().strip()
        if c.evidence_requested != text:
            self._update(replace(c, evidence_requested=text))

    def _update(self, c: Criterion) -> None:
        set_id = self.wiz.set_id
        self._after(self.persist(lambda: self.wiz.services.sets.update_criterion(set_id, c)))

    def spread(self, stage: StageWeights, equal: bool) -> None:
        """Normalise (in proportion) or split equally, keeping the locked rows."""
        sets, set_id = self.wiz.services.sets, self.wiz.set_id
        criteria = stage.criteria()
        locked = stage.locked_rows()

        def action() -> CriteriaSet:
            if not locked and not equal:
                return sets.normalise_weights(set_id, stage.stage)
            new = around_locks([c.weight for c in criteria], locked, equal)
            return sets.set_weights(set_id, {c.id: w for c, w in zip(criteria, new, strict=True)})

        self._after(self.persist(action))

    def pairwise(self, stage: StageWeights) -> None:
        now = {c.id: c.weight for c in stage.criteria()}
        dialog = PairwiseDialog(
            self.wiz.services.pairwise, self.wiz.set_id, stage.stage, now, parent=self
        )
        if not dialog.exec():
            return
        results = []
        service, set_id = self.wiz.services.pairwise, self.wiz.set_id
        ok = self._after(
            self.persist(lambda: results.append(service.apply(set_id, stage.stage)[1]))
        )
        if ok and results:
            result = results[0]
            self.show_message(
                result.warning
                or f"Weights derived by pairwise comparison (consistency ratio "
                f"{result.consistency_ratio:.2f}).",
                error=not result.acceptable,
            )

    def flush(self) -> None:
        for stage in self.stages:
            for row, spin in enumerate(stage.spins):
                if spin.hasFocus():
                    self.commit_weight(stage, row)
            for row, edit in enumerate(stage.evidence):
                if edit.hasFocus():
                    self.commit_evidence(stage, row)

    # -- validation -------------------------------------------------------------------------
    def problem(self) -> str | None:
        cs = self.cs
        if cs is None:
            return None
        for st in CriterionStage:
            weights = [c.weight for c in cs.stage_criteria(st)]
            if weights and not rules.is_complete(weights):
                return (
                    f"{st.label} weights add up to {rules.total(weights):g}, not 100: change "
                    "them, or use Normalise."
                )
        return None
