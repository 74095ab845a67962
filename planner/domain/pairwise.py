"""Weights from pairwise comparisons (Saaty's analytic hierarchy process), in pure Python.

Priorities are the principal right eigenvector of the reciprocal judgment matrix, found by power
iteration (Perron–Frobenius: a positive matrix has one positive dominant eigenvector, so the
iteration converges). The geometric-mean (row) approximation is available for comparison.

Consistency: CI = (λmax − n) / (n − 1) and CR = CI / RI(n), with Saaty's random index. Saaty
asks for judgments to be revisited when CR exceeds 0.10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from planner.domain.criteria import CriteriaRuleError
from planner.domain.criteria_weights import from_fractions
from planner.domain.wording import plural

# Saaty's average consistency index of random reciprocal matrices: n = 1..10 from Saaty,
# "The Analytic Hierarchy Process" (1980); n = 11..15 from Saaty's later extended table.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
MAX_ITEMS = max(RANDOM_INDEX)
CR_LIMIT = 0.10
# The fundamental scale: 1 equal … 9 extreme importance, and the reciprocals.
MIN_JUDGMENT, MAX_JUDGMENT = 1 / 9, 9.0
SCALE_WORDS: dict[int, str] = {
    1: "equally important",
    3: "moderately more important",
    5: "strongly more important",
    7: "very strongly more important",
    9: "extremely more important",
}

Matrix = list[list[float]]


class Method(StrEnum):
    EIGENVECTOR = "eigenvector"
    GEOMETRIC_MEAN = "geometric_mean"


@dataclass(frozen=True)
class AhpResult:
    priorities: tuple[float, ...]  # fractions summing to 1, in matrix order
    weights: tuple[float, ...]  # the same as percentages to one decimal, summing to 100
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    method: Method

    @property
    def acceptable(self) -> bool:
        return self.consistency_ratio <= CR_LIMIT

    @property
    def warning(self) -> str | None:
        if self.acceptable:
            return None
        return (
            f"The comparisons are inconsistent (consistency ratio {self.consistency_ratio:.2f}, "
            f"above {CR_LIMIT:.2f}); revisit the judgments that disagree most."
        )


@dataclass(frozen=True)
class Disagreement:
    """A judgment far from what the derived priorities imply (w_i / w_j)."""

    first: int
    second: int
    judged: float
    implied: float


def pairs(count: int) -> list[tuple[int, int]]:
    """Every comparison needed for `count` items, i < j, in the order a wizard asks them."""
    return [(i, j) for i in range(count) for j in range(i + 1, count)]


def missing_pairs(count: int, judgments: Mapping[tuple[int, int], float]) -> list[tuple[int, int]]:
    known = {(min(i, j), max(i, j)) for i, j in judgments}
    return [p for p in pairs(count) if p not in known]


def check_judgment(value: float) -> None:
    if not (MIN_JUDGMENT - 1e-9 <= value <= MAX_JUDGMENT + 1e-9):
        raise CriteriaRuleError(
            f"A comparison must be between 1/9 and 9 on Saaty's scale (got {value:g})."
        )


def matrix_from_judgments(count: int, judgments: Mapping[tuple[int, int], float]) -> Matrix:
    """`judgments[(i, j)]` says how many times more important item i is than item j."""
    if not 1 <= count <= MAX_ITEMS:
        raise CriteriaRuleError(
            f"Pairwise comparison works for 1 to {MAX_ITEMS} criteria (got {count})."
        )
    matrix = [[1.0] * count for _ in range(count)]
    for (i, j), value in judgments.items():
        if i == j or not (0 <= i < count and 0 <= j < count):
            raise CriteriaRuleError(f"({i}, {j}) is not a pair of different criteria.")
        check_judgment(value)
        matrix[i][j] = float(value)
        matrix[j][i] = 1.0 / value
    missing = missing_pairs(count, judgments)
    if missing:
        raise CriteriaRuleError(missing_message(len(missing)))
    return matrix


def missing_message(count: int) -> str:
    return f"{plural(count, 'comparison')} still missing."


def check_matrix(matrix: Sequence[Sequence[float]]) -> None:
    n = len(matrix)
    if n == 0 or any(len(row) != n for row in matrix):
        raise CriteriaRuleError("A comparison matrix must be square and not empty.")
    for i in range(n):
        if abs(matrix[i][i] - 1) > 1e-9:
            raise CriteriaRuleError("Every criterion is equally important as itself (diagonal 1).")
        for j in range(n):
            if matrix[i][j] <= 0 or abs(matrix[i][j] * matrix[j][i] - 1) > 1e-6:
                raise CriteriaRuleError("A comparison matrix must be positive and reciprocal.")


def _multiply(matrix: Sequence[Sequence[float]], vector: Sequence[float]) -> list[float]:
    return [math.fsum(a * v for a, v in zip(row, vector, strict=True)) for row in matrix]


def principal_eigenvector(
    matrix: Sequence[Sequence[float]], tolerance: float = 1e-13, max_iterations: int = 10_000
) -> tuple[list[float], float]:
    """(eigenvector normalised to sum 1, its eigenvalue λmax) by power iteration."""
    n = len(matrix)
    vector = [1.0 / n] * n
    for _ in range(max_iterations):
        product = _multiply(matrix, vector)
        size = math.fsum(product)
        following = [p / size for p in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < tolerance:
            vector = following
            break
        vector = following
    return vector, _lambda_max(matrix, vector)


def geometric_mean_priorities(matrix: Sequence[Sequence[float]]) -> list[float]:
    """Row geometric means normalised to sum 1 (exact for consistent matrices)."""
    means = [math.exp(math.fsum(math.log(a) for a in row) / len(row)) for row in matrix]
    size = math.fsum(means)
    return [m / size for m in means]


def _lambda_max(matrix: Sequence[Sequence[float]], vector: Sequence[float]) -> float:
    """Mean of (A·w)_i / w_i: λmax for the eigenvector, Saaty's estimate for other vectors."""
    product = _multiply(matrix, vector)
    return math.fsum(p / v for p, v in zip(product, vector, strict=True)) / len(vector)


