"""Supplier import end to end against a real temporary store (no Qt)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from planner.services.cmos import CmoService
from planner.services.import_suppliers import (
    ImportOptions,
    ImportRefused,
    find_profile,
    preview_import,
    run_import,
    save_profile,
)
from planner.services.progress import Cancelled, CancelToken
from tests.excel.builders import store_counts, write_xlsx

FDA_HEADERS = [
    "FIRM_NAME", "FEI_NUMBER", "DUNS_NUMBER", "ADDRESS", "OPERATIONS",
    "EXPIRATION_DATE", "INSPECTION_END_DATE",
]  # fmt: skip
FDA_ROWS = [
    [
        "Alpine Pharma GmbH", "3004567890", "012345678",
        "Hauptstrasse 5, Freiburg, , 79108 (DEU)", "API MANUFACTURE; PACK", "12/31/2025", "03/15/2024",
    ],
    [
        "Han River Bio Co., Ltd.", "3009876543", "", "12 Songdo-ro, Incheon, , 21984 (KOR)",
        "ANALYSIS, LABEL", "12/31/2025", "",
    ],
]  # fmt: skip


def cmos(store) -> dict[str, object]:
    service = CmoService(store)
    return {row.name: service.get(row.id) for row in service.list_rows()}


def test_fda_registry_export(store, tmp_path) -> None:
    path = write_xlsx(tmp_path / "fda.xlsx", [FDA_HEADERS, *FDA_ROWS])
    preview = preview_import(store, path)
    assert preview.mapping["FIRM_NAME"] == "name"
    assert preview.mapping["FEI_NUMBER"] == "fei_number"
    assert preview.mapping["DUNS_NUMBER"] == "duns_number"
    assert preview.mapping["OPERATIONS"] == "capabilities"
    assert preview.mapping["EXPIRATION_DATE"] == ""  # known, but no field of ours
    assert preview.errors == [] and preview.total_rows == 2

    result = run_import(store, path)
    assert (result.created, result.updated, result.skipped, result.errors) == (2, 0, 0, [])
    alpine = cmos(store)["Alpine Pharma GmbH"]
    assert alpine.country == "DE"  # from "(DEU)" at the end of the address
    assert alpine.fei_number == "3004567890" and alpine.duns_number == "012345678"
    assert alpine.capabilities == ["API MANUFACTURE", "PACK"]
    assert alpine.last_inspection_date == date(2024, 3, 15)  # MM/DD/YYYY as FDA writes it
    assert alpine.source_import_id == result.batch_id
    assert cmos(store)["Han River Bio Co., Ltd."].country == "KR"


def test_header_below_title_rows_and_merged_cells(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "list.xlsx",
        [["Supplier", "Country/Region", "FEI #"], ["Lotus Labs", "India", "1234567"]],
        title_rows=[["Approved supplier list 2025"], ["Exported by procurement", None, None], []],
        merged=["A1:C1", "A2:C2"],
    )
    preview = preview_import(store, path)
    assert preview.header_row == 4
    assert preview.headers == ["Supplier", "Country/Region", "FEI #"]
    assert preview.mapping == {
        "Supplier": "name",
        "Country/Region": "country",
        "FEI #": "fei_number",
    }
    assert preview.sample == [["Lotus Labs", "India", "1234567"]]
    assert run_import(store, path).created == 1
    assert cmos(store)["Lotus Labs"].country == "IN"


def test_two_row_header_with_vertically_merged_cells(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "two.xlsx",
        [
            ["Company Name", "Contact", None, "Country"],
            [None, "Contact Name", "E-mail", None],
            ["Nu Biotech", "Ola", "ola@nu.example", "NO"],
        ],
        merged=["A1:A2", "B1:C1", "D1:D2"],
    )
    preview = preview_import(store, path)
    assert preview.header_row == 2
    assert preview.headers == ["Company Name", "Contact Name", "E-mail", "Country"]
    assert run_import(store, path).created == 1
    nu = cmos(store)["Nu Biotech"]
    assert (nu.country, nu.contacts[0].email) == ("NO", "ola@nu.example")


def test_a_group_header_over_contact_columns(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "group.xlsx",
        [
            ["Company Name", "Country", "Contact", None, None],
            [None, None, "Name", "E-mail", "Phone"],
            ["Group Pharma GmbH", "Germany", "Eva Klein", "eva@gp.example", "+49 1"],
        ],
        merged=["A1:A2", "B1:B2", "C1:E1"],
    )
    preview = preview_import(store, path)
    assert preview.headers == ["Company Name", "Country", "Contact Name", "E-mail", "Phone"]
    run_import(store, path)
    contact = cmos(store)["Group Pharma GmbH"].contacts[0]
    assert (contact.name, contact.email, contact.phone) == ("Eva Klein", "eva@gp.example", "+49 1")


def test_a_value_merged_down_over_data_rows_belongs_to_each(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "merged.xlsx",
        [
            ["Sites by country", None, None],
            ["Company Name", "Country", "Capabilities"],
            ["Lisboa Farma Lda", "Portugal", "API"],
            ["Porto Sterile Lda", None, "Sterile fill-finish"],
            ["Athens Pharma S.A.", "Greece", "API"],
        ],
        merged=["A1:C1", "B3:B4"],
    )
    assert run_import(store, path).created == 3
    found = cmos(store)
    assert [found[n].country for n in ("Lisboa Farma Lda", "Porto Sterile Lda")] == ["PT", "PT"]
    assert found["Athens Pharma S.A."].country == "GR"


def test_qualified_headers_are_mapped(store, tmp_path) -> None:
    rows = [
        ["Supplier list"],
        ["Supplier Name*", "Supplier Country", "FEI Number (FDA)", "DUNS # (9 digits)",
         "Last FDA Inspection Date", "Email Opt Out"],
        ["Template Pharma GmbH", "Germany", "3012340001", "012340001", "2021-03-04", "yes"],
    ]  # fmt: skip
    result = run_import(store, write_xlsx(tmp_path / "q.xlsx", rows))
    assert result.mapping["Email Opt Out"] == ""  # one word of a field is not enough
    found = cmos(store)["Template Pharma GmbH"]
    assert (found.country, found.fei_number, found.duns_number) == ("DE", "3012340001", "012340001")
    assert found.last_inspection_date == date(2021, 3, 4)


def test_country_forms_dates_and_identifiers(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country", "Last Inspection", "FEI Number", "DUNS Number"],
        ["A One", "Korea, Republic of", "2025-03-05", "0012345", "012345678"],
        ["B Two", "USA", "05.03.2025", "0000000", 2345678],
        ["C Three", "Korea, South (KOR)", "05-Mar-2025", 3004567890, ""],
        ["D Four", "deu", "5 March 2025", "0", "0"],
        ["E Five", "GB", 45721, "", ""],
        ["F Six", "Schweiz", datetime(2025, 3, 5, 0, 0), "", ""],
        ["G Seven", "Atlantis", "31/31/2025", "12AB", "1234"],
    ]
    path = write_xlsx(tmp_path / "mixed.xlsx", rows)
    result = run_import(store, path)
    assert result.created == 7
    found = cmos(store)
    assert [found[n].country for n in ("A One", "B Two", "C Three", "D Four", "E Five", "F Six")] == [
        "KR", "US", "KR", "DE", "GB", "CH",
    ]  # fmt: skip
    for name in ("A One", "B Two", "C Three", "D Four", "E Five", "F Six"):
        assert found[name].last_inspection_date == date(2025, 3, 5), name
    assert found["A One"].fei_number == "0012345"  # leading zeros kept from text
    assert found["B Two"].fei_number == ""  # "0000000" is no identifier
    assert found["B Two"].duns_number == "002345678"  # a number cell lost the zero; DUNS has 9
    assert found["C Three"].fei_number == "3004567890"  # no ".0"
    assert found["D Four"].duns_number == ""
    bad = {(e.row, e.column) for e in result.errors}
    assert bad == {(8, "Country"), (8, "Last Inspection"), (8, "FEI Number"), (8, "DUNS Number")}
    assert found["G Seven"].country == "" and found["G Seven"].last_inspection_date is None
    assert all("left out" in e.message for e in result.errors)


def test_row_without_name_is_rejected_and_counted(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "f.xlsx", [["Company Name", "Country"], ["", "DE"], ["Ok Pharma", "FR"]]
    )
    result = run_import(store, path)
    assert (result.created, result.rejected) == (1, 1)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Company Name")]


def test_in_file_duplicates_under_other_spellings(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country", "City", "Capabilities"],
        ["Alpine Pharma GmbH", "Germany", "", "API"],
        ["ALPINE PHARMA", "DE", "Freiburg", ""],
        ["Alpine Pharma", "AT", "Wien", ""],  # same name, another country: another site
    ]
    result = run_import(store, write_xlsx(tmp_path / "d.xlsx", rows))
    assert (result.created, result.skipped, result.duplicates_in_file) == (2, 1, 1)
    merged = cmos(store)["Alpine Pharma GmbH"]
    assert (merged.city, merged.capabilities) == ("Freiburg", ["API"])


def test_written_out_umlauts_and_other_letters_match_their_plain_spelling(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country"],
        ["Müller Pharma GmbH", "DE"],
        ["Mueller Pharma", "DE"],
        ["MULLER PHARMA GMBH", "DE"],
        ["Łódź Biotech Sp. z o.o.", "PL"],
        ["Lodz Biotech", "PL"],
        ["Weiße Chemie AG", "DE"],
        ["Weisse Chemie", "DE"],
        ["Blum Pharma", "DE"],  # not a spelling of Müller: stays apart
    ]
    result = run_import(store, write_xlsx(tmp_path / "w.xlsx", rows))
    assert (result.created, result.skipped, result.duplicates_in_file) == (4, 4, 4)
    assert {r.name for r in CmoService(store).list_rows("strasse weisse")} == set()
    assert {r.name for r in CmoService(store).list_rows("weisse")} == {"Weiße Chemie AG"}


def test_a_row_without_a_country_is_the_one_supplier_of_its_name(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country", "City"],
        ["Omega Pharma GmbH", "Germany", ""],
        ["Omega Pharma", "", "Mainz"],  # the only Omega Pharma: the same supplier
        ["Sigma Labs", "", ""],
        ["Sigma Labs Ltd", "GB", "Leeds"],  # gains the country the first row lacked
        ["Delta Bio", "FR", ""],
        ["Delta Bio", "BE", ""],
        ["Delta Bio", "", "Lyon"],  # two Delta Bios: which one is unknowable, so a new one
    ]
    result = run_import(store, write_xlsx(tmp_path / "c.xlsx", rows))
    assert (result.created, result.skipped) == (5, 2)
    found = cmos(store)
    assert (found["Omega Pharma GmbH"].country, found["Omega Pharma GmbH"].city) == ("DE", "Mainz")
    assert (found["Sigma Labs"].country, found["Sigma Labs"].city) == ("GB", "Leeds")
    again = [["Company Name", "Country", "City"], ["OMEGA PHARMA", "", "Mainz-Kastel"]]
    second = run_import(store, write_xlsx(tmp_path / "again.xlsx", again))
    assert (second.created, second.updated) == (0, 1)  # matched in the store, country or not
    assert cmos(store)["Omega Pharma GmbH"].city == "Mainz-Kastel"


def test_non_ascii_names_stay_apart_and_searchable(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country"],
        ["Müller Chemie AG", "DE"],
        ["北京制药有限公司", "CN"],
        ["上海生物技术", "CN"],  # folds to the same empty key as the one above
        ["MULLER CHEMIE", "DE"],
    ]
    result = run_import(store, write_xlsx(tmp_path / "u.xlsx", rows))
    assert (result.created, result.skipped) == (3, 1)
    assert {r.name for r in CmoService(store).list_rows("muller")} == {"Müller Chemie AG"}


def test_policies_update_skip_add_and_idempotent_reimport(store, tmp_path) -> None:
    first = write_xlsx(
        tmp_path / "v1.xlsx", [["Company Name", "Country", "City"], ["Beta Labs", "FR", "Lyon"]]
    )
    second = write_xlsx(
        tmp_path / "v2.xlsx", [["Company Name", "Country", "City"], ["BETA LABS", "FR", "Paris"]]
    )
    assert run_import(store, first).created == 1
    again = run_import(store, first)
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)  # nothing changed
    skipped = run_import(store, second, ImportOptions(on_duplicate="skip"))
    assert (skipped.created, skipped.updated, skipped.skipped) == (0, 0, 1)
    assert cmos(store)["Beta Labs"].city == "Lyon"
    updated = run_import(store, second)
    assert (updated.created, updated.updated, updated.skipped) == (0, 1, 0)
    assert cmos(store)["Beta Labs"].city == "Paris"  # the file's values win; a re-spelt name not
    added = run_import(store, second, ImportOptions(on_duplicate="add"))
    assert added.created == 1 and CmoService(store).count() == 2


def test_fei_beats_name_and_different_fei_never_merges(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Country", "FEI Number"],
        ["Gamma Sterile", "IE", "1111111"],
        ["Gamma Sterile Ltd", "IE", "2222222"],  # same name, other FEI: another site
        ["Gamma (Cork site)", "IE", "1111111"],  # other name, same FEI: the first site
    ]
    result = run_import(store, write_xlsx(tmp_path / "g.xlsx", rows))
    assert (result.created, result.skipped) == (2, 1)


def test_dry_run_writes_nothing_but_counts(store, tmp_path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [FDA_HEADERS, *FDA_ROWS])
    before = store_counts(store)
    result = run_import(store, path, ImportOptions(dry_run=True))
    assert (result.created, result.dry_run, result.batch_id) == (2, True, None)
    assert store_counts(store) == before


def test_cancel_from_progress_callback_writes_nothing(store, tmp_path) -> None:
    rows = [["Company Name", "Country"]] + [[f"Supplier {i}", "DE"] for i in range(2500)]
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    before = store_counts(store)
    token = CancelToken()
    seen: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Saving"):
            token.cancel()  # the user presses Cancel while rows are being written

    with pytest.raises(Cancelled):
        run_import(store, path, progress=progress, token=token)
    assert store_counts(store) == before
    assert any(m.startswith("Reading") for m in seen)


def test_cancel_while_reading(store, tmp_path) -> None:
    rows = [["Company Name"]] + [[f"S {i}"] for i in range(2500)]
    token = CancelToken()
    before = store_counts(store)

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("Reading") and done:
            token.cancel()

    with pytest.raises(Cancelled):
        run_import(store, write_xlsx(tmp_path / "r.xlsx", rows), progress=progress, token=token)
    assert store_counts(store) == before


def test_unmapped_columns_go_to_notes_when_asked(store, tmp_path) -> None:
    rows = [["Company Name", "Spend 2024", "Internal code"], ["Delta Chem", 125000, "=A1"]]
    path = write_xlsx(tmp_path / "n.xlsx", rows)
    run_import(store, path, ImportOptions(unmapped="notes"))
    assert cmos(store)["Delta Chem"].notes == "Spend 2024: 125000"  # formula without value: empty
    path2 = write_xlsx(tmp_path / "n2.xlsx", [["Company Name", "Tier"], ["Echo Bio", "A"]])
    run_import(store, path2)
    assert cmos(store)["Echo Bio"].notes == ""


def test_contacts_one_per_row(store, tmp_path) -> None:
    rows = [
        ["Company Name", "Contact Name", "E-mail", "Phone", "Role"],
        ["Zeta Pharma", "Ana Lima", "Ana <ana@zeta.example>", "+34 1", "BD"],
        ["Zeta Pharma", "", "ops@zeta.example", "", ""],
        ["Eta Labs", "", "not-an-email", "+1 2", ""],
    ]
    result = run_import(store, write_xlsx(tmp_path / "c.xlsx", rows))
    zeta = cmos(store)["Zeta Pharma"]
    assert [(c.name, c.email, c.role) for c in zeta.contacts] == [
        ("Ana Lima", "ana@zeta.example", "BD"),
        ("ops@zeta.example", "ops@zeta.example", ""),
    ]
    eta = cmos(store)["Eta Labs"]  # a phone with no person: the supplier's own line
    assert [(c.name, c.phone, c.email) for c in eta.contacts] == [("Main line", "+1 2", "")]
    assert {e.column for e in result.errors} == {"E-mail"}


def test_duplicate_headers_reported_not_merged(store, tmp_path) -> None:
    rows = [["Company Name", "Country", "City", "COUNTRY"], ["Theta", "DE", "Bonn", "FR"]]
    preview = preview_import(store, write_xlsx(tmp_path / "h.xlsx", rows))
    assert preview.mapping["Country"] == "country" and preview.mapping["COUNTRY"] == ""
    assert any("Columns B and D" in w for w in preview.warnings)
    rows = [["Company Name", "City", "City"], ["Iota", "Bonn", "Köln"]]
    preview = preview_import(store, write_xlsx(tmp_path / "h2.xlsx", rows))
    assert preview.headers == ["Company Name", "City", "City (C)"]


def test_mapping_profile_saved_and_offered_again(store, tmp_path) -> None:
    rows = [["Lieferantenname", "Sitzland", "Bemerkung intern"], ["Kappa GmbH", "Deutschland", "x"]]
    path = write_xlsx(tmp_path / "p.xlsx", rows)
    with pytest.raises(ImportRefused) as refused:
        preview_import(store, path)
    assert refused.value.category == "no_header"
    mapping = {"Lieferantenname": "name", "Sitzland": "country", "Bemerkung intern": "notes"}
    preview = preview_import(store, path, ImportOptions(header_row=1, mapping=mapping))
    save_profile(store, "German supplier list", preview.headers, preview.mapping)
    assert find_profile(store, ["LIEFERANTENNAME", "sitzland", "Bemerkung  intern"]) == (
        "German supplier list",
        mapping,
    )
    again = preview_import(
        store, write_xlsx(tmp_path / "p2.xlsx", rows)
    )  # header found via profile
    assert (again.profile_name, again.mapping) == ("German supplier list", mapping)
    assert run_import(store, tmp_path / "p2.xlsx").created == 1
    assert cmos(store)["Kappa GmbH"].country == "DE"


def test_explicit_mapping_overrides_and_bad_target_refused(store, tmp_path) -> None:
    rows = [["Company Name", "Site", "Country"], ["Lambda Holding", "Lambda Basel", "CH"]]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    run_import(
        store, path, ImportOptions(mapping={"Company Name": "parent_company", "Site": "name"})
    )
    assert cmos(store)["Lambda Basel"].parent_company == "Lambda Holding"
    with pytest.raises(ImportRefused, match="unknown target field"):
        run_import(store, path, ImportOptions(mapping={"Site": "nickname"}))


def test_first_sheet_without_header_is_passed_over(store, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [["Read me: this workbook lists our suppliers."]],
        sheet="Cover",
        extra_sheets=[("Data", [["Vendor", "Country"], ["Mu Pharma", "IT"]])],
    )
    preview = preview_import(store, path)
    assert (preview.sheets, preview.sheet) == (["Cover", "Data"], "Data")
    with pytest.raises(ImportRefused) as refused:
        preview_import(store, path, ImportOptions(sheet="Cover"))
    assert refused.value.category == "no_header"


def test_row_numbers_and_column_letters_when_data_starts_at_c3(store, tmp_path) -> None:
    # Pins how the reader numbers rows and columns (calamine pads rows from row 1, but starts
    # columns at the first used one): errors must name the cell the user sees.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row, values in enumerate(
        [["Company Name", "Country", None], ["Xi Labs", "Narnia", "note"]], start=3
    ):
        for col, value in enumerate(values, start=3):
            sheet.cell(row=row, column=col, value=value)
    path = tmp_path / "offset.xlsx"
    book.save(path)
    preview = preview_import(store, path)
    assert preview.header_row == 3
    assert preview.headers == ["Company Name", "Country", "Column E"]
    assert [(e.row, e.column) for e in preview.errors] == [(4, "Country")]


def test_rows_of_one_supplier_within_a_file_join_their_lists_and_notes(store, tmp_path) -> None:
    from planner.services.cmos import CmoService
    from planner.services.import_suppliers import ImportOptions, run_import

    path = tmp_path / "registry.csv"
    path.write_text(
        "FIRM_NAME,FEI_NUMBER,COUNTRY,OPERATIONS,Remarks\n"
        "Alpine Pharma GmbH,3001234567,DEU,API MANUFACTURE,first audit 2024\n"
        "ALPINE PHARMA,3001234567,DEU,PACK; API MANUFACTURE,warehouse expansion\n",
        encoding="utf-8",
    )
    result = run_import(store, path, ImportOptions(unmapped="notes"))
    assert (result.created, result.skipped) == (1, 1)
    [row] = CmoService(store).list_rows()
    cmo = CmoService(store).get(row.id)
    assert cmo.name == "Alpine Pharma GmbH"
    assert [c.casefold() for c in cmo.capabilities] == ["api manufacture", "pack"]
    assert "first audit 2024" in cmo.notes and "warehouse expansion" in cmo.notes


def test_non_latin_names_are_searchable(store) -> None:
    from planner.domain.cmo import CMO
    from planner.services.cmos import CmoService

    CmoService(store).create(CMO(name="浙江华海药业", country="CN"))
    assert [r.name for r in CmoService(store).list_rows("华海")] == ["浙江华海药业"]
