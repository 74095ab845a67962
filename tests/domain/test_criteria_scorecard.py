from datetime import date

import pytest

from planner.domain.criteria import CriteriaRuleError, Criterion, CriterionStage, Direction
from planner.domain.criteria_scorecard import (
    DEFAULT_BANDS,
    Band,
    KpiActual,
    Trend,
    band_for,
    build_scorecard,
    check_bands,
    following_period,
    kpi_points,
    parse_period,
    quarter_of,
)

PERF = CriterionStage.PERFORMANCE


def kpi(cid, weight, target, direction, floor=None) -> Criterion:
    return Criterion(
        f"K{cid}", PERF, weight=weight, target=target, direction=direction, floor=floor, id=cid
    )


RFT = kpi(1, 60, 95, Direction.HIGHER, 80)
DEV = kpi(2, 40, 1, Direction.LOWER, 3)


def test_periods_default_to_quarters_and_sort_in_time() -> None:
    assert parse_period("2026q3").text == "2026-Q3"
    assert parse_period("2026-7").text == "2026-07"
    assert parse_period("2026-H2").text == "2026-H2"
    assert parse_period("2026").text == "2026"
    assert parse_period("2026-Q4") < parse_period("2027-Q1")
    assert quarter_of(date(2026, 8, 14)) == "2026-Q3"
    assert following_period("2026-Q4") == "2027-Q1"
    assert following_period("2026-12") == "2027-01"
    assert following_period("2026-H1") == "2026-H2"
    with pytest.raises(CriteriaRuleError, match="2026-Q3"):
        parse_period("Q3/2026")
    with pytest.raises(CriteriaRuleError):
        parse_period("2026-13")


def test_points_are_direction_aware_and_linear_between_floor_and_target() -> None:
    assert kpi_points(97, 95, Direction.HIGHER, 80) == 100
    assert kpi_points(87.5, 95, Direction.HIGHER, 80) == 50
    assert kpi_points(70, 95, Direction.HIGHER, 80) == 0
    assert kpi_points(0.5, 1, Direction.LOWER, 3) == 100
    assert kpi_points(2, 1, Direction.LOWER, 3) == 50
    assert kpi_points(4, 1, Direction.LOWER, 3) == 0


def test_default_floor_is_one_target_width_away() -> None:
    assert kpi_points(47.5, 95, Direction.HIGHER, None) == 50  # floor 0
    assert kpi_points(1.5, 1, Direction.LOWER, None) == 50  # floor 2
    assert kpi_points(0.5, 0, Direction.LOWER, None) == 50  # target 0: floor 1


def test_period_score_renormalises_over_rated_kpis() -> None:
    actuals = [KpiActual(1, "2026-Q1", 87.5), KpiActual(2, "2026-Q1", None, "no batches")]
    card = build_scorecard([RFT, DEV], actuals)
    (period,) = card.periods
    assert period.score == 50  # RFT alone, not (60·50 + 40·0) / 100
    assert period.rated_weight == 60
    assert period.band == "watch"
    assert [k.points for k in period.kpis] == [50, None]
    assert period.kpis[1].note == "no batches"


def test_nothing_rated_gives_no_score_rather_than_zero() -> None:
    card = build_scorecard([RFT, DEV], [KpiActual(1, "2026-Q1", None)])
    assert card.periods[0].score is None and card.periods[0].band is None
    assert card.latest is None


def test_bands_and_trend_over_periods() -> None:
    actuals = [
        KpiActual(1, "2026-Q2", 80),
        KpiActual(2, "2026-Q2", 3),
        KpiActual(1, "2025-Q4", 95),
        KpiActual(2, "2025-Q4", 1),
        KpiActual(1, "2026-q1", 90),
        KpiActual(2, "2026-Q1", 2),
    ]
    card = build_scorecard([RFT, DEV], actuals, periods=["2026-Q3"])
    assert [p.period for p in card.periods] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [p.band for p in card.periods] == ["good", "watch", "at risk", None]
    assert card.trend is Trend.DECLINING
    assert card.latest is not None and card.latest.period == "2026-Q2"
    assert card.periods[1].kpis[0].met is False and card.periods[0].kpis[0].met is True


def test_trend_needs_two_scored_periods_and_ignores_small_moves() -> None:
    one = build_scorecard([RFT], [KpiActual(1, "2026-Q1", 90)])
    assert one.trend is Trend.UNKNOWN
    steady = build_scorecard([RFT], [KpiActual(1, "2026-Q1", 90), KpiActual(1, "2026-Q2", 90.2)])
    assert steady.trend is Trend.STABLE


def test_bands_are_configurable_and_checked() -> None:
    bands = check_bands([Band(80, "good"), Band(0, "poor")])
    assert band_for(79.9, bands) == "poor" and band_for(80, bands) == "good"
    assert band_for(50, DEFAULT_BANDS) == "watch" and band_for(49.99, DEFAULT_BANDS) == "at risk"
    assert band_for(75, DEFAULT_BANDS) == "good"
    with pytest.raises(CriteriaRuleError, match="start at 0"):
        check_bands([Band(10, "x")])
    with pytest.raises(CriteriaRuleError, match="distinct"):
        check_bands([Band(0, "a"), Band(0, "b")])
