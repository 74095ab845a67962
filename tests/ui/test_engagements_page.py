from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.domain.cmo import CMO
from planner.domain.engagement import Engagement
from planner.domain.enums import RelationshipType, Stage
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.ui.cmo_picker import CmoPickerDialog


def seed(store) -> tuple[EngagementService, list[int]]:
    cmos = CmoService(store)
    ids = [
        cmos.create(CMO(name=n, country="DE")).id
        for n in ("Alpha Labs", "Beta Biotech", "Gamma Fill")
    ]
    engagements = EngagementService(store)
    engagements.create(
        Engagement(title="Oral solids tech transfer", program="ORP-1", candidate_ids=ids[:2])
    )
    engagements.create(Engagement(title="Biologics DS", stage=Stage.ACTIVE, chosen_cmo_id=ids[1]))
    return engagements, ids


def test_detail_pane_shows_the_selected_engagement(qtbot, store, make_window) -> None:
    service, _ids = seed(store)
    page = make_window(store).engagements
    target = next(r for r in service.list_rows() if r.title == "Biologics DS")
    page.select_id(target.id)
    assert page.form.title.text() == "Biologics DS"
    assert page.form.stage.currentData() == "active"
    assert page.form.chosen.currentText() == "Beta Biotech"
    assert not page.save_button.isEnabled()


def test_edit_stage_relationship_and_chosen_cmo(qtbot, store, make_window) -> None:
    service, ids = seed(store)
    page = make_window(store).engagements
    target = next(r for r in service.list_rows() if r.title.startswith("Oral"))
    page.select_id(target.id)
    form = page.form
    form.relationship.setCurrentIndex(form.relationship.findData("strategic_partnership"))
    form.chosen.setCurrentIndex(form.chosen.findText("Alpha Labs"))
    form.stage.setCurrentIndex(form.stage.findData("selected"))
    assert page.save_button.isEnabled()
    page.save_button.click()
    saved = service.get(target.id)
    assert saved.stage is Stage.SELECTED
    assert saved.relationship_type is RelationshipType.STRATEGIC_PARTNERSHIP
    assert saved.chosen_cmo_id == ids[0]
    assert not page.save_button.isEnabled()


def test_rule_violation_is_shown_not_saved(qtbot, store, make_window) -> None:
    service, _ids = seed(store)
    page = make_window(store).engagements
    target = next(r for r in service.list_rows() if r.title.startswith("Oral"))
    page.select_id(target.id)
    page.form.stage.setCurrentIndex(page.form.stage.findData("active"))  # no chosen CMO
    page.save_button.click()
    assert "needs a chosen CMO" in page.error.text()
    assert service.get(target.id).stage is Stage.CONSIDERATION


def test_add_candidates_with_the_picker(qtbot, store, make_window) -> None:
    service, ids = seed(store)
    page = make_window(store).engagements
    target = next(r for r in service.list_rows() if r.title.startswith("Oral"))
    page.select_id(target.id)

    def pick() -> None:
        picker = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, CmoPickerDialog) and w.isVisible()
        )
        assert picker.proxy.rowCount() == 1  # the two current candidates are not offered
        picker.table.selectRow(0)
        picker.accept()

    QTimer.singleShot(0, pick)
    page.form.add_candidates.click()
    page.save_button.click()
    assert service.get(target.id).candidate_ids == ids


def test_unsaved_changes_are_not_lost_when_switching(qtbot, store, make_window, answer) -> None:
    service, _ids = seed(store)
    page = make_window(store).engagements
    rows = service.list_rows()
    first = next(r for r in rows if r.title.startswith("Oral"))
    other = next(r for r in rows if r is not first)
    page.select_id(first.id)
    page.form.owner.setText("Priya")
    page.form.owner.textEdited.emit("Priya")
    asked = answer(QMessageBox.StandardButton.Save)
    page.select_id(other.id)
    assert asked and service.get(first.id).owner == "Priya"


def test_new_and_delete_engagement(qtbot, store, make_window, answer, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    service, _ids = seed(store)
    page = make_window(store).engagements
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("ORP-9 tablets", False))
    page.new_button.click()  # cancelled: nothing is created
    assert len(service.list_rows()) == 2
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  ORP-9   tablets ", True))
    page.new_button.click()
    assert page.form.title.text() == "ORP-9 tablets"
    assert len(service.list_rows()) == 3
    assert page.form.program.hasFocus() or not page.isActiveWindow()
    answer(QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    assert len(service.list_rows()) == 2


def test_ctrl_s_saves_and_delete_asks_first(qtbot, store, make_window, answer) -> None:
    from PySide6.QtCore import Qt

    service, _cmo_ids = seed(store)
    first = service.list_rows()[0].id
    window = make_window(store)
    with qtbot.waitActive(window):  # shortcuts go to the active window
        window.activateWindow()
    window.nav.setCurrentRow(1)
    page = window.engagements
    page.select_id(first)
    page.form.owner.setFocus()
    qtbot.keyClicks(page.form.owner, "Priya")
    qtbot.keyClick(page.form.owner, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert service.get(first).owner == "Priya" and not page.form.dirty
    page.table.setFocus()
    asked = answer(QMessageBox.StandardButton.No)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked and len(service.list_rows()) == 2
