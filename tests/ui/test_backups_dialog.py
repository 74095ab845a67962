from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import save_screenshot


def test_back_up_now_lists_the_backup_and_restore_is_requested(
    qtbot, demo_store, make_window, answer
) -> None:
    window = make_window(demo_store)
    dialog = window.show_backups()
    assert dialog.model.rowCount() == 0
    dialog.now_button.click()
    dialog.now_button.click()
    assert dialog.model.rowCount() == 2
    assert dialog.model.index(0, 1).data() == "manual"
    save_screenshot(dialog, "backups_dialog")
    dialog.table.selectRow(0)
    answer(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.restore_requested) as signal:
        dialog.restore_button.click()
    assert signal.args[0].exists()


def test_enter_in_the_list_closes_instead_of_backing_up(qtbot, demo_store, make_window) -> None:
    from PySide6.QtCore import Qt

    dialog = make_window(demo_store).show_backups()
    qtbot.waitExposed(dialog)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 0 and not dialog.isVisible()
