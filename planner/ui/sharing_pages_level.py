"""Step 4: per asset the recommended level with its reasons, the level the user picks, and exactly
what that level would reveal (the output of `disclose`, the same function the packs use).

A level above what the agreements allow is refused with the gate's reason and the stored level
stays. A level above the relationship suggestion stays pending, shown but not saved, until a
written justification is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
)

from planner.domain.disclosure_levels import (
    FIELD_LABELS,
    DisclosureLevel,
    disclose,
    withheld_fields,
)
from planner.ui.sharing_pages_widgets import (
    MUTED_STYLE,
    NOTE_STYLE,
    AssetList,
    NoteEdit,
    SharingPage,
    WrappingTable,
    bold_label,
    short_label,
    value_text,
    wrapped,
)

if TYPE_CHECKING:
    from planner.ui.sharing_wizard import SharingWizard


class LevelPage(SharingPage):
    def __init__(self, wizard: SharingWizard) -> None:
        super().__init__(
            wizard,
            "Level per asset",
            "The recommendation and why; pick the level and see exactly what the CMO would get.",
        )
        self.assets = AssetList()
        self.assets.setFixedWidth(160)
        self.assets.asset_changed.connect(self._show)
        self.asset_id: int | None = None
        self.pending: dict[int, DisclosureLevel] = {}  # waiting for a justification

        self.heading = bold_label()
        self.recommended = wrapped()
        self.reasons = wrapped(style=MUTED_STYLE)
        self.levels = QButtonGroup(self)
        self.level_buttons: dict[DisclosureLevel, QRadioButton] = {}
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        for level in DisclosureLevel:
            button = QRadioButton(short_label(level))
            self.levels.addButton(button, int(level))
            self.level_buttons[level] = button
            grid.addWidget(button, int(level) // 2, int(level) % 2)
        self.levels.idClicked.connect(lambda i: self._picked(DisclosureLevel(i)))
        self.limits = wrapped(style=MUTED_STYLE)
        self.justification = NoteEdit("Why share more than the relationship suggests?", 2)
        self.justification.edited.connect(self._justified)

        self.preview_title = bold_label()
        self.preview = WrappingTable(["Field", "Value the CMO would read"], 190)
        self.withheld = wrapped(style=MUTED_STYLE)

        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.recommended)
        right.addWidget(self.reasons)
        right.addSpacing(6)
        right.addLayout(grid)
        right.addWidget(self.limits)
        right.addWidget(self.justification)
        right.addSpacing(4)
        right.addWidget(self.preview_title)
        right.addWidget(self.preview, 1)
        right.addWidget(self.withheld)
        right.addStretch(0)  # takes the room of the preview while it is hidden
        row = QHBoxLayout()
        row.addWidget(self.assets)
        row.addSpacing(6)
        row.addLayout(right, 1)
        self.body.addLayout(row, 1)

    # -- filling -------------------------------------------------------------------------
    def enter(self) -> None:
        self.wiz.reload()
        self.asset_id = None
        self.assets.set_entries(self._entry(a.id) for a in self.wiz.assets if a.id is not None)
        first = self.assets.first_open()
        if first is not None:
            self.assets.select(first)
        self._annotate_levels()

    def _entry(self, asset_id: int) -> tuple[int, str, bool]:
        code = self.wiz.asset(asset_id).code
        if asset_id in self.pending:
            return asset_id, f"{code} · {self.pending[asset_id].short} (why?)", False
        decision = self.wiz.decision(asset_id)
        if decision is None or not decision.is_decided:
            return asset_id, f"{code} · no level", False
        return asset_id, f"{code} · {decision.level.short}", True

    def _annotate_levels(self) -> None:
        """Say in each level's tooltip what stands in its way, before the user tries it."""
        allowed = self.wiz.allowed_by_agreements()
        suggested = self.wiz.context.suggested
        for level, button in self.level_buttons.items():
            if level > allowed:
                tip = "Not allowed by the agreements in force."
            elif level > suggested:
                tip = f"Above the relationship suggestion ({suggested.short}): needs a reason."
            else:
                tip = ""
            button.setToolTip(level.label + (f"\n{tip}" if tip else ""))

    def _show_limits(self, level: DisclosureLevel | None) -> bool:
        """The two limits in one line; True when `level` needs a written justification."""
        allowed = self.wiz.allowed_by_agreements()
        suggested = self.wiz.context.suggested
        relationship = self.wiz.context.engagement.relationship_type.label.lower()
        text = (
            f"The agreements in force allow up to {allowed.short}; a {relationship} "
            f"relationship suggests up to {suggested.short}."
        )
        needs = level is not None and level > suggested
        if needs and level is not None:
            text += (
                f" <span style='{NOTE_STYLE}'>{level.short} is above that: write down why.</span>"
            )
        self.limits.setText(text)
        return needs

    def _show(self, asset_id: int | None) -> None:
        self.flush()
        self.asset_id = asset_id
        if asset_id is None:
            return
        asset = self.wiz.asset(asset_id)
        self.heading.setText(f"{asset.code}  {asset.inn}".strip())
        try:
            advice = self.wiz.disclosures.advice(self.wiz.engagement_id, asset_id)
        except (ValueError, LookupError) as exc:
            self.recommended.setText("")
            self.reasons.setText(str(exc))
        else:
            self.recommended.setText(f"Recommended: <b>{advice.level.label}</b>")
            lines = list(advice.reasons)
            if len(advice.per_cmo) > 1:
                lines.append(
                    "Per candidate: "
                    + "; ".join(f"{c.name} {c.level.short}" for c in advice.per_cmo)
                    + "."
                )
            self.reasons.setText("<br>".join(f"• {line}" for line in lines))
        decision = self.wiz.decision(asset_id)
        self.justification.set_note(decision.justification if decision else "")
        self._select(self.shown_level(asset_id))

    def shown_level(self, asset_id: int) -> DisclosureLevel | None:
        """The pending level, else the stored one; None when no level was chosen yet."""
        if asset_id in self.pending:
            return self.pending[asset_id]
        decision = self.wiz.decision(asset_id)
        return decision.level if decision and decision.is_decided else None

    def _select(self, level: DisclosureLevel | None) -> None:
        self.levels.setExclusive(False)
        for each, button in self.level_buttons.items():
            button.setChecked(each == level)
        self.levels.setExclusive(True)
        self._show_preview(level)
        self.justification.setVisible(self._show_limits(level))

    def _show_preview(self, level: DisclosureLevel | None) -> None:
        self.preview.setRowCount(0)
        self.preview.hide()
        if self.asset_id is None or level is None:
            self.preview_title.setText("Pick a level to see what the CMO would get.")
            self.withheld.setText("")
            return
        shown = disclose(self.wiz.asset(self.asset_id), level)
        getting, blocked = self.wiz.receivers_at(level)
        if not shown:
            title = f"At {level.short} {self.wiz.cmo_names()} learns nothing about this asset."
        elif not self.wiz.context.cmos:
            title = f"What the CMO would get at {level.short}:"
        elif getting:
            title = f"What {self.wiz.cmo_names(getting)} would get at {level.short}:"
            if blocked:
                title += (
                    f" ({self.wiz.cmo_names(blocked)}: nothing, the agreements do not allow it)"
                )
        else:
            title = (
                f"What {level.short} reveals. Nothing may be sent at this level today: the "
                f"agreements with {self.wiz.cmo_names(blocked)} do not allow it."
            )
        self.preview_title.setText(title)
        self.preview.setVisible(bool(shown))
        self.preview.set_rows([(FIELD_LABELS[n], value_text(v)) for n, v in shown.items()])
        held = withheld_fields(level)
        self.withheld.setText(
            "Withheld: " + ", ".join(FIELD_LABELS[f] for f in held) + "." if held else ""
        )

    # -- choices -------------------------------------------------------------------------
    def _picked(self, level: DisclosureLevel) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        self.flush()
        if level == self.shown_level(asset_id):
            return
        self.pending.pop(asset_id, None)
        text = self.justification.note()
        needs = level > self.wiz.context.suggested
        if needs and not text:
            # Check the agreements first: a refused level should say so, not ask for a reason.
            gate_problem = self._gate_problem(level)
            if gate_problem:
                self._refused(asset_id, gate_problem)
                return
            self.pending[asset_id] = level
            self._select(level)
            self.show_message(
                f"Write the justification below; {level.short} is recorded once it is given.",
                error=False,
            )
        else:
            problem = self.wiz.choose_level(asset_id, level, text if needs else None)
            if problem:
                self._refused(asset_id, problem)
                return
            self._select(level)
            self.show_message(f"Saved: {self.wiz.asset(asset_id).code} at {level.short}.", False)
        self.assets.update_entry(*self._entry(asset_id))
        self.changed()

    def _gate_problem(self, level: DisclosureLevel) -> str | None:
        if level <= self.wiz.allowed_by_agreements():
            return None
        blocked = [f"{c.name}: {c.allowed.reason}" for c in self.wiz.context.cmos]
        return f"Refused: {level.short} is above what the agreements allow. " + " ".join(
            blocked or ["No CMO is chosen or shortlisted, so no agreement is in force."]
        )

    def _refused(self, asset_id: int, reason: str) -> None:
        self._select(self.shown_level(asset_id))
        self.show_message(reason)

    def _justified(self) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        text = self.justification.note()
        if asset_id in self.pending:
            if not text:
                return
            level = self.pending.pop(asset_id)
            problem = self.wiz.choose_level(asset_id, level, text)
            if problem:
                self._refused(asset_id, problem)
            else:
                self.show_message(
                    f"Saved: {self.wiz.asset(asset_id).code} at {level.short}.", False
                )
        elif self.wiz.decision(asset_id) is not None:
            eid = self.wiz.engagement_id
            problem = self.wiz.write(
                lambda: self.wiz.disclosures.set_notes(eid, asset_id, justification=text)
            )
            self.show_message(f"The justification was not saved: {problem}" if problem else "")
            if problem:
                return
        self.justification.mark_saved()
        self.assets.update_entry(*self._entry(asset_id))
        self.changed()

    def flush(self) -> None:
        if self.asset_id is not None and self.justification.dirty():
            self._justified()

    def problem(self) -> str | None:
        for asset in self.wiz.assets:
            assert asset.id is not None
            if asset.id in self.pending:
                return (
                    f"{asset.code}: {self.pending[asset.id].short} needs a written "
                    "justification, or pick a lower level."
                )
        missing = [a.code for a in self.wiz.assets if not self.wiz.has_level(a.id or 0)]
        if missing:
            return f"Pick a level for every asset (L0 shares nothing): {', '.join(missing)}."
        return None
