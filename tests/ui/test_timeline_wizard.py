"""The "Document timeline rationale" wizard driven end to end on a real store.

Every answer is checked in the store right after it is given (the wizard saves as it goes), and
closing and reopening the wizard shows the same answers again.
"""

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from planner.domain.engagement import Engagement
from planner.domain.timeline import MilestoneDriver, MilestoneOwner
from planner.domain.timeline_summary import TimelineStep
from planner.services.engagements import EngagementService
from planner.services.timeline import TimelineService
from planner.ui.timeline_pages_template import placed_date, present_steps
from planner.ui.timeline_wizard import TimelineWizard
from tests.ui.conftest import save_screenshot

START = date(2027, 1, 11)
CHOSEN = ["tech_transfer_package", "engineering_batch", "ppq_protocol", "ppq_batches", "launch"]


def open_wizard(qtbot, store, engagement_id: int, title: str = "Engagement") -> TimelineWizard:
    wizard = TimelineWizard(TimelineService(store), engagement_id, title)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def engagement_id(store, program: str) -> int:
    return EngagementService(store).find(program).id


def by_name(store, eid: int) -> dict:
    return {m.name: m for m in TimelineService(store).timeline(eid).milestones}


def tick(page, key: str, checked: bool = True) -> None:
    item = page.table.item(page.row_of(key=key), 0)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def type_date(edit, text: str) -> None:
    edit.setText(text)
    edit.editingFinished.emit()


@pytest.fixture
def empty_engagement(store) -> int:
    return EngagementService(store).create(Engagement(title="Tablets", program="ORP-9")).id


def test_template_page_adds_ticked_steps_and_own_milestones(
    qtbot, store, empty_engagement, answer
) -> None:
    wizard = open_wizard(qtbot, store, empty_engagement, "Tablets")
    changes = []
    wizard.timeline_changed.connect(changes.append)
    page = wizard.template_page
    assert not page.isComplete()
    assert "No milestones yet" in page.notes.text()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    type_date(page.start, START.isoformat())
    for key in CHOSEN:
        tick(page, key)
        qtbot.waitUntil(lambda k=key: k in present_steps(wizard.template, wizard.timeline))
    milestones = by_name(store, empty_engagement)
    assert milestones["Tech-transfer package delivered"].planned_date == START
    # Each later step keeps the template's distance from its planned neighbour.
    assert milestones["Engineering batch"].planned_date == START + timedelta(days=318 - 198)
    assert milestones["Launch"].planned_date == START + timedelta(days=1020 - 198)
    assert milestones["Launch"].hard_deadline
    assert changes and set(changes) == {empty_engagement}
    assert page.isComplete()

    page.own_name.setText("Launch stock released")
    page.add_own_button.click()
    assert "Launch stock released" in by_name(store, empty_engagement)
    assert page.own_name.text() == ""
    page.own_name.setText("launch stock released")  # names are unique, any case
    page.add_own_button.click()
    assert "already has a milestone" in page.message.text()
    assert len(by_name(store, empty_engagement)) == 6

    answer(QMessageBox.StandardButton.No)
    tick(page, "ppq_protocol", checked=False)
    qtbot.wait(20)
    assert "PPQ protocol approved" in by_name(store, empty_engagement)
    assert page.table.item(page.row_of(key="ppq_protocol"), 0).checkState() == Qt.CheckState.Checked
    asked = answer(QMessageBox.StandardButton.Yes)
    tick(page, "ppq_protocol", checked=False)
    qtbot.waitUntil(lambda: "PPQ protocol approved" not in by_name(store, empty_engagement))
    assert "Remove 'PPQ protocol approved'" in asked[0]
    # What hinged through the removed step is bridged: batch → PPQ with both lead times.
    timeline = TimelineService(store).timeline(empty_engagement)
    ids = {m.name: m.id for m in timeline.milestones}
    link = timeline.link(ids["Engineering batch"], ids["PPQ batches complete"])
    assert link is not None and link.min_lead_days == 30 + 60
    save_screenshot(wizard, "timeline_1_template")


