"""Which column feeds which supplier field: the synonym table (data in resources/import/) and
automatic mapping; the user may correct the result and save it as a profile."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from planner.domain.names import fold
from planner.excel.errors import ImportRefused
from planner.resource_files import resource

TARGET_FIELDS: list[tuple[str, str]] = [
    ("name", "Name"),
    ("legal_name", "Legal name"),
    ("parent_company", "Parent company"),
    ("country", "Country"),
    ("city", "City"),
    ("address", "Address"),
    ("website", "Website"),
    ("fei_number", "FEI number"),
    ("duns_number", "DUNS number"),
    ("capabilities", "Capabilities"),
    ("dosage_forms", "Dosage forms"),
    ("certifications", "Certifications"),
    ("last_inspection_date", "Last inspection date"),
    ("last_inspection_outcome", "Last inspection outcome"),
    ("capacity_notes", "Capacity notes"),
    ("ownership_change_date", "Ownership change date"),
    ("notes", "Notes"),
    ("contact_name", "Contact name"),
    ("contact_role", "Contact role"),
    ("contact_email", "Contact email"),
    ("contact_phone", "Contact phone"),
]
TARGET_LABELS = dict(TARGET_FIELDS)


def header_key(text: str) -> str:
    """'FEI #' -> 'fei', 'E-mail' -> 'email', 'Country/Region' -> 'countryregion'."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Synonyms:
    fields: dict[str, str]  # header key -> target field
    recognised: frozenset[str]  # header keys known to occur, with no target field
    # Synonyms of two or more words, as word sets: "Last FDA Inspection Date" holds every word
    # of "Last Inspection Date".
    phrases: tuple[tuple[frozenset[str], int, str], ...] = ()  # (words, word count, field)

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self.fields) | self.recognised


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    data = json.loads(resource("import", "synonyms.json").read_text(encoding="utf-8"))
    fields: dict[str, str] = {}
    phrases: dict[frozenset[str], str] = {}
    for target, headers in data["fields"].items():
        if target not in TARGET_LABELS:
            raise ValueError(f"synonyms.json names an unknown field {target!r}")
        for header in headers:
            fields.setdefault(header_key(header), target)
            words = fold(header).split()
            if len(words) >= 2:
                phrases.setdefault(frozenset(words), target)
    return Synonyms(
        fields,
        frozenset(header_key(h) for h in data.get("recognised", ())),
        tuple((words, len(words), target) for words, target in phrases.items()),
    )


# "FEI Number (FDA)", "DUNS # [9 digits]": a qualifier in brackets says nothing about the field.
_QUALIFIER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# "Supplier Country", "Vendor Website": the entity a column belongs to, before the field; and
# "Billing Country", "Main Phone" (CRM exports): which of the entity's addresses or lines.
_ENTITY_WORDS = frozenset(
    "supplier vendor company site manufacturer cmo cdmo firm establishment facility partner "
    "organisation organization billing shipping mailing postal physical business main "
    "primary hq headquarters".split()
)


def guess_target(label: str) -> str:
    """The field a header means: by synonym; else without bracketed qualifiers or a leading
    'Supplier'/'Vendor'...; else the longest several-word synonym all of whose words the header
    holds (one such field, or none when two fit equally well). '' for no field."""
    table = synonyms()
    key = header_key(label)
    if key in table.fields:
        return table.fields[key]
    if not key or key in table.recognised:
        return ""
    words = fold(_QUALIFIER.sub(" ", label)).split()
    candidates = [words, words[1:] if words and words[0] in _ENTITY_WORDS else []]
    for candidate in candidates:
        found = table.fields.get("".join(candidate)) if candidate else None
        if found:
            return found
    present = set(words)
    fits = [(size, target) for phrase, size, target in table.phrases if phrase <= present]
    if not fits:
        return ""
    longest = max(size for size, _ in fits)
    targets = {target for size, target in fits if size == longest}
    return targets.pop() if len(targets) == 1 else ""


def header_signature(labels: list[str]) -> str:
    """Identifies a file layout: the same normalised headers in the same order."""
    joined = "\n".join(header_key(label) for label in labels)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def numeric_columns(rows: list[list[Any]]) -> set[int]:
    """Columns whose values in `rows` (the first data rows) are all numbers or digits: an SAP
    "Vendor" column of vendor numbers is no supplier name."""
    found: dict[int, bool] = {}
    for cells in rows:
        for index, value in enumerate(cells):
            if value is None or value == "" or found.get(index) is False:
                continue
            digits = (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
                isinstance(value, str) and value.strip().isdigit()
            )
            found[index] = digits
    return {index for index, digits in found.items() if digits}


def auto_map(
    labels: list[str], duplicates: set[int], numeric: set[int] = frozenset()
) -> tuple[dict[str, str], list[str]]:
    """Map each header to a field by synonym; a field goes to its first column only.

    `duplicates` are column indexes whose header repeats an earlier one: never auto-mapped.
    `numeric` are columns holding only numbers (see numeric_columns): never the name.
    """
    mapping: dict[str, str] = {}
    claimed: dict[str, str] = {}
    warnings: list[str] = []
    for index, label in enumerate(labels):
        target = "" if index in duplicates else guess_target(label)
        if target in ("name", "legal_name") and index in numeric:
            warnings.append(f"'{label}' holds numbers, not names; it is not used as the name.")
            target = ""
        if target and target in claimed:
            warnings.append(
                f"'{claimed[target]}' and '{label}' both look like {TARGET_LABELS[target]}; "
                f"only '{claimed[target]}' is used."
            )
            target = ""
        if target:
            claimed[target] = label
        mapping[label] = target
    return mapping, warnings


def merge_mapping(
    labels: list[str],
    duplicates: set[int],
    given: dict[str, str] | None,
    numeric: set[int] = frozenset(),
) -> tuple[dict[str, str], list[str]]:
    """The user's mapping wins for the headers it names; other headers are mapped automatically
    unless their field is already taken. Unknown fields are refused, unknown headers reported."""
    # A column the user maps needs no word on what the guess would have made of it.
    numeric = {i for i in numeric if i >= len(labels) or labels[i] not in (given or {})}
    auto, warnings = auto_map(labels, duplicates, numeric)
    if not given:
        return auto, warnings
    bad = sorted({t for t in given.values() if t and t not in TARGET_LABELS})
    if bad:
        raise ImportRefused(
            "bad_options",
            f"unknown target field(s) {', '.join(bad)}; use one of {', '.join(TARGET_LABELS)}.",
        )
    missing = [label for label in given if label not in auto]
    if missing:
        warnings = [*warnings, f"The mapping names headers the sheet lacks: {', '.join(missing)}."]
    taken = {t for label, t in given.items() if t and label in auto}
    mapping = {
        label: given[label] if label in given else ("" if auto[label] in taken else auto[label])
        for label in labels
    }
    return mapping, warnings
