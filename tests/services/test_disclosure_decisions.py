from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_advice import Benefit, SharingChecklist
from planner.domain.disclosure_decision import DecisionRuleError, DisclosureDecision
from planner.domain.disclosure_gates import check_level
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, RelationshipType, Stage
from planner.domain.pipeline import Phase, PipelineAsset
from planner.services.cmos import CmoService
from planner.services.disclosure_decisions import (
    DisclosureService,
    JustificationRequired,
    LevelRefused,
)
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.services.pipeline import PipelineService
from planner.store.models import ChangeLogRow

CDA, MSA, QA = AgreementType.CDA, AgreementType.MSA, AgreementType.QUALITY
TODAY = date(2026, 11, 25)


@dataclass
class World:
    service: DisclosureService
    engagement: int
    cmo: int
    asset: int
    other_asset: int


def make_world(store, relationship=RelationshipType.PREFERRED_PROVIDER, agreements=()) -> World:
    cmo = CmoService(store).create(CMO(name="Alpine Pharma", agreements=list(agreements)))
    engagement = EngagementService(store).create(
        Engagement(
            title="API supply",
            program="ORP-1",
            relationship_type=relationship,
            stage=Stage.SELECTED,
            chosen_cmo_id=cmo.id,
        )
    )
    pipeline = PipelineService(store)
    asset = pipeline.create(PipelineAsset(code="ORP-1", modality="Peptide", phase=Phase.PHASE_2))
    other = pipeline.create(PipelineAsset(code="ORP-2", modality="ADC", phase=Phase.PHASE_1))
    return World(DisclosureService(store), engagement.id, cmo.id, asset.id, other.id)


def cda(start="2025-01-01", end="2099-12-31") -> Agreement:
    return Agreement(CDA, date.fromisoformat(start), date.fromisoformat(end) if end else None)


@pytest.fixture
def world(store) -> World:
    return make_world(store)


def test_the_wizard_persists_every_step(world) -> None:
    svc, e, a = world.service, world.engagement, world.asset
    context = svc.context(e, on=TODAY)
    assert context.suggested == DisclosureLevel.PROGRAM
    assert [c.name for c in context.cmos] == ["Alpine Pharma"]
    assert context.cmos[0].missing == (CDA, MSA, QA)
    assert context.cmos[0].allowed.level == DisclosureLevel.AGGREGATE

    agreement = svc.record_agreement(world.cmo, CDA, date(2026, 1, 1), date(2099, 1, 1), "ORP-1")
    assert agreement.id is not None and agreement.type == CDA
    assert svc.context(e, on=TODAY).cmos[0].allowed.level == DisclosureLevel.PROGRAM

    checklist = SharingChecklist(True, False, [Benefit.CAPACITY_RESERVATION])
    assert svc.save_checklist(e, a, checklist).checklist == checklist
    advice = svc.advice(e, a, on=TODAY)
    assert advice.level == DisclosureLevel.PROGRAM
    assert any("CDA 2026-01-01 – 2099-01-01" in r for r in advice.reasons)

    svc.set_level(e, a, advice.level)
    svc.set_notes(e, a, rationale="Book 2027 slots", risks="Forecast leaks")
    svc.set_notes(e, a, expected_benefit="Capacity")  # only the given argument changes
    done = svc.set_approval(
        e, a, approver="Q. Lead", decided_on=TODAY, review_date=date(2027, 6, 1)
    )
    assert (done.level, done.rationale, done.risks, done.expected_benefit) == (
        DisclosureLevel.PROGRAM,
        "Book 2027 slots",
        "Forecast leaks",
        "Capacity",
    )
    assert done.asset_code == "ORP-1"
    assert svc.get(e, a) == done

    summary = svc.summary(e, on=TODAY)
    assert summary.undecided == ["ORP-2"]
    assert not summary.complete
    assert summary.open_lines() == ["ORP-2: no decision yet."]


def test_a_level_above_the_agreements_is_refused_and_nothing_is_saved(world) -> None:
    svc = world.service
    with pytest.raises(LevelRefused, match="no CDA on record") as refused:
        svc.set_level(world.engagement, world.asset, 2)
    assert "Alpine Pharma" in str(refused.value)
    assert svc.get(world.engagement, world.asset) is None
    svc.set_level(world.engagement, world.asset, 1)
    with pytest.raises(LevelRefused):
        svc.set_level(world.engagement, world.asset, 2)
    assert svc.get(world.engagement, world.asset).level == DisclosureLevel.AGGREGATE


