"""Cycles, date order, completeness and the summary's open points."""

from datetime import date, timedelta

import pytest

from planner.domain.timeline import (
    CycleError,
    Milestone,
    MilestoneDriver,
    MilestoneLink,
    MilestoneOwner,
    Timeline,
    TimelineRuleError,
    check_lead_days,
    check_milestone,
)
from planner.domain.timeline_rules import (
    check_new_link,
    date_conflicts,
    incomplete_milestones,
    link_slack,
    missing_fields,
    topological_order,
)
from planner.domain.timeline_summary import TimelineStep, shared_milestones, summarise

START = date(2027, 1, 4)


def documented(name: str, day: int | None, mid: int, **extra) -> Milestone:
    values = {
        "planned_date": None if day is None else START + timedelta(days=day),
        "owner": MilestoneOwner.CMO,
        "driver": MilestoneDriver.REGULATORY_FILING,
        "rationale": f"Why {name}",
        "position": mid,
        "id": mid,
    }
    values.update(extra)
    return Milestone(name, **values)


def chain(*days: int | None, leads: tuple[int, ...] = ()) -> Timeline:
    """Milestones M1..Mn (ids 1..n) on START + day, linked in a row with the given leads."""
    milestones = [documented(f"M{i}", d, i) for i, d in enumerate(days, start=1)]
    links = [MilestoneLink(i, i + 1, lead) for i, lead in enumerate(leads, start=1)]
    return Timeline(milestones, links, engagement_id=1)


def test_a_link_closing_a_cycle_is_refused_with_the_cycle_named() -> None:
    timeline = chain(0, 10, 20, leads=(5, 5))
    with pytest.raises(CycleError) as raised:
        check_new_link(timeline, 3, 1)
    assert raised.value.cycle == (3, 1, 2, 3)
    assert "M3 → M1 → M2 → M3" in str(raised.value)


def test_self_link_is_a_cycle() -> None:
    with pytest.raises(CycleError, match="its own prerequisite"):
        check_new_link(chain(0), 1, 1)


def test_links_that_keep_the_graph_acyclic_pass() -> None:
    timeline = chain(0, 10, 20, leads=(5, 5))
    check_new_link(timeline, 1, 3)  # a shortcut is no cycle
    timeline.milestones.append(documented("Side", 5, 4))
    check_new_link(timeline, 4, 1)


def test_topological_order_refuses_a_stored_cycle() -> None:
    timeline = chain(0, 10, leads=(5,))
    timeline.links.append(MilestoneLink(2, 1, 0))
    with pytest.raises(CycleError, match="circle"):
        topological_order(timeline)


def test_topological_order_puts_prerequisites_first() -> None:
    timeline = chain(0, 10, 20)
    timeline.links = [MilestoneLink(3, 1, 0), MilestoneLink(1, 2, 0)]
    assert topological_order(timeline) == [3, 1, 2]


def test_dependent_before_prerequisite_plus_lead_is_a_conflict_not_fixed() -> None:
    # M2 on day 10 but M1 (day 0) + 14 days lead = day 14: 4 days short.
    timeline = chain(0, 10, leads=(14,))
    [conflict] = date_conflicts(timeline)
    assert (conflict.prerequisite_id, conflict.dependent_id) == (1, 2)
    assert conflict.earliest_date == START + timedelta(days=14)
    assert conflict.short_by_days == 4
    assert "4 days before 'M1'" in conflict.message
    assert timeline.get(2).planned_date == START + timedelta(days=10)  # not moved


def test_exactly_the_lead_time_is_no_conflict_and_no_slack() -> None:
    timeline = chain(0, 14, leads=(14,))
    assert date_conflicts(timeline) == []
    assert link_slack(timeline, timeline.links[0]) == 0


def test_missing_dates_make_no_conflict_and_no_slack() -> None:
    timeline = chain(0, None, leads=(14,))
    assert date_conflicts(timeline) == []
    assert link_slack(timeline, timeline.links[0]) == 0


def test_conflicting_link_has_zero_slack() -> None:
    timeline = chain(0, 10, leads=(14,))
    assert link_slack(timeline, timeline.links[0]) == 0


def test_completeness_names_what_each_milestone_lacks() -> None:
    timeline = Timeline(
        [
            documented("Complete", 0, 1),
            Milestone("Bare", id=2, position=2),
            documented("No why", 5, 3, rationale="   "),
            documented("No driver", 5, 4, driver=None),
        ],
        engagement_id=1,
    )
    found = {i.name: i.missing for i in incomplete_milestones(timeline)}
    assert found == {
        "Bare": ("date", "owner", "driver", "rationale"),
        "No why": ("rationale",),
        "No driver": ("driver",),
    }
    assert missing_fields(timeline.get(1)) == ()


def test_summary_orders_open_points_by_wizard_step() -> None:
    timeline = chain(0, 10, leads=(14,))
    timeline.milestones.append(Milestone("Loose", id=3, position=3))
    timeline.get(1).share_with_cmo = True
    summary = summarise(timeline)
    steps = [p.step for p in summary.open_points]
    assert steps == sorted(steps, key=list(TimelineStep).index)
    assert [p.text for p in summary.open_for(TimelineStep.DATES)] == [
        "'Loose' has no date and no owner."
    ]
    assert [p.text for p in summary.open_for(TimelineStep.RATIONALE)] == [
        "'Loose' has no driver and no rationale."
    ]
    assert summary.open_for(TimelineStep.HINGES)[0].milestone_id == 3
    assert len(summary.conflicts) == 1
    assert "has not confirmed" in summary.open_for(TimelineStep.SHARE)[0].text
    assert not summary.complete
    assert (summary.milestones, summary.documented, summary.shared) == (3, 2, 1)


def test_documented_conflict_free_shared_timeline_is_complete() -> None:
    timeline = chain(0, 20, leads=(14,))
    timeline.get(2).hard_deadline = True
    timeline.get(2).share_with_cmo = True
    summary = summarise(timeline)
    # The unconfirmed share is worth a look but does not block.
    assert summary.complete
    assert [p.blocking for p in summary.open_points] == [False]


def test_empty_timeline_asks_for_the_template() -> None:
    summary = summarise(Timeline(engagement_id=1))
    assert [p.step for p in summary.open_points] == [TimelineStep.TEMPLATE]
    assert not summary.complete


def test_shared_milestones_name_only_shared_neighbours() -> None:
    timeline = chain(0, 10, 20, leads=(5, 5))
    timeline.links.append(MilestoneLink(1, 3, 12))
    for mid in (1, 3):
        timeline.get(mid).share_with_cmo = True
    first, last = shared_milestones(timeline)
    assert first.hinges_on_it == (("M3", 12),)  # M2 is not shared, so not named
    assert last.depends_on == (("M1", 12),)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"buffer_days": -1}, "buffer"),
        ({"cmo_confirmed_on": START}, "both the date and who"),
        ({"cmo_confirmed_by": "Ann"}, "both the date and who"),
    ],
)
def test_milestone_rules(change: dict, message: str) -> None:
    milestone = Milestone("X")
    for key, value in change.items():
        setattr(milestone, key, value)
    with pytest.raises(TimelineRuleError, match=message):
        check_milestone(milestone)


def test_lead_days_are_not_negative() -> None:
    with pytest.raises(TimelineRuleError):
        check_lead_days(-1)
    check_lead_days(0)
