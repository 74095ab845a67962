"""Delimited text and the legacy/OpenDocument formats, read through the same import."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.excel.csv_reading import detect_delimiter, detect_encoding
from planner.services.cmos import CmoService
from planner.services.import_suppliers import preview_import, run_import
from tests.excel.builders import ods_cell, ods_row, write_ods
from tests.excel.xls_writer import write_xls


def names(store) -> dict[str, object]:
    service = CmoService(store)
    return {r.name: service.get(r.id) for r in service.list_rows()}


def test_cp1252_semicolon_csv(store, tmp_path: Path) -> None:
    text = "Firmenname;Land;Stadt;FEI\r\nMüller Chemie AG;Deutschland;Köln;0012345\r\nSanté SA;France;Lyon;\r\n"
    path = tmp_path / "lieferanten.csv"
    path.write_bytes(text.replace("Firmenname", "Firma").encode("cp1252"))
    assert detect_encoding(path) == ("cp1252", 3)
    result = run_import(store, path)
    assert (result.created, result.errors) == (2, [])
    muller = names(store)["Müller Chemie AG"]
    assert (muller.country, muller.city, muller.fei_number) == ("DE", "Köln", "0012345")


def test_a_csv_pasted_together_from_utf8_and_cp1252_exports(store, tmp_path: Path) -> None:
    path = tmp_path / "merged.csv"
    path.write_bytes(
        "Company Name;Country\r\nMüller Pharma GmbH;Deutschland\r\n".encode()
        + "Weiß KG;Österreich\r\nSéché Labs;France\r\n".encode("cp1252")
    )
    assert run_import(store, path).created == 3
    assert set(names(store)) == {"Müller Pharma GmbH", "Weiß KG", "Séché Labs"}
    assert names(store)["Weiß KG"].country == "AT"


def test_an_unclosed_quote_is_refused_with_its_line(store, tmp_path: Path) -> None:
    from planner.services.import_suppliers import ImportRefused

    bad = tmp_path / "bad.csv"
    bad.write_text('Company Name,Country\nFirst,DE\n"Broken,FR\nThird,IT\nFourth,ES\n')
    with pytest.raises(ImportRefused, match="opens a cell in line 3 is never closed"):
        run_import(store, bad)
    assert CmoService(store).count() == 0
    good = tmp_path / "good.csv"  # a last cell over two lines, closed: fine
    good.write_text('Company Name,Notes\nFirst,"5"" vials\nand more"\n')
    assert run_import(store, good).created == 1
    assert names(store)["First"].notes == '5" vials\nand more'


def test_excel_text_formulas_keep_leading_zeros(store, tmp_path: Path) -> None:
    text = (
        "Company Name,FEI Number,DUNS Number,Country\n"
        'Forced Zero Pharma,="0001234567","=""001234567""",DE\n'
        "Plain Pharma,3001234567,123456789,FR\n"
    )
    path = tmp_path / "forced.csv"
    path.write_text(text, encoding="utf-8")
    result = run_import(store, path)
    assert (result.created, result.errors) == (2, [])
    forced = names(store)["Forced Zero Pharma"]
    assert (forced.fei_number, forced.duns_number) == ("0001234567", "001234567")


def test_utf8_bom_comma_csv_with_quotes_and_line_breaks(store, tmp_path: Path) -> None:
    text = 'Company Name,Address,Country\n"Nordic Bio, AB","Line 1\nLine 2",SE\n北京制药,"Beijing",CN\n'
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert detect_encoding(path)[0] == "utf-8-sig"
    preview = preview_import(store, path)
    assert preview.headers == ["Company Name", "Address", "Country"]  # no BOM in the first header
    assert run_import(store, path).created == 2
    assert names(store)["Nordic Bio, AB"].address == "Line 1\nLine 2"


def test_tab_separated_utf16_text(store, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"  # Excel's "Unicode Text" export
    path.write_bytes("Supplier\tCountry\r\nOmega Pharma\tIndia\r\n".encode("utf-16"))
    assert run_import(store, path).created == 1


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("Title only\na;b\n1;2\n3;4\n", ";"),
        ("single column\nvalue\n", ","),
    ],
)
def test_delimiter_detection(sample: str, delimiter: str) -> None:
    assert detect_delimiter(sample) == delimiter


def test_xls_workbook(store, tmp_path: Path) -> None:
    rows = [
        ["Approved suppliers"],
        [],
        ["Vendor", "Country", "FEI Number"],
        ["Sigma Labs", "IT", 3001234567.0],
    ]
    result = run_import(store, write_xls(tmp_path / "legacy.xls", rows))
    assert result.created == 1
    assert names(store)["Sigma Labs"].fei_number == "3001234567"


def test_an_xls_saved_under_an_xlsx_name_is_read_not_called_encrypted(store, tmp_path) -> None:
    legacy = write_xls(tmp_path / "legacy.xls", [["Vendor", "Country"], ["Sigma Labs", "IT"]])
    renamed = tmp_path / "suppliers.xlsx"
    renamed.write_bytes(legacy.read_bytes())
    assert run_import(store, renamed).created == 1
    assert names(store)["Sigma Labs"].country == "IT"


def test_ods_workbook_with_repeated_empty_rows(store, tmp_path: Path) -> None:
    rows = (
        ods_row(ods_cell("Company Name") + ods_cell("Country") + ods_cell("FEI"))
        + ods_row(ods_cell("Tau Chem") + ods_cell("PL") + ods_cell(1234567.0))
        + ods_row('<table:table-cell table:number-columns-repeated="1024"/>', repeat=1_048_000)
    )
    result = run_import(store, write_ods(tmp_path / "list.ods", rows))
    assert result.created == 1
    assert names(store)["Tau Chem"].fei_number == "1234567"


def test_misnamed_xlsx_is_read_by_content(store, tmp_path: Path) -> None:
    from tests.excel.builders import write_xlsx

    real = write_xlsx(tmp_path / "real.xlsx", [["Company Name"], ["Upsilon"]])
    misnamed = tmp_path / "export.xls"
    misnamed.write_bytes(real.read_bytes())
    assert run_import(store, misnamed).created == 1


def test_strict_open_xml_workbook(store, tmp_path) -> None:
    """ISO 29500 Strict, which Excel offers under Save As: other namespaces, same structure."""
    import zipfile

    strict = "http://purl.oclc.org/ooxml"
    path = tmp_path / "strict.xlsx"
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c></row>'
        for r, (a, b) in enumerate(
            [("Company Name", "Country"), ("Strict Pharma GmbH", "Germany")], start=1
        )
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{strict}/officeDocument/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{strict}/spreadsheetml/main" '
            f'xmlns:r="{strict}/officeDocument/relationships"><sheets>'
            '<sheet name="Suppliers" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{strict}/officeDocument/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{strict}/spreadsheetml/main"><sheetData>{cells}</sheetData></worksheet>',
        )
    assert run_import(store, path).created == 1
    assert names(store)["Strict Pharma GmbH"].country == "DE"
