from datetime import date

from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.disclosure_review import DecisionStatus, FlagKind
from planner.services.demo_pipeline import DECISIONS, load_pipeline_demo
from planner.services.disclosure_register import DisclosureRegister
from planner.services.engagements import EngagementService

TODAY = date(2026, 11, 25)


def test_demo_decisions_are_idempotent(demo_store) -> None:
    # `planner demo` (the fixture) already loaded them once.
    assert len(DisclosureRegister(demo_store).entries(on=TODAY)) >= len(DECISIONS)
    first = [e.to_json() for e in DisclosureRegister(demo_store).entries(on=TODAY)]
    assert load_pipeline_demo(demo_store) == 0
    assert [e.to_json() for e in DisclosureRegister(demo_store).entries(on=TODAY)] == first


def test_demo_without_the_portfolio_adds_nothing(store) -> None:
    assert load_pipeline_demo(store) == 0


def test_demo_shows_every_case(demo_store) -> None:
    load_pipeline_demo(demo_store)
    register = DisclosureRegister(demo_store)
    entries = register.entries(on=TODAY)

    # Withheld from every engagement's CMO (chosen or candidate).
    withheld = [e for e in entries if e.asset_code == "ORP-0789"]
    engagements = {r.id for r in EngagementService(demo_store).list_rows()}
    assert {e.decision.engagement_id for e in withheld} == engagements
    assert all(e.level == DisclosureLevel.NONE for e in withheld)

    # Shared at L2 under a CDA.
    l2 = [e for e in entries if e.level == DisclosureLevel.PROGRAM and e.status == "ok"]
    assert l2 and all(e.governing.startswith("CDA ") for e in l2)

    # Flagged by a change of ownership.
    owners = [e for e in entries if FlagKind.OWNERSHIP_CHANGED in {f.kind for f in e.flags}]
    assert [(e.asset_code, e.cmo) for e in owners] == [("ORP-1152", "Thamesbrook Peptides")]

    # Blocked today by an expired CDA: Lianyun's CDA ran out on 2026-10-31, after the ORP-5530
    # decision at L2 was taken under it.
    blocked_now = [(e.asset_code, e.cmo) for e in entries if e.status == DecisionStatus.BLOCKED]
    assert blocked_now == [("ORP-5530", "Lianyun Nucleic Acid Manufacturing")]

    # And one flagged while its CDA runs out, blocked once it has.
    kestrel = [e for e in entries if e.cmo == "Kestrelmoor Chimica Milano" and e.level == 3]
    assert [f.kind for f in kestrel[0].flags] == [FlagKind.CDA_EXPIRING]
    assert kestrel[0].decision.justification  # L3 is above the preferred-provider suggestion
    later = register.entries(on=date(2026, 12, 15))
    blocked = [e for e in later if e.status == DecisionStatus.BLOCKED]
    assert [(e.asset_code, e.cmo) for e in blocked] == [
        ("ORP-2417", "Kestrelmoor Chimica Milano"),
        ("ORP-5530", "Lianyun Nucleic Acid Manufacturing"),
    ]
