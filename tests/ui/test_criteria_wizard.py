"""The criteria wizard driven end to end on copies of the demo store.

ORP-5530 has no criteria (the whole flow from scratch), ORP-4021 a set in review with partial
sign-offs, ORP-2417 an aligned set, ORP-3308 a communicated one (editing starts version 2).
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.domain.criteria import SetStatus, Verdict
from planner.services.criteria_library import CriteriaLibrary
from planner.ui.criteria_pages_criterion import CriterionDialog
from planner.ui.criteria_pages_focus import Focus
from planner.ui.criteria_pages_pairwise import PairwiseDialog
from tests.ui.criteria_wizard_helpers import (
    KPI,
    SEL,
    MemoryRecipients,
    current,
    fill_criterion,
    go_next,
    open_wizard,
    shot,
    tick,
    ticked,
    weight_of,
    with_dialog,
)


def test_the_whole_flow_from_scratch_and_reopening(qtbot, demo_store, answer) -> None:
    recipients = MemoryRecipients()
    wizard = open_wizard(qtbot, demo_store, "ORP-5530", recipients)
    changes: list[int] = []
    wizard.criteria_changed.connect(changes.append)

    # 1. focus: nothing exists yet; Next starts version 1
    focus = wizard.focus_page
    assert wizard.focus is Focus.BOTH
    assert "Next starts version 1" in focus.notice.text()
    shot(wizard, "criteria_1_focus")
    go_next(wizard)
    cs = current(demo_store, "ORP-5530")
    assert (cs.version, cs.status) == (1, SetStatus.DRAFT) and changes

    # 2. selection criteria: ticking stores; own criteria, one saved to the library
    page = wizard.selection_page
    assert not page.isComplete() and "at least one selection criterion" in page.blocker.text()
    tick(page, "Quality systems and cGMP compliance", "Technical capability", "Cost")
    assert [c.name for c in current(demo_store, "ORP-5530").criteria] == [
        "Quality systems and cGMP compliance",
        "Technical capability",
        "Cost",
    ]
    shots: list[str] = []

    def own_to_library(dialog: CriterionDialog) -> None:
        fill_criterion(dialog, "Duplex manufacturing scale", library=True)
        shot(dialog, "criteria_own_criterion_dialog")
        shots.append("dialog")
        dialog._accept()

    errors = with_dialog(CriterionDialog, own_to_library)
    page.add_button.click()
    assert not errors and shots
    entry = next(e for e in CriteriaLibrary(demo_store).custom() if e.name.startswith("Duplex"))
    assert entry.key.startswith("custom.") and len(entry.scale) == 5
    errors = with_dialog(
        CriterionDialog,
        lambda d: (fill_criterion(d, "Annealing capacity", anchors=False), d._accept()),
    )
    page.add_button.click()
    assert not errors
    assert "'Annealing capacity' needs wording for all 5 scale points" in page.blocker.text()
    assert not page.isComplete()
    page._select_name("Annealing capacity")
    errors = with_dialog(
        CriterionDialog,
        lambda d: (fill_criterion(d, "Annealing capacity"), d._accept()),
    )
    page.edit_button.click()
    assert not errors and page.isComplete()
    assert len(current(demo_store, "ORP-5530").stage_criteria(SEL)) == 5
    shot(wizard, "criteria_2_selection")
    go_next(wizard)

    # 3. KPIs
    page = wizard.kpi_page
    tick(page, "Right-first-time batches", "Deviations per batch", "On time in full (OTIF)")
    assert len(current(demo_store, "ORP-5530").stage_criteria(KPI)) == 3
    shot(wizard, "criteria_3_kpis")
    go_next(wizard)

    # 4. weights: the library's suggestions do not add up until normalised
    page = wizard.weights_page
    selection = page.stage_widget(SEL)
    assert "Selection criteria weights add up to 32, not 100" in page.blocker.text()
    assert "68 points still to hand out" in selection.remainder.text()
    shot(wizard, "criteria_4_weights_incomplete")
    assert not page.isComplete()
    selection.normalise_button.click()
    cs = current(demo_store, "ORP-5530")
    assert cs.weight_total(SEL) == 100 and weight_of(cs, "Annealing capacity") == 0
    row = selection.ids.index(next(c.id for c in cs.criteria if c.name == "Annealing capacity"))
    selection.spins[row].setValue(20)
    selection.spins[row].editingFinished.emit()  # rebalances the unlocked rows to total 100
    cs = current(demo_store, "ORP-5530")
    assert weight_of(cs, "Annealing capacity") == 20 and cs.weight_total(SEL) == 100
    selection.locks[row].setChecked(True)
    selection.equal_button.click()  # the locked 20 stays; 80 is split four ways
    cs = current(demo_store, "ORP-5530")
    assert weight_of(cs, "Annealing capacity") == 20 and weight_of(cs, "Cost") == 20
    tech = selection.ids.index(next(c.id for c in cs.criteria if c.name == "Technical capability"))
    selection.knockouts[tech].setChecked(True)
    selection.evidence[tech].setText("Two case studies of GalNAc conjugates scaled above 1 kg.")
    selection.evidence[tech].editingFinished.emit()
    technical = next(
        c for c in current(demo_store, "ORP-5530").criteria if c.name == "Technical capability"
    )
    assert technical.knockout and technical.evidence_requested.startswith("Two case studies")

    page.tabs.setCurrentIndex(1)
    kpis = page.stage_widget(KPI)
    ids = kpis.ids

    def judge(dialog: PairwiseDialog) -> None:
        assert not dialog.apply_button.isEnabled()
        dialog.choose(ids[0], ids[1], 2)
        dialog.choose(ids[0], ids[2], 4)
        dialog.choose(ids[1], ids[2], 2)
        assert dialog.apply_button.isEnabled()
        assert "Consistency ratio 0.00" in dialog.consistency.text()
        shot(dialog, "criteria_pairwise_dialog")
        dialog.accept()

    errors = with_dialog(PairwiseDialog, judge)
    kpis.pairwise_button.click()
    assert not errors
    cs = current(demo_store, "ORP-5530")
    assert [c.weight for c in cs.stage_criteria(KPI)] == [57.1, 28.6, 14.3]
    assert "consistency ratio 0.00" in page.message.text()
    shot(wizard, "criteria_4_weights")
    go_next(wizard)

    # 5. KPI targets: stored field by field; a floor better than the target is refused
    page = wizard.targets_page
    shot(wizard, "criteria_5_targets")
    otif = 2
    page.target[otif].setText("97")
    page.target[otif].editingFinished.emit()
    assert current(demo_store, "ORP-5530").stage_criteria(KPI)[otif].target == 97
    page.floor[otif].setText("99")
    page.floor[otif].editingFinished.emit()
    assert "must be worse than its target" in page.message.text()
    assert page.floor[otif].text() == "75"  # what is stored is shown again
    go_next(wizard)

    # 6. sign-off: roles, people, submit, verdicts; a comment-less objection waits
    page = wizard.sign_off_page
    assert "Draft" in page.stepper.text()
    page.role_boxes["regulatory"].setChecked(True)
    assert current(demo_store, "ORP-5530").required_roles[-1] == "regulatory"
    people = ["Dr Helena Voss", "Maren Holt", "Luca Bernardi", "Dr Arjun Patel", "Sophie Laurent"]
    for row, person in enumerate(people):
        page.person[row].setText(person)
        page.person[row].editingFinished.emit()
    assert [s.person for s in current(demo_store, "ORP-5530").sign_offs] == people
    page.submit_button.click()
    assert current(demo_store, "ORP-5530").status is SetStatus.IN_REVIEW
    for row in range(4):
        page.verdict[row].setCurrentIndex(page.verdict[row].findData(Verdict.AGREE.value))
        page.verdict[row].activated.emit(page.verdict[row].currentIndex())
    last = page.verdict[4]
    last.setCurrentIndex(last.findData(Verdict.AGREE_WITH_COMMENT.value))
    last.activated.emit(last.currentIndex())
    assert "needs a comment" in page.message.text() and not page.isComplete()
    assert "Regulatory row is not stored" in page.blocker.text()
    page.comment[4].setText("Confirm the EU and US filing strategy use the same specifications.")
    page.comment[4].editingFinished.emit()
    cs = current(demo_store, "ORP-5530")
    assert cs.status is SetStatus.ALIGNED and page.isComplete()
    assert "Aligned" in page.stepper.text() and "5 of 5" in page.stepper.text()
    shot(wizard, "criteria_6_sign_off")
    go_next(wizard)

    # 7. who receives them
    page = wizard.recipients_page
    assert page.list.count() == 3
    shot(wizard, "criteria_7_recipients")
    page.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    kept = [page.list.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in (0, 2)]
    engagement_id = wizard.engagement_id
    assert recipients.saved[engagement_id] == kept
    go_next(wizard)

    # 8. summary and the request for packs
    page = wizard.summary_page
    assert "Aligned: export packs" in page.report.toPlainText()
    assert page.export_button.isEnabled() and "for 2 CMOs" in page.export_button.text()
    assert "Export alignment pack…" in page.export_text.text()
    shot(wizard, "criteria_8_summary")
    with qtbot.waitSignal(wizard.export_requested) as signal:
        page.export_button.click()
    assert signal.args == [engagement_id, kept]
    wizard.close()

    # closed and reopened: every page shows what was stored
    again = open_wizard(qtbot, demo_store, "ORP-5530", recipients)
    assert "Aligned" in again.focus_page.status.text()
    go_next(again)
    assert ticked(again.selection_page) == [
        "Quality systems and cGMP compliance",
        "Technical capability",
        "Cost",
        "Duplex manufacturing scale",
        "Annealing capacity",
    ]
    go_next(again)
    go_next(again)
    assert again.weights_page.stage_widget(KPI).typed_weights() == [57.1, 28.6, 14.3]
    go_next(again)
    assert again.targets_page.target[otif].text() == "97"
    go_next(again)
    assert [e.text() for e in again.sign_off_page.person] == people
    go_next(again)
    assert again.recipients_page.ticked() == kept
