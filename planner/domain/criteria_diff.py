"""What changed between two versions of a criteria set.

Criteria are matched by `library_key` (which copies keep across versions), falling back to stage
and name for criteria without one, so a renamed library criterion shows as changed, not as
removed and added.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from planner.domain.criteria import CriteriaSet, Criterion, role_label

COMPARED = (
    "name",
    "stage",
    "description",
    "weight",
    "scale",
    "metric",
    "unit",
    "target",
    "direction",
    "floor",
    "evidence_requested",
    "knockout",
)


@dataclass(frozen=True)
class CriterionChange:
    name: str  # the name in the newer version
    stage: str
    changes: dict[str, tuple[Any, Any]]  # field → (older, newer)

    @property
    def weight_change(self) -> tuple[float, float] | None:
        pair = self.changes.get("weight")
        return (float(pair[0]), float(pair[1])) if pair else None


@dataclass(frozen=True)
class VersionDiff:
    from_version: int
    to_version: int
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    changed: tuple[CriterionChange, ...]
    roles_added: tuple[str, ...]
    roles_removed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.roles_added or self.roles_removed
        )

    def lines(self) -> list[str]:
        """One sentence per change, for the change log and the summary page."""
        out = [f"Added {c.stage} '{c.name}' at {c.weight:g}%." for c in self.added]
        out += [f"Removed {c.stage} '{c.name}' (was {c.weight:g}%)." for c in self.removed]
        for ch in self.changed:
            parts = []
            if ch.weight_change:
                parts.append(f"weight {ch.weight_change[0]:g}% → {ch.weight_change[1]:g}%")
            other = sorted(f for f in ch.changes if f != "weight")
            if other:
                parts.append(", ".join(f.replace("_", " ") for f in other) + " changed")
            out.append(f"'{ch.name}': {'; '.join(parts)}.")
        out += [f"{role_label(r)} must now sign off." for r in self.roles_added]
        out += [f"{role_label(r)} no longer signs off." for r in self.roles_removed]
        return out

    def to_json(self) -> dict:
        return {
            "from_version": self.from_version,
            "to_version": self.to_version,
            "added": [_criterion_json(c) for c in self.added],
            "removed": [_criterion_json(c) for c in self.removed],
            "changed": [
                {
                    "name": ch.name,
                    "stage": ch.stage,
                    "changes": {k: [_plain(a), _plain(b)] for k, (a, b) in ch.changes.items()},
                }
                for ch in self.changed
            ],
            "roles_added": list(self.roles_added),
            "roles_removed": list(self.roles_removed),
        }


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _criterion_json(c: Criterion) -> dict:
    return {"name": c.name, "stage": c.stage.value, "weight": c.weight, "knockout": c.knockout}


def _identity(c: Criterion) -> tuple[str, str]:
    return ("key", c.library_key) if c.library_key else (c.stage.value, c.name.casefold())


def _fields(c: Criterion) -> dict[str, Any]:
    data = asdict(c)
    return {f: _plain(data[f]) for f in COMPARED}


def diff_sets(older: CriteriaSet, newer: CriteriaSet) -> VersionDiff:
    before = {_identity(c): c for c in older.criteria}
    after = {_identity(c): c for c in newer.criteria}
    changed = []
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            continue
        a, b = _fields(old), _fields(new)
        delta = {f: (a[f], b[f]) for f in COMPARED if a[f] != b[f]}
        if delta:
            changed.append(CriterionChange(new.name, new.stage.value, delta))
    return VersionDiff(
        from_version=older.version,
        to_version=newer.version,
        added=tuple(c for k, c in after.items() if k not in before),
        removed=tuple(c for k, c in before.items() if k not in after),
        changed=tuple(changed),
        roles_added=tuple(r for r in newer.required_roles if r not in older.required_roles),
        roles_removed=tuple(r for r in older.required_roles if r not in newer.required_roles),
    )
