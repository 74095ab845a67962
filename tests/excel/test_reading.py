"""Reader-level checks: extent scans, defusedxml, the error report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.excel import check_defusedxml
from planner.excel.errors import RowError
from planner.excel.extent import _exact_extent, _fast_extent, column_number
from planner.excel.limits import ImportLimits
from planner.excel.reading import Workbook, column_letter
from planner.services.import_suppliers import write_error_report
from tests.excel.builders import HEADER_AND_ONE_ROW, sheet_xml, text_cell, write_raw_xlsx


def test_defusedxml_is_active() -> None:
    check_defusedxml()


def test_defusedxml_missing_is_refused(monkeypatch) -> None:
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        check_defusedxml()


def test_column_letters_round_trip() -> None:
    for index in (0, 25, 26, 701, 702, 16383):
        assert column_number(column_letter(index)) == index + 1
    assert column_letter(16383) == "XFD"


def chunks(xml: str, size: int) -> list[bytes]:
    data = xml.encode()
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.mark.parametrize("size", [7, 64, 1000, 10**6])
def test_fast_and_exact_scans_agree_across_chunk_boundaries(size: int) -> None:
    rows = "".join(
        f'<row r="{r}">' + text_cell(f"A{r}", "x") + text_cell(f"AB{r}", "y") + "</row>"
        for r in range(1, 40)
    )
    xml = sheet_xml(rows + '<row r="123456"><c r="C123456"><v>1</v></c></row>')
    assert _fast_extent(chunks(xml, size)) == (123456, 28)
    assert _exact_extent(chunks(xml, size)) == (123456, 28)


def test_cells_without_references_go_to_the_exact_scan() -> None:
    xml = sheet_xml(
        "<row>" + "<c><v>1</v></c>" * 30 + '</row><row><c t="inlineStr"><is><t>a</t></is></c></row>'
    )
    assert _fast_extent(chunks(xml, 50)) is None
    assert _exact_extent(chunks(xml, 50)) == (2, 30)


def test_styled_empty_cells_do_not_count_in_the_exact_scan() -> None:
    xml = sheet_xml(HEADER_AND_ONE_ROW + '<row r="900000"><c r="XFD900000" s="1"/></row>')
    assert _exact_extent(chunks(xml, 4096)) == (2, 2)


def test_far_styled_cell_is_read_not_refused(tmp_path: Path) -> None:
    xml = sheet_xml(HEADER_AND_ONE_ROW + '<row r="900000"><c r="XFD900000" s="1"/></row>')
    path = write_raw_xlsx(tmp_path / "styled.xlsx", xml)
    with Workbook(path, ImportLimits()) as book:
        rows = book.rows()
        assert [cells[:2] for _, cells in rows.rows] == [
            ["Company Name", "Country"],
            ["Acme Pharma", "DE"],
        ]


def test_zip_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    from planner.excel.errors import ImportRefused

    path = write_raw_xlsx(tmp_path / "liar.xlsx", sheet_xml(HEADER_AND_ONE_ROW))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Shrink the declared size in the central directory; the data stays as it is.
    name = info.filename.encode()
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused) as refused, Workbook(path, ImportLimits()) as book:
        list(book.rows().rows)
    assert refused.value.category in {"zip_bomb", "corrupt"}


def test_error_report_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    errors = [
        RowError(
            3, "Website", '\'=HYPERLINK("http://x","click")\' is not a web address; left out.'
        ),
        RowError(4, "=cmd|' /C calc'!A0", "+SUM(1,2)"),
        RowError(5, "@Notes", "-2+3 \x07bell removed"),
    ]
    target = tmp_path / "errors.xlsx"
    write_error_report(errors, target)
    sheet = load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Row", "Column", "Problem"]
    assert values[1] == [3, "Website", errors[0].message]
    assert values[2] == [4, "=cmd|' /C calc'!A0", "+SUM(1,2)"]
    assert values[3] == [5, "@Notes", "-2+3 bell removed"]
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row[1:])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.xlsx"]  # no temp file left


def test_error_report_failure_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    import planner.excel.error_report as report

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", fail)
    target = tmp_path / "errors.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(OSError, match="disk full"):
        write_error_report([RowError(1, "A", "x")], target)
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["errors.xlsx"]
