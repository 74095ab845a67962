"""Disclosures page: every sharing decision and every pack sent, filterable by CMO and asset, and
for one CMO and one asset: what it knows, since when, under which CDA."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.disclosure_levels import FIELD_LABELS
from planner.domain.wording import plural
from planner.services.cmos import CmoService
from planner.services.disclosure_register import DisclosureRegister, PackEntry, RegisterEntry
from planner.services.pipeline import PipelineService
from planner.ui import change_bus
from planner.ui.change_bus import ChangeBus
from planner.ui.empty_hint import empty_hint
from planner.ui.row_table_model import Column, RowTableModel, data_table

STATUS_COLOURS = {"blocked": "#c62828", "review": "#ef6c00", "draft": "#546e7a", "ok": "#2e7d32"}


def _flags(e: RegisterEntry) -> str:
    return " · ".join(f.message for f in e.flags)


DECISION_COLUMNS: list[Column[RegisterEntry]] = [
    Column("Asset", lambda e: e.asset_code),
    Column("CMO", lambda e: e.cmo or "(no CMO yet)", tooltip=lambda e: e.cmo or ""),
    Column("Engagement", lambda e: e.engagement, tooltip=lambda e: e.engagement),
    Column(
        "Level",
        lambda e: e.level.short,
        sort_key=lambda e: int(e.level),
        tooltip=lambda e: e.level.label,
    ),
    Column(
        "Status",
        lambda e: e.status.value,
        sort_key=lambda e: list(STATUS_COLOURS).index(e.status.value),
        tooltip=_flags,
    ),
    # Review before the wide columns: "due for review" is what people come here for.
    Column(
        "Review", lambda e: e.decision.review_date.isoformat() if e.decision.review_date else ""
    ),
    Column("Approved by", lambda e: e.decision.approver, tooltip=lambda e: e.decision.approver),
    Column("Under", lambda e: e.governing, tooltip=lambda e: e.governing),
    Column("Why", lambda e: e.decision.rationale, tooltip=lambda e: e.decision.rationale),
]
PACK_COLUMNS: list[Column[PackEntry]] = [
    Column(
        "Sent", lambda p: p.created_at.strftime("%Y-%m-%d %H:%M"), sort_key=lambda p: p.created_at
    ),
    Column("CMO", lambda p: p.cmo),
    Column("Engagement", lambda p: p.engagement),
    Column(
        "Pipeline data",
        lambda p: ", ".join(f"{x.asset_code} {x.level.short}" for x in p.disclosed) or "none",
    ),
    Column("By", lambda p: p.created_by),
    Column("File", lambda p: p.file_name),
    Column("Pack id", lambda p: p.pack_id),
]


class StatusModel(RowTableModel[RegisterEntry]):
    """Colours the Status column, wherever the caller's choice of columns puts it."""

    def __init__(self, columns, *args, **kwargs) -> None:
        super().__init__(columns, *args, **kwargs)
        self._status_column = next(i for i, c in enumerate(columns) if c.title == "Status")

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self._status_column:
            return QBrush(QColor(STATUS_COLOURS[self.row_at(index.row()).status.value]))
        return super().data(index, role)


_table = data_table