def test_l3_names_each_missing_agreement(store) -> None:
    w = make_world(store, RelationshipType.STRATEGIC_PARTNERSHIP, [cda()])
    with pytest.raises(LevelRefused) as refused:
        w.service.set_level(w.engagement, w.asset, 3)
    assert "no MSA on record" in str(refused.value)
    assert "no quality agreement on record" in str(refused.value)
    w.service.record_agreement(w.cmo, MSA, date(2025, 1, 1), None)
    w.service.record_agreement(w.cmo, QA, date(2025, 1, 1), None)
    assert w.service.set_level(w.engagement, w.asset, 3).level == DisclosureLevel.FULL


def test_the_gate_is_checked_on_the_decision_date(store) -> None:
    w = make_world(store, agreements=[cda("2026-06-01", "2099-12-31")])
    svc = w.service
    svc.set_level(w.engagement, w.asset, 2)
    with pytest.raises(LevelRefused, match="only takes effect on 2026-06-01"):
        svc.set_approval(w.engagement, w.asset, decided_on=date(2026, 5, 1))
    assert svc.get(w.engagement, w.asset).decided_on is None
    # A decision recorded while the CDA was in force stays on record after it expires.
    svc.set_approval(w.engagement, w.asset, decided_on=date(2026, 7, 1))


def test_lowering_a_level_is_always_allowed(store) -> None:
    w = make_world(store, agreements=[cda("2020-01-01", "2026-12-14")])
    svc = w.service
    svc.record(DisclosureDecision(w.engagement, w.asset, 2, decided_on=date(2026, 10, 1)))
    # The CDA has since expired: the decision is blocked, but may be lowered.
    summary = svc.summary(w.engagement, on=date(2027, 1, 5))
    assert summary.assets[0].status == "blocked"
    assert svc.set_level(w.engagement, w.asset, 0).level == DisclosureLevel.NONE


def test_a_level_above_the_relationship_suggestion_needs_a_justification(store) -> None:
    w = make_world(store, RelationshipType.TRANSACTIONAL, [cda()])
    svc = w.service
    with pytest.raises(JustificationRequired, match="transactional relationship suggests up to L1"):
        svc.set_level(w.engagement, w.asset, 2)
    decision = svc.set_level(w.engagement, w.asset, 2, justification="Slots must be booked now")
    assert decision.justification == "Slots must be booked now"
    with pytest.raises(JustificationRequired):
        svc.set_notes(w.engagement, w.asset, justification="  ")
    # Editing other fields of a justified decision is fine.
    svc.set_notes(w.engagement, w.asset, rationale="why")


def test_changing_the_relationship_type_turns_old_decisions_into_open_items(store) -> None:
    w = make_world(store, RelationshipType.PREFERRED_PROVIDER, [cda()])
    svc = w.service
    svc.record(
        DisclosureDecision(
            w.engagement,
            w.asset,
            2,
            SharingChecklist(True, False, []),
            rationale="r",
            approver="a",
            decided_on=TODAY,
            review_date=TODAY,
        )
    )
    assert svc.set_relationship_type(
        w.engagement, RelationshipType.TRANSACTIONAL
    ).relationship_type == (RelationshipType.TRANSACTIONAL)
    summary = svc.summary(w.engagement, on=TODAY)
    assert summary.missing_justification == ["ORP-1"]
    assert svc.get(w.engagement, w.asset).level == DisclosureLevel.PROGRAM
    svc.set_approval(w.engagement, w.asset, approver="b")  # not blocked by the open item


def test_archived_assets_get_no_new_decisions(world, store) -> None:
    svc = world.service
    svc.set_level(world.engagement, world.asset, 1)
    PipelineService(store).archive(world.asset)
    PipelineService(store).archive(world.other_asset)
    with pytest.raises(Conflict, match="archived"):
        svc.set_level(world.engagement, world.other_asset, 0)
    assert svc.set_notes(world.engagement, world.asset, rationale="kept").rationale == "kept"
    assert [a.code for a in svc.context(world.engagement).assets] == []
    assert [a.code for a in svc.summary(world.engagement).assets] == ["ORP-1"]
    assert svc.summary(world.engagement).undecided == []


def test_review_date_before_decision_is_rejected(world) -> None:
    with pytest.raises(DecisionRuleError):
        world.service.set_approval(
            world.engagement, world.asset, decided_on=TODAY, review_date=date(2026, 1, 1)
        )


def test_unknown_engagement_or_asset(world) -> None:
    with pytest.raises(NotFound):
        world.service.set_level(999, world.asset, 0)
    with pytest.raises(NotFound):
        world.service.set_level(world.engagement, 999, 0)
    with pytest.raises(NotFound):
        world.service.remove(world.engagement, world.asset)


def test_changes_are_logged_and_removal_works(world, store) -> None:
    svc = world.service
    svc.set_level(world.engagement, world.asset, 1)
    svc.set_notes(world.engagement, world.asset, rationale="why")
    svc.set_notes(world.engagement, world.asset, rationale="why")  # no change, no entry
    svc.remove(world.engagement, world.asset)
    assert svc.get(world.engagement, world.asset) is None
    with store.reading() as s:
        log = s.scalars(
            select(ChangeLogRow).where(ChangeLogRow.entity == "disclosure_decision")
        ).all()
    assert [r.action for r in log] == ["created", "updated", "deleted"]
    assert log[1].changes == {"rationale": ["", "why"]}
    assert log[0].changes["level"] == [None, 1]


