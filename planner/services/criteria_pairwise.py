"""The optional pairwise-comparison step: judgments saved one by one, weights derived on request.

Judgments are kept per set and stage in a store setting (criteria_rows.PAIRWISE_SETTING) keyed
by criterion ids, so the step can be left and resumed; new versions carry them over. Saving a
judgment does not touch the weights; `apply` does, like any weight edit (sign-offs reset).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain import criteria as d
from planner.domain import pairwise as ahp
from planner.services import criteria_rows as rows
from planner.services.errors import NotFound
from planner.store.models import CriteriaSetRow
from planner.store.store import Store


@dataclass(frozen=True)
class PairwiseState:
    set_id: int
    stage: d.CriterionStage
    criteria: tuple[tuple[int, str], ...]  # (criterion id, name) in the set's order
    judgments: dict[tuple[int, int], float]  # (a, b) → how many times more important a is than b
    missing: tuple[tuple[int, int], ...]  # pairs of criterion ids still to judge
    result: ahp.AhpResult | None = None  # once every pair is judged
    # The judgments that disagree most with the result; first/second are criterion ids here.
    disagreements: tuple[ahp.Disagreement, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    def weights(self) -> dict[int, float]:
        """Criterion id → derived weight in percent (sums to 100); {} until complete."""
        if self.result is None:
            return {}
        return {cid: w for (cid, _), w in zip(self.criteria, self.result.weights, strict=True)}


class CriteriaPairwiseService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def state(
        self,
        set_id: int,
        stage: d.CriterionStage,
        method: ahp.Method = ahp.Method.EIGENVECTOR,
    ) -> PairwiseState:
        with self._store.reading() as s:
            row = rows.load_set(s, set_id)
            return _state(row, rows.read_pairwise(s, set_id, stage), stage, method)

    def judge(
        self,
        set_id: int,
        stage: d.CriterionStage,
        first_id: int,
        second_id: int,
        value: float,
    ) -> PairwiseState:
        """Saves 'first is `value` times as important as second' (1/9 … 9) and returns the state."""
        ahp.check_judgment(value)
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            ids = [c.id for c in row.criteria if c.stage == stage.value]
            for cid in (first_id, second_id):
                if cid not in ids:
                    raise NotFound(f"Criterion {cid} is not among the {stage.label.lower()}.")
            if first_id == second_id:
                raise d.CriteriaRuleError("Compare two different criteria.")
            judged = rows.read_pairwise(s, set_id, stage)
            if first_id < second_id:
                judged[(first_id, second_id)] = float(value)
            else:
                judged[(second_id, first_id)] = 1.0 / value
            rows.write_pairwise(s, set_id, stage, judged)
            return _state(row, judged, stage, ahp.Method.EIGENVECTOR)

    def clear(self, set_id: int, stage: d.CriterionStage) -> PairwiseState:
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            rows.write_pairwise(s, set_id, stage, {})
            return _state(row, {}, stage, ahp.Method.EIGENVECTOR)

    def apply(
        self,
        set_id: int,
        stage: d.CriterionStage,
        method: ahp.Method = ahp.Method.EIGENVECTOR,
    ) -> tuple[d.CriteriaSet, ahp.AhpResult]:
        """Weights of the stage from the comparisons. An inconsistent result (CR > 0.10) is
        applied too; the result carries the warning for the page to show."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            state = _state(row, rows.read_pairwise(s, set_id, stage), stage, method)
            if state.result is None:
                raise d.CriteriaRuleError(
                    ahp.missing_message(len(state.missing))
                    if state.missing
                    else "Pairwise comparison needs at least two criteria."
                )
            rows.write_weights(s, row, state.weights(), "weights from pairwise comparison")
            s.flush()
            return rows.set_to_domain(row), state.result


def _state(
    row: CriteriaSetRow,
    judged: dict[tuple[int, int], float],
    stage: d.CriterionStage,
    method: ahp.Method,
) -> PairwiseState:
    items = [(c.id, c.name) for c in row.criteria if c.stage == stage.value]
    index = {cid: i for i, (cid, _) in enumerate(items)}
    current = {(a, b): v for (a, b), v in judged.items() if a in index and b in index}
    by_index = {(index[a], index[b]): v for (a, b), v in current.items()}
    missing = tuple((items[i][0], items[j][0]) for i, j in ahp.missing_pairs(len(items), by_index))
    result = None
    worst: tuple[ahp.Disagreement, ...] = ()
    if len(items) >= 2 and not missing:
        matrix = ahp.matrix_from_judgments(len(items), by_index)
        result = ahp.ahp(matrix, method)
        worst = tuple(
            ahp.Disagreement(items[x.first][0], items[x.second][0], x.judged, x.implied)
            for x in ahp.disagreements(matrix, result.priorities)
        )
    return PairwiseState(row.id, stage, tuple(items), current, missing, result, worst)
