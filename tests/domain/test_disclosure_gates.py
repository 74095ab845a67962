from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.cmo import Agreement
from planner.domain.disclosure_gates import (
    REQUIRED_AGREEMENTS,
    allowed_level,
    check_level,
    describe,
    governing,
    needs_justification,
    relationship_ceiling,
    relationship_gate,
)
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import AgreementType, RelationshipType

CDA, MSA, QA, SUPPLY = (
    AgreementType.CDA,
    AgreementType.MSA,
    AgreementType.QUALITY,
    AgreementType.SUPPLY,
)
DAY = date(2026, 11, 25)


def a(kind, start="2024-01-01", end="2028-12-31") -> Agreement:
    return Agreement(
        kind,
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


def test_l0_and_l1_need_no_agreement() -> None:
    for level in (0, 1):
        gate = check_level(level, [], DAY)
        assert gate.allowed
        assert "needs no agreement" in gate.reason


def test_l2_needs_a_cda_in_force_on_the_date_and_names_it() -> None:
    gate = check_level(2, [a(CDA)], DAY)
    assert gate.allowed
    assert gate.reason == "L2 allowed on 2026-11-25 under the CDA 2024-01-01 – 2028-12-31."
    assert [x.type for x in gate.agreements] == [CDA]


def test_l2_without_any_cda() -> None:
    gate = check_level(2, [a(MSA), a(QA)], DAY)
    assert not gate.allowed
    assert "no CDA on record" in gate.reason


def test_l2_with_an_expired_cda_names_its_dates() -> None:
    gate = check_level(2, [a(CDA, "2021-12-15", "2026-12-14")], date(2026, 12, 15))
    assert not gate.allowed
    assert "the CDA 2021-12-15 – 2026-12-14 expired on 2026-12-14" in gate.reason


def test_the_expiry_day_itself_is_still_covered() -> None:
    assert check_level(2, [a(CDA, "2021-12-15", "2026-12-14")], date(2026, 12, 14)).allowed


def test_l2_with_a_cda_not_yet_in_force() -> None:
    gate = check_level(2, [a(CDA, "2027-01-01", None)], DAY)
    assert not gate.allowed
    assert "only takes effect on 2027-01-01" in gate.reason


def test_an_unsigned_cda_does_not_count() -> None:
    gate = check_level(2, [a(CDA, None, None)], DAY)
    assert not gate.allowed
    assert "not signed" in gate.reason


def test_l3_needs_cda_msa_and_quality_agreement() -> None:
    assert check_level(3, [a(CDA), a(MSA), a(QA, "2024-01-01", None)], DAY).allowed
    gate = check_level(3, [a(CDA), a(MSA), a(SUPPLY)], DAY)
    assert not gate.allowed
    assert "no quality agreement on record" in gate.reason
    gate = check_level(3, [a(CDA), a(MSA, "2020-01-01", "2025-12-31"), a(QA)], DAY)
    assert "the MSA 2020-01-01 – 2025-12-31 expired on 2025-12-31" in gate.reason


def test_allowed_level_explains_the_next_level_up() -> None:
    gate = allowed_level([a(CDA), a(MSA)], DAY)
    assert gate.level == DisclosureLevel.PROGRAM
    assert "CDA 2024-01-01 – 2028-12-31" in gate.reason
    assert "no quality agreement on record" in gate.reason
    gate = allowed_level([], DAY)
    assert gate.level == DisclosureLevel.AGGREGATE
    assert "no CDA on record" in gate.reason
    gate = allowed_level([a(CDA), a(MSA), a(QA)], DAY)
    assert gate.level == DisclosureLevel.FULL


def test_governing_prefers_the_longest_lasting_agreement() -> None:
    short, open_ended = a(CDA, "2024-01-01", "2027-01-01"), a(CDA, "2025-01-01", None)
    assert governing([short, open_ended], CDA, DAY) is open_ended
    assert governing([short], MSA, DAY) is None


def test_describe() -> None:
    assert describe(a(QA, "2023-04-15", None)) == "quality agreement from 2023-04-15 (no expiry)"
    assert describe(a(MSA)) == "MSA 2024-01-01 – 2028-12-31"


@pytest.mark.parametrize(
    ("relationship", "ceiling"),
    [
        (RelationshipType.TRANSACTIONAL, DisclosureLevel.AGGREGATE),
        (RelationshipType.PREFERRED_PROVIDER, DisclosureLevel.PROGRAM),
        (RelationshipType.STRATEGIC_PARTNERSHIP, DisclosureLevel.FULL),
    ],
)
def test_relationship_suggestion(relationship, ceiling) -> None:
    assert relationship_ceiling(relationship) == ceiling
    for level in DisclosureLevel:
        assert needs_justification(level, relationship) == (level > ceiling)
        gate = relationship_gate(level, relationship)
        assert gate.allowed == (level <= ceiling)
        assert f"suggests up to {ceiling.short}" in gate.reason
        if not gate.allowed:
            assert "written justification" in gate.reason


# ----------------------------------------------------------------- properties

days = st.dates(date(2018, 1, 1), date(2034, 12, 31))


@st.composite
def agreements(draw) -> Agreement:
    kind = draw(st.sampled_from(list(AgreementType)))
    start = draw(st.none() | days)
    length = draw(st.none() | st.integers(0, 3000))
    end = start + timedelta(days=length) if start and length is not None else None
    if start is None and length is not None:
        end = draw(days)
    return Agreement(kind, start, end)


@given(st.lists(agreements(), max_size=6), days, st.sampled_from(list(DisclosureLevel)))
def test_an_allowed_level_never_exceeds_what_agreements_in_force_permit(deals, day, level) -> None:
    gate = check_level(level, deals, day)
    in_force = {d.type for d in deals if d.in_force_on(day)}
    needed = set(REQUIRED_AGREEMENTS[level])
    assert gate.allowed == needed.issubset(in_force)
    if gate.allowed:
        assert all(x.in_force_on(day) for x in gate.agreements)
        assert {x.type for x in gate.agreements} == needed


@given(st.lists(agreements(), max_size=6), days)
def test_allowed_level_is_the_highest_passing_level(deals, day) -> None:
    best = allowed_level(deals, day)
    assert check_level(best.level, deals, day).allowed
    for level in DisclosureLevel:
        assert check_level(level, deals, day).allowed == (level <= best.level)
    assert best.level >= DisclosureLevel.AGGREGATE


@given(st.lists(agreements(), max_size=6), days, st.sampled_from([2, 3]))
def test_every_reason_names_an_agreement_type(deals, day, level) -> None:
    reason = check_level(level, deals, day).reason
    assert "CDA" in reason
    assert str(day) in reason
