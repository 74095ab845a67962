from datetime import date

import pytest
from sqlalchemy import select

from planner.domain.cmo import CMO
from planner.domain.criteria import (
    CriteriaRuleError,
    Criterion,
    CriterionStage,
    Direction,
    SetStatus,
    Verdict,
)
from planner.domain.engagement import Engagement
from planner.services.cmos import CmoService
from planner.services.criteria_pairwise import CriteriaPairwiseService
from planner.services.criteria_scoring import ScoringService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.store.models import ChangeLogRow

SEL, PERF = CriterionStage.SELECTION, CriterionStage.PERFORMANCE
SCALE = ["no", "weak", "fair", "good", "best"]


@pytest.fixture
def engagement(store) -> Engagement:
    cmos = [CmoService(store).create(CMO(name=n, country="DE")).id for n in ("Alpha", "Beta")]
    return EngagementService(store).create(Engagement(title="Tablets", candidate_ids=cmos))


@pytest.fixture
def sets(store) -> CriteriaSetService:
    return CriteriaSetService(store)


def align(store, set_id: int) -> None:
    sign = CriteriaSignOffService(store)
    for role in CriteriaSetService(store).get(set_id).required_roles:
        sign.record_sign_off(
            set_id, role, f"Person {role}", Verdict.AGREE, signed_on=date(2026, 3, 2)
        )


def ready(sets: CriteriaSetService, engagement_id: int):
    cs = sets.start(engagement_id, ["qa", "technical"])
    return sets.add_from_library(cs.id, ["quality_systems", "cost", "right_first_time"])


def test_start_creates_version_one_with_default_roles(sets, engagement) -> None:
    cs = sets.start(engagement.id)
    assert (cs.version, cs.status) == (1, SetStatus.DRAFT)
    assert cs.required_roles == ["qa", "supply_chain", "procurement", "technical"]
    assert [s.role for s in cs.sign_offs] == cs.required_roles
    with pytest.raises(Conflict, match="already has criteria"):
        sets.start(engagement.id)
    assert sets.open_for_editing(engagement.id).id == cs.id
    assert sets.current(engagement.id).id == cs.id


def test_open_for_editing_starts_version_one_and_unknown_engagement_is_not_found(
    sets, engagement
) -> None:
    assert sets.current(engagement.id) is None
    assert sets.open_for_editing(engagement.id).version == 1
    with pytest.raises(NotFound):
        sets.current(999)


def test_library_criteria_come_with_suggested_weights_and_duplicates_are_skipped(
    sets, engagement
) -> None:
    cs = sets.start(engagement.id)
    cs = sets.add_from_library(cs.id, ["quality_systems", "cost", "right_first_time"])
    cs = sets.add_from_library(cs.id, ["cost"])
    assert [(c.name, c.weight, c.stage) for c in cs.criteria] == [
        ("Quality systems and cGMP compliance", 12.0, SEL),
        ("Cost", 8.0, SEL),
        ("Right-first-time batches", 15.0, PERF),
    ]
    kpi = cs.criteria[2]
    assert (kpi.target, kpi.direction, kpi.floor, kpi.unit) == (95, Direction.HIGHER, 80, "%")
    assert cs.criteria[0].knockout
    with pytest.raises(NotFound, match="no entry nope"):
        sets.add_from_library(cs.id, ["nope"])


def test_select_library_entries_syncs_a_checklist_and_keeps_own_criteria(sets, engagement) -> None:
    cs = sets.start(engagement.id)
    cs = sets.add_criterion(cs.id, Criterion("Cold chain", weight=5, scale=SCALE))
    cs = sets.select_library_entries(cs.id, SEL, ["cost", "terms"])
    cs = sets.select_library_entries(cs.id, SEL, ["terms", "key_personnel"])
    assert [c.name for c in cs.criteria] == [
        "Cold chain",
        "Commercial and contract terms",
        "Key personnel",
    ]
    with pytest.raises(NotFound):
        sets.select_library_entries(cs.id, SEL, ["right_first_time"])  # a KPI, not selection


def test_own_criteria_get_a_stable_key_and_follow_the_rules(sets, engagement) -> None:
    cs = sets.start(engagement.id)
    cs = sets.add_criterion(cs.id, Criterion("  Cold chain ", weight=5, scale=SCALE))
    own = cs.criteria[0]
    assert own.name == "Cold chain" and own.library_key.startswith("own.")
    with pytest.raises(CriteriaRuleError, match="already among"):
        sets.add_criterion(cs.id, Criterion("cold chain"))
    with pytest.raises(CriteriaRuleError, match="knockouts"):
        sets.add_criterion(cs.id, Criterion("OTIF", PERF, knockout=True))
    own.name, own.weight, own.library_key = "Cold-chain logistics", 7, "cost"
    cs = sets.update_criterion(cs.id, own)
    assert (cs.criteria[0].name, cs.criteria[0].weight) == ("Cold-chain logistics", 7)
    assert cs.criteria[0].library_key.startswith("own.")  # identity never changes


