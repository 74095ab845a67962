"""Proposal scoring: candidates scored 1–5 on each selection criterion, ranked, stress-tested.

Rules (they are what the ranking means, so the UI and packs repeat them):
- A candidate's weighted score is Σ wᵢ·sᵢ / Σ wᵢ over the criteria it was rated on, so it stays on
  the 1–5 scale. "N/A" and not-yet-scored criteria are left out of both sums: they never count as
  zero. `rated_weight` says how much of the stage's weight the score rests on.
- A knockout criterion is scored on the same 1–5 scale; a 1 means "does not meet the minimum" and
  eliminates the candidate whatever its total. 2–5 pass and count like any other score. A knockout
  cannot be N/A. A candidate with an unscored knockout is ranked provisionally.
- Ties share a rank (1, 1, 3).
- Sensitivity: for each criterion, the smallest move of its weight (others rescaled proportionally,
  total unchanged) at which another eligible candidate draws level with the leader.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from planner.domain.criteria import SCALE_POINTS, CriteriaRuleError, Criterion

KNOCKOUT_FAIL = 1
_EPS = 1e-9


class KnockoutState(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # a knockout criterion is not scored yet


@dataclass(frozen=True)
class ProposalScore:
    cmo_id: int
    criterion_id: int
    score: int | None  # 1..5; None means not applicable
    note: str = ""


@dataclass(frozen=True)
class CandidateResult:
    cmo_id: int
    name: str
    weighted_score: float | None  # 1..5 over rated criteria; None when nothing weighted is rated
    rated_weight: float  # percentage points of the stage weight behind weighted_score
    knockout: KnockoutState
    failed_knockouts: tuple[str, ...]
    unscored: tuple[str, ...]
    not_applicable: tuple[str, ...]
    rank: int | None  # None: knocked out or nothing to rank on

    @property
    def eligible(self) -> bool:
        return self.knockout is not KnockoutState.FAILED and self.weighted_score is not None


@dataclass(frozen=True)
class WeightSensitivity:
    criterion_id: int
    name: str
    weight: float
    # Where a rival draws level with the leader (exact; show it to one decimal); None: no weight
    # of this criterion alone can cost the leader first place.
    new_weight: float | None
    overtaken_by: int | None  # that rival's CMO id

    @property
    def change(self) -> float | None:
        """Signed percentage points from the current weight; None when the lead cannot be lost."""
        return None if self.new_weight is None else self.new_weight - self.weight


@dataclass(frozen=True)
class Ranking:
    candidates: tuple[CandidateResult, ...]  # ranked ones in rank order, then the rest by name
    leader_id: int | None
    sensitivity: tuple[WeightSensitivity, ...]  # smallest move first; unmovable ones last
    complete: bool  # every candidate scored on every criterion

    @property
    def closest_call(self) -> WeightSensitivity | None:
        return next((s for s in self.sensitivity if s.new_weight is not None), None)


def check_score(criterion: Criterion, score: int | None, note: str) -> None:
    if score is None:
        if criterion.knockout:
            raise CriteriaRuleError(
                f"'{criterion.name}' is a knockout: score it 1 (fail) to 5; it cannot be N/A."
            )
        if not note.strip():
            raise CriteriaRuleError(
                f"Say why '{criterion.name}' does not apply (N/A needs a note)."
            )
        return
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= SCALE_POINTS:
        raise CriteriaRuleError(f"A score is a whole number from 1 to {SCALE_POINTS}, or N/A.")


def _result(
    cmo_id: int,
    name: str,
    criteria: Sequence[Criterion],
    given: Mapping[int, ProposalScore],
) -> CandidateResult:
    weighted = rated = 0.0
    failed, unscored, na = [], [], []
    pending = False
    for c in criteria:
        entry = given.get(c.id) if c.id is not None else None
        if entry is None:
            unscored.append(c.name)
            pending = pending or c.knockout
            continue
        if entry.score is None:
            na.append(c.name)
            continue
        if c.knockout and entry.score <= KNOCKOUT_FAIL:
            failed.append(c.name)
        weighted += c.weight * entry.score
        rated += c.weight
    state = (
        KnockoutState.FAILED
        if failed
        else KnockoutState.PENDING
        if pending
        else KnockoutState.PASSED
    )
    return CandidateResult(
        cmo_id=cmo_id,
        name=name,
        weighted_score=weighted / rated if rated > _EPS else None,
        rated_weight=round(rated, 1),
        knockout=state,
        failed_knockouts=tuple(failed),
        unscored=tuple(unscored),
        not_applicable=tuple(na),
        rank=None,
    )


def rank_candidates(
    criteria: Sequence[Criterion],
    candidates: Mapping[int, str],
    scores: Sequence[ProposalScore],
) -> Ranking:
    """`criteria` are the selection criteria (with ids); `candidates` maps CMO id to name."""
    by_cmo: dict[int, dict[int, ProposalScore]] = {cid: {} for cid in candidates}
    for s in scores:
        if s.cmo_id in by_cmo:
            by_cmo[s.cmo_id][s.criterion_id] = s
    results = [_result(cid, name, criteria, by_cmo[cid]) for cid, name in candidates.items()]
    eligible = sorted(
        (r for r in results if r.eligible),
        key=lambda r: (-(r.weighted_score or 0.0), r.name.casefold()),
    )
    ranked: list[CandidateResult] = []
    for position, r in enumerate(eligible, start=1):
        tied = ranked and abs((ranked[-1].weighted_score or 0) - (r.weighted_score or 0)) < _EPS
        rank = ranked[-1].rank if tied else position
        ranked.append(_with_rank(r, rank))
    rest = sorted((r for r in results if not r.eligible), key=lambda r: r.name.casefold())
    leader = ranked[0].cmo_id if ranked else None
    sensitivity = weight_sensitivity(criteria, ranked, by_cmo) if leader is not None else ()
    complete = all(not r.unscored for r in results)
    return Ranking(tuple(ranked + rest), leader, tuple(sensitivity), complete)


def _with_rank(r: CandidateResult, rank: int | None) -> CandidateResult:
    return CandidateResult(
        r.cmo_id,
        r.name,
        r.weighted_score,
        r.rated_weight,
        r.knockout,
        r.failed_knockouts,
        r.unscored,
        r.not_applicable,
        rank,
    )


# --- sensitivity ------------------------------------------------------------------------------


def _moved_weights(weights: Sequence[float], k: int, t: float) -> list[float]:
    """Weight k set to t, the others rescaled proportionally so the total is unchanged."""
    total = math.fsum(weights)
    others = total - weights[k]
    moved = []
    for j, w in enumerate(weights):
        if j == k:
            moved.append(t)
        elif others > _EPS:
            moved.append(w * (total - t) / others)
        else:  # every other weight is zero: they share what k gives up equally
            moved.append((total - t) / (len(weights) - 1))
    return moved


def _linear_sums(
    weights: Sequence[float], k: int, rated: Mapping[int, int], span: float
) -> tuple[float, float, float, float]:
    """(n0, n1, d0, d1): Σw·s = n0 + n1·t and Σw = d0 + d1·t over the rated criteria."""

    def sums(t: float) -> tuple[float, float]:
        moved = _moved_weights(weights, k, t)
        num = math.fsum(moved[j] * s for j, s in rated.items())
        den = math.fsum(moved[j] for j in rated)
        return num, den

    n_at0, d_at0 = sums(0.0)
    n_at1, d_at1 = sums(span)
    return n_at0, (n_at1 - n_at0) / span, d_at0, (d_at1 - d_at0) / span


def _roots(a: float, b: float, c: float) -> list[float]:
    """Real roots of a·t² + b·t + c, tolerant of a vanishing leading coefficient."""
    scale = max(abs(a), abs(b), abs(c), 1.0)
    if abs(a) < 1e-12 * scale:
        return [] if abs(b) < 1e-12 * scale else [-c / b]
    disc = b * b - 4 * a * c
    if disc < 0:
        disc = 0.0 if disc > -1e-9 * scale * scale else disc
        if disc < 0:
            return []
    root = math.sqrt(disc)
    q = -0.5 * (b + math.copysign(root, b))  # numerically stable form
    found = [q / a]
    if abs(q) > 1e-15:
        found.append(c / q)
    return found


def weight_sensitivity(
    criteria: Sequence[Criterion],
    ranked: Sequence[CandidateResult],
    by_cmo: Mapping[int, Mapping[int, ProposalScore]],
) -> list[WeightSensitivity]:
    weights = [c.weight for c in criteria]
    span = math.fsum(weights)
    leader = ranked[0]
    rivals = [r for r in ranked[1:] if r.eligible]

    def rated_of(cmo_id: int) -> dict[int, int]:
        given = by_cmo.get(cmo_id, {})
        return {
            j: given[c.id].score
            for j, c in enumerate(criteria)
            if c.id in given and given[c.id].score is not None
        }

    found: list[WeightSensitivity] = []
    for k, c in enumerate(criteria):
        best: tuple[float, float, int] | None = None  # (distance, weight, rival)
        if len(criteria) > 1 and span > _EPS and c.id is not None:
            for rival in rivals:
                t = _draw_level_weight(
                    weights, k, span, rated_of(leader.cmo_id), rated_of(rival.cmo_id)
                )
                if t is not None and (best is None or abs(t - c.weight) < best[0] - _EPS):
                    best = (abs(t - c.weight), t, rival.cmo_id)
        found.append(
            WeightSensitivity(
                criterion_id=c.id or 0,
                name=c.name,
                weight=c.weight,
                new_weight=best[1] if best else None,
                overtaken_by=best[2] if best else None,
            )
        )
    found.sort(key=lambda s: (s.change is None, abs(s.change or 0.0), s.name.casefold()))
    return found


def _draw_level_weight(
    weights: Sequence[float],
    k: int,
    span: float,
    leader: Mapping[int, int],
    rival: Mapping[int, int],
) -> float | None:
    """The weight of criterion k nearest its current value at which the rival's score equals
    the leader's; None when no weight in [0, total] gets there."""
    nl0, nl1, dl0, dl1 = _linear_sums(weights, k, leader, span)
    nr0, nr1, dr0, dr1 = _linear_sums(weights, k, rival, span)
    # T_rival ≥ T_leader  ⇔  G(t) = N_r·D_l − N_l·D_r ≥ 0 while both denominators are positive.
    a = nr1 * dl1 - nl1 * dr1
    b = nr0 * dl1 + nr1 * dl0 - nl0 * dr1 - nl1 * dr0
    c = nr0 * dl0 - nl0 * dr0
    current = weights[k]
    g_now = a * current * current + b * current + c
    if g_now >= -_EPS * max(1.0, abs(c)):
        return current  # already level
    # Where a denominator vanishes a score is undefined; a root there (G has a factor D) is not
    # a real draw, and float noise can shift it slightly, hence the margin.
    undefined = [-d0 / d1 for d0, d1 in ((dl0, dl1), (dr0, dr1)) if abs(d1) > _EPS]
    margin = 1e-6 * max(span, 1.0)
    candidates = []
    for t in _roots(a, b, c):
        if -_EPS <= t <= span + _EPS:
            t = min(max(t, 0.0), span)
            if any(abs(t - z) < margin for z in undefined):
                continue
            if dl0 + dl1 * t > _EPS and dr0 + dr1 * t > _EPS:
                candidates.append(t)
    return min(candidates, key=lambda t: abs(t - current)) if candidates else None
