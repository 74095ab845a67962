"""Cells as people and other systems really fill them: placeholders, invisible characters,
apostrophes, lists in another order."""

from __future__ import annotations

from datetime import date

from planner.services.cmos import CmoService
from planner.services.import_suppliers import preview_import, run_import
from tests.excel.builders import sheet_xml, text_cell, write_raw_xlsx, write_xlsx

HEADERS = ["Company Name", "Country", "City", "FEI #", "DUNS", "E-mail", "Last Inspection"]


def by_name(store) -> dict[str, object]:
    service = CmoService(store)
    return {row.name: service.get(row.id) for row in service.list_rows()}


def test_placeholders_are_empty_cells_not_problems(store, tmp_path) -> None:
    rows = [
        ["Alpine Pharma GmbH", "Germany", "N/A", "N/A", "-", "TBD", "none"],
        ["Basel Chem AG", "CH", "—", "Unknown", "n/a", "N/A", "not applicable"],
        ["Windhoek Labs", "NA", "Windhoek", "", "", "", ""],  # NA is Namibia, not a placeholder
        ["N/A", "FR", "Lyon", "", "", "", ""],  # a placeholder is no name
    ]
    result = run_import(store, write_xlsx(tmp_path / "p.xlsx", [HEADERS, *rows]))
    assert result.created == 3
    assert [(e.row, e.message) for e in result.errors] == [
        (5, "No supplier name; row not imported.")
    ]
    stored = by_name(store)
    assert stored["Alpine Pharma GmbH"].city == "" and stored["Alpine Pharma GmbH"].fei_number == ""
    assert stored["Alpine Pharma GmbH"].last_inspection_date is None
    assert stored["Windhoek Labs"].country == "NA"


def test_invisible_characters_are_dropped(store, tmp_path) -> None:
    rows = [
        ["\u200bBoreal Labs Ltd", "\u200eFinland", "Turku", "", "", "", ""],
        ["\u200fشركة الحكمة للأدوية\u200f", "Jordan", "Amman", "", "", "", ""],
        ["Boreal Labs", "FI", "Turku", "", "", "", ""],
    ]
    result = run_import(store, write_xlsx(tmp_path / "z.xlsx", [HEADERS, *rows]))
    assert (result.created, result.skipped, result.errors) == (2, 1, [])
    stored = by_name(store)
    assert stored["Boreal Labs Ltd"].country == "FI"
    assert stored["شركة الحكمة للأدوية"].country == "JO"


def test_apostrophes_do_not_split_a_name(store, tmp_path) -> None:
    rows = [
        ["Dr. Reddy's Laboratories Ltd", "IN", "Hyderabad", "", "", "", ""],
        ["Dr Reddys Laboratories Limited", "India", "Hyderabad", "", "", "", ""],
        ["DR. REDDY\u2019S LABORATORIES", "IND", "", "", "", "", ""],
    ]
    result = run_import(store, write_xlsx(tmp_path / "a.xlsx", [HEADERS, *rows]))
    assert (result.created, result.skipped) == (1, 2)


def test_a_list_in_another_order_is_no_update(store, tmp_path) -> None:
    headers = ["Company Name", "Country", "Services"]
    first = write_xlsx(tmp_path / "v1.xlsx", [headers, ["Gamma Pack", "DE", "PACK; REPACK; LABEL"]])
    second = write_xlsx(
        tmp_path / "v2.xlsx", [headers, ["Gamma Pack", "DE", "label; PACK; REPACK"]]
    )
    assert run_import(store, first).created == 1
    again = run_import(store, second)
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)
    assert by_name(store)["Gamma Pack"].capabilities == ["PACK", "REPACK", "LABEL"]
    third = write_xlsx(tmp_path / "v3.xlsx", [headers, ["Gamma Pack", "DE", "PACK; RELABEL"]])
    assert run_import(store, third).updated == 1  # a different list is still an update


def test_the_sheet_whose_header_reads_best_is_imported(store, tmp_path) -> None:
    read_me = [
        ["How to use this workbook"],
        ["Name", "Role", "E-mail"],
        ["Jane Doe", "Owner", "jane@example.com"],
    ]
    suppliers = [
        ["Supplier Name", "Country", "City", "FEI Number", "DUNS Number", "Services"],
        ["Nordic Fill AB", "Sweden", "Uppsala", "3002222222", "", "Fill-finish"],
    ]
    path = write_xlsx(
        tmp_path / "two.xlsx", read_me, sheet="Read me", extra_sheets=[("Suppliers", suppliers)]
    )
    result = run_import(store, path)
    assert result.created == 1 and preview_import(store, path).sheet == "Suppliers"
    assert list(by_name(store)) == ["Nordic Fill AB"]


def test_repeated_headers_totals_and_page_titles_are_no_suppliers(store, tmp_path) -> None:
    headers = ["Supplier Name", "Country", "FEI Number"]
    rows = [
        headers,
        ["Alpha Sterile GmbH", "DE", "3000000001"],
        ["Total Pharma Solutions", "FR", "3000000002"],  # a real name that starts with "Total"
        ["Approved Supplier List \u2014 page 2 of 2", None, None],
        headers,  # the print layout repeats the header on every page
        ["Beta Labs Inc.", "US", "3000000003"],
        ["Total: 3 suppliers", None, 3],
        ["Source: internal vendor database, exported 2025-01-31", None, None],
    ]
    result = run_import(store, write_xlsx(tmp_path / "print.xlsx", rows))
    assert (result.created, result.errors) == (3, [])
    assert sorted(by_name(store)) == [
        "Alpha Sterile GmbH",
        "Beta Labs Inc.",
        "Total Pharma Solutions",
    ]
    assert result.warnings == [
        "Not imported, as they are no suppliers: row 4 ('Approved Supplier List \u2014 page 2 of 2'), "
        "row 5 (the header again), row 7 ('Total: 3 suppliers'), "
        "row 8 ('Source: internal vendor database, exported 2025-01-31')."
    ]


