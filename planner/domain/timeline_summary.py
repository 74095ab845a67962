"""What the timeline wizard's summary page and the views show: open points, read model, sharing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.domain.timeline import Milestone, MilestoneLink, Timeline
from planner.domain.timeline_rules import (
    DateConflict,
    IncompleteMilestone,
    date_conflicts,
    incomplete_milestones,
)
from planner.domain.timeline_slip import CriticalChain, critical_chains


class TimelineStep(StrEnum):
    """Pages of the "Document timeline rationale" wizard, in order; open points name their page."""

    TEMPLATE = "template"
    DATES = "dates"  # dates and owners
    RATIONALE = "rationale"  # the why and the driver
    HINGES = "hinges"  # what hinges on each
    BUFFERS = "buffers"
    CONFLICTS = "conflicts"  # conflicts and the slip explorer
    SHARE = "share"


# Which page asks for each field of the completeness check.
_STEP_OF_FIELD = {
    "date": TimelineStep.DATES,
    "owner": TimelineStep.DATES,
    "driver": TimelineStep.RATIONALE,
    "rationale": TimelineStep.RATIONALE,
}


@dataclass(frozen=True)
class OpenPoint:
    step: TimelineStep
    text: str
    milestone_id: int | None = None
    blocking: bool = True  # False: worth a look, but the timeline may be shared as it is


@dataclass(frozen=True)
class TimelineSummary:
    milestones: int
    documented: int  # date, owner, driver and rationale all present
    shared: int
    confirmed: int  # shared milestones the CMO confirmed
    incomplete: tuple[IncompleteMilestone, ...]
    conflicts: tuple[DateConflict, ...]
    open_points: tuple[OpenPoint, ...]  # in wizard order

    @property
    def complete(self) -> bool:
        return not any(p.blocking for p in self.open_points)

    def open_for(self, step: TimelineStep) -> tuple[OpenPoint, ...]:
        return tuple(p for p in self.open_points if p.step == step)


def summarise(timeline: Timeline) -> TimelineSummary:
    incomplete = tuple(incomplete_milestones(timeline))
    conflicts = tuple(date_conflicts(timeline))
    points: list[OpenPoint] = []
    if not timeline.milestones:
        points.append(
            OpenPoint(TimelineStep.TEMPLATE, "No milestones yet: start from the template.")
        )
    for item in incomplete:
        for step in dict.fromkeys(_STEP_OF_FIELD[f] for f in item.missing):
            fields = [f for f in item.missing if _STEP_OF_FIELD[f] == step]
            points.append(
                OpenPoint(
                    step, f"'{item.name}' has no {' and no '.join(fields)}.", item.milestone_id
                )
            )
    linked = {link.prerequisite_id for link in timeline.links} | {
        link.dependent_id for link in timeline.links
    }
    if len(timeline.milestones) > 1:
        points += [
            OpenPoint(
                TimelineStep.HINGES,
                f"Nothing hinges on '{m.name}' and it depends on nothing.",
                m.id,
                blocking=False,
            )
            for m in timeline.ordered()
            if m.id not in linked
        ]
    if timeline.milestones and not timeline.hard_deadlines():
        points.append(
            OpenPoint(
                TimelineStep.TEMPLATE,
                "No milestone is marked as a hard deadline (filing, launch).",
                blocking=False,
            )
        )
    points += [
        OpenPoint(TimelineStep.CONFLICTS, c.message, c.dependent_id, blocking=True)
        for c in conflicts
    ]
    shared = [m for m in timeline.milestones if m.share_with_cmo]
    if timeline.milestones and not shared:
        points.append(
            OpenPoint(TimelineStep.SHARE, "No milestone is marked to share with the CMO.")
        )
    points += [
        OpenPoint(
            TimelineStep.SHARE,
            f"'{m.name}' is shared but the CMO has not confirmed it yet.",
            m.id,
            blocking=False,
        )
        for m in timeline.ordered()
        if m.share_with_cmo and not m.cmo_confirmed
    ]
    order = list(TimelineStep)
    points.sort(key=lambda p: order.index(p.step))
    return TimelineSummary(
        milestones=len(timeline.milestones),
        documented=len(timeline.milestones) - len(incomplete),
        shared=len(shared),
        confirmed=sum(1 for m in shared if m.cmo_confirmed),
        incomplete=incomplete,
        conflicts=conflicts,
        open_points=tuple(points),
    )


@dataclass(frozen=True)
class TimelineView:
    """Everything a timeline view or `planner timeline` shows, computed once."""

    engagement_id: int
    engagement_title: str
    program: str
    version: int
    milestones: tuple[Milestone, ...]  # by planned date, undated last
    links: tuple[MilestoneLink, ...]
    conflicts: tuple[DateConflict, ...]
    critical_chains: tuple[CriticalChain, ...]
    summary: TimelineSummary

    @property
    def timeline(self) -> Timeline:
        return Timeline(list(self.milestones), list(self.links), self.engagement_id, self.version)


def view_of(timeline: Timeline, engagement_title: str = "", program: str = "") -> TimelineView:
    assert timeline.engagement_id is not None
    summary = summarise(timeline)
    return TimelineView(
        engagement_id=timeline.engagement_id,
        engagement_title=engagement_title,
        program=program,
        version=timeline.version,
        milestones=tuple(timeline.ordered()),
        links=tuple(timeline.links),
        conflicts=summary.conflicts,
        critical_chains=tuple(critical_chains(timeline)),
        summary=summary,
    )


@dataclass(frozen=True)
class SharedMilestone:
    """A milestone as a pack may show it: what hinges on it names shared milestones only."""

    milestone: Milestone
    hinges_on_it: tuple[tuple[str, int], ...]  # (dependent name, minimum lead days)
    depends_on: tuple[tuple[str, int], ...]  # (prerequisite name, minimum lead days)


def shared_milestones(timeline: Timeline) -> list[SharedMilestone]:
    by_id = timeline.by_id()
    shared = {m.id for m in timeline.milestones if m.share_with_cmo and m.id is not None}
    found = []
    for m in timeline.ordered():
        if m.id not in shared:
            continue
        assert m.id is not None
        after = timeline.dependents_of(m.id)
        before = timeline.prerequisites_of(m.id)
        found.append(
            SharedMilestone(
                m,
                tuple(
                    (by_id[k.dependent_id].name, k.min_lead_days)
                    for k in after
                    if k.dependent_id in shared
                ),
                tuple(
                    (by_id[k.prerequisite_id].name, k.min_lead_days)
                    for k in before
                    if k.prerequisite_id in shared
                ),
            )
        )
    return found
