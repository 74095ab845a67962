"""The later pages of the import wizard: columns, preview with duplicates policy, and the run."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from planner.domain.wording import plural
from planner.excel.mapping import TARGET_FIELDS
from planner.services.import_suppliers import ImportResult, SheetPreview
from planner.ui import background
from planner.ui.wizard_base import StepPage

if TYPE_CHECKING:
    from planner.ui.import_wizard import ImportWizard

PROBLEM = QBrush(QColor("#fde2e1"))
SAMPLE_VALUES = 3
SHOWN_PROBLEMS = 1000  # the rest are in the error report


def _bold(count: int, word: str) -> str:
    """'<b>1</b> row', '<b>2,048</b> rows': the count stands out in a summary line."""
    number, _, rest = plural(count, word).partition(" ")
    return f"<b>{number}</b> {rest}"


def problems_table() -> QTableWidget:
    table = QTableWidget(0, 3)
    table.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return table


def fill_problems(table: QTableWidget, errors: list, warnings: list[str] = ()) -> None:
    """Warnings about the whole file first (no row), then the first row problems."""
    shown = [("", "", w) for w in warnings]
    shown += [(str(e.row), e.column, e.message) for e in errors[:SHOWN_PROBLEMS]]
    table.setRowCount(len(shown))
    for r, values in enumerate(shown):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))


class ColumnsPage(StepPage):
    """One row per column of the file: its guessed target, changeable, and a few sample values."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            "Columns",
            "What each column of the file holds. Columns mapped to nothing are "
            "ignored or kept in the supplier's notes.",
        )
        self.wiz = wizard
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Column in the file", "Goes to", "Sample values"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.resizeSection(0, 200)
        header.resizeSection(1, 190)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.profile_label = QLabel()
        self.keep_notes = QCheckBox("Keep unmapped columns in the supplier's &notes")
        self.save_profile = QCheckBox("Save this mapping as a &profile named")
        self.profile_name = QLineEdit()
        self.profile_name.setEnabled(False)
        self.save_profile.toggled.connect(self.profile_name.setEnabled)
        self.save_profile.toggled.connect(self.changed)
        self.profile_name.textChanged.connect(self.changed)
        profile = QHBoxLayout()
        profile.addWidget(self.save_profile)
        profile.addWidget(self.profile_name, 1)
        self.body.addWidget(self.profile_label)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.keep_notes)
        self.body.addLayout(profile)
        self._combos: list[QComboBox] = []

    def enter(self) -> None:
        preview = self.wiz.preview
        if preview is None:
            return
        self.profile_label.setText(
            f"Using your saved profile '{preview.profile_name}' for these headers."
            if preview.profile_name
            else "Guessed from the column headers; correct what is wrong."
        )
        self.keep_notes.setChecked(self.wiz.import_options.unmapped == "notes")
        columns = (
            [list(col) for col in zip(*preview.sample, strict=False)] if preview.sample else []
        )
        self.table.setRowCount(len(preview.headers))
        self._combos = []
        for row, header in enumerate(preview.headers):
            item = QTableWidgetItem(header or "(blank)")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.addItem("— nothing —", "")
            for key, label in TARGET_FIELDS:
                combo.addItem(label, key)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(header, ""))))
            combo.currentIndexChanged.connect(self.changed)
            self.table.setCellWidget(row, 1, combo)
            self._combos.append(combo)
            values = [v for v in (columns[row] if row < len(columns) else []) if v][:SAMPLE_VALUES]
            sample = QTableWidgetItem(" · ".join(values))
            sample.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 2, sample)

    def mapping(self) -> dict[str, str]:
        preview = self.wiz.preview
        if preview is None:
            return {}
        return {
            h: c.currentData() for h, c in zip(preview.headers, self._combos, strict=False) if h
        }

    def problem(self) -> str | None:
        targets = [t for t in self.mapping().values() if t]
        if "name" not in targets:
            return "Map one column to Name: the planner needs every supplier's name."
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            labels = dict(TARGET_FIELDS)
            return (
                "Each field can take one column only: " + ", ".join(labels[t] for t in twice) + "."
            )
        if self.save_profile.isChecked() and not self.profile_name.text().strip():
            return "Give the profile a name, or untick 'Save this mapping'."
        return None

    def leave(self) -> bool:
        mapping = self.mapping()
        self.wiz.import_options = replace(
            self.wiz.import_options,
            mapping=mapping,
            unmapped="notes" if self.keep_notes.isChecked() else "ignore",
        )
        if self.save_profile.isChecked() and self.wiz.preview is not None:
            try:
                self.wiz.importer.save_profile(
                    self.profile_name.text().strip(), self.wiz.preview.headers, mapping
                )
            except Exception as exc:  # a taken name, a read-only store: say so, stay here
                self.show_message(f"The profile was not saved: {exc}")
                return False
        return True


