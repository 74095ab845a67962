"""Evaluation criteria: what a CMO is judged on, agreed internally before anyone is told.

A criteria set belongs to one engagement and is versioned. Its status moves
draft → in review → aligned → communicated; a communicated version is frozen and any change
starts the next version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

SCALE_POINTS = 5
# Weights are percentages kept to one decimal place; 0.05 absorbs float noise in sums.
WEIGHT_TOLERANCE = 0.05


class CriterionStage(StrEnum):
    SELECTION = "selection"
    PERFORMANCE = "performance"

    @property
    def label(self) -> str:
        return {"selection": "Selection criteria", "performance": "Performance KPIs"}[self.value]


class SetStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    ALIGNED = "aligned"
    COMMUNICATED = "communicated"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Verdict(StrEnum):
    AGREE = "agree"
    AGREE_WITH_COMMENT = "agree_with_comment"
    OBJECT = "object"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_agreement(self) -> bool:
        return self is not Verdict.OBJECT


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} is better"


# Internal roles that sign off a set; a set may require others too (role names are free text).
STANDARD_ROLES: dict[str, str] = {
    "qa": "QA",
    "supply_chain": "Supply chain",
    "procurement": "Procurement",
    "technical": "Technical",
    "regulatory": "Regulatory",
    "finance": "Finance",
}
DEFAULT_REQUIRED_ROLES: tuple[str, ...] = ("qa", "supply_chain", "procurement", "technical")
ROLE_MAX_LENGTH = 40


def role_label(role: str) -> str:
    return STANDARD_ROLES.get(role, role)


def normalise_role(text: str) -> str:
    """A standard role's key when the text names one ('Supply chain' → 'supply_chain')."""
    cleaned = " ".join(text.split())
    folded = cleaned.casefold().replace(" ", "_")
    for key, label in STANDARD_ROLES.items():
        if folded in (key, label.casefold().replace(" ", "_")):
            return key
    return cleaned


class CriteriaRuleError(ValueError):
    """A criterion, weight or sign-off that may not be stored as it is; the message is for the user."""


@dataclass
class Criterion:
    name: str
    stage: CriterionStage = CriterionStage.SELECTION
    description: str = ""
    weight: float = 0.0  # percent of its stage; each stage's weights sum to 100
    scale: list[str] = field(default_factory=list)  # anchored wording, index 0 is score 1
    metric: str = ""  # how a KPI is measured
    unit: str = ""
    target: float | None = None  # KPIs only, in `unit`
    direction: Direction | None = None  # KPIs only
    floor: float | None = None  # KPIs only: the value that earns 0 points (see scorecard)
    evidence_requested: str = ""
    # Selection only. A knockout is scored like any criterion but a 1 eliminates the candidate.
    knockout: bool = False
    # Identity across versions: a library key, "custom.<slug>" or "own.<hex>" for one-off ones.
    library_key: str = ""
    id: int | None = None


@dataclass
class SignOff:
    role: str
    person: str = ""
    signed_on: date | None = None
    verdict: Verdict | None = None  # None: not given yet (or cleared by a later edit)
    comment: str = ""

    @property
    def is_pending(self) -> bool:
        return self.verdict is None


@dataclass
class CriteriaSet:
    engagement_id: int
    version: int = 1
    status: SetStatus = SetStatus.DRAFT
    required_roles: list[str] = field(default_factory=lambda: list(DEFAULT_REQUIRED_ROLES))
    criteria: list[Criterion] = field(default_factory=list)
    sign_offs: list[SignOff] = field(default_factory=list)
    created_at: datetime | None = None
    communicated_at: datetime | None = None
    id: int | None = None

    @property
    def frozen(self) -> bool:
        return self.status is SetStatus.COMMUNICATED

    def stage_criteria(self, stage: CriterionStage) -> list[Criterion]:
        return [c for c in self.criteria if c.stage is stage]

    def weight_total(self, stage: CriterionStage) -> float:
        return round(sum(c.weight for c in self.stage_criteria(stage)), 1)

    def criterion(self, criterion_id: int) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise LookupError(f"Criterion {criterion_id} is not part of version {self.version}.")

    def sign_off(self, role: str) -> SignOff | None:
        return next((s for s in self.sign_offs if s.role == role), None)


def check_criterion(c: Criterion) -> None:
    """Rules for one criterion whatever the set's state; raises CriteriaRuleError."""
    if not c.name.strip():
        raise CriteriaRuleError("A criterion needs a name.")
    if not 0 <= c.weight <= 100:
        raise CriteriaRuleError(f"The weight of '{c.name}' must be between 0 and 100.")
    if c.scale and len(c.scale) != SCALE_POINTS:
        raise CriteriaRuleError(
            f"'{c.name}' needs wording for each of the {SCALE_POINTS} scale points "
            f"(it has {len(c.scale)})."
        )
    if c.stage is CriterionStage.PERFORMANCE:
        if c.knockout:
            raise CriteriaRuleError(
                f"'{c.name}' is a performance KPI; only selection criteria can be knockouts."
            )
        if c.floor is not None and c.target is not None and c.direction is not None:
            worse = c.floor < c.target if c.direction is Direction.HIGHER else c.floor > c.target
            if not worse:
                raise CriteriaRuleError(
                    f"The floor of '{c.name}' ({c.floor:g}) must be worse than its target "
                    f"({c.target:g}) when {c.direction.label.lower()}."
                )
    elif c.target is not None or c.direction is not None or c.floor is not None:
        raise CriteriaRuleError(f"'{c.name}' is a selection criterion; only KPIs have targets.")


