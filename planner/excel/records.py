"""One sheet row to one supplier record: mapped cells normalised, problems reported per cell.

Decisions (also in the import's user documentation):
- A row without a name (or legal name, used in its place) is not imported: one row error.
- A bad country, date, email, identifier or outcome is a cell error: the row is imported
  without that value, so one typo does not lose the supplier.
- A contact is made when a contact name or email is present (the email names it otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from planner.excel import normalise as n
from planner.excel.errors import RowError
from planner.excel.mapping import TARGET_LABELS
from planner.excel.reading import Cells

_LONG = 32_767
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email", "contact_phone")
LIST_FIELDS = ("capabilities", "dosage_forms", "certifications")


def _text(limit: int) -> Callable[[object, str], Any]:
    def parse(value: object, what: str) -> str | None:
        if value.__class__ is str and len(value) <= limit:  # type: ignore[arg-type]
            # Short fields are one line; long ones (address, notes) keep their line breaks.
            text = " ".join(value.split()) if limit < 1000 else value.strip()  # type: ignore[attr-defined]
            return text or None
        return n.text_value(value, limit, what)

    return parse


PARSERS: dict[str, Callable[[object, str], Any]] = {
    "name": _text(300),
    "legal_name": _text(300),
    "parent_company": _text(300),
    "country": n.country_value,
    "city": _text(200),
    "address": _text(_LONG),
    "website": _text(500),
    "fei_number": n.identifier,
    "duns_number": partial(n.identifier, width=9),
    "capabilities": n.list_value,
    "dosage_forms": n.list_value,
    "certifications": n.list_value,
    "last_inspection_date": n.date_value,
    "last_inspection_outcome": n.outcome_value,
    "capacity_notes": _text(_LONG),
    "ownership_change_date": n.date_value,
    "notes": _text(_LONG),
    "contact_name": _text(200),
    "contact_role": _text(200),
    "contact_email": n.email_value,
    "contact_phone": _text(80),
}
assert set(PARSERS) == set(TARGET_LABELS)


@dataclass
class Record:
    row: int
    values: dict[str, Any]  # CMO field -> normalised, non-empty value
    contact: dict[str, str] | None = None


class RecordBuilder:
    def __init__(self, labels: list[str], mapping: dict[str, str], keep_unmapped: bool) -> None:
        self.plan = [
            (index, mapping[label], label, PARSERS[mapping[label]])
            for index, label in enumerate(labels)
            if mapping.get(label)
        ]
        self.note_columns = (
            [(index, label) for index, label in enumerate(labels) if not mapping.get(label)]
            if keep_unmapped
            else []
        )
        self.width = len(labels)
        self.rejected = 0  # rows not imported for want of a name
        targets = {target for _, target, _, _ in self.plan}
        self.maps_name = bool(targets & {"name", "legal_name"})
        self.name_label = next(
            (label for _, target, label, _ in self.plan if target == "name"),
            next((label for _, t, label, _ in self.plan if t == "legal_name"), ""),
        )

    def build(self, number: int, cells: Cells, errors: list[RowError]) -> Record | None:
        """The row's record, or None for a row that is blank or has no name (then reported)."""
        values: dict[str, Any] = {}
        size = len(cells)
        blank = True
        for index, target, label, parse in self.plan:
            if index >= size:
                continue
            raw = cells[index]
            if raw == "" or raw is None:
                continue
            blank = False
            try:
                value = parse(raw, label)
            except n.CellProblem as problem:
                errors.append(RowError(number, label, str(problem)))
                continue
            if value is None:
                continue
            if target in values:  # several columns mapped to one field: first wins, lists add up
                if target in LIST_FIELDS:
                    values[target] = values[target] + [v for v in value if v not in values[target]]
                continue
            values[target] = value
        notes = self._notes(cells)
        if notes:
            blank = False
            values["notes"] = f"{values['notes']}\n{notes}" if "notes" in values else notes
        if blank:
            return None
        if "name" not in values:
            if "legal_name" not in values:
                errors.append(
                    RowError(number, self.name_label, "No supplier name; row not imported.")
                )
                self.rejected += 1
                return None
            values["name"] = values["legal_name"]
        if "country" not in values and "address" in values:
            code = n.country_from_address(values["address"])
            if code:
                values["country"] = code
        return Record(number, values, self._contact(number, values, errors))

    def _notes(self, cells: Cells) -> str:
        lines = []
        size = len(cells)
        for index, label in self.note_columns:
            if index < size:
                text = n.cell_text(cells[index]).strip()
                if text:
                    lines.append(f"{label}: {text}")
        return "\n".join(lines)

    def _contact(self, number: int, values: dict[str, Any], errors: list[RowError]) -> dict | None:
        parts = {f: values.pop(f) for f in CONTACT_FIELDS if f in values}
        if not parts:
            return None
        name = parts.get("contact_name") or parts.get("contact_email")
        if not name:
            errors.append(
                RowError(number, "", "A contact needs a name or an email; contact not imported.")
            )
            return None
        return {
            "name": name,
            "role": parts.get("contact_role", ""),
            "email": parts.get("contact_email", ""),
            "phone": parts.get("contact_phone", ""),
        }
