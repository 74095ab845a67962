"""Criteria for the demo portfolio: one set aligned with proposal scores (ORP-2417), one in review
with partial sign-offs (ORP-4021), one communicated with quarters of KPI actuals (ORP-3308).

Engagements are found by program code; one that already has criteria (or is missing) is left
alone, so running the demo twice changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from planner.domain import criteria as d
from planner.services import criteria_rows as rows
from planner.services.criteria_scoring import ScoringService, write_score
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.store.models import CmoRow, CriteriaSetRow, EngagementRow
from planner.store.store import Store

SEL, PERF = d.CriterionStage.SELECTION, d.CriterionStage.PERFORMANCE
A, AC = d.Verdict.AGREE, d.Verdict.AGREE_WITH_COMMENT


def _own(name: str, description: str, scale: list[str], knockout: bool = False) -> d.Criterion:
    return d.Criterion(name, SEL, description, 0.0, scale, knockout=knockout)


HPAPI_CONTAINMENT = _own(
    "OEB 5 containment",
    "Validated containment for an OEB 5 compound (OEL below 1 µg/m³) across synthesis, isolation, "
    "drying and milling, with surrogate monitoring data.",
    [
        "No OEB 5 containment: fails the minimum.",
        "OEB 5 only in development suites; commercial train needs upgrading.",
        "OEB 5 isolators on the commercial train; limited surrogate data.",
        "Validated OEB 5 train with surrogate monitoring below OEL.",
        "Validated OEB 5 train, routine monitoring, several commercial HPAPIs made there.",
    ],
    knockout=True,
)
LYO_CYCLE = _own(
    "Lyophilisation cycle development",
    "Ability to develop and scale a robust freeze-drying cycle for an ADC, including "
    "freeze-drying microscopy, primary-drying design space and cycle transfer to the "
    "commercial lyophiliser.",
    [
        "No cycle development; would only run our cycle as given.",
        "Basic cycle adaptation; no thermal characterisation.",
        "Cycle development with thermal characterisation on pilot scale.",
        "Design-space approach with pilot and commercial lyophiliser data.",
        "Recognised lyophilisation expertise; recent ADC cycles transferred first time.",
    ],
)

SELECTION_2417 = [
    "quality_systems",
    "inspection_history",
    "technical_capability",
    "facility_fit_capacity",
    "on_time_delivery",
    "confidentiality_ip",
    "financial_stability",
    "cost",
    "stability_programme",
]
KPIS_2417 = ["right_first_time", "deviations_per_batch", "capa_timeliness", "on_time_in_full"]
SCORES_2417 = {
    # criterion name → scores for Kestrelmoor, Veridane Cork, Slaney, Granite Peak
    "Quality systems and cGMP compliance": (5, 4, 4, 2),
    "Regulatory inspection history": (4, 5, 4, 1),
    "OEB 5 containment": (5, 4, 4, 3),
    "Technical capability": (5, 4, 3, 4),
    "Facility fit and capacity": (4, 3, 2, 4),
    "On-time delivery record": (4, 4, 3, 3),
    "Confidentiality and IP protection": (4, 4, 4, 3),
    "Financial stability": (4, 5, 3, 3),
    "Cost": (3, 3, 4, 5),
    "Stability programme": (4, 4, None, 3),
}
NOTES_2417 = {
    ("Regulatory inspection history", 3): "OAI after the March 2026 FDA inspection.",
    ("Stability programme", 2): "Slaney proposed running stability in our own laboratory.",
    ("Facility fit and capacity", 2): "Largest train 250 L: no commercial scale.",
}
CANDIDATES_2417 = [
    "Kestrelmoor Chimica Milano",
    "Veridane Active Ingredients Cork",
    "Slaney Containment",
    "Granite Peak Chemistry",
]

SELECTION_4021 = [
    "quality_systems",
    "inspection_history",
    "technical_capability",
    "facility_fit_capacity",
    "confidentiality_ip",
    "project_management",
    "key_personnel",
    "cost",
]
KPIS_4021 = ["right_first_time", "lot_acceptance_rate", "on_time_in_full", "response_time"]

KPIS_3308 = [
    "right_first_time",
    "deviations_per_batch",
    "deviations_closed_on_time",
    "capa_timeliness",
    "lot_acceptance_rate",
    "oos_rate",
    "audit_findings",
    "on_time_in_full",
    "response_time",
]
SELECTION_3308 = [
    "quality_systems",
    "inspection_history",
    "technical_capability",
    "facility_fit_capacity",
    "consistency_reliability",
    "location_supply_risk",
    "financial_stability",
    "cost",
    "terms",
]
QUARTERS = ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
ACTUALS_3308 = {
    # PPQ in 2026-Q2 shows as a dip; None is "not rated" for that quarter.
    "right_first_time": [93, 96, 97, 95, 88, 96],
    "deviations_per_batch": [1.4, 1.1, 0.9, 1.0, 1.8, 0.8],
    "deviations_closed_on_time": [82, 88, 87, 94, 79, 91],
    "capa_timeliness": [85, 90, 93, 92, 84, 88],
    "lot_acceptance_rate": [100, 100, 98, 100, 96, 100],
    "oos_rate": [0.4, 0.3, 0.3, 0.2, 0.9, 0.3],
    "audit_findings": [1, 0, 0, 0, 2, 0],
    "on_time_in_full": [90, 94, 97, 93, 85, 98],
    "response_time": [None, 2.5, 2.0, 2.5, 3.0, 1.5],
}


def _engagement(s, program: str) -> EngagementRow | None:
    found = s.scalars(select(EngagementRow).where(EngagementRow.program == program)).all()
    return found[0] if len(found) == 1 else None


def _needs_set(store: Store, program: str) -> int | None:
    """The engagement's id when it exists and has no criteria yet."""
    with store.reading() as s:
        row = _engagement(s, program)
        if row is None:
            return None
        has = s.scalar(select(CriteriaSetRow.id).where(CriteriaSetRow.engagement_id == row.id))
        return None if has else row.id


