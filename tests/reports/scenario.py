"""A store with one engagement whose pack is fully known: every value that may reach the pack
holds a 'shown' marker, every value that must not holds a 'withheld' marker.

Markers are `WH<nn>Q<token>` (withheld) and `PR<nn>Q<token>` (shown), so no marker is part of
another and a search of the raw file bytes is unambiguous.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.domain.cmo import CMO, Agreement
from planner.domain.criteria import Criterion, CriterionStage, Direction, Verdict
from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_levels import DisclosureLevel, fields_of
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, RelationshipType
from planner.domain.pipeline import Phase, PipelineAsset
from planner.domain.timeline import Milestone, MilestoneOwner
from planner.services.cmos import CmoService
from planner.services.criteria_scoring import ScoringService
from planner.services.criteria_sets import CriteriaSetService
from planner.services.criteria_sign_off import CriteriaSignOffService
from planner.services.disclosure_decisions import DisclosureService
from planner.services.engagements import EngagementService
from planner.services.pack_identity import set_sponsor_name
from planner.services.pipeline import PipelineService
from planner.services.timeline import TimelineService
from planner.store.store import Store

SCALE = ["one", "two", "three", "four", "five"]
TEXT_FIELDS = (
    "code",
    "inn",
    "modality",
    "therapeutic_area",
    "indication",
    "manufacturing_needs",
    "timing",
)
_serial = itertools.count(1)


@dataclass
class Markers:
    token: str
    withheld: dict[str, str] = field(default_factory=dict)  # what it stands for → marker
    shown: dict[str, str] = field(default_factory=dict)

    def hide(self, what: str) -> str:
        marker = f"WH{len(self.withheld):02d}Q{self.token}"
        self.withheld[what] = marker
        return marker

    def show(self, what: str) -> str:
        marker = f"PR{len(self.shown):02d}Q{self.token}"
        self.shown[what] = marker
        return marker

    def mark(self, what: str, visible: bool) -> str:
        return self.show(what) if visible else self.hide(what)


@dataclass
class Scenario:
    engagement_id: int
    cmo_id: int
    other_cmo_id: int
    markers: Markers
    asset_codes: dict[str, int]  # code → decided level (0 also for no decision)
    shared_milestone_ids: list[int]
    hidden_milestone_id: int


def _agreements(today: date) -> list[Agreement]:
    start, end = today - timedelta(days=100), today + timedelta(days=900)
    return [
        Agreement(t, start, end)
        for t in (AgreementType.CDA, AgreementType.MSA, AgreementType.QUALITY)
    ]


def build(store: Store, token: str, levels: tuple[int, ...] = (0, 1, 2, 3)) -> Scenario:
    """One engagement in consideration with two candidates; the pack goes to the first."""
    mk = Markers(f"{token}Z{next(_serial)}")
    today = date.today()
    set_sponsor_name(store, mk.show("sponsor"))
    cmos = CmoService(store)
    target = cmos.create(
        CMO(
            mk.show("cmo name"),
            notes=mk.hide("cmo notes"),
            capacity_notes=mk.hide("cmo capacity notes"),
            agreements=_agreements(today),
        )
    )
    other = cmos.create(CMO(mk.hide("other candidate's name"), agreements=_agreements(today)))
    engagement = EngagementService(store).create(
        Engagement(
            title=mk.show("engagement title"),
            program=mk.show("program"),
            relationship_type=RelationshipType.STRATEGIC_PARTNERSHIP,
            owner=mk.hide("engagement owner"),
            notes=mk.hide("engagement notes"),
            candidate_ids=[target.id, other.id],
        )
    )
    eid = engagement.id
    asset_codes = _assets(store, mk, eid, levels, today)
    _criteria(store, mk, eid, target.id, other.id)
    shared, hidden = _timeline(store, mk, eid)
    return Scenario(eid, target.id, other.id, mk, asset_codes, shared, hidden)


def _assets(
    store: Store, mk: Markers, eid: int, levels: tuple[int, ...], today: date
) -> dict[str, int]:
    pipeline, decisions = PipelineService(store), DisclosureService(store)
    found = {}
    for n, level in enumerate((*levels, None)):  # None: an asset without any decision
        shown = set(fields_of(level or 0))
        values = {f: mk.mark(f"asset {n} ({level}) {f}", f in shown) for f in TEXT_FIELDS}
        asset = pipeline.create(
            PipelineAsset(**values, phase=Phase.PHASE_2, volumes={2031: 98765.4321 + n})
        )
        if "volumes" not in shown:
            mk.withheld[f"asset {n} volume"] = f"{98765.4321 + n:,.6g}"
        found[asset.code] = level or 0
        if level is None:
            continue
        decisions.record(
            DisclosureDecision(
                eid,
                asset.id,
                DisclosureLevel(level),
                rationale=mk.hide(f"decision {n} rationale"),
                expected_benefit=mk.hide(f"decision {n} benefit"),
                risks=mk.hide(f"decision {n} risks"),
                approver=mk.hide(f"decision {n} approver"),
                decided_on=today,
                review_date=today + timedelta(days=300),
            )
        )
    return found


def _criteria(store: Store, mk: Markers, eid: int, cmo_id: int, other_id: int) -> None:
    sets, sign = CriteriaSetService(store), CriteriaSignOffService(store)
    cs = sets.start(eid, ["qa"])
    for n in range(2):
        cs = sets.add_criterion(
            cs.id,
            Criterion(
                mk.show(f"criterion {n} name"),
                CriterionStage.SELECTION,
                mk.show(f"criterion {n} description"),
                50,
                [mk.show(f"criterion {n} scale {i}") for i in range(5)],
                evidence_requested=mk.show(f"criterion {n} evidence"),
                knockout=n == 0,
            ),
        )
    cs = sets.add_criterion(
        cs.id,
        Criterion(
            mk.show("kpi name"),
            CriterionStage.PERFORMANCE,
            mk.show("kpi description"),
            100,
            SCALE,
            metric=mk.show("kpi metric"),
            unit="%",
            target=97.5,
            direction=Direction.HIGHER,
        ),
    )
    sign.record_sign_off(
        cs.id,
        "qa",
        mk.hide("qa signer"),
        Verdict.AGREE_WITH_COMMENT,
        mk.hide("qa sign-off comment"),
    )
    scoring = ScoringService(store)
    for criterion in cs.criteria[:1]:
        scoring.set_score(criterion.id, other_id, 4, mk.hide("score note, other candidate"))
        scoring.set_score(criterion.id, cmo_id, 3, mk.hide("score note, this CMO"))
    sign.mark_communicated(cs.id)
    # Version 2 is a draft: nothing of it may leave before it is aligned.
    v2 = sets.new_version(eid)
    first = v2.criteria[0]
    first.name = mk.hide("draft version's criterion name")
    first.description = mk.hide("draft version's description")
    sets.update_criterion(v2.id, first)


def _timeline(store: Store, mk: Markers, eid: int) -> tuple[list[int], int]:
    timeline = TimelineService(store)

    def add(name: str, shown: bool, day: int, **more: object) -> Milestone:
        return timeline.add_milestone(
            eid,
            Milestone(
                mk.mark(f"{name} name", shown),
                planned_date=date(2030, 1, 1) + timedelta(days=day),
                owner=MilestoneOwner.JOINT,
                rationale=mk.mark(f"{name} rationale", shown),
                external_consequences=mk.mark(f"{name} consequences", shown),
                slip_impact=mk.hide(f"{name} slip impact"),
                share_with_cmo=shown,
                **more,  # type: ignore[arg-type]
            ),
        )

    first = add("milestone 1", True, 0, buffer_days=12)
    hidden = add("milestone 2 (not shared)", False, 40)
    last = add("milestone 3", True, 90)
    timeline.add_link(first.id, hidden.id, 10)
    timeline.add_link(hidden.id, last.id, 20)
    timeline.add_link(first.id, last.id, 60)
    return [first.id, last.id], hidden.id
