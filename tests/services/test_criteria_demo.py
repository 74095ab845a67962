from sqlalchemy import func, select

from planner.domain.criteria import SetStatus
from planner.domain.criteria_scorecard import Trend
from planner.domain.scoring import KnockoutState
from planner.services.criteria_overview import CriteriaOverviewService
from planner.services.criteria_scoring import ScoringService
from planner.services.demo_criteria import load_criteria_demo
from planner.services.engagements import EngagementService
from planner.store.models import ChangeLogRow, CriteriaSetRow, KpiActualRow, ScoreRow


def counts(store) -> tuple[int, ...]:
    with store.reading() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (CriteriaSetRow, ScoreRow, KpiActualRow, ChangeLogRow)
        )


def test_demo_criteria_cover_each_status_and_load_once(demo_store) -> None:
    # 3 on a bare demo portfolio; 0 once `planner demo` itself loads the criteria.
    assert load_criteria_demo(demo_store) in (0, 3)
    before = counts(demo_store)
    assert load_criteria_demo(demo_store) == 0
    assert counts(demo_store) == before

    engagements = EngagementService(demo_store)
    overview = CriteriaOverviewService(demo_store)
    status = {
        program: overview.overview(engagements.find(program).id).criteria_set.status
        for program in ("ORP-2417", "ORP-4021", "ORP-3308")
    }
    assert status == {
        "ORP-2417": SetStatus.ALIGNED,
        "ORP-4021": SetStatus.IN_REVIEW,
        "ORP-3308": SetStatus.COMMUNICATED,
    }
    in_review = overview.overview(engagements.find("ORP-4021").id)
    assert any(s.verdict for s in in_review.criteria_set.sign_offs)
    assert any(s.verdict is None for s in in_review.criteria_set.sign_offs)

    ranking = ScoringService(demo_store).ranking(engagements.find("ORP-2417").id)
    by_name = {c.name: c for c in ranking.candidates}
    assert ranking.candidates[0].name == "Kestrelmoor Chimica Milano"
    assert by_name["Granite Peak Chemistry"].knockout is KnockoutState.FAILED
    assert by_name["Slaney Containment"].not_applicable == ("Stability programme",)
    assert ranking.closest_call is not None

    sheet = ScoringService(demo_store).scorecard(engagements.find("ORP-3308").id)
    assert sheet.cmo_name == "Hanbit BioWorks Songdo"
    assert len(sheet.scorecard.periods) >= 4
    assert sheet.scorecard.trend is not Trend.UNKNOWN


def test_demo_criteria_do_nothing_without_the_demo_engagements(store) -> None:
    assert load_criteria_demo(store) == 0
