"""Slip propagation and critical chains: worked examples with the arithmetic, then properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.timeline import Milestone, MilestoneLink, Timeline, TimelineRuleError
from planner.domain.timeline_rules import date_conflicts
from planner.domain.timeline_slip import (
    critical_chain,
    critical_chains,
    float_to,
    propagate_slip,
    room_before_deadlines,
)

START = date(2027, 1, 1)


def build(
    spec: list[tuple[str, int | None, int]],
    links: list[tuple[int, int, int]],
    hard: tuple[int, ...] = (),
) -> Timeline:
    """spec: (name, days after START or None, buffer days); ids are 1, 2, … in spec order."""
    milestones = [
        Milestone(
            name,
            planned_date=None if day is None else START + timedelta(days=day),
            buffer_days=buffer,
            hard_deadline=i in hard,
            position=i,
            id=i,
        )
        for i, (name, day, buffer) in enumerate(spec, start=1)
    ]
    return Timeline(milestones, [MilestoneLink(*k) for k in links], engagement_id=1)


def moves(timeline: Timeline, source: int, days: int) -> dict[str, int]:
    return {e.name: e.days for e in propagate_slip(timeline, source, days).moves}


def test_without_slack_or_buffer_the_whole_chain_moves_by_the_slip() -> None:
    # A day 0 →(10) B day 10 →(20) C day 30: no slack anywhere, so 5 days late is 5 days late.
    timeline = build([("A", 0, 0), ("B", 10, 0), ("C", 30, 0)], [(1, 2, 10), (2, 3, 20)])
    assert moves(timeline, 1, 5) == {"A": 5, "B": 5, "C": 5}


def test_slack_between_dates_absorbs_first() -> None:
    # B is planned on day 15 but needs only A + 10: 5 days of slack. C = B + 20 exactly: none.
    # A slips 12: B moves 12 − 5 = 7, and C takes all 7 because it has no slack.
    timeline = build([("A", 0, 0), ("B", 15, 0), ("C", 35, 0)], [(1, 2, 10), (2, 3, 20)])
    result = propagate_slip(timeline, 1, 12)
    assert moves(timeline, 1, 12) == {"A": 12, "B": 7, "C": 7}
    b = result.effects[1]
    assert (b.push_days, b.slack_used, b.buffer_used, b.via_id) == (7, 5, 0, 1)
    assert b.new_date == START + timedelta(days=22)


def test_buffer_absorbs_after_slack_worked_example() -> None:
    # Tech-transfer package 15 Jan; engineering batch 15 Mar, 45-day lead, 10-day buffer;
    # PPQ protocol 14 Apr = batch + 30 exactly. Slack on package → batch: 59 − 45 = 14 days.
    # Package slips 30: push to the batch 30 − 14 = 16, its buffer takes 10, batch moves 6
    # (to 21 Mar); the protocol has no slack or buffer and moves the same 6.
    timeline = Timeline(
        [
            Milestone("Tech-transfer package", date(2027, 1, 15), id=1, position=1),
            Milestone("Engineering batch", date(2027, 3, 15), buffer_days=10, id=2, position=2),
            Milestone("PPQ protocol", date(2027, 4, 14), id=3, position=3),
        ],
        [MilestoneLink(1, 2, 45), MilestoneLink(2, 3, 30)],
        engagement_id=1,
    )
    result = propagate_slip(timeline, 1, 30)
    batch = result.effects[1]
    assert (batch.push_days, batch.slack_used, batch.buffer_used, batch.days) == (16, 14, 10, 6)
    assert batch.new_date == date(2027, 3, 21)
    assert batch.buffer_left == 0
    assert result.days_for(3) == 6
    # A slip of 24 is held completely: 24 − 14 slack = 10, all of it buffer.
    held = propagate_slip(timeline, 1, 24)
    assert [e.name for e in held.moves] == ["Tech-transfer package"]
    assert [e.name for e in held.absorbed] == ["Engineering batch"]


def test_a_milestones_own_buffer_does_not_absorb_its_own_slip() -> None:
    # The buffer protects against late prerequisites; B itself being late is B moving.
    timeline = build([("A", 0, 0), ("B", 10, 20)], [(1, 2, 10)])
    assert moves(timeline, 2, 7) == {"B": 7}
    assert moves(timeline, 1, 7) == {"A": 7}  # reaches B, whose 20-day buffer takes all 7


def test_the_largest_push_of_several_prerequisites_drives() -> None:
    # S day 0 → A day 10 (lead 10, slack 0) and → B day 18 (lead 10, slack 8); both → D day 30
    # with lead 20 from A (slack 0) and lead 5 from B (slack 7).
    # S slips 10: A moves 10, B 10 − 8 = 2; D gets max(10 − 0, 2 − 7 → 0) = 10 via A.
    timeline = build(
        [("S", 0, 0), ("A", 10, 0), ("B", 18, 0), ("D", 30, 0)],
        [(1, 2, 10), (1, 3, 10), (2, 4, 20), (3, 4, 5)],
    )
    result = propagate_slip(timeline, 1, 10)
    assert moves(timeline, 1, 10) == {"S": 10, "A": 10, "B": 2, "D": 10}
    assert result.effects[-1].via_id == 2


def test_missing_dates_give_no_slack_and_no_new_date() -> None:
    timeline = build([("A", 0, 0), ("B", None, 0), ("C", 100, 0)], [(1, 2, 10), (2, 3, 10)])
    result = propagate_slip(timeline, 1, 4)
    undated = result.effects[1]
    assert (undated.days, undated.new_date) == (4, None)
    # C: B has no date, so the B → C link has no slack either: C moves the full 4.
    assert result.days_for(3) == 4


def test_an_existing_conflict_does_not_add_to_the_slip() -> None:
    # B on day 5 but needs A + 10: already 5 days short. A slipping 3 moves B 3, not 8.
    timeline = build([("A", 0, 0), ("B", 5, 0)], [(1, 2, 10)])
    assert moves(timeline, 1, 3) == {"A": 3, "B": 3}


def test_slip_of_zero_moves_nothing_and_negative_is_refused() -> None:
    timeline = build([("A", 0, 0), ("B", 10, 0)], [(1, 2, 10)])
    assert propagate_slip(timeline, 1, 0).moves == ()
    with pytest.raises(TimelineRuleError):
        propagate_slip(timeline, 1, -1)


def test_hard_deadline_moves_are_reported() -> None:
    # Filing day 60 needs report + 30; report day 20 → slack 10. Report slips 25: filing +15.
    timeline = build([("Report", 20, 0), ("Filing", 60, 0)], [(1, 2, 30)], hard=(2,))
    result = propagate_slip(timeline, 1, 25)
    assert result.moves_hard_deadline
    assert [(e.name, e.days) for e in result.hard_deadlines_moved] == [("Filing", 15)]
    assert "'Filing' by 15 days" in result.sentence
    assert not propagate_slip(timeline, 1, 10).moves_hard_deadline


def critical_example() -> Timeline:
    # A day 0 →(10) B day 15 →(20) H day 40: slack 5 + 5, no buffers: float 10 via B.
    # A day 0 →(5) C day 5 →(30) H: slack 0, C's buffer 3, slack 5: float 8 via C.
    # X day 0 →(25) H: slack 15: float 15.
    # The least room is A → C → H with 8 days.
    return build(
        [("A", 0, 0), ("B", 15, 0), ("C", 5, 3), ("X", 0, 0), ("H", 40, 0)],
        [(1, 2, 10), (2, 5, 20), (1, 3, 5), (3, 5, 30), (4, 5, 25)],
        hard=(5,),
    )


def test_critical_chain_is_the_chain_with_the_least_float() -> None:
    timeline = critical_example()
    chain = critical_chain(timeline, 5)
    assert [s.name for s in chain.steps] == ["A", "C", "H"]
    assert chain.float_days == 8
    assert [s.float_days for s in chain.steps] == [8, 5, 0]  # C: slack 5 to H
    assert [(s.lead_to_next, s.slack_to_next) for s in chain.steps] == [
        (5, 0),
        (30, 5),
        (None, None),
    ]
    assert float_to(timeline, 5) == {5: 0, 2: 5, 3: 5, 4: 15, 1: 8}


def test_float_is_exactly_what_a_milestone_may_slip_before_the_deadline_moves() -> None:
    timeline = critical_example()
    assert propagate_slip(timeline, 1, 8).days_for(5) == 0
    assert propagate_slip(timeline, 1, 9).days_for(5) == 1
    rooms = room_before_deadlines(timeline, 1)
    assert [(r.deadline_name, r.float_days) for r in rooms] == [("H", 8)]


def test_deadline_without_prerequisites_is_its_own_chain() -> None:
    timeline = build([("Launch", 10, 0), ("Other", 0, 0)], [], hard=(1,))
    [chain] = critical_chains(timeline)
    assert [s.name for s in chain.steps] == ["Launch"] and chain.float_days == 0
    assert room_before_deadlines(timeline, 2) == []


@st.composite
def timelines(draw) -> Timeline:
    """Random DAGs: links only go from a lower to a higher id, so none has a cycle."""
    n = draw(st.integers(1, 8))
    spec = [
        (f"M{i}", draw(st.one_of(st.none(), st.integers(0, 400))), draw(st.integers(0, 30)))
        for i in range(1, n + 1)
    ]
    pairs = [(a, b) for a in range(1, n + 1) for b in range(a + 1, n + 1)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    links = [(a, b, draw(st.integers(0, 60))) for a, b in chosen]
    hard = tuple(i for i in range(1, n + 1) if draw(st.booleans()))
    return build(spec, links, hard)


@settings(max_examples=200, deadline=None)
@given(timelines(), st.data())
def test_a_slip_moves_later_never_more_than_itself_and_zero_moves_nothing(
    timeline: Timeline, data
) -> None:
    source = data.draw(st.sampled_from([m.id for m in timeline.milestones]))
    days = data.draw(st.integers(0, 120))
    result = propagate_slip(timeline, source, days)
    assert all(0 <= e.days <= days for e in result.effects)
    assert result.effects[0].milestone_id == source and result.effects[0].days == days
    assert propagate_slip(timeline, source, 0).moves == ()
    more = propagate_slip(timeline, source, days + 7)
    assert all(more.days_for(e.milestone_id) >= e.days for e in result.effects)


@settings(max_examples=200, deadline=None)
@given(timelines(), st.data())
def test_moved_dates_still_respect_every_lead_once_buffers_are_spent(
    timeline: Timeline, data
) -> None:
    source = data.draw(st.sampled_from([m.id for m in timeline.milestones]))
    days = data.draw(st.integers(0, 120))
    result = propagate_slip(timeline, source, days)
    conflicted = {(c.prerequisite_id, c.dependent_id) for c in date_conflicts(timeline)}
    by_id = timeline.by_id()
    for link in timeline.links:
        before, after = by_id[link.prerequisite_id], by_id[link.dependent_id]
        if before.planned_date is None or after.planned_date is None:
            continue
        if (link.prerequisite_id, link.dependent_id) in conflicted:
            continue
        new_before = before.planned_date + timedelta(days=result.days_for(before.id))
        new_after = after.planned_date + timedelta(days=result.days_for(after.id))
        assert new_after + timedelta(days=after.buffer_days) >= new_before + timedelta(
            days=link.min_lead_days
        )


@settings(max_examples=200, deadline=None)
@given(timelines(), st.data())
def test_deadline_moves_by_the_slip_beyond_its_float(timeline: Timeline, data) -> None:
    deadlines = timeline.hard_deadlines()
    if not deadlines:
        return
    deadline = data.draw(st.sampled_from(deadlines))
    floats = float_to(timeline, deadline.id)
    source = data.draw(st.sampled_from(sorted(floats)))
    days = data.draw(st.integers(0, 200))
    moved = propagate_slip(timeline, source, days).days_for(deadline.id)
    assert moved == max(0, days - floats[source])
    chain = critical_chain(timeline, deadline.id)
    assert chain.steps[-1].milestone_id == deadline.id
    assert chain.float_days == min(floats[m] for m in floats if not timeline.prerequisites_of(m))