def test_a_new_first_date_moves_the_whole_plan(qtbot, store, empty_engagement, answer) -> None:
    service = TimelineService(store)
    service.apply_template(empty_engagement, CHOSEN, START)
    wizard = open_wizard(qtbot, store, empty_engagement)
    page = wizard.template_page
    assert page.start.text() == START.isoformat()
    answer(QMessageBox.StandardButton.Yes)
    type_date(page.start, (START + timedelta(days=14)).isoformat())
    dates = {m.template_key: m.planned_date for m in service.timeline(empty_engagement).milestones}
    assert dates["tech_transfer_package"] == START + timedelta(days=14)
    assert dates["launch"] == START + timedelta(days=1020 - 198 + 14)
    type_date(page.start, "11/01/2027")
    assert "is not a date" in page.message.text()
    assert page.start.text() == (START + timedelta(days=14)).isoformat()


def test_placed_date_follows_the_nearest_planned_step(store, empty_engagement) -> None:
    service = TimelineService(store)
    timeline = service.apply_template(empty_engagement, ["site_audit", "launch"], START)
    present = present_steps(service.template(), timeline)
    # Before the audit: counted back from it; between audit and launch: from the audit.
    assert placed_date(service.template(), present, "cda_signed") == START - timedelta(days=98)
    assert placed_date(service.template(), present, "ppq_batches") == START + timedelta(
        days=450 - 98
    )
    assert placed_date(service.template(), {}, "launch") is None


