"""The disclosure register: every decision (per CMO it applies to) and every pack sent.

Answers "what does this CMO know about this asset, since when, under which CDA?" in one result
(`knowledge`), lists what is due for review, and gives `planner disclosures` its rows
(`report(...).to_json()`). Packs are only read here; the export writes them.

A pack's `disclosed` JSON is keyed by asset code ({code: {"level": n, "fields": [...]}}); packs
are matched to assets by their current code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_decision import DisclosureDecision
from planner.domain.disclosure_gates import check_level, describe, governing, why_missing
from planner.domain.disclosure_levels import DisclosureLevel, level_of
from planner.domain.disclosure_review import DecisionStatus, ReviewFlag, review_flags, status
from planner.domain.enums import AgreementType, Stage
from planner.services import disclosure_mapping as m
from planner.services.cmos import CmoService
from planner.services.errors import NotFound
from planner.services.pipeline import PipelineService
from planner.store.models import (
    CmoRow,
    DisclosureDecisionRow,
    EngagementRow,
    PackRow,
    PipelineAssetRow,
)
from planner.store.store import Store


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC (utcnow)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RegisterEntry:
    """One decision for one CMO it applies to (a consideration decision gives one per candidate)."""

    decision: DisclosureDecision
    engagement: str
    program: str
    stage: Stage
    cmo_id: int | None
    cmo: str  # "" while an engagement in consideration has no candidates
    asset_archived: bool
    governing: str  # the agreements that allow the level today, or why it is blocked
    agreements: tuple[Agreement, ...]
    status: DecisionStatus
    flags: tuple[ReviewFlag, ...]

    @property
    def asset_code(self) -> str:
        return self.decision.asset_code

    @property
    def level(self) -> DisclosureLevel:
        return self.decision.level

    def to_json(self) -> dict[str, Any]:
        d = self.decision
        return {
            "decision_id": d.id,
            "engagement_id": d.engagement_id,
            "engagement": self.engagement,
            "program": self.program,
            "stage": self.stage.value,
            "cmo_id": self.cmo_id,
            "cmo": self.cmo or None,
            "asset_id": d.asset_id,
            "asset": d.asset_code,
            "asset_archived": self.asset_archived,
            "level": int(d.level),
            "level_label": d.level.label,
            "rationale": d.rationale,
            "expected_benefit": d.expected_benefit,
            "risks": d.risks,
            "justification": d.justification,
            "approver": d.approver,
            "decided_on": _iso(d.decided_on),
            "review_date": _iso(d.review_date),
            "governing_agreement": self.governing,
            "status": self.status.value,
            "flags": [{"kind": f.kind.value, "message": f.message} for f in self.flags],
        }


@dataclass(frozen=True)
class PackDisclosure:
    asset_code: str
    level: DisclosureLevel
    fields: tuple[str, ...]


@dataclass(frozen=True)
class PackEntry:
    pack_id: str
    engagement_id: int
    engagement: str
    cmo_id: int
    cmo: str
    created_at: datetime
    created_by: str
    file_name: str
    disclosed: tuple[PackDisclosure, ...]  # by asset code

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "engagement_id": self.engagement_id,
            "engagement": self.engagement,
            "cmo_id": self.cmo_id,
            "cmo": self.cmo,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "file_name": self.file_name,
            "disclosed": {
                p.asset_code: {"level": int(p.level), "fields": list(p.fields)}
                for p in self.disclosed
            },
        }


@dataclass(frozen=True)
class CmoAssetKnowledge:
    """What packs have told one CMO about one asset, and what the decisions now allow."""

    cmo_id: int
    cmo: str
    asset_id: int
    asset_code: str
    level_sent: DisclosureLevel  # highest level any pack carried; L0 when nothing was sent
    fields_sent: tuple[str, ...]  # every field any pack carried
    first_sent: datetime | None  # first pack with anything about the asset
    level_since: datetime | None  # first pack at `level_sent`
    last_sent: datetime | None
    packs: tuple[str, ...]  # pack ids, oldest first
    cda_at_level_since: str  # the CDA in force when `level_sent` was first sent
    cda_now: str
    decisions: tuple[RegisterEntry, ...]

    def to_json(self) -> dict[str, Any]:
        def stamp(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "cmo_id": self.cmo_id,
            "cmo": self.cmo,
            "asset_id": self.asset_id,
            "asset": self.asset_code,
            "level_sent": int(self.level_sent),
            "fields_sent": list(self.fields_sent),
            "first_sent": stamp(self.first_sent),
            "level_since": stamp(self.level_since),
            "last_sent": stamp(self.last_sent),
            "packs": list(self.packs),
            "cda_at_level_since": self.cda_at_level_since,
            "cda_now": self.cda_now,
            "decisions": [e.to_json() for e in self.decisions],
        }


@dataclass(frozen=True)
class DisclosureReport:
    decisions: tuple[RegisterEntry, ...]
    packs: tuple[PackEntry, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "decisions": [e.to_json() for e in self.decisions],
            "packs": [p.to_json() for p in self.packs],
        }


def cda_on(cmo: CMO, on: date) -> str:
    cda = governing(cmo.agreements, AgreementType.CDA, on)
    if cda is not None:
        return describe(cda)
    return f"no CDA in force on {on}: {why_missing(cmo.agreements, AgreementType.CDA, on)}"


def _governing_text(
    decision: DisclosureDecision, cmo: CMO | None, on: date
) -> tuple[str, tuple[Agreement, ...]]:
    if cmo is None:
        gate = check_level(decision.level, [], on)
        return ("no CMO yet; " + gate.reason), ()
    gate = check_level(decision.level, cmo.agreements, on)
    if not gate.allowed:
        return gate.reason, ()
    if not gate.agreements:
        return f"none needed ({decision.level.short})", ()
    return ", ".join(describe(a) for a in gate.agreements), gate.agreements


def _pack_disclosed(raw: dict | None) -> tuple[PackDisclosure, ...]:
    items = []
    for code, value in sorted((raw or {}).items()):
        value = value if isinstance(value, dict) else {}
        try:
            level = level_of(int(value.get("level", 0)))
        except (TypeError, ValueError):
            level = DisclosureLevel.NONE
        fields = tuple(str(f) for f in value.get("fields") or ())
        items.append(PackDisclosure(str(code), level, fields))
    return tuple(items)


class DisclosureRegister:
    def __init__(self, store: Store) -> None:
        self._store = store

    def entries(
        self,
        cmo_id: int | None = None,
        asset_id: int | None = None,
        on: date | None = None,
    ) -> list[RegisterEntry]:
        """Every decision × CMO it applies to, by asset code then engagement then CMO."""
        day = on or date.today()
        with self._store.reading() as s:
            return self._entries(s, cmo_id, asset_id, day, m.cda_window_days(s))

    def due_for_review(self, on: date | None = None) -> list[RegisterEntry]:
        """Entries with any flag: blocked, CDA expiring, ownership changed, review date reached."""
        return [e for e in self.entries(on=on) if e.flags]

    def packs(self, cmo_id: int | None = None, asset_id: int | None = None) -> list[PackEntry]:
        """Every pack sent, oldest first; with `asset_id`, only packs that carried that asset."""
        query = (
            select(PackRow, EngagementRow.title, CmoRow.name)
            .join(EngagementRow, EngagementRow.id == PackRow.engagement_id)
            .join(CmoRow, CmoRow.id == PackRow.cmo_id)
            .order_by(PackRow.created_at, PackRow.id)
        )
        if cmo_id is not None:
            query = query.where(PackRow.cmo_id == cmo_id)
        with self._store.reading() as s:
            code = None
            if asset_id is not None:
                code = s.scalar(
                    select(PipelineAssetRow.code).where(PipelineAssetRow.id == asset_id)
                )
            result = []
            for pack, title, name in s.execute(query):
                disclosed = _pack_disclosed(pack.disclosed)
                if code is not None and not any(p.asset_code == code for p in disclosed):
                    continue
                result.append(
                    PackEntry(
                        pack.id,
                        pack.engagement_id,
                        title,
                        pack.cmo_id,
                        name,
                        _utc(pack.created_at),
                        pack.created_by,
                        pack.file_name,
                        disclosed,
                    )
                )
            return result

    def knowledge(self, cmo_id: int, asset_id: int, on: date | None = None) -> CmoAssetKnowledge:
        day = on or date.today()
        cmo = CmoService(self._store).get(cmo_id)
        asset = PipelineService(self._store).get(asset_id)
        sent = [
            (pack, p)
            for pack in self.packs(cmo_id=cmo_id, asset_id=asset_id)
            for p in pack.disclosed
            if p.asset_code == asset.code and (p.level > DisclosureLevel.NONE or p.fields)
        ]
        level = max((p.level for _, p in sent), default=DisclosureLevel.NONE)
        fields = sorted({f for _, p in sent for f in p.fields})
        at_level = [pack for pack, p in sent if p.level == level] if sent else []
        since = at_level[0].created_at if at_level else None
        return CmoAssetKnowledge(
            cmo_id=cmo_id,
            cmo=cmo.name,
            asset_id=asset_id,
            asset_code=asset.code,
            level_sent=level,
            fields_sent=tuple(fields),
            first_sent=sent[0][0].created_at if sent else None,
            level_since=since,
            last_sent=sent[-1][0].created_at if sent else None,
            packs=tuple(pack.pack_id for pack, _ in sent),
            cda_at_level_since=cda_on(cmo, since.date()) if since else "",
            cda_now=cda_on(cmo, day),
            decisions=tuple(self.entries(cmo_id=cmo_id, asset_id=asset_id, on=day)),
        )

    def report(
        self, cmo: str | None = None, asset: str | None = None, on: date | None = None
    ) -> DisclosureReport:
        """What `planner disclosures [--cmo CMO] [--asset ASSET]` shows; keys as the CLI takes them
        (CMO: id or name; ASSET: code or id). Raises NotFound/Conflict for an unknown key."""
        cmo_id = self._cmo_id(cmo) if cmo else None
        asset_id = PipelineService(self._store).find(asset).id if asset else None
        return DisclosureReport(
            tuple(self.entries(cmo_id, asset_id, on)), tuple(self.packs(cmo_id, asset_id))
        )

    def _cmo_id(self, key: str) -> int:
        cmos = CmoService(self._store)
        found = cmos.find_by_name(key)
        if found is None and key.strip().isdigit():
            found = cmos.get(int(key))
        if found is None:
            raise NotFound(f"There is no CMO '{key}'.")
        assert found.id is not None
        return found.id

    @staticmethod
    def _entries(
        s: Session, cmo_id: int | None, asset_id: int | None, day: date, window: int
    ) -> list[RegisterEntry]:
        query = (
            select(DisclosureDecisionRow, PipelineAssetRow.code, PipelineAssetRow.archived)
            .join(PipelineAssetRow, PipelineAssetRow.id == DisclosureDecisionRow.asset_id)
            .order_by(func.lower(PipelineAssetRow.code), DisclosureDecisionRow.engagement_id)
        )
        if asset_id is not None:
            query = query.where(DisclosureDecisionRow.asset_id == asset_id)
        rows = s.execute(query).all()
        engagement_ids = {r.engagement_id for r, _, _ in rows}
        engagements = {
            e.id: e
            for e in s.scalars(
                select(EngagementRow)
                .where(EngagementRow.id.in_(engagement_ids))
                .options(selectinload(EngagementRow.candidates))
            )
        }
        targets = {eid: m.target_ids(e) for eid, e in engagements.items()}
        cmos = m.load_cmos(s, (c for ids in targets.values() for c in ids))
        result = []
        for row, code, archived in rows:
            engagement = engagements[row.engagement_id]
            decision = m.decision_to_domain(row, code)
            applies: Iterable[CMO | None] = [cmos[c] for c in targets[engagement.id]] or [None]
            for cmo in sorted(applies, key=lambda c: c.name.lower() if c else ""):
                if cmo_id is not None and (cmo is None or cmo.id != cmo_id):
                    continue
                flags = review_flags(decision, [cmo] if cmo else [], day, window)
                text, agreements = _governing_text(decision, cmo, day)
                result.append(
                    RegisterEntry(
                        decision=decision,
                        engagement=engagement.title,
                        program=engagement.program,
                        stage=Stage(engagement.stage),
                        cmo_id=cmo.id if cmo else None,
                        cmo=cmo.name if cmo else "",
                        asset_archived=archived,
                        governing=text,
                        agreements=agreements,
                        status=status(decision, flags),
                        flags=tuple(flags),
                    )
                )
        return result
