"""What the importer tells the user: a refusal of the whole file, or a problem in one cell or row."""

from __future__ import annotations

from dataclasses import dataclass

# Category -> the label that starts the one-line message (the CLI prints it, the GUI shows it).
CATEGORIES = {
    "not_found": "File not found",
    "empty": "Empty file",
    "not_spreadsheet": "Not a spreadsheet",
    "encrypted": "Encrypted file",
    "corrupt": "Damaged file",
    "unsupported": "Unsupported format",
    "too_big": "File too big",
    "zip_bomb": "Zip bomb",
    "xml_bomb": "XML bomb",
    "sheet_too_large": "Sheet too large",
    "too_many_rows": "Too many rows",
    "oversized_cell": "Oversized cell",
    "no_sheet": "Sheet not found",
    "no_header": "No recognisable header",
    "no_name_column": "No name column",
    "bad_options": "Invalid import settings",
    "unreadable": "Unreadable file",
}


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing was written. `str()` is one line for the user."""

    def __init__(self, category: str, reason: str) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"unknown refusal category {category!r}")
        self.category = category
        self.reason = " ".join(reason.split())  # one line, whatever the reason quoted
        super().__init__(f"{CATEGORIES[category]}: {self.reason}")


@dataclass(frozen=True)
class RowError:
    """A problem the user can fix in the file: `row` is the sheet row number as Excel shows it."""

    row: int
    column: str  # the source header text; "" when the problem concerns the whole row
    message: str
