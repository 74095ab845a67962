"""How many cells a reader would hold for a sheet, found before the reader allocates them.

calamine stores a sheet's used area densely (32 bytes a cell), and the used area runs from the
smallest to the largest row and column of any cell. A hostile sheet with a cell at A1 and one at
XFD1048576 asks for 512 GB and the process aborts (an allocation failure is not an exception).
The declared <dimension> is harmless (calamine ignores it); the cells' own references are not.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator

from defusedxml import ElementTree as SafeET

from planner.excel.errors import ImportRefused
from planner.excel.zip_guard import ARCHIVE_ERRORS, stream_member

_REL_IDS = {
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
}
# At every "<c" element start: either a reference worth a closer look (two or more column letters,
# or a row of six or more digits), or an element that does not start with a plain ' r="A..'
# reference at all (no reference, other quoting, odd spacing), which sends us to the exact scan.
# Plain references like r="N12345" never match, so a normal sheet costs one pass of a C loop.
_CELL = re.compile(rb'<c(?: r="([A-Za-z]{2,}[0-9]*|[A-Za-z][0-9]{6,})|(?! r="[A-Z])[\s/>])')
# Elements in a prefixed namespace ("<x:c ...>") are cells to calamine too.
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_REF = re.compile(r"^([A-Za-z]+)([0-9]*)$")
_OVERLAP = 64
_ERROR_TYPE = b't="e"'
_BELOW_100K = 99_999  # the largest row a reference of at most five digits can name


def column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - 64)
    return number


def sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The archive path of a worksheet's XML, resolved the way Excel and calamine resolve it."""
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, SafeET.ParseError, *ARCHIVE_ERRORS):
        return None
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet") and sheet.get("name") == sheet_name:
            # r:id in the transitional or the Strict (ISO 29500) relationships namespace
            rel_id = next((v for k, v in sheet.attrib.items() if k in _REL_IDS), None)
            target = targets.get(rel_id, "")
            if not target:
                return None
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return posixpath.normpath(path)
    return None


def xlsx_sheet_extent(
    archive: zipfile.ZipFile, part: str, max_cells: int, seen: set[str] | None = None
) -> tuple[int, int]:
    """(rows, columns) bounding the cells of the part, counted from A1 (an upper bound).

    The fast scan gives a bound; only when that bound is over `max_cells` (or the sheet is written
    unusually) do we pay for the exact scan, so a lone far-away cell in a small sheet is still read.
    "errors" is added to `seen` when the sheet may hold error cells (#N/A, #REF! ...), which
    calamine reads as empty.
    """
    seen = set() if seen is None else seen
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise ImportRefused(
            "corrupt", f"the workbook names a sheet part {part} it does not hold."
        ) from None
    fast = _fast_extent(stream_member(archive, info), seen)
    if fast is not None and fast[0] * fast[1] <= max_cells:
        return fast
    return _exact_extent(stream_member(archive, info), seen)


def _fast_extent(chunks: Iterable[bytes], seen: set[str] | None = None) -> tuple[int, int] | None:
    """None when the sheet is written unusually and needs the exact scan."""
    seen = set() if seen is None else seen
    max_col, max_row = 26, 0  # without two-letter references no cell lies beyond column Z
    tail = b""
    pending = iter(chunks)
    chunk = next(pending, None)
    while chunk is not None:
        following = next(pending, None)
        buffer = tail + chunk
        # A match in the last bytes may lack the context its pattern needs ('<c ' cut before
        # 'r='); the next buffer starts with those bytes and judges them whole.
        cutoff = len(buffer) - _OVERLAP if following is not None else len(buffer)
        tail = buffer[-_OVERLAP:]
        if _PREFIXED_CELL.search(buffer):
            return None
        if _ERROR_TYPE in buffer:
            seen.add("errors")
        for match in _CELL.finditer(buffer):
            if match.start() >= cutoff:
                break
            ref = match.group(1)
            if not ref:
                return None
            letters = ref.rstrip(b"0123456789")
            digits = ref[len(letters) :]
            max_col = max(max_col, column_number(letters.decode("ascii")))
            if len(digits) >= 6:
                max_row = max(max_row, int(digits))
        chunk = following
    return (max_row or _BELOW_100K), max_col


class _ChunkReader:
    """A file-like view of decompressed chunks, so the XML parser reads the vetted stream."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _exact_extent(chunks: Iterable[bytes], seen: set[str] | None = None) -> tuple[int, int]:
    """Follow calamine's positioning (a missing reference means next row / next column) and, like
    calamine, count only cells that hold something: styled empty cells are not stored."""
    seen = set() if seen is None else seen
    max_row = max_col = row = col = cell_row = 0
    try:
        for event, element in SafeET.iterparse(_ChunkReader(chunks), events=("start", "end")):
            name = _local(element.tag)
            if event == "end":
                if name == "c":
                    if len(element):
                        max_row, max_col = max(max_row, cell_row), max(max_col, col)
                    element.clear()
                elif name == "row":
                    element.clear()
                continue
            if name == "row":
                ref = element.get("r")
                row = int(ref) if ref and ref.isdigit() else row + 1
                col = 0
            elif name == "c":
                if element.get("t") == "e":
                    seen.add("errors")
                match = _REF.match(element.get("r") or "")
                if match:
                    col = column_number(match.group(1))
                    cell_row = int(match.group(2)) if match.group(2) else row
                else:
                    col, cell_row = col + 1, row
    except SafeET.ParseError as exc:
        raise ImportRefused("corrupt", f"a sheet's XML is damaged ({exc}).") from None
    except ValueError as exc:  # defusedxml's DTD/entity refusals derive from ValueError
        raise ImportRefused("xml_bomb", f"a sheet's XML declares entities ({exc}).") from None
    return max_row, max_col


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def ods_extents(archive: zipfile.ZipFile) -> list[tuple[int, int]]:
    """(rows, columns) of the used area of every table; repeated rows/cells count as many."""
    try:
        info = archive.getinfo("content.xml")
    except KeyError:
        raise ImportRefused("corrupt", "the OpenDocument file has no content.xml.") from None
    rows_attr, cols_attr = (
        f"{{{_TABLE}}}number-rows-repeated",
        f"{{{_TABLE}}}number-columns-repeated",
    )
    value_type = f"{{{_OFFICE}}}value-type"
    extents: list[tuple[int, int]] = []
    max_row = max_col = row = col = row_max_col = 0
    try:
        for event, element in SafeET.iterparse(
            _ChunkReader(stream_member(archive, info)), events=("start", "end")
        ):
            name = _local(element.tag)
            if event == "start":
                if name == "table":
                    max_row = max_col = row = 0
                elif name == "table-row":
                    col = row_max_col = 0
                continue
            if name in ("table-cell", "covered-table-cell"):
                repeat = _repeat(element.get(cols_attr))
                if element.get(value_type) or len(element):
                    row_max_col = col + repeat
                col += repeat
                element.clear()
            elif name == "table-row":
                repeat = _repeat(element.get(rows_attr))
                if row_max_col:
                    max_row, max_col = row + repeat, max(max_col, row_max_col)
                row += repeat
                element.clear()
            elif name == "table":
                extents.append((max_row, max_col))
                element.clear()
    except SafeET.ParseError as exc:
        raise ImportRefused("corrupt", f"the OpenDocument content is damaged ({exc}).") from None
    except ValueError as exc:
        raise ImportRefused(
            "xml_bomb", f"the OpenDocument content declares entities ({exc})."
        ) from None
    return extents


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1
