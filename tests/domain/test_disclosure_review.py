from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_advice import Benefit, SharingChecklist
from planner.domain.disclosure_decision import (
    DecisionRuleError,
    DisclosureDecision,
    check_dates,
    open_items,
)
from planner.domain.disclosure_gates import check_level
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.disclosure_review import (
    DecisionStatus,
    FlagKind,
    cmo_flags,
    review_flags,
    status,
)
from planner.domain.enums import AgreementType, RelationshipType

CDA = AgreementType.CDA
TODAY = date(2026, 11, 25)


def cmo(*agreements: Agreement, changed: date | None = None) -> CMO:
    return CMO(
        name="Kestrelmoor",
        parent_company="Halvard Capital",
        agreements=list(agreements),
        ownership_change_date=changed,
        id=7,
    )


def decision(level=2, decided=date(2026, 10, 5), review=date(2027, 6, 1), **kw):
    return DisclosureDecision(
        1, 2, DisclosureLevel(level), decided_on=decided, review_date=review, **kw
    )


def kinds(flags) -> set[FlagKind]:
    return {f.kind for f in flags}


def test_cda_expiring_within_the_window_flags_l2_and_l3_only() -> None:
    expiring = cmo(Agreement(CDA, date(2021, 12, 15), date(2026, 12, 14)))
    flags = cmo_flags(decision(2), expiring, TODAY)
    assert kinds(flags) == {FlagKind.CDA_EXPIRING}
    assert "CDA 2021-12-15 – 2026-12-14" in flags[0].message
    assert "19 days" in flags[0].message
    assert cmo_flags(decision(1), expiring, TODAY) == []
    assert cmo_flags(decision(2), expiring, TODAY, window_days=10) == []


def test_an_expired_cda_blocks_the_decision() -> None:
    expired = cmo(Agreement(CDA, date(2021, 12, 15), date(2026, 12, 14)))
    flags = cmo_flags(decision(2), expired, date(2026, 12, 15))
    assert kinds(flags) == {FlagKind.BLOCKED}
    assert "expired on 2026-12-14" in flags[0].message
    assert status(decision(2), flags) == DecisionStatus.BLOCKED


def test_ownership_change_after_the_decision_flags_it() -> None:
    sold = cmo(Agreement(CDA, date(2023, 10, 2), date(2028, 10, 1)), changed=date(2026, 3, 16))
    flags = cmo_flags(decision(2, decided=date(2024, 1, 10)), sold, TODAY)
    assert kinds(flags) == {FlagKind.OWNERSHIP_CHANGED}
    assert "2026-03-16" in flags[0].message and "Halvard Capital" in flags[0].message
    # A decision taken after the change already knew about it.
    assert cmo_flags(decision(2, decided=date(2026, 4, 1)), sold, TODAY) == []
    # L0 shares nothing a new owner could misuse.
    assert cmo_flags(decision(0, decided=date(2024, 1, 10)), sold, TODAY) == []


def test_review_due_on_and_after_the_review_date() -> None:
    d = decision(0, review=TODAY)
    assert kinds(review_flags(d, [], TODAY)) == {FlagKind.REVIEW_DUE}
    assert review_flags(d, [], TODAY - timedelta(days=1)) == []
    assert status(d, review_flags(d, [], TODAY)) == DecisionStatus.REVIEW


def test_status_draft_and_ok() -> None:
    draft = decision(0, decided=None, review=None)
    assert status(draft, review_flags(draft, [cmo()], TODAY)) == DecisionStatus.DRAFT
    done = decision(0)
    assert status(done, review_flags(done, [cmo()], TODAY)) == DecisionStatus.OK


def test_flags_cover_every_cmo_the_decision_applies_to() -> None:
    good = cmo(Agreement(CDA, date(2024, 1, 1), date(2029, 1, 1)))
    bad = CMO(name="Other", id=8)
    flags = review_flags(decision(2), [good, bad], TODAY)
    assert [(f.kind, f.cmo_id) for f in flags] == [(FlagKind.BLOCKED, 8)]


def test_open_items_follow_the_wizard() -> None:
    empty = DisclosureDecision(1, 2, DisclosureLevel.PROGRAM)
    items = open_items(empty, RelationshipType.TRANSACTIONAL)
    assert items[:3] == [
        "Checklist: Is the asset's existence public?",
        "Checklist: Does the CMO serve a direct competitor in this therapeutic area?",
        "Checklist: What does sharing buy: capacity reservation, earlier technical planning, "
        "better pricing?",
    ]
    assert "No rationale." in items and "No approver." in items
    assert any("written justification" in i for i in items)
    complete = DisclosureDecision(
        1,
        2,
        DisclosureLevel.PROGRAM,
        SharingChecklist(True, False, [Benefit.CAPACITY_RESERVATION]),
        rationale="r",
        justification="j",
        approver="a",
        decided_on=TODAY,
        review_date=TODAY,
    )
    assert open_items(complete, RelationshipType.TRANSACTIONAL) == []


def test_review_date_may_not_precede_the_decision() -> None:
    check_dates(TODAY, TODAY)
    try:
        check_dates(TODAY, TODAY - timedelta(days=1))
    except DecisionRuleError as error:
        assert "before the decision date" in str(error)
    else:
        raise AssertionError("expected DecisionRuleError")


days = st.dates(date(2020, 1, 1), date(2032, 12, 31))


@given(
    st.lists(st.tuples(days, st.integers(0, 2000)), max_size=3),
    st.sampled_from(list(DisclosureLevel)),
    days,
    st.integers(0, 365),
)
def test_blocked_exactly_when_the_gate_refuses_today(spans, level, today, window) -> None:
    target = cmo(*(Agreement(CDA, s, s + timedelta(days=n)) for s, n in spans))
    flags = cmo_flags(decision(level), target, today, window)
    blocked = FlagKind.BLOCKED in kinds(flags)
    assert blocked == (not check_level(level, target.agreements, today).allowed)
    if FlagKind.CDA_EXPIRING in kinds(flags):
        assert level >= DisclosureLevel.PROGRAM and not blocked
