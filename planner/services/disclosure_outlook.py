"""What an alignment pack for one engagement and one CMO may carry about the pipeline, today.

This is what the export calls; it applies `disclose` (the one field filter) to each asset at the
level that may be sent on the export date:

- no decision, a draft (no decision date or no approver), a decision that applies only from a
  later date, or an archived asset → L0, nothing sent;
- a decided level the CMO's agreements no longer allow on the export date (an expired CDA, say)
  → the item is `blocked`, nothing about the asset is in `data`, and `PackOutlook.can_export` is
  False: the export must refuse the whole pack with `refusal()` rather than silently send less;
- otherwise the decided level, with any review flags (ownership change, CDA expiring, review date
  reached) as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select

from planner.domain.disclosure_gates import check_level
from planner.domain.disclosure_levels import (
    DisclosedValue,
    DisclosureLevel,
    disclose,
    fields_of,
)
from planner.domain.disclosure_review import FlagKind, cmo_flags, review_due
from planner.services import disclosure_mapping as m
from planner.services.errors import Conflict
from planner.services.pipeline import to_domain as asset_to_domain
from planner.store.models import DisclosureDecisionRow, PipelineAssetRow
from planner.store.store import Store


@dataclass(frozen=True)
class OutlookItem:
    asset_id: int
    asset_code: str
    decided_level: DisclosureLevel
    level: DisclosureLevel  # what may be sent on the export date
    blocked: bool
    reason: str
    warnings: tuple[str, ...]
    data: dict[str, DisclosedValue]  # disclose(asset, level): {} at L0 and when blocked


@dataclass(frozen=True)
class PackOutlook:
    engagement_id: int
    cmo_id: int
    cmo: str
    on: date
    items: tuple[OutlookItem, ...]  # by asset code

    @property
    def blocked(self) -> tuple[OutlookItem, ...]:
        return tuple(i for i in self.items if i.blocked)

    @property
    def can_export(self) -> bool:
        return not self.blocked

    def refusal(self) -> str:
        return " ".join(f"{i.asset_code}: {i.reason}" for i in self.blocked)

    def disclosed(self) -> dict[str, dict[str, Any]]:
        """For PackRow.disclosed: {asset_code: {"level": n, "fields": [...]}}, shared assets only."""
        return {
            i.asset_code: {"level": int(i.level), "fields": list(fields_of(i.level))}
            for i in self.items
            if i.level > DisclosureLevel.NONE
        }


def pack_outlook(
    store: Store, engagement_id: int, cmo_id: int, on: date | None = None
) -> PackOutlook:
    day = on or date.today()
    with store.reading() as s:
        window = m.cda_window_days(s)
        engagement = m.load_engagement(s, engagement_id)
        if cmo_id not in m.target_ids(engagement):
            raise Conflict(
                "This CMO is neither the engagement's chosen CMO nor, while it is in "
                "consideration, one of its candidates: it may receive no pipeline information."
            )
        cmo = m.load_cmos(s, [cmo_id])[cmo_id]
        decided = select(DisclosureDecisionRow.asset_id).where(
            DisclosureDecisionRow.engagement_id == engagement_id
        )
        assets = s.scalars(
            select(PipelineAssetRow)
            .where(or_(PipelineAssetRow.archived.is_(False), PipelineAssetRow.id.in_(decided)))
            .order_by(PipelineAssetRow.code)
        ).all()
        decisions = {
            r.asset_id: m.decision_to_domain(r)
            for r in s.scalars(
                select(DisclosureDecisionRow).where(
                    DisclosureDecisionRow.engagement_id == engagement_id
                )
            )
        }
    items = []
    for row in assets:
        asset = asset_to_domain(row)
        decision = decisions.get(row.id)
        assert asset.id is not None
        if decision is None:
            items.append(_nothing(asset.id, asset.code, DisclosureLevel.NONE, "No decision."))
            continue
        decision.asset_code = asset.code
        decided = decision.level
        if asset.archived:
            reason = "Archived: nothing is shared."
        elif decision.decided_on is None or not decision.approver.strip():
            reason = "Not decided and approved yet: nothing is shared."
        elif decision.decided_on > day:
            reason = f"Applies from {decision.decided_on}: nothing is shared before."
        else:
            reason = ""
        if reason or decided == DisclosureLevel.NONE:
            items.append(_nothing(asset.id, asset.code, decided, reason or "Decided: withheld."))
            continue
        gate = check_level(decided, cmo.agreements, day)
        if not gate.allowed:
            items.append(
                OutlookItem(
                    asset.id, asset.code, decided, DisclosureLevel.NONE, True, gate.reason, (), {}
                )
            )
            continue
        flags = cmo_flags(decision, cmo, day, window)
        due = review_due(decision, day)
        warnings = tuple(
            f.message for f in [*flags, *([due] if due else [])] if f.kind != FlagKind.BLOCKED
        )
        items.append(
            OutlookItem(
                asset.id,
                asset.code,
                decided,
                decided,
                False,
                gate.reason,
                warnings,
                disclose(asset, decided),
            )
        )
    return PackOutlook(engagement_id, cmo_id, cmo.name, day, tuple(items))


def _nothing(asset_id: int, code: str, decided: DisclosureLevel, reason: str) -> OutlookItem:
    return OutlookItem(asset_id, code, decided, DisclosureLevel.NONE, False, reason, (), {})
