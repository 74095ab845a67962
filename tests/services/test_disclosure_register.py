import json
from datetime import UTC, date, datetime

import pytest

from planner.domain.disclosure_levels import FIELDS, DisclosureLevel
from planner.domain.disclosure_review import DecisionStatus, FlagKind
from planner.services.cmos import CmoService
from planner.services.demo_pipeline import load_pipeline_demo
from planner.services.disclosure_outlook import pack_outlook
from planner.services.disclosure_register import DisclosureRegister
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.services.pipeline import PipelineService
from planner.store.models import PackRow

BEFORE_EXPIRY = date(2026, 11, 25)  # Kestrelmoor's CDA runs to 2026-12-14
AFTER_EXPIRY = date(2026, 12, 15)


@pytest.fixture
def demo(demo_store):
    load_pipeline_demo(demo_store)
    return demo_store


def ids(store, cmo: str, program: str, asset: str) -> tuple[int, int, int]:
    return (
        CmoService(store).find_by_name(cmo).id,
        EngagementService(store).find(program).id,
        PipelineService(store).find(asset).id,
    )


def add_pack(store, engagement_id, cmo_id, when, disclosed, pack_id) -> None:
    with store.transaction() as s:
        s.add(
            PackRow(
                id=pack_id,
                engagement_id=engagement_id,
                cmo_id=cmo_id,
                disclosed=disclosed,
                created_at=when,
                created_by="tester",
                file_name=f"{pack_id}.xlsx",
            )
        )


def test_entries_filter_by_cmo_and_asset(demo) -> None:
    register = DisclosureRegister(demo)
    cmo_id, _, asset_id = ids(demo, "Thamesbrook Peptides", "ORP-1152", "ORP-1152")
    rows = register.entries(cmo_id=cmo_id, on=BEFORE_EXPIRY)
    assert {(r.asset_code, r.level) for r in rows} == {
        ("ORP-0789", DisclosureLevel.NONE),
        ("ORP-1152", DisclosureLevel.PROGRAM),
    }
    assert all(r.cmo == "Thamesbrook Peptides" for r in rows)
    only = register.entries(cmo_id=cmo_id, asset_id=asset_id, on=BEFORE_EXPIRY)
    assert [r.asset_code for r in only] == ["ORP-1152"]
    assert only[0].governing == "CDA 2023-10-02 – 2028-10-01"
    withheld = register.entries(asset_id=PipelineService(demo).find("ORP-0789").id)
    assert len({r.decision.engagement_id for r in withheld}) == 5


def test_consideration_decisions_give_one_entry_per_candidate(demo) -> None:
    register = DisclosureRegister(demo)
    asset_id = PipelineService(demo).find("ORP-5530").id
    rows = register.entries(asset_id=asset_id, on=BEFORE_EXPIRY)
    assert [r.cmo for r in rows] == [
        "Kranji Chemical Development",
        "Lianyun Nucleic Acid Manufacturing",
        "Zuidhaven Pharma",
    ]
    assert all(r.level == DisclosureLevel.PROGRAM for r in rows)
    in_force = [r for r in rows if r.cmo != "Lianyun Nucleic Acid Manufacturing"]
    assert all(r.governing.startswith("CDA ") for r in in_force)
    lianyun = next(r for r in rows if r.cmo == "Lianyun Nucleic Acid Manufacturing")
    assert lianyun.status == DecisionStatus.BLOCKED and "expired" in lianyun.governing


def test_expiring_then_expired_cda(demo) -> None:
    register = DisclosureRegister(demo)
    cmo_id, _, asset_id = ids(demo, "Kestrelmoor Chimica Milano", "ORP-2417", "ORP-2417")
    before = register.entries(cmo_id=cmo_id, asset_id=asset_id, on=BEFORE_EXPIRY)[0]
    assert before.status == DecisionStatus.REVIEW
    assert [f.kind for f in before.flags] == [FlagKind.CDA_EXPIRING]
    after = register.entries(cmo_id=cmo_id, asset_id=asset_id, on=AFTER_EXPIRY)[0]
    assert after.status == DecisionStatus.BLOCKED
    assert "CDA 2021-12-15 – 2026-12-14 expired on 2026-12-14" in after.governing
    assert after.agreements == ()


