"""One sheet row to one supplier record: mapped cells normalised, problems reported per cell.

Decisions (also in the import's user documentation):
- A row without a name (or legal name, used in its place) is not imported: one row error.
- A bad country, date, email, identifier or outcome is a cell error: the row is imported
  without that value, so one typo does not lose the supplier.
- A contact is made when a contact name or email is present (the email names it otherwise);
  a phone without either is the supplier's "Main line".
- Placeholders ("N/A", "-", "TBD", "none", ...) are empty cells, in every column; formula
  errors (#N/A, #REF! ...) are cell problems.
- A row whose name cell repeats the header, or reads as a totals, source or page-title line
  ("Total: 57", "Source: ...", "page 2 of 4"), is passed over and listed in the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from planner.excel import normalise as n
from planner.excel.date_order import DateOrder
from planner.excel.error_cells import EXCEL_ERRORS
from planner.excel.errors import RowError
from planner.excel.mapping import TARGET_LABELS
from planner.excel.reading import Cells

_LONG = 32_767
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email", "contact_phone")
LIST_FIELDS = ("capabilities", "dosage_forms", "certifications")
DATE_FIELDS = frozenset({"last_inspection_date", "ownership_change_date"})
MAIN_LINE = "Main line"  # the contact that holds a supplier's own phone number


def _text(limit: int) -> Callable[[object, str], Any]:
    def parse(value: object, what: str) -> str | None:
        if value.__class__ is str and len(value) <= limit:  # type: ignore[arg-type]
            # Short fields are one line; long ones (address, notes) keep their line breaks.
            text = " ".join(value.split()) if limit < 1000 else value.strip()  # type: ignore[attr-defined]
            if text in SPECIAL:
                raise _Special(text)
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


# What people type for "nothing here". "NA" is not among them: it is Namibia's country code.
_PLACEHOLDER_WORDS = (
    "n/a", "n.a.", "n. a.", "-", "--", "---", "\u2013", "\u2014", "?", "tbd", "tba", "none",
    "null", "nil", "unknown", "not applicable", "not available", "not known",
)  # fmt: skip
PLACEHOLDERS = frozenset(
    variant
    for word in _PLACEHOLDER_WORDS
    for variant in (word, word.upper(), word.title(), word.capitalize())
)


# A "name" that is a line of the report around the list, not a supplier: totals ("Total",
# "Total: 57 suppliers", "Grand total"; not "Total Pharma"), sources, export stamps, and page
# titles repeated by a print layout ("Approved suppliers - page 2 of 4"). Only when nothing
# but numbers stands beside it (a count, a sum): "Total (UK) Ltd" with a country is a supplier.
_REPORT_LINE = re.compile(
    r"\s*(?:(?:(?:grand\s+|sub-?)?totals?|sum|count|average)\s*(?:[:=(\d]|$)"
    r"|(?:source|note|notes|remark|legend)\s*:"
    r"|(?:exported|generated|printed|created|extracted)\s+(?:on|by|from|at)\b"
    r"|end\s+of\s+(?:report|list|file|data)\b)",
    re.IGNORECASE,
)
_PAGE_OF = re.compile(r"\bpage\s+\d+\s+(?:of|/)\s+\d+\b", re.IGNORECASE)

SPECIAL = PLACEHOLDERS | EXCEL_ERRORS
_WORDS = {"none", "nil"}  # placeholders that are also place names


def _formula_error(label: str, text: str) -> str:
    return f"{label} holds the formula error {text}; left out."


# Fields whose cells repeat across rows (a few countries, cities, capability lists and dates
# over 100k rows): each distinct text is parsed once per import.
REPEATING = frozenset(
    {
        "parent_company", "country", "city", *LIST_FIELDS, "last_inspection_date",
        "last_inspection_outcome", "ownership_change_date", "contact_role",
    }
)  # fmt: skip
_MEMO_LIMIT = 65_536  # distinct texts remembered per column; later ones are parsed each time


@dataclass(slots=True)
class Record:
    row: int
    values: dict[str, Any]  # CMO field -> normalised, non-empty value
    contact: dict[str, str] | None = None


_EMPTY = object()  # a placeholder text, in a column's memo


class _Special(n.CellProblem):
    """A placeholder or formula-error text met by a parser (sorted out by its caller)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class _Problem:
    __slots__ = ("message", "formula")

    def __init__(self, message: str, formula: bool = False) -> None:
        self.message = message
        self.formula = formula  # a formula error: a row of only these is blank


