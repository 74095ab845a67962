"""A minimal legacy Excel (.xls, BIFF8) writer for tests: one sheet of text and numbers.

No .xls writer ships with the project, and calamine only reads; this writes just enough of an
OLE compound file and a BIFF8 stream for calamine (and our pre-checks) to read it.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

_END, _FREE, _FAT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _cell(row: int, col: int, value: str | float) -> bytes:
    if isinstance(value, str):
        text = value.encode("latin-1")
        return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 0) + text)
    return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))


def workbook_stream(
    rows: Sequence[Sequence[str | float | None]],
    sheet: str = "Suppliers",
    far_cell: tuple[int, int] | None = None,
    encrypted: bool = False,
) -> bytes:
    name = sheet.encode("latin-1")
    globals_without_sheet = _bof(0x0005) + (_record(0x002F, b"\x00\x00") if encrypted else b"")
    boundsheet_size = 4 + 6 + 2 + len(name)
    eof = _record(0x000A, b"")
    sheet_offset = len(globals_without_sheet) + boundsheet_size + len(eof)
    boundsheet = _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(name), 0) + name)
    cells = b"".join(
        _cell(r, c, value)
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if value not in (None, "")
    )
    if far_cell:
        cells += _cell(far_cell[0], far_cell[1], 1.0)
    stream = globals_without_sheet + boundsheet + eof + _bof(0x0010) + cells + eof
    return stream + b"\x00" * max(0, 4096 - len(stream))  # >= 4096: no mini stream needed


def _entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", _NONE, _NONE, child)
        + b"\x00" * 16
        + struct.pack("<IQQ", 0, 0, 0)
        + struct.pack("<IQ", start, size)
    )


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE file holding the given streams (each >= 4096 bytes), version 3, one FAT sector."""
    data_sectors: list[bytes] = []
    entries = [b""]
    fat = [_FAT, _END]
    next_sector = 2
    for index, (name, data) in enumerate(streams.items()):
        count = -(-len(data) // _SECTOR)
        chain = list(range(next_sector + 1, next_sector + count)) + [_END]
        fat += chain
        entries.append(_entry(name, 2, _NONE, next_sector, len(data)))
        data_sectors.append(data.ljust(count * _SECTOR, b"\x00"))
        next_sector += count
        if index:  # siblings: chain the entries to the right of each other
            previous = entries[index]
            entries[index] = previous[:68] + struct.pack("<I", index + 1) + previous[72:]
    entries[0] = _entry("Root Entry", 5, 1, _END, 0)
    if len(fat) > _SECTOR // 4 or len(entries) > 4:
        raise ValueError("test writer keeps to one FAT and one directory sector")
    directory = b"".join(entries).ljust(_SECTOR, b"\x00")
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(_SECTOR, b"\xff")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([_FREE] * 108))
    )
    return header + fat_sector + directory + b"".join(data_sectors)


def write_xls(path: Path, rows: Sequence[Sequence[str | float | None]], **options: object) -> Path:
    path.write_bytes(compound_file({"Workbook": workbook_stream(rows, **options)}))  # type: ignore[arg-type]
    return path