def test_due_for_review(demo) -> None:
    due = DisclosureRegister(demo).due_for_review(on=BEFORE_EXPIRY)
    assert {(r.asset_code, r.cmo) for r in due} == {
        ("ORP-1152", "Thamesbrook Peptides"),
        ("ORP-2417", "Kestrelmoor Chimica Milano"),
        ("ORP-5530", "Lianyun Nucleic Acid Manufacturing"),
    }
    thames = next(r for r in due if r.asset_code == "ORP-1152")
    assert {f.kind for f in thames.flags} == {FlagKind.OWNERSHIP_CHANGED, FlagKind.REVIEW_DUE}


def test_packs_and_what_a_cmo_knows(demo) -> None:
    register = DisclosureRegister(demo)
    cmo_id, engagement_id, asset_id = ids(
        demo, "Kestrelmoor Chimica Milano", "ORP-2417", "ORP-2417"
    )
    l1 = {"level": 1, "fields": list(FIELDS[DisclosureLevel.AGGREGATE])}
    l2 = {"level": 2, "fields": list(FIELDS[DisclosureLevel.PROGRAM])}
    add_pack(demo, engagement_id, cmo_id, datetime(2026, 3, 2, tzinfo=UTC), {"ORP-2417": l1}, "p1")
    add_pack(
        demo,
        engagement_id,
        cmo_id,
        datetime(2026, 9, 15, tzinfo=UTC),
        {"ORP-2417": l2, "ORP-0789": {"level": 0, "fields": []}},
        "p2",
    )
    add_pack(demo, engagement_id, cmo_id, datetime(2026, 10, 1, tzinfo=UTC), {"ORP-2417": l1}, "p3")

    assert [p.pack_id for p in register.packs(cmo_id=cmo_id)] == ["p1", "p2", "p3"]
    other = PipelineService(demo).find("ORP-3308").id
    assert register.packs(asset_id=other) == []

    known = register.knowledge(cmo_id, asset_id, on=BEFORE_EXPIRY)
    assert known.level_sent == DisclosureLevel.PROGRAM
    assert known.level_since == datetime(2026, 9, 15, tzinfo=UTC)
    assert known.first_sent == datetime(2026, 3, 2, tzinfo=UTC)
    assert known.last_sent == datetime(2026, 10, 1, tzinfo=UTC)
    assert known.packs == ("p1", "p2", "p3")
    assert set(known.fields_sent) == set(FIELDS[DisclosureLevel.PROGRAM])
    assert known.cda_at_level_since == "CDA 2021-12-15 – 2026-12-14"
    assert known.cda_now == "CDA 2021-12-15 – 2026-12-14"
    assert [d.level for d in known.decisions] == [DisclosureLevel.FULL]
    json.dumps(known.to_json())

    later = register.knowledge(cmo_id, asset_id, on=AFTER_EXPIRY)
    assert later.cda_now.startswith("no CDA in force on 2026-12-15")


def test_nothing_sent_means_nothing_known(demo) -> None:
    cmo_id, _, asset_id = ids(demo, "Hanbit BioWorks Songdo", "ORP-3308", "ORP-0789")
    known = DisclosureRegister(demo).knowledge(cmo_id, asset_id, on=BEFORE_EXPIRY)
    assert known.level_sent == DisclosureLevel.NONE
    assert known.packs == () and known.first_sent is None and known.cda_at_level_since == ""


