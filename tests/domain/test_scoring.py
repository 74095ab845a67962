import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.criteria import CriteriaRuleError, Criterion
from planner.domain.scoring import (
    KnockoutState,
    ProposalScore,
    _moved_weights,
    check_score,
    rank_candidates,
)


def crit(cid: int, weight: float, knockout: bool = False) -> Criterion:
    return Criterion(f"C{cid}", weight=weight, knockout=knockout, id=cid)


def scores(cmo: int, *values: int | None) -> list[ProposalScore]:
    return [ProposalScore(cmo, cid, v) for cid, v in enumerate(values, start=1) if v != "-"]


def test_weighted_score_stays_on_the_one_to_five_scale() -> None:
    ranking = rank_candidates([crit(1, 60), crit(2, 40)], {10: "A"}, scores(10, 5, 2))
    (a,) = ranking.candidates
    assert a.weighted_score == pytest.approx(3.8)
    assert a.rank == 1 and a.rated_weight == 100


def test_not_applicable_is_left_out_not_counted_as_zero() -> None:
    criteria = [crit(1, 50), crit(2, 30), crit(3, 20)]
    ranking = rank_candidates(criteria, {10: "A"}, scores(10, 4, None, 2))
    (a,) = ranking.candidates
    # (50·4 + 20·2) / 70, not (50·4 + 0 + 20·2) / 100
    assert a.weighted_score == pytest.approx(240 / 70)
    assert a.rated_weight == 70
    assert a.not_applicable == ("C2",)
    assert ranking.complete


def test_unscored_criteria_are_left_out_and_mark_the_ranking_incomplete() -> None:
    ranking = rank_candidates([crit(1, 50), crit(2, 50)], {10: "A"}, [ProposalScore(10, 1, 4)])
    (a,) = ranking.candidates
    assert a.weighted_score == 4.0 and a.unscored == ("C2",)
    assert not ranking.complete


def test_a_one_on_a_knockout_eliminates_whatever_the_total() -> None:
    criteria = [crit(1, 10, knockout=True), crit(2, 90)]
    ranking = rank_candidates(
        criteria, {10: "Strong but fails", 11: "Weaker"}, scores(10, 1, 5) + scores(11, 3, 3)
    )
    first, second = ranking.candidates
    assert (first.name, first.rank) == ("Weaker", 1)
    assert second.knockout is KnockoutState.FAILED and second.rank is None
    assert second.failed_knockouts == ("C1",)
    assert ranking.leader_id == 11


def test_unscored_knockout_is_pending_and_ranked_provisionally() -> None:
    ranking = rank_candidates(
        [crit(1, 50, knockout=True), crit(2, 50)], {10: "A"}, scores(10, "-", 4)
    )
    assert ranking.candidates[0].knockout is KnockoutState.PENDING
    assert ranking.candidates[0].rank == 1


def test_ties_share_a_rank() -> None:
    ranking = rank_candidates(
        [crit(1, 100)],
        {1: "B", 2: "A", 3: "C"},
        [ProposalScore(1, 1, 4), ProposalScore(2, 1, 4), ProposalScore(3, 1, 2)],
    )
    assert [(c.name, c.rank) for c in ranking.candidates] == [("A", 1), ("B", 1), ("C", 3)]


def test_score_rules() -> None:
    check_score(crit(1, 10), 3, "")
    check_score(crit(1, 10), None, "Not part of the scope")
    with pytest.raises(CriteriaRuleError, match="needs a note"):
        check_score(crit(1, 10), None, " ")
    with pytest.raises(CriteriaRuleError, match="cannot be N/A"):
        check_score(crit(1, 10, knockout=True), None, "why")
    for bad in (0, 6, 2.5, True):
        with pytest.raises(CriteriaRuleError):
            check_score(crit(1, 10), bad, "")


def test_sensitivity_worked_example() -> None:
    # A: 5 and 1 → 3.0; B: 2 and 3 → 2.5 at 50/50. With w1 = t: A = 1 + 0.04t, B = 3 − 0.01t,
    # level at t = 40, so C1 must lose 10 points; symmetrically C2 must gain 10.
    ranking = rank_candidates(
        [crit(1, 50), crit(2, 50)], {1: "A", 2: "B"}, scores(1, 5, 1) + scores(2, 2, 3)
    )
    by_name = {s.name: s for s in ranking.sensitivity}
    assert by_name["C1"].new_weight == 40.0 and by_name["C1"].change == -10.0
    assert by_name["C2"].new_weight == 60.0 and by_name["C2"].change == 10.0
    assert by_name["C1"].overtaken_by == 2
    assert ranking.closest_call is not None and abs(ranking.closest_call.change) == 10.0


