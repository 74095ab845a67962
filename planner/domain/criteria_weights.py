"""Weight rules for one stage of a criteria set: percentages to one decimal that sum to 100.

Every helper works in integer tenths of a percentage point and hands leftover tenths out by the
largest-remainder method, so a result that should sum to 100 sums to exactly 1000 tenths; the
floats returned are those tenths divided by ten.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

from planner.domain.criteria import CriteriaRuleError

FULL = 1000  # 100 % in tenths


def _tenths(weight: float) -> int:
    # Half away from zero, not banker's rounding: 12.25 → 12.3 as a user would expect.
    return int(math.floor(abs(weight) * 10 + 0.5 + 1e-9)) * (1 if weight >= 0 else -1)


def _share(amount: int, basis: Sequence[float]) -> list[int]:
    """`amount` tenths split in proportion to `basis` (equally when the basis is all zero)."""
    if not basis:
        return []
    total = sum(basis)
    if total <= 0:
        basis = [1.0] * len(basis)
        total = float(len(basis))
    exact = [amount * b / total for b in basis]
    parts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def total(weights: Sequence[float]) -> float:
    return sum(_tenths(w) for w in weights) / 10


def remainder(weights: Sequence[float]) -> float:
    """Percentage points still to hand out (negative when the weights overshoot 100)."""
    return (FULL - sum(_tenths(w) for w in weights)) / 10


def is_complete(weights: Sequence[float]) -> bool:
    return not weights or sum(_tenths(w) for w in weights) == FULL


def equal_weights(count: int) -> list[float]:
    return [t / 10 for t in _share(FULL, [1.0] * count)]


def normalise(weights: Sequence[float]) -> list[float]:
    """Rescaled proportionally to sum to 100; all zero (or negative) becomes an equal split."""
    if any(w < 0 for w in weights):
        raise CriteriaRuleError("Weights cannot be negative.")
    return [t / 10 for t in _share(FULL, list(weights))]


def from_fractions(fractions: Sequence[float]) -> list[float]:
    """Priorities that sum to 1 (pairwise comparison) as percentages that sum to 100."""
    return normalise([max(f, 0.0) for f in fractions])


def lock_and_distribute(
    weights: Sequence[float],
    index: int,
    value: float,
    locked: Collection[int] = (),
) -> list[float]:
    """Set weights[index] to `value`, keep the `locked` ones, rescale the others to fill 100.

    The others keep their proportions to each other (equal shares when they are all zero).
    Raises CriteriaRuleError when the value does not fit beside the locked weights or when no
    unlocked weight is left to absorb the change.
    """
    if not 0 <= index < len(weights):
        raise IndexError(index)
    if not 0 <= value <= 100:
        raise CriteriaRuleError("A weight must be between 0 and 100.")
    fixed = [i for i in set(locked) if i != index and 0 <= i < len(weights)]
    free = [i for i in range(len(weights)) if i != index and i not in fixed]
    wanted = _tenths(value)
    rest = FULL - wanted - sum(_tenths(weights[i]) for i in fixed)
    if rest < 0:
        room = (FULL - sum(_tenths(weights[i]) for i in fixed)) / 10
        raise CriteriaRuleError(
            f"Only {room:g} points are left beside the locked weights; {value:g} does not fit."
        )
    if not free:
        if rest == 0:
            return [_tenths(w) / 10 if i != index else wanted / 10 for i, w in enumerate(weights)]
        raise CriteriaRuleError(
            "Every other weight is locked, so this one cannot change; unlock one first."
        )
    result = [_tenths(w) for w in weights]
    result[index] = wanted
    for i, part in zip(free, _share(rest, [max(weights[i], 0.0) for i in free]), strict=True):
        result[i] = part
    return [t / 10 for t in result]
