import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.criteria import CriteriaRuleError
from planner.domain.criteria_weights import (
    equal_weights,
    from_fractions,
    is_complete,
    lock_and_distribute,
    normalise,
    remainder,
    total,
)

weight = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda w: round(w, 1))
weight_lists = st.lists(weight, min_size=1, max_size=15)


def tenths(values: list[float]) -> int:
    return round(sum(round(v * 10) for v in values))


def test_normalise_keeps_proportions_and_sums_to_100() -> None:
    assert normalise([10, 30, 10]) == [20.0, 60.0, 20.0]
    assert normalise([1, 1, 1]) == [33.4, 33.3, 33.3]
    assert normalise([0, 0]) == [50.0, 50.0]
    assert normalise([]) == []


def test_normalise_refuses_negative_weights() -> None:
    with pytest.raises(CriteriaRuleError):
        normalise([10, -5])


def test_remainder_and_total_for_the_ui() -> None:
    assert remainder([40, 35.5]) == 24.5
    assert remainder([60, 50]) == -10.0
    assert total([33.3, 33.3, 33.4]) == 100.0
    assert is_complete([33.3, 33.3, 33.4])
    assert not is_complete([50, 49.9])


def test_equal_weights_hand_out_the_leftover_tenth() -> None:
    assert equal_weights(3) == [33.4, 33.3, 33.3]
    assert equal_weights(7).count(14.3) == 6


def test_lock_sets_one_weight_and_rescales_the_others_proportionally() -> None:
    assert lock_and_distribute([50, 30, 20], 0, 60) == [60.0, 24.0, 16.0]


def test_locked_weights_stay_put() -> None:
    result = lock_and_distribute([40, 30, 20, 10], 0, 50, locked=[1])
    assert result[:2] == [50.0, 30.0]
    assert result[2:] == pytest.approx([13.3, 6.7])
    assert tenths(result) == 1000


def test_others_all_zero_share_equally() -> None:
    assert lock_and_distribute([100, 0, 0], 0, 40) == [40.0, 30.0, 30.0]


def test_value_that_does_not_fit_beside_locked_weights_is_refused() -> None:
    with pytest.raises(CriteriaRuleError, match="30 points are left"):
        lock_and_distribute([10, 70, 20], 0, 40, locked=[1])


def test_everything_else_locked_is_refused_unless_it_already_fits() -> None:
    with pytest.raises(CriteriaRuleError, match="unlock one"):
        lock_and_distribute([50, 50], 0, 40, locked=[1])
    assert lock_and_distribute([50, 50], 0, 50, locked=[1]) == [50.0, 50.0]


def test_pairwise_fractions_become_percentages() -> None:
    assert from_fractions([4 / 7, 2 / 7, 1 / 7]) == [57.1, 28.6, 14.3]


@settings(max_examples=200, deadline=None)
@given(weight_lists)
def test_normalise_always_sums_to_exactly_100(weights: list[float]) -> None:
    result = normalise(weights)
    assert len(result) == len(weights)
    assert tenths(result) == 1000
    assert all(w >= 0 for w in result)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_lock_always_sums_to_100_and_keeps_locked_values(data) -> None:
    weights = data.draw(st.lists(weight, min_size=2, max_size=12))
    index = data.draw(st.integers(0, len(weights) - 1))
    others = [i for i in range(len(weights)) if i != index]
    locked = data.draw(st.lists(st.sampled_from(others), unique=True, max_size=len(others) - 1))
    room = 1000 - sum(round(weights[i] * 10) for i in locked)  # in tenths
    if room < 0:
        with pytest.raises(CriteriaRuleError):
            lock_and_distribute(weights, index, 0, locked)
        return
    value = data.draw(st.integers(0, room)) / 10
    result = lock_and_distribute(weights, index, value, locked)
    assert tenths(result) == 1000
    assert result[index] == value
    for i in locked:
        assert result[i] == round(weights[i], 1)
    assert all(w >= 0 for w in result)
