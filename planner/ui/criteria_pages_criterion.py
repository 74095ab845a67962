"""The dialog that writes one criterion or KPI: its wording, the five anchored scale points, the
evidence asked for and, for a KPI, how it is measured and its target.

The dialog does not store anything: it hands the criterion to a `save` callback, which returns
the reason when the store refused it, so the dialog stays open with the user's text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.criteria import (
    SCALE_POINTS,
    CriteriaRuleError,
    Criterion,
    CriterionStage,
    Direction,
)
from planner.ui.widgets import InputError

# Score 1 is the worst, 5 the best; the hints say so next to each line.
SCALE_HINTS = ("1 · unacceptable", "2 · weak", "3 · adequate", "4 · good", "5 · excellent")

# (criterion, also save it to the library) → None when stored, else the reason it was refused
SaveCriterion = Callable[[Criterion, bool], str | None]


def number_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    validator = QDoubleValidator(edit)
    validator.setNotation(QDoubleValidator.Notation.StandardNotation)
    edit.setValidator(validator)
    edit.setPlaceholderText(placeholder)
    edit.setMaximumWidth(110)
    return edit


def read_number(edit: QLineEdit, what: str) -> float | None:
    text = edit.text().strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{what}: '{edit.text()}' is not a number.", edit) from None


def number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


class CriterionDialog(QDialog):
    def __init__(
        self,
        stage: CriterionStage,
        save: SaveCriterion,
        criterion: Criterion | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.stage = stage
        self._save = save
        self._original = criterion or Criterion(name="", stage=stage)
        kpi = stage is CriterionStage.PERFORMANCE
        noun = "KPI" if kpi else "selection criterion"
        self.setWindowTitle(f"Edit {noun}" if criterion else f"Your own {noun}")
        self.name = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(64)
        self.evidence = QPlainTextEdit()
        self.evidence.setTabChangesFocus(True)
        self.evidence.setFixedHeight(48)
        self.evidence.setPlaceholderText("What the CMO sends with its proposal to support a score")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Description", self.description)
        if kpi:
            self.metric_edit = QLineEdit()
            self.metric_edit.setPlaceholderText(
                "How it is measured, e.g. batches released / batches made"
            )
            self.unit = QLineEdit()
            self.unit.setMaximumWidth(140)
            self.direction = QComboBox()
            for d in Direction:
                self.direction.addItem(d.label, d.value)
            self.target = number_edit("target")
            self.floor = number_edit("optional")
            self.floor.setToolTip("The value that earns no points on a scorecard (optional).")
            self.unit.setPlaceholderText("unit, e.g. %")
            measured = QHBoxLayout()
            measured.addWidget(self.unit)
            for label, widget in (("Target", self.target), ("Floor", self.floor)):
                measured.addWidget(QLabel(label, self))
                measured.addWidget(widget)
            measured.addStretch(1)
            form.addRow("&Metric", self.metric_edit)
            form.addRow("Direction", self.direction)
            form.addRow("Unit and target", measured)
        form.addRow("&Evidence requested", self.evidence)
        self.knockout = QCheckBox("&Knockout: a score of 1 eliminates the candidate")
        if not kpi:
            form.addRow("", self.knockout)
        scale_box = QGroupBox(f"What each of the {SCALE_POINTS} scores means")
        scale_form = QFormLayout(scale_box)
        self.scale = [QLineEdit() for _ in range(SCALE_POINTS)]
        for hint, edit in zip(SCALE_HINTS, self.scale, strict=True):
            scale_form.addRow(hint, edit)
        self.to_library = QCheckBox("Also save it to the &library for later engagements")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(scale_box)
        if criterion is None:
            layout.addWidget(self.to_library)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill(self._original)
        self.resize(640, 600 if kpi else 520)

    def _fill(self, c: Criterion) -> None:
        self.name.setText(c.name)
        self.description.setPlainText(c.description)
        self.evidence.setPlainText(c.evidence_requested)
        self.knockout.setChecked(c.knockout)
        for edit, text in zip(self.scale, [*c.scale, *[""] * SCALE_POINTS], strict=False):
            edit.setText(text)
        if self.stage is CriterionStage.PERFORMANCE:
            self.metric_edit.setText(c.metric)
            self.unit.setText(c.unit)
            self.direction.setCurrentIndex(
                max(0, self.direction.findData(c.direction.value if c.direction else ""))
            )
            self.target.setText(number_text(c.target))
            self.floor.setText(number_text(c.floor))

    def criterion(self) -> Criterion:
        """What the form holds; raises InputError on a field to correct."""
        name = self.name.text().strip()
        if not name:
            raise InputError("Give the criterion a name.", self.name)
        anchors = [e.text().strip() for e in self.scale]
        c = replace(
            self._original,
            name=name,
            stage=self.stage,
            description=self.description.toPlainText().strip(),
            evidence_requested=self.evidence.toPlainText().strip(),
            # No wording at all is stored as no scale; the wizard asks for it before Next.
            scale=anchors if any(anchors) else [],
            knockout=self.knockout.isChecked() and self.stage is CriterionStage.SELECTION,
        )
        if self.stage is CriterionStage.PERFORMANCE:
            target = read_number(self.target, "Target")
            c = replace(
                c,
                metric=self.metric_edit.text().strip(),
                unit=self.unit.text().strip(),
                target=target,
                direction=Direction(self.direction.currentData()) if target is not None else None,
                floor=read_number(self.floor, "Floor"),
            )
        if self.to_library.isChecked() and not all(anchors):
            raise InputError(
                f"A library entry needs wording for all {SCALE_POINTS} scores.",
                self.scale[anchors.index("")],
            )
        return c

    def _accept(self) -> None:
        try:
            c = self.criterion()
        except InputError as exc:
            self._show_error(str(exc))
            if exc.widget is not None:
                exc.widget.setFocus()
            return
        try:
            refused = self._save(c, self.to_library.isChecked())
        except CriteriaRuleError as exc:
            refused = str(exc)
        if refused:
            self._show_error(refused)
            return
        self.accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
