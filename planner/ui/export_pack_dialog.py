"""Export alignment pack…: exactly what will be sent, sheet by sheet, what to look at first, then
the file (and PDF). Nothing is written before the user picks the file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.domain.wording import plural
from planner.reports.pack_html import sections


@dataclass
class PackActions:
    """The pack use cases bound to one store (built by the composition root)."""

    targets: Callable  # (engagement_id) -> list[(cmo_id, name)]: who may receive a pack
    preview: Callable  # (engagement_id, cmo_id) -> PackPreview
    export: Callable  # (engagement_id, cmo_id, path, pdf_path | None) -> ExportResult
    export_all: Callable  # (engagement_id, folder, with_pdf) -> list[CandidateExport]
    file_name: Callable  # (engagement label, cmo name, suffix) -> str


class ExportPackDialog(QDialog):
    exported = Signal(int)  # engagement id: the register and the criteria status changed

    def __init__(
        self,
        actions: PackActions,
        engagement_id: int,
        engagement_title: str,
        program: str = "",
        cmo_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._actions = actions
        self._engagement_id = engagement_id
        self._label = program or engagement_title
        self._last_folder: Path | None = None
        self.setWindowTitle(f"Export alignment pack — {engagement_title}")
        self.resize(980, 680)
        self.cmo = QComboBox()
        self.cmo.setMinimumWidth(300)
        for target_id, name in actions.targets(engagement_id):
            self.cmo.addItem(name, target_id)
        if cmo_id is not None:
            self.cmo.setCurrentIndex(max(0, self.cmo.findData(cmo_id)))
        self.cmo.currentIndexChanged.connect(self.refresh)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.preview = QTabWidget()
        self.with_pdf = QCheckBox("Also write a &PDF of the same content")
        self.export_button = QPushButton("&Export…")
        self.export_button.setDefault(True)
        self.all_button = QPushButton("Export for &all candidates…")
        self.open_folder = QPushButton("Open containing &folder")
        self.open_folder.hide()
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        close = QPushButton("Close")
        self.export_button.clicked.connect(self.export_one)
        self.all_button.clicked.connect(self.export_all)
        self.open_folder.clicked.connect(self._open_folder)
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Pack for"))
        top.addWidget(self.cmo)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.with_pdf)
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder)
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warnings)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.all_button.setVisible(self.cmo.count() > 1)
        self.refresh()

    def refresh(self) -> None:
        self.preview.clear()
        cmo_id = self.cmo.currentData()
        if cmo_id is None:
            self.warnings.setText(
                "<b>No CMO can receive a pack yet:</b> add candidates or choose a CMO."
            )
            self.export_button.setEnabled(False)
            return
        preview = self._actions.preview(self._engagement_id, cmo_id)
        lines = []
        if preview.refusal:
            lines.append(
                f"<p style='color:#b00020'><b>Cannot be exported:</b> {preview.refusal}</p>"
            )
        if preview.warnings:
            lines.append(
                "<p style='color:#8d4e00'><b>Look at these first:</b><br>"
                + "<br>".join(f"• {w}" for w in preview.warnings)
                + "</p>"
            )
        self.warnings.setText(
            "".join(lines) or "<span style='color:#2e7d32'>Ready to export.</span>"
        )
        self.export_button.setEnabled(preview.can_export)
        if preview.content is not None:
            for title, html in sections(preview.content):
                view = QTextBrowser()
                view.setHtml(html)
                self.preview.addTab(view, title)

    def _pdf_for(self, path: Path) -> Path | None:
        return path.with_suffix(".pdf") if self.with_pdf.isChecked() else None

    def export_one(self) -> None:
        cmo_id = self.cmo.currentData()
        suggested = self._actions.file_name(self._label, self.cmo.currentText(), ".xlsx")
        folder = self._last_folder or Path.home()
        name, _ = QFileDialog.getSaveFileName(
            self, "Export alignment pack", str(folder / suggested), "Excel workbook (*.xlsx)"
        )
        if not name:
            return
        path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        try:
            result = self._actions.export(self._engagement_id, cmo_id, path, self._pdf_for(path))
        except (ValueError, LookupError, OSError) as exc:
            self._show(f"<b style='color:#b00020'>Not exported:</b> {exc}")
            return
        self._done(
            path.parent,
            f"Saved pack {result.pack_id} to {result.path}"
            + (f" and {result.pdf_path}" if result.pdf_path else "")
            + ". It is recorded in the disclosure register.",
        )

    def export_all(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for the packs", str(self._last_folder or Path.home())
        )
        if not folder:
            return
        try:
            results = self._actions.export_all(
                self._engagement_id, Path(folder), self.with_pdf.isChecked()
            )
        except (ValueError, LookupError, OSError) as exc:
            self._show(f"<b style='color:#b00020'>Not exported:</b> {exc}")
            return
        done = [r for r in results if r.result is not None]
        refused = [f"{r.cmo}: {r.refusal}" for r in results if r.result is None]
        text = f"Exported {plural(len(done), 'pack')} to {folder}."
        if refused:
            text += "<br><b style='color:#b00020'>Refused:</b><br>" + "<br>".join(refused)
        self._done(Path(folder), text)

    def _done(self, folder: Path, text: str) -> None:
        self._last_folder = folder
        self._show(text)
        self.open_folder.show()
        self.exported.emit(self._engagement_id)
        self.refresh()

    def _show(self, text: str) -> None:
        self.outcome.setText(text)

    def _open_folder(self) -> None:
        if self._last_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_folder)))
