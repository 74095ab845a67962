"""The last steps of the criteria wizard: which candidate CMOs receive the criteria, and a summary
of what is still open with the request for alignment packs."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from planner.domain.criteria import CriteriaSet, CriterionStage, SetStatus, Verdict, role_label
from planner.ui.criteria_pages_base import CriteriaPage, hint_label, status_html

if TYPE_CHECKING:
    from planner.ui.criteria_wizard import CriteriaWizard

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SHOWN_CHANGES = 8
PAST = {
    Verdict.AGREE: "agreed",
    Verdict.AGREE_WITH_COMMENT: "agreed with a comment",
    Verdict.OBJECT: "objected",
}


class RecipientsPage(CriteriaPage):
    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "Who receives them",
            "The candidate CMOs who will be told what they are judged and measured on.",
        )
        self.list = QListWidget()
        self.list.setObjectName("recipients")
        self.list.itemChanged.connect(lambda _item: self._store())
        self.empty = hint_label(
            "This engagement has no candidate CMOs yet: add them on the engagement's Details "
            "tab, then come back here."
        )
        all_button = QPushButton("Tick &all")
        all_button.clicked.connect(lambda: self._tick_all(True))
        none_button = QPushButton("Tick &none")
        none_button.clicked.connect(lambda: self._tick_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        self.body.addWidget(
            hint_label(
                "Each CMO ticked gets its own alignment pack carrying the aligned version of "
                "the criteria; nothing is sent from here."
            )
        )
        self.body.addWidget(self.empty)
        self.body.addWidget(self.list, 1)
        self.body.addLayout(buttons)

    def fill(self) -> None:
        chosen = set(self.wiz.recipients)
        with QSignalBlocker(self.list):
            self.list.clear()
            for cmo_id, name in self.wiz.candidates:
                item = QListWidgetItem(name, self.list)
                item.setData(ID_ROLE, cmo_id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                checked = cmo_id in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.empty.setVisible(not self.wiz.candidates)
        self.list.setVisible(bool(self.wiz.candidates))

    def ticked(self) -> list[int]:
        return [
            self.list.item(i).data(ID_ROLE)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _store(self) -> None:
        self.wiz.set_recipients(self.ticked())
        self.changed()

    def _tick_all(self, on: bool) -> None:
        with QSignalBlocker(self.list):
            for i in range(self.list.count()):
                self.list.item(i).setCheckState(
                    Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
                )
        self._store()

    def problem(self) -> str | None:
        if self.wiz.candidates and not self.wiz.recipients:
            return "Tick at least one CMO to receive the criteria."
        return None


class SummaryPage(CriteriaPage):
    def __init__(self, wizard: CriteriaWizard) -> None:
        super().__init__(
            wizard,
            "What is still open",
            "Where the criteria stand, and what is left before they can go to the CMOs.",
        )
        self.heading = QLabel()
        self.heading.setObjectName("summaryHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.report = QTextBrowser()
        self.report.setObjectName("summaryReport")
        self.report.setOpenLinks(False)
        box = QGroupBox("Alignment packs")
        self.export_text = QLabel()
        self.export_text.setWordWrap(True)
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportPacks")
        self.export_button.clicked.connect(self._export)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.export_text)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addStretch(1)
        box_layout.addLayout(row)
        self.body.addWidget(self.heading)
        self.body.addWidget(self.report, 1)
        self.body.addWidget(box)
        self.setFinalPage(True)

    def fill(self) -> None:
        ov = self.wiz.refresh_overview()
        cs = ov.criteria_set
        self.heading.setText(status_html(cs) if cs else "No criteria yet")
        parts = ["<h3>Still open</h3>"]
        items = list(ov.open_items)
        if self.wiz.candidates and not self.wiz.recipients:
            items.append("Choose the CMOs who receive the criteria.")
        if items:
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
        else:
            parts.append("<p>Nothing is open.</p>")
        parts.append(f"<p><b>Next step:</b> {html.escape(ov.next_step)}</p>")
        if cs is not None:
            parts += self._facts(cs)
        self.report.setHtml("".join(parts))
        self._show_export(cs)

    def _facts(self, cs: CriteriaSet) -> list[str]:
        e = html.escape
        lines = []
        for st in CriterionStage:
            items = cs.stage_criteria(st)
            if items:
                knockouts = sum(1 for c in items if c.knockout)
                extra = (
                    f", {knockouts} knockout{'s' if knockouts != 1 else ''}" if knockouts else ""
                )
                lines.append(
                    f"<li>{st.label}: {len(items)}, weights total {cs.weight_total(st):g}%{extra}"
                    "</li>"
                )
        for s in cs.sign_offs:
            if s.role not in cs.required_roles:
                continue
            who = e(s.person) if s.person else "<i>nobody named</i>"
            said = f"{PAST[s.verdict]} on {s.signed_on}" if s.verdict else "no verdict yet"
            comment = f" — “{e(s.comment)}”" if s.comment else ""
            lines.append(f"<li>{e(role_label(s.role))}: {who}, {said}{comment}</li>")
        names = self.wiz.recipient_names()
        lines.append(
            f"<li>To receive them: {e(', '.join(names))}</li>"
            if names
            else "<li>To receive them: <i>no CMO chosen</i></li>"
        )
        parts = ["<h3>This version</h3>", "<ul>" + "".join(lines) + "</ul>"]
        if cs.version > 1:
            diff = self.wiz.services.overview.diff_versions(
                self.wiz.engagement_id, cs.version - 1, cs.version
            )
            changes = diff.lines() or ["No changes yet."]
            shown = changes[:SHOWN_CHANGES]
            if len(changes) > SHOWN_CHANGES:
                shown.append(f"… and {len(changes) - SHOWN_CHANGES} more.")
            parts.append(f"<h3>Changes since version {cs.version - 1}</h3>")
            parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in shown) + "</ul>")
        return parts

    def _show_export(self, cs: CriteriaSet | None) -> None:
        n = len(self.wiz.recipients)
        aligned = cs is not None and cs.status is SetStatus.ALIGNED
        self.export_button.setText(
            f"&Export alignment packs for {n} CMO{'s' if n != 1 else ''}…"
            if n
            else "&Export alignment packs…"
        )
        self.export_button.setEnabled(aligned and n > 0)
        why = ""
        if not aligned:
            why = " The button works once every required role has agreed (status aligned)."
        elif not n:
            why = " Choose at least one CMO on the previous step first."
        self.export_text.setText(
            "Alignment packs are exported from the engagement's “Export alignment pack…” "
            "action; this button opens it for the CMOs chosen, one pack each. Sending a pack "
            f"freezes this version: later edits start the next one.{why}"
        )

    def _export(self) -> None:
        self.wiz.request_export()
        self.show_message(
            f"Asked for packs for {', '.join(self.wiz.recipient_names())}.", error=False
        )