POLICIES = (
    ("update", "&Update them with the file's non-empty values (recommended)"),
    ("skip", "&Skip them: keep what the store has"),
    ("add", "&Add them as new suppliers anyway"),
)


class PreviewPage(StepPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            "Preview and duplicates",
            "What will happen, row by row problems, and what to do "
            "with suppliers that are already in the store.",
        )
        self.wiz = wizard
        from planner.ui.import_wizard import FileReader

        self.reader = FileReader(wizard)
        self.reader.state_changed.connect(self.changed)
        self.reader.failed.connect(self.show_message)
        self.reader.finished.connect(self._read_done)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.sample = QTableWidget()
        self.sample.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems = problems_table()
        box = QGroupBox("Suppliers already in the store (same FEI, DUNS, or name and country)")
        box_layout = QVBoxLayout(box)
        self.policy = QButtonGroup(self)
        for i, (key, label) in enumerate(POLICIES):
            button = QRadioButton(label)
            button.setProperty("policy", key)
            self.policy.addButton(button, i)
            box_layout.addWidget(button)
        self.policy.button(0).setChecked(True)
        self.policy.idToggled.connect(lambda *_: self._policy_changed())
        self.body.addWidget(self.reader.bar)
        self.body.addWidget(self.reader.status)
        self.body.addWidget(self.summary)
        self.body.addWidget(self.sample, 2)
        self.body.addWidget(self.problems, 1)
        self.body.addWidget(box)

    def enter(self) -> None:
        self.summary.setText("")
        self.show_message("")
        self.reader.read(self.wiz.import_options)

    def _policy_changed(self) -> None:
        key = self.policy.checkedButton().property("policy")
        self.wiz.import_options = replace(self.wiz.import_options, on_duplicate=key)

    def _read_done(self, preview: SheetPreview) -> None:
        self.reader.status.setText("")
        self.summary.setText(
            f"{_bold(preview.total_rows, 'row')} · {_bold(len(preview.errors), 'problem')} · "
            f"{_bold(preview.duplicates_in_file, 'duplicate')} within the file (merged) · "
            f"<b>{preview.matches_in_store:,}</b> already in the store"
        )
        self._fill_sample(preview)
        fill_problems(self.problems, preview.errors, preview.warnings)

    def _fill_sample(self, preview: SheetPreview) -> None:
        bad = {(e.row, e.column) for e in preview.errors}
        bad_rows = {e.row for e in preview.errors if not e.column}
        self.sample.clear()
        self.sample.setColumnCount(len(preview.headers))
        self.sample.setHorizontalHeaderLabels(preview.headers)
        self.sample.setRowCount(len(preview.sample))
        first = preview.header_row + 1
        self.sample.setVerticalHeaderLabels([str(first + i) for i in range(len(preview.sample))])
        for r, values in enumerate(preview.sample):
            for c, value in enumerate(values[: len(preview.headers)]):
                item = QTableWidgetItem(value)
                if (first + r, preview.headers[c]) in bad or (first + r) in bad_rows:
                    item.setBackground(PROBLEM)
                self.sample.setItem(r, c, item)

    def problem(self) -> str | None:
        return self.reader.problem()


