"""The criteria library: ready-made selection criteria and KPIs a set is built from.

The shipped entries come from resources/criteria/library.json; users add their own, which live in
the store. Both use the JSON shape of `entry_to_json`. Keys identify a criterion across versions
of a set: shipped keys are plain words ('quality_systems'), user keys start with 'custom.'.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from planner.domain.criteria import (
    SCALE_POINTS,
    CriteriaRuleError,
    Criterion,
    CriterionStage,
    Direction,
    check_criterion,
)

CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class LibraryEntry:
    key: str
    stage: CriterionStage
    name: str
    description: str = ""
    scale: tuple[str, ...] = ()  # anchored wording for scores 1..5
    evidence_requested: str = ""
    metric: str = ""
    unit: str = ""
    target: float | None = None
    direction: Direction | None = None
    floor: float | None = None
    suggested_weight: float = 0.0  # the shipped weights of each stage sum to 100
    knockout: bool = False  # suggested as a knockout when chosen
    custom: bool = False

    def to_criterion(self, weight: float | None = None) -> Criterion:
        return Criterion(
            name=self.name,
            stage=self.stage,
            description=self.description,
            weight=self.suggested_weight if weight is None else weight,
            scale=list(self.scale),
            metric=self.metric,
            unit=self.unit,
            target=self.target,
            direction=self.direction,
            floor=self.floor,
            evidence_requested=self.evidence_requested,
            knockout=self.knockout,
            library_key=self.key,
        )


def _number(value: object, what: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CriteriaRuleError(f"{what} must be a number.")
    return float(value)


def entry_from_json(item: dict, *, custom: bool = False) -> LibraryEntry:
    if not isinstance(item, dict):
        raise CriteriaRuleError("A library entry must be a JSON object.")
    try:
        stage = CriterionStage(item["stage"])
        direction = Direction(item["direction"]) if item.get("direction") else None
        entry = LibraryEntry(
            key=str(item["key"]).strip(),
            stage=stage,
            name=str(item["name"]).strip(),
            description=str(item.get("description", "")),
            scale=tuple(str(a) for a in item.get("scale", ())),
            evidence_requested=str(item.get("evidence_requested", "")),
            metric=str(item.get("metric", "")),
            unit=str(item.get("unit", "")),
            target=_number(item.get("target"), "A target"),
            direction=direction,
            floor=_number(item.get("floor"), "A floor"),
            suggested_weight=_number(item.get("suggested_weight"), "A weight") or 0.0,
            knockout=bool(item.get("knockout", False)),
            custom=custom,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CriteriaRuleError):
            raise
        label = item.get("key") or item.get("name") or "?"
        raise CriteriaRuleError(f"Library entry '{label}' is malformed ({exc}).") from exc
    check_entry(entry)
    return entry


def entry_to_json(entry: LibraryEntry) -> dict:
    data: dict = {
        "key": entry.key,
        "stage": entry.stage.value,
        "name": entry.name,
        "description": entry.description,
        "scale": list(entry.scale),
        "evidence_requested": entry.evidence_requested,
        "suggested_weight": entry.suggested_weight,
        "knockout": entry.knockout,
    }
    if entry.stage is CriterionStage.PERFORMANCE:
        data.update(
            metric=entry.metric,
            unit=entry.unit,
            target=entry.target,
            direction=entry.direction.value if entry.direction else None,
            floor=entry.floor,
        )
    return data


def check_entry(entry: LibraryEntry) -> None:
    if not entry.key:
        raise CriteriaRuleError(f"Library entry '{entry.name}' has no key.")
    if len(entry.scale) != SCALE_POINTS or any(not a.strip() for a in entry.scale):
        raise CriteriaRuleError(
            f"Library entry '{entry.name}' needs wording for all {SCALE_POINTS} scale points."
        )
    if entry.stage is CriterionStage.PERFORMANCE and (
        entry.target is None or entry.direction is None
    ):
        raise CriteriaRuleError(f"KPI '{entry.name}' needs a default target and a direction.")
    check_criterion(entry.to_criterion())


def parse_library(data: dict) -> list[LibraryEntry]:
    """The shipped file: {"format": 1, "selection": [...], "performance": [...]}."""
    if not isinstance(data, dict) or data.get("format") != 1:
        raise CriteriaRuleError("The criteria library file is not in a format this version reads.")
    entries = []
    for stage in CriterionStage:
        for item in data.get(stage.value, []):
            entries.append(entry_from_json({**item, "stage": stage.value}))
    check_unique(entries)
    return entries


def check_unique(entries: Iterable[LibraryEntry]) -> None:
    keys: set[str] = set()
    names: set[tuple[CriterionStage, str]] = set()
    for e in entries:
        if e.key in keys:
            raise CriteriaRuleError(f"The library has two entries with key '{e.key}'.")
        name = (e.stage, e.name.casefold())
        if name in names:
            raise CriteriaRuleError(f"The library already has a {e.stage.value} '{e.name}'.")
        keys.add(e.key)
        names.add(name)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:60] or "criterion"


def custom_key(name: str, taken: Iterable[str]) -> str:
    """'custom.<slug>', numbered when the slug is taken."""
    used = set(taken)
    base = CUSTOM_PREFIX + slug(name)
    key, n = base, 2
    while key in used:
        key, n = f"{base}_{n}", n + 1
    return key


def as_custom(entry: LibraryEntry, taken: Iterable[str]) -> LibraryEntry:
    """A user's entry with a fresh custom key when it has none (or a shipped-looking one)."""
    key = entry.key if entry.key.startswith(CUSTOM_PREFIX) else custom_key(entry.name, taken)
    return replace(entry, key=key, custom=True)
