"""Add or edit one pipeline asset; returns a PipelineAsset and saves nothing itself."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.pipeline import (
    VOLUME_UNITS,
    Phase,
    PipelineAsset,
    PipelineRuleError,
    check_asset,
)
from planner.ui.widgets import EditColumn, EditTable, InputError


class AssetDialog(QDialog):
    def __init__(self, asset: PipelineAsset | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original = asset
        self.setWindowTitle(f"Edit {asset.code}" if asset else "Add pipeline asset")
        self.setMinimumSize(600, 620)
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. ORP-2417")
        self.inn = QLineEdit()
        self.modality = QComboBox()
        self.modality.setEditable(True)
        self.modality.addItems(
            [
                "",
                "Small molecule",
                "Monoclonal antibody",
                "Peptide",
                "ADC",
                "siRNA",
                "Oligonucleotide",
                "AAV gene therapy",
                "Cell therapy",
                "Vaccine",
            ]
        )
        self.area = QLineEdit()
        self.indication = QLineEdit()
        self.phase = QComboBox()
        self.phase.addItem("—", None)
        for phase in Phase:
            self.phase.addItem(phase.value, phase.value)  # Qt stores a StrEnum as plain str
        self.unit = QComboBox()
        self.unit.addItems(list(VOLUME_UNITS))
        self.volumes = EditTable([EditColumn("Year", width=90), EditColumn("Quantity")], "year")
        self.volumes.setMinimumHeight(150)
        self.needs = QPlainTextEdit()
        self.needs.setFixedHeight(64)
        self.needs.setTabChangesFocus(True)
        self.timing = QLineEdit()
        self.timing.setPlaceholderText("e.g. PPQ Q3 2027; launch 2029")
        form = QFormLayout()
        form.addRow("&Code *", self.code)
        form.addRow("&INN", self.inn)
        form.addRow("&Modality", self.modality)
        form.addRow("&Therapeutic area", self.area)
        form.addRow("In&dication", self.indication)
        form.addRow("&Phase", self.phase)
        form.addRow("Volume &unit", self.unit)
        form.addRow("Expected volumes", self.volumes)
        form.addRow("Manufacturing &needs", self.needs)
        form.addRow("Timin&g", self.timing)
        note = QLabel(
            "Confidential. Nothing here reaches a CMO unless a sharing decision allows it."
        )
        note.setStyleSheet("color: #546e7a;")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if asset:
            self._load(asset)

    def _load(self, a: PipelineAsset) -> None:
        self.code.setText(a.code)
        self.inn.setText(a.inn)
        self.modality.setCurrentText(a.modality)
        self.area.setText(a.therapeutic_area)
        self.indication.setText(a.indication)
        self.phase.setCurrentIndex(max(0, self.phase.findData(a.phase.value if a.phase else None)))
        self.unit.setCurrentText(a.volume_unit)
        for year, amount in sorted(a.volumes.items()):
            self.volumes.add_row([str(year), f"{amount:g}"])
        self.needs.setPlainText(a.manufacturing_needs)
        self.timing.setText(a.timing)

    def asset(self) -> PipelineAsset:
        volumes: dict[int, float] = {}
        for _id, (year, amount) in self.volumes.rows():
            try:
                volumes[int(year)] = float(amount.replace(",", "."))
            except ValueError:
                raise InputError(
                    f"Volumes: '{year}' / '{amount}' is not a year and a quantity.", self.volumes
                ) from None
        asset = PipelineAsset(
            code=self.code.text().strip(),
            inn=self.inn.text().strip(),
            modality=self.modality.currentText().strip(),
            therapeutic_area=self.area.text().strip(),
            indication=self.indication.text().strip(),
            phase=Phase(self.phase.currentData()) if self.phase.currentData() else None,
            volumes=volumes,
            volume_unit=self.unit.currentText(),
            manufacturing_needs=self.needs.toPlainText().strip(),
            timing=self.timing.text().strip(),
            archived=self._original.archived if self._original else False,
            id=self._original.id if self._original else None,
        )
        try:
            check_asset(asset)
        except PipelineRuleError as exc:
            raise InputError(str(exc), self.code) from exc
        return asset

    def accept(self) -> None:
        try:
            self.asset()
        except InputError as exc:
            self.show_error(str(exc))
            if exc.widget:
                exc.widget.setFocus()
            return
        super().accept()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
