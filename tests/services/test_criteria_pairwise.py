import pytest

from planner.domain.criteria import CriteriaRuleError, CriterionStage, SetStatus, Verdict
from planner.domain.engagement import Engagement
from planner.domain.pairwise import Method
from planner.services.criteria_pairwise import CriteriaPairwiseService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.services.errors import NotFound

SEL, PERF = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


@pytest.fixture
def cs(store):
    engagement = EngagementService(store).create(Engagement(title="Fill-finish"))
    sets = CriteriaSetService(store)
    cs = sets.start(engagement.id, ["qa"])
    cs = sets.add_from_library(cs.id, ["quality_systems", "technical_capability", "cost"])
    return sets.add_from_library(cs.id, ["on_time_in_full"])


def test_judgments_are_saved_one_by_one_and_resume(store, cs) -> None:
    pairwise = CriteriaPairwiseService(store)
    quality, technical, cost = (c.id for c in cs.stage_criteria(SEL))
    state = pairwise.judge(cs.id, SEL, quality, technical, 2)
    assert not state.complete and len(state.missing) == 2 and state.result is None
    pairwise.judge(cs.id, SEL, cost, quality, 1 / 4)  # stored the other way round
    state = CriteriaPairwiseService(store).state(cs.id, SEL)
    assert state.judgments == {(quality, technical): 2.0, (quality, cost): 4.0}
    assert state.missing == ((technical, cost),)
    state = pairwise.judge(cs.id, SEL, technical, cost, 2)
    assert state.complete and state.result.consistency_ratio == pytest.approx(0, abs=1e-9)
    assert state.weights() == {quality: 57.1, technical: 28.6, cost: 14.3}
    assert CriteriaSetService(store).get(cs.id).criterion(quality).weight == 12  # untouched


def test_apply_sets_the_weights_and_warns_when_inconsistent(store, cs) -> None:
    pairwise = CriteriaPairwiseService(store)
    quality, technical, cost = (c.id for c in cs.stage_criteria(SEL))
    with pytest.raises(CriteriaRuleError, match="3 comparison"):
        pairwise.apply(cs.id, SEL)
    pairwise.judge(cs.id, SEL, quality, technical, 9)
    pairwise.judge(cs.id, SEL, technical, cost, 9)
    pairwise.judge(cs.id, SEL, cost, quality, 9)  # circular: as inconsistent as it gets
    updated, result = pairwise.apply(cs.id, SEL, Method.GEOMETRIC_MEAN)
    assert result.warning and result.consistency_ratio > 0.10
    assert updated.weight_total(SEL) == 100
    assert pairwise.state(cs.id, SEL).disagreements


def test_apply_after_sign_offs_returns_the_set_to_draft(store, cs) -> None:
    sets = CriteriaSetService(store)
    sets.normalise_weights(cs.id, SEL)
    sets.normalise_weights(cs.id, PERF)
    CriteriaSignOffService(store).record_sign_off(cs.id, "qa", "Ann", Verdict.AGREE)
    assert sets.get(cs.id).status is SetStatus.ALIGNED
    pairwise = CriteriaPairwiseService(store)
    a, b, c = (x.id for x in cs.stage_criteria(SEL))
    for first, second in ((a, b), (a, c), (b, c)):
        pairwise.judge(cs.id, SEL, first, second, 3)
    updated, _ = pairwise.apply(cs.id, SEL)
    assert updated.status is SetStatus.DRAFT


def test_a_stage_with_one_criterion_and_foreign_ids(store, cs) -> None:
    pairwise = CriteriaPairwiseService(store)
    state = pairwise.state(cs.id, PERF)
    assert state.complete and state.result is None
    with pytest.raises(CriteriaRuleError, match="at least two"):
        pairwise.apply(cs.id, PERF)
    quality = cs.criteria[0].id
    with pytest.raises(NotFound):
        pairwise.judge(cs.id, PERF, quality, cs.stage_criteria(PERF)[0].id, 3)
    with pytest.raises(CriteriaRuleError, match="1/9 and 9"):
        pairwise.judge(cs.id, SEL, quality, cs.criteria[1].id, 10)
    assert pairwise.clear(cs.id, SEL).judgments == {}