def ahp(matrix: Sequence[Sequence[float]], method: Method = Method.EIGENVECTOR) -> AhpResult:
    check_matrix(matrix)
    n = len(matrix)
    if n > MAX_ITEMS:
        raise CriteriaRuleError(f"Pairwise comparison works for at most {MAX_ITEMS} criteria.")
    if method is Method.EIGENVECTOR:
        priorities, lam = principal_eigenvector(matrix)
    else:
        priorities = geometric_mean_priorities(matrix)
        lam = _lambda_max(matrix, priorities)
    # λmax ≥ n for any positive reciprocal matrix; clamp float noise on consistent ones.
    ci = max(0.0, (lam - n) / (n - 1)) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri else 0.0
    return AhpResult(
        priorities=tuple(priorities),
        weights=tuple(from_fractions(priorities)),
        lambda_max=lam,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=cr,
        method=method,
    )


def ahp_from_judgments(
    count: int, judgments: Mapping[tuple[int, int], float], method: Method = Method.EIGENVECTOR
) -> AhpResult:
    return ahp(matrix_from_judgments(count, judgments), method)


def disagreements(
    matrix: Sequence[Sequence[float]], priorities: Sequence[float], limit: int = 3
) -> list[Disagreement]:
    """The judgments furthest (on a log scale) from the ratio the priorities imply, worst first."""
    found = []
    for i, j in pairs(len(matrix)):
        implied = priorities[i] / priorities[j]
        found.append(
            (abs(math.log(matrix[i][j] / implied)), Disagreement(i, j, matrix[i][j], implied))
        )
    found.sort(key=lambda item: -item[0])
    return [d for gap, d in found[:limit] if gap > 1e-9]
