"""The pipeline-sharing wizard driven end to end on a real store: every answer is in the store as
soon as it is given, refusals come with the gate's reason, and a reopened wizard shows it all."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_advice import Benefit, SharingChecklist
from planner.domain.disclosure_levels import FIELD_LABELS, DisclosureLevel, fields_of
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, RelationshipType, Stage
from planner.domain.pipeline import Phase, PipelineAsset
from planner.services.cmos import CmoService
from planner.services.demo_pipeline import load_pipeline_demo
from planner.services.disclosure_decisions import DisclosureService
from planner.services.engagements import EngagementService
from planner.services.pipeline import PipelineService
from planner.ui.sharing_wizard import SharingWizard
from tests.ui.conftest import save_screenshot

TODAY = date.today()


@dataclass
class World:
    store: object
    engagement: int
    cmo: int
    peptide: int
    adc: int

    @property
    def service(self) -> DisclosureService:
        return DisclosureService(self.store)


def make_world(store, relationship=RelationshipType.PREFERRED_PROVIDER, agreements=()) -> World:
    cmo = CmoService(store).create(
        CMO(name="Alpine Pharma", country="CH", agreements=list(agreements))
    )
    engagement = EngagementService(store).create(
        Engagement(
            title="ORP-1 peptide API supply",
            program="ORP-1",
            relationship_type=relationship,
            stage=Stage.SELECTED,
            candidate_ids=[cmo.id],
            chosen_cmo_id=cmo.id,
        )
    )
    pipeline = PipelineService(store)
    peptide = pipeline.create(
        PipelineAsset(
            code="ORP-1",
            inn="exenaglutide",
            modality="Peptide",
            therapeutic_area="Metabolic",
            indication="Type 2 diabetes",
            phase=Phase.PHASE_2,
            volumes={2027: 40.0, 2028: 120.0},
            manufacturing_needs="Hybrid SPPS/LPPS",
            timing="Phase 3 API from Q4 2027",
        )
    )
    adc = pipeline.create(PipelineAsset(code="ORP-2", modality="ADC", phase=Phase.PHASE_1))
    return World(store, engagement.id, cmo.id, peptide.id, adc.id)


def open_wizard(qtbot, store, engagement_id: int, title: str = "ORP-1") -> SharingWizard:
    wizard = SharingWizard(DisclosureService(store), PipelineService(store), engagement_id, title)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def next_enabled(wizard: SharingWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def preview_labels(page) -> list[str]:
    return [page.preview.item(r, 0).text() for r in range(page.preview.rowCount())]


def preview_values(page) -> dict[str, str]:
    return {
        page.preview.item(r, 0).text(): page.preview.item(r, 1).text()
        for r in range(page.preview.rowCount())
    }


def test_sharing_wizard_end_to_end_and_resumable(qtbot, store) -> None:
    w = make_world(store)
    wizard = open_wizard(qtbot, store, w.engagement)
    changed: list[int] = []
    recorded: list[int] = []
    wizard.decisions_changed.connect(changed.append)
    wizard.agreement_recorded.connect(recorded.append)

    # 1. engagement and relationship type: persisted on click
    page = wizard.engagement_page
    assert page.heading.text() == "ORP-1 peptide API supply"
    assert "Alpine Pharma (chosen)" in page.cmos.text()
    assert page.buttons[RelationshipType.PREFERRED_PROVIDER].isChecked()
    assert "suggests up to L2" in page.buttons[RelationshipType.PREFERRED_PROVIDER].text()
    page.buttons[RelationshipType.STRATEGIC_PARTNERSHIP].click()
    engagements = EngagementService(store)
    assert engagements.get(w.engagement).relationship_type == RelationshipType.STRATEGIC_PARTNERSHIP
    assert changed == [w.engagement]
    page.buttons[RelationshipType.PREFERRED_PROVIDER].click()
    assert engagements.get(w.engagement).relationship_type == RelationshipType.PREFERRED_PROVIDER
    save_screenshot(wizard, "sharing_1_relationship")
    wizard.next()

    # 2. agreements: none yet, so L1 at most; record a CDA through the shortcut dialog
    page = wizard.agreements_page
    card = page.cards.itemAt(0).widget()
    assert card.gates.allowed.level == DisclosureLevel.AGGREGATE
    assert card.record_button.text() == "Record CDA…"
    card.record_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.effective.setText("2026-01-01")
    dialog.expiry.setText("2025-12-31")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "cannot end before" in dialog.error.text()
    dialog.expiry.setText("2099-12-31")
    assert dialog.error.isHidden()  # the corrected value takes the old error with it
    dialog.scope.setText("ORP-1 program")
    save_screenshot(dialog, "sharing_2_record_cda")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    agreements = CmoService(store).get(w.cmo).agreements
    assert [(a.type, a.effective_date, a.expiry_date, a.scope) for a in agreements] == [
        (AgreementType.CDA, date(2026, 1, 1), date(2099, 12, 31), "ORP-1 program")
    ]
    assert recorded == [w.cmo]
    card = page.cards.itemAt(0).widget()
    assert card.gates.allowed.level == DisclosureLevel.PROGRAM
    assert "now allows up to L2" in page.message.text()
    save_screenshot(wizard, "sharing_2_agreements")
    wizard.next()

    # 3. the checklist, one asset at a time, each answer saved as it is given
    page = wizard.checklist_page
    assert page.assets.count() == 2
    assert page.assets.current_id() == w.peptide
    page.public.yes.click()
    page.competitor.no.click()
    page.benefits[Benefit.CAPACITY_RESERVATION].click()
    page.notes.setText("Phase 2 listed on ClinicalTrials.gov")
    page.assets.select(w.adc)  # switching asset saves the notes being typed
    assert w.service.get(w.engagement, w.peptide).checklist == SharingChecklist(
        True, False, [Benefit.CAPACITY_RESERVATION], "Phase 2 listed on ClinicalTrials.gov"
    )
    assert page.assets.item(0).text().startswith("✓")
    page.nothing.click()  # ORP-2: sharing buys nothing; the other questions stay open
    assert w.service.get(w.engagement, w.adc).checklist == SharingChecklist(None, None, [])
    assert "2 open" in page.assets.item(1).text()
    save_screenshot(wizard, "sharing_3_checklist")
    assert next_enabled(wizard)  # unanswered questions are open points, not blockers
    wizard.next()

    # 4. the level: recommendation, refusal above the agreements, exact fields revealed
    page = wizard.level_page
    assert not next_enabled(wizard)
    assert "ORP-1, ORP-2" in page.todo.text()
    assert page.assets.current_id() == w.peptide
    assert "L2 – program under CDA" in page.recommended.text()
    assert "CDA 2026-01-01 – 2099-12-31" in page.reasons.text()
    page.level_buttons[DisclosureLevel.FULL].click()
    assert "MSA" in page.message.text() and "quality agreement" in page.message.text()
    assert not w.service.get(w.engagement, w.peptide).is_decided  # refused: nothing saved
    assert not page.level_buttons[DisclosureLevel.FULL].isChecked()
    page.level_buttons[DisclosureLevel.PROGRAM].click()
    saved = w.service.get(w.engagement, w.peptide)
    assert (saved.level, saved.decided_on) == (DisclosureLevel.PROGRAM, TODAY)
    assert preview_labels(page) == [FIELD_LABELS[f] for f in fields_of(2)]
    values = preview_values(page)
    assert values["Program code"] == "ORP-1"
    assert values["Forecast volumes by year"] == "2027: 40 · 2028: 120"
    assert values["Expected volume (peak year)"] == "100–1,000 kg a year"
    assert "INN" not in values and "exenaglutide" not in str(values)
    assert "Withheld: INN, Indication, Manufacturing needs." == page.withheld.text()
    assert "Alpine Pharma would get at L2" in page.preview_title.text()
    save_screenshot(wizard, "sharing_4_level")
    page.assets.select(w.adc)
    page.level_buttons[DisclosureLevel.NONE].click()
    assert page.preview.isHidden() and "learns nothing" in page.preview_title.text()
    assert w.service.get(w.engagement, w.adc).is_decided
    assert next_enabled(wizard)
    wizard.next()

    # 5. decision details: saved when a field is left, missing answers stay open
    page = wizard.details_page
    page.assets.select(w.peptide)
    assert page.decided_on.text() == TODAY.isoformat()
    page.rationale.setPlainText("Book 2027 SPPS slots")
    page.benefit.setPlainText("Capacity for Phase 3")
    page.risks.setPlainText("Forecast reaches one more CMO")
    page.approver.setText("Q. Lead, VP CMC")
    page.review_date.setText("not a date")
    assert not next_enabled(wizard) and "not a date" in page.todo.text()
    page.review_date.setText((TODAY - timedelta(days=1)).isoformat())
    assert not next_enabled(wizard) and "before the decision date" in page.todo.text()
    page.review_date.clear()
    page.review_buttons[0].click()  # in 6 months
    for edit in (page.rationale, page.benefit):
        edit.edited.emit()  # what leaving the field does; Risks is saved by Next
    page.approver.editingFinished.emit()
    assert w.service.get(w.engagement, w.peptide).rationale == "Book 2027 SPPS slots"
    assert page.still_open.isHidden()  # risks are not required
    save_screenshot(wizard, "sharing_5_details")
    assert next_enabled(wizard)
    wizard.next()
    done = w.service.get(w.engagement, w.peptide)
    assert (done.rationale, done.expected_benefit, done.risks, done.approver) == (
        "Book 2027 SPPS slots",
        "Capacity for Phase 3",
        "Forecast reaches one more CMO",
        "Q. Lead, VP CMC",
    )
    assert done.review_date == TODAY + timedelta(days=182)

    # 6. summary: exactly what DisclosureSummary says is open
    page = wizard.summary_page
    expected = w.service.summary(w.engagement).open_lines()
    shown = [page.open_lines.item(r).text()[3:] for r in range(page.open_lines.count())]
    assert shown == expected
    assert "ORP-2: No approver." in shown and not any(s.startswith("ORP-1:") for s in shown)
    assert "2 of 2 assets decided" in page.headline.text()
    save_screenshot(wizard, "sharing_6_summary")
    assert changed and set(changed) == {w.engagement}

    # closing and reopening shows what was entered
    wizard.reject()
    again = open_wizard(qtbot, store, w.engagement)
    again.next()
    again.next()
    assert again.checklist_page.assets.current_id() == w.adc  # the first with open questions
    again.checklist_page.assets.select(w.peptide)
    assert again.checklist_page.public.value() is True
    assert again.checklist_page.notes.text() == "Phase 2 listed on ClinicalTrials.gov"
    again.next()
    again.level_page.assets.select(w.peptide)
    assert again.level_page.level_buttons[DisclosureLevel.PROGRAM].isChecked()
    again.next()
    again.details_page.assets.select(w.peptide)
    assert again.details_page.rationale.toPlainText() == "Book 2027 SPPS slots"
    assert again.details_page.approver.text() == "Q. Lead, VP CMC"


def test_text_being_typed_is_saved_when_the_wizard_closes(qtbot, store) -> None:
    w = make_world(store, agreements=[Agreement(AgreementType.CDA, date(2025, 1, 1))])
    w.service.set_level(w.engagement, w.peptide, 1)
    w.service.set_approval(w.engagement, w.peptide, decided_on=TODAY)
    w.service.set_level(w.engagement, w.adc, 0)
    w.service.set_approval(w.engagement, w.adc, decided_on=TODAY)
    wizard = open_wizard(qtbot, store, w.engagement)
    for _ in range(4):
        wizard.next()
    page = wizard.details_page
    page.assets.select(w.peptide)
    page.rationale.setPlainText("Bands are enough to quote")
    wizard.reject()
    assert w.service.get(w.engagement, w.peptide).rationale == "Bands are enough to quote"


def test_a_level_above_the_relationship_waits_for_a_justification(qtbot, store) -> None:
    cda = Agreement(AgreementType.CDA, date(2025, 1, 1), date(2099, 1, 1))
    w = make_world(store, RelationshipType.TRANSACTIONAL, [cda])
    wizard = open_wizard(qtbot, store, w.engagement)
    for _ in range(3):
        wizard.next()
    page = wizard.level_page
    assert page.assets.current_id() == w.peptide
    page.level_buttons[DisclosureLevel.PROGRAM].click()
    assert page.justification.isVisible()
    assert "L2 is above that: write down why" in page.limits.text()
    assert "needs a written justification" in page.todo.text()
    assert not next_enabled(wizard)
    assert w.service.get(w.engagement, w.peptide) is None  # pending: nothing saved yet
    assert "L2 (why?)" in page.assets.item(0).text()
    page.justification.setPlainText("Slots for 2027 must be booked now")
    save_screenshot(wizard, "sharing_4_level_justification")
    page.justification.edited.emit()  # what leaving the field does
    saved = w.service.get(w.engagement, w.peptide)
    assert (saved.level, saved.justification) == (
        DisclosureLevel.PROGRAM,
        "Slots for 2027 must be booked now",
    )
    assert page.level_buttons[DisclosureLevel.PROGRAM].isChecked()
    # the justification cannot be taken back while the level needs it
    page.justification.setPlainText("")
    page.justification.edited.emit()
    assert "needs a written justification" in page.message.text()
    assert w.service.get(w.engagement, w.peptide).justification != ""


def test_relationship_change_names_decisions_left_without_a_justification(qtbot, store) -> None:
    cda = Agreement(AgreementType.CDA, date(2025, 1, 1), date(2099, 1, 1))
    w = make_world(store, RelationshipType.PREFERRED_PROVIDER, [cda])
    w.service.set_level(w.engagement, w.peptide, 2)
    w.service.set_approval(w.engagement, w.peptide, decided_on=TODAY)
    wizard = open_wizard(qtbot, store, w.engagement)
    page = wizard.engagement_page
    assert page.above.isHidden()
    page.buttons[RelationshipType.TRANSACTIONAL].click()
    assert page.above.isVisible() and "ORP-1 (L2)" in page.above.text()
    wizard.next()
    wizard.next()
    wizard.next()
    page = wizard.level_page
    page.assets.select(w.peptide)
    assert page.level_buttons[DisclosureLevel.PROGRAM].isChecked()
    assert "above that: write down why" in page.limits.text() and page.justification.isVisible()


def test_no_cmo_yet_allows_aggregate_only(qtbot, store) -> None:
    engagement = EngagementService(store).create(Engagement(title="Early scouting"))
    asset = PipelineService(store).create(PipelineAsset(code="ORP-9", modality="ADC"))
    wizard = open_wizard(qtbot, store, engagement.id, "Early scouting")
    assert "No CMO chosen or shortlisted yet" in wizard.engagement_page.cmos.text()
    wizard.next()
    assert (
        "No CMO is chosen or shortlisted" in wizard.agreements_page.cards.itemAt(0).widget().text()
    )
    save_screenshot(wizard, "sharing_2_agreements_no_cmo")
    wizard.next()
    wizard.next()
    page = wizard.level_page
    page.level_buttons[DisclosureLevel.PROGRAM].click()
    assert "Refused" in page.message.text()
    page.level_buttons[DisclosureLevel.AGGREGATE].click()
    assert DisclosureService(store).get(engagement.id, asset.id).level == 1


@pytest.fixture
def demo(demo_store):
    load_pipeline_demo(demo_store)
    return demo_store


def engagement_of(store, program: str) -> int:
    return next(r.id for r in EngagementService(store).list_rows() if r.program == program)


def test_demo_candidates_each_get_their_own_gate(qtbot, demo) -> None:
    eid = engagement_of(demo, "ORP-5530")
    wizard = open_wizard(qtbot, demo, eid, "ORP-5530")
    assert "candidates" in wizard.engagement_page.cmos.text()
    wizard.next()
    page = wizard.agreements_page
    cards = [page.cards.itemAt(i).widget() for i in range(page.cards.count() - 1)]
    assert [c.gates.name for c in cards] == [
        "Kranji Chemical Development",
        "Lianyun Nucleic Acid Manufacturing",
        "Zuidhaven Pharma",
    ]
    save_screenshot(wizard, "sharing_demo_2_candidates")
    wizard.next()
    wizard.next()
    page = wizard.level_page
    asset = next(a.id for a in wizard.assets if a.code == "ORP-5530")
    page.assets.select(asset)
    assert page.level_buttons[DisclosureLevel.PROGRAM].isChecked()
    assert "Per candidate" in page.reasons.text()
    if "Lianyun" not in page.preview_title.text().split("would get")[0]:
        # the expired CDA keeps Lianyun out of what is sent at L2
        assert "Lianyun Nucleic Acid Manufacturing: nothing" in page.preview_title.text()
    save_screenshot(wizard, "sharing_demo_4_level_candidates")


def test_demo_walk_through_shows_flags(qtbot, demo) -> None:
    eid = engagement_of(demo, "ORP-2417")
    wizard = open_wizard(qtbot, demo, eid, "ORP-2417")
    save_screenshot(wizard, "sharing_demo_1_relationship")
    wizard.next()
    card = wizard.agreements_page.cards.itemAt(0).widget()
    assert card.gates.name == "Kestrelmoor Chimica Milano"
    save_screenshot(wizard, "sharing_demo_2_agreements")
    wizard.next()
    save_screenshot(wizard, "sharing_demo_3_checklist")
    wizard.next()
    page = wizard.level_page
    for asset in wizard.assets:
        if not wizard.has_level(asset.id):
            page.assets.select(asset.id)
            page.level_buttons[DisclosureLevel.NONE].click()
    page.assets.select(next(a.id for a in wizard.assets if a.code == "ORP-2417"))
    assert page.level_buttons[DisclosureLevel.FULL].isChecked()
    assert page.justification.isVisible()  # L3 above preferred provider, justified
    save_screenshot(wizard, "sharing_demo_4_level")
    wizard.next()
    page = wizard.details_page
    page.assets.select(next(a.id for a in wizard.assets if a.code == "ORP-2417"))
    assert "Kestrelmoor" in page.flags.text()  # CDA expiring, or blocked once it expired
    save_screenshot(wizard, "sharing_demo_5_details")
    wizard.next()
    page = wizard.summary_page
    assert "ORP-2417:" in page.flags.text() and "Kestrelmoor" in page.flags.text()
    save_screenshot(wizard, "sharing_demo_6_summary")


def test_demo_ownership_change_is_flagged(qtbot, demo) -> None:
    eid = engagement_of(demo, "ORP-1152")
    wizard = open_wizard(qtbot, demo, eid, "ORP-1152")
    wizard.next()
    card = wizard.agreements_page.cards.itemAt(0).widget()
    assert card.gates.ownership_change_date == date(2026, 3, 16)
    wizard.summary_page.enter()
    assert "changed ownership on 2026-03-16" in wizard.summary_page.flags.text()


def test_opened_from_the_engagement_it_refreshes_the_sharing_tab(qtbot, demo, make_window) -> None:
    window = make_window(demo)
    eid = engagement_of(demo, "ORP-4021")
    window.engagements.open_sharing_wizard(eid)
    wizard = window.engagements.sharing_wizard
    assert isinstance(wizard, SharingWizard) and wizard.engagement_id == eid
    qtbot.waitExposed(wizard)
    refreshed: list[int] = []
    wizard.decisions_changed.connect(refreshed.append)
    for _ in range(3):
        wizard.next()
    page = wizard.level_page
    asset = next(a.id for a in wizard.assets if a.code == "ORP-4021")
    page.assets.select(asset)
    page.level_buttons[DisclosureLevel.NONE].click()
    assert refreshed == [eid]
    assert DisclosureService(demo).get(eid, asset).level == DisclosureLevel.NONE
    wizard.reject()
