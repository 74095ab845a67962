"""A disclosure decision: how much of one asset an engagement's CMO may learn, and why.

Decisions are per engagement × asset. They apply to the engagement's chosen CMO; while an
engagement is still in consideration (no chosen CMO) they apply to each candidate, and the
agreement gates are evaluated per candidate (a candidate whose agreements do not allow the level
gets nothing at that level: its pack is refused until the agreement is in place).

`decided_on` is the date from which the level applies, i.e. the date of disclosure the gates are
checked against when the decision is recorded; exports check again on the export date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from planner.domain.disclosure_advice import SharingChecklist
from planner.domain.disclosure_gates import relationship_gate
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import RelationshipType


@dataclass
class DisclosureDecision:
    engagement_id: int
    asset_id: int
    level: DisclosureLevel = DisclosureLevel.NONE
    checklist: SharingChecklist = field(default_factory=SharingChecklist)
    rationale: str = ""
    expected_benefit: str = ""
    risks: str = ""
    justification: str = ""  # required when the level is above the relationship suggestion
    approver: str = ""
    decided_on: date | None = None  # None while the wizard is still filling it in
    review_date: date | None = None
    asset_code: str = ""  # filled in by the services for display; not stored with the decision
    id: int | None = None

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None


class DecisionRuleError(ValueError):
    """A decision that may not be stored as it is; the message is for the user."""


def check_dates(decided_on: date | None, review_date: date | None) -> None:
    if decided_on and review_date and review_date < decided_on:
        raise DecisionRuleError(
            f"The review date ({review_date}) is before the decision date ({decided_on})."
        )


def justification_problem(
    level: int, justification: str, relationship: RelationshipType
) -> str | None:
    """The user-facing reason a justification is needed and missing, else None."""
    gate = relationship_gate(level, relationship)
    if gate.allowed or justification.strip():
        return None
    return gate.reason


def open_items(decision: DisclosureDecision, relationship: RelationshipType) -> list[str]:
    """What still keeps this decision from being complete, in wizard order; [] when complete."""
    items = [f"Checklist: {q}" for q in decision.checklist.unanswered()]
    if not decision.rationale.strip():
        items.append("No rationale.")
    problem = justification_problem(decision.level, decision.justification, relationship)
    if problem:
        items.append(problem)
    if not decision.approver.strip():
        items.append("No approver.")
    if decision.decided_on is None:
        items.append("No decision date.")
    if decision.review_date is None:
        items.append("No review date.")
    return items
