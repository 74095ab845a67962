"""`planner demo` timelines: one fully documented, one with gaps and a conflict; idempotent."""

from datetime import date

from planner.domain.timeline_summary import TimelineStep
from planner.services.demo_timeline import load_timeline_demo
from planner.services.engagements import EngagementService
from planner.services.timeline import TimelineService

TODAY = date(2026, 11, 25)


def test_demo_timelines_load_once(demo_store) -> None:
    # `planner demo` (the fixture) loaded them already; a second load adds nothing.
    versions = {
        program: TimelineService(demo_store).version(EngagementService(demo_store).find(program).id)
        for program in ("ORP-3308", "ORP-2417")
    }
    assert load_timeline_demo(demo_store) == 0
    for program, version in versions.items():
        engagement = EngagementService(demo_store).find(program)
        assert TimelineService(demo_store).version(engagement.id) == version == 2


def test_active_engagement_is_fully_documented_and_partly_confirmed(demo_store) -> None:
    load_timeline_demo(demo_store)
    engagement = EngagementService(demo_store).find("ORP-3308")
    view = TimelineService(demo_store).view(engagement.id)
    assert view.summary.complete and view.conflicts == ()
    assert view.summary.open_points == ()
    assert view.summary.shared >= 3 and view.summary.confirmed == view.summary.shared
    dates = [m.planned_date for m in view.milestones]
    assert min(dates) < TODAY < max(dates)  # done steps and the road to launch
    assert {c.deadline_name for c in view.critical_chains} == {"BLA submission", "US launch"}


def test_selected_engagement_has_gaps_and_one_conflict(demo_store) -> None:
    load_timeline_demo(demo_store)
    engagement = EngagementService(demo_store).find("ORP-2417")
    service = TimelineService(demo_store)
    view = service.view(engagement.id)
    [conflict] = view.conflicts
    assert (conflict.prerequisite_name, conflict.dependent_name) == (
        "PPQ protocol approved",
        "PPQ batches complete",
    )
    missing = {i.name: i.missing for i in view.summary.incomplete}
    assert missing == {
        "Tech-transfer package delivered": ("rationale",),
        "Engineering batch": ("driver", "rationale"),
        "PPQ report approved": ("driver", "rationale"),
    }
    assert view.summary.open_for(TimelineStep.RATIONALE)
    assert all(m.planned_date > date(2026, 9, 1) for m in view.milestones)
    # The slip explorer's example: PPQ batches 30 days late move the NDA submission.
    ppq = service.find_milestone(engagement.id, "PPQ batches")
    assert service.slip(engagement.id, ppq.id, 30).moves_hard_deadline


def test_no_demo_engagements_means_nothing_to_do(store) -> None:
    assert load_timeline_demo(store) == 0