class RunPage(StepPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__("Import", "One transaction: all of it is imported, or nothing.")
        self.wiz = wizard
        from PySide6.QtWidgets import QProgressBar

        self.bar = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button = QPushButton("Save &error report…")
        self.report_button.clicked.connect(self._save_report)
        self.undo_button = QPushButton("&Undo this import")
        self.undo_button.clicked.connect(self._undo)
        buttons = QHBoxLayout()
        for b in (self.cancel_button, self.report_button, self.undo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.problems = problems_table()
        self.problems.hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.body.addWidget(self.bar)
        self.body.addWidget(self.status)
        self.body.addLayout(buttons)
        self.body.addWidget(self.problems, 10)
        self.body.addWidget(self.hint)
        self.body.addStretch(1)  # keeps the result at the top while the table is hidden
        self.result: ImportResult | None = None
        self._job: background.Job | None = None
        self._close_when_done = False
        self._undoing = False
        self.setFinalPage(True)

    @property
    def running(self) -> bool:
        return self._job is not None

    def enter(self) -> None:
        self.result = None
        self.report_button.hide()
        self.undo_button.hide()
        self.problems.hide()
        self.hint.setText("")
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.bar.setRange(0, 0)
        self.status.setText("Backing up the store, then importing…")
        wiz = self.wiz

        def work(progress, token):
            if wiz.importer.backup is not None:
                wiz.importer.backup("before-import")
            return wiz.importer.run(wiz.path, wiz.import_options, progress, token)

        self._job = background.start(
            work, self._done, self._failed, self._progress, self._cancelled
        )
        self.changed()

    def cancel(self) -> None:
        if self._job is not None and not self._undoing:  # an undo is one short transaction
            self._job.token.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling… nothing will be written.")
            self._close_when_done = not self.isVisible() or self._close_when_done

    def _progress(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, total if total else 0)
        if total:
            self.bar.setValue(done)
        if message:
            self.status.setText(message)

    def _finish(self) -> None:
        self._job = None
        self.cancel_button.hide()
        self.changed()
        # What was imported is done: Back would re-run the import, Cancel would suggest undoing it.
        self.wiz.button(self.wiz.WizardButton.BackButton).setEnabled(False)
        self.wiz.button(self.wiz.WizardButton.CancelButton).setEnabled(False)

    def _done(self, result: ImportResult) -> None:
        self.result = result
        self._finish()
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        n = len(result.errors)
        problems = f", {n:,} problem{'s' if n != 1 else ''} in the file" if n else ""
        self.status.setText(
            f"<b>Imported.</b> {result.created:,} created, {result.updated:,} updated, "
            f"{result.skipped:,} skipped, {result.rejected:,} rejected{problems}."
        )
        self.report_button.setVisible(bool(result.errors))
        self.undo_button.setVisible(
            result.batch_id is not None and bool(result.created or result.updated)
        )
        fill_problems(self.problems, result.errors, result.warnings)
        self.problems.setVisible(bool(result.errors or result.warnings))
        more = len(result.errors) - SHOWN_PROBLEMS
        self.hint.setText(
            (
                f"The first {SHOWN_PROBLEMS:,} problems are shown; the error report has all. "
                if more > 0
                else ""
            )
            + f"This was import {result.batch_id}: you can undo it later from File ▸ Import "
            "history…, as long as its suppliers are not edited since."
        )
        self.wiz.imported.emit(result)

    def _allow_retry(self) -> None:
        for button in (self.wiz.WizardButton.BackButton, self.wiz.WizardButton.CancelButton):
            self.wiz.button(button).setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        self._finish()
        self._allow_retry()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText("")
        self.show_message(f"Nothing was imported: {exc}")

    def _cancelled(self) -> None:
        self._finish()
        self._allow_retry()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText("Cancelled. Nothing was imported.")
        if self._close_when_done or self.wiz.isHidden():
            self.wiz.done(0)

    def _save_report(self) -> None:
        if self.result is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save error report", "import-problems.xlsx", "Excel workbook (*.xlsx)"
        )
        if not name:
            return
        try:
            self.wiz.importer.write_error_report(self.result.errors, name)
        except OSError as exc:
            QMessageBox.warning(self, "Save error report", f"Could not write {name}: {exc}")
            return
        self.show_message(f"Saved the {len(self.result.errors):,} problems to {name}.", error=False)

    def _undo(self) -> None:
        if self.result is None or self.result.batch_id is None or self._job is not None:
            return
        result = self.result
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Undo this import? This removes the {plural(result.created, 'supplier')} it created "
            f"and gives the {plural(result.updated, 'supplier')} it updated their earlier values "
            "back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        batch_id, undo = result.batch_id, self.wiz.importer.undo
        self.undo_button.setEnabled(False)
        self.status.setText("Undoing the import…")
        self._undoing = True
        # Off the GUI thread: removing 100k suppliers takes a few seconds.
        self._job = background.start(
            lambda _progress, _token: undo(batch_id), self._undone, self._undo_failed
        )
        self.changed()

    def _undone(self, undone) -> None:
        self._job, self._undoing = None, False
        self.undo_button.hide()
        self.hint.setText("")
        self.status.setText(
            f"Undone: {plural(undone.removed, 'supplier')} removed, {undone.restored:,} restored."
        )
        self.changed()
        self.wiz.undone.emit(undone)

    def _undo_failed(self, exc: Exception) -> None:
        self._job, self._undoing = None, False
        self.undo_button.setEnabled(True)
        self.status.setText("")
        self.show_message(str(exc).strip('"'))
        self.changed()

    def problem(self) -> str | None:
        if self.running:
            return "Undoing the import…" if self._undoing else "Importing…"
        return None

    def isComplete(self) -> bool:  # noqa: N802
        return not self.running and (
            self.result is not None
            or not self.message.isHidden()
            or self.status.text().startswith("Cancelled")
        )
