"""`planner timeline … --json`: the timeline read model and slip results as plain JSON values.

Dates are ISO strings, enums their stored values, absent values null. Keys are stable: scripts
read them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.domain.timeline import Milestone, Timeline
from planner.domain.timeline_rules import DateConflict, missing_fields
from planner.domain.timeline_slip import CriticalChain, DeadlineRoom, SlipEffect, SlipPropagation
from planner.domain.timeline_summary import OpenPoint, TimelineView


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def milestone_json(m: Milestone, timeline: Timeline | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": m.id,
        "name": m.name,
        "planned_date": _day(m.planned_date),
        "owner": m.owner.value if m.owner else None,
        "driver": m.driver.value if m.driver else None,
        "rationale": m.rationale,
        "external_consequences": m.external_consequences,
        "slip_impact": m.slip_impact,
        "buffer_days": m.buffer_days,
        "hard_deadline": m.hard_deadline,
        "share_with_cmo": m.share_with_cmo,
        "cmo_confirmed_on": _day(m.cmo_confirmed_on),
        "cmo_confirmed_by": m.cmo_confirmed_by or None,
        "template_key": m.template_key or None,
        "missing": list(missing_fields(m)),
    }
    if timeline is not None and m.id is not None:
        names = {x.id: x.name for x in timeline.milestones}
        data["depends_on"] = [
            {
                "id": k.prerequisite_id,
                "name": names[k.prerequisite_id],
                "min_lead_days": k.min_lead_days,
            }
            for k in timeline.prerequisites_of(m.id)
        ]
        data["hinges_on_it"] = [
            {"id": k.dependent_id, "name": names[k.dependent_id], "min_lead_days": k.min_lead_days}
            for k in timeline.dependents_of(m.id)
        ]
    return data


def conflict_json(c: DateConflict) -> dict[str, Any]:
    return {
        "prerequisite": {"id": c.prerequisite_id, "name": c.prerequisite_name},
        "dependent": {"id": c.dependent_id, "name": c.dependent_name},
        "prerequisite_date": _day(c.prerequisite_date),
        "dependent_date": _day(c.dependent_date),
        "min_lead_days": c.min_lead_days,
        "earliest_date": _day(c.earliest_date),
        "short_by_days": c.short_by_days,
        "message": c.message,
    }


def chain_json(chain: CriticalChain) -> dict[str, Any]:
    return {
        "deadline": {"id": chain.deadline_id, "name": chain.deadline_name},
        "float_days": chain.float_days,
        "steps": [
            {
                "id": s.milestone_id,
                "name": s.name,
                "planned_date": _day(s.planned_date),
                "float_days": s.float_days,
                "buffer_days": s.buffer_days,
                "lead_to_next": s.lead_to_next,
                "slack_to_next": s.slack_to_next,
            }
            for s in chain.steps
        ],
    }


def open_point_json(p: OpenPoint) -> dict[str, Any]:
    return {
        "step": p.step.value,
        "milestone_id": p.milestone_id,
        "text": p.text,
        "blocking": p.blocking,
    }


def view_json(view: TimelineView) -> dict[str, Any]:
    timeline = view.timeline
    summary = view.summary
    return {
        "engagement": {
            "id": view.engagement_id,
            "title": view.engagement_title,
            "program": view.program,
        },
        "timeline_version": view.version,
        "milestones": [milestone_json(m, timeline) for m in view.milestones],
        "conflicts": [conflict_json(c) for c in view.conflicts],
        "critical_chains": [chain_json(c) for c in view.critical_chains],
        "summary": {
            "milestones": summary.milestones,
            "documented": summary.documented,
            "shared": summary.shared,
            "confirmed": summary.confirmed,
            "complete": summary.complete,
            "open": [open_point_json(p) for p in summary.open_points],
        },
    }


def _effect_json(e: SlipEffect) -> dict[str, Any]:
    return {
        "id": e.milestone_id,
        "name": e.name,
        "planned_date": _day(e.planned_date),
        "new_date": _day(e.new_date),
        "days": e.days,
        "push_days": e.push_days,
        "slack_used": e.slack_used,
        "buffer_used": e.buffer_used,
        "buffer_left": e.buffer_left,
        "via": e.via_id,
        "hard_deadline": e.hard_deadline,
    }


def slip_json(result: SlipPropagation, room: list[DeadlineRoom] | None = None) -> dict[str, Any]:
    """`moves` lists what moves (the slipping milestone first); `absorbed` what slack or buffer
    held; `room_before_deadlines` how far the milestone could slip before each deadline moves."""
    data: dict[str, Any] = {
        "milestone": {"id": result.source_id, "name": result.source_name},
        "slip_days": result.slip_days,
        "moves": [_effect_json(e) for e in result.moves],
        "absorbed": [_effect_json(e) for e in result.absorbed],
        "hard_deadlines_moved": [
            {"id": e.milestone_id, "name": e.name, "days": e.days}
            for e in result.hard_deadlines_moved
        ],
        "moves_hard_deadline": result.moves_hard_deadline,
        "summary": result.sentence,
    }
    if room is not None:
        data["room_before_deadlines"] = [
            {"id": r.deadline_id, "name": r.deadline_name, "float_days": r.float_days} for r in room
        ]
    return data
