"""What the agreements with a CMO allow, and what the relationship type suggests.

Agreement gates are hard: L2 needs a CDA in force on the date of disclosure; L3 needs a CDA, an MSA
and a quality agreement all in force on that date. L0 and L1 need no agreement (L1 is aggregate).
The relationship gate is soft: a level above the relationship type's suggestion may be recorded,
but only with a written justification.

Every result carries a reason that names the agreements (type and dates) that allow or block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from planner.domain.cmo import Agreement
from planner.domain.disclosure_levels import DisclosureLevel, level_of
from planner.domain.enums import AgreementType, RelationshipType

REQUIRED_AGREEMENTS: dict[DisclosureLevel, tuple[AgreementType, ...]] = {
    DisclosureLevel.NONE: (),
    DisclosureLevel.AGGREGATE: (),
    DisclosureLevel.PROGRAM: (AgreementType.CDA,),
    DisclosureLevel.FULL: (AgreementType.CDA, AgreementType.MSA, AgreementType.QUALITY),
}

SUGGESTED_CEILING: dict[RelationshipType, DisclosureLevel] = {
    RelationshipType.TRANSACTIONAL: DisclosureLevel.AGGREGATE,
    RelationshipType.PREFERRED_PROVIDER: DisclosureLevel.PROGRAM,
    RelationshipType.STRATEGIC_PARTNERSHIP: DisclosureLevel.FULL,
}

_SHORT_NAMES = {
    AgreementType.CDA: "CDA",
    AgreementType.MSA: "MSA",
    AgreementType.QUALITY: "quality agreement",
    AgreementType.SUPPLY: "supply agreement",
}


@dataclass(frozen=True)
class Gate:
    """The outcome for one level: `agreements` are the ones that allow it (empty when blocked)."""

    level: DisclosureLevel
    allowed: bool
    reason: str
    agreements: tuple[Agreement, ...] = ()


def agreement_name(kind: AgreementType) -> str:
    return _SHORT_NAMES[kind]


def describe(agreement: Agreement) -> str:
    """'CDA 2021-12-15 – 2026-12-14', 'quality agreement from 2023-04-15 (no expiry)'."""
    name = agreement_name(agreement.type)
    if agreement.effective_date is None:
        return f"{name} (not signed: no effective date)"
    if agreement.expiry_date is None:
        return f"{name} from {agreement.effective_date} (no expiry)"
    return f"{name} {agreement.effective_date} – {agreement.expiry_date}"


def governing(agreements: Iterable[Agreement], kind: AgreementType, on: date) -> Agreement | None:
    """The agreement of `kind` in force on `on` that lasts longest (open-ended wins)."""
    in_force = [a for a in agreements if a.type == kind and a.in_force_on(on)]
    if not in_force:
        return None
    return max(in_force, key=lambda a: (a.expiry_date is None, a.expiry_date or date.min))


def why_missing(agreements: Iterable[Agreement], kind: AgreementType, on: date) -> str:
    """Why no agreement of `kind` is in force on `on`, naming the nearest one on record."""
    same = [a for a in agreements if a.type == kind]
    name = agreement_name(kind)
    if not same:
        return f"no {name} on record"
    expired = [a for a in same if a.expiry_date is not None and a.expiry_date < on]
    if expired:
        last = max(expired, key=lambda a: a.expiry_date or date.min)
        return f"the {describe(last)} expired on {last.expiry_date}"
    future = [a for a in same if a.effective_date is not None and a.effective_date > on]
    if future:
        first = min(future, key=lambda a: a.effective_date or date.max)
        return f"the {describe(first)} only takes effect on {first.effective_date}"
    return f"the {name} on record is not signed (no effective date)"


def check_level(level: int, agreements: Sequence[Agreement], on: date) -> Gate:
    """May `level` be disclosed on `on` under these agreements?"""
    wanted = level_of(level)
    required = REQUIRED_AGREEMENTS[wanted]
    if not required:
        return Gate(wanted, True, f"{wanted.short} needs no agreement.")
    found = {kind: governing(agreements, kind, on) for kind in required}
    missing = [kind for kind, agreement in found.items() if agreement is None]
    needs = ", ".join(agreement_name(k) for k in required)
    if missing:
        reasons = "; ".join(why_missing(agreements, kind, on) for kind in missing)
        return Gate(wanted, False, f"{wanted.short} needs {needs} in force on {on}: {reasons}.")
    allowing = tuple(a for a in found.values() if a is not None)
    return Gate(
        wanted,
        True,
        f"{wanted.short} allowed on {on} under the "
        + ", ".join(describe(a) for a in allowing)
        + ".",
        allowing,
    )


def allowed_level(agreements: Sequence[Agreement], on: date) -> Gate:
    """The highest level the agreements allow on `on`, and why not the next one up."""
    best = check_level(DisclosureLevel.NONE, agreements, on)
    blocked_above: Gate | None = None
    for level in DisclosureLevel:
        gate = check_level(level, agreements, on)
        if not gate.allowed:
            blocked_above = gate
            break
        best = gate
    if best.level == DisclosureLevel.AGGREGATE and blocked_above is not None:
        return Gate(best.level, True, f"Up to L1 (aggregate only). {blocked_above.reason}")
    reason = f"Up to {best.level.short}: {best.reason}"
    if blocked_above is not None:
        reason += f" {blocked_above.reason}"
    return Gate(best.level, True, reason, best.agreements)


def relationship_ceiling(relationship: RelationshipType) -> DisclosureLevel:
    return SUGGESTED_CEILING[relationship]


def needs_justification(level: int, relationship: RelationshipType) -> bool:
    return level_of(level) > relationship_ceiling(relationship)


def relationship_gate(level: int, relationship: RelationshipType) -> Gate:
    """Allowed when within the suggestion; otherwise 'allowed with a written justification'."""
    wanted = level_of(level)
    ceiling = relationship_ceiling(relationship)
    if wanted <= ceiling:
        return Gate(
            wanted,
            True,
            f"A {relationship.label.lower()} relationship suggests up to {ceiling.short}.",
        )
    return Gate(
        wanted,
        False,
        f"A {relationship.label.lower()} relationship suggests up to {ceiling.short}; "
        f"{wanted.short} needs a written justification.",
    )
