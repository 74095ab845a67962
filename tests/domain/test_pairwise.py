"""AHP checked against published worked examples.

House example: T. L. Saaty, "How to make a decision: The Analytic Hierarchy Process",
European Journal of Operational Research 48 (1990) 9-26, the eight criteria for buying a house
(size, transportation, neighbourhood, age, yard, modern facilities, condition, financing).
Published: priority vector (.173, .054, .188, .018, .031, .036, .167, .333), λmax = 9.669,
C.I. = 0.238, C.R. = 0.169 — inconsistent enough to trigger the 0.10 warning.
"""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.criteria import CriteriaRuleError
from planner.domain.pairwise import (
    RANDOM_INDEX,
    Method,
    ahp,
    ahp_from_judgments,
    check_matrix,
    disagreements,
    matrix_from_judgments,
    missing_pairs,
    pairs,
)

HOUSE = """
1   5   3   7   6   6   1/3 1/4
1/5 1   1/3 5   3   3   1/5 1/7
1/3 3   1   6   3   4   6   1/5
1/7 1/5 1/6 1   1/3 1/4 1/7 1/8
1/6 1/3 1/3 3   1   1/2 1/5 1/6
1/6 1/3 1/4 4   2   1   1/5 1/6
3   5   1/6 7   5   5   1   1/2
4   7   5   8   6   6   2   1
"""


def parse(text: str) -> list[list[float]]:
    return [[float(Fraction(x)) for x in line.split()] for line in text.strip().splitlines()]


def test_saaty_house_example_weights_lambda_and_consistency() -> None:
    result = ahp(parse(HOUSE))
    assert [round(p, 3) for p in result.priorities] == [
        0.173,
        0.054,
        0.188,
        0.018,
        0.031,
        0.036,
        0.167,
        0.333,
    ]
    assert result.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert result.consistency_index == pytest.approx(0.238, abs=5e-4)
    assert result.random_index == 1.41
    assert result.consistency_ratio == pytest.approx(0.169, abs=5e-4)
    assert not result.acceptable
    assert "0.17" in (result.warning or "")
    assert sum(round(w * 10) for w in result.weights) == 1000


def test_three_by_three_textbook_matrix_is_acceptably_consistent() -> None:
    # A widely used teaching example: 1,3,5 / 1/3,1,3 / 1/5,1/3,1.
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert [round(p, 3) for p in result.priorities] == [0.637, 0.258, 0.105]
    assert result.lambda_max == pytest.approx(3.039, abs=5e-4)
    assert result.consistency_ratio == pytest.approx(0.033, abs=5e-4)
    assert result.acceptable and result.warning is None


def test_consistent_matrix_gives_exact_weights_and_zero_ratio() -> None:
    result = ahp_from_judgments(3, {(0, 1): 2, (0, 2): 4, (1, 2): 2})
    assert result.priorities == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert result.weights == (57.1, 28.6, 14.3)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_geometric_mean_approximates_the_eigenvector() -> None:
    # Identical for any 3×3 reciprocal matrix; close but not equal on the inconsistent house.
    small = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    assert ahp(small, Method.GEOMETRIC_MEAN).priorities == pytest.approx(ahp(small).priorities)
    eigen = ahp(parse(HOUSE))
    geo = ahp(parse(HOUSE), Method.GEOMETRIC_MEAN)
    assert sum(geo.priorities) == pytest.approx(1.0)
    assert geo.priorities == pytest.approx(eigen.priorities, abs=0.05)
    assert max(range(8), key=lambda i: geo.priorities[i]) == 7  # financing first either way
    assert geo.consistency_ratio > 0.10


def test_judgments_are_mirrored_and_missing_ones_reported() -> None:
    judged = {(0, 1): 3.0, (2, 1): 1 / 5}
    assert missing_pairs(3, judged) == [(0, 2)]
    with pytest.raises(CriteriaRuleError, match="1 comparison"):
        matrix_from_judgments(3, judged)
    matrix = matrix_from_judgments(3, {**judged, (0, 2): 1.0})
    assert matrix[1][0] == pytest.approx(1 / 3)
    assert matrix[1][2] == pytest.approx(5.0)


def test_values_off_saaty_scale_and_bad_matrices_are_refused() -> None:
    with pytest.raises(CriteriaRuleError, match="1/9 and 9"):
        matrix_from_judgments(2, {(0, 1): 12})
    with pytest.raises(CriteriaRuleError, match="reciprocal"):
        check_matrix([[1, 2], [2, 1]])
    with pytest.raises(CriteriaRuleError, match="1 to 15"):
        matrix_from_judgments(16, {})


def test_random_index_table_is_saatys() -> None:
    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [
        0.0,
        0.0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
    ]


def test_two_items_are_always_consistent() -> None:
    result = ahp_from_judgments(2, {(0, 1): 9})
    assert result.weights == (90.0, 10.0)
    assert result.consistency_ratio == 0.0


def test_worst_disagreement_points_at_the_odd_judgment() -> None:
    # Neighbourhood judged 6× as important as condition, though the priorities make them equal.
    matrix = parse(HOUSE)
    worst = disagreements(matrix, ahp(matrix).priorities, limit=1)[0]
    assert (worst.first, worst.second, worst.judged) == (2, 6, 6.0)
    assert worst.implied == pytest.approx(1.13, abs=0.01)
    assert len(pairs(8)) == 28


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.2, 5.0), min_size=2, max_size=7))
def test_consistent_matrices_recover_the_weights_they_were_built_from(values) -> None:
    n = len(values)
    matrix = [[values[i] / values[j] for j in range(n)] for i in range(n)]
    result = ahp(matrix)
    expected = [v / sum(values) for v in values]
    assert result.priorities == pytest.approx(expected, rel=1e-6)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-6)