def _build(
    store: Store,
    engagement_id: int,
    selection: list[str],
    kpis: list[str],
    own: list[d.Criterion],
    roles: list[str],
) -> d.CriteriaSet:
    sets = CriteriaSetService(store)
    cs = sets.start(engagement_id, roles)
    cs = sets.add_from_library(cs.id, selection + kpis)
    for criterion in own:
        cs = sets.add_criterion(cs.id, replace(criterion, weight=10.0))
    for stage in d.CriterionStage:
        if cs.stage_criteria(stage):
            cs = sets.normalise_weights(cs.id, stage)
    return cs


def _sign(store: Store, set_id: int, verdicts: list[tuple]) -> d.CriteriaSet:
    sign_offs = CriteriaSignOffService(store)
    cs = CriteriaSetService(store).get(set_id)
    for role, person, verdict, when, comment in verdicts:
        if verdict is None:
            cs = sign_offs.assign_signer(set_id, role, person)
        else:
            cs = sign_offs.record_sign_off(set_id, role, person, verdict, comment, when)
    return cs


def _orp_2417(store: Store, engagement_id: int) -> None:
    roles = ["qa", "supply_chain", "procurement", "technical", "regulatory"]
    cs = _build(store, engagement_id, SELECTION_2417, KPIS_2417, [HPAPI_CONTAINMENT], roles)
    _sign(
        store,
        cs.id,
        [
            ("qa", "Dr Helena Voss", A, date(2026, 3, 9), ""),
            ("technical", "Dr Arjun Patel", A, date(2026, 3, 10), ""),
            (
                "supply_chain",
                "Maren Holt",
                AC,
                date(2026, 3, 11),
                "Add dual-sourcing of the key intermediate to the RFP questions.",
            ),
            ("procurement", "Luca Bernardi", A, date(2026, 3, 12), ""),
            ("regulatory", "Sophie Laurent", A, date(2026, 3, 12), ""),
        ],
    )
    with store.transaction() as s:
        set_row = rows.load_set(s, cs.id)
        by_name = {c.name: c for c in set_row.criteria}
        cmo_ids = dict(
            s.execute(select(CmoRow.name, CmoRow.id).where(CmoRow.name.in_(CANDIDATES_2417))).all()
        )
        for name, scores in SCORES_2417.items():
            for i, score in enumerate(scores):
                cmo = cmo_ids.get(CANDIDATES_2417[i])
                if cmo is None or name not in by_name:
                    continue
                note = NOTES_2417.get((name, i), "")
                write_score(s, by_name[name], cmo, score, note)


def _orp_4021(store: Store, engagement_id: int) -> None:
    roles = ["qa", "supply_chain", "procurement", "technical", "regulatory"]
    containment = _own(
        "OEB 5 isolator filling line",
        "Aseptic filling of a cytotoxic ADC in a closed OEB 5 isolator with validated "
        "decontamination and a lyophiliser loaded through the isolator.",
        HPAPI_CONTAINMENT.scale,
        knockout=True,
    )
    cs = _build(store, engagement_id, SELECTION_4021, KPIS_4021, [containment, LYO_CYCLE], roles)
    _sign(
        store,
        cs.id,
        [
            ("qa", "Dr Helena Voss", A, date(2026, 10, 12), ""),
            (
                "technical",
                "Dr Kenji Mori",
                AC,
                date(2026, 10, 13),
                "Ask for lyophiliser load mapping data with the proposals.",
            ),
            ("supply_chain", "Maren Holt", None, None, ""),
            ("procurement", "Luca Bernardi", None, None, ""),
            ("regulatory", "Sophie Laurent", None, None, ""),
        ],
    )


def _orp_3308(store: Store, engagement_id: int) -> None:
    roles = ["qa", "supply_chain", "procurement", "technical", "finance"]
    cs = _build(store, engagement_id, SELECTION_3308, KPIS_3308, [], roles)
    _sign(
        store,
        cs.id,
        [
            ("qa", "Dr Helena Voss", A, date(2023, 2, 6), ""),
            ("supply_chain", "Claire Ashdown", A, date(2023, 2, 6), ""),
            ("procurement", "Luca Bernardi", A, date(2023, 2, 7), ""),
            ("technical", "Dr Min-jun Park", A, date(2023, 2, 8), ""),
            (
                "finance",
                "Oliver Grant",
                AC,
                date(2023, 2, 9),
                "Review the cost weighting when the commercial supply agreement is renewed.",
            ),
        ],
    )
    CriteriaSignOffService(store).mark_communicated(cs.id)
    scoring = ScoringService(store)
    kpis = {c.library_key: c for c in cs.stage_criteria(PERF)}
    for key, values in ACTUALS_3308.items():
        for period, value in zip(QUARTERS, values, strict=True):
            note = "KPI tracked from 2025-Q3 on." if value is None else ""
            scoring.set_kpi_actual(kpis[key].id, period, value, note)


def load_criteria_demo(store: Store) -> int:
    """Criteria sets created (0 when the demo engagements already have theirs or are absent)."""
    created = 0
    for program, build in (
        ("ORP-2417", _orp_2417),
        ("ORP-4021", _orp_4021),
        ("ORP-3308", _orp_3308),
    ):
        engagement_id = _needs_set(store, program)
        if engagement_id is not None:
            build(store, engagement_id)
            created += 1
    return created
