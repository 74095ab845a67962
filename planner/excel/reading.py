"""One way to read any supported file: vet it, then hand out a sheet's non-empty rows.

Every check that protects memory runs before calamine sees the file (see `extent`, `biff`,
`zip_guard`). calamine's failures, including Rust panics (which derive from BaseException),
become `ImportRefused`; only KeyboardInterrupt and SystemExit pass through.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from planner.excel import csv_reading
from planner.excel.biff import scan_workbook_stream
from planner.excel.cfb import CfbError, CompoundFile
from planner.excel.error_cells import with_error_texts, xlsx_error_cells
from planner.excel.errors import ImportRefused
from planner.excel.extent import ods_extents, sheet_part, xlsx_sheet_extent
from planner.excel.limits import ImportLimits
from planner.excel.sniff import sniff
from planner.excel.zip_guard import check_xml_parts, open_archive

_T = TypeVar("_T")
_is_text = str.__instancecheck__
# Characters that show nothing and only get in the way of matching: zero-width space, word
# joiner, soft hyphen, BOM, and the direction marks and embeddings that right-to-left exports
# wrap names in. The zero-width joiners (U+200C, U+200D) stay: Persian and Indic words and
# emoji need them.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
Cells = list[Any]
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class SheetRows:
    sheet: str
    first_col: int  # sheet column (0-based) of cells[0]: calamine trims empty columns on the left
    merged: list[tuple[tuple[int, int], tuple[int, int]]]  # 0-based (row, col) corners
    rows: Iterator[tuple[int, Cells]]  # (row number as Excel shows it, cells); blank rows left out
    total_rows: int  # for progress; an estimate for CSV
    notes: list[str] = field(default_factory=list)  # filled while `rows` is consumed


class Workbook:
    def __init__(self, path: Path, limits: ImportLimits) -> None:
        self.path = path
        self.limits = limits
        self.kind = sniff(path, limits)
        self._archive: zipfile.ZipFile | None = None
        self._book: Any = None
        self.sheets: list[str] = [path.stem]
        self.default_sheet = path.stem
        self.hidden: set[str] = set()
        if self.kind == "csv":
            self._encoding, self._lines = csv_reading.detect_encoding(path)
            return
        try:
            self._vet()
            self._open_calamine()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None
        if self._book is not None:
            book, self._book = self._book, None
            try:
                book.close()
            except Exception:  # already closed or never fully opened: nothing to release
                pass

    def rows(self, sheet: str | None = None) -> SheetRows:
        sheet = sheet or self.default_sheet
        if sheet not in self.sheets:
            raise ImportRefused(
                "no_sheet",
                f"{self.path.name} has no sheet named '{sheet}' (sheets: {', '.join(self.sheets)}).",
            )
        if self.kind == "csv":
            return self._csv_rows(sheet)
        return self._calamine_rows(sheet)

    # -- vetting ---------------------------------------------------------------------------------

    def _vet(self) -> None:
        name, limits = self.path.name, self.limits
        if self.kind in ("xlsx", "ods"):
            self._archive = open_archive(self.path, limits)
            check_xml_parts(self._archive, name)
            if self.kind == "ods":
                self._check_cells(sum(r * c for r, c in ods_extents(self._archive)), "its sheets")
        elif self.kind == "xls":
            try:
                book = CompoundFile(self.path.read_bytes())
                names = book.stream_names()
                stream = book.read_stream("Workbook" if "Workbook" in names else "Book")
            except (CfbError, ValueError, IndexError) as exc:
                raise ImportRefused("corrupt", f"{name} is a damaged .xls file ({exc}).") from None
            extent = scan_workbook_stream(stream)
            if extent.encrypted:
                raise ImportRefused(
                    "encrypted",
                    f"{name} is password protected; open it in Excel, remove the password and "
                    "save it as .xlsx.",
                )
            self._check_cells(extent.total_cells, "its sheets")

    def _check_cells(self, cells: int, what: str, shape: str = "") -> None:
        if cells > self.limits.max_cells:
            raise ImportRefused(
                "sheet_too_large",
                f"the cells of {what} in {self.path.name} span {shape or f'{cells:,} cells'} "
                f"(limit {self.limits.max_cells:,} cells); delete stray cells far from the data.",
            )

    def _open_calamine(self) -> None:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        if self.path.suffix.lower() in _SUFFIXES[self.kind]:
            self._book = guarded(lambda: CalamineWorkbook.from_path(str(self.path)), self.path.name)
        else:  # misnamed: let calamine choose the reader from the content
            with self.path.open("rb") as handle:
                self._book = guarded(lambda: CalamineWorkbook.from_filelike(handle), self.path.name)
        metadata = guarded(lambda: self._book.sheets_metadata, self.path.name)
        sheets = [m for m in metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not sheets:
            raise ImportRefused("no_sheet", f"{self.path.name} has no worksheet.")
        self.sheets = [m.name for m in sheets]
        visible = [m.name for m in sheets if m.visible == SheetVisibleEnum.Visible]
        self.hidden = set(self.sheets) - set(visible)
        self.default_sheet = (visible or self.sheets)[0]

    # -- rows ------------------------------------------------------------------------------------

    def _calamine_rows(self, sheet: str) -> SheetRows:
        name = self.path.name
        errors: dict[int, dict[int, str]] = {}
        if self.kind == "xlsx":
            assert self._archive is not None
            part = sheet_part(self._archive, sheet)
            if part is None:
                raise ImportRefused(
                    "corrupt", f"{name}: the data of sheet '{sheet}' cannot be located."
                )
            seen: set[str] = set()
            rows, cols = xlsx_sheet_extent(self._archive, part, self.limits.max_cells, seen)
            self._check_cells(rows * cols, f"sheet '{sheet}'", f"{rows:,} rows x {cols:,} columns")
            if "errors" in seen:
                errors = xlsx_error_cells(self._archive, part)
        data = guarded(lambda: self._book.get_sheet_by_name(sheet), name)
        start = guarded(lambda: data.start, name)
        end = guarded(lambda: data.end, name)
        merged = guarded(lambda: data.merged_cell_ranges, name) or []
        notes: list[str] = []
        source = _calamine_iter(data, name)
        if errors:
            source = with_error_texts(source, errors, start[1] if start else 0)
        last_row = end[0] + 1 if end else 0
        return SheetRows(
            sheet=sheet,
            first_col=start[1] if start else 0,
            merged=list(merged),
            rows=_vetted(source, self.limits, name, notes, last_row, start[1] if start else 0),
            total_rows=last_row,
            notes=notes,
        )

    def _csv_rows(self, sheet: str) -> SheetRows:
        sample = csv_reading.read_sample(self.path, self._encoding)
        delimiter = csv_reading.detect_delimiter(sample)
        records = csv_reading.iter_csv(self.path, self._encoding, delimiter)
        notes: list[str] = []
        numbered = ((number, cells) for number, cells in enumerate(records, start=1))
        return SheetRows(
            sheet=sheet,
            first_col=0,
            merged=[],
            rows=_vetted(numbered, self.limits, self.path.name, notes, None, 0),
            total_rows=self._lines,
        )


def guarded(call: Callable[[], _T], name: str) -> _T:
    try:
        return call()
    except ImportRefused:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's Rust panics are BaseExceptions
        raise refusal(exc, name) from None


def refusal(exc: BaseException, name: str) -> ImportRefused:
    kind = type(exc).__name__
    text = " ".join(str(exc).split())[:200] or kind
    if kind == "PasswordError":
        return ImportRefused("encrypted", f"{name} is password protected ({text}).")
    if kind == "WorksheetNotFound":
        return ImportRefused("no_sheet", f"{name}: {text}.")
    if kind == "XmlError" and "entity" in text.lower():
        return ImportRefused("xml_bomb", f"{name} uses undeclared XML entities ({text}).")
    if isinstance(exc, MemoryError):
        return ImportRefused("sheet_too_large", f"{name} needs more memory than is available.")
    if kind == "PanicException":
        return ImportRefused("corrupt", f"the spreadsheet reader failed on {name} ({text}).")
    if isinstance(exc, OSError):
        return ImportRefused("unreadable", f"{name} cannot be read ({text}).")
    return ImportRefused("corrupt", f"{name} cannot be read as a spreadsheet ({text}).")


def _calamine_iter(data: Any, name: str) -> Iterator[tuple[int, Cells]]:
    rows = guarded(data.iter_rows, name)
    number = 0
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - see guarded()
            raise refusal(exc, name) from None
        number += 1  # calamine's rows start at the sheet's first row, even when it is empty
        yield number, cells


def _vetted(
    source: Iterator[tuple[int, Cells]],
    limits: ImportLimits,
    name: str,
    notes: list[str],
    last_row: int | None,
    first_col: int,
) -> Iterator[tuple[int, Cells]]:
    """Non-blank rows, refusing oversized cells and too many rows; in a workbook, a long run of
    empty rows ends the data (a sheet may reach row 1,048,576 with one stray cell)."""
    seen = empty_run = 0
    cap = limits.max_rows + limits.header_search_rows
    max_chars = limits.max_cell_chars
    for number, cells in source:
        if not any(cells) and all(value == "" or value is None for value in cells):
            if seen and last_row is not None:
                empty_run += 1
                if empty_run >= limits.max_empty_run:
                    if last_row > number:
                        notes.append(
                            f"Reading stopped at row {number:,} after {empty_run:,} empty rows; "
                            f"cells further down (to row {last_row:,}) were ignored."
                        )
                    return
            continue
        empty_run = 0
        seen += 1
        if seen > cap:
            raise ImportRefused(
                "too_many_rows",
                f"{name} has more than {limits.max_rows:,} rows (the import limit).",
            )
        # The joined length bounds every cell's, and is cheaper to get than each cell's length.
        text = "".join(filter(_is_text, cells))
        if not text.isascii() and _INVISIBLE.search(text):
            cells = [_INVISIBLE.sub("", v) if v.__class__ is str else v for v in cells]
        if (
            len(text) > max_chars
            and max([len(v) for v in cells if v.__class__ is str], default=0) > max_chars
        ):
            index, value = next(
                (i, v) for i, v in enumerate(cells) if v.__class__ is str and len(v) > max_chars
            )
            raise ImportRefused(
                "oversized_cell",
                f"cell {column_letter(first_col + index)}{number} of {name} holds "
                f"{len(value):,} characters (Excel's limit is {max_chars:,}).",
            )
        yield number, cells
