"""The alignment pack as data: exactly what one CMO will receive, nothing more.

Everything the xlsx writer and the HTML (PDF) renderer show comes from a `PackContent`, so both
carry the same information and neither can reach the store. `build_content` is the only way in
and it takes already filtered inputs: the shareable criteria version, the shared milestones (whose
links name shared milestones only) and the pipeline outlook, whose `data` went through
`disclosure_levels.disclose`. It adds nothing about other CMOs, sign-offs, scores, milestones not
shared or assets at L0; an asset's code appears only when its level discloses the code.

All text is cleaned once here (`clean_text`): no control characters except tab and newline, no
characters XML cannot carry, so every writer can trust the strings it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from planner.domain.criteria import CriteriaSet, Criterion, CriterionStage, format_target
from planner.domain.disclosure_levels import FIELD_LABELS, FIELDS, DisclosedValue, level_of
from planner.domain.engagement import Engagement
from planner.domain.timeline_summary import SharedMilestone

# Excel keeps at most this many characters in a cell; longer text is cut with an ellipsis.
MAX_TEXT = 32_000
_NEWLINES = re.compile(r"\r\n?")

SECTION_COVER = "Cover"
SECTION_CRITERIA = "Evaluation criteria"
SECTION_KPIS = "Performance metrics"
SECTION_TIMELINE = "Timeline"
SECTION_PIPELINE = "Pipeline outlook"
SECTION_RESPONSE = "Your response"

ACK_CHOICES = ("Yes", "No")
FEASIBLE_CHOICES = ("Yes", "No", "With conditions")


def clean_text(value: object, limit: int = MAX_TEXT) -> str:
    """Text any writer may put in a file: Cc characters other than tab and newline, surrogates and
    the XML non-characters U+FFFE/U+FFFF removed; CR and CRLF become LF."""
    text = _NEWLINES.sub("\n", "" if value is None else str(value))
    kept = "".join(
        ch
        for ch in text
        if ch in "\t\n"
        or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in "\ufffe\uffff")
    )
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


class OutlookLike(Protocol):
    """What the pack needs of an outlook item: the level that may be sent and its filtered data."""

    @property
    def level(self) -> int: ...

    @property
    def data(self) -> Mapping[str, DisclosedValue]: ...


@dataclass(frozen=True)
class CoverFacts:
    sponsor: str
    cmo: str
    engagement: str
    program: str
    service_type: str
    pack_id: str  # "" in a preview: the id is given when the pack is exported
    criteria_version: int | None  # None: the pack carries no criteria
    timeline_version: int | None
    issued_on: date
    notice: str  # the confidentiality notice, also in every page header

    @property
    def short_notice(self) -> str:
        return f"Confidential – {self.sponsor} for {self.cmo}"


@dataclass(frozen=True)
class PackCriterion:
    key: str  # identifies the response row; stable across criteria versions
    name: str
    description: str
    weight: float  # percent of the selection criteria
    scale: tuple[str, ...]  # wording of scores 1..5; () when none was written
    evidence_requested: str
    knockout: bool


@dataclass(frozen=True)
class PackKpi:
    key: str
    name: str
    description: str
    weight: float  # percent of the performance KPIs
    metric: str
    unit: str
    target: str  # "≥ 95", "≤ 0.5"; "" when not set
    zero_points_at: str  # the floor: the value that earns no points; "" when none


@dataclass(frozen=True)
class PackMilestone:
    key: str
    name: str
    planned_date: date | None
    owner: str
    driver: str
    rationale: str
    external_consequences: str
    buffer_days: int
    hard_deadline: bool
    hinges_on_it: tuple[tuple[str, int], ...]  # (shared dependent, minimum lead days)
    depends_on: tuple[tuple[str, int], ...]  # (shared prerequisite, minimum lead days)


@dataclass(frozen=True)
class AssetField:
    name: str  # disclosure_levels field name
    label: str
    text: str


@dataclass(frozen=True)
class PackAsset:
    label: str  # the program code when the level discloses it, else "Undisclosed program N"
    level: int
    level_label: str
    fields: tuple[AssetField, ...]  # exactly the fields of the level, in FIELDS order

    def value(self, name: str) -> str | None:
        return next((f.text for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class ResponseQuestion:
    key: str
    section: str  # "Selection criterion", "KPI", "Milestone"
    item: str
    prompt: str
    asks_date: bool  # only milestones take a proposed date


@dataclass(frozen=True)
class PackContent:
    cover: CoverFacts
    criteria: tuple[PackCriterion, ...]
    kpis: tuple[PackKpi, ...]
    milestones: tuple[PackMilestone, ...]
    assets: tuple[PackAsset, ...]
    questions: tuple[ResponseQuestion, ...]

    @property
    def asset_fields(self) -> tuple[str, ...]:
        """Union of the fields shown for any asset, in FIELDS order (the pipeline table's columns)."""
        shown = {f.name for a in self.assets for f in a.fields}
        return tuple(f for f in FIELDS[level_of(3)] if f in shown)

    @property
    def is_empty(self) -> bool:
        return not (self.criteria or self.kpis or self.milestones or self.assets)

    def sections(self) -> tuple[tuple[str, str], ...]:
        """(title, what it holds) for the cover's contents list; every section is always present."""
        return (
            (SECTION_CRITERIA, _count(self.criteria, "criterion", "criteria") + " with weights"),
            (SECTION_KPIS, _count(self.kpis, "KPI", "KPIs") + " with targets"),
            (SECTION_TIMELINE, _count(self.milestones, "milestone", "milestones") + " and why"),
            (SECTION_PIPELINE, _count(self.assets, "program", "programs") + " we expect"),
            (SECTION_RESPONSE, _count(self.questions, "question", "questions") + " for you"),
        )


def _count(items: Sequence[object], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}"


def notice(sponsor: str, cmo: str) -> str:
    return (
        f"Confidential. Prepared by {sponsor} exclusively for {cmo}. Do not forward, copy or "
        f"disclose any part of it to anyone else without {sponsor}'s written consent."
    )


def build_content(
    *,
    sponsor: str,
    engagement: Engagement,
    cmo: str,
    criteria: CriteriaSet | None,
    milestones: Sequence[SharedMilestone],
    timeline_version: int | None,
    outlook: Iterable[OutlookLike],
    pack_id: str = "",
    issued_on: date,
) -> PackContent:
    """`criteria` must be the shareable version (aligned or communicated) or None, `milestones`
    what TimelineService.shared returned and `outlook` the PackOutlook items: nothing here looks
    at a status or a share flag again, so a caller passing unfiltered data would leak it."""
    sponsor, cmo = clean_text(sponsor) or "The sponsor", clean_text(cmo)
    cover = CoverFacts(
        sponsor=sponsor,
        cmo=cmo,
        engagement=clean_text(engagement.title),
        program=clean_text(engagement.program),
        service_type=clean_text(engagement.service_type),
        pack_id=pack_id,
        criteria_version=criteria.version if criteria else None,
        timeline_version=timeline_version,
        issued_on=issued_on,
        notice=notice(sponsor, cmo),
    )
    chosen = criteria.criteria if criteria else []
    selection = tuple(_criterion(c) for c in chosen if c.stage is CriterionStage.SELECTION)
    kpis = tuple(_kpi(c) for c in chosen if c.stage is CriterionStage.PERFORMANCE)
    shared = tuple(_milestone(m) for m in milestones)
    assets = _assets(outlook)
    questions = (
        *(_criterion_question(c) for c in selection),
        *(_kpi_question(k) for k in kpis),
        *(_milestone_question(m) for m in shared),
    )
    return PackContent(cover, selection, kpis, shared, assets, questions)


def criterion_key(c: Criterion) -> str:
    prefix = "criterion" if c.stage is CriterionStage.SELECTION else "kpi"
    return f"{prefix}:{c.library_key or c.id}"


def _criterion(c: Criterion) -> PackCriterion:
    return PackCriterion(
        key=criterion_key(c),
        name=clean_text(c.name),
        description=clean_text(c.description),
        weight=round(c.weight, 1),
        scale=tuple(clean_text(a) for a in c.scale) if any(a.strip() for a in c.scale) else (),
        evidence_requested=clean_text(c.evidence_requested),
        knockout=c.knockout,
    )


def _kpi(c: Criterion) -> PackKpi:
    return PackKpi(
        key=criterion_key(c),
        name=clean_text(c.name),
        description=clean_text(c.description),
        weight=round(c.weight, 1),
        metric=clean_text(c.metric),
        unit=clean_text(c.unit),
        target=format_target(c.direction, c.target, None),
        zero_points_at=f"{c.floor:g}" if c.floor is not None and c.target is not None else "",
    )


def _milestone(shared: SharedMilestone) -> PackMilestone:
    m = shared.milestone
    return PackMilestone(
        key=f"milestone:{m.id}",
        name=clean_text(m.name),
        planned_date=m.planned_date,
        owner=m.owner.label if m.owner else "",
        driver=m.driver.label if m.driver else "",
        rationale=clean_text(m.rationale),
        external_consequences=clean_text(m.external_consequences),
        buffer_days=m.buffer_days,
        hard_deadline=m.hard_deadline,
        hinges_on_it=tuple((clean_text(n), d) for n, d in shared.hinges_on_it),
        depends_on=tuple((clean_text(n), d) for n, d in shared.depends_on),
    )


def _assets(outlook: Iterable[OutlookLike]) -> tuple[PackAsset, ...]:
    assets = []
    unnamed = 0
    for item in outlook:
        level = level_of(int(item.level))
        if level == 0:
            continue  # no row at all: not even the existence of an L0 asset is sent
        fields = tuple(
            AssetField(name, FIELD_LABELS[name], value_text(name, item.data[name]))
            for name in FIELDS[level]
            if name in item.data
        )
        code = clean_text(item.data.get("code", ""))
        if not code:
            unnamed += 1
            code = f"Undisclosed program {unnamed}"
        assets.append(PackAsset(code, int(level), level.label, fields))
    return tuple(assets)


def value_text(name: str, value: DisclosedValue) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{year}: {amount:,.6g}" for year, amount in value.items())
    if name == "phase_band" and value:
        return {"early": "Early development", "late": "Late stage or marketed"}.get(value, value)
    return clean_text(value)


def date_text(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not dated yet"


def lead_text(links: Sequence[tuple[str, int]]) -> str:
    return "; ".join(
        f"{name} (at least {days} days later)" if days else name for name, days in links
    )


def _criterion_question(c: PackCriterion) -> ResponseQuestion:
    ask = "Please confirm you understand how we will assess this."
    if c.evidence_requested:
        ask += f" Evidence we ask for: {c.evidence_requested.rstrip('. ')}."
    if c.knockout:
        ask += " Knockout: a score of 1 eliminates a proposal."
    return ResponseQuestion(c.key, "Selection criterion", c.name, ask, False)


def _kpi_question(k: PackKpi) -> ResponseQuestion:
    target = f"{k.target} {k.unit}".strip() if k.target else "the target we set"
    return ResponseQuestion(k.key, "KPI", k.name, f"Can you commit to {target}?", False)


def _milestone_question(m: PackMilestone) -> ResponseQuestion:
    owner = f" (owner: {m.owner})" if m.owner else ""
    prompt = (
        f"Planned for {date_text(m.planned_date)}{owner}. Is this feasible for you? "
        "If not, propose a date."
    )
    return ResponseQuestion(m.key, "Milestone", m.name, prompt, True)


REDACTED = "[withheld]"


def redact(value, secrets: Sequence[str]):
    """`value` (content, or any part of it) with every withheld text replaced, case-insensitively.

    Free text written for the engagement (its title, a milestone's rationale) can name an asset
    that this CMO may not know about; the disclosure level decides, not the author's care."""
    import dataclasses
    import re

    words = sorted({s.strip() for s in secrets if len(s.strip()) >= 3}, key=len, reverse=True)
    if not words:
        return value
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)

    def walk(v):
        if isinstance(v, str):
            return pattern.sub(REDACTED, v)
        if isinstance(v, tuple):
            return tuple(walk(x) for x in v)
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return dataclasses.replace(
                v, **{f.name: walk(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}
            )
        return v

    return walk(value)
