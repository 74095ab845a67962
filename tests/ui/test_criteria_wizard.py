"""The criteria wizard driven end to end on copies of the demo store.

ORP-5530 has no criteria (the whole flow from scratch), ORP-4021 a set in review with partial
sign-offs, ORP-2417 an aligned set, ORP-3308 a communicated one (editing starts version 2).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from planner.domain.criteria import CriterionStage, SetStatus, Verdict
from planner.services.cmos import CmoService
from planner.services.criteria_library import CriteriaLibrary
from planner.services.criteria_overview import CriteriaOverviewService
from planner.services.criteria_pairwise import CriteriaPairwiseService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.ui.criteria_pages_criterion import CriterionDialog
from planner.ui.criteria_pages_focus import Focus
from planner.ui.criteria_pages_pairwise import PairwiseDialog
from planner.ui.criteria_wizard import CriteriaServices, CriteriaWizard
from tests.ui.conftest import save_screenshot

SEL, KPI = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


class MemoryRecipients:
    """Stands in for the store-backed choice the composition root will pass."""

    def __init__(self) -> None:
        self.saved: dict[int, list[int]] = {}

    def load(self, engagement_id: int) -> list[int] | None:
        return self.saved.get(engagement_id)

    def save(self, engagement_id: int, cmo_ids: list[int]) -> None:
        self.saved[engagement_id] = list(cmo_ids)


def criteria_services(store, recipients=None) -> CriteriaServices:
    def candidates(engagement_id: int) -> list[tuple[int, str]]:
        ids = EngagementService(store).get(engagement_id).candidate_ids
        names = {r.id: r.name for r in CmoService(store).list_rows()}
        return sorted(((i, names[i]) for i in ids), key=lambda p: p[1])

    library = CriteriaLibrary(store)
    return CriteriaServices(
        sets=CriteriaSetService(store, library),
        sign_off=CriteriaSignOffService(store),
        pairwise=CriteriaPairwiseService(store),
        overview=CriteriaOverviewService(store),
        library=library,
        candidates=candidates,
        recipients=recipients,
    )


def open_wizard(qtbot, store, program: str, recipients=None) -> CriteriaWizard:
    engagement = EngagementService(store).find(program)
    wizard = CriteriaWizard(criteria_services(store, recipients), engagement.id, engagement.title)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def current(store, program: str):
    return CriteriaSetService(store).current(EngagementService(store).find(program).id)


def go_next(wizard: CriteriaWizard) -> None:
    before = wizard.currentId()
    wizard.next()
    assert wizard.currentId() != before, wizard.currentPage().blocker.text()


def settle() -> None:
    QApplication.processEvents()  # list rebuilds wait for the end of the item's own signal


def shot(widget, name: str) -> None:
    settle()  # pending layout requests: wrapped labels get their height first
    save_screenshot(widget, name)


def tick(page, *names: str, on: bool = True) -> None:
    for name in names:
        item = next(i for i in page._items() if i.text(0) == name)
        item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        settle()


def ticked(page) -> list[str]:
    return [i.text(0) for i in page._items() if i.checkState(0) == Qt.CheckState.Checked]


def with_dialog(kind: type, act: Callable[[QDialog], None]) -> list[str]:
    """Run `act` on the next modal dialog of `kind` once it is open; failures come back."""
    errors: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, run)
            return
        try:
            act(dialog)
        except Exception as exc:  # noqa: BLE001 - reported by the test after exec returns
            errors.append(repr(exc))
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, run)
    return errors


def fill_criterion(dialog: CriterionDialog, name: str, anchors: bool = True, library=False):
    dialog.name.setText(name)
    dialog.description.setPlainText(
        "Capacity to make GalNAc-siRNA duplex at 2–10 kg per campaign with annealing and "
        "lyophilisation in house."
    )
    dialog.evidence.setPlainText("Campaign history for duplexes over 1 kg.")
    if anchors:
        for i, edit in enumerate(dialog.scale, start=1):
            edit.setText(f"Score {i}: {'no' if i == 1 else i * 2} kg campaigns shown.")
    dialog.to_library.setChecked(library)


def weight_of(cs, name: str) -> float:
    return next(c.weight for c in cs.criteria if c.name == name)


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
