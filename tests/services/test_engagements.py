from datetime import date

import pytest

from planner.domain.cmo import CMO
from planner.domain.engagement import Engagement, EngagementRuleError
from planner.domain.enums import RelationshipType, Stage
from planner.services.cmos import CmoService
from planner.services.engagements import EngagementService
from planner.services.errors import NotFound


@pytest.fixture
def three_cmos(store) -> list[int]:
    service = CmoService(store)
    return [service.create(CMO(name=n, country="DE")).id for n in ("Alpha", "Beta", "Gamma")]


def test_create_with_candidates_and_list(store, three_cmos) -> None:
    service = EngagementService(store)
    created = service.create(
        Engagement(
            title="Tablet supply",
            program="ORP-1",
            candidate_ids=three_cmos[:2],
            relationship_type=RelationshipType.PREFERRED_PROVIDER,
            start_date=date(2026, 1, 5),
        )
    )
    rows = service.list_rows()
    assert [(r.title, r.cmo, r.candidates) for r in rows] == [
        ("Tablet supply", None, ("Alpha", "Beta"))
    ]
    assert service.get(created.id).start_date == date(2026, 1, 5)


def test_choosing_a_cmo_makes_it_a_candidate(store, three_cmos) -> None:
    service = EngagementService(store)
    e = service.create(Engagement(title="X", candidate_ids=[three_cmos[0]]))
    e.stage = Stage.SELECTED
    e.chosen_cmo_id = three_cmos[2]
    saved = service.update(e)
    assert saved.candidate_ids == sorted([three_cmos[0], three_cmos[2]])
    assert service.list_rows()[0].cmo == "Gamma"


def test_stage_past_consideration_needs_a_chosen_cmo(store, three_cmos) -> None:
    service = EngagementService(store)
    e = service.create(Engagement(title="X"))
    e.stage = Stage.ACTIVE
    with pytest.raises(EngagementRuleError):
        service.update(e)
    assert service.get(e.id).stage is Stage.CONSIDERATION


def test_unknown_candidate_is_refused(store) -> None:
    with pytest.raises(NotFound, match="No CMO"):
        EngagementService(store).create(Engagement(title="X", candidate_ids=[999]))


def test_find_by_id_title_or_program(store, three_cmos) -> None:
    service = EngagementService(store)
    e = service.create(Engagement(title="Sterile fill", program="ORP-7"))
    assert service.find(str(e.id)).id == e.id
    assert service.find("sterile FILL").id == e.id
    assert service.find("orp-7").id == e.id
    with pytest.raises(NotFound):
        service.find("nothing")


def test_search_and_delete(store, three_cmos) -> None:
    service = EngagementService(store)
    a = service.create(Engagement(title="Oral solids", stage=Stage.CONSIDERATION))
    service.create(
        Engagement(title="Biologics DS", chosen_cmo_id=three_cmos[1], stage=Stage.ACTIVE)
    )
    assert [r.title for r in service.list_rows("beta")] == ["Biologics DS"]
    assert [r.title for r in service.list_rows("oral")] == ["Oral solids"]
    service.delete(a.id)
    assert [r.title for r in service.list_rows()] == ["Biologics DS"]


def test_deleting_a_candidate_cmo_drops_it_from_the_engagement(store, three_cmos) -> None:
    service = EngagementService(store)
    e = service.create(Engagement(title="X", candidate_ids=three_cmos))
    CmoService(store).delete(three_cmos[0])
    assert service.get(e.id).candidate_ids == three_cmos[1:]
