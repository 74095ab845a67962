"""Formula errors in xlsx cells, which calamine reads as empty."""

from __future__ import annotations

import zipfile

from planner.excel import zip_guard
from planner.excel.error_cells import xlsx_error_cells
from tests.excel.builders import sheet_xml, text_cell, write_raw_xlsx


def error_cell(ref: str, text: str, formula: str = "") -> str:
    body = f"<f>{formula}</f>" if formula else ""
    return f'<c r="{ref}" t="e">{body}<v>{text}</v></c>'


def test_every_error_cell_is_found_across_chunk_boundaries(tmp_path, monkeypatch) -> None:
    # Small decompression chunks, so cells are cut at many places; an error in every 97th row.
    monkeypatch.setattr(zip_guard, "CHUNK", 1000)
    rows, expected = [], {}
    for r in range(1, 6001):
        cells = text_cell(f"A{r}", f"Supplier number {r} " + "x" * 40)
        if r % 97 == 0:
            cells += error_cell(f"B{r}", "#N/A", "VLOOKUP(Z1,Z:Z,2,0)")
            expected[r] = {2: "#N/A"}
        rows.append(f'<row r="{r}">{cells}</row>')
    path = write_raw_xlsx(tmp_path / "e.xlsx", sheet_xml("".join(rows), "A1:B6000"))
    with zipfile.ZipFile(path) as archive:
        assert xlsx_error_cells(archive, "xl/worksheets/sheet1.xml") == expected


def test_a_non_error_value_in_an_error_cell_is_ignored(tmp_path) -> None:
    xml = sheet_xml('<row r="1">' + error_cell("C1", "not an error") + "</row>", "C1")
    path = write_raw_xlsx(tmp_path / "odd.xlsx", xml)
    with zipfile.ZipFile(path) as archive:
        assert xlsx_error_cells(archive, "xl/worksheets/sheet1.xml") == {}
