"""Performance scorecards: the chosen CMO's KPI actuals per period against the agreed targets.

Points per KPI (0–100, direction-aware): 100 when the target is met, 0 at or beyond the floor,
linear in between. Without an explicit floor it lies one target-width on the worse side, at least
one unit: '≥ 95' → 0, '≤ 1' → 2, '≤ 0' → 1.

Period score (0–100): the KPI weights renormalised over the KPIs rated in that period; a KPI
without an actual ("not rated") is left out, never counted as zero. A band names the standing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.domain.criteria import CriteriaRuleError, Criterion, Direction

TREND_STEP = 2.0  # points: smaller moves between periods read as stable


# --- periods ----------------------------------------------------------------------------------

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_HALF = re.compile(r"^\s*(\d{4})\s*-?\s*H([12])\s*$", re.IGNORECASE)
_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    MONTH = "month"
    HALF = "half"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    first_month: int
    kind: PeriodKind
    text: str  # canonical: 2026-Q3, 2026-07, 2026-H1, 2026


def parse_period(text: str) -> Period:
    """Quarters ('2026-Q3', the default), months ('2026-07'), halves ('2026-H1') or years."""
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        return Period(year, 3 * q - 2, PeriodKind.QUARTER, f"{year}-Q{q}")
    if m := _HALF.match(text):
        year, h = int(m[1]), int(m[2])
        return Period(year, 6 * h - 5, PeriodKind.HALF, f"{year}-H{h}")
    if (m := _MONTH.match(text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period(year, month, PeriodKind.MONTH, f"{year}-{month:02d}")
    if m := _YEAR.match(text):
        return Period(int(m[1]), 1, PeriodKind.YEAR, m[1])
    raise CriteriaRuleError(
        f"'{text}' is not a period; use a quarter such as 2026-Q3 (or 2026-07, 2026-H1, 2026)."
    )


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def following_period(text: str) -> str:
    """The period of the same kind right after `text` ('2026-Q4' → '2027-Q1')."""
    p = parse_period(text)
    step = {PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
    month = p.first_month - 1 + step[p.kind]
    year, month = p.year + month // 12, month % 12 + 1
    if p.kind is PeriodKind.QUARTER:
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if p.kind is PeriodKind.HALF:
        return f"{year}-H{(month - 1) // 6 + 1}"
    if p.kind is PeriodKind.MONTH:
        return f"{year}-{month:02d}"
    return str(year)


def period_key(text: str) -> tuple[int, int, str]:
    p = parse_period(text)
    return p.year, p.first_month, p.kind.value


# --- bands ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    lower: float  # scores from here (inclusive) up to the next band's lower bound
    label: str


DEFAULT_BANDS: tuple[Band, ...] = (Band(0, "at risk"), Band(50, "watch"), Band(75, "good"))


def check_bands(bands: Sequence[Band]) -> tuple[Band, ...]:
    """Sorted bands; the lowest must start at 0, bounds within 0–100 and distinct."""
    ordered = tuple(sorted(bands, key=lambda b: b.lower))
    if not ordered or ordered[0].lower != 0:
        raise CriteriaRuleError("The lowest standing band must start at 0.")
    lowers = [b.lower for b in ordered]
    if len(set(lowers)) != len(lowers) or any(not 0 <= x <= 100 for x in lowers):
        raise CriteriaRuleError("Band limits must be distinct values from 0 to 100.")
    if any(not b.label.strip() for b in ordered):
        raise CriteriaRuleError("Every standing band needs a name.")
    return ordered


def band_for(score: float | None, bands: Sequence[Band] = DEFAULT_BANDS) -> str | None:
    if score is None:
        return None
    label = None
    for band in sorted(bands, key=lambda b: b.lower):
        if score >= band.lower - 1e-9:
            label = band.label
    return label


# --- points -----------------------------------------------------------------------------------


def default_floor(target: float, direction: Direction) -> float:
    width = max(abs(target), 1.0)
    return target - width if direction is Direction.HIGHER else target + width


def kpi_points(actual: float, target: float, direction: Direction, floor: float | None) -> float:
    low = default_floor(target, direction) if floor is None else floor
    if direction is Direction.HIGHER:
        if actual >= target:
            return 100.0
        if actual <= low:
            return 0.0
        return 100.0 * (actual - low) / (target - low)
    if actual <= target:
        return 100.0
    if actual >= low:
        return 0.0
    return 100.0 * (low - actual) / (low - target)


def target_met(actual: float, target: float, direction: Direction) -> bool:
    return actual >= target if direction is Direction.HIGHER else actual <= target


# --- scorecard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiActual:
    criterion_id: int
    period: str
    actual: float | None  # None: explicitly not rated for the period
    note: str = ""


@dataclass(frozen=True)
class KpiResult:
    criterion_id: int
    name: str
    unit: str
    weight: float
    target: float | None
    direction: Direction | None
    actual: float | None
    points: float | None  # 0..100; None when not rated or the KPI has no target
    met: bool | None
    note: str = ""


@dataclass(frozen=True)
class PeriodScore:
    period: str
    score: float | None  # 0..100 over rated KPIs; None when none was rated
    band: str | None
    rated_weight: float  # percentage points of KPI weight behind the score
    kpis: tuple[KpiResult, ...]


class Trend(StrEnum):
    IMPROVING = "improving"
    STABLE = "stable"
    DECLINING = "declining"
    UNKNOWN = "unknown"  # fewer than two scored periods


@dataclass(frozen=True)
class Scorecard:
    periods: tuple[PeriodScore, ...]  # oldest first
    trend: Trend
    change: float | None  # points between the last two scored periods
    bands: tuple[Band, ...]

    @property
    def latest(self) -> PeriodScore | None:
        return next((p for p in reversed(self.periods) if p.score is not None), None)


def _kpi_result(kpi: Criterion, entry: KpiActual | None) -> KpiResult:
    actual = entry.actual if entry else None
    points = met = None
    if actual is not None and kpi.target is not None and kpi.direction is not None:
        points = kpi_points(actual, kpi.target, kpi.direction, kpi.floor)
        met = target_met(actual, kpi.target, kpi.direction)
    return KpiResult(
        criterion_id=kpi.id or 0,
        name=kpi.name,
        unit=kpi.unit,
        weight=kpi.weight,
        target=kpi.target,
        direction=kpi.direction,
        actual=actual,
        points=points,
        met=met,
        note=entry.note if entry else "",
    )


def period_score(
    period: str,
    kpis: Sequence[Criterion],
    actuals: Sequence[KpiActual],
    bands: Sequence[Band] = DEFAULT_BANDS,
) -> PeriodScore:
    given = {a.criterion_id: a for a in actuals if a.period == period}
    results = tuple(_kpi_result(k, given.get(k.id or 0)) for k in kpis)
    rated = [(r.weight, r.points) for r in results if r.points is not None]
    weight = math.fsum(w for w, _ in rated)
    score = math.fsum(w * p for w, p in rated) / weight if weight > 1e-9 else None
    return PeriodScore(period, score, band_for(score, bands), round(weight, 1), results)


def build_scorecard(
    kpis: Sequence[Criterion],
    actuals: Sequence[KpiActual],
    bands: Sequence[Band] = DEFAULT_BANDS,
    periods: Sequence[str] = (),
) -> Scorecard:
    """Every period that has an actual (plus any in `periods`), oldest first."""
    ordered = check_bands(bands)
    texts = {parse_period(p).text for p in periods} | {parse_period(a.period).text for a in actuals}
    canonical = [
        KpiActual(a.criterion_id, parse_period(a.period).text, a.actual, a.note) for a in actuals
    ]
    rows = tuple(period_score(p, kpis, canonical, ordered) for p in sorted(texts, key=period_key))
    scored = [p.score for p in rows if p.score is not None]
    if len(scored) < 2:
        return Scorecard(rows, Trend.UNKNOWN, None, ordered)
    change = scored[-1] - scored[-2]
    trend = (
        Trend.IMPROVING
        if change >= TREND_STEP
        else Trend.DECLINING
        if change <= -TREND_STEP
        else Trend.STABLE
    )
    return Scorecard(rows, trend, change, ordered)
