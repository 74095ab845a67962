"""What moves when a milestone slips, and the critical chain to each hard deadline.

Semantics (all in calendar days):

- The slipping milestone moves by the full slip N: its own buffer protects it against lateness
  *arriving* from its prerequisites, not against its own lateness.
- Slip arriving over a link A → D is first absorbed by the link's slack, the days D is planned
  later than A's date plus the lead time: slack = D − (A + lead), taken as 0 when a date is
  missing or the two are already in conflict. The push reaching D is max(0, move(A) − slack).
- D takes the largest push of all its prerequisites (one late prerequisite is enough), then its
  own buffer absorbs up to buffer_days of it: move(D) = max(0, max push − buffer_days(D)).

Worked example: tech-transfer package 15 Jan, engineering batch 15 Mar with a 45-day lead and
a 10-day buffer. Slack = 59 days between the dates − 45 = 14. The package slips 30 days: the push
reaching the batch is 30 − 14 = 16 days, the buffer takes 10 of them, so the batch moves 6 days
(to 21 Mar) and passes 6 days on to its own dependents.

Because every step only subtracts, a milestone never moves earlier and never by more than N,
and the deadline moves by max(0, N − float) where float is the least, over all chains from the
slipping milestone to the deadline, of the slack on the chain's links plus the buffers of the
milestones after the first. The critical chain to a deadline is the chain from a milestone
without prerequisites that has the least float: the one that leaves the least room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.timeline import Milestone, Timeline, TimelineRuleError
from planner.domain.timeline_rules import link_slack, topological_order
from planner.domain.wording import plural


@dataclass(frozen=True)
class SlipEffect:
    """How a slip reaches one milestone. days == 0 means slack and buffer absorbed it."""

    milestone_id: int
    name: str
    planned_date: date | None
    days: int  # how far it moves, 0 ≤ days ≤ the slip
    push_days: int  # what reached it after the slack of the driving link, before its buffer
    slack_used: int  # slack consumed on the driving link
    buffer_used: int  # of this milestone's own buffer
    buffer_left: int
    via_id: int | None  # the prerequisite whose push drives it; None for the slipping milestone
    hard_deadline: bool

    @property
    def new_date(self) -> date | None:
        if self.planned_date is None:
            return None
        return self.planned_date + timedelta(days=self.days)

    @property
    def moves(self) -> bool:
        return self.days > 0


@dataclass(frozen=True)
class SlipPropagation:
    source_id: int
    source_name: str
    slip_days: int
    # The slipping milestone first, then every milestone the slip reached, in dependency order.
    effects: tuple[SlipEffect, ...]

    @property
    def moves(self) -> tuple[SlipEffect, ...]:
        return tuple(e for e in self.effects if e.moves)

    @property
    def absorbed(self) -> tuple[SlipEffect, ...]:
        """Reached but held by slack or buffer: where the plan's contingency did its job."""
        return tuple(e for e in self.effects if not e.moves and e.via_id is not None)

    @property
    def hard_deadlines_moved(self) -> tuple[SlipEffect, ...]:
        return tuple(e for e in self.moves if e.hard_deadline)

    @property
    def moves_hard_deadline(self) -> bool:
        return bool(self.hard_deadlines_moved)

    def days_for(self, milestone_id: int) -> int:
        for effect in self.effects:
            if effect.milestone_id == milestone_id:
                return effect.days
        return 0

    @property
    def sentence(self) -> str:
        moved = len(self.moves) - (1 if self.slip_days else 0)
        text = (
            f"If '{self.source_name}' slips {plural(self.slip_days, 'day')}, "
            f"{plural(moved, 'other milestone')} {'moves' if moved == 1 else 'move'}"
        )
        if self.hard_deadlines_moved:
            hits = ", ".join(
                f"'{e.name}' by {plural(e.days, 'day')}" for e in self.hard_deadlines_moved
            )
            one = len(self.hard_deadlines_moved) == 1
            return f"{text}; {'a hard deadline moves' if one else 'hard deadlines move'}: {hits}."
        return f"{text}; no hard deadline moves."


def propagate_slip(timeline: Timeline, milestone_id: int, slip_days: int) -> SlipPropagation:
    if slip_days < 0:
        raise TimelineRuleError("A slip is a number of days late, 0 or more.")
    by_id = timeline.by_id()
    source = by_id[milestone_id]
    moved = {milestone_id: slip_days}
    effects = [_effect(source, slip_days, slip_days, 0, 0, None)]
    for mid in topological_order(timeline):
        if mid in moved:
            continue
        arriving = [
            (moved[link.prerequisite_id], link_slack(timeline, link), link.prerequisite_id)
            for link in timeline.prerequisites_of(mid)
            if moved.get(link.prerequisite_id, 0) > 0
        ]
        if not arriving:
            continue
        # The largest push drives; on a tie, the one with less slack explains it best.
        move_in, slack, via = max(arriving, key=lambda a: (a[0] - a[1], -a[1]))
        push = max(0, move_in - slack)
        milestone = by_id[mid]
        buffer_used = min(milestone.buffer_days, push)
        days = push - buffer_used
        moved[mid] = days
        effects.append(_effect(milestone, days, push, min(move_in, slack), buffer_used, via))
    return SlipPropagation(milestone_id, source.name, slip_days, tuple(effects))


