"""Pick one or more CMOs from the directory with type-to-filter search. Returns their ids."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain.cmo import CmoRow
from planner.ui.row_table_model import ID_ROLE, RowFilterProxy, data_table
from planner.ui.suppliers_page import make_cmo_model


class CmoPickerDialog(QDialog):
    def __init__(
        self, rows: list[CmoRow], exclude: set[int], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 480)
        self.model = make_cmo_model(self)
        self.model.set_rows([r for r in rows if r.id not in exclude])
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by name, country, city or capability")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_filter_text)
        self.table = data_table(self.proxy, multi=True, sortable=False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().resizeSection(0, 220)
        for hidden in (4, 5, 6):
            self.table.hideColumn(hidden)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add selected")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.search.setFocus()

    def selected_ids(self) -> list[int]:
        return [i.data(ID_ROLE) for i in self.table.selectionModel().selectedRows()]
