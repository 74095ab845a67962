"""Cell extent and encryption of legacy .xls (BIFF5/8) workbooks, read before calamine opens them.

calamine parses every sheet of an .xls at open and stores each sheet's used area densely, so a
5 KB file with one cell at IV65536 costs half a gigabyte per sheet. Reading the cell records'
row/column numbers here is cheap and tells us the area before any of that is allocated.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

_BOF = {0x0809, 0x0409, 0x0209, 0x0009}
_EOF = 0x000A
_FILEPASS = 0x002F
# Records that hold a value at (row, col): FORMULA, LABELSST, NUMBER, RK, BOOLERR, LABEL, RSTRING.
# BLANK/MULBLANK are formatting only and calamine does not store them.
_CELL = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6}
_MULRK = 0x00BD


@dataclass
class BiffExtent:
    encrypted: bool = False
    # (rows, columns) of the used area of every worksheet, in stream order.
    sheets: list[tuple[int, int]] = field(default_factory=list)

    @property
    def total_cells(self) -> int:
        return sum(rows * cols for rows, cols in self.sheets)


def scan_workbook_stream(stream: bytes) -> BiffExtent:
    extent = BiffExtent()
    pos, end = 0, len(stream)
    max_row = max_col = -1
    in_sheet = False
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if kind in _BOF:
            in_sheet, max_row, max_col = True, -1, -1
        elif kind == _EOF:
            if in_sheet and max_row >= 0:
                extent.sheets.append((max_row + 1, max_col + 1))
            in_sheet = False
        elif kind == _FILEPASS:
            extent.encrypted = True
            return extent
        elif in_sheet and length >= 4 and (kind in _CELL or kind == _MULRK):
            row, col = struct.unpack_from("<HH", stream, body)
            if kind == _MULRK and length >= 6:
                col = max(col, struct.unpack_from("<H", stream, pos - 2)[0])
            max_row, max_col = max(max_row, row), max(max_col, col)
    if in_sheet and max_row >= 0:
        extent.sheets.append((max_row + 1, max_col + 1))
    return extent
