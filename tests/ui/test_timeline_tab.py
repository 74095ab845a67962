from PySide6.QtCore import Qt

from planner.services.engagements import EngagementService
from planner.services.timeline import TimelineService
from tests.ui.conftest import save_screenshot


def open_timeline(window, store, program: str):
    engagement = EngagementService(store).find(program)
    window.nav.setCurrentRow(1)
    page = window.engagements
    page.select_id(engagement.id)
    page.tabs.setCurrentWidget(page.timeline_tab)
    return page.timeline_tab, engagement


def test_timeline_tab_draws_and_the_slip_slider_shows_what_moves(
    qtbot, demo_store, make_window
) -> None:
    window = make_window(demo_store)
    window.resize(1280, 800)
    tab, engagement = open_timeline(window, demo_store, "ORP-3308")
    assert tab.model.rowCount() == 11
    assert "11 milestones" in tab.summary.text()
    save_screenshot(window, "timeline_tab")
    index = tab.slip_milestone.findText("Tech-transfer package", Qt.MatchFlag.MatchContains)
    assert index >= 0
    tab.slip_milestone.setCurrentIndex(index)
    tab.slip_days.setValue(120)
    assert tab.canvas.slip is not None and tab.canvas.slip.slip_days == 120
    assert "moves" in tab.slip_result.text()
    save_screenshot(window, "timeline_tab_slip")


def test_conflicts_are_reported_on_the_tab(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    tab, _ = open_timeline(window, demo_store, "ORP-2417")
    assert "conflict" in tab.summary.text()
    assert tab.canvas.view.conflicts


def test_editing_the_table_saves_through_the_service(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    tab, engagement = open_timeline(window, demo_store, "ORP-2417")
    row = next(r for r in range(tab.model.rowCount()) if not tab.model.milestone_at(r).rationale)
    milestone = tab.model.milestone_at(row)
    why = tab.model.index(row, 4)
    assert tab.model.setData(why, "Capacity window agreed with the CMO for Q1.")
    assert TimelineService(demo_store).get_milestone(milestone.id).rationale.startswith("Capacity")
    share = tab.model.index(row, 7)
    tab.model.setData(share, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert TimelineService(demo_store).get_milestone(milestone.id).share_with_cmo
    date_cell = tab.model.index(row, 1)
    assert not tab.model.setData(date_cell, "31/12/2027")
    assert "YYYY-MM-DD" in tab.error.text()


def test_owner_and_driver_drop_downs_save_enum_values(qtbot, demo_store, make_window) -> None:
    from PySide6.QtWidgets import QStyleOptionViewItem

    from planner.domain.timeline import MilestoneDriver, MilestoneOwner

    window = make_window(demo_store)
    tab, _ = open_timeline(window, demo_store, "ORP-2417")
    delegate = tab.table.itemDelegateForColumn(3)
    index = tab.model.index(0, 3)
    editor = delegate.createEditor(tab.table, QStyleOptionViewItem(), index)
    editor.setCurrentIndex(editor.findText(MilestoneDriver.LAUNCH.label))
    delegate.setModelData(editor, tab.model, index)
    milestone = TimelineService(demo_store).get_milestone(tab.model.milestone_at(0).id)
    assert milestone.driver is MilestoneDriver.LAUNCH
    owner_index = tab.model.index(0, 2)
    editor = delegate.createEditor(tab.table, QStyleOptionViewItem(), owner_index)
    editor.setCurrentIndex(editor.findText(MilestoneOwner.CMO.label))
    delegate.setModelData(editor, tab.model, owner_index)
    assert TimelineService(demo_store).get_milestone(milestone.id).owner is MilestoneOwner.CMO
