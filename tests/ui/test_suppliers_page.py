from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from planner.domain.cmo import CMO
from planner.services.cmos import CmoService
from planner.ui.cmo_dialog import CmoDialog
from tests.ui.conftest import save_screenshot


def seed(store) -> CmoService:
    service = CmoService(store)
    service.create(CMO(name="Alpine Pharma", country="DE", city="Freiburg", capabilities=["API"]))
    service.create(
        CMO(name="Seoul Biologics", country="KR", city="Incheon", capabilities=["Biologics"])
    )
    service.create(
        CMO(name="Lyon Steriles", country="FR", city="Lyon", capabilities=["Sterile fill-finish"])
    )
    return service


def when_dialog_opens(qtbot, fill) -> None:
    """Fill the modal dialog once it is shown, then press Save."""

    def act() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, CmoDialog) and w.isVisible()
        )
        fill(dialog)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, act)


def test_add_cmo_through_the_dialog(qtbot, store, make_window) -> None:
    window = make_window(store)
    page = window.suppliers
    assert page.stack.currentWidget() is page.empty  # empty store offers demo or first CMO

    def fill(d: CmoDialog) -> None:
        qtbot.keyClicks(d.name, "Basel Fine Chemicals AG")
        d.country.setEditText("Switzerland")
        qtbot.keyClicks(d.city, "Basel")
        qtbot.keyClicks(d.capabilities, "API; HPAPI")
        d.contacts.add_row(["Dora Keller", "BD", "dora@bfc.example", "+41 61 000"])
        d.agreements.add_row(["CDA", "2026-01-01", "2027-12-31", "All programs"])

    when_dialog_opens(qtbot, fill)
    page.empty.add_button.click()
    cmos = CmoService(store)
    [row] = cmos.list_rows()
    assert (row.name, row.country, row.city, row.capabilities) == (
        "Basel Fine Chemicals AG",
        "CH",
        "Basel",
        ("API", "HPAPI"),
    )
    saved = cmos.get(row.id)
    assert saved.contacts[0].email == "dora@bfc.example"
    assert saved.agreements[0].expiry_date.isoformat() == "2027-12-31"
    assert page.stack.currentWidget() is page.table
    assert page.selected_id() == row.id


def test_dialog_refuses_bad_input_and_says_why(qtbot) -> None:
    dialog = CmoDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("X")
    dialog.contacts.add_row(["Ann", "", "not-an-email", ""])
    dialog.accept()
    assert dialog.isVisible() and "not an email address" in dialog.error.text()
    assert dialog.tabs.currentWidget() is dialog.contacts
    dialog.contacts.table.item(0, 2).setText("ann@x.example")
    dialog.agreements.add_row(["MSA", "31/12/2026", "", ""])
    dialog.accept()
    assert "YYYY-MM-DD" in dialog.error.text()
    save_screenshot(dialog, "cmo_dialog_error")


def test_search_filters_as_you_type(qtbot, store, make_window) -> None:
    seed(store)
    window = make_window(store)
    page = window.suppliers
    qtbot.keyClicks(page.search, "kor")  # country name of KR
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "Seoul Biologics"
    assert page.count_label.text() == "1 of 3"
    page.search.clear()
    qtbot.keyClicks(page.search, "sterile")
    assert page.proxy.index(0, 0).data() == "Lyon Steriles"
    page.search.clear()
    assert page.proxy.rowCount() == 3


def test_sort_by_clicking_a_header(qtbot, store, make_window) -> None:
    seed(store)
    page = make_window(store).suppliers
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert [page.proxy.index(r, 1).data() for r in range(3)] == ["DE", "FR", "KR"]
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [page.proxy.index(r, 1).data() for r in range(3)] == ["KR", "FR", "DE"]


def test_edit_selected_cmo(qtbot, store, make_window) -> None:
    service = seed(store)
    page = make_window(store).suppliers
    target = next(r for r in service.list_rows() if r.name == "Lyon Steriles")
    page.select_id(target.id)

    def fill(d: CmoDialog) -> None:
        assert d.name.text() == "Lyon Steriles"
        d.city.setText("Villeurbanne")

    when_dialog_opens(qtbot, fill)
    page.edit_button.click()
    assert service.get(target.id).city == "Villeurbanne"
    assert any(page.model.row_at(r).city == "Villeurbanne" for r in range(page.model.rowCount()))


def test_delete_asks_first(qtbot, store, make_window, answer) -> None:
    service = seed(store)
    page = make_window(store).suppliers
    page.select_id(service.list_rows()[0].id)
    asked = answer(QMessageBox.StandardButton.No)
    page.delete_button.click()
    assert "Delete Alpine Pharma" in asked[0]
    assert service.count() == 3
    answer(QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert service.count() == 2
    assert page.model.rowCount() == 2


def test_the_details_form_is_never_squeezed(qtbot) -> None:
    dialog = CmoDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # the scroll area settles its width
    save_screenshot(dialog, "cmo_dialog_new")
    fields = [dialog.name, dialog.city, dialog.address, dialog.website, dialog.fei, dialog.notes]
    tops = [f.mapTo(dialog, f.rect().topLeft()).y() for f in fields]
    bottoms = [t + f.height() for t, f in zip(tops, fields, strict=True)]
    assert all(b <= t for b, t in zip(bottoms, tops[1:], strict=False))  # no field over the next
    assert dialog.address.tabChangesFocus() and dialog.notes.tabChangesFocus()