def _special(raw: object) -> str:
    """The placeholder or formula error a cell holds, padding ignored; '' for other cells."""
    if raw.__class__ is str:
        text = raw.strip()  # type: ignore[attr-defined]
        if text in SPECIAL:
            return text
    return ""


class _Parsed(dict):
    """Text cell -> parsed value of one column; a list is kept as a tuple (copied on use, so
    no two records share one) and a cell problem as its message."""

    def __init__(self, parse: Callable[[object, str], Any], label: str, target: str) -> None:
        super().__init__()
        self.parse, self.label = parse, label
        self.keeps_words = target == "city"  # None and Nil are towns (Piedmont, Netherlands)

    def __missing__(self, raw: str) -> Any:
        special = _special(raw)
        value: Any = None
        if not special:
            try:
                value = self.parse(raw, self.label)
            except _Special as found:  # padded inside ("not  applicable")
                special = found.text
            except n.CellProblem as problem:
                value = _Problem(str(problem))
        if special in EXCEL_ERRORS:
            value = _Problem(_formula_error(self.label, special), formula=True)
        elif special and self.keeps_words and special.casefold() in _WORDS:
            value = special
        elif special:
            value = _EMPTY
        if value.__class__ is list:
            value = tuple(value)
        if len(self) < _MEMO_LIMIT:
            self[raw] = value
        return value


def _only_numbers_beside(cells: Cells, index: int) -> bool:
    return all(
        value is None or value == "" or (value.__class__ in (int, float))
        for position, value in enumerate(cells)
        if position != index
    )


