"""The shipped milestone template and what applying a subset of it yields.

Choosing a subset: when the user skips milestones, each chosen milestone is linked to every chosen
milestone it reached through skipped ones only, with the *longest* sum of lead times along such a
route (the transitive closure of the lead times through the skipped milestones). A skipped step is
usually one that happened already or is handled elsewhere, not work that vanished, so the
strongest constraint the full template implied is kept; the user can shorten it on the "what
hinges on it" step. Example: proposals due →(21) site audit →(30) quality agreement and MSA;
skipping the audit links proposals due →(51) quality agreement and MSA.

Default dates keep the template's typical distances: the first chosen milestone falls on the start
date, every other one at start + (its offset − the first one's offset). Because the template's
offsets respect its own lead times, a chosen subset starts without date-order conflicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from planner.domain.timeline import MilestoneDriver, MilestoneOwner, TimelineRuleError


@dataclass(frozen=True)
class TemplateMilestone:
    key: str
    name: str
    offset_days: int  # typical days after the template's first milestone
    owner: MilestoneOwner
    driver: MilestoneDriver
    hard_deadline: bool = False
    buffer_days: int = 0
    prompt: str = ""  # a hint for "why this date?"; never stored as the rationale itself


@dataclass(frozen=True)
class TemplateLink:
    prerequisite: str
    dependent: str
    min_lead_days: int


@dataclass(frozen=True)
class TemplateSelection:
    milestones: tuple[TemplateMilestone, ...]  # in template order
    links: tuple[TemplateLink, ...]  # between chosen milestones only

    def planned_dates(self, start: date | None) -> dict[str, date | None]:
        if not self.milestones:
            return {}
        first = self.milestones[0].offset_days
        return {
            m.key: None if start is None else start + timedelta(days=m.offset_days - first)
            for m in self.milestones
        }


@dataclass(frozen=True)
class MilestoneTemplate:
    """Milestones in order (every link goes forward in that order) with their default links."""

    name: str
    milestones: tuple[TemplateMilestone, ...]
    links: tuple[TemplateLink, ...]

    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.milestones)

    def get(self, key: str) -> TemplateMilestone:
        for m in self.milestones:
            if m.key == key:
                return m
        raise KeyError(key)

    def select(self, keys: Iterable[str]) -> TemplateSelection:
        chosen = set(keys)
        unknown = chosen - set(self.keys())
        if unknown:
            raise TimelineRuleError(
                f"The milestone template has no step {', '.join(sorted(unknown))}."
            )
        return TemplateSelection(
            tuple(m for m in self.milestones if m.key in chosen), self._closure(chosen)
        )

    def _closure(self, chosen: set[str]) -> tuple[TemplateLink, ...]:
        outgoing: dict[str, list[TemplateLink]] = {}
        for link in self.links:
            outgoing.setdefault(link.prerequisite, []).append(link)
        found: list[TemplateLink] = []
        for start in (m.key for m in self.milestones if m.key in chosen):
            # Longest lead to each milestone reachable through skipped ones. Template order is a
            # topological order, so one forward pass settles every distance.
            reach: dict[str, int] = {start: 0}
            for m in self.milestones:
                if m.key not in reach or (m.key != start and m.key in chosen):
                    continue
                for link in outgoing.get(m.key, []):
                    lead = reach[m.key] + link.min_lead_days
                    reach[link.dependent] = max(reach.get(link.dependent, lead), lead)
            found += [
                TemplateLink(start, m.key, reach[m.key])
                for m in self.milestones
                if m.key in reach and m.key != start and m.key in chosen
            ]
        return tuple(found)

    @classmethod
    def from_dict(cls, data: dict) -> MilestoneTemplate:
        """Parse and check the shipped JSON; a broken file is a packaging bug, so say exactly where."""
        milestones = tuple(
            TemplateMilestone(
                key=item["key"],
                name=item["name"],
                offset_days=int(item["offset_days"]),
                owner=MilestoneOwner(item["owner"]),
                driver=MilestoneDriver(item["driver"]),
                hard_deadline=bool(item.get("hard_deadline", False)),
                buffer_days=int(item.get("buffer_days", 0)),
                prompt=item.get("prompt", ""),
            )
            for item in data["milestones"]
        )
        links = tuple(
            TemplateLink(item["prerequisite"], item["dependent"], int(item["min_lead_days"]))
            for item in data["links"]
        )
        template = cls(data.get("name", "Milestone template"), milestones, links)
        template._check()
        return template

    def _check(self) -> None:
        index = {m.key: i for i, m in enumerate(self.milestones)}
        if len(index) != len(self.milestones):
            raise TimelineRuleError("The milestone template repeats a key.")
        for link in self.links:
            if link.prerequisite not in index or link.dependent not in index:
                raise TimelineRuleError(f"Template link {link} names an unknown milestone.")
            if index[link.prerequisite] >= index[link.dependent]:
                raise TimelineRuleError(f"Template link {link} goes backwards.")
            gap = self.get(link.dependent).offset_days - self.get(link.prerequisite).offset_days
            if gap < link.min_lead_days:
                raise TimelineRuleError(f"Template offsets break the lead time of {link}.")
