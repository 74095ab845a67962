"""Import history…: past imports listed with local times, undone off the GUI thread, refusals."""

from PySide6.QtWidgets import QMessageBox

from planner.services.cmos import CmoService
from planner.services.import_suppliers import run_import
from planner.store import backup as backups
from tests.ui.conftest import save_screenshot
from tests.ui.test_import_wizard import supplier_list


def _backups(store) -> int:
    return len(
        backups.list_backups(store.backup_dir or backups.default_backup_dir(store.location.path))
    )


def _imported_twice(store, tmp_path):
    first = run_import(store, supplier_list(tmp_path / "first.xlsx"))
    rows = [["Basel Fine Chemicals AG", "CH", "Basel", "", "API", "b@basel.example"]]
    second = run_import(store, supplier_list(tmp_path / "second.xlsx", rows))
    return first, second


def test_history_lists_imports_and_undoes_the_selected_one(
    qtbot, store, make_window, tmp_path, answer
) -> None:
    first, second = _imported_twice(store, tmp_path)
    window = make_window(store)
    dialog = window.show_imports()
    qtbot.waitExposed(dialog)
    model = dialog.model
    assert model.rowCount() == 2
    assert [model.row_at(r).file_name for r in range(2)] == ["second.xlsx", "first.xlsx"]
    assert dialog.selected().id == second.batch_id  # the newest is selected
    save_screenshot(dialog, "imports_dialog")
    backups_before = _backups(store)
    answer(QMessageBox.StandardButton.Yes)
    dialog.undo_selected()
    qtbot.waitUntil(lambda: "Undid import" in dialog.status.text(), timeout=10000)
    assert CmoService(store).count() == first.created
    assert dialog.model.row_at(0).undone
    assert not dialog.undo_button.isEnabled()  # an undone import cannot be undone again
    assert _backups(store) == backups_before + 1  # backed up before the undo
    qtbot.waitUntil(lambda: window.suppliers.model.rowCount() == first.created, timeout=5000)
    save_screenshot(dialog, "imports_dialog_undone")


def test_a_refused_undo_says_why_and_changes_nothing(
    qtbot, store, make_window, tmp_path, answer, monkeypatch
) -> None:
    first, _second = _imported_twice(store, tmp_path)
    cmos = CmoService(store)
    alpine = next(r for r in cmos.list_rows() if r.name == "Alpine Pharma GmbH")
    cmo = cmos.get(alpine.id)
    cmo.city = "Freiburg im Breisgau"
    cmos.update(cmo)  # a later edit to a supplier the first import created
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    dialog = make_window(store).show_imports()
    dialog.table.selectRow(1)  # the first import
    backups_before = _backups(store)
    count = cmos.count()
    answer(QMessageBox.StandardButton.Yes)
    dialog.undo_selected()
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "cannot be undone" in warnings[0] and "Alpine Pharma GmbH" in warnings[0]
    assert cmos.count() == count
    assert _backups(store) == backups_before  # no backup for an undo that is refused
    assert dialog.undo_button.isEnabled() and dialog.close_button.isEnabled()


def test_an_empty_history_says_so(qtbot, store, make_window) -> None:
    dialog = make_window(store).show_imports()
    assert dialog.model.rowCount() == 0
    assert "No supplier list" in dialog.status.text()
    assert not dialog.undo_button.isEnabled()


def test_enter_or_a_double_click_never_starts_an_undo(
    qtbot, store, make_window, tmp_path, monkeypatch
) -> None:
    from PySide6.QtCore import Qt

    run_import(store, supplier_list(tmp_path / "first.xlsx"))
    count = CmoService(store).count()
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *a: asked.append(title))
    dialog = make_window(store).show_imports()
    qtbot.waitExposed(dialog)
    dialog.table.doubleClicked.emit(dialog.model.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert not asked and CmoService(store).count() == count and not dialog.isVisible()
