import json

import pytest

from planner.domain.criteria import CriterionStage, Verdict
from planner.domain.engagement import Engagement
from planner.services.criteria_overview import CriteriaOverviewService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.engagements import EngagementService
from planner.services.errors import NotFound

SEL, PERF = CriterionStage.SELECTION, CriterionStage.PERFORMANCE


@pytest.fixture
def engagement(store):
    return EngagementService(store).create(Engagement(title="Biologics DS", program="ORP-9"))


def test_overview_without_criteria_says_what_to_do(store, engagement) -> None:
    overview = CriteriaOverviewService(store).overview(engagement.id)
    data = overview.to_json()
    assert data["version"] is None and data["criteria"] == [] and data["versions"] == []
    assert data["next_step"] == "Choose criteria"
    assert data["engagement"] == {
        "id": engagement.id,
        "title": "Biologics DS",
        "program": "ORP-9",
        "stage": "consideration",
    }


def test_overview_json_has_version_status_weights_and_sign_offs(store, engagement) -> None:
    sets = CriteriaSetService(store)
    cs = sets.start(engagement.id, ["qa", "finance"])
    cs = sets.add_from_library(cs.id, ["quality_systems", "cost", "oos_rate"])
    sets.normalise_weights(cs.id, SEL)
    CriteriaSignOffService(store).assign_signer(cs.id, "finance", "Fay")
    overview = CriteriaOverviewService(store).overview(engagement.id)
    assert overview.open_items == (
        "Performance KPIs weights add up to 10.0, not 100.",
        "Name who signs off for QA.",
    )
    data = json.loads(json.dumps(overview.to_json()))  # plain JSON all the way down
    assert (data["version"], data["status"]) == (1, "draft")
    assert data["weights"] == {"selection": 100.0, "performance": 10.0}
    kpi = next(c for c in data["criteria"] if c["stage"] == "performance")
    assert (kpi["target_text"], kpi["direction"], kpi["unit"]) == (
        "≤ 0.5 (floor 2)",
        "lower",
        "% of tests",
    )
    assert data["sign_offs"][1] == {
        "role": "finance",
        "role_label": "Finance",
        "required": True,
        "person": "Fay",
        "signed_on": None,
        "verdict": None,
        "comment": "",
    }
    assert data["next_step"] == "Complete the criteria"


def test_diff_versions_lists_added_removed_and_reweighted_criteria(store, engagement) -> None:
    sets = CriteriaSetService(store)
    cs = sets.start(engagement.id, ["qa"])
    cs = sets.add_from_library(cs.id, ["quality_systems", "cost", "right_first_time"])
    sets.normalise_weights(cs.id, SEL)
    sets.normalise_weights(cs.id, PERF)
    sign = CriteriaSignOffService(store)
    sign.record_sign_off(cs.id, "qa", "Ann", Verdict.AGREE)
    sign.mark_communicated(cs.id)
    v2 = sets.open_for_editing(engagement.id)
    v2 = sets.remove_criterion(v2.id, v2.criteria[1].id)
    v2 = sets.add_from_library(v2.id, ["terms"])
    sets.normalise_weights(v2.id, SEL)
    service = CriteriaOverviewService(store)
    delta = service.diff_versions(engagement.id, 1, 2)
    assert [c.name for c in delta.added] == ["Commercial and contract terms"]
    assert [c.name for c in delta.removed] == ["Cost"]
    assert [(c.name, c.weight_change) for c in delta.changed] == [
        ("Quality systems and cGMP compliance", (60.0, 93.8))
    ]
    assert service.overview(engagement.id, version=1).to_json()["status"] == "communicated"
    assert [v["version"] for v in service.overview(engagement.id).to_json()["versions"]] == [1, 2]
    with pytest.raises(NotFound, match="criteria version 3"):
        service.diff_versions(engagement.id, 1, 3)
