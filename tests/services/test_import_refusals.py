"""Every kind of unusable file: its own one-line message, and the store left exactly as it was."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.excel.limits import ImportLimits
from planner.services.import_suppliers import (
    ImportOptions,
    ImportRefused,
    preview_import,
    run_import,
)
from tests.excel.builders import (
    BILLION_LAUGHS,
    HEADER_AND_ONE_ROW,
    ods_cell,
    ods_row,
    sheet_xml,
    store_counts,
    text_cell,
    write_ods,
    write_raw_xlsx,
    write_xlsx,
)
from tests.excel.xls_writer import compound_file, write_xls

Build = Callable[[Path], Path]


def good_xlsx(path: Path) -> Path:
    return write_xlsx(path, [["Company Name", "Country"], ["Acme", "DE"]])


def truncated(path: Path) -> Path:
    data = good_xlsx(path.with_name("whole.xlsx")).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted_xlsx(path: Path) -> Path:
    # What Office writes for a password-protected workbook: an OLE file, not a ZIP.
    stream = b"\x04\x00\x04\x00" + b"\x00" * 4092
    path.write_bytes(compound_file({"EncryptionInfo": stream, "EncryptedPackage": stream}))
    return path


def bit_flipped(path: Path, part: str) -> Path:
    """A workbook with one byte of a deflated part changed, as a bad disk or download does."""
    good = good_xlsx(path.with_name("whole.xlsx"))
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.getinfo(part)
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26 : header + 28], "little")
    extra_len = int.from_bytes(data[header + 28 : header + 30], "little")
    start = header + 30 + name_len + extra_len
    data[start + 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"\x00" * (8 * 1024 * 1024))
    return path


def huge_declared(path: Path) -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(3):
            archive.writestr(f"xl/media/image{i}.bin", os.urandom(1024 * 1024))  # 1 MB each
        archive.writestr("xl/workbook.xml", "<workbook/>")
    path.write_bytes(data.getvalue())
    return path


CASES: list[tuple[str, Build, str, str, ImportLimits | None]] = [
    ("empty", lambda p: _write(p.with_suffix(".xlsx"), b""), "empty", "0 bytes", None),
    (
        "renamed text",
        lambda p: _write(p.with_suffix(".xlsx"), b"Supplier list\nAcme, DE\n"),
        "not_spreadsheet",
        "plain text",
        None,
    ),
    (
        "html as xls",
        lambda p: _write(p.with_suffix(".xls"), b"<html><body><table><tr><td>x</td></tr></table>"),
        "not_spreadsheet",
        "web page",
        None,
    ),
    (
        "binary junk",
        lambda p: _write(p.with_suffix(".csv"), b"\x00\x01\x02binary\x00"),
        "not_spreadsheet",
        "binary",
        None,
    ),
    ("truncated xlsx", lambda p: truncated(p.with_suffix(".xlsx")), "corrupt", "truncated", None),
    *(
        (
            f"bit flip in {part}",
            lambda p, part=part: bit_flipped(p.with_suffix(".xlsx"), part),
            "corrupt",
            "damaged",
            None,
        )
        for part in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml")
    ),
    (
        "encrypted xlsx",
        lambda p: encrypted_xlsx(p.with_suffix(".xlsx")),
        "encrypted",
        "password",
        None,
    ),
    (
        "encrypted xls",
        lambda p: write_xls(p.with_suffix(".xls"), [["Company Name"]], encrypted=True),
        "encrypted",
        "password",
        None,
    ),
    ("pdf", lambda p: _write(p.with_suffix(".pdf"), b"%PDF-1.7\n..."), "unsupported", "PDF", None),
    (
        "numbers",
        lambda p: _zip(p.with_suffix(".numbers"), {"Index/Document.iwa": b"x"}),
        "unsupported",
        "Numbers",
        None,
    ),
    (
        "word",
        lambda p: _zip(p.with_suffix(".xlsx"), {"word/document.xml": b"<w/>"}),
        "unsupported",
        "Word",
        None,
    ),
    (
        "no header",
        lambda p: write_xlsx(p.with_suffix(".xlsx"), [["12", "34"], ["56", "78"]]),
        "no_header",
        "column headers",
        None,
    ),
    (
        "only blank rows",
        lambda p: write_xlsx(p.with_suffix(".xlsx"), [[None, ""], ["  ", None]]),
        "no_header",
        "every row of input.xlsx is empty",
        None,
    ),
    (
        "entity bomb in sheet",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml('<row r="1">' + text_cell("A1", "&lol9;") + "</row>", prolog=BILLION_LAUGHS),
        ),
        "xml_bomb",
        "DTD",
        None,
    ),
    (
        "entity bomb in shared strings",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml(HEADER_AND_ONE_ROW),
            {
                "xl/sharedStrings.xml": f'<?xml version="1.0"?>{BILLION_LAUGHS}<sst><si><t>&lol9;</t></si></sst>'
            },
        ),
        "xml_bomb",
        "sharedStrings",
        None,
    ),
    (
        "undeclared entity (calamine refuses it)",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml('<row r="1">' + text_cell("A1", "Company Name &lol9;") + "</row>"),
        ),
        "xml_bomb",
        "undeclared XML entities",
        None,
    ),
    ("zip bomb ratio", lambda p: zip_bomb(p.with_suffix(".xlsx")), "zip_bomb", "expands", None),
    (
        "zip bomb total",
        lambda p: huge_declared(p.with_suffix(".xlsx")),
        "zip_bomb",
        "limit 2 MB",
        ImportLimits(max_uncompressed_bytes=2 * 1024 * 1024),
    ),
    (
        "cell at XFD1048576",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml(HEADER_AND_ONE_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        ),
        "sheet_too_large",
        "1,048,576 rows x 16,384 columns",
        None,
    ),
    (
        "ods repeated block",
        lambda p: write_ods(
            p.with_suffix(".ods"),
            ods_row(ods_cell("Company Name"))
            + ods_row(ods_cell("x", repeat=16000), repeat=100_000),
        ),
        "sheet_too_large",
        "cells",
        None,
    ),
    (
        "xls far cell",
        lambda p: write_xls(
            p.with_suffix(".xls"), [["Company Name"], ["Acme"]], far_cell=(65535, 255)
        ),
        "sheet_too_large",
        "16,777,216 cells",
        None,
    ),
    (
        "oversized xlsx cell",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml(
                HEADER_AND_ONE_ROW + '<row r="3">' + text_cell("B3", "x" * 40_000) + "</row>"
            ),
        ),
        "oversized_cell",
        "cell B3",
        None,
    ),
    (
        "oversized csv field",
        lambda p: _write(
            p.with_suffix(".csv"), b"Company Name,Notes\nAcme," + b"y" * 40_000 + b"\n"
        ),
        "oversized_cell",
        "40,000 characters",
        None,
    ),
    (
        "csv field over the csv limit",
        lambda p: _write(
            p.with_suffix(".csv"), b'Company Name,Notes\nAcme,"' + b"y" * 200_000 + b'"\n'
        ),
        "oversized_cell",
        "field over",
        None,
    ),
    (
        "too many rows",
        lambda p: write_xlsx(
            p.with_suffix(".xlsx"), [["Company Name"]] + [[f"S{i}"] for i in range(60)]
        ),
        "too_many_rows",
        "50",
        ImportLimits(max_rows=50),
    ),
    (
        "too big",
        lambda p: good_xlsx(p.with_suffix(".xlsx")),
        "too_big",
        "limit",
        ImportLimits(max_file_bytes=1000),
    ),
    (
        "shared-string count beyond its part (calamine would abort reserving it)",
        lambda p: write_raw_xlsx(
            p.with_suffix(".xlsx"),
            sheet_xml(HEADER_AND_ONE_ROW),
            {"xl/sharedStrings.xml": '<sst uniqueCount="4000000000"><si><t>A</t></si></sst>'},
        ),
        "corrupt",
        "declares 4,000,000,000 shared texts",
        None,
    ),
    (
        "xls cut off inside a sector",
        lambda p: _cut(write_xls(p.with_suffix(".xls"), [["Company Name"], ["Acme"]]), 100),
        "corrupt",
        "truncated",
        None,
    ),
    (
        "zip entries needing a newer zip version",
        lambda p: _needs_zip_version(good_xlsx(p.with_suffix(".xlsx")), 150),
        "corrupt",
        "zip file version 15.0",
        None,
    ),
    ("missing", lambda p: p.with_suffix(".xlsx"), "not_found", "does not exist", None),
]


def _cut(path: Path, count: int) -> Path:
    path.write_bytes(path.read_bytes()[:-count])
    return path


def _needs_zip_version(path: Path, version: int) -> Path:
    """Every central-directory entry claims the version needed to extract is `version`."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 6 : at + 8] = version.to_bytes(2, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("label", "build", "category", "fragment", "limits"), CASES, ids=[c[0] for c in CASES]
)
def test_refused_with_its_own_message_and_store_untouched(
    store, tmp_path, label, build, category, fragment, limits
) -> None:
    path = build(tmp_path / "input")
    before = store_counts(store)
    options = ImportOptions(limits=limits or ImportLimits())
    for call in (preview_import, run_import):
        with pytest.raises(ImportRefused) as refused:
            call(store, path, options)
        message = str(refused.value)
        assert refused.value.category == category, message
        assert fragment in message, message
        assert "\n" not in message and len(message) < 400
    assert store_counts(store) == before


