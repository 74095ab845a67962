"""Milestone rows to domain objects and back, plus the bookkeeping every timeline change does."""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from planner.domain.names import fold
from planner.domain.timeline import (
    Milestone,
    MilestoneDriver,
    MilestoneLink,
    MilestoneOwner,
    Timeline,
    TimelineRuleError,
    check_milestone,
)
from planner.domain.timeline_template import MilestoneTemplate
from planner.resource_files import resource
from planner.services import changelog
from planner.services.errors import NotFound
from planner.store.models import EngagementRow, MilestoneLinkRow, MilestoneRow

# Copied one to one between Milestone and MilestoneRow (enums are handled on their own).
SCALAR_FIELDS = (
    "name",
    "planned_date",
    "rationale",
    "external_consequences",
    "slip_impact",
    "buffer_days",
    "hard_deadline",
    "share_with_cmo",
    "cmo_confirmed_on",
    "cmo_confirmed_by",
    "template_key",
    "position",
)
# What a user may change through TimelineService.update_milestone.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "planned_date",
        "owner",
        "driver",
        "rationale",
        "external_consequences",
        "slip_impact",
        "buffer_days",
        "hard_deadline",
        "share_with_cmo",
        "cmo_confirmed_on",
        "cmo_confirmed_by",
    }
)


@lru_cache(maxsize=4)
def load_template(path: Path | None = None) -> MilestoneTemplate:
    source = path or resource("timeline", "milestone_template.json")
    return MilestoneTemplate.from_dict(json.loads(source.read_text(encoding="utf-8")))


def to_domain(row: MilestoneRow) -> Milestone:
    return Milestone(
        **{f: getattr(row, f) for f in SCALAR_FIELDS},
        owner=MilestoneOwner(row.owner) if row.owner else None,
        driver=MilestoneDriver(row.driver) if row.driver else None,
        id=row.id,
    )


def apply_to_row(milestone: Milestone, row: MilestoneRow) -> None:
    for f in SCALAR_FIELDS:
        value = getattr(milestone, f)
        setattr(row, f, value.strip() if isinstance(value, str) else value)
    row.owner = milestone.owner.value if milestone.owner else ""
    row.driver = milestone.driver.value if milestone.driver else ""


def normalise(milestone: Milestone) -> None:
    """Trim text and coerce enum values given as strings, then check the milestone's own rules."""
    for f in ("name", "rationale", "external_consequences", "slip_impact", "cmo_confirmed_by"):
        setattr(milestone, f, getattr(milestone, f).strip())
    try:
        if milestone.owner is not None:
            milestone.owner = MilestoneOwner(milestone.owner)
        if milestone.driver is not None:
            milestone.driver = MilestoneDriver(milestone.driver)
    except ValueError as exc:
        raise TimelineRuleError(f"'{milestone.name}': {exc}.") from exc
    check_milestone(milestone)


def snapshot(milestone: Milestone) -> dict:
    data = asdict(milestone)
    for key in ("id", "position"):
        data.pop(key, None)
    # Plain strings in the change log's JSON, whatever the enum.
    data["owner"] = milestone.owner.value if milestone.owner else None
    data["driver"] = milestone.driver.value if milestone.driver else None
    return data


def load_engagement(s: Session, engagement_id: int) -> EngagementRow:
    row = s.get(EngagementRow, engagement_id)
    if row is None:
        raise NotFound(f"There is no engagement with id {engagement_id}.")
    return row


def load_milestone(s: Session, milestone_id: int) -> MilestoneRow:
    row = s.get(MilestoneRow, milestone_id)
    if row is None:
        raise NotFound(f"There is no milestone with id {milestone_id}.")
    return row


def load_timeline(s: Session, engagement_id: int) -> Timeline:
    engagement = load_engagement(s, engagement_id)
    rows = s.scalars(
        select(MilestoneRow)
        .where(MilestoneRow.engagement_id == engagement_id)
        .order_by(MilestoneRow.position, MilestoneRow.id)
    ).all()
    ids = [r.id for r in rows]
    links = (
        s.scalars(
            select(MilestoneLinkRow)
            .where(MilestoneLinkRow.dependent_id.in_(ids))
            .order_by(MilestoneLinkRow.id)
        ).all()
        if ids
        else []
    )
    return Timeline(
        [to_domain(r) for r in rows],
        [MilestoneLink(k.prerequisite_id, k.dependent_id, k.min_lead_days) for k in links],
        engagement_id,
        engagement.timeline_version,
    )


def check_unique_name(timeline: Timeline, milestone: Milestone) -> None:
    """Names identify milestones on the command line and in packs, so they are unique per engagement."""
    key = fold(milestone.name)
    for other in timeline.milestones:
        if other.id != milestone.id and fold(other.name) == key:
            raise TimelineRuleError(f"This engagement already has a milestone '{other.name}'.")


def bump_version(s: Session, engagement_id: int) -> None:
    # An UPDATE … SET v = v + 1 rather than read-modify-write: two users of a shared store must
    # not both produce the same version.
    s.execute(
        update(EngagementRow)
        .where(EngagementRow.id == engagement_id)
        .values(timeline_version=EngagementRow.timeline_version + 1)
    )


def link_row(s: Session, prerequisite_id: int, dependent_id: int) -> MilestoneLinkRow | None:
    return s.scalars(
        select(MilestoneLinkRow).where(
            MilestoneLinkRow.prerequisite_id == prerequisite_id,
            MilestoneLinkRow.dependent_id == dependent_id,
        )
    ).first()


def record_link(
    s: Session, timeline: Timeline, link: MilestoneLink, action: str, old: int | None
) -> None:
    by_id = timeline.by_id()
    before = by_id[link.prerequisite_id].name
    after = by_id[link.dependent_id].name
    changelog.record(
        s,
        "milestone_link",
        f"{link.prerequisite_id}->{link.dependent_id}",
        action,
        {"min_lead_days": [old, None if action == "deleted" else link.min_lead_days]},
        summary=f"{before} → {after}",
    )
