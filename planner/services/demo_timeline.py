"""Demo timelines for `planner demo`: ORP-3308 fully documented, ORP-2417 with gaps and a conflict.

Each timeline is written in one transaction and only into an engagement without milestones, so
running the demo twice changes nothing and an interrupted run leaves no half timeline.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from planner.domain.timeline import (
    Milestone,
    MilestoneDriver,
    MilestoneLink,
    MilestoneOwner,
    Timeline,
    check_lead_days,
)
from planner.domain.timeline_rules import check_new_link
from planner.resource_files import resource
from planner.services import changelog
from planner.services import timeline_rows as rows
from planner.store.models import EngagementRow, MilestoneLinkRow, MilestoneRow
from planner.store.store import Store


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def milestone_from_json(item: dict, position: int) -> Milestone:
    milestone = Milestone(
        name=item["name"],
        planned_date=_day(item.get("planned_date")),
        owner=MilestoneOwner(item["owner"]) if item.get("owner") else None,
        driver=MilestoneDriver(item["driver"]) if item.get("driver") else None,
        rationale=item.get("rationale", ""),
        external_consequences=item.get("external_consequences", ""),
        slip_impact=item.get("slip_impact", ""),
        buffer_days=int(item.get("buffer_days", 0)),
        hard_deadline=bool(item.get("hard_deadline", False)),
        share_with_cmo=bool(item.get("share_with_cmo", False)),
        cmo_confirmed_on=_day(item.get("cmo_confirmed_on")),
        cmo_confirmed_by=item.get("cmo_confirmed_by", ""),
        template_key=item.get("template_key", ""),
        position=position,
    )
    rows.normalise(milestone)
    return milestone


def load_timeline_demo(store: Store, source: Path | None = None) -> int:
    """Fill the demo engagements' timelines; returns how many timelines were written (0 when the
    engagements are missing or already have milestones)."""
    data = json.loads(
        (source or resource("timeline", "demo_timelines.json")).read_text(encoding="utf-8")
    )
    written = 0
    for program, spec in data.items():
        if isinstance(spec, dict) and _write(store, program, spec):
            written += 1
    return written


def _write(store: Store, program: str, spec: dict) -> bool:
    with store.transaction() as s:
        engagement_id = s.scalars(
            select(EngagementRow.id)
            .where(EngagementRow.program == program)
            .order_by(EngagementRow.id)
        ).first()
        if engagement_id is None:
            return False
        existing = s.scalar(
            select(func.count())
            .select_from(MilestoneRow)
            .where(MilestoneRow.engagement_id == engagement_id)
        )
        if existing:
            return False
        timeline = Timeline(engagement_id=engagement_id)
        ids: dict[str, int] = {}
        for position, item in enumerate(spec["milestones"]):
            milestone = milestone_from_json(item, position)
            rows.check_unique_name(timeline, milestone)
            row = MilestoneRow(engagement_id=engagement_id)
            rows.apply_to_row(milestone, row)
            s.add(row)
            s.flush()
            milestone.id = ids[item["key"]] = row.id
            timeline.milestones.append(milestone)
            changelog.record(s, "milestone", row.id, "created", summary=f"{milestone.name} (demo)")
        for before, after, days in spec["links"]:
            check_lead_days(days)
            link = MilestoneLink(ids[before], ids[after], days)
            check_new_link(timeline, link.prerequisite_id, link.dependent_id)
            timeline.links.append(link)
            s.add(
                MilestoneLinkRow(
                    prerequisite_id=link.prerequisite_id,
                    dependent_id=link.dependent_id,
                    min_lead_days=days,
                )
            )
        rows.bump_version(s, engagement_id)
    return True
