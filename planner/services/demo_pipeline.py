"""Pipeline sharing decisions for the demo portfolio (run after `load_demo`; idempotent).

The decisions are chosen so that the register shows every case the planner handles:

- withheld: ORP-0789 (preclinical AAV, not public) is L0 in every engagement;
- shared at L2 under a CDA: ORP-5530 with the siRNA candidates Zuidhaven and Kranji (CDAs in
  force to 2029); blocked today for the third, Lianyun, whose CDA expired on 2026-10-31, after
  the decision of 2026-10-26 was taken under it;
- full package: ORP-3308 at L3 with Hanbit under CDA, MSA and quality agreement;
- about to be blocked: ORP-2417 at L3 with Kestrelmoor Chimica Milano, recorded on
  2026-10-05 while its CDA (2021-12-15 – 2026-12-14) was in force. Until that expiry the register
  flags it 'cda_expiring' (within the review window); from 2026-12-15 its status is 'blocked' and
  an export to Kestrelmoor is refused until a new CDA is recorded. It is above the preferred-
  provider suggestion, so it also carries a justification;
- flagged by a change of ownership: ORP-1152 at L2 with Thamesbrook Peptides, decided 2024-01-10,
  before Halvard Capital took control on 2026-03-16; its review date has passed as well;
- aggregate only: ORP-4021 at L1 for the four fill-finish candidates.

Whether a decision is flagged or blocked is computed on the day it is looked at; nothing about
that state is stored.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from planner.domain.disclosure_advice import Benefit, SharingChecklist
from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_levels import DisclosureLevel
from planner.services.disclosure_decisions import DisclosureService
from planner.store.models import EngagementRow, PipelineAssetRow
from planner.store.store import Store

PROGRAMS = ("ORP-4021", "ORP-2417", "ORP-3308", "ORP-1152", "ORP-5530")
CAPACITY = Benefit.CAPACITY_RESERVATION
PLANNING = Benefit.EARLIER_TECHNICAL_PLANNING
PRICING = Benefit.BETTER_PRICING


def _withheld(program: str) -> dict:
    return {
        "program": program,
        "asset": "ORP-0789",
        "level": DisclosureLevel.NONE,
        "checklist": SharingChecklist(False, None, [], "Not in any public pipeline chart yet."),
        "rationale": "Preclinical AAV programme whose existence is not public; no CMO can plan "
        "anything with it before the GLP tox campaign is sourced.",
        "expected_benefit": "None at this stage.",
        "risks": "Early disclosure would signal our entry into Friedreich's ataxia.",
        "approver": "Dr Miriam Achterberg, VP CMC",
        "decided_on": date(2026, 10, 12),
        "review_date": date(2027, 4, 30),
    }


DECISIONS: tuple[dict, ...] = (
    *(_withheld(p) for p in PROGRAMS),
    {
        "program": "ORP-5530",
        "asset": "ORP-5530",
        "level": DisclosureLevel.PROGRAM,
        "checklist": SharingChecklist(True, False, [CAPACITY], "Phase 1 is on ClinicalTrials.gov."),
        "rationale": "About 8 kg of duplex is needed for Phase 2 in 2028; the candidates can only "
        "quote and hold synthesiser time with the program code, dates and forecast.",
        "expected_benefit": "Capacity reservation for the 2028 campaigns; firmer quotes.",
        "risks": "Forecast volumes reach three CMOs, one of them outside our usual supply base.",
        "approver": "Dr Miriam Achterberg, VP CMC",
        "decided_on": date(2026, 10, 26),
        "review_date": date(2027, 3, 31),
    },
    {
        "program": "ORP-3308",
        "asset": "ORP-3308",
        "level": DisclosureLevel.FULL,
        "checklist": SharingChecklist(True, False, [CAPACITY, PLANNING]),
        "rationale": "Hanbit is the commercial DS and PFS source; PPQ and launch need the full "
        "technical package.",
        "expected_benefit": "Commercial capacity at 15,000 L and a PFS line for the US launch.",
        "risks": "Single source until the second DS site is qualified.",
        "approver": "Claire Ashdown, Head of External Manufacturing",
        "decided_on": date(2023, 5, 2),
        "review_date": date(2027, 3, 31),
    },
    {
        "program": "ORP-2417",
        "asset": "ORP-2417",
        "level": DisclosureLevel.FULL,
        "checklist": SharingChecklist(True, False, [PLANNING, CAPACITY]),
        "rationale": "Tech transfer of the commercial HPAPI route starts in January 2027.",
        "expected_benefit": "Containment and Suzuki-coupling scale-up planned before PPQ in Q3 2027.",
        "risks": "The CDA expires on 14 December 2026; renewal is with Kestrelmoor's legal team.",
        "justification": "The steering committee (20 August 2026) approved the full package for "
        "the tech transfer although a preferred-provider relationship suggests L2.",
        "approver": "Rahul Menon, Director External Supply",
        "decided_on": date(2026, 10, 5),
        "review_date": date(2026, 12, 1),
    },
    {
        "program": "ORP-1152",
        "asset": "ORP-1152",
        "level": DisclosureLevel.PROGRAM,
        "checklist": SharingChecklist(True, False, [CAPACITY]),
        "rationale": "Clinical campaigns needed the program code and dates to book SPPS slots.",
        "expected_benefit": "Three cGMP batches delivered on time.",
        "risks": "Scale limits for Phase 3.",
        "justification": "Booking the 2024–2025 campaigns needed the code and dates, more than a "
        "transactional relationship suggests.",
        "approver": "Tomasz Wierzbicki, Program CMC lead",
        "decided_on": date(2024, 1, 10),
        "review_date": date(2026, 6, 30),
    },
    {
        "program": "ORP-4021",
        "asset": "ORP-4021",
        "level": DisclosureLevel.AGGREGATE,
        "checklist": SharingChecklist(True, None, [CAPACITY, PRICING]),
        "rationale": "The RFP needs modality and a volume band to price the fill-finish slot; "
        "program details wait for the selection.",
        "expected_benefit": "Comparable quotes for Q2 2027 capacity.",
        "risks": "Bernina's new owner also owns an ADC developer; not yet assessed.",
        "approver": "Dr Imogen Fairweather",
        "decided_on": date(2026, 10, 5),
        "review_date": date(2027, 1, 29),
    },
)


def load_pipeline_demo(store: Store) -> int:
    """Adds the demo decisions that are not there yet; returns how many were added.

    Decisions whose engagement (by program) or asset (by code) is missing are skipped, and an
    existing decision for the same engagement and asset is left as the user made it.
    """
    with store.reading() as s:
        engagements = {
            program: eid
            for eid, program in s.execute(select(EngagementRow.id, EngagementRow.program))
        }
        assets = {
            code: aid for aid, code in s.execute(select(PipelineAssetRow.id, PipelineAssetRow.code))
        }
    service = DisclosureService(store)
    added = 0
    for spec in DECISIONS:
        engagement_id = engagements.get(spec["program"])
        asset_id = assets.get(spec["asset"])
        if engagement_id is None or asset_id is None:
            continue
        if service.get(engagement_id, asset_id) is not None:
            continue
        values = {k: v for k, v in spec.items() if k not in ("program", "asset")}
        service.record(DisclosureDecision(engagement_id, asset_id, **values))
        added += 1
    return added
