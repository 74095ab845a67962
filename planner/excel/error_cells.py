"""Error cells (#N/A, #REF!, #VALUE! ...) of an xlsx sheet, which calamine reads as empty.

A broken VLOOKUP in a country column would otherwise import as "no country" without a word.
The sheet's XML is scanned for them only when the extent scan saw an error-typed cell, so
sheets without errors (nearly all) pay nothing. The texts are put back into the rows, where
the record builder reports each as a cell problem.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from planner.excel.extent import column_number
from planner.excel.zip_guard import stream_member

# One error-typed cell with its cached value; the tempered dot stops at the cell's end.
_ERROR_CELL = re.compile(
    rb'<c\s(?=[^>]*\bt="e")[^>]*?\br="([A-Za-z]{1,3})([0-9]{1,7})"[^>]*>'
    rb"(?:(?!</c>).){0,40000}?<v>([^<]{1,40})</v>",
    re.S,
)
EXCEL_ERRORS = frozenset(
    "#N/A #VALUE! #REF! #DIV/0! #NUM! #NAME? #NULL! #SPILL! #CALC! #FIELD! #BLOCKED! "
    "#CONNECT! #BUSY! #UNKNOWN! #GETTING_DATA".split()
)


def xlsx_error_cells(archive: zipfile.ZipFile, part: str) -> dict[int, dict[int, str]]:
    """Row number -> {column number (1-based) -> error text} of the part's error cells."""
    found: dict[int, dict[int, str]] = {}
    carry = b""
    for chunk in stream_member(archive, archive.getinfo(part)):
        buffer = carry + chunk
        end = 0
        for match in _ERROR_CELL.finditer(buffer):
            text = match.group(3).decode("utf-8", "replace").strip()
            if text in EXCEL_ERRORS:
                row, col = int(match.group(2)), column_number(match.group(1).decode("ascii"))
                found.setdefault(row, {})[col] = text
            end = match.end()
        # A cell cut at the chunk's end is scanned again whole with the next chunk.
        start = buffer.rfind(b"<c", end)
        carry = buffer[start:] if start >= 0 else b""
    return found


def with_error_texts(
    rows: Iterator[tuple[int, list]], errors: dict[int, dict[int, str]], first_col: int
) -> Iterator[tuple[int, list]]:
    """The rows with each error cell's text where calamine left it empty."""
    for number, cells in rows:
        in_row = errors.get(number)
        if in_row:
            cells = list(cells)
            for col, text in in_row.items():
                index = col - 1 - first_col
                if 0 <= index < len(cells) and cells[index] in ("", None):
                    cells[index] = text
        yield number, cells
