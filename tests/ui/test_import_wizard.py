"""The import wizard driven end to end on real files and a real store."""

import openpyxl
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from planner.services.cmos import CmoService
from tests.ui.conftest import save_screenshot


def supplier_list(path, rows=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Suppliers"
    ws.append(["Approved supplier list — Q3 2026"])
    ws.append([])
    ws.append(["Company Name", "Country", "City", "FEI #", "Services", "E-mail"])
    for row in rows or [
        [
            "Alpine Pharma GmbH",
            "Germany",
            "Freiburg",
            "0001234567",
            "API; HPAPI",
            "a@alpine.example",
        ],
        [
            "Seoul Biologics",
            "Korea, Republic of",
            "Incheon",
            "3012345678",
            "Biologics",
            "not-an-email",
        ],
        ["ALPINE PHARMA", "DEU", "Freiburg", "", "Analytical", ""],
        ["Lyon Stériles", "FR", "Lyon", "", "Sterile fill-finish", ""],
    ]:
        ws.append(row)
    wb.save(path)
    return path


def run_through(qtbot, wizard) -> None:
    """Next through every page, waiting for each background read."""
    for _ in range(4):
        page = wizard.currentPage()
        qtbot.waitUntil(page.isComplete, timeout=20000)
        wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.result is not None, timeout=20000)


def test_import_end_to_end_with_undo(qtbot, store, make_window, tmp_path, answer) -> None:
    path = supplier_list(tmp_path / "list.xlsx")
    window = make_window(store)
    wizard = window.import_suppliers(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20000)
    save_screenshot(wizard, "import_1_file")
    wizard.next()
    assert wizard.sheet_page.header_row.value() == 3  # found below the title rows
    save_screenshot(wizard, "import_2_sheet")
    wizard.next()
    mapping = wizard.columns_page.mapping()
    assert mapping["Company Name"] == "name" and mapping["FEI #"] == "fei_number"
    assert mapping["Services"] == "capabilities" and mapping["E-mail"] == "contact_email"
    save_screenshot(wizard, "import_3_columns")
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=20000)
    assert "4</b> rows" in wizard.preview_page.summary.text()
    assert wizard.preview_page.problems.rowCount() >= 1  # the bad email
    save_screenshot(wizard, "import_4_preview")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.run_page.result is not None, timeout=20000)
    save_screenshot(wizard, "import_5_result")
    result = wizard.run_page.result
    assert (result.created, result.rejected) == (3, 0)  # the two Alpine rows are one supplier
    rows = {r.name: r for r in CmoService(store).list_rows()}
    assert rows["Seoul Biologics"].country == "KR"
    assert rows["Alpine Pharma GmbH"].fei_number == "0001234567"
    qtbot.waitUntil(lambda: window.suppliers.model.rowCount() == 3, timeout=5000)
    assert wizard.run_page.report_button.isVisible()
    problems = wizard.run_page.problems
    assert problems.isVisible() and problems.item(0, 2).text().startswith("E-mail 'not-an-email'")
    assert "Import history" in wizard.run_page.hint.text()
    assert window.statusBar().currentMessage().startswith("Import 1: 3 created")
    wizard.run_page.undo_button.click()  # asks first (no answer: nothing happens)
    assert CmoService(store).count() == 3
    answer(QMessageBox.StandardButton.Yes)
    wizard.run_page.undo_button.click()  # runs off the GUI thread
    qtbot.waitUntil(lambda: wizard.run_page.status.text().startswith("Undone"), timeout=10000)
    assert CmoService(store).count() == 0
    assert wizard.run_page.isComplete() and not wizard.run_page.undo_button.isVisible()
    assert "undone: 3 suppliers removed" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.suppliers.model.rowCount() == 0, timeout=5000)


def test_corrected_mapping_is_used(qtbot, store, make_window, tmp_path) -> None:
    path = supplier_list(tmp_path / "list.xlsx")
    wizard = make_window(store).import_suppliers(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20000)
    wizard.next()
    wizard.next()
    combos = dict(zip(wizard.preview.headers, wizard.columns_page._combos, strict=False))
    combos["City"].setCurrentIndex(combos["City"].findData(""))  # ignore the city
    combos["Services"].setCurrentIndex(combos["Services"].findData("notes"))
    run_through(qtbot, wizard)
    seoul = next(r for r in CmoService(store).list_rows() if r.name == "Seoul Biologics")
    assert seoul.city == "" and seoul.capabilities == ()
    assert "Biologics" in CmoService(store).get(seoul.id).notes


def test_no_name_column_blocks_next(qtbot, store, make_window, tmp_path) -> None:
    path = supplier_list(tmp_path / "list.xlsx")
    wizard = make_window(store).import_suppliers(path)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20000)
    wizard.next()
    wizard.next()
    name = wizard.columns_page._combos[0]
    name.setCurrentIndex(name.findData(""))
    assert not wizard.columns_page.isComplete()
    assert "Map one column to Name" in wizard.columns_page.problem()


def test_a_bad_file_is_explained_on_the_first_page(qtbot, store, make_window, tmp_path) -> None:
    bad = tmp_path / "list.xlsx"
    bad.write_text("<html><body>not a spreadsheet</body></html>")
    wizard = make_window(store).import_suppliers(bad)
    qtbot.waitUntil(lambda: wizard.file_page.message.isVisible(), timeout=20000)
    assert not wizard.file_page.isComplete()
    assert wizard.file_page.message.text()
    save_screenshot(wizard, "import_bad_file")
    assert CmoService(store).count() == 0


def test_dropping_a_file_on_the_suppliers_page_opens_the_wizard(
    qtbot, store, make_window, tmp_path
) -> None:
    path = supplier_list(tmp_path / "dropped.xlsx")
    window = make_window(store)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(window.suppliers.import_requested) as signal:
        event = QDropEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        window.suppliers.dropEvent(event)
    assert signal.args[0] == path


def test_the_main_window_opens_the_import_wizard_on_a_file(
    qtbot, store, make_window, tmp_path
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text("Company Name,Country\nAlpine Pharma,DE\n", encoding="utf-8")
    window = make_window(store)
    wizard = window.import_suppliers(str(sheet))
    assert str(wizard.path) == str(sheet)
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20000)
    wizard.reject()


def test_preview_lists_what_the_import_decided(qtbot, store, make_window, tmp_path) -> None:
    rows = [
        ["Alpine Pharma GmbH", "Germany", "Freiburg", "", "API", ""],
        ["Lyon Stériles", "FR", "Lyon", "", "Sterile fill-finish", ""],
        ["Company Name", "Country", "City", "FEI #", "Services", "E-mail"],  # print layout
        ["Basel Chem AG", "CH", "N/A", "TBD", "Analytical", "n/a"],
        ["Total: 3 suppliers", None, None, None, None, None],
    ]
    path = supplier_list(tmp_path / "print.xlsx", rows)
    window = make_window(store)
    wizard = window.import_suppliers(path)
    for _ in range(3):
        qtbot.waitUntil(wizard.currentPage().isComplete, timeout=20000)
        wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete, timeout=20000)
    summary = wizard.preview_page.summary.text()
    assert "<b>0</b> problems" in summary
    problems = wizard.preview_page.problems
    texts = [problems.item(r, 2).text() for r in range(problems.rowCount())]
    assert texts == [
        "Not imported, as they are no suppliers: row 6 (the header again), "
        "row 8 ('Total: 3 suppliers')."
    ]
    save_screenshot(wizard, "import_4_preview_decisions")
