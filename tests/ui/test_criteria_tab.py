from planner.services.criteria_scoring import ScoringService
from planner.services.engagements import EngagementService
from tests.ui.conftest import save_screenshot


def open_tab(window, store, program: str, tab_name: str):
    engagement = EngagementService(store).find(program)
    window.nav.setCurrentRow(1)
    page = window.engagements
    page.select_id(engagement.id)
    tab = getattr(page, tab_name)
    page.tabs.setCurrentWidget(tab)
    return tab, engagement


def test_criteria_tab_shows_status_sign_offs_and_weights(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    window.resize(1280, 800)
    tab, _ = open_tab(window, demo_store, "ORP-4021", "criteria_tab")
    assert "In review" in tab.status.text()
    assert tab.criteria.rowCount() >= 10
    verdicts = [tab.sign_offs.item(r, 2).text() for r in range(tab.sign_offs.rowCount())]
    assert "pending" in verdicts and "Agree" in verdicts
    assert tab.weights_chart.bars
    save_screenshot(window, "criteria_tab")


def test_proposal_scores_are_entered_in_the_grid(
    qtbot, demo_store, make_window, monkeypatch
) -> None:
    window = make_window(demo_store)
    tab, engagement = open_tab(window, demo_store, "ORP-4021", "criteria_tab")
    tab.tabs.setCurrentWidget(tab.proposals)
    grid = tab.proposals.grid
    assert grid.columnCount() == 4  # the four candidates
    grid.item(0, 0).setText("4")
    criterion_id, cmo_id = grid.item(0, 0).data(0x0100)
    sheet = ScoringService(demo_store).proposals(engagement.id)
    assert sheet.score(cmo_id, criterion_id).score == 4
    grid.item(0, 0).setText("9")
    assert "not a score" in tab.proposals.error.text()
    assert (
        ScoringService(demo_store).proposals(engagement.id).score(cmo_id, criterion_id).score == 4
    )
    save_screenshot(window, "criteria_proposal_scores")


def test_scorecard_of_the_active_engagement(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    window.resize(1280, 800)
    tab, engagement = open_tab(window, demo_store, "ORP-3308", "criteria_tab")
    tab.tabs.setCurrentWidget(tab.scorecard)
    assert tab.scorecard.grid.columnCount() >= 6
    assert tab.scorecard.chart.bars
    last = tab.scorecard.grid.columnCount() - 1
    tab.scorecard.grid.item(0, last).setText("97")
    sheet = ScoringService(demo_store).scorecard(engagement.id)
    assert any(a.actual == 97 for a in sheet.actuals)
    save_screenshot(window, "criteria_scorecard")


def test_sharing_tab_lists_the_engagement_decisions(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    window.resize(1280, 800)
    tab, _ = open_tab(window, demo_store, "ORP-5530", "sharing_tab")
    assert tab.model.rowCount() >= 3
    assert any(tab.model.row_at(r).status.value == "blocked" for r in range(tab.model.rowCount()))
    from PySide6.QtCore import Qt

    titles = [
        tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(tab.model.columnCount())
    ]
    status, approver = titles.index("Status"), titles.index("Approved by")
    colour = Qt.ItemDataRole.ForegroundRole
    assert tab.model.index(0, status).data(colour) is not None  # the status is coloured,
    assert tab.model.index(0, approver).data(colour) is None  # not the column after it
    save_screenshot(window, "sharing_tab")


def test_the_wizards_open_from_their_tabs(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    tab, engagement = open_tab(window, demo_store, "ORP-4021", "criteria_tab")
    tab.wizard_button.click()
    wizard = window.engagements.criteria_wizard
    assert wizard.isVisible()
    wizard.reject()
    page = window.engagements
    page.tabs.setCurrentWidget(page.timeline_tab)
    page.timeline_tab.wizard_button.click()
    assert page.timeline_wizard.isVisible()
    page.timeline_wizard.reject()


def test_the_sharing_wizard_opens_from_its_tab(qtbot, demo_store, make_window) -> None:
    window = make_window(demo_store)
    tab, _ = open_tab(window, demo_store, "ORP-5530", "sharing_tab")
    tab.wizard_button.click()
    assert window.engagements.sharing_wizard.isVisible()
    window.engagements.sharing_wizard.reject()