class RecordBuilder:
    def __init__(self, labels: list[str], mapping: dict[str, str], keep_unmapped: bool) -> None:
        self.plan = [
            (index, mapping[label], label, PARSERS[mapping[label]])
            for index, label in enumerate(labels)
            if mapping.get(label)
        ]
        # Only text cells are remembered: 1, 1.0 and True are equal keys but not equal cells.
        self._steps = [
            (
                index,
                target,
                label,
                parse,
                _Parsed(parse, label, target) if target in REPEATING else None,
                target in DATE_FIELDS,
            )
            for index, target, label, parse in self.plan
        ]
        self.note_columns = (
            [(index, label) for index, label in enumerate(labels) if not mapping.get(label)]
            if keep_unmapped
            else []
        )
        self.width = len(labels)
        self.rejected = 0  # rows not imported for want of a name
        targets = {target for _, target, _, _ in self.plan}
        self._contact_fields = [f for f in CONTACT_FIELDS if f in targets]
        self.maps_name = bool(targets & {"name", "legal_name"})
        self.name_label = next(
            (label for _, target, label, _ in self.plan if target == "name"),
            next((label for _, t, label, _ in self.plan if t == "legal_name"), ""),
        )
        self._name_index = next(
            (index for index, _, label, _ in self.plan if label == self.name_label), None
        )
        self._name_header = self.name_label.casefold()
        self.passed_over: list[str] = []  # rows that are no suppliers, as "row N (why)"
        self.dates = DateOrder()
        self.date_targets = {label: t for _, t, label, _ in self.plan if t in DATE_FIELDS}

    def _no_supplier(self, number: int, cells: Cells) -> bool:
        """A row that repeats the header (print layouts do, every page) or is a totals, footer
        or page-title line: passed over and listed, never a supplier or a problem."""
        if self._name_index is None or self._name_index >= len(cells):
            return False
        raw = cells[self._name_index]
        if raw.__class__ is not str:
            return False
        text = raw.strip()
        # Cheap tests first: this runs for every row of a 100k-row import.
        if len(text) == len(self._name_header) and text.casefold() == self._name_header:
            self.passed_over.append(f"row {number:,} (the header again)")
            return True
        if (
            _REPORT_LINE.match(text) or (("age" in text or "AGE" in text) and _PAGE_OF.search(text))
        ) and _only_numbers_beside(cells, self._name_index):
            shown = text if len(text) <= 60 else text[:57] + "..."
            self.passed_over.append(f"row {number:,} ('{shown}')")
            return True
        return False

    def build(self, number: int, cells: Cells, errors: list[RowError]) -> Record | None:
        """The row's record, or None for a row that is blank or has no name (then reported)."""
        if self._no_supplier(number, cells):
            return None
        values: dict[str, Any] = {}
        if len(cells) < self.width:  # trailing empty cells are often left out
            cells = [*cells, *([None] * (self.width - len(cells)))]
        blank = True
        start = len(errors)
        for index, target, label, parse, parsed, dated in self._steps:
            raw = cells[index]
            if raw == "" or raw is None:
                continue
            if parsed is not None and raw.__class__ is str:
                # Placeholders and formula errors are settled in the memo, once per text.
                value = parsed[raw]
                if value.__class__ is tuple:
                    value = list(value)
                elif value.__class__ is _Problem:
                    blank = blank and value.formula
                    errors.append(RowError(number, label, value.message))
                    continue
                elif value is _EMPTY:
                    continue
            else:
                try:
                    value = parse(raw, label)
                except n.CellProblem as problem:
                    # Placeholders and errors surface here, as parsers refuse them (rarely).
                    special = problem.text if isinstance(problem, _Special) else _special(raw)
                    if special in EXCEL_ERRORS:
                        errors.append(RowError(number, label, _formula_error(label, special)))
                    elif not special:
                        blank = False
                        errors.append(RowError(number, label, str(problem)))
                    continue
            blank = False
            if value is None:
                continue
            if target in values:  # several columns mapped to one field: first wins, lists add up
                if target in LIST_FIELDS:
                    values[target] = values[target] + [v for v in value if v not in values[target]]
                continue
            values[target] = value
            if dated and raw.__class__ is str:
                self.dates.note(label, target, raw, values)
        if self.note_columns:
            notes = self._notes(cells)
            if notes:
                blank = False
                values["notes"] = f"{values['notes']}\n{notes}" if "notes" in values else notes
        if blank:
            # A formula dragged below the data leaves rows of #N/A: blank rows, not problems.
            del errors[start:]
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
        contact = self._contact(number, values, errors) if self._contact_fields else None
        return Record(number, values, contact)

    def finish(self) -> list[str]:
        """After the last row: each date column read one way (see date_order); returns what
        the user should know."""
        return self.dates.settle(self.date_targets)

    def _notes(self, cells: Cells) -> str:
        lines = []
        size = len(cells)
        for index, label in self.note_columns:
            if index < size:
                text = n.cell_text(cells[index]).strip()
                if text and text not in SPECIAL:
                    lines.append(f"{label}: {text}")
        return "\n".join(lines)

    def _contact(self, number: int, values: dict[str, Any], errors: list[RowError]) -> dict | None:
        parts = {f: values.pop(f) for f in self._contact_fields if f in values}
        if not parts:
            return None
        name = parts.get("contact_name") or parts.get("contact_email")
        if not name and "contact_phone" in parts:
            # A phone with no person is the supplier's own line (CRM exports have one per
            # account): a contact of that name, so a later import matches it, not a note
            # that would overwrite the supplier's notes.
            name = MAIN_LINE
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
