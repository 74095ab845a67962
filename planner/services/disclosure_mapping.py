"""Rows to domain objects for disclosure decisions, and who a decision applies to.

Shared by the decision service (the wizard) and the register (queries); both run inside a session
they own, so these functions take the session and never open one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.domain.cmo import CMO
from planner.domain.disclosure_advice import SharingChecklist
from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_levels import level_of
from planner.domain.disclosure_review import DEFAULT_CDA_WINDOW_DAYS
from planner.services import cmos as cmo_rows
from planner.services.errors import NotFound
from planner.store.models import CmoRow, DisclosureDecisionRow, EngagementRow, StoreSettingRow

TEXT_FIELDS = ("rationale", "expected_benefit", "risks", "justification", "approver")
WINDOW_SETTING = "disclosure_cda_window_days"


def cda_window_days(s: Session) -> int:
    """Days before a CDA's expiry from which decisions relying on it are flagged (store-wide)."""
    row = s.get(StoreSettingRow, WINDOW_SETTING)
    return int(row.value) if row and row.value.isdigit() else DEFAULT_CDA_WINDOW_DAYS


def decision_to_domain(row: DisclosureDecisionRow, asset_code: str = "") -> DisclosureDecision:
    return DisclosureDecision(
        engagement_id=row.engagement_id,
        asset_id=row.asset_id,
        level=level_of(row.level),
        checklist=SharingChecklist.from_json(row.checklist),
        **{f: getattr(row, f) or "" for f in TEXT_FIELDS},
        decided_on=row.decided_on,
        review_date=row.review_date,
        asset_code=asset_code,
        id=row.id,
    )


def apply_decision(decision: DisclosureDecision, row: DisclosureDecisionRow) -> None:
    row.level = int(decision.level)
    row.checklist = decision.checklist.to_json()
    for f in TEXT_FIELDS:
        setattr(row, f, getattr(decision, f).strip())
    row.decided_on = decision.decided_on
    row.review_date = decision.review_date


def snapshot(decision: DisclosureDecision) -> dict[str, Any]:
    data = asdict(decision)
    for key in ("id", "asset_code", "engagement_id", "asset_id"):
        data.pop(key)
    data["level"] = int(decision.level)
    data["checklist"] = decision.checklist.to_json()
    return data


def load_engagement(s: Session, engagement_id: int) -> EngagementRow:
    row = s.get(EngagementRow, engagement_id, options=[selectinload(EngagementRow.candidates)])
    if row is None:
        raise NotFound(f"There is no engagement with id {engagement_id}.")
    return row


def load_cmos(s: Session, ids: Iterable[int]) -> dict[int, CMO]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = s.scalars(
        select(CmoRow)
        .where(CmoRow.id.in_(wanted))
        .options(selectinload(CmoRow.contacts), selectinload(CmoRow.agreements))
    )
    return {row.id: cmo_rows.to_domain(row) for row in rows}


def target_ids(engagement: EngagementRow) -> list[int]:
    """The CMOs a decision of this engagement applies to: the chosen one, else the candidates."""
    if engagement.chosen_cmo_id is not None:
        return [engagement.chosen_cmo_id]
    return sorted(c.cmo_id for c in engagement.candidates)


def targets(s: Session, engagement: EngagementRow) -> list[CMO]:
    by_id = load_cmos(s, target_ids(engagement))
    return sorted(by_id.values(), key=lambda c: c.name.lower())
