"""Engagements with their candidate CMOs and the chosen one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from planner.domain import engagement as d
from planner.domain.enums import RelationshipType, Stage
from planner.domain.names import fold
from planner.domain.wording import plural
from planner.services import changelog
from planner.services.errors import Conflict, NotFound
from planner.store.models import CmoRow, EngagementCandidateRow, EngagementRow, PackRow

SCALAR_FIELDS = ("title", "program", "service_type", "owner", "start_date", "target_date", "notes")


def to_domain(row: EngagementRow) -> d.Engagement:
    return d.Engagement(
        **{f: getattr(row, f) for f in SCALAR_FIELDS},
        relationship_type=RelationshipType(row.relationship_type),
        stage=Stage(row.stage),
        candidate_ids=sorted(c.cmo_id for c in row.candidates),
        chosen_cmo_id=row.chosen_cmo_id,
        id=row.id,
    )


def _snapshot(e: d.Engagement) -> dict:
    data = asdict(e)
    data.pop("id", None)
    data["candidate_ids"] = sorted(data["candidate_ids"])
    return data


class EngagementService:
    def __init__(self, store) -> None:
        self._store = store

    def list_rows(self, search: str = "") -> list[d.EngagementRow]:
        chosen = aliased(CmoRow)
        query = (
            select(EngagementRow, chosen.name)
            .outerjoin(chosen, chosen.id == EngagementRow.chosen_cmo_id)
            .order_by(func.lower(EngagementRow.title), EngagementRow.id)
        )
        for term in fold(search).split():
            query = query.where(
                or_(
                    func.lower(EngagementRow.title).contains(term, autoescape=True),
                    func.lower(EngagementRow.program).contains(term, autoescape=True),
                    func.lower(EngagementRow.service_type).contains(term, autoescape=True),
                    func.lower(EngagementRow.stage).contains(term, autoescape=True),
                    func.lower(func.coalesce(chosen.name, "")).contains(term, autoescape=True),
                )
            )
        with self._store.reading() as s:
            rows = s.execute(query).all()
            ids = [r[0].id for r in rows]
            names: dict[int, list[str]] = defaultdict(list)
            if ids:
                for eid, name in s.execute(
                    select(EngagementCandidateRow.engagement_id, CmoRow.name)
                    .join(CmoRow, CmoRow.id == EngagementCandidateRow.cmo_id)
                    .where(EngagementCandidateRow.engagement_id.in_(ids))
                    .order_by(func.lower(CmoRow.name))
                ):
                    names[eid].append(name)
            return [
                d.EngagementRow(
                    id=e.id,
                    title=e.title,
                    program=e.program,
                    stage=Stage(e.stage),
                    relationship_type=RelationshipType(e.relationship_type),
                    cmo=cmo_name,
                    candidates=tuple(names[e.id]),
                    owner=e.owner,
                )
                for e, cmo_name in rows
            ]

    def get(self, engagement_id: int) -> d.Engagement:
        with self._store.reading() as s:
            return to_domain(self._load(s, engagement_id))

    def find(self, key: str) -> d.Engagement:
        """By id, exact title or program code: what the command line accepts as ENGAGEMENT."""
        with self._store.reading() as s:
            if key.isdigit():
                row = s.get(EngagementRow, int(key))
                if row:
                    return to_domain(self._load(s, row.id))
            ids = s.scalars(
                select(EngagementRow.id).where(
                    or_(
                        func.lower(EngagementRow.title) == key.strip().lower(),
                        and_(
                            func.lower(EngagementRow.program) == key.strip().lower(),
                            EngagementRow.program != "",
                        ),
                    )
                )
            ).all()
            if len(ids) == 1:
                return to_domain(self._load(s, ids[0]))
            if len(ids) > 1:
                raise Conflict(f"'{key}' names {len(ids)} engagements; use the id instead.")
        raise NotFound(f"There is no engagement '{key}'.")

    def create(self, engagement: d.Engagement) -> d.Engagement:
        self._normalise(engagement)
        with self._store.transaction() as s:
            self._check_cmos(s, engagement)
            row = EngagementRow()
            self._apply(s, engagement, row)
            s.add(row)
            s.flush()
            changelog.record(s, "engagement", row.id, "created", summary=row.title)
            return to_domain(row)

    def update(self, engagement: d.Engagement) -> d.Engagement:
        self._normalise(engagement)
        if engagement.id is None:
            raise NotFound("This engagement has not been saved yet.")
        with self._store.transaction() as s:
            self._check_cmos(s, engagement)
            row = self._load(s, engagement.id)
            before = _snapshot(to_domain(row))
            self._apply(s, engagement, row)
            s.flush()
            changes = changelog.diff(before, _snapshot(engagement))
            if changes:
                changelog.record(s, "engagement", row.id, "updated", changes, summary=row.title)
            return to_domain(row)

    def delete(self, engagement_id: int) -> None:
        with self._store.transaction() as s:
            row = self._load(s, engagement_id)
            packs = s.scalar(select(func.count()).where(PackRow.engagement_id == engagement_id))
            if packs:
                raise Conflict(
                    f"'{row.title}' has {plural(packs, 'alignment pack')} in the disclosure register; "
                    "close it instead of deleting it."
                )
            s.delete(row)
            changelog.record(s, "engagement", engagement_id, "deleted", summary=row.title)

    @staticmethod
    def _normalise(engagement: d.Engagement) -> None:
        engagement.title = engagement.title.strip()
        # The chosen CMO was, by definition, a candidate.
        if (
            engagement.chosen_cmo_id is not None
            and engagement.chosen_cmo_id not in engagement.candidate_ids
        ):
            engagement.candidate_ids = [*engagement.candidate_ids, engagement.chosen_cmo_id]
        engagement.candidate_ids = sorted(set(engagement.candidate_ids))
        d.check_engagement(engagement)

    @staticmethod
    def _check_cmos(s: Session, engagement: d.Engagement) -> None:
        wanted = set(engagement.candidate_ids)
        found = set(s.scalars(select(CmoRow.id).where(CmoRow.id.in_(wanted)))) if wanted else set()
        missing = wanted - found
        if missing:
            raise NotFound(f"No CMO with id {', '.join(map(str, sorted(missing)))}.")

    @staticmethod
    def _apply(s: Session, engagement: d.Engagement, row: EngagementRow) -> None:
        for f in SCALAR_FIELDS:
            value = getattr(engagement, f)
            setattr(row, f, value.strip() if isinstance(value, str) else value)
        row.relationship_type = engagement.relationship_type.value
        row.stage = engagement.stage.value
        row.chosen_cmo_id = engagement.chosen_cmo_id
        keep = {c.cmo_id: c for c in row.candidates}
        row.candidates = [
            keep.get(cmo_id) or EngagementCandidateRow(cmo_id=cmo_id)
            for cmo_id in engagement.candidate_ids
        ]

    @staticmethod
    def _load(s: Session, engagement_id: int) -> EngagementRow:
        row = s.get(EngagementRow, engagement_id, options=[selectinload(EngagementRow.candidates)])
        if row is None:
            raise NotFound(f"There is no engagement with id {engagement_id}.")
        return row
