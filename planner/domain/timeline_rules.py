"""Rules over a whole timeline: no cycles, date order, completeness.

Date-order problems are reported, never fixed silently: the user decides which date is wrong.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.timeline import CycleError, Milestone, MilestoneLink, Timeline
from planner.domain.wording import plural

# What the completeness check asks of every milestone, in the order the wizard asks for it.
REQUIRED_FIELDS = ("date", "owner", "driver", "rationale")


def _name(timeline: Timeline, milestone_id: int) -> str:
    found = timeline.by_id().get(milestone_id)
    return found.name if found else f"#{milestone_id}"


def path_between(timeline: Timeline, start_id: int, goal_id: int) -> list[int] | None:
    """Shortest chain of links start → … → goal (as milestone ids), or None when goal is not downstream."""
    if start_id == goal_id:
        return [start_id]
    came_from: dict[int, int] = {start_id: start_id}
    queue = deque([start_id])
    while queue:
        current = queue.popleft()
        for link in timeline.dependents_of(current):
            nxt = link.dependent_id
            if nxt in came_from:
                continue
            came_from[nxt] = current
            if nxt == goal_id:
                path = [nxt]
                while path[-1] != start_id:
                    path.append(came_from[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None


def check_new_link(timeline: Timeline, prerequisite_id: int, dependent_id: int) -> None:
    """Refuse a link that would close a cycle, naming the cycle (CycleError)."""
    if prerequisite_id == dependent_id:
        name = _name(timeline, prerequisite_id)
        raise CycleError(f"'{name}' cannot be its own prerequisite.", (prerequisite_id,) * 2)
    back = path_between(timeline, dependent_id, prerequisite_id)
    if back is None:
        return
    cycle = (prerequisite_id, *back)
    names = " → ".join(_name(timeline, mid) for mid in cycle)
    raise CycleError(
        f"'{_name(timeline, dependent_id)}' cannot depend on '{_name(timeline, prerequisite_id)}': "
        f"that would close the cycle {names}.",
        cycle,
    )


def topological_order(timeline: Timeline) -> list[int]:
    """Every milestone after all its prerequisites; ties by order of entry. CycleError on a cycle."""
    by_id = timeline.by_id()
    waiting = {mid: 0 for mid in by_id}
    for link in timeline.links:
        waiting[link.dependent_id] += 1
    ready = [(by_id[mid].position, mid) for mid, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, mid = heapq.heappop(ready)
        order.append(mid)
        for link in timeline.dependents_of(mid):
            waiting[link.dependent_id] -= 1
            if waiting[link.dependent_id] == 0:
                heapq.heappush(ready, (by_id[link.dependent_id].position, link.dependent_id))
    if len(order) < len(by_id):
        stuck = sorted(set(by_id) - set(order))
        names = ", ".join(_name(timeline, mid) for mid in stuck)
        raise CycleError(
            f"These milestones depend on each other in a circle: {names}.", tuple(stuck)
        )
    return order


def link_slack(timeline: Timeline, link: MilestoneLink) -> int:
    """Days the dependent is planned later than the link requires.

    0 when either date is missing (nothing to spare is the safe assumption) and when the dates
    are in conflict (a conflict is reported on its own; it does not add to a slip).
    """
    by_id = timeline.by_id()
    before = by_id[link.prerequisite_id].planned_date
    after = by_id[link.dependent_id].planned_date
    if before is None or after is None:
        return 0
    return max(0, (after - before).days - link.min_lead_days)


@dataclass(frozen=True)
class DateConflict:
    """The dependent is planned before its prerequisite's date plus the lead time."""

    prerequisite_id: int
    prerequisite_name: str
    prerequisite_date: date
    dependent_id: int
    dependent_name: str
    dependent_date: date
    min_lead_days: int

    @property
    def earliest_date(self) -> date:
        return self.prerequisite_date + timedelta(days=self.min_lead_days)

    @property
    def short_by_days(self) -> int:
        return (self.earliest_date - self.dependent_date).days

    @property
    def message(self) -> str:
        return (
            f"'{self.dependent_name}' is planned on {self.dependent_date.isoformat()}, "
            f"{plural(self.short_by_days, 'day')} before '{self.prerequisite_name}' "
            f"({self.prerequisite_date.isoformat()}) plus its {self.min_lead_days}-day lead time "
            f"allows ({self.earliest_date.isoformat()})."
        )


def date_conflicts(timeline: Timeline) -> list[DateConflict]:
    by_id = timeline.by_id()
    found = []
    for link in timeline.links:
        before, after = by_id[link.prerequisite_id], by_id[link.dependent_id]
        if before.planned_date is None or after.planned_date is None:
            continue
        if after.planned_date < before.planned_date + timedelta(days=link.min_lead_days):
            found.append(
                DateConflict(
                    link.prerequisite_id,
                    before.name,
                    before.planned_date,
                    link.dependent_id,
                    after.name,
                    after.planned_date,
                    link.min_lead_days,
                )
            )
    return sorted(found, key=lambda c: (c.dependent_date, c.dependent_name))


def missing_fields(milestone: Milestone) -> tuple[str, ...]:
    """Which of REQUIRED_FIELDS the milestone lacks; () when it is documented."""
    present = {
        "date": milestone.planned_date is not None,
        "owner": milestone.owner is not None,
        "driver": milestone.driver is not None,
        "rationale": bool(milestone.rationale.strip()),
    }
    return tuple(f for f in REQUIRED_FIELDS if not present[f])


@dataclass(frozen=True)
class IncompleteMilestone:
    milestone_id: int
    name: str
    missing: tuple[str, ...]  # subset of REQUIRED_FIELDS, in that order


def incomplete_milestones(timeline: Timeline) -> list[IncompleteMilestone]:
    return [
        IncompleteMilestone(m.id, m.name, missing)
        for m in timeline.ordered()
        if m.id is not None and (missing := missing_fields(m))
    ]
