"""The wizard's last page: per asset, the decision, what is still open and what needs review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.domain.disclosure_decision import (
    DisclosureDecision,
    justification_problem,
    open_items,
)
from planner.domain.disclosure_review import ReviewFlag, review_flags, status
from planner.domain.engagement import Engagement
from planner.domain.enums import RelationshipType
from planner.domain.pipeline import PipelineAsset
from planner.services import disclosure_mapping as m
from planner.services.engagements import to_domain as engagement_to_domain
from planner.services.pipeline import to_domain as asset_to_domain
from planner.store.models import DisclosureDecisionRow, PipelineAssetRow

UNDECIDED = "undecided"


@dataclass(frozen=True)
class AssetSummary:
    asset: PipelineAsset
    decision: DisclosureDecision | None
    open_items: tuple[str, ...]
    flags: tuple[ReviewFlag, ...]
    status: str  # "undecided" or a DecisionStatus value: blocked, review, draft, ok
    justification_missing: bool = False

    @property
    def code(self) -> str:
        return self.asset.code


@dataclass(frozen=True)
class DisclosureSummary:
    """Active assets, plus archived ones that already have a decision in this engagement."""

    engagement: Engagement
    on: date
    cmos: tuple[str, ...]  # names of the CMOs the decisions apply to
    assets: tuple[AssetSummary, ...]

    @property
    def undecided(self) -> list[str]:
        """Active assets with no decision, or one without a decision date yet."""
        return [
            a.code
            for a in self.assets
            if not a.asset.archived and (a.decision is None or not a.decision.is_decided)
        ]

    @property
    def missing_approver(self) -> list[str]:
        return [a.code for a in self.assets if a.decision and not a.decision.approver.strip()]

    @property
    def missing_rationale(self) -> list[str]:
        return [a.code for a in self.assets if a.decision and not a.decision.rationale.strip()]

    @property
    def missing_justification(self) -> list[str]:
        return [a.code for a in self.assets if a.justification_missing]

    @property
    def flagged(self) -> list[AssetSummary]:
        return [a for a in self.assets if a.flags]

    @property
    def complete(self) -> bool:
        """Every asset decided with nothing open; review flags do not count (see `flagged`)."""
        return not self.undecided and not any(a.open_items for a in self.assets)

    def open_lines(self) -> list[str]:
        """One line per open point, for the summary page and the command line."""
        lines = [f"{code}: no decision yet." for code in self.undecided]
        for a in self.assets:
            if a.decision is None:
                continue
            lines += [f"{a.code}: {item}" for item in a.open_items if item != "No decision date."]
            lines += [f"{a.code}: {flag.message}" for flag in a.flags]
        return lines


def build(s: Session, engagement_id: int, on: date, window_days: int) -> DisclosureSummary:
    row = m.load_engagement(s, engagement_id)
    engagement = engagement_to_domain(row)
    relationship = RelationshipType(row.relationship_type)
    cmos = m.targets(s, row)
    decided = select(DisclosureDecisionRow.asset_id).where(
        DisclosureDecisionRow.engagement_id == engagement_id
    )
    assets = s.scalars(
        select(PipelineAssetRow)
        .where(or_(PipelineAssetRow.archived.is_(False), PipelineAssetRow.id.in_(decided)))
        .order_by(PipelineAssetRow.code)
    ).all()
    decisions = {
        d.asset_id: d
        for d in s.scalars(
            select(DisclosureDecisionRow).where(
                DisclosureDecisionRow.engagement_id == engagement_id
            )
        )
    }
    result = []
    for asset_row in assets:
        asset = asset_to_domain(asset_row)
        decision_row = decisions.get(asset_row.id)
        if decision_row is None:
            result.append(AssetSummary(asset, None, (), (), UNDECIDED))
            continue
        decision = m.decision_to_domain(decision_row, asset.code)
        flags = review_flags(decision, cmos, on, window_days)
        result.append(
            AssetSummary(
                asset,
                decision,
                tuple(open_items(decision, relationship)),
                tuple(flags),
                status(decision, flags).value,
                justification_problem(decision.level, decision.justification, relationship)
                is not None,
            )
        )
    return DisclosureSummary(engagement, on, tuple(c.name for c in cmos), tuple(result))
