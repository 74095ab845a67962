"""When a recorded decision must be looked at again, for one CMO it applies to, on a given day.

- blocked: the agreements in force today no longer allow the level (an export would be refused);
- cda_expiring: the level relies on a CDA (L2 or L3) that expires within the window
  (DEFAULT_CDA_WINDOW_DAYS unless configured);
- ownership_changed: the CMO changed hands after the decision was taken (levels L1 and above:
  an L0 decision shares nothing a new owner could misuse);
- review_due: today is on or after the decision's review date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planner.domain.cmo import CMO
from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_gates import check_level, describe, governing
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import AgreementType
from planner.domain.wording import plural

DEFAULT_CDA_WINDOW_DAYS = 60


class FlagKind(StrEnum):
    BLOCKED = "blocked"
    CDA_EXPIRING = "cda_expiring"
    OWNERSHIP_CHANGED = "ownership_changed"
    REVIEW_DUE = "review_due"


class DecisionStatus(StrEnum):
    """Worst first: a blocked decision is also due, but 'blocked' is what the user must see."""

    BLOCKED = "blocked"
    REVIEW = "review"
    DRAFT = "draft"
    OK = "ok"


@dataclass(frozen=True)
class ReviewFlag:
    kind: FlagKind
    message: str
    cmo_id: int | None = None


def review_due(decision: DisclosureDecision, today: date) -> ReviewFlag | None:
    if decision.review_date is None or today < decision.review_date:
        return None
    return ReviewFlag(
        FlagKind.REVIEW_DUE, f"The review date ({decision.review_date}) has come: review it."
    )


def cmo_flags(
    decision: DisclosureDecision,
    cmo: CMO,
    today: date,
    window_days: int = DEFAULT_CDA_WINDOW_DAYS,
) -> list[ReviewFlag]:
    """Flags that depend on the CMO: agreements on `today` and its ownership history."""
    flags: list[ReviewFlag] = []
    gate = check_level(decision.level, cmo.agreements, today)
    if not gate.allowed:
        flags.append(
            ReviewFlag(
                FlagKind.BLOCKED,
                f"Blocked for {cmo.name}: {gate.reason} Nothing at this level may be sent.",
                cmo.id,
            )
        )
    elif decision.level >= DisclosureLevel.PROGRAM:
        cda = governing(cmo.agreements, AgreementType.CDA, today)
        if cda is not None and cda.expires_within(today, window_days):
            assert cda.expiry_date is not None
            days = (cda.expiry_date - today).days
            flags.append(
                ReviewFlag(
                    FlagKind.CDA_EXPIRING,
                    f"The {describe(cda)} with {cmo.name} expires in {plural(days, 'day')}: renew it or "
                    f"review the decision; after {cda.expiry_date} it is blocked.",
                    cmo.id,
                )
            )
    changed = cmo.ownership_change_date
    if (
        decision.level >= DisclosureLevel.AGGREGATE
        and decision.decided_on is not None
        and changed is not None
        and changed > decision.decided_on
    ):
        owner = f" (now {cmo.parent_company})" if cmo.parent_company else ""
        flags.append(
            ReviewFlag(
                FlagKind.OWNERSHIP_CHANGED,
                f"{cmo.name} changed ownership on {changed}{owner}, after this decision "
                f"({decision.decided_on}): review it.",
                cmo.id,
            )
        )
    return flags


def review_flags(
    decision: DisclosureDecision,
    cmos: list[CMO],
    today: date,
    window_days: int = DEFAULT_CDA_WINDOW_DAYS,
) -> list[ReviewFlag]:
    """Every flag for the decision over the CMOs it applies to (chosen CMO or candidates)."""
    flags = [f for cmo in cmos for f in cmo_flags(decision, cmo, today, window_days)]
    due = review_due(decision, today)
    return flags + ([due] if due else [])


def status(decision: DisclosureDecision, flags: list[ReviewFlag]) -> DecisionStatus:
    if any(f.kind == FlagKind.BLOCKED for f in flags):
        return DecisionStatus.BLOCKED
    if flags:
        return DecisionStatus.REVIEW
    if not decision.is_decided:
        return DecisionStatus.DRAFT
    return DecisionStatus.OK
