"""Import suppliers: file → sheet and header → columns → preview and duplicates → import.

Every read of the file runs off the GUI thread with an inline progress bar; the import itself
can be cancelled (nothing is written) and undone afterwards. The wizard reports what it
imported through `imported`; it never touches other windows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QWidget,
)

from planner.services.import_suppliers import ImportOptions, SheetPreview
from planner.ui import background
from planner.ui.import_pages import ColumnsPage, PreviewPage, RunPage
from planner.ui.wizard_base import ChecklistWizard, StepPage

SPREADSHEETS = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)"
SUPPORTED = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


@dataclass
class Importer:
    """The import use cases bound to one store (built by the composition root)."""

    preview: Callable  # (path, options, progress, token) -> SheetPreview
    run: Callable  # (path, options, progress, token) -> ImportResult
    undo: Callable  # (batch_id) -> UndoResult
    save_profile: Callable  # (name, headers, mapping) -> None
    write_error_report: Callable  # (errors, path) -> None
    backup: Callable | None = None  # (reason) -> Path, before an import or an undo
    history: Callable = list  # () -> list[BatchInfo], newest first
    check_undo: Callable | None = None  # (batch_id) -> batch id; raises UndoRefused


class FileReader(QObject):
    """Reads the file (a preview) in the background for a page, with an inline bar and status.

    A newer read overtakes an older one: only the last read's result is reported.
    """

    finished = Signal(object)  # SheetPreview
    failed = Signal(str)
    state_changed = Signal()

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wiz = wizard
        self.bar = QProgressBar()
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error: str | None = None
        self._job: background.Job | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def read(self, options: ImportOptions) -> None:
        if self._job is not None:
            self._job.token.cancel()
        self.wiz.preview = None
        self.error = None
        self.bar.setRange(0, 0)
        self.bar.show()
        self.status.setText("Reading the file…")
        path = self.wiz.path
        job = background.start(
            lambda progress, token: self.wiz.importer.preview(path, options, progress, token),
            on_done=lambda preview: self._done(job, preview),
            on_error=lambda exc: self._failed(job, exc),
            on_progress=self._progress,
            on_cancelled=lambda: None,
        )
        self._job = job
        self.state_changed.emit()

    def fail(self, message: str) -> None:
        self.wiz.preview = None
        self.error = message
        self.failed.emit(message)
        self.state_changed.emit()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, total if total else 0)
        if total:
            self.bar.setValue(done)
        if message:
            self.status.setText(message)

    def _done(self, job: background.Job, preview: SheetPreview) -> None:
        if job is not self._job:
            return
        self._job = None
        self.bar.hide()
        self.wiz.preview = preview
        self.wiz.import_options = replace(
            self.wiz.import_options, sheet=preview.sheet, header_row=preview.header_row
        )
        self.status.setText(
            f"Sheet '{preview.sheet}': header in row {preview.header_row}, "
            f"{len(preview.headers)} columns, {preview.total_rows:,} rows."
        )
        self.finished.emit(preview)
        self.state_changed.emit()

    def _failed(self, job: background.Job, exc: Exception) -> None:
        if job is not self._job:
            return
        self._job = None
        self.bar.hide()
        self.status.setText("")
        self.fail(str(exc))

    def problem(self) -> str | None:
        if self.busy:
            return "Still reading the file…"
        if self.error:
            return self.error
        if self.wiz.preview is None:
            return "Choose a file to import."
        return None


class ReadingPage(StepPage):
    """A page that (re)reads the file before Next is possible."""

    def __init__(self, wizard: ImportWizard, title: str, subtitle: str) -> None:
        super().__init__(title, subtitle)
        self.wiz = wizard
        self.reader = FileReader(wizard)
        self.reader.state_changed.connect(self.changed)
        self.reader.failed.connect(self.show_message)
        self.reader.finished.connect(lambda _p: self.show_message(""))

    def problem(self) -> str | None:
        return self.reader.problem()


class FilePage(ReadingPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Choose the file",
            "A supplier list from Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods) or a CSV file.",
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Path of the supplier list")
        self.path_edit.returnPressed.connect(lambda: self.choose(self.path_edit.text()))
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.body.addLayout(row)
        self.body.addWidget(self.reader.bar)
        self.body.addWidget(self.reader.status)
        self.body.addStretch(1)

    def enter(self) -> None:
        if self.wiz.path and self.wiz.preview is None and not self.reader.busy:
            self.choose(str(self.wiz.path))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import suppliers", str(self.wiz.path or ""), SPREADSHEETS
        )
        if name:
            self.choose(name)

    def choose(self, name: str) -> None:
        path = Path(name.strip()).expanduser()
        self.path_edit.setText(str(path))
        if not path.is_file():
            self.reader.fail(f"{path} does not exist or is not a file.")
            return
        self.wiz.path = path
        self.wiz.import_options = ImportOptions()
        self.reader.read(self.wiz.import_options)


class SheetPage(ReadingPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Sheet and header row",
            "The planner found the header itself; correct it if the list starts elsewhere.",
        )
        self.sheet = QComboBox()
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1000)
        self.headers = QLabel()
        self.headers.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Sheet", self.sheet)
        form.addRow("&Header row", self.header_row)
        form.addRow("Columns found", self.headers)
        self.body.addLayout(form)
        self.body.addWidget(self.reader.bar)
        self.body.addWidget(self.reader.status)
        self.body.addStretch(1)
        self.sheet.activated.connect(self._sheet_chosen)
        self.header_row.editingFinished.connect(self._row_chosen)
        self.reader.finished.connect(self._read)

    def enter(self) -> None:
        preview = self.wiz.preview
        if preview is None:
            return
        self.sheet.clear()
        self.sheet.addItems(preview.sheets)
        self.sheet.setCurrentText(preview.sheet)
        self.header_row.setValue(preview.header_row)
        self._show(preview)

    def _show(self, preview: SheetPreview) -> None:
        self.headers.setText(", ".join(h or "(blank)" for h in preview.headers))
        if preview.warnings:
            self.show_message("; ".join(preview.warnings))

    def _sheet_chosen(self) -> None:
        self.wiz.import_options = replace(
            self.wiz.import_options, sheet=self.sheet.currentText(), header_row=None, mapping=None
        )
        self.reader.read(self.wiz.import_options)

    def _row_chosen(self) -> None:
        preview = self.wiz.preview
        if preview is not None and self.header_row.value() == preview.header_row:
            return
        self.wiz.import_options = replace(
            self.wiz.import_options, header_row=self.header_row.value(), mapping=None
        )
        self.reader.read(self.wiz.import_options)

    def _read(self, preview: SheetPreview) -> None:
        self.header_row.setValue(preview.header_row)
        self._show(preview)


class ImportWizard(ChecklistWizard):
    imported = Signal(object)  # ImportResult
    undone = Signal(object)  # UndoResult, after "Undo this import"

    def __init__(
        self, importer: Importer, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("Import suppliers", parent)
        self.importer = importer
        self.path: Path | None = path
        self.import_options = ImportOptions()
        self.preview: SheetPreview | None = None
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (
            self.file_page,
            self.sheet_page,
            self.columns_page,
            self.preview_page,
            self.run_page,
        ):
            self.add_step(page)
        if path is not None:
            self.file_page.path_edit.setText(str(path))

    def reject(self) -> None:
        if self.run_page.running:
            self.run_page.cancel()  # the import rolls back; the wizard closes when it reports
            return
        super().reject()
