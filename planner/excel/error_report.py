"""The row errors of an import as an .xlsx the user can filter and fix their file from."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from planner.excel.errors import RowError

_HEADERS = ("Row", "Column", "Problem")


def write_error_report(errors: list[RowError], path: str | os.PathLike[str]) -> None:
    """Written atomically (a temp file renamed into place), every text cell as text: error
    messages quote the user's values, and '=HYPERLINK(...)' must not become a live formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    target = Path(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Import errors")
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 90
    sheet.freeze_panes = "A2"

    def text_cell(value: str, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never "f", whatever the text starts with
        if bold:
            cell.font = Font(bold=True)
        return cell

    sheet.append([text_cell(h, bold=True) for h in _HEADERS])
    for error in errors:
        sheet.append([error.row, text_cell(error.column), text_cell(error.message)])
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=".xlsx.tmp", dir=target.parent or "."
    )
    os.close(handle)
    try:
        workbook.save(temp_name)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