class DisclosuresPage(QWidget):
    def __init__(
        self,
        register: DisclosureRegister,
        cmos: CmoService,
        pipeline: PipelineService,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._register = register
        self._cmos = cmos
        self._pipeline = pipeline
        self.cmo = QComboBox()
        self.asset = QComboBox()
        self.cmo.setMinimumWidth(260)
        self.asset.setMinimumWidth(160)
        self.due_only = QCheckBox("Only &due for review")
        for combo in (self.cmo, self.asset):
            combo.currentIndexChanged.connect(self.refresh_entries)
        self.due_only.toggled.connect(self.refresh_entries)
        self.due_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("&CMO"))
        bar.itemAt(0).widget().setBuddy(self.cmo)
        bar.addWidget(self.cmo)
        bar.addWidget(QLabel("Asset"))
        bar.addWidget(self.asset)
        bar.addWidget(self.due_only)
        bar.addStretch(1)
        bar.addWidget(self.due_label)

        self.decisions = StatusModel(
            DECISION_COLUMNS,
            lambda e: hash((e.decision.id, e.cmo_id)),
            lambda e: e.asset_code,
            self,
        )
        self.packs: RowTableModel[PackEntry] = RowTableModel(
            PACK_COLUMNS, lambda p: hash(p.pack_id), lambda p: p.cmo, self
        )
        self.decision_table = _table(self.decisions)
        header = self.decision_table.horizontalHeader()
        for col in (0, 3, 4, 5):  # asset, level, status, review: short, sized to their text
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        for col, width in ((1, 180), (2, 200), (6, 160), (7, 180)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.pack_table = _table(self.packs)
        self.hints = (
            empty_hint(
                self.decision_table,
                "No sharing decisions to show. Decide what pipeline information each CMO may "
                "see from an engagement's Pipeline sharing tab; the decisions are listed here.",
            ),
            empty_hint(
                self.pack_table,
                "No alignment packs sent to show. Export alignment pack… on an engagement "
                "records each pack here, with the pipeline data it carried.",
            ),
        )
        self.pack_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.knowledge = QLabel()
        self.knowledge.setWordWrap(True)
        self.knowledge.setTextFormat(Qt.TextFormat.RichText)
        self.knowledge.setStyleSheet(
            "background: #f5f7f8; border: 1px solid #dde3e6; padding: 8px;"
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.decision_table, "Sharing decisions")
        self.tabs.addTab(self.pack_table, "Packs sent")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.knowledge)
        layout.addWidget(self.tabs, 1)
        bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, parts: frozenset[str]) -> None:
        if parts & {change_bus.CMOS, change_bus.PIPELINE, change_bus.ENGAGEMENTS, change_bus.PACKS}:
            self.refresh()

    def refresh(self) -> None:
        cmo, asset = self.cmo.currentData(), self.asset.currentData()
        for combo in (self.cmo, self.asset):
            combo.blockSignals(True)
            combo.clear()
        self.cmo.addItem("All CMOs", None)
        names = sorted(
            {(e.cmo, e.cmo_id) for e in self._register.entries() if e.cmo_id is not None}
            | {(p.cmo, p.cmo_id) for p in self._register.packs()}
        )
        for name, cmo_id in names:
            self.cmo.addItem(name, cmo_id)
        self.asset.addItem("All assets", None)
        for a in self._pipeline.list_assets(include_archived=True):
            self.asset.addItem(a.code + (" (archived)" if a.archived else ""), a.id)
        self.cmo.setCurrentIndex(max(0, self.cmo.findData(cmo)))
        self.asset.setCurrentIndex(max(0, self.asset.findData(asset)))
        for combo in (self.cmo, self.asset):
            combo.blockSignals(False)
        self.refresh_entries()

    def refresh_entries(self) -> None:
        cmo_id, asset_id = self.cmo.currentData(), self.asset.currentData()
        entries = self._register.entries(cmo_id=cmo_id, asset_id=asset_id)
        due = [e for e in entries if e.status.value in ("blocked", "review")]
        self.decisions.set_rows(due if self.due_only.isChecked() else entries)
        self.packs.set_rows(self._register.packs(cmo_id=cmo_id, asset_id=asset_id))
        self.due_label.setText(
            f"<b style='color:#ef6c00'>{len(due)} due for review</b>"
            if due
            else "Nothing due for review"
        )
        self._show_knowledge(cmo_id, asset_id)

    def _show_knowledge(self, cmo_id: int | None, asset_id: int | None) -> None:
        if cmo_id is None or asset_id is None:
            self.knowledge.setText(
                "Choose one CMO and one asset to see what that CMO knows about it, "
                "since when, and under which CDA."
            )
            return
        k = self._register.knowledge(cmo_id, asset_id)
        if not k.packs:
            sent = "No pack has told it anything about this asset."
        else:
            fields = ", ".join(FIELD_LABELS.get(f, f) for f in k.fields_sent) or "nothing"
            sent = (
                f"Told at <b>{k.level_sent.label}</b> since {k.level_since:%Y-%m-%d} "
                f"(first pack {k.first_sent:%Y-%m-%d}, last {k.last_sent:%Y-%m-%d}; "
                f"{plural(len(k.packs), 'pack')}).<br>Fields sent: {escape(fields)}.<br>"
                f"Under: {escape(k.cda_at_level_since or 'no CDA')}; today: {escape(k.cda_now or 'no CDA')}."
            )
        allowed = (
            "; ".join(
                f"{e.level.label} in “{escape(e.engagement)}” ({e.status.value})"
                for e in k.decisions
            )
            or "no decision"
        )
        self.knowledge.setText(
            f"<b>What {escape(k.cmo)} knows about {escape(k.asset_code)}</b><br>"
            f"{sent}<br>Decided now: {allowed}."
        )