def test_sensitivity_respects_not_applicable() -> None:
    # B is N/A on C2, so B stays at 2 whatever the weights: A = 1 + 0.04t reaches 2 at t = 25.
    ranking = rank_candidates(
        [crit(1, 50), crit(2, 50)],
        {1: "A", 2: "B"},
        scores(1, 5, 1) + [ProposalScore(2, 1, 2), ProposalScore(2, 2, None, "n/a")],
    )
    by_name = {s.name: s for s in ranking.sensitivity}
    assert by_name["C1"].new_weight == 25.0


def test_sensitivity_reports_when_no_weight_can_change_the_lead() -> None:
    ranking = rank_candidates(
        [crit(1, 50), crit(2, 50)], {1: "A", 2: "B"}, scores(1, 5, 5) + scores(2, 3, 4)
    )
    assert all(s.new_weight is None and s.change is None for s in ranking.sensitivity)
    assert ranking.closest_call is None


def test_knocked_out_candidates_never_overtake() -> None:
    criteria = [crit(1, 50, knockout=True), crit(2, 50)]
    ranking = rank_candidates(criteria, {1: "A", 2: "B"}, scores(1, 3, 3) + scores(2, 1, 5))
    assert all(s.new_weight is None for s in ranking.sensitivity)


def _totals(weights, table):
    out = {}
    for cmo, row in table.items():
        num = sum(w * s for w, s in zip(weights, row, strict=True) if s is not None)
        den = sum(w for w, s in zip(weights, row, strict=True) if s is not None)
        out[cmo] = num / den if den > 1e-9 else None
    return out


def test_moving_one_weight_rescales_the_others_proportionally() -> None:
    assert _moved_weights([50, 30, 20], 0, 80) == pytest.approx([80, 12, 8])
    assert _moved_weights([100, 0, 0], 0, 40) == pytest.approx([40, 30, 30])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 20), min_size=2, max_size=4),
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=4, max_size=4),
        min_size=2,
        max_size=3,
    ),
)
def test_sensitivity_agrees_with_a_scan_of_the_weight(raw_weights, rows) -> None:
    """At the reported weight the rival draws level; between it and the current weight (and
    anywhere, when none is reported) the leader keeps first place on a 0.1-point grid."""
    n = len(raw_weights)
    weights = [100 * w / sum(raw_weights) for w in raw_weights]
    criteria = [crit(i + 1, w) for i, w in enumerate(weights)]
    table = {c: row[:n] for c, row in enumerate(rows, start=1)}
    given_scores = [
        ProposalScore(cmo, i + 1, s, "n/a" if s is None else "")
        for cmo, row in table.items()
        for i, s in enumerate(row)
    ]
    ranking = rank_candidates(criteria, {c: f"X{c}" for c in table}, given_scores)
    leader = ranking.leader_id
    if leader is None:
        return
    eligible = {c.cmo_id for c in ranking.candidates if c.rank is not None}
    for sens in ranking.sensitivity:
        k = sens.criterion_id - 1

        def margin(t: float, k: int = k) -> float | None:
            """Leader minus best rival; None where the leader's score is undefined."""
            totals = _totals(_moved_weights(weights, k, t), table)
            rivals = [
                v for c, v in totals.items() if c != leader and c in eligible and v is not None
            ]
            if totals[leader] is None or not rivals:
                return None
            return totals[leader] - max(rivals)

        grid = [x / 10 for x in range(1001)]
        if sens.new_weight is None:
            assert all(m is None or m > -1e-9 for m in map(margin, grid))
            continue
        t_star = sens.new_weight
        totals = _totals(_moved_weights(weights, k, t_star), table)
        assert totals[sens.overtaken_by] == pytest.approx(totals[leader], abs=1e-6)
        low, high = sorted((weights[k], t_star))
        between = [t for t in grid if low < t < high and abs(t - t_star) > 1e-6]
        assert all(m is None or m > -1e-9 for m in map(margin, between))
