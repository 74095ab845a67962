"""Proposal scores per candidate and KPI actuals for the chosen CMO, with their read models.

Scores and actuals are evaluation data, not part of what was communicated, so they may be entered
on a frozen (communicated) version; they belong to that version's criteria and are copied when a
new version starts. Proposal scores can change only while the engagement is in consideration;
afterwards they are the record of how the choice was made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import criteria as d
from planner.domain import criteria_scorecard as sc
from planner.domain import scoring
from planner.domain.enums import Stage
from planner.services import changelog
from planner.services import criteria_rows as rows
from planner.services.errors import Conflict, NotFound
from planner.store.models import (
    CmoRow,
    CriteriaSetRow,
    CriterionRow,
    EngagementCandidateRow,
    KpiActualRow,
    ScoreRow,
    StoreSettingRow,
)
from planner.store.store import Store

BANDS_SETTING = "scorecard.bands"


@dataclass(frozen=True)
class ProposalSheet:
    engagement_id: int
    set_id: int
    version: int
    criteria: tuple[d.Criterion, ...]  # the selection criteria, in set order
    candidates: dict[int, str]  # CMO id → name, by name
    scores: tuple[scoring.ProposalScore, ...]
    ranking: scoring.Ranking
    open_for_scoring: bool  # the engagement is still in consideration

    def score(self, cmo_id: int, criterion_id: int) -> scoring.ProposalScore | None:
        return next(
            (s for s in self.scores if s.cmo_id == cmo_id and s.criterion_id == criterion_id), None
        )


@dataclass(frozen=True)
class ScorecardSheet:
    engagement_id: int
    set_id: int
    version: int
    cmo_id: int | None  # the chosen CMO; None before one is chosen
    cmo_name: str
    kpis: tuple[d.Criterion, ...]
    actuals: tuple[sc.KpiActual, ...]
    scorecard: sc.Scorecard
    next_period: str  # the quarter after the latest with actuals (or the current quarter)


def write_score(
    s: Session, criterion: CriterionRow, cmo_id: int, score: int | None, note: str = ""
) -> scoring.ProposalScore:
    """Validates and upserts one score without the stage check (the demo loader uses it too)."""
    domain = rows.criterion_to_domain(criterion)
    if domain.stage is not d.CriterionStage.SELECTION:
        raise d.CriteriaRuleError(f"'{domain.name}' is a KPI; proposals are scored on criteria.")
    scoring.check_score(domain, score, note)
    row = s.scalars(
        select(ScoreRow).where(ScoreRow.criterion_id == criterion.id, ScoreRow.cmo_id == cmo_id)
    ).first()
    before = None if row is None else row.score
    if row is None:
        row = ScoreRow(criterion_id=criterion.id, cmo_id=cmo_id)
        s.add(row)
    row.score = score
    row.note = note.strip()
    changelog.record(
        s,
        "proposal_score",
        f"{criterion.id}:{cmo_id}",
        "scored",
        {"score": [before, score]},
        summary=f"'{domain.name}': {'N/A' if score is None else score}",
    )
    return scoring.ProposalScore(cmo_id, criterion.id, score, row.note)


def write_actual(
    s: Session, criterion: CriterionRow, cmo_id: int, period: str, actual: float | None, note: str
) -> sc.KpiActual:
    if criterion.stage != d.CriterionStage.PERFORMANCE:
        raise d.CriteriaRuleError(f"'{criterion.name}' is a selection criterion, not a KPI.")
    text = sc.parse_period(period).text
    row = s.scalars(
        select(KpiActualRow).where(
            KpiActualRow.criterion_id == criterion.id,
            KpiActualRow.cmo_id == cmo_id,
            KpiActualRow.period == text,
        )
    ).first()
    if row is None:
        row = KpiActualRow(criterion_id=criterion.id, cmo_id=cmo_id, period=text)
        s.add(row)
    before = row.actual
    row.actual = None if actual is None else float(actual)
    row.note = note.strip()
    changelog.record(
        s,
        "kpi_actual",
        f"{criterion.id}:{cmo_id}:{text}",
        "recorded",
        {"actual": [before, row.actual]},
        summary=f"'{criterion.name}' {text}: {'not rated' if actual is None else f'{actual:g}'}",
    )
    return sc.KpiActual(criterion.id, text, row.actual, row.note)


class ScoringService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- proposals ----------------------------------------------------------------------------

    def proposals(self, engagement_id: int, version: int | None = None) -> ProposalSheet:
        with self._store.reading() as s:
            engagement = rows.load_engagement(s, engagement_id)
            set_row = rows.version_row(s, engagement_id, version)
            criteria = tuple(
                rows.criterion_to_domain(c)
                for c in set_row.criteria
                if c.stage == d.CriterionStage.SELECTION
            )
            candidates = dict(
                s.execute(
                    select(CmoRow.id, CmoRow.name)
                    .join(EngagementCandidateRow, EngagementCandidateRow.cmo_id == CmoRow.id)
                    .where(EngagementCandidateRow.engagement_id == engagement_id)
                    .order_by(CmoRow.name)
                ).all()
            )
            ids = [c.id for c in criteria]
            scores = tuple(
                scoring.ProposalScore(r.cmo_id, r.criterion_id, r.score, r.note)
                for r in s.scalars(select(ScoreRow).where(ScoreRow.criterion_id.in_(ids)))
                if r.cmo_id in candidates
            )
            return ProposalSheet(
                engagement_id=engagement_id,
                set_id=set_row.id,
                version=set_row.version,
                criteria=criteria,
                candidates=candidates,
                scores=scores,
                ranking=scoring.rank_candidates(criteria, candidates, scores),
                open_for_scoring=engagement.stage == Stage.CONSIDERATION,
            )

    def ranking(self, engagement_id: int, version: int | None = None) -> scoring.Ranking:
        return self.proposals(engagement_id, version).ranking

    def set_score(
        self, criterion_id: int, cmo_id: int, score: int | None, note: str = ""
    ) -> scoring.ProposalScore:
        """1–5, or None for N/A (needs a note; never on a knockout, where 1 means fail)."""
        with self._store.transaction() as s:
            criterion, set_row = self._criterion(s, criterion_id)
            self._check_scoring_open(s, set_row, cmo_id)
            return write_score(s, criterion, cmo_id, score, note)

    def clear_score(self, criterion_id: int, cmo_id: int) -> None:
        """Back to 'not scored yet' (unlike N/A, which is a judgment)."""
        with self._store.transaction() as s:
            _, set_row = self._criterion(s, criterion_id)
            self._check_scoring_open(s, set_row, cmo_id)
            row = s.scalars(
                select(ScoreRow).where(
                    ScoreRow.criterion_id == criterion_id, ScoreRow.cmo_id == cmo_id
                )
            ).first()
            if row is not None:
                changelog.record(
                    s,
                    "proposal_score",
                    f"{criterion_id}:{cmo_id}",
                    "cleared",
                    {"score": [row.score, None]},
                )
                s.delete(row)

    # --- performance --------------------------------------------------------------------------

    def set_kpi_actual(
        self, criterion_id: int, period: str, actual: float | None, note: str = ""
    ) -> sc.KpiActual:
        """The chosen CMO's actual for a period ('2026-Q3'); None records 'not rated'."""
        with self._store.transaction() as s:
            criterion, set_row = self._criterion(s, criterion_id)
            cmo_id = self._chosen(s, set_row.engagement_id)
            return write_actual(s, criterion, cmo_id, period, actual, note)

    def clear_kpi_actual(self, criterion_id: int, period: str) -> None:
        text = sc.parse_period(period).text
        with self._store.transaction() as s:
            _, set_row = self._criterion(s, criterion_id)
            cmo_id = self._chosen(s, set_row.engagement_id)
            row = s.scalars(
                select(KpiActualRow).where(
                    KpiActualRow.criterion_id == criterion_id,
                    KpiActualRow.cmo_id == cmo_id,
                    KpiActualRow.period == text,
                )
            ).first()
            if row is not None:
                s.delete(row)

    def scorecard(
        self, engagement_id: int, version: int | None = None, periods: Sequence[str] = ()
    ) -> ScorecardSheet:
        """Every period with actuals for the chosen CMO (plus `periods`), oldest first."""
        with self._store.reading() as s:
            engagement = rows.load_engagement(s, engagement_id)
            set_row = rows.version_row(s, engagement_id, version)
            kpis = tuple(
                rows.criterion_to_domain(c)
                for c in set_row.criteria
                if c.stage == d.CriterionStage.PERFORMANCE
            )
            cmo_id = engagement.chosen_cmo_id
            actuals: tuple[sc.KpiActual, ...] = ()
            if cmo_id is not None and kpis:
                actuals = tuple(
                    sc.KpiActual(r.criterion_id, r.period, r.actual, r.note)
                    for r in s.scalars(
                        select(KpiActualRow).where(
                            KpiActualRow.criterion_id.in_([k.id for k in kpis]),
                            KpiActualRow.cmo_id == cmo_id,
                        )
                    )
                )
            cmo = s.get(CmoRow, cmo_id) if cmo_id is not None else None
            card = sc.build_scorecard(kpis, actuals, _read_bands(s), periods)
            return ScorecardSheet(
                engagement_id=engagement_id,
                set_id=set_row.id,
                version=set_row.version,
                cmo_id=cmo_id,
                cmo_name=cmo.name if cmo else "",
                kpis=kpis,
                actuals=actuals,
                scorecard=card,
                next_period=_next_period(card),
            )

    # --- bands --------------------------------------------------------------------------------

    def bands(self) -> tuple[sc.Band, ...]:
        with self._store.reading() as s:
            return _read_bands(s)

    def set_bands(self, bands: Sequence[sc.Band]) -> tuple[sc.Band, ...]:
        """Store-wide standing bands, e.g. 0 at risk, 50 watch, 75 good."""
        ordered = sc.check_bands(bands)
        value = json.dumps([{"lower": b.lower, "label": b.label.strip()} for b in ordered])
        with self._store.transaction() as s:
            setting = s.get(StoreSettingRow, BANDS_SETTING)
            if setting is None:
                s.add(StoreSettingRow(key=BANDS_SETTING, value=value))
            else:
                setting.value = value
            changelog.record(s, "setting", BANDS_SETTING, "updated", summary=value)
        return ordered

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _criterion(s: Session, criterion_id: int) -> tuple[CriterionRow, CriteriaSetRow]:
        criterion = s.get(CriterionRow, criterion_id)
        if criterion is None:
            raise NotFound(f"There is no criterion with id {criterion_id}.")
        return criterion, s.get(CriteriaSetRow, criterion.criteria_set_id)

    @staticmethod
    def _check_scoring_open(s: Session, set_row: CriteriaSetRow, cmo_id: int) -> None:
        engagement = rows.load_engagement(s, set_row.engagement_id)
        if engagement.stage != Stage.CONSIDERATION:
            raise Conflict(
                f"'{engagement.title}' is {Stage(engagement.stage).label.lower()}; proposal scores "
                "can only change while it is in consideration."
            )
        if s.get(EngagementCandidateRow, (engagement.id, cmo_id)) is None:
            raise Conflict(f"CMO {cmo_id} is not a candidate for '{engagement.title}'.")

    @staticmethod
    def _chosen(s: Session, engagement_id: int) -> int:
        engagement = rows.load_engagement(s, engagement_id)
        if engagement.chosen_cmo_id is None:
            raise Conflict(
                f"'{engagement.title}' has no chosen CMO yet; KPI actuals are recorded for it."
            )
        return engagement.chosen_cmo_id


def _read_bands(s: Session) -> tuple[sc.Band, ...]:
    setting = s.get(StoreSettingRow, BANDS_SETTING)
    if setting is None or not setting.value:
        return sc.DEFAULT_BANDS
    try:
        return sc.check_bands(
            [sc.Band(float(b["lower"]), str(b["label"])) for b in json.loads(setting.value)]
        )
    except (ValueError, TypeError, KeyError, d.CriteriaRuleError):
        return sc.DEFAULT_BANDS  # a damaged setting must not hide the scorecard


def _next_period(card: sc.Scorecard) -> str:
    if not card.periods:
        return sc.quarter_of(date.today())
    return sc.following_period(card.periods[-1].period)
