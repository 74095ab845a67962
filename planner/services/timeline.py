"""Timeline rationale: milestones, what hinges on them, conflicts, slips, what to share.

Every method is one short transaction, so a wizard can persist each answer as it is entered.
Any call that changes something bumps the engagement's timeline_version once (packs record which
version they carry) and writes the change log; a call that changes nothing bumps nothing.
Rule violations raise TimelineRuleError (CycleError for a cycle) and leave the store untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy import delete, or_
from sqlalchemy.orm import Session

from planner.domain.names import fold
from planner.domain.timeline import (
    Milestone,
    MilestoneDriver,
    MilestoneLink,
    MilestoneOwner,
    Timeline,
    check_lead_days,
)
from planner.domain.timeline_rules import check_new_link
from planner.domain.timeline_slip import (
    DeadlineRoom,
    SlipPropagation,
    propagate_slip,
    room_before_deadlines,
)
from planner.domain.timeline_summary import (
    SharedMilestone,
    TimelineSummary,
    TimelineView,
    shared_milestones,
    summarise,
    view_of,
)
from planner.domain.timeline_template import MilestoneTemplate
from planner.services import changelog
from planner.services import timeline_rows as rows
from planner.services.errors import Conflict, NotFound
from planner.store.models import MilestoneLinkRow, MilestoneRow
from planner.store.store import Store


class TimelineService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # Reading -----------------------------------------------------------------------------

    def template(self) -> MilestoneTemplate:
        return rows.load_template()

    def timeline(self, engagement_id: int) -> Timeline:
        with self._store.reading() as s:
            return rows.load_timeline(s, engagement_id)

    def view(self, engagement_id: int) -> TimelineView:
        """Milestones, links, conflicts, critical chains and open points, for views and the CLI."""
        with self._store.reading() as s:
            engagement = rows.load_engagement(s, engagement_id)
            timeline = rows.load_timeline(s, engagement_id)
            return view_of(timeline, engagement.title, engagement.program)

    def summary(self, engagement_id: int) -> TimelineSummary:
        return summarise(self.timeline(engagement_id))

    def version(self, engagement_id: int) -> int:
        with self._store.reading() as s:
            return rows.load_engagement(s, engagement_id).timeline_version

    def get_milestone(self, milestone_id: int) -> Milestone:
        with self._store.reading() as s:
            return rows.to_domain(rows.load_milestone(s, milestone_id))

    def find_milestone(self, engagement_id: int, key: str) -> Milestone:
        """By id, name (any case, punctuation ignored), template key, or a part of one name only."""
        timeline = self.timeline(engagement_id)
        text = key.strip()
        if text.isdigit():
            for m in timeline.milestones:
                if m.id == int(text):
                    return m
        wanted = fold(text)
        for m in timeline.milestones:
            if fold(m.name) == wanted or (m.template_key and m.template_key == text):
                return m
        partial = [m for m in timeline.ordered() if wanted and wanted in fold(m.name)]
        if len(partial) == 1:
            return partial[0]
        if partial:
            names = ", ".join(f"'{m.name}'" for m in partial)
            raise Conflict(f"'{key}' could be {names}; give more of the name or the id.")
        raise NotFound(f"This engagement has no milestone '{key}'.")

    def slip(self, engagement_id: int, milestone_id: int, days: int) -> SlipPropagation:
        timeline = self.timeline(engagement_id)
        self._member(timeline, milestone_id)
        return propagate_slip(timeline, milestone_id, days)

    def room_before_deadlines(self, engagement_id: int, milestone_id: int) -> list[DeadlineRoom]:
        timeline = self.timeline(engagement_id)
        self._member(timeline, milestone_id)
        return room_before_deadlines(timeline, milestone_id)

    def shared(self, engagement_id: int) -> list[SharedMilestone]:
        """What a pack may show: shared milestones, with links to other shared ones only."""
        return shared_milestones(self.timeline(engagement_id))

    # Template and milestones ----------------------------------------------------------------

    def apply_template(
        self, engagement_id: int, keys: Iterable[str], start_date: date | None = None
    ) -> Timeline:
        """Add the chosen template milestones the engagement does not have yet, and the template's
        links among all its template milestones (re-linked across skipped ones, see
        timeline_template). Additive: nothing the user entered is changed or removed; leaving a
        step out later is remove_milestone. A milestone the user already added under the same
        name stands for that step."""
        template = self.template()
        selection = template.select(keys)
        dates = selection.planned_dates(start_date)
        with self._store.transaction() as s:
            timeline = rows.load_timeline(s, engagement_id)
            present = {m.template_key: m for m in timeline.milestones if m.template_key}
            named = {fold(m.name): m for m in timeline.milestones}
            position = max((m.position for m in timeline.milestones), default=-1)
            changed = False
            for step in selection.milestones:
                if step.key in present:
                    continue
                if fold(step.name) in named:
                    present[step.key] = named[fold(step.name)]
                    continue
                position += 1
                milestone = Milestone(
                    name=step.name,
                    planned_date=dates[step.key],
                    owner=step.owner,
                    driver=step.driver,
                    buffer_days=step.buffer_days,
                    hard_deadline=step.hard_deadline,
                    template_key=step.key,
                    position=position,
                )
                self._insert(s, engagement_id, milestone, "created from the template")
                timeline.milestones.append(milestone)
                present[step.key] = milestone
                changed = True
            known = set(template.keys())
            for link in template.select(k for k in present if k in known).links:
                pre, dep = present[link.prerequisite].id, present[link.dependent].id
                assert pre is not None and dep is not None
                if timeline.link(pre, dep) is None:
                    self._insert_link(s, timeline, MilestoneLink(pre, dep, link.min_lead_days))
                    changed = True
            if changed:
                rows.bump_version(s, engagement_id)
            s.flush()
            return rows.load_timeline(s, engagement_id)

    def add_milestone(self, engagement_id: int, milestone: Milestone) -> Milestone:
        """A milestone of the user's own; it goes after the others in order of entry."""
        milestone = replace(milestone, id=None)
        rows.normalise(milestone)
        with self._store.transaction() as s:
            timeline = rows.load_timeline(s, engagement_id)
            rows.check_unique_name(timeline, milestone)
            milestone.position = max((m.position for m in timeline.milestones), default=-1) + 1
            self._insert(s, engagement_id, milestone, "created")
            rows.bump_version(s, engagement_id)
            return milestone

    def update_milestone(self, milestone_id: int, **changes: object) -> Milestone:
        """Change any of timeline_rows.EDITABLE_FIELDS; the per-step methods below call this."""
        unknown = set(changes) - rows.EDITABLE_FIELDS
        if unknown:
            raise TypeError(f"Not a milestone field one may edit: {', '.join(sorted(unknown))}.")
        with self._store.transaction() as s:
            row = rows.load_milestone(s, milestone_id)
            before = rows.to_domain(row)
            after = replace(before, **changes)  # type: ignore[arg-type]
            rows.normalise(after)
            if fold(after.name) != fold(before.name):
                rows.check_unique_name(rows.load_timeline(s, row.engagement_id), after)
            diff = changelog.diff(rows.snapshot(before), rows.snapshot(after))
            if not diff:
                return before
            rows.apply_to_row(after, row)
            rows.bump_version(s, row.engagement_id)
            changelog.record(s, "milestone", row.id, "updated", diff, summary=after.name)
            return after

    def set_schedule(
        self, milestone_id: int, planned_date: date | None, owner: MilestoneOwner | None
    ) -> Milestone:
        """Wizard step "dates and owners"."""
        return self.update_milestone(milestone_id, planned_date=planned_date, owner=owner)

    def set_rationale(
        self, milestone_id: int, driver: MilestoneDriver | None, rationale: str
    ) -> Milestone:
        """Wizard step "the why and the driver"."""
        return self.update_milestone(milestone_id, driver=driver, rationale=rationale)

    def set_consequences(
        self, milestone_id: int, external_consequences: str, slip_impact: str
    ) -> Milestone:
        """Wizard step "what hinges on it", the free-text half (links: set_links)."""
        return self.update_milestone(
            milestone_id, external_consequences=external_consequences, slip_impact=slip_impact
        )

    def set_buffer(self, milestone_id: int, buffer_days: int) -> Milestone:
        return self.update_milestone(milestone_id, buffer_days=buffer_days)

    def set_hard_deadline(self, milestone_id: int, hard_deadline: bool) -> Milestone:
        return self.update_milestone(milestone_id, hard_deadline=hard_deadline)

    def confirm_by_cmo(
        self, milestone_id: int, confirmed_on: date | None, confirmed_by: str = ""
    ) -> Milestone:
        """Record (or with None and "" clear) that the CMO confirmed the date."""
        return self.update_milestone(
            milestone_id, cmo_confirmed_on=confirmed_on, cmo_confirmed_by=confirmed_by
        )

    def set_share(self, milestone_id: int, share_with_cmo: bool) -> Milestone:
        return self.update_milestone(milestone_id, share_with_cmo=share_with_cmo)

    def set_shared(self, engagement_id: int, milestone_ids: Iterable[int]) -> Timeline:
        """Wizard step "what to share": exactly these milestones are shared with the CMO."""
        wanted = set(milestone_ids)
        with self._store.transaction() as s:
            timeline = rows.load_timeline(s, engagement_id)
            unknown = wanted - set(timeline.by_id())
            if unknown:
                raise NotFound(
                    f"Milestone(s) {', '.join(map(str, sorted(unknown)))} are not part of "
                    "this engagement."
                )
            changed = False
            for m in timeline.milestones:
                share = m.id in wanted
                if m.share_with_cmo != share:
                    assert m.id is not None
                    rows.load_milestone(s, m.id).share_with_cmo = share
                    changelog.record(
                        s,
                        "milestone",
                        m.id,
                        "updated",
                        {"share_with_cmo": [not share, share]},
                        summary=m.name,
                    )
                    m.share_with_cmo = share
                    changed = True
            if changed:
                rows.bump_version(s, engagement_id)
                timeline.version += 1
            return timeline

    def remove_milestone(self, milestone_id: int, *, bridge: bool = True) -> list[MilestoneLink]:
        """Delete a milestone. With `bridge`, each prerequisite is linked to each dependent with
        the two lead times added (as when a template step is skipped), where no link exists yet,
        so what hinged through it still holds. Returns the bridging links."""
        with self._store.transaction() as s:
            row = rows.load_milestone(s, milestone_id)
            engagement_id = row.engagement_id
            timeline = rows.load_timeline(s, engagement_id)
            before = timeline.prerequisites_of(milestone_id)
            after = timeline.dependents_of(milestone_id)
            s.execute(
                delete(MilestoneLinkRow).where(
                    or_(
                        MilestoneLinkRow.prerequisite_id == milestone_id,
                        MilestoneLinkRow.dependent_id == milestone_id,
                    )
                )
            )
            changelog.record(s, "milestone", milestone_id, "deleted", summary=row.name)
            s.delete(row)
            s.flush()
            timeline.milestones = [m for m in timeline.milestones if m.id != milestone_id]
            timeline.links = [
                k for k in timeline.links if milestone_id not in (k.prerequisite_id, k.dependent_id)
            ]
            added = []
            for into in before if bridge else []:
                for out in after:
                    if timeline.link(into.prerequisite_id, out.dependent_id) is None:
                        lead = into.min_lead_days + out.min_lead_days
                        link = MilestoneLink(into.prerequisite_id, out.dependent_id, lead)
                        self._insert_link(s, timeline, link)
                        added.append(link)
            rows.bump_version(s, engagement_id)
            return added

    # Links ----------------------------------------------------------------------------------

    def add_link(
        self, prerequisite_id: int, dependent_id: int, min_lead_days: int = 0
    ) -> MilestoneLink:
        """Link (or change the lead time of an existing link). CycleError names a cycle."""
        check_lead_days(min_lead_days)
        with self._store.transaction() as s:
            timeline = self._timeline_of(s, prerequisite_id, dependent_id)
            link = MilestoneLink(prerequisite_id, dependent_id, min_lead_days)
            if self._put_link(s, timeline, link):
                rows.bump_version(s, timeline.engagement_id or 0)
            return link

    def remove_link(self, prerequisite_id: int, dependent_id: int) -> None:
        with self._store.transaction() as s:
            timeline = self._timeline_of(s, prerequisite_id, dependent_id)
            found = rows.link_row(s, prerequisite_id, dependent_id)
            if found is None:
                return
            rows.record_link(
                s,
                timeline,
                MilestoneLink(prerequisite_id, dependent_id),
                "deleted",
                found.min_lead_days,
            )
            s.delete(found)
            rows.bump_version(s, timeline.engagement_id or 0)

    def set_links(self, milestone_id: int, dependents: Mapping[int, int]) -> list[MilestoneLink]:
        """Wizard step "what hinges on it": exactly these dependents {id: min lead days} hinge on
        the milestone; other links from it are removed. All or nothing."""
        for days in dependents.values():
            check_lead_days(days)
        with self._store.transaction() as s:
            row = rows.load_milestone(s, milestone_id)
            timeline = rows.load_timeline(s, row.engagement_id)
            self._member(timeline, *dependents)
            changed = False
            for old in timeline.dependents_of(milestone_id):
                if old.dependent_id not in dependents:
                    found = rows.link_row(s, milestone_id, old.dependent_id)
                    assert found is not None
                    rows.record_link(s, timeline, old, "deleted", old.min_lead_days)
                    s.delete(found)
                    timeline.links.remove(old)
                    changed = True
            for dependent_id, days in sorted(dependents.items()):
                changed |= self._put_link(
                    s, timeline, MilestoneLink(milestone_id, dependent_id, days)
                )
            if changed:
                rows.bump_version(s, row.engagement_id)
            return timeline.dependents_of(milestone_id)

    # Internals ------------------------------------------------------------------------------

    @staticmethod
    def _member(timeline: Timeline, *milestone_ids: int) -> None:
        known = timeline.by_id()
        for mid in milestone_ids:
            if mid not in known:
                raise NotFound(f"Milestone {mid} is not part of this engagement.")

    @staticmethod
    def _timeline_of(s: Session, prerequisite_id: int, dependent_id: int) -> Timeline:
        first = rows.load_milestone(s, prerequisite_id)
        second = rows.load_milestone(s, dependent_id)
        if first.engagement_id != second.engagement_id:
            raise Conflict(
                f"'{first.name}' and '{second.name}' belong to different engagements; "
                "only milestones of one engagement can hinge on each other."
            )
        return rows.load_timeline(s, first.engagement_id)

    def _put_link(self, s: Session, timeline: Timeline, link: MilestoneLink) -> bool:
        """Insert or update one link in session and timeline; False when it was already so."""
        existing = timeline.link(link.prerequisite_id, link.dependent_id)
        if existing is None:
            self._insert_link(s, timeline, link)
            return True
        if existing.min_lead_days == link.min_lead_days:
            return False
        found = rows.link_row(s, link.prerequisite_id, link.dependent_id)
        assert found is not None
        found.min_lead_days = link.min_lead_days
        timeline.links[timeline.links.index(existing)] = link
        rows.record_link(s, timeline, link, "updated", existing.min_lead_days)
        return True

    @staticmethod
    def _insert_link(s: Session, timeline: Timeline, link: MilestoneLink) -> None:
        check_new_link(timeline, link.prerequisite_id, link.dependent_id)
        s.add(
            MilestoneLinkRow(
                prerequisite_id=link.prerequisite_id,
                dependent_id=link.dependent_id,
                min_lead_days=link.min_lead_days,
            )
        )
        timeline.links.append(link)
        rows.record_link(s, timeline, link, "created", None)

    @staticmethod
    def _insert(s: Session, engagement_id: int, milestone: Milestone, summary: str) -> None:
        """Add the row and give `milestone` its id; the caller bumps the version."""
        row = MilestoneRow(engagement_id=engagement_id)
        rows.apply_to_row(milestone, row)
        s.add(row)
        s.flush()
        milestone.id = row.id
        changelog.record(s, "milestone", row.id, "created", summary=f"{milestone.name} ({summary})")
