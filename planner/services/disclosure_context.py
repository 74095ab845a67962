"""Steps 1 and 2 of the sharing wizard: the engagement, its relationship suggestion, and for each
CMO the decisions apply to, its agreements on the date of disclosure and the highest level they
allow (with `missing` telling the wizard which agreement the 'record it now' shortcut should add).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_gates import (
    REQUIRED_AGREEMENTS,
    Gate,
    allowed_level,
    describe,
    governing,
    relationship_ceiling,
    relationship_gate,
)
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType
from planner.domain.pipeline import PipelineAsset
from planner.services import disclosure_mapping as m
from planner.services.engagements import to_domain as engagement_to_domain
from planner.services.pipeline import to_domain as asset_to_domain
from planner.store.models import PipelineAssetRow


@dataclass(frozen=True)
class AgreementStatus:
    agreement: Agreement
    description: str
    in_force: bool
    expiring: bool  # in force and expiring within the review window (any agreement type)


@dataclass(frozen=True)
class CmoGates:
    """Step 2 for one CMO: its agreements on `on`, the highest level they allow, what is missing."""

    cmo_id: int
    name: str
    parent_company: str
    ownership_change_date: date | None
    agreements: tuple[AgreementStatus, ...]
    allowed: Gate
    missing: tuple[AgreementType, ...]  # of CDA, MSA, quality agreement: none in force on `on`


@dataclass(frozen=True)
class DisclosureContext:
    engagement: Engagement
    suggested: DisclosureLevel  # what the relationship type suggests at most
    suggestion: str
    applies_to_candidates: bool  # True while no CMO is chosen: decisions apply to each candidate
    cmos: tuple[CmoGates, ...]
    assets: tuple[PipelineAsset, ...]  # active assets, by code
    on: date


def build_context(s: Session, engagement_id: int, day: date) -> DisclosureContext:
    window = m.cda_window_days(s)
    row = m.load_engagement(s, engagement_id)
    engagement = engagement_to_domain(row)
    cmos = m.targets(s, row)
    assets = s.scalars(
        select(PipelineAssetRow)
        .where(PipelineAssetRow.archived.is_(False))
        .order_by(PipelineAssetRow.code)
    )
    return DisclosureContext(
        engagement=engagement,
        suggested=relationship_ceiling(engagement.relationship_type),
        suggestion=relationship_gate(DisclosureLevel.NONE, engagement.relationship_type).reason,
        applies_to_candidates=engagement.chosen_cmo_id is None,
        cmos=tuple(_cmo_gates(c, day, window) for c in cmos),
        assets=tuple(asset_to_domain(a) for a in assets),
        on=day,
    )


def _cmo_gates(cmo: CMO, on: date, window: int) -> CmoGates:
    assert cmo.id is not None
    statuses = tuple(
        AgreementStatus(
            a,
            describe(a),
            a.in_force_on(on),
            a.expires_within(on, window),
        )
        for a in sorted(cmo.agreements, key=lambda a: (a.type.value, a.effective_date or date.min))
    )
    missing = tuple(
        kind
        for kind in REQUIRED_AGREEMENTS[DisclosureLevel.FULL]
        if governing(cmo.agreements, kind, on) is None
    )
    return CmoGates(
        cmo.id,
        cmo.name,
        cmo.parent_company,
        cmo.ownership_change_date,
        statuses,
        allowed_level(cmo.agreements, on),
        missing,
    )
