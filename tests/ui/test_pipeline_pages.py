from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from planner.services.cmos import CmoService
from planner.services.pipeline import PipelineService
from planner.ui.asset_dialog import AssetDialog
from tests.ui.conftest import save_screenshot


def test_add_edit_archive_an_asset(qtbot, store, make_window, answer) -> None:
    window = make_window(store)
    window.nav.setCurrentRow(2)
    page = window.pipeline

    def fill() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, AssetDialog) and w.isVisible()
        )
        dialog.code.setText("ORP-9001")
        dialog.modality.setCurrentText("Peptide")
        dialog.area.setText("Metabolism")
        dialog.phase.setCurrentIndex(dialog.phase.findText("Phase 2"))
        dialog.volumes.add_row(["2027", "12.5"])
        dialog.volumes.add_row(["2028", "40"])
        save_screenshot(dialog, "asset_dialog")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill)
    page.add_button.click()
    [asset] = PipelineService(store).list_assets()
    assert (asset.code, asset.volumes) == ("ORP-9001", {2027: 12.5, 2028: 40.0})
    assert page.model.rowCount() == 1 and page.selected_id() == asset.id
    answer(QMessageBox.StandardButton.Yes)
    page.archive_button.click()
    assert PipelineService(store).list_assets() == []
    page.show_archived.setChecked(True)
    assert page.model.rowCount() == 1


def test_disclosures_page_filters_and_answers_what_a_cmo_knows(
    qtbot, demo_store, make_window
) -> None:
    window = make_window(demo_store)
    window.resize(1280, 760)
    window.nav.setCurrentRow(3)
    page = window.disclosures
    total = page.decisions.rowCount()
    assert total >= 10
    thames = CmoService(demo_store).find_by_name("Thamesbrook Peptides")
    page.cmo.setCurrentIndex(page.cmo.findData(thames.id))
    assert 0 < page.decisions.rowCount() < total
    page.asset.setCurrentIndex(page.asset.findText("ORP-1152"))
    assert "What Thamesbrook Peptides knows about ORP-1152" in page.knowledge.text()
    page.cmo.setCurrentIndex(0)
    page.asset.setCurrentIndex(0)
    page.due_only.setChecked(True)
    statuses = {page.decisions.row_at(r).status.value for r in range(page.decisions.rowCount())}
    assert statuses <= {"blocked", "review"} and "blocked" in statuses
    save_screenshot(window, "disclosures_due")
