import pytest

from planner.domain.criteria import CriteriaRuleError, CriterionStage, Direction
from planner.domain.criteria_library import LibraryEntry
from planner.services.criteria_library import CriteriaLibrary
from planner.services.errors import Conflict, NotFound

SCALE = ("none", "basic", "fair", "good", "excellent")


def cold_chain() -> LibraryEntry:
    return LibraryEntry(
        "", CriterionStage.SELECTION, "Cold-chain capability", "2–8 °C storage", SCALE
    )


def test_shipped_entries_load_by_stage(store) -> None:
    library = CriteriaLibrary(store)
    assert len(library.entries(CriterionStage.SELECTION)) == 14
    assert len(library.entries(CriterionStage.PERFORMANCE)) == 9
    assert library.get("oos_rate").direction is Direction.LOWER


def test_user_entries_are_stored_and_listed_after_the_shipped_ones(store) -> None:
    library = CriteriaLibrary(store)
    added = library.add_custom(cold_chain())
    assert added.key == "custom.cold_chain_capability" and added.custom
    assert CriteriaLibrary(store).entries()[-1] == added
    kpi = library.add_custom(
        LibraryEntry(
            "",
            CriterionStage.PERFORMANCE,
            "Temperature excursions",
            scale=SCALE,
            unit="per shipment",
            target=0,
            direction=Direction.LOWER,
            floor=2,
        )
    )
    assert library.get(kpi.key).to_criterion().floor == 2
    with pytest.raises(CriteriaRuleError, match="already has a selection 'Cold-chain capability'"):
        library.add_custom(cold_chain())
    with pytest.raises(CriteriaRuleError, match="already has a selection 'cost'"):
        library.add_custom(LibraryEntry("", CriterionStage.SELECTION, "cost", scale=SCALE))


def test_user_entries_can_be_changed_and_removed_but_shipped_ones_cannot(store) -> None:
    library = CriteriaLibrary(store)
    added = library.add_custom(cold_chain())
    changed = library.update_custom(LibraryEntry(added.key, added.stage, "Cold chain", scale=SCALE))
    assert library.get(added.key).name == changed.name == "Cold chain"
    with pytest.raises(Conflict):
        library.update_custom(library.get("cost"))
    with pytest.raises(Conflict):
        library.remove_custom("cost")
    library.remove_custom(added.key)
    with pytest.raises(NotFound):
        library.get(added.key)
    with pytest.raises(NotFound):
        library.remove_custom(added.key)


def test_an_entry_without_scale_wording_is_refused(store) -> None:
    with pytest.raises(CriteriaRuleError, match="scale points"):
        CriteriaLibrary(store).add_custom(LibraryEntry("", CriterionStage.SELECTION, "Vague"))
