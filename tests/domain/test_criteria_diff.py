from planner.domain.criteria import CriteriaSet, Criterion, CriterionStage, Direction
from planner.domain.criteria_diff import diff_sets

PERF = CriterionStage.PERFORMANCE


def version(number: int, criteria: list[Criterion], roles: list[str]) -> CriteriaSet:
    return CriteriaSet(engagement_id=1, version=number, criteria=criteria, required_roles=roles)


def test_added_removed_and_changed_criteria_with_weights() -> None:
    v1 = version(
        1,
        [
            Criterion("Quality", weight=50, library_key="quality_systems"),
            Criterion("Cost", weight=50, library_key="cost"),
            Criterion(
                "OTIF", PERF, weight=100, target=95, direction=Direction.HIGHER, library_key="otif"
            ),
        ],
        ["qa", "procurement"],
    )
    v2 = version(
        2,
        [
            Criterion("Quality systems", weight=40, library_key="quality_systems", knockout=True),
            Criterion("Technical", weight=60, library_key="own.ab12"),
            Criterion(
                "OTIF", PERF, weight=100, target=97, direction=Direction.HIGHER, library_key="otif"
            ),
        ],
        ["qa", "finance"],
    )
    delta = diff_sets(v1, v2)
    assert [c.name for c in delta.added] == ["Technical"]
    assert [c.name for c in delta.removed] == ["Cost"]
    changed = {c.name: c for c in delta.changed}
    assert changed["Quality systems"].weight_change == (50.0, 40.0)
    assert set(changed["Quality systems"].changes) == {"name", "weight", "knockout"}
    assert changed["OTIF"].changes == {"target": (95, 97)}
    assert delta.roles_added == ("finance",) and delta.roles_removed == ("procurement",)
    lines = delta.lines()
    assert "Added selection 'Technical' at 60%." in lines
    assert "Removed selection 'Cost' (was 50%)." in lines
    assert "'Quality systems': weight 50% → 40%; knockout, name changed." in lines
    assert delta.to_json()["changed"][0]["changes"]["weight"] == [50, 40]


def test_criteria_without_keys_match_by_stage_and_name() -> None:
    v1 = version(1, [Criterion("Cost", weight=100)], ["qa"])
    v2 = version(2, [Criterion("cost", weight=100)], ["qa"])
    assert diff_sets(v1, v2).changed[0].changes == {"name": ("Cost", "cost")}
    assert diff_sets(v1, v1).empty
