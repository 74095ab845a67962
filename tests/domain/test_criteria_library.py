import json

import pytest

from planner.domain.criteria import CriteriaRuleError, CriterionStage, Direction
from planner.domain.criteria_library import (
    LibraryEntry,
    as_custom,
    custom_key,
    entry_from_json,
    entry_to_json,
    parse_library,
)
from planner.resource_files import resource

SCALE = ("1", "2", "3", "4", "5")


@pytest.fixture(scope="module")
def shipped() -> list[LibraryEntry]:
    return parse_library(json.loads(resource("criteria", "library.json").read_text("utf-8")))


def test_shipped_library_has_the_pharma_criteria_and_kpis(shipped) -> None:
    keys = {e.key for e in shipped}
    assert {
        "quality_systems",
        "inspection_history",
        "confidentiality_ip",
        "consistency_reliability",
        "on_time_delivery",
        "technical_capability",
        "facility_fit_capacity",
        "key_personnel",
        "project_management",
        "financial_stability",
        "cost",
        "terms",
        "location_supply_risk",
        "stability_programme",
    } <= keys
    assert {
        "right_first_time",
        "deviations_per_batch",
        "deviations_closed_on_time",
        "capa_timeliness",
        "lot_acceptance_rate",
        "oos_rate",
        "audit_findings",
        "on_time_in_full",
        "response_time",
    } <= keys


def test_every_entry_is_complete(shipped) -> None:
    for e in shipped:
        assert e.description and e.evidence_requested, e.key
        assert len(e.scale) == 5 and all(a.strip() for a in e.scale), e.key
        if e.stage is CriterionStage.PERFORMANCE:
            assert e.unit and e.metric and e.target is not None and e.direction, e.key
            assert not e.knockout
    for stage in CriterionStage:
        assert sum(e.suggested_weight for e in shipped if e.stage is stage) == 100


def test_inspection_history_mentions_the_fda_outcomes(shipped) -> None:
    entry = next(e for e in shipped if e.key == "inspection_history")
    text = entry.description + " ".join(entry.scale)
    for word in ("483", "warning letter", "NAI", "VAI", "OAI"):
        assert word in text
    assert entry.knockout


def test_lower_is_better_kpis(shipped) -> None:
    lower = {e.key for e in shipped if e.direction is Direction.LOWER}
    assert lower == {"deviations_per_batch", "oos_rate", "audit_findings", "response_time"}


def test_entry_json_round_trip_and_criterion_copy(shipped) -> None:
    for e in shipped:
        assert entry_from_json(entry_to_json(e)) == e
    kpi = next(e for e in shipped if e.key == "right_first_time").to_criterion()
    assert (kpi.target, kpi.direction, kpi.floor, kpi.weight) == (95, Direction.HIGHER, 80, 15)
    assert kpi.library_key == "right_first_time"


def test_malformed_library_is_refused_with_a_reason() -> None:
    with pytest.raises(CriteriaRuleError, match="format"):
        parse_library({"selection": []})
    with pytest.raises(CriteriaRuleError, match="scale points"):
        parse_library({"format": 1, "selection": [{"key": "x", "name": "X", "scale": ["a"]}]})
    item = {"key": "x", "name": "X", "scale": list(SCALE)}
    with pytest.raises(CriteriaRuleError, match="two entries with key 'x'"):
        parse_library({"format": 1, "selection": [item, {**item, "name": "Y"}]})
    with pytest.raises(CriteriaRuleError, match="default target"):
        parse_library({"format": 1, "performance": [item]})
    with pytest.raises(CriteriaRuleError, match="malformed"):
        parse_library({"format": 1, "performance": [{**item, "direction": "sideways"}]})


def test_custom_keys_are_slugs_numbered_when_taken() -> None:
    assert custom_key("Cold-chain capability (2–8 °C)", []) == "custom.cold_chain_capability_2_8_c"
    assert custom_key("Cold chain", ["custom.cold_chain"]) == "custom.cold_chain_2"
    entry = LibraryEntry("quality_systems", CriterionStage.SELECTION, "Cold chain", scale=SCALE)
    assert as_custom(entry, []).key == "custom.cold_chain"
