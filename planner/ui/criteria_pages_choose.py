"""The selection criteria and KPI steps: a checklist of the pharma library's entries (and the
user's own) beside their wording; ticking stores, and criteria can be written for the engagement,
optionally saved to the library too."""

from __future__ import annotations

import html
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
)

from planner.domain.criteria import (
    SCALE_POINTS,
    Criterion,
    CriterionStage,
    format_target,
)
from planner.domain.criteria_library import LibraryEntry
from planner.ui.criteria_pages_base import (
    PLURALS,
    STAGE_NOUNS,
    CriteriaPage,
    hint_label,
)
from planner.ui.criteria_pages_criterion import CriterionDialog

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # ("library", key) or ("own", criterion id)


class ChoosePage(CriteriaPage):
    """A checklist of the library's entries of one stage beside their wording; ticking stores."""

    warns_about_review = True

    def __init__(self, wizard: CriteriaWizard, stage: CriterionStage) -> None:
        kpi = stage is CriterionStage.PERFORMANCE
        super().__init__(
            wizard,
            "Performance KPIs" if kpi else "Selection criteria",
            (
                "What the chosen CMO will be measured on once it works for you."
                if kpi
                else "What the candidates will be judged on when their proposals come in."
            ),
        )
        self.stage = stage
        self.noun = STAGE_NOUNS[stage]
        self._entries: list[LibraryEntry] = []
        self.tree = QTreeWidget()
        self.tree.setObjectName("criteriaChecklist")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Criterion", "Target" if kpi else "Weight"])
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.tree.itemDoubleClicked.connect(lambda *_: self._edit())
        self.detail = QTextBrowser()
        self.detail.setObjectName("criterionDetail")
        self.detail.setOpenLinks(False)
        self.add_button = QPushButton(f"&Add your own {self.noun}…")
        self.add_button.clicked.connect(self._add)
        self.edit_button = QPushButton("&Edit wording…")
        self.edit_button.setToolTip("Change this engagement's copy; the library stays as it is.")
        self.edit_button.clicked.connect(self._edit)
        self.count = QLabel()
        split = QHBoxLayout()
        split.addWidget(self.tree, 3)
        split.addWidget(self.detail, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        self.body.addWidget(
            hint_label(
                "Tick what applies; each comes with a description and wording for the five "
                "scores. Knockouts eliminate a candidate scoring 1."
                if not kpi
                else "Tick the KPIs; their unit, target and direction can be changed on the "
                "KPI targets step."
            )
        )
        self.body.addLayout(split, 1)
        self.body.addLayout(buttons)

    # -- what is where ----------------------------------------------------------------------
    def skipped(self) -> bool:
        return not self.wiz.focus.includes(self.stage)

    def entries(self) -> list[LibraryEntry]:
        """The library as read when the list was last filled (user entries live in the store)."""
        return self._entries

    def chosen(self) -> list[Criterion]:
        return self.cs.stage_criteria(self.stage) if self.cs else []

    def checked_keys(self) -> list[str]:
        keys = []
        for item in self._items():
            kind, key = item.data(0, ITEM_ROLE)
            if kind == "library" and item.checkState(0) == Qt.CheckState.Checked:
                keys.append(key)
        return keys

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            found += [group.child(i) for i in range(group.childCount())]
        return found

    def _current(self) -> tuple[str, object] | None:
        item = self.tree.currentItem()
        data = item.data(0, ITEM_ROLE) if item else None
        return tuple(data) if data else None

    def _criterion_for(self, data: tuple[str, object] | None) -> Criterion | None:
        if data is None:
            return None
        kind, key = data
        for c in self.chosen():
            if (kind == "own" and c.id == key) or (kind == "library" and c.library_key == key):
                return c
        return None

    # -- filling ---------------------------------------------------------------------------
    def fill(self) -> None:
        keep = self._current()
        entries = self._entries = self.wiz.services.library.entries(self.stage)
        chosen = {c.library_key: c for c in self.chosen()}
        known = {e.key for e in entries}
        with QSignalBlocker(self.tree):
            self.tree.clear()
            groups = [
                ("From the pharma library", [e for e in entries if not e.custom]),
                ("Your library entries", [e for e in entries if e.custom]),
            ]
            for title, items in groups:
                if not items:
                    continue
                group = self._group(title)
                for e in items:
                    copy = chosen.get(e.key)
                    self._add_item(group, copy or e.to_criterion(), ("library", e.key), bool(copy))
            own = [c for c in self.chosen() if c.library_key not in known]
            if own:
                group = self._group("Written for this engagement")
                for c in own:
                    self._add_item(group, c, ("own", c.id), True)
            self.tree.expandAll()
            self._restore(keep)
        n = len(self.chosen())
        self.count.setText(f"{n} {self.noun if n == 1 else self._plural()} chosen")
        self._show_detail()

    def _plural(self) -> str:
        return PLURALS[self.stage]

    def _group(self, title: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [title])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(group.font(0))
        font.setBold(True)
        group.setFont(0, font)
        group.setFirstColumnSpanned(True)
        return group

    def _add_item(
        self, group: QTreeWidgetItem, c: Criterion, data: tuple[str, object], checked: bool
    ) -> None:
        if self.stage is CriterionStage.PERFORMANCE:
            extra = " ".join(filter(None, [format_target(c.direction, c.target, None), c.unit]))
        else:
            weight = f"{c.weight:g}%" if checked else f"({c.weight:g}%)"
            extra = f"{weight} · KO" if c.knockout else weight
        item = QTreeWidgetItem(group, [c.name, extra])
        if not checked:
            item.setForeground(1, QColor("#757575"))
        item.setToolTip(
            1,
            ("Weight in this set" if checked else "Weight suggested by the library")
            + ("; KO: a knockout criterion" if c.knockout else ""),
        )
        item.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, ITEM_ROLE, data)
        item.setToolTip(0, c.description)

    def _restore(self, keep: tuple[str, object] | None) -> None:
        items = self._items()
        match = next((i for i in items if keep and tuple(i.data(0, ITEM_ROLE)) == keep), None)
        self.tree.setCurrentItem(match or (items[0] if items else None))

    def _show_detail(self) -> None:
        data = self._current()
        c = self._criterion_for(data)
        if c is None and data is not None and data[0] == "library":
            c = next((e.to_criterion() for e in self.entries() if e.key == data[1]), None)
        self.edit_button.setEnabled(self._criterion_for(data) is not None)
        self.detail.setHtml(detail_html(c) if c else "")

    # -- writing ---------------------------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0 or item.data(0, ITEM_ROLE) is None:
            return
        self.tree.setCurrentItem(item)
        kind, key = item.data(0, ITEM_ROLE)
        if kind == "library":
            keys = self.checked_keys()
            self.persist(
                lambda: self.wiz.services.sets.select_library_entries(
                    self.wiz.set_id, self.stage, keys
                )
            )
        elif item.checkState(0) == Qt.CheckState.Unchecked:
            answer = QMessageBox.question(
                self,
                "Remove criterion",
                f"Remove '{item.text(0)}'? It was written for this engagement only, so its "
                "wording goes with it.",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.persist(lambda: self.wiz.services.sets.remove_criterion(self.wiz.set_id, key))
        # The item is still inside its own change signal: rebuild the list once that is over.
        QTimer.singleShot(0, self.fill)

    def _add(self) -> None:
        dialog = CriterionDialog(self.stage, self._save_new, parent=self)
        dialog.exec()
        self.show_message("")
        self.fill()

    def _save_new(self, c: Criterion, to_library: bool) -> str | None:
        sets = self.wiz.services.sets
        if any(o.name.casefold() == c.name.strip().casefold() for o in self.chosen()):
            # Said before the library is touched, so a refused name leaves no stray entry there.
            return f"'{c.name.strip()}' is already among the {PLURALS[self.stage]}."
        if to_library:
            entry = LibraryEntry(
                key="",
                stage=self.stage,
                name=c.name,
                description=c.description,
                scale=tuple(c.scale),
                evidence_requested=c.evidence_requested,
                metric=c.metric,
                unit=c.unit,
                target=c.target,
                direction=c.direction,
                floor=c.floor,
                knockout=c.knockout,
            )

            def action() -> None:
                new = self.wiz.services.library.add_custom(entry)
                sets.add_criterion(self.wiz.set_id, replace(c, library_key=new.key))

            ok = self.persist(action)
        else:
            ok = self.persist(lambda: sets.add_criterion(self.wiz.set_id, c))
        if ok:
            self.fill()
            self._select_name(c.name)
        return None if ok else self.wiz.last_error

    def _select_name(self, name: str) -> None:
        for item in self._items():
            if item.text(0) == name:
                self.tree.setCurrentItem(item)

    def _edit(self) -> None:
        c = self._criterion_for(self._current())
        if c is None:
            return

        def save(edited: Criterion, _to_library: bool) -> str | None:
            ok = self.persist(
                lambda: self.wiz.services.sets.update_criterion(self.wiz.set_id, edited)
            )
            return None if ok else self.wiz.last_error

        CriterionDialog(self.stage, save, criterion=c, parent=self).exec()
        self.show_message("")
        self.fill()

    # -- validation -------------------------------------------------------------------------
    def problem(self) -> str | None:
        chosen = self.chosen()
        if not chosen:
            return f"Choose at least one {self.noun}, or write your own."
        for c in chosen:
            if len([a for a in c.scale if a.strip()]) != SCALE_POINTS:
                return (
                    f"'{c.name}' needs wording for all {SCALE_POINTS} scale points: select it "
                    "and use Edit wording…"
                )
        return None


def detail_html(c: Criterion) -> str:
    e = html.escape
    parts = [f"<h3>{e(c.name)}</h3>"]
    if c.knockout:
        parts.append("<p><b style='color:#b00020'>Knockout</b>: a score of 1 eliminates.</p>")
    parts.append(f"<p>{e(c.description) or '<i>No description yet.</i>'}</p>")
    if c.stage is CriterionStage.PERFORMANCE:
        target = format_target(c.direction, c.target, c.floor) or "not set"
        parts.append(
            f"<p><b>Metric:</b> {e(c.metric) or '—'}<br><b>Target:</b> {e(target)} {e(c.unit)}</p>"
        )
    if c.evidence_requested:
        parts.append(f"<p><b>Evidence requested:</b> {e(c.evidence_requested)}</p>")
    if c.scale:
        rows = "".join(
            f"<tr><td valign='top'><b>{i}</b>&nbsp;</td><td>{e(a) or '<i>missing</i>'}</td></tr>"
            for i, a in enumerate(c.scale, start=1)
        )
        parts.append(f"<p><b>Scale</b></p><table cellspacing='2'>{rows}</table>")
    else:
        parts.append("<p style='color:#b00020'>No wording for the five scores yet.</p>")
    return "".join(parts)