def test_weights_manual_locked_and_normalised(sets, engagement) -> None:
    cs = ready(sets, engagement.id)
    quality, cost, rft = (c.id for c in cs.criteria)
    cs = sets.set_weights(cs.id, {quality: 30, cost: 30})
    assert cs.weight_total(SEL) == 60
    cs = sets.normalise_weights(cs.id, SEL)
    assert [c.weight for c in cs.stage_criteria(SEL)] == [50, 50]
    cs = sets.lock_weight(cs.id, quality, 70)
    assert [c.weight for c in cs.stage_criteria(SEL)] == [70, 30]
    cs = sets.normalise_weights(cs.id, PERF)
    assert cs.criterion(rft).weight == 100
    with pytest.raises(CriteriaRuleError):
        sets.set_weights(cs.id, {quality: 120})


def test_editing_after_sign_offs_started_returns_to_draft_and_clears_verdicts(
    store, sets, engagement
) -> None:
    cs = ready(sets, engagement.id)
    cs = sets.normalise_weights(cs.id, SEL)
    cs = sets.normalise_weights(cs.id, PERF)
    align(store, cs.id)
    assert sets.get(cs.id).status is SetStatus.ALIGNED
    cs = sets.move_criterion(cs.id, cs.criteria[1].id, 0)
    assert cs.status is SetStatus.ALIGNED  # reordering changes nothing of substance
    cs = sets.lock_weight(cs.id, cs.criteria[0].id, 45)
    assert cs.status is SetStatus.DRAFT
    assert all(s.verdict is None and s.signed_on is None for s in cs.sign_offs)
    assert [s.person for s in cs.sign_offs] == ["Person qa", "Person technical"]
    with store.reading() as s:
        reset = s.scalars(
            select(ChangeLogRow).where(ChangeLogRow.action == "sign_offs_reset")
        ).one()
    assert reset.changes["qa"] == ["agree", None]


def test_communicated_version_is_frozen_and_the_next_version_copies_everything(
    store, sets, engagement
) -> None:
    cs = ready(sets, engagement.id)
    cs = sets.normalise_weights(cs.id, SEL)
    cs = sets.normalise_weights(cs.id, PERF)
    quality, cost, _ = (c.id for c in cs.criteria)
    ScoringService(store).set_score(cost, engagement.candidate_ids[0], 4, "cheapest")
    CriteriaPairwiseService(store).judge(cs.id, SEL, quality, cost, 3)
    align(store, cs.id)
    CriteriaSignOffService(store).mark_communicated(cs.id)
    frozen = sets.get(cs.id)
    assert frozen.status is SetStatus.COMMUNICATED and frozen.communicated_at is not None
    for edit in (
        lambda: sets.set_weights(cs.id, {quality: 60}),
        lambda: sets.add_from_library(cs.id, ["terms"]),
        lambda: sets.remove_criterion(cs.id, cost),
        lambda: sets.update_criterion(cs.id, frozen.criteria[0]),
        lambda: sets.move_criterion(cs.id, cost, 0),
        lambda: CriteriaSignOffService(store).clear_sign_off(cs.id, "qa"),
        lambda: CriteriaSignOffService(store).set_required_roles(cs.id, ["qa"]),
        lambda: CriteriaPairwiseService(store).judge(cs.id, SEL, quality, cost, 5),
        lambda: sets.discard(cs.id),
    ):
        with pytest.raises(Conflict, match="frozen. Start version 2"):
            edit()
    v2 = sets.open_for_editing(engagement.id)
    assert (v2.version, v2.status) == (2, SetStatus.DRAFT)
    assert [(c.name, c.weight, c.library_key) for c in v2.criteria] == [
        (c.name, c.weight, c.library_key) for c in frozen.criteria
    ]
    assert all(s.verdict is None for s in v2.sign_offs)
    assert [s.person for s in v2.sign_offs] == ["Person qa", "Person technical"]
    new_cost = v2.criteria[1].id
    assert (
        ScoringService(store)
        .proposals(engagement.id)
        .score(engagement.candidate_ids[0], new_cost)
        .score
        == 4
    )
    assert CriteriaPairwiseService(store).state(v2.id, SEL).judgments == {
        (v2.criteria[0].id, new_cost): 3.0
    }
    assert sets.get(cs.id).status is SetStatus.COMMUNICATED  # the old version is untouched
    assert [v.version for v in sets.versions(engagement.id)] == [1, 2]
    assert sets.shareable(engagement.id).version == 1


def test_new_version_only_after_communication_and_discard_of_the_latest(sets, engagement) -> None:
    cs = sets.start(engagement.id)
    with pytest.raises(Conflict, match="edit it instead"):
        sets.new_version(engagement.id)
    sets.discard(cs.id)
    assert sets.current(engagement.id) is None
    assert sets.shareable(engagement.id) is None
