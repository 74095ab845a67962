import pytest

from planner.domain.cmo import CMO
from planner.domain.criteria import CriteriaRuleError, CriterionStage
from planner.domain.criteria_scorecard import Band, Trend
from planner.domain.engagement import Engagement
from planner.domain.enums import Stage
from planner.domain.scoring import KnockoutState
from planner.services.cmos import CmoService
from planner.services.criteria_scoring import ScoringService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound

SEL, PERF = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


@pytest.fixture
def setup(store):
    cmos = CmoService(store)
    ids = [cmos.create(CMO(name=n, country="IT")).id for n in ("Alpha", "Beta", "Gamma")]
    outsider = cmos.create(CMO(name="Outsider")).id
    engagement = EngagementService(store).create(Engagement(title="API", candidate_ids=ids))
    sets = CriteriaSetService(store)
    cs = sets.start(engagement.id)
    cs = sets.add_from_library(cs.id, ["inspection_history", "technical_capability", "cost"])
    cs = sets.add_from_library(cs.id, ["right_first_time", "deviations_per_batch"])
    cs = sets.normalise_weights(cs.id, SEL)
    cs = sets.normalise_weights(cs.id, PERF)
    return engagement, ids, outsider, cs


def test_scores_rank_candidates_with_knockouts_and_na(store, setup) -> None:
    engagement, (alpha, beta, gamma), _, cs = setup
    inspection, technical, cost = (c.id for c in cs.stage_criteria(SEL))
    scoring = ScoringService(store)
    for cmo, values in ((alpha, (4, 5, 3)), (beta, (5, 3, None)), (gamma, (1, 5, 5))):
        for criterion, value in zip((inspection, technical, cost), values, strict=True):
            scoring.set_score(criterion, cmo, value, "no quote" if value is None else "")
    sheet = scoring.proposals(engagement.id)
    assert sheet.open_for_scoring and sheet.version == 1
    assert [c.name for c in sheet.criteria] == [
        "Regulatory inspection history",
        "Technical capability",
        "Cost",
    ]
    ranked = {c.name: c for c in sheet.ranking.candidates}
    assert ranked["Gamma"].knockout is KnockoutState.FAILED and ranked["Gamma"].rank is None
    assert ranked["Beta"].not_applicable == ("Cost",)
    assert ranked["Beta"].rated_weight == pytest.approx(
        cs.criteria[0].weight + cs.criteria[1].weight, abs=0.1
    )
    assert sheet.ranking.leader_id in (alpha, beta)
    assert sheet.ranking.complete
    assert sheet.score(beta, cost).note == "no quote"
    scoring.clear_score(cost, beta)
    assert not scoring.ranking(engagement.id).complete


def test_score_rules_in_the_service(store, setup) -> None:
    engagement, (alpha, *_), outsider, cs = setup
    inspection = cs.criteria[0].id
    rft = cs.stage_criteria(PERF)[0].id
    scoring = ScoringService(store)
    with pytest.raises(CriteriaRuleError, match="cannot be N/A"):
        scoring.set_score(inspection, alpha, None, "n/a")
    with pytest.raises(CriteriaRuleError, match="is a KPI"):
        scoring.set_score(rft, alpha, 3)
    with pytest.raises(Conflict, match="not a candidate"):
        scoring.set_score(inspection, outsider, 3)
    with pytest.raises(NotFound):
        scoring.set_score(9999, alpha, 3)


def test_scores_close_once_the_engagement_leaves_consideration(store, setup) -> None:
    engagement, (alpha, *_), _, cs = setup
    scoring = ScoringService(store)
    scoring.set_score(cs.criteria[1].id, alpha, 4)
    engagement.stage, engagement.chosen_cmo_id = Stage.SELECTED, alpha
    EngagementService(store).update(engagement)
    with pytest.raises(Conflict, match="only change while it is in consideration"):
        scoring.set_score(cs.criteria[1].id, alpha, 5)
    sheet = scoring.proposals(engagement.id)
    assert not sheet.open_for_scoring and sheet.score(alpha, cs.criteria[1].id).score == 4


def test_kpi_actuals_make_a_scorecard_for_the_chosen_cmo(store, setup) -> None:
    engagement, (alpha, *_), _, cs = setup
    rft, dev = (c.id for c in cs.stage_criteria(PERF))
    scoring = ScoringService(store)
    with pytest.raises(Conflict, match="no chosen CMO"):
        scoring.set_kpi_actual(rft, "2026-Q1", 97)
    engagement.stage, engagement.chosen_cmo_id = Stage.ACTIVE, alpha
    EngagementService(store).update(engagement)
    assert scoring.set_kpi_actual(rft, "2026q1", 97).period == "2026-Q1"
    scoring.set_kpi_actual(dev, "2026-Q1", 2)  # halfway between target 1 and floor 3
    scoring.set_kpi_actual(rft, "2026-Q2", 87.5)
    scoring.set_kpi_actual(dev, "2026-Q2", None, "no batches this quarter")
    with pytest.raises(CriteriaRuleError, match="not a period"):
        scoring.set_kpi_actual(rft, "spring", 90)
    with pytest.raises(CriteriaRuleError, match="not a KPI"):
        scoring.set_kpi_actual(cs.criteria[0].id, "2026-Q1", 90)
    sheet = scoring.scorecard(engagement.id)
    assert sheet.cmo_name == "Alpha" and sheet.next_period == "2026-Q3"
    q1, q2 = sheet.scorecard.periods
    assert q1.score == pytest.approx(0.6 * 100 + 0.4 * 50)
    assert q2.score == pytest.approx(50) and q2.rated_weight == 60  # not rated ≠ zero
    assert sheet.scorecard.trend is Trend.DECLINING
    assert (q1.band, q2.band) == ("good", "watch")
    scoring.set_bands([Band(0, "red"), Band(60, "amber"), Band(85, "green")])
    assert [p.band for p in scoring.scorecard(engagement.id).scorecard.periods] == ["amber", "red"]
    scoring.clear_kpi_actual(rft, "2026-Q2")
    assert scoring.scorecard(engagement.id).scorecard.periods[1].score is None


def test_bands_fall_back_to_defaults_and_refuse_nonsense(store) -> None:
    scoring = ScoringService(store)
    assert [b.label for b in scoring.bands()] == ["at risk", "watch", "good"]
    with pytest.raises(CriteriaRuleError):
        scoring.set_bands([Band(20, "x")])
