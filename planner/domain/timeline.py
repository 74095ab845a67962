"""Milestones of an engagement and the links between them ("what hinges on what").

A link says: the dependent may not be planned before the prerequisite plus `min_lead_days`.
Rules over a whole timeline live in `timeline_rules` (cycles, date order, completeness) and
`timeline_slip` (slip propagation, float, critical chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

MAX_NAME_LENGTH = 300
# Ten years: anything longer is a typing slip, not a plan.
MAX_DAYS = 3650


class MilestoneOwner(StrEnum):
    SPONSOR = "sponsor"
    CMO = "cmo"
    JOINT = "joint"

    @property
    def label(self) -> str:
        return {"sponsor": "Sponsor", "cmo": "CMO", "joint": "Joint"}[self.value]


class MilestoneDriver(StrEnum):
    """What fixes the date: the external reason the milestone cannot simply move."""

    REGULATORY_FILING = "regulatory_filing"
    CLINICAL_START = "clinical_start"
    LAUNCH = "launch"
    STABILITY_DATA = "stability_data"
    CAPACITY_WINDOW = "capacity_window"
    CONTRACT = "contract"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


@dataclass
class Milestone:
    name: str
    planned_date: date | None = None
    owner: MilestoneOwner | None = None
    driver: MilestoneDriver | None = None
    rationale: str = ""  # why this date
    external_consequences: str = ""  # what outside the plan hinges on it ("first patient in")
    slip_impact: str = ""  # what a slip costs, in the user's words
    # Contingency held in front of this milestone: slip arriving from its prerequisites is
    # absorbed up to this many days before the milestone itself moves (see timeline_slip).
    buffer_days: int = 0
    hard_deadline: bool = False
    share_with_cmo: bool = False
    cmo_confirmed_on: date | None = None
    cmo_confirmed_by: str = ""
    template_key: str = ""  # "" for milestones the user added
    position: int = 0  # order of entry; views sort by date first
    id: int | None = None

    @property
    def cmo_confirmed(self) -> bool:
        return self.cmo_confirmed_on is not None


@dataclass(frozen=True)
class MilestoneLink:
    prerequisite_id: int
    dependent_id: int
    min_lead_days: int = 0


@dataclass
class Timeline:
    """The milestones and links of one engagement. Ids are unique; links refer to listed ids."""

    milestones: list[Milestone] = field(default_factory=list)
    links: list[MilestoneLink] = field(default_factory=list)
    engagement_id: int | None = None
    version: int = 1

    def by_id(self) -> dict[int, Milestone]:
        return {m.id: m for m in self.milestones if m.id is not None}

    def get(self, milestone_id: int) -> Milestone:
        for m in self.milestones:
            if m.id == milestone_id:
                return m
        raise KeyError(milestone_id)

    def prerequisites_of(self, milestone_id: int) -> list[MilestoneLink]:
        return [link for link in self.links if link.dependent_id == milestone_id]

    def dependents_of(self, milestone_id: int) -> list[MilestoneLink]:
        return [link for link in self.links if link.prerequisite_id == milestone_id]

    def link(self, prerequisite_id: int, dependent_id: int) -> MilestoneLink | None:
        for link in self.links:
            if link.prerequisite_id == prerequisite_id and link.dependent_id == dependent_id:
                return link
        return None

    def ordered(self) -> list[Milestone]:
        """By planned date (undated last), then order of entry: the order views show."""
        return sorted(
            self.milestones,
            key=lambda m: (m.planned_date is None, m.planned_date or date.max, m.position, m.id),
        )

    def hard_deadlines(self) -> list[Milestone]:
        return [m for m in self.ordered() if m.hard_deadline]


class TimelineRuleError(ValueError):
    """A milestone or link that may not be stored as it is; the message is for the user."""


class CycleError(TimelineRuleError):
    """The link would make a milestone (indirectly) its own prerequisite.

    `cycle` lists milestone ids from the new link's prerequisite round to itself again.
    """

    def __init__(self, message: str, cycle: tuple[int, ...]) -> None:
        super().__init__(message)
        self.cycle = cycle


def check_milestone(milestone: Milestone) -> None:
    name = milestone.name.strip()
    if not name:
        raise TimelineRuleError("A milestone needs a name.")
    if len(name) > MAX_NAME_LENGTH:
        raise TimelineRuleError(f"A milestone name may have at most {MAX_NAME_LENGTH} characters.")
    if not 0 <= milestone.buffer_days <= MAX_DAYS:
        raise TimelineRuleError(
            f"The buffer of '{name}' must be between 0 and {MAX_DAYS} days "
            f"(not {milestone.buffer_days})."
        )
    confirmed_by = milestone.cmo_confirmed_by.strip()
    if (milestone.cmo_confirmed_on is None) != (not confirmed_by):
        raise TimelineRuleError(
            f"The CMO confirmation of '{name}' needs both the date and who confirmed it."
        )


def check_lead_days(days: int) -> None:
    # Negative leads ("may start 5 days before") would make slack and float ambiguous; the
    # wizard asks for the minimum gap instead.
    if not 0 <= days <= MAX_DAYS:
        raise TimelineRuleError(f"A lead time must be between 0 and {MAX_DAYS} days (not {days}).")