def test_messages_differ_per_category() -> None:
    from planner.excel.errors import CATEGORIES

    assert len(set(CATEGORIES.values())) == len(CATEGORIES)


def test_unknown_sheet_and_missing_name_column(store, tmp_path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [["Company Name", "Country"], ["Acme", "DE"]])
    with pytest.raises(ImportRefused, match="Sheet not found: .*no sheet named 'Other'"):
        run_import(store, path, ImportOptions(sheet="Other"))
    before = store_counts(store)
    with pytest.raises(ImportRefused, match="No name column") as refused:
        run_import(store, path, ImportOptions(mapping={"Company Name": ""}))
    assert refused.value.category == "no_name_column"
    assert store_counts(store) == before
    preview = preview_import(store, path, ImportOptions(mapping={"Company Name": ""}))
    assert any("No column is mapped to the supplier name" in w for w in preview.warnings)


def test_bad_options_refused(store, tmp_path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [["Company Name"], ["Acme"]])
    for options in (
        ImportOptions(on_duplicate="merge"),
        ImportOptions(unmapped="keep"),
        ImportOptions(header_row=0),
    ):
        with pytest.raises(ImportRefused) as refused:
            run_import(store, path, options)
        assert refused.value.category == "bad_options"


def test_declared_million_rows_are_not_iterated(store, tmp_path) -> None:
    path = write_raw_xlsx(
        tmp_path / "dim.xlsx", sheet_xml(HEADER_AND_ONE_ROW, dimension="A1:XFD1048576")
    )
    assert run_import(store, path).created == 1


def test_stray_cell_far_below_is_ignored_with_a_warning(store, tmp_path) -> None:
    rows = (
        HEADER_AND_ONE_ROW
        + '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    result = run_import(store, write_raw_xlsx(tmp_path / "far.xlsx", sheet_xml(rows)))
    assert result.created == 1
    assert any("Reading stopped at row 1,002" in w and "1,048,576" in w for w in result.warnings)


def test_unexpected_reader_failure_becomes_a_refusal(store, tmp_path, monkeypatch) -> None:
    import planner.excel.records as records

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(records.RecordBuilder, "build", broken)
    before = store_counts(store)
    with pytest.raises(ImportRefused, match="Unreadable file: .*RuntimeError: boom"):
        run_import(store, good_xlsx(tmp_path / "g.xlsx"))
    assert store_counts(store) == before
