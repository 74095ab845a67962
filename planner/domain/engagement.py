"""A sponsor–CMO piece of work for a program."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.domain.enums import RelationshipType, Stage


@dataclass
class Engagement:
    title: str
    program: str = ""
    service_type: str = ""
    relationship_type: RelationshipType = RelationshipType.TRANSACTIONAL
    stage: Stage = Stage.CONSIDERATION
    owner: str = ""
    start_date: date | None = None
    target_date: date | None = None
    notes: str = ""
    candidate_ids: list[int] = field(default_factory=list)
    chosen_cmo_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class EngagementRow:
    id: int
    title: str
    program: str
    stage: Stage
    relationship_type: RelationshipType
    cmo: str | None
    candidates: tuple[str, ...]
    owner: str = ""


class EngagementRuleError(ValueError):
    pass


def check_engagement(engagement: Engagement) -> None:
    """Invariants that hold whatever the screen: raise EngagementRuleError with a user-facing reason."""
    if not engagement.title.strip():
        raise EngagementRuleError("An engagement needs a title.")
    if engagement.stage != Stage.CONSIDERATION and engagement.chosen_cmo_id is None:
        raise EngagementRuleError(
            f"An engagement at stage '{engagement.stage.label}' needs a chosen CMO."
        )
    if (
        engagement.start_date
        and engagement.target_date
        and engagement.target_date < engagement.start_date
    ):
        raise EngagementRuleError("The target date is before the start date.")
