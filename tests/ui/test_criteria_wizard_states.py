"""The criteria wizard on sets in other states: communicated (version 2), in review, aligned;
the pairwise check, the KPI focus and the criterion dialog's refusals."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from planner.domain.criteria import SetStatus, Verdict
from planner.services.criteria_library import CriteriaLibrary
from planner.services.criteria_sets import CriteriaSetService
from planner.ui.criteria_pages_criterion import CriterionDialog
from planner.ui.criteria_pages_focus import Focus
from planner.ui.criteria_pages_pairwise import PairwiseDialog
from tests.ui.criteria_wizard_helpers import (
    KPI,
    SEL,
    current,
    fill_criterion,
    go_next,
    open_wizard,
    shot,
    tick,
    ticked,
    with_dialog,
)


def test_a_communicated_set_is_edited_as_version_2(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-3308")
    notice = wizard.focus_page.notice.text()
    assert "Version 1 was communicated on" in notice and "your edits create version 2" in notice
    assert len(CriteriaSetService(demo_store).versions(wizard.engagement_id)) == 1  # not yet
    shot(wizard, "criteria_communicated")
    go_next(wizard)
    cs = current(demo_store, "ORP-3308")
    assert (cs.version, cs.status) == (2, SetStatus.DRAFT)
    assert len(cs.criteria) == 18 and all(s.verdict is None for s in cs.sign_offs)
    assert cs.sign_off("qa").person == "Dr Helena Voss"  # the same people are asked again
    tick(wizard.selection_page, "Commercial and contract terms", on=False)
    go_next(wizard)
    go_next(wizard)
    assert not wizard.weights_page.isComplete()
    wizard.weights_page.stage_widget(SEL).normalise_button.click()
    while wizard.currentPage() is not wizard.summary_page:
        go_next(wizard)
    text = wizard.summary_page.report.toPlainText()
    assert "Changes since version 1" in text and "Removed selection 'Commercial" in text
    assert not wizard.summary_page.export_button.isEnabled()
    v1 = CriteriaSetService(demo_store).get_version(wizard.engagement_id, 1)
    assert v1.status is SetStatus.COMMUNICATED and len(v1.criteria) == 18


def test_a_set_in_review_collects_the_missing_sign_offs(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-4021")
    assert "clears the 2 verdicts given" in wizard.focus_page.notice.text()
    go_next(wizard)
    assert "clears the 2 verdicts given" in wizard.selection_page.note.text()
    assert wizard.selection_page.note.isVisible()
    while wizard.currentPage() is not wizard.sign_off_page:
        go_next(wizard)
    page = wizard.sign_off_page
    assert "In review" in page.stepper.text() and "2 of 5" in page.stepper.text()
    assert not page.submit_button.isEnabled()
    roles = page.rows
    for role in ("supply_chain", "procurement", "regulatory"):
        combo = page.verdict[roles.index(role)]
        combo.setCurrentIndex(combo.findData(Verdict.AGREE.value))
        combo.activated.emit(combo.currentIndex())
    cs = current(demo_store, "ORP-4021")
    assert cs.status is SetStatus.ALIGNED
    assert cs.sign_off("procurement").person == "Luca Bernardi"
    shot(wizard, "criteria_in_review_signed")
    go_next(wizard)
    go_next(wizard)
    assert wizard.summary_page.export_button.isEnabled()


def test_an_objection_keeps_the_set_in_review(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-4021")
    while wizard.currentPage() is not wizard.sign_off_page:
        go_next(wizard)
    page = wizard.sign_off_page
    row = page.rows.index("regulatory")
    page.comment[row].setText("The stability criterion is missing for a Phase 1b product.")
    page.signed_on[row].setText("2026-10-20")
    page.verdict[row].setCurrentIndex(page.verdict[row].findData(Verdict.OBJECT.value))
    page.verdict[row].activated.emit(page.verdict[row].currentIndex())
    s = current(demo_store, "ORP-4021").sign_off("regulatory")
    assert s.verdict is Verdict.OBJECT and str(s.signed_on) == "2026-10-20"
    go_next(wizard)
    go_next(wizard)
    text = wizard.summary_page.report.toPlainText()
    assert "Regulatory (Sophie Laurent) objects" in text
    assert not wizard.summary_page.export_button.isEnabled()


def test_editing_an_aligned_set_warns_and_returns_it_to_draft(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-2417")
    go_next(wizard)
    go_next(wizard)
    go_next(wizard)
    page = wizard.weights_page
    assert (
        "Version 1 is aligned" in page.note.text() and "clears the 5 verdicts" in page.note.text()
    )
    shot(wizard, "criteria_weights_aligned_warning")
    selection = page.stage_widget(SEL)
    selection.rebalance.setChecked(False)
    selection.spins[0].setValue(selection.spins[0].value() + 5)
    selection.spins[0].editingFinished.emit()
    cs = current(demo_store, "ORP-2417")
    assert cs.status is SetStatus.DRAFT and all(s.verdict is None for s in cs.sign_offs)
    assert "5 points over 100" in selection.remainder.text()
    assert not page.isComplete() and "add up to 105" in page.blocker.text()
    assert not page.note.isVisible()  # nothing left to lose


def test_inconsistent_comparisons_are_flagged_and_still_applied(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-2417")
    for _ in range(3):
        go_next(wizard)
    kpis = wizard.weights_page.stage_widget(KPI)
    ids = kpis.ids
    seen: list[str] = []

    def judge(dialog: PairwiseDialog) -> None:
        for i, first in enumerate(ids):
            for second in ids[i + 1 :]:
                dialog.choose(first, second, 9 if (i % 2 == 0) else 1 / 9)
        dialog.choose(ids[0], ids[1], 1 / 9)
        before = dict(dialog.state.judgments)
        dialog.clear_button.click()  # asks first; the test's answer is "no"
        assert dialog.state.judgments == before
        seen.append(dialog.consistency.text())
        shot(dialog, "criteria_pairwise_inconsistent")
        dialog.accept()

    errors = with_dialog(PairwiseDialog, judge)
    kpis.pairwise_button.click()
    assert not errors and "⚠" in seen[0] and "Most at odds" in seen[0]
    assert "inconsistent" in wizard.weights_page.message.text()
    assert current(demo_store, "ORP-2417").weight_total(KPI) == 100


def test_kpi_focus_skips_the_selection_steps(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-5530")
    wizard.focus_page.choices.button(2).setChecked(True)
    assert wizard.focus is Focus.PERFORMANCE
    assert wizard.steps.item(1).text().startswith("–")
    go_next(wizard)
    assert wizard.currentPage() is wizard.kpi_page
    tick(wizard.kpi_page, "Response time")

    def own_kpi(dialog: CriterionDialog) -> None:
        fill_criterion(dialog, "Duplex purity at release")
        dialog.metric_edit.setText("Full-length product by ion-pair HPLC")
        dialog.unit.setText("% area")
        dialog.target.setText("90")
        dialog.floor.setText("85")
        shot(dialog, "criteria_own_kpi_dialog")
        dialog._accept()

    errors = with_dialog(CriterionDialog, own_kpi)
    wizard.kpi_page.add_button.click()
    assert not errors
    kpi = current(demo_store, "ORP-5530").stage_criteria(KPI)[-1]
    assert (kpi.name, kpi.target, kpi.floor, kpi.direction.value) == (
        "Duplex purity at release",
        90,
        85,
        "higher",
    )
    go_next(wizard)
    assert wizard.currentPage() is wizard.weights_page
    assert [w.stage for w in wizard.weights_page.stages] == [KPI]
    shot(wizard, "criteria_kpi_focus_weights")


def test_an_own_criterion_is_removed_only_when_confirmed(qtbot, demo_store, answer) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-4021")
    go_next(wizard)
    page = wizard.selection_page
    answer(QMessageBox.StandardButton.No)
    tick(page, "Lyophilisation cycle development", on=False)
    assert "Lyophilisation cycle development" in ticked(page)
    asked = answer(QMessageBox.StandardButton.Yes)
    tick(page, "Lyophilisation cycle development", on=False)
    assert asked and "wording goes with it" in asked[0]
    names = [c.name for c in current(demo_store, "ORP-4021").criteria]
    assert "Lyophilisation cycle development" not in names
    assert current(demo_store, "ORP-4021").status is SetStatus.DRAFT


def test_without_a_recipient_store_every_candidate_is_ticked(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-5530")
    assert (
        len(wizard.recipients) == 3 and wizard.recipient_names()[0] == "Kranji Chemical Development"
    )


def test_a_name_already_chosen_is_refused_in_the_dialog(qtbot, demo_store) -> None:
    wizard = open_wizard(qtbot, demo_store, "ORP-4021")
    go_next(wizard)
    seen: list[str] = []

    def duplicate(dialog: CriterionDialog) -> None:
        fill_criterion(dialog, "cost", library=True)
        dialog._accept()
        seen.append(dialog.error.text() if dialog.isVisible() else "closed")

    errors = with_dialog(CriterionDialog, duplicate)
    wizard.selection_page.add_button.click()
    assert not errors and seen == ["'cost' is already among the selection criteria."]
    assert CriteriaLibrary(demo_store).custom() == []
    assert current(demo_store, "ORP-4021").status is SetStatus.IN_REVIEW  # nothing was written
