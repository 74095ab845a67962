"""The wizard's per-asset checklist and the level it recommends, with the reasons.

The recommendation starts from what sharing buys and is then capped by every caution that applies:

- what sharing buys sets the need: better pricing → L1 (volume bands are enough to quote),
  capacity reservation → L2 (code, dates and forecast to book a slot), earlier technical
  planning → L3 (the technical package); nothing → L0;
- a CMO that serves a direct competitor in the asset's area → at most L1; not knowing counts as yes;
- an asset whose existence is not public → at most L2 (INN and indication would identify it);
  not knowing counts as not public;
- the relationship type's suggestion (transactional L1, preferred provider L2, strategic L3);
- what the agreements in force allow on the date of disclosure (see disclosure_gates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from planner.domain.cmo import Agreement
from planner.domain.disclosure_gates import allowed_level, relationship_ceiling
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import RelationshipType


class Benefit(StrEnum):
    BETTER_PRICING = "better_pricing"
    CAPACITY_RESERVATION = "capacity_reservation"
    EARLIER_TECHNICAL_PLANNING = "earlier_technical_planning"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def needs(self) -> DisclosureLevel:
        return {
            Benefit.BETTER_PRICING: DisclosureLevel.AGGREGATE,
            Benefit.CAPACITY_RESERVATION: DisclosureLevel.PROGRAM,
            Benefit.EARLIER_TECHNICAL_PLANNING: DisclosureLevel.FULL,
        }[self]


QUESTIONS: dict[str, str] = {
    "existence_public": "Is the asset's existence public?",
    "serves_competitor": "Does the CMO serve a direct competitor in this therapeutic area?",
    "benefits": "What does sharing buy: capacity reservation, earlier technical planning, "
    "better pricing?",
}


@dataclass
class SharingChecklist:
    """None means 'not answered yet'; benefits=[] means 'answered: sharing buys nothing'."""

    existence_public: bool | None = None
    serves_competitor: bool | None = None
    benefits: list[Benefit] | None = None
    notes: str = ""

    def unanswered(self) -> list[str]:
        return [question for name, question in QUESTIONS.items() if getattr(self, name) is None]

    def to_json(self) -> dict[str, Any]:
        return {
            "existence_public": self.existence_public,
            "serves_competitor": self.serves_competitor,
            "benefits": None if self.benefits is None else [b.value for b in self.benefits],
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> SharingChecklist:
        """Tolerates a partial or older dict: unknown benefits are dropped, missing keys unanswered."""
        data = data or {}
        raw = data.get("benefits")
        benefits = None
        if isinstance(raw, list):
            known = {b.value for b in Benefit}
            benefits = [Benefit(b) for b in raw if b in known]
        return cls(
            existence_public=_flag(data.get("existence_public")),
            serves_competitor=_flag(data.get("serves_competitor")),
            benefits=benefits,
            notes=str(data.get("notes") or ""),
        )


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class Recommendation:
    level: DisclosureLevel
    reasons: list[str] = field(default_factory=list)


def _need(checklist: SharingChecklist) -> tuple[DisclosureLevel, str]:
    if checklist.benefits is None:
        return DisclosureLevel.NONE, "Nothing is recommended until it is said what sharing buys."
    if not checklist.benefits:
        return DisclosureLevel.NONE, "Sharing buys nothing named, so nothing needs to be shared."
    top = max(checklist.benefits, key=lambda b: b.needs)
    return top.needs, f"{top.label} needs {top.needs.label}."


def recommend(
    checklist: SharingChecklist,
    relationship: RelationshipType,
    agreements: Sequence[Agreement],
    on: date,
) -> tuple[DisclosureLevel, list[str]]:
    """The level to propose for one asset and one CMO on the date of disclosure, and why.

    The level never exceeds what the agreements in force on `on` allow, nor the relationship
    suggestion; the first reason states the need, the following ones each cap that lowered it.
    """
    need, need_reason = _need(checklist)
    reasons = [need_reason]
    caps: list[tuple[DisclosureLevel, str]] = []
    if checklist.serves_competitor is not False:
        caps.append(
            (
                DisclosureLevel.AGGREGATE,
                "The CMO serves a direct competitor in this area: aggregate figures at most."
                if checklist.serves_competitor
                else "It is not known whether the CMO serves a direct competitor in this area: "
                "aggregate figures at most until that is answered.",
            )
        )
    if checklist.existence_public is not True:
        caps.append(
            (
                DisclosureLevel.PROGRAM,
                "The asset's existence is not public: INN and indication stay inside (L2 at most)."
                if checklist.existence_public is False
                else "It is not known whether the asset's existence is public: treated as not "
                "public, so INN and indication stay inside (L2 at most).",
            )
        )
    ceiling = relationship_ceiling(relationship)
    caps.append(
        (ceiling, f"A {relationship.label.lower()} relationship suggests up to {ceiling.short}.")
    )
    gate = allowed_level(agreements, on)
    caps.append((gate.level, gate.reason))

    level = need
    for cap, reason in caps:
        if cap < need:
            reasons.append(reason)
        level = min(level, cap)
    if level >= DisclosureLevel.PROGRAM and gate.reason not in reasons:
        reasons.append(gate.reason)
    return DisclosureLevel(level), reasons


def recommendation(
    checklist: SharingChecklist,
    relationship: RelationshipType,
    agreements: Sequence[Agreement],
    on: date,
) -> Recommendation:
    level, reasons = recommend(checklist, relationship, agreements, on)
    return Recommendation(level, reasons)