def _effect(
    m: Milestone, days: int, push: int, slack_used: int, buffer_used: int, via: int | None
) -> SlipEffect:
    assert m.id is not None
    return SlipEffect(
        milestone_id=m.id,
        name=m.name,
        planned_date=m.planned_date,
        days=days,
        push_days=push,
        slack_used=slack_used,
        buffer_used=buffer_used,
        buffer_left=m.buffer_days - buffer_used,
        via_id=via,
        hard_deadline=m.hard_deadline,
    )


def float_to(timeline: Timeline, deadline_id: int) -> dict[int, int]:
    """For the deadline and every milestone it depends on (directly or not): how many days that
    milestone can slip before the deadline moves. The deadline itself has 0."""
    by_id = timeline.by_id()
    floats = {deadline_id: 0}
    for mid in reversed(topological_order(timeline)):
        options = [
            link_slack(timeline, link)
            + by_id[link.dependent_id].buffer_days
            + floats[link.dependent_id]
            for link in timeline.dependents_of(mid)
            if link.dependent_id in floats
        ]
        if options and mid != deadline_id:
            floats[mid] = min(options)
    return floats


@dataclass(frozen=True)
class ChainStep:
    milestone_id: int
    name: str
    planned_date: date | None
    float_days: int  # slip this milestone can take before the deadline moves
    buffer_days: int
    lead_to_next: int | None  # None on the deadline itself
    slack_to_next: int | None


@dataclass(frozen=True)
class CriticalChain:
    """The chain of prerequisites to a hard deadline that leaves the least room for slips."""

    deadline_id: int
    deadline_name: str
    steps: tuple[ChainStep, ...]  # from a milestone without prerequisites to the deadline

    @property
    def float_days(self) -> int:
        """Any milestone at the head of the chain slipping more than this moves the deadline."""
        return self.steps[0].float_days

    @property
    def milestone_ids(self) -> tuple[int, ...]:
        return tuple(s.milestone_id for s in self.steps)


def critical_chain(timeline: Timeline, deadline_id: int) -> CriticalChain:
    by_id = timeline.by_id()
    floats = float_to(timeline, deadline_id)

    def rank(mid: int) -> tuple[int, bool, date, int]:
        m = by_id[mid]
        return (floats[mid], m.planned_date is None, m.planned_date or date.max, m.position)

    heads = [mid for mid in floats if not timeline.prerequisites_of(mid)]
    current = min(heads, key=rank)
    steps: list[ChainStep] = []
    while current != deadline_id:
        # Follow the link that realises the float; a tie goes to the earlier milestone.
        link = min(
            (
                link
                for link in timeline.dependents_of(current)
                if link.dependent_id in floats
                and link_slack(timeline, link)
                + by_id[link.dependent_id].buffer_days
                + floats[link.dependent_id]
                == floats[current]
            ),
            key=lambda link: rank(link.dependent_id),
        )
        steps.append(_step(by_id[current], floats, link.min_lead_days, link_slack(timeline, link)))
        current = link.dependent_id
    steps.append(_step(by_id[deadline_id], floats, None, None))
    return CriticalChain(deadline_id, by_id[deadline_id].name, tuple(steps))


def _step(m: Milestone, floats: dict[int, int], lead: int | None, slack: int | None) -> ChainStep:
    assert m.id is not None
    return ChainStep(m.id, m.name, m.planned_date, floats[m.id], m.buffer_days, lead, slack)


def critical_chains(timeline: Timeline) -> list[CriticalChain]:
    return [critical_chain(timeline, m.id) for m in timeline.hard_deadlines() if m.id is not None]


@dataclass(frozen=True)
class DeadlineRoom:
    deadline_id: int
    deadline_name: str
    float_days: int  # the milestone may slip this much before the deadline moves


def room_before_deadlines(timeline: Timeline, milestone_id: int) -> list[DeadlineRoom]:
    """For each hard deadline that depends on the milestone (or is it): how much it may slip."""
    found = []
    for deadline in timeline.hard_deadlines():
        assert deadline.id is not None
        floats = float_to(timeline, deadline.id)
        if milestone_id in floats:
            found.append(DeadlineRoom(deadline.id, deadline.name, floats[milestone_id]))
    return found
