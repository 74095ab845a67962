"""TimelineService: template, per-step updates, links, version bumps, change log, reads."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from planner.domain.engagement import Engagement
from planner.domain.timeline import (
    CycleError,
    Milestone,
    MilestoneDriver,
    MilestoneOwner,
    TimelineRuleError,
)
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.services.timeline import TimelineService
from planner.services.timeline_json import slip_json, view_json
from planner.store.models import ChangeLogRow, MilestoneLinkRow, MilestoneRow

START = date(2027, 1, 11)
SOME = ["tech_transfer_package", "engineering_batch", "ppq_protocol", "ppq_batches", "launch"]


@pytest.fixture
def engagement_id(store) -> int:
    return EngagementService(store).create(Engagement(title="Tablets", program="ORP-9")).id


@pytest.fixture
def service(store) -> TimelineService:
    return TimelineService(store)


def ids_by_key(service: TimelineService, engagement_id: int) -> dict[str, int]:
    return {m.template_key: m.id for m in service.timeline(engagement_id).milestones}


def log_entries(store, entity: str = "milestone") -> list[ChangeLogRow]:
    with store.reading() as s:
        return list(
            s.scalars(
                select(ChangeLogRow).where(ChangeLogRow.entity == entity).order_by(ChangeLogRow.id)
            )
        )


def test_apply_template_creates_milestones_links_and_dates(store, service, engagement_id) -> None:
    assert service.version(engagement_id) == 1
    timeline = service.apply_template(engagement_id, service.template().keys(), START)
    assert len(timeline.milestones) == 14 and len(timeline.links) == 14
    assert timeline.version == 2  # one bump for the whole application
    cda = timeline.get(ids_by_key(service, engagement_id)["cda_signed"])
    launch = timeline.get(ids_by_key(service, engagement_id)["launch"])
    assert cda.planned_date == START
    assert launch.planned_date == START + timedelta(days=1020)
    assert launch.hard_deadline and launch.owner is MilestoneOwner.SPONSOR
    assert launch.driver is MilestoneDriver.LAUNCH and launch.rationale == ""
    assert service.view(engagement_id).conflicts == ()
    assert len(log_entries(store)) == 14


def test_template_subset_relinks_across_skipped_steps(service, engagement_id) -> None:
    timeline = service.apply_template(engagement_id, SOME, START)
    keys = {m.id: m.template_key for m in timeline.milestones}
    found = {
        (keys[k.prerequisite_id], keys[k.dependent_id]): k.min_lead_days for k in timeline.links
    }
    # ppq_batches → launch through report/stability/filing/PAI: 180 + 45 + 120 + 90 = 435.
    assert found[("ppq_batches", "launch")] == 435
    assert found[("tech_transfer_package", "engineering_batch")] == 90


def test_apply_template_again_is_additive_and_keeps_edits(service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    ids = ids_by_key(service, engagement_id)
    service.set_rationale(ids["launch"], MilestoneDriver.LAUNCH, "Payer contracts start in June.")
    version = service.version(engagement_id)
    again = service.apply_template(engagement_id, SOME, START + timedelta(days=400))
    assert again.version == version  # nothing new: no bump
    timeline = service.apply_template(engagement_id, [*SOME, "regulatory_filing"], START)
    assert timeline.version == version + 1
    by_key = {m.template_key: m for m in timeline.milestones}
    assert by_key["launch"].rationale == "Payer contracts start in June."
    assert by_key["regulatory_filing"].hard_deadline
    found = {(k.prerequisite_id, k.dependent_id): k.min_lead_days for k in timeline.links}
    # The filing now sits between PPQ batches and launch: 225 days after the batches,
    # 210 before launch (PAI skipped: 120 + 90).
    assert found[(by_key["ppq_batches"].id, by_key["regulatory_filing"].id)] == 225
    assert found[(by_key["regulatory_filing"].id, by_key["launch"].id)] == 210


def test_apply_template_adopts_a_same_named_milestone(service, engagement_id) -> None:
    own = service.add_milestone(engagement_id, Milestone("launch", planned_date=START))
    timeline = service.apply_template(engagement_id, ["ppq_batches", "launch"], START)
    assert [m.name for m in timeline.milestones] == ["launch", "PPQ batches complete"]
    assert timeline.dependents_of(timeline.milestones[1].id)[0].dependent_id == own.id


def test_unknown_template_step_writes_nothing(service, engagement_id) -> None:
    with pytest.raises(TimelineRuleError):
        service.apply_template(engagement_id, ["launch", "nope"], START)
    assert service.timeline(engagement_id).milestones == []
    assert service.version(engagement_id) == 1


def test_each_wizard_step_saves_bumps_once_and_logs(store, service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    mid = ids_by_key(service, engagement_id)["engineering_batch"]
    v = service.version(engagement_id)
    service.set_schedule(mid, date(2027, 5, 3), MilestoneOwner.JOINT)
    service.set_rationale(mid, MilestoneDriver.CAPACITY_WINDOW, "Suite 2 is free in May only.")
    service.set_consequences(mid, "Phase 3 first patient in", "Six-month delay to PPQ")
    service.set_buffer(mid, 14)
    service.set_hard_deadline(mid, False)  # unchanged: no bump
    service.confirm_by_cmo(mid, date(2026, 12, 1), "Matteo Ferraro")
    assert service.version(engagement_id) == v + 5
    saved = service.get_milestone(mid)
    assert (saved.planned_date, saved.owner, saved.driver) == (
        date(2027, 5, 3),
        MilestoneOwner.JOINT,
        MilestoneDriver.CAPACITY_WINDOW,
    )
    assert (saved.buffer_days, saved.cmo_confirmed_by) == (14, "Matteo Ferraro")
    updates = [e for e in log_entries(store) if e.action == "updated"]
    assert updates[0].changes["owner"] == ["cmo", "joint"]
    assert updates[0].changes["planned_date"][1] == "2027-05-03"
    # The engineering batch already had the capacity-window driver: only the why changed.
    assert updates[1].changes == {"rationale": ["", "Suite 2 is free in May only."]}


def test_invalid_changes_are_refused_and_change_nothing(service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    ids = ids_by_key(service, engagement_id)
    v = service.version(engagement_id)
    with pytest.raises(TimelineRuleError, match="both the date and who"):
        service.confirm_by_cmo(ids["launch"], date(2027, 1, 1), "")
    with pytest.raises(TimelineRuleError, match="already has a milestone"):
        service.update_milestone(ids["launch"], name="  ENGINEERING batch ")
    with pytest.raises(TimelineRuleError):
        service.update_milestone(ids["launch"], owner="nobody")
    with pytest.raises(TypeError):
        service.update_milestone(ids["launch"], engagement_id=5)
    with pytest.raises(NotFound):
        service.set_buffer(99999, 3)
    assert service.version(engagement_id) == v


def test_owner_and_driver_may_be_given_as_stored_strings(service, engagement_id) -> None:
    m = service.add_milestone(engagement_id, Milestone("Kick-off"))
    saved = service.update_milestone(m.id, owner="cmo", driver="contract")
    assert saved.owner is MilestoneOwner.CMO and saved.driver is MilestoneDriver.CONTRACT


def test_cycle_is_refused_with_its_name_and_nothing_is_written(service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    ids = ids_by_key(service, engagement_id)
    v = service.version(engagement_id)
    with pytest.raises(CycleError) as raised:
        service.add_link(ids["launch"], ids["engineering_batch"], 0)
    assert "Launch → Engineering batch → PPQ protocol approved" in str(raised.value)
    assert service.version(engagement_id) == v
    with pytest.raises(CycleError):
        service.set_links(ids["launch"], {ids["ppq_batches"]: 0})
    assert service.timeline(engagement_id).dependents_of(ids["launch"]) == []


def test_add_change_and_remove_links(store, service, engagement_id) -> None:
    a = service.add_milestone(engagement_id, Milestone("A", planned_date=START))
    b = service.add_milestone(engagement_id, Milestone("B", planned_date=START))
    v = service.version(engagement_id)
    service.add_link(a.id, b.id, 10)
    service.add_link(a.id, b.id, 10)  # same again: nothing to do
    service.add_link(a.id, b.id, 12)
    assert service.timeline(engagement_id).link(a.id, b.id).min_lead_days == 12
    # The conflict is reported, the date is not moved.
    [conflict] = service.view(engagement_id).conflicts
    assert conflict.short_by_days == 12
    assert service.get_milestone(b.id).planned_date == START
    service.remove_link(a.id, b.id)
    service.remove_link(a.id, b.id)  # already gone: nothing to do
    assert service.version(engagement_id) == v + 3
    assert [e.action for e in log_entries(store, "milestone_link")] == [
        "created",
        "updated",
        "deleted",
    ]
    with pytest.raises(TimelineRuleError):
        service.add_link(a.id, b.id, -3)


def test_set_links_replaces_what_hinges_on_a_milestone(store, service, engagement_id) -> None:
    a, b, c = (service.add_milestone(engagement_id, Milestone(n)) for n in "ABC")
    service.set_links(a.id, {b.id: 5, c.id: 7})
    links = service.set_links(a.id, {c.id: 9})
    assert [(k.dependent_id, k.min_lead_days) for k in links] == [(c.id, 9)]
    other = EngagementService(store).create(Engagement(title="Other"))
    stranger = service.add_milestone(other.id, Milestone("Elsewhere"))
    with pytest.raises(NotFound):
        service.set_links(a.id, {stranger.id: 0})
    with pytest.raises(Conflict, match="different engagements"):
        service.add_link(a.id, stranger.id)


def test_remove_milestone_bridges_what_hinged_through_it(store, service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    ids = ids_by_key(service, engagement_id)
    # TT →(90) engineering batch →(30) PPQ protocol: removing the batch links TT → protocol, 120.
    added = service.remove_milestone(ids["engineering_batch"])
    assert [(k.prerequisite_id, k.dependent_id, k.min_lead_days) for k in added] == [
        (ids["tech_transfer_package"], ids["ppq_protocol"], 120)
    ]
    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(MilestoneRow)) == 4
        assert s.scalar(select(func.count()).select_from(MilestoneLinkRow)) == 3
    assert service.remove_milestone(ids["launch"], bridge=False) == []


def test_set_shared_marks_exactly_those(service, engagement_id) -> None:
    timeline = service.apply_template(engagement_id, SOME, START)
    ids = ids_by_key(service, engagement_id)
    shared = service.set_shared(engagement_id, [ids["launch"], ids["ppq_batches"]])
    assert {m.id for m in shared.milestones if m.share_with_cmo} == {
        ids["launch"],
        ids["ppq_batches"],
    }
    assert shared.version == timeline.version + 1
    assert (
        service.set_shared(engagement_id, [ids["launch"], ids["ppq_batches"]]).version
        == shared.version
    )
    [first, second] = service.shared(engagement_id)
    assert first.hinges_on_it == (("Launch", 435),)
    with pytest.raises(NotFound):
        service.set_shared(engagement_id, [424242])
    assert not service.set_share(ids["launch"], False).share_with_cmo
    assert service.version(engagement_id) == shared.version + 1


def test_find_milestone_by_id_name_key_or_unique_part(service, engagement_id) -> None:
    service.apply_template(engagement_id, service.template().keys(), START)
    ids = ids_by_key(service, engagement_id)
    assert service.find_milestone(engagement_id, str(ids["launch"])).id == ids["launch"]
    assert (
        service.find_milestone(engagement_id, "pre-APPROVAL inspection").id
        == ids["pre_approval_inspection"]
    )
    assert service.find_milestone(engagement_id, "stability_cutoff").id == ids["stability_cutoff"]
    assert service.find_milestone(engagement_id, "tech transfer").id == ids["tech_transfer_package"]
    with pytest.raises(Conflict, match="could be"):
        service.find_milestone(engagement_id, "ppq")
    with pytest.raises(NotFound):
        service.find_milestone(engagement_id, "moon landing")
    with pytest.raises(NotFound):
        service.find_milestone(424242, "launch")


def test_slip_and_view_as_json(service, engagement_id) -> None:
    service.apply_template(engagement_id, SOME, START)
    tt = service.find_milestone(engagement_id, "tech transfer")
    result = service.slip(engagement_id, tt.id, 30)
    data = slip_json(result, service.room_before_deadlines(engagement_id, tt.id))
    json.dumps(data)
    # Template distances TT → batch are 120 days against a 90-day lead: 30 days of slack hold it.
    assert [m["name"] for m in data["moves"]] == ["Tech-transfer package delivered"]
    assert data["absorbed"][0]["slack_used"] == 30 and not data["moves_hard_deadline"]
    view = json.loads(json.dumps(view_json(service.view(engagement_id))))
    assert view["engagement"]["program"] == "ORP-9" and view["timeline_version"] == 2
    launch = next(m for m in view["milestones"] if m["name"] == "Launch")
    assert launch["depends_on"][0]["min_lead_days"] == 435
    assert launch["missing"] == ["rationale"]
    assert view["critical_chains"][0]["deadline"]["name"] == "Launch"
    assert not view["summary"]["complete"]
    with pytest.raises(NotFound):
        service.slip(engagement_id, 424242, 3)


def test_reading_an_unknown_engagement_is_not_found(service) -> None:
    with pytest.raises(NotFound):
        service.view(424242)
    with pytest.raises(NotFound):
        service.apply_template(424242, ["launch"], START)