def set_problems(cs: CriteriaSet) -> list[str]:
    """What stops the set from going to review: [] when it is ready. Messages are for the user."""
    problems: list[str] = []
    if not cs.criteria:
        problems.append("Choose at least one criterion.")
    for stage in CriterionStage:
        items = cs.stage_criteria(stage)
        if not items:
            continue
        total = sum(c.weight for c in items)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            problems.append(f"{stage.label} weights add up to {total:.1f}, not 100.")
        seen: set[str] = set()
        for c in items:
            key = c.name.strip().casefold()
            if key in seen:
                problems.append(f"'{c.name}' appears twice among the {stage.label.lower()}.")
            seen.add(key)
            if len([a for a in c.scale if a.strip()]) != SCALE_POINTS:
                problems.append(f"'{c.name}' needs wording for all {SCALE_POINTS} scale points.")
            if stage is CriterionStage.PERFORMANCE and (c.target is None or c.direction is None):
                problems.append(f"KPI '{c.name}' needs a target and a direction.")
    if not cs.required_roles:
        problems.append("Name at least one role that must sign off.")
    return problems


def status_from_sign_offs(required_roles: list[str], sign_offs: list[SignOff]) -> SetStatus:
    """In review until every required role agreed (with or without comment) and none objects."""
    by_role = {s.role: s for s in sign_offs}
    verdicts = [by_role[r].verdict if r in by_role else None for r in required_roles]
    if required_roles and all(v is not None and v.is_agreement for v in verdicts):
        return SetStatus.ALIGNED
    return SetStatus.IN_REVIEW


# --- KPI targets as stored text: "≥ 95 (floor 80)", "≤ 0.5" -----------------------------------

_TARGET = re.compile(
    r"^\s*(?P<op>>=|<=|≥|≤)\s*(?P<target>-?\d+(?:\.\d+)?)\s*"
    r"(?:\(\s*floor\s+(?P<floor>-?\d+(?:\.\d+)?)\s*\))?\s*$",
    re.IGNORECASE,
)


def format_target(direction: Direction | None, target: float | None, floor: float | None) -> str:
    if direction is None or target is None:
        return ""
    text = f"{'≥' if direction is Direction.HIGHER else '≤'} {target:g}"
    return f"{text} (floor {floor:g})" if floor is not None else text


def parse_target(text: str) -> tuple[Direction | None, float | None, float | None]:
    """Inverse of format_target; ASCII '>=' and '<=' are accepted too. Raises on other text."""
    if not text.strip():
        return None, None, None
    match = _TARGET.match(text)
    if not match:
        raise CriteriaRuleError(
            f"'{text}' is not a KPI target; write it as '≥ 95' or '≤ 0.5 (floor 2)'."
        )
    direction = Direction.HIGHER if match["op"] in (">=", "≥") else Direction.LOWER
    floor = float(match["floor"]) if match["floor"] is not None else None
    return direction, float(match["target"]), floor


def open_items(cs: CriteriaSet | None) -> list[str]:
    """What is still open, in the order a user would deal with it; [] once communicated."""
    if cs is None:
        return ["No criteria yet: choose them from the library or write your own."]
    if cs.frozen:
        return []
    items = set_problems(cs)
    for s in cs.sign_offs:
        if s.role in cs.required_roles and not s.person.strip():
            items.append(f"Name who signs off for {role_label(s.role)}.")
    if cs.status is SetStatus.DRAFT and not items:
        items.append("Submit the criteria for internal review.")
    pending = [
        role_label(s.role) for s in cs.sign_offs if s.role in cs.required_roles and s.is_pending
    ]
    if cs.status is SetStatus.IN_REVIEW and pending:
        items.append(f"Waiting for sign-off from {', '.join(pending)}.")
    for s in cs.sign_offs:
        if s.verdict is Verdict.OBJECT:
            items.append(f"{role_label(s.role)} ({s.person}) objects: {s.comment}")
    if cs.status is SetStatus.ALIGNED:
        items.append(f"Aligned: export packs to communicate version {cs.version} to the CMOs.")
    return items


def next_step(cs: CriteriaSet | None) -> str:
    if cs is None:
        return "Choose criteria"
    return {
        SetStatus.DRAFT: "Submit for review" if not set_problems(cs) else "Complete the criteria",
        SetStatus.IN_REVIEW: "Collect sign-offs",
        SetStatus.ALIGNED: "Export alignment packs",
        SetStatus.COMMUNICATED: f"Frozen; edit to start version {cs.version + 1}",
    }[cs.status]
