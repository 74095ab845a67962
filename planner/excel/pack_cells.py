"""How the pack's cells are written and dressed: text that stays text, styles, print setup.

`put` is the only way a value enters a pack sheet. Strings are cleaned (`clean_text`) and
stored with data type "s" set *after* the assignment, because openpyxl turns any string starting
with "=" into a formula when it is assigned; strings a spreadsheet would read as a formula or a
number sign (=, +, -, @) also get the quote prefix, so editing the cell in Excel keeps it text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.worksheet import Worksheet

from planner.excel.pack_layout import column_letter
from planner.reports.pack_content import clean_text

MAX_CELL = 32_767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\n")
# Excel's limits: row height in points, header/footer text in characters (codes included).
MAX_ROW_HEIGHT = 409
MAX_HEADER_TEXT = 240
LINE_HEIGHT = 15.0

INK = "1F2A44"
ACCENT = "2F5597"
_THIN = Side(style="thin", color="B4BCCB")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


@dataclass(frozen=True)
class Look:
    font: Font
    fill: PatternFill | None = None
    wrap: bool = True
    border: bool = False
    number_format: str = "General"
    horizontal: str | None = None
    locked: bool = True


TITLE = Look(Font(name="Calibri", size=18, bold=True, color=INK), wrap=False)
SUBTITLE = Look(Font(name="Calibri", size=12, color=ACCENT), wrap=False)
NOTE = Look(Font(name="Calibri", size=10, italic=True, color="44546A"))
HEADING = Look(Font(name="Calibri", size=12, bold=True, color=INK), wrap=False)
HEADER = Look(
    Font(name="Calibri", size=11, bold=True, color="FFFFFF"),
    PatternFill("solid", fgColor=ACCENT),
    border=True,
)
LABEL = Look(Font(name="Calibri", size=11, bold=True, color=INK))
BODY = Look(Font(name="Calibri", size=11), border=True)
PLAIN = Look(Font(name="Calibri", size=11))
PLAIN_DATE = Look(PLAIN.font, wrap=False, number_format="d mmmm yyyy", horizontal="left")
NUMBER = Look(Font(name="Calibri", size=11), border=True, number_format="0.0", horizontal="right")
INTEGER = Look(Font(name="Calibri", size=11), border=True, number_format="0", horizontal="right")
DATE = Look(Font(name="Calibri", size=11), border=True, number_format="d mmm yyyy")
INPUT = Look(
    Font(name="Calibri", size=11, color="000000"),
    PatternFill("solid", fgColor="FFF2CC"),
    border=True,
    locked=False,
)
INPUT_DATE = Look(INPUT.font, INPUT.fill, border=True, number_format="yyyy-mm-dd", locked=False)
NOT_ASKED = Look(Font(name="Calibri", size=11), PatternFill("solid", fgColor="E7E6E6"), border=True)


def put(ws: Worksheet, row: int, column: int, value: object, look: Look = BODY) -> Cell:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = clean_text(value, MAX_CELL)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif value is None or isinstance(value, bool | int | float | date):
        cell.value = value
    else:
        raise TypeError(f"a pack cell takes text, numbers or dates, not {type(value).__name__}")
    cell.font = look.font
    if look.fill is not None:
        cell.fill = look.fill
    if look.border:
        cell.border = _GRID
    cell.alignment = Alignment(wrap_text=look.wrap, vertical="top", horizontal=look.horizontal)
    cell.number_format = look.number_format
    cell.protection = Protection(locked=look.locked)
    return cell


def put_row(ws: Worksheet, row: int, values: Sequence[object], look: Look = BODY) -> None:
    for column, value in enumerate(values, start=1):
        put(ws, row, column, value, look)


def fit_height(ws: Worksheet, row: int, widths: Sequence[float]) -> None:
    """Set the row tall enough for its wrapped text. Not every program re-measures wrapped rows
    on opening, so the writer estimates (about one character per unit of column width)."""
    lines = 1
    for column, width in enumerate(widths, start=1):
        value = ws.cell(row=row, column=column).value
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1.0, width - 1.5)
        wrapped = sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))
        lines = max(lines, wrapped)
    if lines > 1:
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + 3)


def header_text(text: str) -> str:
    """Header/footer text: '&' starts a formatting code there, so a literal one is doubled."""
    cleaned = " ".join(clean_text(text).split())
    if len(cleaned) > MAX_HEADER_TEXT // 2:
        cleaned = cleaned[: MAX_HEADER_TEXT // 2 - 1] + "…"
    return cleaned.replace("&", "&&")


def finish_sheet(
    ws: Worksheet,
    widths: Sequence[float],
    notice: str,
    header_row: int | None,
    tab_color: str | None = None,
) -> None:
    """Column widths, frozen header, print setup (A4 landscape, fit to one page wide, header row
    repeated, confidentiality notice in the page header) and sheet protection."""
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[column_letter(column)].width = width
    if header_row is not None:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.oddHeader.center.text = header_text(notice)
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = 9
    ws.sheet_view.showGridLines = False
    if tab_color:
        ws.sheet_properties.tabColor = tab_color
    protect(ws)


def protect(ws: Worksheet) -> None:
    """Protected without a password: it stops accidental edits; the reader notices the others.
    Column widths and row heights stay adjustable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