def test_full_walk_through_on_an_empty_engagement(qtbot, store, empty_engagement) -> None:
    service = TimelineService(store)
    wizard = open_wizard(qtbot, store, empty_engagement, "Tablets")
    template = wizard.template_page
    type_date(template.start, START.isoformat())
    template.add_steps(CHOSEN)
    template.own_name.setText("Launch stock released")
    template.add_own()
    wizard.next()

    # Dates and owners: the own milestone has neither, so Next waits for it.
    dates = wizard.dates_page
    assert wizard.currentPage() is dates
    own = by_name(store, empty_engagement)["Launch stock released"]
    assert not dates.isComplete()
    assert "'Launch stock released' has no date and no owner" in dates.notes.text()
    save_screenshot(wizard, "timeline_2_dates_missing")
    type_date(dates.dates[own.id], "2029-13-01")
    assert "is not a date" in dates.message.text() and dates.dates[own.id].text() == ""
    type_date(dates.dates[own.id], "2029-03-01")
    assert by_name(store, empty_engagement)["Launch stock released"].planned_date == date(
        2029, 3, 1
    )
    assert not dates.isComplete()
    combo = dates.owners[own.id]
    combo.setCurrentIndex(combo.findData(MilestoneOwner.CMO))
    assert by_name(store, empty_engagement)["Launch stock released"].owner is MilestoneOwner.CMO
    assert dates.isComplete() and dates.notes.isHidden()
    save_screenshot(wizard, "timeline_2_dates")
    wizard.next()

    # The why and the driver.
    why = wizard.rationale_page
    assert wizard.currentPage() is why
    why.focus_milestone(own.id)
    assert why.current_id == own.id and why.driver.currentIndex() == 0
    why.driver.setCurrentIndex(why.driver.findData(MilestoneDriver.LAUNCH))
    why.why.setPlainText("Three months of launch stock at the wholesaler before launch.")
    why.why.commit()
    stored = by_name(store, empty_engagement)["Launch stock released"]
    assert stored.driver is MilestoneDriver.LAUNCH and stored.rationale.startswith("Three months")
    tt = by_name(store, empty_engagement)["Tech-transfer package delivered"]
    why.focus_milestone(tt.id)
    assert "Ask yourself" in why.prompt.text()
    why.why.setPlainText("The CMO needs four months with the package before the slot.")
    qtbot.waitUntil(
        lambda: by_name(store, empty_engagement)["Tech-transfer package delivered"].rationale != "",
        timeout=3000,
    )  # saved after a pause in typing
    assert "has no rationale" in why.notes.text()  # the others are still open, but Next is allowed
    assert why.isComplete()
    save_screenshot(wizard, "timeline_3_rationale")
    wizard.next()

    # What hinges on it: launch stock → launch with 21 days, and a refused cycle.
    hinges = wizard.hinges_page
    hinges.focus_milestone(own.id)
    launch = by_name(store, empty_engagement)["Launch"]
    row = next(
        r
        for r in range(hinges.dependents.rowCount())
        if hinges.dependents.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) == launch.id
    )
    hinges.dependents.item(row, 0).setCheckState(Qt.CheckState.Checked)
    hinges.leads[launch.id].setValue(21)
    link = service.timeline(empty_engagement).link(own.id, launch.id)
    assert link is not None and link.min_lead_days == 21
    hinges.outside.setPlainText("Wholesaler stocking; launch plan")
    hinges.impact.setPlainText("Launch waits for stock")
    hinges.impact.commit()
    stored = by_name(store, empty_engagement)["Launch stock released"]
    assert stored.external_consequences == "Wholesaler stocking; launch plan"
    assert stored.slip_impact == "Launch waits for stock"
    hinges.focus_milestone(launch.id)
    row = next(
        r
        for r in range(hinges.dependents.rowCount())
        if hinges.dependents.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) == own.id
    )
    hinges.dependents.item(row, 0).setCheckState(Qt.CheckState.Checked)
    assert "cycle" in hinges.message.text()
    assert hinges.dependents.item(row, 0).checkState() == Qt.CheckState.Unchecked
    assert service.timeline(empty_engagement).link(launch.id, own.id) is None
    hinges.focus_milestone(own.id)
    save_screenshot(wizard, "timeline_4_hinges")
    wizard.next()

    # Buffers and hard deadlines.
    buffers = wizard.buffers_page
    batch = by_name(store, empty_engagement)["Engineering batch"]
    buffers.buffers[batch.id].setValue(10)
    assert by_name(store, empty_engagement)["Engineering batch"].buffer_days == 10
    buffers.deadlines[own.id].setChecked(True)
    assert by_name(store, empty_engagement)["Launch stock released"].hard_deadline
    texts = [buffers.table.item(r, 4).text() for r in range(buffers.table.rowCount())]
    assert "is a hard deadline" in texts and any("· Launch" in t for t in texts)
    save_screenshot(wizard, "timeline_5_buffers")
    wizard.next()

    # Conflicts and the slip explorer.
    slips = wizard.conflicts_page
    assert slips.no_conflicts.isVisibleTo(slips) and not slips.fix_button.isVisibleTo(slips)
    assert slips.milestone.currentData() == tt.id  # the example comes first
    slips.days.setValue(60)
    assert slips.effects.rowCount() >= 2
    assert slips.sentence.text().startswith("If 'Tech-transfer package delivered' slips 60 days")
    save_screenshot(wizard, "timeline_6_slips")
    wizard.next()

    # What to share, with a confirmation typed in two halves.
    share = wizard.share_page
    share.shares[tt.id].setChecked(True)
    assert by_name(store, empty_engagement)["Tech-transfer package delivered"].share_with_cmo
    assert share.confirmed_on[tt.id].isEnabled()
    type_date(share.confirmed_on[tt.id], "2027-01-20")
    assert "who confirmed it" in share.message.text()
    assert not by_name(store, empty_engagement)["Tech-transfer package delivered"].cmo_confirmed
    assert not share.validatePage()  # half a confirmation is not left behind unnoticed
    share.confirmed_by[tt.id].setText("A. Rossi")
    share.confirmed_by[tt.id].editingFinished.emit()
    stored = by_name(store, empty_engagement)["Tech-transfer package delivered"]
    assert (stored.cmo_confirmed_on, stored.cmo_confirmed_by) == (date(2027, 1, 20), "A. Rossi")
    share.all_button.click()
    assert all(m.share_with_cmo for m in service.timeline(empty_engagement).milestones)
    share.none_button.click()
    assert not any(m.share_with_cmo for m in service.timeline(empty_engagement).milestones)
    share.shares[tt.id].setChecked(True)
    save_screenshot(wizard, "timeline_7_share")
    wizard.next()

    summary = wizard.summary_page
    assert wizard.currentPage() is summary
    assert "<b>6</b> milestones" in summary.counts.text()
    assert "to settle" in summary.verdict.text()
    save_screenshot(wizard, "timeline_8_summary")
    wizard.button(wizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()

    # Reopened: every answer is there again.
    again = open_wizard(qtbot, store, empty_engagement, "Tablets")
    assert again.template_page.start.text() == START.isoformat()
    again.next()
    assert again.dates_page.dates[own.id].text() == "2029-03-01"
    again.next()
    again.rationale_page.focus_milestone(own.id)
    assert again.rationale_page.why.toPlainText().startswith("Three months")
    again.next()
    again.hinges_page.focus_milestone(own.id)
    assert again.hinges_page.leads[launch.id].value() == 21
    assert again.hinges_page.outside.toPlainText() == "Wholesaler stocking; launch plan"
    again.next()
    assert again.buffers_page.buffers[batch.id].value() == 10
    again.next()
    again.next()
    assert again.share_page.confirmed_by[tt.id].text() == "A. Rossi"
    assert again.share_page.shares[tt.id].isChecked()


def test_closing_while_typing_keeps_the_text(qtbot, demo_store) -> None:
    eid = engagement_id(demo_store, "ORP-2417")
    wizard = open_wizard(qtbot, demo_store, eid)
    wizard.next()
    wizard.next()
    page = wizard.rationale_page
    report = by_name(demo_store, eid)["PPQ report approved"]
    page.focus_milestone(report.id)
    page.why.setPlainText("Module 3 authoring needs it by end of September.")
    wizard.button(wizard.WizardButton.CancelButton).click()  # "Close"
    assert by_name(demo_store, eid)["PPQ report approved"].rationale.startswith("Module 3")


def test_new_engagement_from_the_whole_template(qtbot, demo_store) -> None:
    eid = engagement_id(demo_store, "ORP-4021")
    wizard = open_wizard(qtbot, demo_store, eid, "ADC drug product")
    page = wizard.template_page
    type_date(page.start, "2027-03-01")
    page.add_all_button.click()
    timeline = TimelineService(demo_store).timeline(eid)
    assert len(timeline.milestones) == 14 and len(timeline.links) == 14
    assert not page.add_all_button.isEnabled()
    save_screenshot(wizard, "timeline_template_all")
    wizard.next()
    assert wizard.dates_page.isComplete()  # the template gives dates and owners
    wizard.next()
    assert len(wizard.rationale_page.notes.text().splitlines()) == 6  # heading, 4, "and more"


def test_gapped_engagement_conflict_fix_slip_and_go_to(qtbot, demo_store) -> None:
    eid = engagement_id(demo_store, "ORP-2417")
    service = TimelineService(demo_store)
    wizard = open_wizard(qtbot, demo_store, eid, "Kinase inhibitor API")
    template = wizard.template_page
    filing = template.table.item(template.row_of(key="regulatory_filing"), 4).text()
    assert "as 'NDA submission'" in filing  # the step is planned under the engagement's name
    own_rows = [template.table.item(r, 1).text() for r in range(template.table.rowCount())].count(
        "your own"
    )
    assert own_rows == 1  # "CDA renewed"
    save_screenshot(wizard, "timeline_demo_template")
    for _ in range(5):
        wizard.next()
    page = wizard.conflicts_page
    assert wizard.currentPage() is page
    assert page.conflicts.count() == 1 and page.fix_button.isVisibleTo(page)
    assert "2027-08-26" in page.fix_button.text()
    ppq = by_name(demo_store, eid)["PPQ batches complete"]
    page.milestone.setCurrentIndex(page.milestone.findData(ppq.id))
    page.days.setValue(30)
    assert "a hard deadline moves: 'NDA submission'" in page.sentence.text()
    assert "NDA submission" in page.room.text()
    save_screenshot(wizard, "timeline_demo_conflicts")
    page.fix_button.click()  # only the one milestone: what follows it now comes too early
    assert by_name(demo_store, eid)["PPQ batches complete"].planned_date == date(2027, 8, 26)
    assert [c.dependent_name for c in service.view(eid).conflicts] == [
        "PPQ report approved",
        "Stability data cut-off",
    ]
    assert page.conflicts.count() == 2 and "Moved" in page.message.text()
    page.push_button.click()
    page.push_button.click()
    assert service.view(eid).conflicts == ()
    assert by_name(demo_store, eid)["NDA submission"].planned_date == date(2028, 4, 7)
    assert page.no_conflicts.isVisibleTo(page) and not page.push_button.isVisibleTo(page)
    wizard.next()
    wizard.next()

    summary = wizard.summary_page
    top = [summary.tree.topLevelItem(i).text(0) for i in range(summary.tree.topLevelItemCount())]
    assert top[0].startswith("The why and the driver — 3 to settle")
    assert not any(t.startswith("Conflicts") for t in top)
    save_screenshot(wizard, "timeline_demo_summary")
    # The checklist keeps steps with points to settle as still to do.
    assert wizard.steps.item(2).text().startswith("○")
    assert wizard.steps.item(2).toolTip() == "3 points to settle"
    assert wizard.steps.item(5).text().startswith("✓")  # the conflicts are settled
    group = summary.tree.topLevelItem(0)
    engineering = by_name(demo_store, eid)["Engineering batch"]
    target = next(
        group.child(i) for i in range(group.childCount()) if "Engineering" in group.child(i).text(0)
    )
    summary.tree.setCurrentItem(target)
    assert "The why and the driver" in summary.go_button.text()
    summary.go_button.click()
    assert wizard.currentPage() is wizard.rationale_page
    assert wizard.rationale_page.current_id == engineering.id


def test_go_to_from_summary_reaches_dates_of_an_undated_milestone(
    qtbot, store, empty_engagement
) -> None:
    service = TimelineService(store)
    service.apply_template(empty_engagement, CHOSEN, START)
    wizard = open_wizard(qtbot, store, empty_engagement)
    for _ in range(7):
        wizard.next()
    assert wizard.currentPage() is wizard.summary_page
    # Made undated behind the wizard's back (another user of a shared store): the summary shows
    # it once re-entered, and "Go to step" walks back to the dates page.
    launch = by_name(store, empty_engagement)["Launch"]
    service.set_schedule(launch.id, None, launch.owner)
    wizard.back()
    wizard.next()
    summary = wizard.summary_page
    group = summary.tree.topLevelItem(0)  # groups come in the order of the steps
    assert group.text(0) == "Dates and owners — 1 to settle"
    assert summary.go_to_item(group)
    assert wizard.currentPage() is wizard.dates_page
    assert not wizard.dates_page.isComplete()
    assert wizard.page_for_step(TimelineStep.DATES) is wizard.dates_page


def test_no_hard_deadline_leads_to_the_buffers_step(qtbot, store, empty_engagement) -> None:
    TimelineService(store).apply_template(empty_engagement, CHOSEN[:2], START)
    wizard = open_wizard(qtbot, store, empty_engagement)
    for _ in range(4):
        wizard.next()
    assert "No milestone is marked as a hard deadline" in wizard.buffers_page.notes.text()
    for _ in range(3):
        wizard.next()
    summary = wizard.summary_page
    groups = {
        summary.tree.topLevelItem(i).text(0): summary.tree.topLevelItem(i)
        for i in range(summary.tree.topLevelItemCount())
    }
    group = groups["Buffers and deadlines — 1 worth a look"]
    summary.tree.itemDoubleClicked.emit(group.child(0), 0)
    assert wizard.currentPage() is wizard.buffers_page
    batch = by_name(store, empty_engagement)["Engineering batch"]
    wizard.buffers_page.deadlines[batch.id].setChecked(True)
    assert wizard.buffers_page.notes.isHidden()


def test_documented_engagement_has_nothing_open(qtbot, demo_store) -> None:
    eid = engagement_id(demo_store, "ORP-3308")
    wizard = open_wizard(qtbot, demo_store, eid, "Biologics DS and PFS")
    names = ["template", "dates", "rationale", "hinges", "buffers", "conflicts", "share", "summary"]
    for i, name in enumerate(names):
        page = wizard.currentPage()
        assert page is wizard.pages()[i]
        if name in ("dates", "rationale", "conflicts"):
            assert page.notes.isHidden()
        save_screenshot(wizard, f"timeline_documented_{i + 1}_{name}")
        if i < len(names) - 1:
            wizard.next()
    summary = wizard.summary_page
    assert "Nothing blocking" in summary.verdict.text()
    assert not summary.tree.isVisibleTo(summary) and not summary.go_button.isVisibleTo(summary)
    assert wizard.steps.item(0).text().startswith("✓")


def test_refused_edit_restores_the_widget(qtbot, demo_store) -> None:
    eid = engagement_id(demo_store, "ORP-3308")
    wizard = open_wizard(qtbot, demo_store, eid)
    changes = []
    wizard.timeline_changed.connect(changes.append)
    for _ in range(6):
        wizard.next()
    share = wizard.share_page
    tt = by_name(demo_store, eid)["Tech-transfer package delivered"]
    # The milestone vanishes behind the wizard's back: the service says so, the widget reverts.
    TimelineService(demo_store).remove_milestone(tt.id)
    share.shares[tt.id].setChecked(False)
    assert "no milestone" in share.message.text()
    qtbot.waitUntil(lambda: tt.id not in share.shares)  # the page shows the plan as it is now
    assert share.table.rowCount() == 10 and changes == [eid]