def test_a_date_column_is_read_one_way(store, tmp_path) -> None:
    headers = ["Company Name", "Country", "Inspection End Date"]
    rows = [
        ["EU One", "DE", "25/03/2024"],  # can only be day first
        ["EU Two", "DE", "05/03/2024"],
        ["EU Three", "DE", "11/01/2024"],
    ]
    result = run_import(store, write_xlsx(tmp_path / "eu.xlsx", [headers, *rows]))
    assert result.errors == []
    stored = by_name(store)
    assert stored["EU Two"].last_inspection_date == date(2024, 3, 5)
    assert stored["EU Three"].last_inspection_date == date(2024, 1, 11)
    assert result.warnings == [
        "'Inspection End Date' writes dates day first (like 25/03/2024), so every date in it "
        "was read day first."
    ]


def test_a_month_first_column_stays_month_first(store, tmp_path) -> None:
    headers = ["Company Name", "Country", "Inspection End Date"]
    rows = [["US One", "US", "03/15/2024"], ["US Two", "US", "05/03/2024"]]
    result = run_import(store, write_xlsx(tmp_path / "us.xlsx", [headers, *rows]))
    assert result.warnings == []
    assert by_name(store)["US Two"].last_inspection_date == date(2024, 5, 3)


def test_a_column_mixing_both_orders_says_so(store, tmp_path) -> None:
    headers = ["Company Name", "Country", "Inspection End Date"]
    rows = [["A", "US", "03/15/2024"], ["B", "DE", "25/03/2024"], ["C", "DE", "05/03/2024"]]
    result = run_import(store, write_xlsx(tmp_path / "mixed.xlsx", [headers, *rows]))
    assert by_name(store)["C"].last_inspection_date == date(2024, 5, 3)
    assert result.warnings == [
        "'Inspection End Date' holds dates written day first (like 25/03/2024) and month first; "
        "1 date that could be either, such as 05/03/2024, was read month first: check them."
    ]


def test_a_crm_export_billing_address_and_account_phone(store, tmp_path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "\ufeffAccount Name,Billing Street,Billing City,Billing Country,Phone,Website\n"
        'Rhein Pharma GmbH,"Hafenstr. 1",Mainz,Germany,+49 6131 000,rhein.example\n'
        "Lyon Steriles SA,,Lyon,France,,\n",
        encoding="utf-8",
    )
    preview = preview_import(store, path)
    assert preview.mapping["Billing Country"] == "country"
    assert preview.mapping["Billing City"] == "city"
    result = run_import(store, path)
    assert (result.created, result.errors) == (2, [])
    rhein = by_name(store)["Rhein Pharma GmbH"]
    assert (rhein.country, rhein.city, rhein.notes) == ("DE", "Mainz", "Phone: +49 6131 000")
    assert by_name(store)["Lyon Steriles SA"].country == "FR"


def test_a_column_of_vendor_numbers_is_not_the_name(store, tmp_path) -> None:
    path = tmp_path / "sap.csv"
    path.write_text(
        "Vendor;Name 1;Country;City\n"
        "0000100234;Alpine Pharma GmbH;DE;Freiburg\n"
        "0000100235;Basel Chem AG;CH;Basel\n",
        encoding="cp1252",
    )
    preview = preview_import(store, path)
    assert (preview.mapping["Vendor"], preview.mapping["Name 1"]) == ("", "name")
    assert "'Vendor' holds numbers, not names; it is not used as the name." in preview.warnings
    assert run_import(store, path).created == 2
    assert sorted(by_name(store)) == ["Alpine Pharma GmbH", "Basel Chem AG"]


def test_formula_errors_are_problems_not_blanks(store, tmp_path) -> None:
    rows = (
        '<row r="1">' + text_cell("A1", "Company Name") + text_cell("B1", "Country")
        + text_cell("C1", "FEI Number") + "</row>"
        '<row r="2">' + text_cell("A2", "Good Pharma") + text_cell("B2", "DE") + "</row>"
        '<row r="3">' + text_cell("A3", "Lookup Pharma")
        + '<c r="B3" t="e"><f>VLOOKUP(Z3,Z:Z,2,0)</f><v>#N/A</v></c>'
        + '<c r="C3" t="e"><v>#VALUE!</v></c></row>'
        '<row r="4"><c r="A4" t="e"><f>#REF!</f><v>#REF!</v></c>' + text_cell("B4", "FR") + "</row>"
    )  # fmt: skip
    path = write_raw_xlsx(tmp_path / "err.xlsx", sheet_xml(rows, "A1:C4"))
    result = run_import(store, path)
    assert (result.created, result.rejected) == (2, 1)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Country", "Country holds the formula error #N/A; left out."),
        (3, "FEI Number", "FEI Number holds the formula error #VALUE!; left out."),
        (4, "Company Name", "Company Name holds the formula error #REF!; left out."),
        (4, "Company Name", "No supplier name; row not imported."),
    ]


def test_company_names_that_start_like_report_lines_are_kept(store, tmp_path) -> None:
    names = ["Created by Nature Labs", "Total Pharma", "Count Biologics", "Summit Sterile"]
    rows = [["Company Name", "Country"], *([name, "DE"] for name in names)]
    result = run_import(store, write_xlsx(tmp_path / "names.xlsx", rows))
    assert (result.created, result.warnings) == (4, [])
