"""Finding the header row (often below a title, a logo row or merged cells) and naming columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.excel.errors import ImportRefused
from planner.excel.mapping import guess_target, header_key
from planner.excel.normalise import cell_text
from planner.excel.reading import Cells, column_letter


@dataclass
class Header:
    row: int  # sheet row number of the header
    labels: list[str]  # one per column, unique: what mappings and errors call the column
    duplicates: set[int] = field(default_factory=set)  # columns whose header repeats an earlier one
    warnings: list[str] = field(default_factory=list)


def score(texts: list[str], known: frozenset[str]) -> int:
    """How many different headers of the row the import knows (qualified ones included)."""
    keys = {header_key(text): text for text in texts if text}
    return sum(1 for key, text in keys.items() if key in known or guess_target(text))


def sheet_score(
    rows: list[tuple[int, Cells]],
    first_col: int,
    merged: Iterable[tuple[tuple[int, int], tuple[int, int]]],
) -> int:
    """How much of a supplier list a sheet's best row names: its distinct supplier fields.
    Contact fields do not count, so a read-me's "Name | Role | E-mail" table or a sheet of
    contacts scores below the supplier sheet beside it."""
    merged = list(merged)
    by_number = dict(rows)
    best = 0
    for number, cells in rows:
        targets = {
            guess_target(t) for t in _filled(number, cells, by_number, first_col, merged) if t
        }
        best = max(best, len({t for t in targets if t and not t.startswith("contact_")}))
    return best


def find_header(
    rows: list[tuple[int, Cells]],
    known: frozenset[str],
    first_col: int,
    merged: Iterable[tuple[tuple[int, int], tuple[int, int]]],
    header_row: int | None = None,
    file_name: str = "the file",
) -> tuple[Header, int]:
    """The header and its index in `rows` (the first rows of the sheet, blank rows left out).

    The row matching the most known headers wins, the earlier one on a tie: a title such as
    'Supplier list 2025' matches nothing, so it never beats the real header below it. Rows are
    scored with merged cells filled in, so in a two-row header ('Company Name' merged down
    beside 'Contact Name | E-mail') the lower row, which names every column, wins.
    """
    merged = list(merged)
    by_number = dict(rows)
    texts = [_filled(number, cells, by_number, first_col, merged) for number, cells in rows]
    if header_row is not None:
        index = next((i for i, (number, _) in enumerate(rows) if number == header_row), None)
        if index is None:
            raise ImportRefused(
                "bad_options", f"row {header_row} of {file_name} is empty or beyond the first rows."
            )
    else:
        if not rows:
            raise ImportRefused("no_header", f"every row of {file_name} is empty.")
        scores = [score(t, known) for t in texts]
        best = max(scores, default=0)
        if best == 0:
            raise ImportRefused(
                "no_header",
                f"none of the first {len(rows)} non-empty rows of {file_name} has column headers "
                "such as 'Company Name', 'Country' or 'FEI Number'; choose the header row and "
                "map the columns yourself.",
            )
        index = scores.index(best)
    labels = _under_groups(rows[index][0], texts[index], by_number, first_col, merged)
    return _name_columns(rows[index][0], labels, rows[index + 1 :], first_col), index


def _under_groups(
    number: int,
    texts: list[str],
    by_number: dict[int, Cells],
    first_col: int,
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
) -> list[str]:
    """'Name' under a 'Contact' merged across several columns is 'Contact Name': the joined
    header means another field than the bare one (the supplier's name). Headers that mean the
    same either way ('E-mail') keep their own text."""
    texts = list(texts)
    for (top, left), (bottom, right) in merged:
        above = by_number.get(top + 1)
        if bottom + 2 != number or left == right or above is None:
            continue
        origin = left - first_col
        group = " ".join(cell_text(above[origin]).split()) if 0 <= origin < len(above) else ""
        for index in range(max(left - first_col, 0), min(right - first_col + 1, len(texts))):
            label = texts[index]
            if not (group and label) or label == group:
                continue
            joined = guess_target(f"{group} {label}")
            if joined and joined != guess_target(label):
                texts[index] = f"{group} {label}"
    return texts


def _filled(
    number: int,
    cells: Cells,
    by_number: dict[int, Cells],
    first_col: int,
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
) -> list[str]:
    """The row's texts, with cells covered by a merge from a row above given that merge's text."""
    texts = [" ".join(cell_text(value).split()) for value in cells]
    for (top, left), (bottom, right) in merged:
        source = by_number.get(top + 1)
        if not (top + 1 < number <= bottom + 1) or source is None:
            continue
        origin = left - first_col
        text = " ".join(cell_text(source[origin]).split()) if 0 <= origin < len(source) else ""
        for col in range(left, right + 1):
            index = col - first_col
            if 0 <= index < len(texts) and not texts[index]:
                texts[index] = text
    return texts


def _name_columns(
    number: int, texts: list[str], below: list[tuple[int, Cells]], first_col: int
) -> Header:
    # Columns run as far as the header or the first data rows use them (calamine pads every row
    # to the sheet's full width).
    width = max([_used_width(texts)] + [_used_width(c) for _, c in below[:50]])
    header = Header(row=number, labels=[])
    first_by_key: dict[str, int] = {}
    used: set[str] = set()
    for index in range(width):
        text = texts[index] if index < len(texts) else ""
        letter = column_letter(first_col + index)
        label = text or f"Column {letter}"
        key = header_key(text) if text else ""
        if key and key in first_by_key:
            first = first_by_key[key]
            header.duplicates.add(index)
            header.warnings.append(
                f"Columns {column_letter(first_col + first)} and {letter} are both headed "
                f"'{header.labels[first]}'; only column {column_letter(first_col + first)} is "
                "mapped automatically."
            )
        elif key:
            first_by_key[key] = index
        if label in used:
            label = f"{label} ({letter})"
        used.add(label)
        header.labels.append(label)
    return header


def _used_width(cells: Cells) -> int:
    width = len(cells)
    while width and not cell_text(cells[width - 1]).strip():
        width -= 1
    return width