def test_report_for_the_command_line(demo) -> None:
    register = DisclosureRegister(demo)
    cmo_id, engagement_id, _ = ids(demo, "Thamesbrook Peptides", "ORP-1152", "ORP-1152")
    add_pack(
        demo,
        engagement_id,
        cmo_id,
        datetime(2024, 2, 1, tzinfo=UTC),
        {"ORP-1152": {"level": 2, "fields": list(FIELDS[DisclosureLevel.PROGRAM])}},
        "t1",
    )
    data = register.report(cmo="Thamesbrook Peptides", on=BEFORE_EXPIRY).to_json()
    json.dumps(data)
    decision = next(d for d in data["decisions"] if d["asset"] == "ORP-1152")
    assert decision["level"] == 2
    assert decision["approver"] and decision["rationale"]
    assert decision["review_date"] == "2026-06-30"
    assert decision["governing_agreement"] == "CDA 2023-10-02 – 2028-10-01"
    assert {f["kind"] for f in decision["flags"]} == {"ownership_changed", "review_due"}
    assert [p["pack_id"] for p in data["packs"]] == ["t1"]
    assert data["packs"][0]["disclosed"]["ORP-1152"]["level"] == 2
    by_asset = register.report(asset="orp-1152", on=BEFORE_EXPIRY)
    assert {d.cmo for d in by_asset.decisions} == {"Thamesbrook Peptides"}
    assert register.report(cmo=str(cmo_id)).decisions
    with pytest.raises(NotFound):
        register.report(cmo="Nobody Pharma")
    with pytest.raises(NotFound):
        register.report(asset="ORP-404")


def test_pack_outlook_is_the_export_choke_point(demo) -> None:
    cmo_id, engagement_id, _ = ids(demo, "Kestrelmoor Chimica Milano", "ORP-2417", "ORP-2417")
    outlook = pack_outlook(demo, engagement_id, cmo_id, on=BEFORE_EXPIRY)
    assert outlook.can_export
    assert list(outlook.disclosed()) == ["ORP-2417"]
    shared = next(i for i in outlook.items if i.asset_code == "ORP-2417")
    assert shared.data["inn"] == "dravoletinib"
    assert shared.warnings and "expires in 19 days" in shared.warnings[0]
    for item in outlook.items:
        if item.asset_code != "ORP-2417":
            assert item.data == {} and item.level == DisclosureLevel.NONE

    blocked = pack_outlook(demo, engagement_id, cmo_id, on=AFTER_EXPIRY)
    assert not blocked.can_export
    assert "expired on 2026-12-14" in blocked.refusal()
    assert blocked.disclosed() == {}
    assert all(i.data == {} for i in blocked.items)


def test_pack_outlook_per_candidate_and_refuses_strangers(demo) -> None:
    engagement_id = EngagementService(demo).find("ORP-4021").id
    bernina = CmoService(demo).find_by_name("Bernina Sterile").id
    outlook = pack_outlook(demo, engagement_id, bernina, on=BEFORE_EXPIRY)
    assert outlook.disclosed() == {
        "ORP-4021": {"level": 1, "fields": list(FIELDS[DisclosureLevel.AGGREGATE])}
    }
    stranger = CmoService(demo).find_by_name("Hanbit BioWorks Songdo").id
    with pytest.raises(Conflict, match="neither"):
        pack_outlook(demo, engagement_id, stranger)


def test_drafts_and_future_decisions_share_nothing(demo) -> None:
    from planner.services.disclosure_decisions import DisclosureService

    cmo_id, engagement_id, asset_id = ids(demo, "Hanbit BioWorks Songdo", "ORP-3308", "ORP-4021")
    service = DisclosureService(demo)
    service.set_level(engagement_id, asset_id, 1)  # no approver, no date yet
    item = next(
        i
        for i in pack_outlook(demo, engagement_id, cmo_id, on=BEFORE_EXPIRY).items
        if i.asset_code == "ORP-4021"
    )
    assert item.level == DisclosureLevel.NONE and not item.blocked
    assert "Not decided and approved" in item.reason
    service.set_approval(engagement_id, asset_id, approver="x", decided_on=date(2027, 1, 10))
    item = next(
        i
        for i in pack_outlook(demo, engagement_id, cmo_id, on=BEFORE_EXPIRY).items
        if i.asset_code == "ORP-4021"
    )
    assert "Applies from 2027-01-10" in item.reason and item.data == {}
