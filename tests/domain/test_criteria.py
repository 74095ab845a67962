import pytest

from planner.domain.criteria import (
    CriteriaRuleError,
    CriteriaSet,
    Criterion,
    CriterionStage,
    Direction,
    SetStatus,
    SignOff,
    Verdict,
    check_criterion,
    format_target,
    next_step,
    normalise_role,
    open_items,
    parse_target,
    set_problems,
    status_from_sign_offs,
)

SCALE = ["one", "two", "three", "four", "five"]
PERF = CriterionStage.PERFORMANCE


def ready_set() -> CriteriaSet:
    return CriteriaSet(
        engagement_id=1,
        required_roles=["qa", "technical"],
        criteria=[
            Criterion("Quality", weight=60, scale=SCALE, knockout=True),
            Criterion("Cost", weight=40, scale=SCALE),
            Criterion("OTIF", PERF, weight=100, scale=SCALE, target=95, direction=Direction.HIGHER),
        ],
        sign_offs=[SignOff("qa", "Ann"), SignOff("technical", "Bo")],
    )


def test_a_complete_set_has_no_problems() -> None:
    assert set_problems(ready_set()) == []


def test_problems_name_weights_scale_targets_and_roles() -> None:
    cs = ready_set()
    cs.criteria[0].weight = 50
    cs.criteria[1].scale = ["only one"]
    cs.criteria[2].target = None
    cs.required_roles = []
    problems = " ".join(set_problems(cs))
    assert "Selection criteria weights add up to 90.0, not 100." in problems
    assert "'Cost' needs wording" in problems
    assert "KPI 'OTIF' needs a target" in problems
    assert "at least one role" in problems
    assert set_problems(CriteriaSet(engagement_id=1)) == ["Choose at least one criterion."]


def test_status_is_aligned_only_when_every_required_role_agrees() -> None:
    roles = ["qa", "technical"]
    assert (
        status_from_sign_offs(roles, [SignOff("qa", "A", verdict=Verdict.AGREE)])
        is SetStatus.IN_REVIEW
    )
    both = [
        SignOff("qa", "A", verdict=Verdict.AGREE),
        SignOff("technical", "B", verdict=Verdict.AGREE_WITH_COMMENT, comment="ok"),
    ]
    assert status_from_sign_offs(roles, both) is SetStatus.ALIGNED
    both[1].verdict = Verdict.OBJECT
    assert status_from_sign_offs(roles, both) is SetStatus.IN_REVIEW
    # A verdict from a role that is not required does not count.
    assert status_from_sign_offs(["qa"], both) is SetStatus.ALIGNED
    assert status_from_sign_offs([], []) is SetStatus.IN_REVIEW


def test_criterion_rules() -> None:
    check_criterion(Criterion("Cost", weight=10))
    with pytest.raises(CriteriaRuleError, match="name"):
        check_criterion(Criterion(" "))
    with pytest.raises(CriteriaRuleError, match="between 0 and 100"):
        check_criterion(Criterion("Cost", weight=101))
    with pytest.raises(CriteriaRuleError, match="only selection criteria can be knockouts"):
        check_criterion(Criterion("OTIF", PERF, knockout=True))
    with pytest.raises(CriteriaRuleError, match="only KPIs have targets"):
        check_criterion(Criterion("Cost", target=3, direction=Direction.LOWER))
    with pytest.raises(CriteriaRuleError, match="worse than its target"):
        check_criterion(Criterion("RFT", PERF, target=95, direction=Direction.HIGHER, floor=98))


def test_kpi_targets_round_trip_through_text() -> None:
    assert format_target(Direction.HIGHER, 95, 80) == "≥ 95 (floor 80)"
    assert format_target(Direction.LOWER, 0.5, None) == "≤ 0.5"
    assert parse_target("≥ 95 (floor 80)") == (Direction.HIGHER, 95, 80)
    assert parse_target("<=0.5") == (Direction.LOWER, 0.5, None)
    assert parse_target("") == (None, None, None)
    with pytest.raises(CriteriaRuleError, match="not a KPI target"):
        parse_target("about 95")


def test_roles_are_matched_by_key_or_label() -> None:
    assert normalise_role("Supply chain") == "supply_chain"
    assert normalise_role(" QA ") == "qa"
    assert normalise_role("Clinical  operations") == "Clinical operations"


def test_open_items_follow_the_status() -> None:
    assert open_items(None)[0].startswith("No criteria yet")
    cs = ready_set()
    assert open_items(cs) == ["Submit the criteria for internal review."]
    assert next_step(cs) == "Submit for review"
    cs.status = SetStatus.IN_REVIEW
    cs.sign_offs[0].verdict = Verdict.OBJECT
    cs.sign_offs[0].comment = "Cost weighted too high"
    items = open_items(cs)
    assert "Waiting for sign-off from Technical." in items
    assert "QA (Ann) objects: Cost weighted too high" in items
    cs.status = SetStatus.COMMUNICATED
    assert open_items(cs) == [] and cs.frozen
