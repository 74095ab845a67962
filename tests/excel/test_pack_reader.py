from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from planner.excel import pack_layout as layout
from planner.excel.errors import ImportRefused
from planner.excel.pack_reader import NotAPack, read_returned_pack
from planner.excel.pack_writer import pack_bytes
from tests.excel.test_pack_writer import IDENTITY, SECRET, make_content


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.xlsx"
    path.write_bytes(pack_bytes(make_content(), IDENTITY, SECRET))
    return path


def edit(path: Path, changes: dict[tuple[str, str], object]) -> Path:
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    out = path.with_name("returned.xlsx")
    wb.save(out)
    return out


def test_an_untouched_pack_reads_as_blank_answers_and_no_edits(pack: Path) -> None:
    returned = read_returned_pack(pack)
    assert returned.metadata.pack_id == "pack-1" and returned.metadata.cmo_id == 2
    assert returned.metadata.signed_with(SECRET)
    assert [a.key for a in returned.answers] == [
        "criterion:k0",
        "criterion:k1",
        "kpi:k2",
        "milestone:5",
        "milestone:6",
    ]
    assert all(a.is_blank for a in returned.answers)
    assert returned.edits == () and returned.problems == ()


def test_answers_are_read_from_the_input_cells_only(pack: Path) -> None:
    back = edit(
        pack,
        {
            ("Your response", "E5"): "yes",
            ("Your response", "F5"): "WITH CONDITIONS",
            ("Your response", "H5"): "=cmd|' /C calc'!A0",
            ("Your response", "G8"): datetime(2027, 4, 1),
            ("Your response", "G9"): "15 March 2027",
            ("Your response", "E6"): "Perhaps",
            ("Your response", "G7"): "2027-01-01",  # a KPI row takes no date: a protected cell
            ("Timeline", "B5"): "Renamed",
            ("Cover", "D40"): "added text",
        },
    )
    returned = read_returned_pack(back)
    first, second, kpi, m5, m6 = returned.answers
    assert (first.acknowledged, first.feasible) == ("Yes", "With conditions")
    assert first.comment == "=cmd|' /C calc'!A0"  # kept as text, never evaluated
    assert second.acknowledged is None
    assert kpi.proposed_date is None
    assert (m5.proposed_date, m6.proposed_date) == (date(2027, 4, 1), date(2027, 3, 15))
    assert returned.problems == (
        "Row 6 of 'Your response', Acknowledged: 'Perhaps' is not one of Yes, No; left out.",
    )
    assert {(e.sheet, e.cell, e.value, e.change) for e in returned.edits} == {
        ("Your response", "G7", "2027-01-01", "added"),
        ("Timeline", "B5", "Renamed", "changed"),
        ("Cover", "D40", "added text", "added"),
    }
    assert returned.metadata.signed_with(SECRET)


def test_a_row_whose_item_changed_gives_no_answers(pack: Path) -> None:
    back = edit(pack, {("Your response", "C5"): "Something else", ("Your response", "E5"): "Yes"})
    returned = read_returned_pack(back)
    assert [a.key for a in returned.answers][0] == "criterion:k1"
    assert "Row 5 of 'Your response' no longer shows the item" in returned.problems[0]


def test_sheets_added_and_removed_are_reported(pack: Path) -> None:
    wb = openpyxl.load_workbook(pack)
    wb.security = None
    del wb["Pipeline outlook"]
    wb.create_sheet("Notes")["A1"] = "ours"
    wb.save(pack)
    changes = {(e.sheet, e.change) for e in read_returned_pack(pack).edits}
    assert changes == {("Pipeline outlook", "sheet removed"), ("Notes", "sheet added")}


def test_an_edited_identification_no_longer_verifies(pack: Path) -> None:
    back = edit(pack, {(layout.META_SHEET, "B2"): "another-pack"})
    returned = read_returned_pack(back)
    assert returned.metadata.pack_id == "another-pack"
    assert not returned.metadata.signed_with(SECRET)


def test_a_workbook_without_identification_is_not_a_pack(tmp_path: Path) -> None:
    path = tmp_path / "suppliers.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Name"
    wb.save(path)
    with pytest.raises(NotAPack, match="no pack identification"):
        read_returned_pack(path)


def test_damaged_identification(pack: Path) -> None:
    back = edit(pack, {(layout.META_SHEET, "A2"): "nonsense"})
    with pytest.raises(NotAPack, match="damaged"):
        read_returned_pack(back)


def test_other_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "answers.csv"
    text.write_text("a,b\n1,2\n")
    with pytest.raises(NotAPack, match="not an alignment pack"):
        read_returned_pack(text)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportRefused):
        read_returned_pack(broken)
