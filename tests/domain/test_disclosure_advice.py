from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.cmo import Agreement
from planner.domain.disclosure_advice import Benefit, SharingChecklist, recommend
from planner.domain.disclosure_gates import allowed_level, relationship_ceiling
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import AgreementType, RelationshipType

DAY = date(2026, 11, 25)
STRATEGIC = RelationshipType.STRATEGIC_PARTNERSHIP
ALL_SIGNED = [
    Agreement(AgreementType.CDA, date(2024, 1, 1), date(2028, 1, 1)),
    Agreement(AgreementType.MSA, date(2024, 1, 1), date(2030, 1, 1)),
    Agreement(AgreementType.QUALITY, date(2024, 1, 1), None),
]


def open_book(**changes) -> SharingChecklist:
    values = dict(existence_public=True, serves_competitor=False, benefits=[])
    values.update(changes)
    return SharingChecklist(**values)


@pytest.mark.parametrize(
    ("benefits", "level"),
    [
        ([], DisclosureLevel.NONE),
        ([Benefit.BETTER_PRICING], DisclosureLevel.AGGREGATE),
        ([Benefit.CAPACITY_RESERVATION], DisclosureLevel.PROGRAM),
        ([Benefit.EARLIER_TECHNICAL_PLANNING], DisclosureLevel.FULL),
        ([Benefit.BETTER_PRICING, Benefit.CAPACITY_RESERVATION], DisclosureLevel.PROGRAM),
    ],
)
def test_what_sharing_buys_sets_the_need(benefits, level) -> None:
    got, reasons = recommend(open_book(benefits=benefits), STRATEGIC, ALL_SIGNED, DAY)
    assert got == level
    assert len(reasons) >= 1


def test_unanswered_benefits_recommend_nothing() -> None:
    level, reasons = recommend(open_book(benefits=None), STRATEGIC, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.NONE
    assert "what sharing buys" in reasons[0]


def test_a_cmo_serving_a_competitor_gets_aggregate_at_most() -> None:
    checklist = open_book(serves_competitor=True, benefits=[Benefit.EARLIER_TECHNICAL_PLANNING])
    level, reasons = recommend(checklist, STRATEGIC, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.AGGREGATE
    assert any("direct competitor" in r for r in reasons)


def test_not_knowing_about_competitors_counts_as_yes() -> None:
    checklist = open_book(serves_competitor=None, benefits=[Benefit.CAPACITY_RESERVATION])
    level, reasons = recommend(checklist, STRATEGIC, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.AGGREGATE
    assert any("not known whether the CMO serves" in r for r in reasons)


@pytest.mark.parametrize("public", [False, None])
def test_a_non_public_asset_stays_at_l2_at_most(public) -> None:
    checklist = open_book(existence_public=public, benefits=[Benefit.EARLIER_TECHNICAL_PLANNING])
    level, reasons = recommend(checklist, STRATEGIC, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.PROGRAM
    assert any("INN and indication stay inside" in r for r in reasons)


def test_the_relationship_type_caps_the_recommendation() -> None:
    checklist = open_book(benefits=[Benefit.EARLIER_TECHNICAL_PLANNING])
    level, reasons = recommend(checklist, RelationshipType.TRANSACTIONAL, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.AGGREGATE
    assert "A transactional relationship suggests up to L1." in reasons


def test_missing_agreements_cap_the_recommendation_and_name_the_agreement() -> None:
    checklist = open_book(benefits=[Benefit.EARLIER_TECHNICAL_PLANNING])
    only_cda = ALL_SIGNED[:1]
    level, reasons = recommend(checklist, STRATEGIC, only_cda, DAY)
    assert level == DisclosureLevel.PROGRAM
    assert any("no MSA on record" in r for r in reasons)
    expired = [Agreement(AgreementType.CDA, date(2020, 1, 1), date(2025, 1, 1))]
    level, reasons = recommend(checklist, STRATEGIC, expired, DAY)
    assert level == DisclosureLevel.AGGREGATE
    assert any("CDA 2020-01-01 – 2025-01-01 expired on 2025-01-01" in r for r in reasons)


def test_a_shared_level_cites_the_governing_agreements() -> None:
    checklist = open_book(benefits=[Benefit.CAPACITY_RESERVATION])
    level, reasons = recommend(checklist, STRATEGIC, ALL_SIGNED, DAY)
    assert level == DisclosureLevel.PROGRAM
    assert any("CDA 2024-01-01 – 2028-01-01" in r for r in reasons)


def test_checklist_round_trips_and_tolerates_partial_dicts() -> None:
    checklist = open_book(benefits=[Benefit.CAPACITY_RESERVATION], notes="n")
    assert SharingChecklist.from_json(checklist.to_json()) == checklist
    partial = SharingChecklist.from_json({"benefits": ["capacity_reservation", "world_peace"]})
    assert partial.benefits == [Benefit.CAPACITY_RESERVATION]
    assert partial.existence_public is None
    assert len(partial.unanswered()) == 2
    assert SharingChecklist.from_json(None).unanswered() == list(SharingChecklist().unanswered())


# ----------------------------------------------------------------- properties

days = st.dates(date(2020, 1, 1), date(2032, 12, 31))


@st.composite
def agreements(draw) -> Agreement:
    start = draw(st.none() | days)
    length = draw(st.none() | st.integers(0, 2500))
    end = start + timedelta(days=length) if start and length is not None else None
    return Agreement(draw(st.sampled_from(list(AgreementType))), start, end)


checklists = st.builds(
    SharingChecklist,
    existence_public=st.none() | st.booleans(),
    serves_competitor=st.none() | st.booleans(),
    benefits=st.none() | st.lists(st.sampled_from(list(Benefit)), unique=True),
)


@given(
    checklists, st.sampled_from(list(RelationshipType)), st.lists(agreements(), max_size=6), days
)
def test_recommendation_never_exceeds_agreements_or_relationship(
    checklist, relationship, deals, day
) -> None:
    level, reasons = recommend(checklist, relationship, deals, day)
    assert level <= allowed_level(deals, day).level
    assert level <= relationship_ceiling(relationship)
    if checklist.serves_competitor is not False:
        assert level <= DisclosureLevel.AGGREGATE
    if checklist.existence_public is not True:
        assert level <= DisclosureLevel.PROGRAM
    assert reasons and all(isinstance(r, str) and r for r in reasons)
