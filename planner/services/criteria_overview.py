"""Read models over criteria sets: the overview `planner criteria ENGAGEMENT` prints and the
wizard's summary page shows, and the difference between two versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.domain import criteria as d
from planner.domain.criteria_diff import VersionDiff, diff_sets
from planner.domain.enums import Stage
from planner.services import criteria_rows as rows
from planner.services.criteria_sets import CriteriaSetService, VersionInfo
from planner.store.store import Store


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class CriteriaOverview:
    engagement_id: int
    engagement_title: str
    program: str
    engagement_stage: Stage
    criteria_set: d.CriteriaSet | None  # the version asked for, by default the latest
    versions: tuple[VersionInfo, ...]
    open_items: tuple[str, ...]
    next_step: str

    @property
    def weight_totals(self) -> dict[d.CriterionStage, float]:
        cs = self.criteria_set
        return {st: cs.weight_total(st) for st in d.CriterionStage if cs and cs.stage_criteria(st)}

    def to_json(self) -> dict:
        """Plain JSON types only (dates as ISO text); the shape `planner criteria --json` prints."""
        cs = self.criteria_set
        return {
            "engagement": {
                "id": self.engagement_id,
                "title": self.engagement_title,
                "program": self.program,
                "stage": self.engagement_stage.value,
            },
            "set_id": cs.id if cs else None,
            "version": cs.version if cs else None,
            "status": cs.status.value if cs else None,
            "created_at": _iso(cs.created_at) if cs else None,
            "communicated_at": _iso(cs.communicated_at) if cs else None,
            "weights": {st.value: total for st, total in self.weight_totals.items()},
            "criteria": [_criterion_json(c) for c in cs.criteria] if cs else [],
            "required_roles": list(cs.required_roles) if cs else [],
            "sign_offs": [_sign_off_json(s, cs) for s in cs.sign_offs] if cs else [],
            "versions": [
                {
                    "version": v.version,
                    "status": v.status.value,
                    "created_at": _iso(v.created_at),
                    "communicated_at": _iso(v.communicated_at),
                }
                for v in self.versions
            ],
            "open_items": list(self.open_items),
            "next_step": self.next_step,
        }


def _criterion_json(c: d.Criterion) -> dict:
    data = {
        "id": c.id,
        "stage": c.stage.value,
        "name": c.name,
        "weight": c.weight,
        "knockout": c.knockout,
        "description": c.description,
        "scale": list(c.scale),
        "evidence_requested": c.evidence_requested,
        "library_key": c.library_key,
    }
    if c.stage is d.CriterionStage.PERFORMANCE:
        data.update(
            metric=c.metric,
            unit=c.unit,
            target=c.target,
            direction=c.direction.value if c.direction else None,
            floor=c.floor,
            target_text=d.format_target(c.direction, c.target, c.floor),
        )
    return data


def _sign_off_json(s: d.SignOff, cs: d.CriteriaSet) -> dict:
    return {
        "role": s.role,
        "role_label": d.role_label(s.role),
        "required": s.role in cs.required_roles,
        "person": s.person,
        "signed_on": _iso(s.signed_on),
        "verdict": s.verdict.value if s.verdict else None,
        "comment": s.comment,
    }


class CriteriaOverviewService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._sets = CriteriaSetService(store)

    def overview(self, engagement_id: int, version: int | None = None) -> CriteriaOverview:
        with self._store.reading() as s:
            engagement = rows.load_engagement(s, engagement_id)
            title, program, stage = engagement.title, engagement.program, Stage(engagement.stage)
            if version is None:
                latest = rows.latest_set(s, engagement_id)
                cs = rows.set_to_domain(latest) if latest else None
            else:
                cs = rows.set_to_domain(rows.version_row(s, engagement_id, version))
        return CriteriaOverview(
            engagement_id=engagement_id,
            engagement_title=title,
            program=program,
            engagement_stage=stage,
            criteria_set=cs,
            versions=tuple(self._sets.versions(engagement_id)),
            open_items=tuple(d.open_items(cs)),
            next_step=d.next_step(cs),
        )

    def open_items(self, set_id: int) -> list[str]:
        return d.open_items(self._sets.get(set_id))

    def diff_versions(self, engagement_id: int, v1: int, v2: int) -> VersionDiff:
        """Added, removed and changed criteria (with weights) from version v1 to version v2."""
        with self._store.reading() as s:
            older = rows.set_to_domain(rows.version_row(s, engagement_id, v1))
            newer = rows.set_to_domain(rows.version_row(s, engagement_id, v2))
        return diff_sets(older, newer)