def test_summary_lists_what_is_open(world) -> None:
    svc = world.service
    svc.save_checklist(world.engagement, world.asset, SharingChecklist(True, None, None))
    summary = svc.summary(world.engagement, on=TODAY)
    assert summary.undecided == ["ORP-1", "ORP-2"]
    assert summary.missing_approver == ["ORP-1"]
    assert summary.missing_rationale == ["ORP-1"]
    lines = summary.open_lines()
    assert "ORP-2: no decision yet." in lines
    assert "ORP-1: No approver." in lines
    assert any(line.startswith("ORP-1: Checklist:") for line in lines)


def test_consideration_decisions_apply_to_each_candidate(store) -> None:
    cmos = CmoService(store)
    with_cda = cmos.create(CMO(name="Has CDA", agreements=[cda()]))
    without = cmos.create(CMO(name="No CDA"))
    engagement = EngagementService(store).create(
        Engagement(
            title="RFP",
            relationship_type=RelationshipType.PREFERRED_PROVIDER,
            candidate_ids=[with_cda.id, without.id],
        )
    )
    asset = PipelineService(store).create(PipelineAsset(code="ORP-5"))
    svc = DisclosureService(store)
    context = svc.context(engagement.id, on=TODAY)
    assert context.applies_to_candidates
    assert [c.allowed.level for c in context.cmos] == [2, 1]
    advice = svc.advice(engagement.id, asset.id, on=TODAY)
    assert [a.name for a in advice.per_cmo] == ["Has CDA", "No CDA"]

    svc.set_level(engagement.id, asset.id, 2)  # one candidate may receive it
    summary = svc.summary(engagement.id, on=TODAY)
    assert summary.cmos == ("Has CDA", "No CDA")
    assert summary.assets[0].status == "blocked"
    assert "Blocked for No CDA" in summary.assets[0].flags[0].message

    lonely = EngagementService(store).create(Engagement(title="Empty", candidate_ids=[without.id]))
    with pytest.raises(LevelRefused, match="Refused for No CDA"):
        svc.set_level(lonely.id, asset.id, 2)
    nobody = EngagementService(store).create(Engagement(title="Nobody"))
    with pytest.raises(LevelRefused, match="No CMO is chosen or shortlisted yet"):
        svc.set_level(nobody.id, asset.id, 2)


def test_cda_window_setting_changes_the_flags(store) -> None:
    w = make_world(store, agreements=[cda("2024-01-01", "2027-01-20")])
    svc = w.service
    assert svc.cda_window_days() == 60
    svc.record(DisclosureDecision(w.engagement, w.asset, 2, decided_on=date(2026, 10, 1)))
    assert svc.summary(w.engagement, on=TODAY).assets[0].status == "review"
    svc.set_cda_window_days(30)
    assert svc.cda_window_days() == 30
    assert svc.summary(w.engagement, on=TODAY).assets[0].status == "ok"
    with pytest.raises(ValueError):
        svc.set_cda_window_days(-1)


agreement_spans = st.lists(
    st.tuples(
        st.sampled_from([CDA, MSA, QA]),
        st.dates(date(2022, 1, 1), date(2028, 12, 31)),
        st.integers(0, 1500),
    ),
    max_size=4,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    spans=agreement_spans,
    level=st.sampled_from(list(DisclosureLevel)),
    decided=st.dates(date(2022, 1, 1), date(2029, 12, 31)),
)
def test_the_service_never_records_a_level_the_agreements_refuse(
    store, spans, level, decided
) -> None:
    deals = [Agreement(k, s, s + timedelta(days=n)) for k, s, n in spans]
    cmo = CmoService(store).create(
        CMO(name=f"CMO {len(CmoService(store).list_rows())}", agreements=deals)
    )
    engagement = EngagementService(store).create(
        Engagement(
            title=f"E {cmo.id}",
            relationship_type=RelationshipType.STRATEGIC_PARTNERSHIP,
            stage=Stage.ACTIVE,
            chosen_cmo_id=cmo.id,
        )
    )
    asset = PipelineService(store).create(PipelineAsset(code=f"A-{cmo.id}"))
    service = DisclosureService(store)
    decision = DisclosureDecision(engagement.id, asset.id, level, decided_on=decided)
    allowed = check_level(level, deals, decided).allowed
    if allowed:
        assert service.record(decision).level == level
    else:
        with pytest.raises(LevelRefused):
            service.record(decision)
        assert service.get(engagement.id, asset.id) is None
