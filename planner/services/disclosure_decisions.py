"""Pipeline sharing decisions, one small persist-as-you-go call per wizard step.

Wizard order: `context` (engagement, relationship type via `set_relationship_type`, the CMO's
agreements, `record_agreement` for a missing CDA) → `save_checklist` per asset → `advice` →
`set_level` (with the justification when above the relationship suggestion) → `set_notes` and
`set_approval` → `summary` (what is still open). `record` saves a whole decision in one call.

Who a decision applies to and when gates are checked is explained in domain/disclosure_decision.py.
With several candidates, a level is refused only when no candidate's agreements allow it; the
candidates that do not are flagged 'blocked' and receive nothing at that level.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import disclosure_decision as dd
from planner.domain.cmo import CMO, Agreement
from planner.domain.disclosure_advice import SharingChecklist, recommend
from planner.domain.disclosure_gates import (
    check_level,
)
from planner.domain.disclosure_levels import DisclosureLevel, level_of
from planner.domain.engagement import Engagement
from planner.domain.enums import AgreementType, RelationshipType
from planner.services import changelog
from planner.services import disclosure_mapping as m
from planner.services import disclosure_summary as summaries
from planner.services.cmos import CmoService
from planner.services.disclosure_context import DisclosureContext, build_context
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.store.models import DisclosureDecisionRow, PipelineAssetRow, StoreSettingRow
from planner.store.store import Store


class LevelRefused(Conflict):
    """The agreements in force on the date of disclosure do not allow the level."""


class JustificationRequired(Conflict):
    """The level is above what the relationship type suggests and no justification was given."""


@dataclass(frozen=True)
class CmoAdvice:
    cmo_id: int | None
    name: str
    level: DisclosureLevel
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AssetAdvice:
    """The recommended level: the best over the CMOs the decision applies to (each one's own
    advice is in `per_cmo`; exports still gate each CMO separately)."""

    level: DisclosureLevel
    reasons: tuple[str, ...]
    per_cmo: tuple[CmoAdvice, ...]


def _today(on: date | None) -> date:
    return on or date.today()


class DisclosureService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ----------------------------------------------------------------- settings

    def cda_window_days(self) -> int:
        """Days before a CDA's expiry from which decisions relying on it are flagged."""
        with self._store.reading() as s:
            return m.cda_window_days(s)

    def set_cda_window_days(self, days: int) -> None:
        if not 0 <= days <= 3650:
            raise ValueError("The CDA review window must be between 0 and 3650 days.")
        with self._store.transaction() as s:
            row = s.get(StoreSettingRow, m.WINDOW_SETTING) or StoreSettingRow(key=m.WINDOW_SETTING)
            row.value = str(days)
            s.add(row)

    # ------------------------------------------------ steps 1 and 2: engagement, agreements

    def context(self, engagement_id: int, on: date | None = None) -> DisclosureContext:
        """Steps 1 and 2: the engagement, its relationship suggestion, each CMO's agreements."""
        with self._store.reading() as s:
            return build_context(s, engagement_id, _today(on))

    def set_relationship_type(
        self, engagement_id: int, relationship: RelationshipType
    ) -> Engagement:
        """Existing decisions above the new suggestion become open items; none is changed."""
        engagements = EngagementService(self._store)
        engagement = engagements.get(engagement_id)
        if engagement.relationship_type == relationship:
            return engagement
        engagement.relationship_type = relationship
        return engagements.update(engagement)

    def record_agreement(
        self,
        cmo_id: int,
        type: AgreementType,
        effective: date | None,
        expiry: date | None,
        scope: str = "",
    ) -> Agreement:
        """The wizard's shortcut for a missing CDA (or MSA, quality agreement): adds it to the CMO."""
        cmos = CmoService(self._store)
        cmo = cmos.get(cmo_id)
        known = {a.id for a in cmo.agreements}
        cmo.agreements.append(Agreement(type, effective, expiry, scope))
        saved = cmos.update(cmo)
        return next(a for a in saved.agreements if a.id not in known)

    # ------------------------------------------------------- steps 3 to 5: per asset

    def get(self, engagement_id: int, asset_id: int) -> dd.DisclosureDecision | None:
        with self._store.reading() as s:
            row = _find(s, engagement_id, asset_id)
            if row is None:
                return None
            return m.decision_to_domain(row, _code(s, asset_id))

    def decisions(self, engagement_id: int) -> list[dd.DisclosureDecision]:
        """Every decision of the engagement (archived assets included), by asset code."""
        with self._store.reading() as s:
            m.load_engagement(s, engagement_id)
            rows = s.execute(
                select(DisclosureDecisionRow, PipelineAssetRow.code)
                .join(PipelineAssetRow, PipelineAssetRow.id == DisclosureDecisionRow.asset_id)
                .where(DisclosureDecisionRow.engagement_id == engagement_id)
                .order_by(PipelineAssetRow.code)
            )
            return [m.decision_to_domain(row, code) for row, code in rows]

    def save_checklist(
        self, engagement_id: int, asset_id: int, checklist: SharingChecklist
    ) -> dd.DisclosureDecision:
        def edit(d: dd.DisclosureDecision) -> None:
            d.checklist = checklist

        return self._change(engagement_id, asset_id, edit)

    def advice(self, engagement_id: int, asset_id: int, on: date | None = None) -> AssetAdvice:
        """The recommended level from the saved checklist, per CMO and overall, with reasons."""
        day = _today(on)
        with self._store.reading() as s:
            engagement = m.load_engagement(s, engagement_id)
            relationship = RelationshipType(engagement.relationship_type)
            cmos = m.targets(s, engagement)
            row = _find(s, engagement_id, asset_id)
            _asset(s, asset_id)
            checklist = SharingChecklist.from_json(row.checklist if row else None)
        per_cmo: list[CmoAdvice] = []
        for cmo in cmos or [CMO(name="(no CMO chosen or shortlisted yet)")]:
            level, reasons = recommend(checklist, relationship, cmo.agreements, day)
            per_cmo.append(CmoAdvice(cmo.id, cmo.name, level, tuple(reasons)))
        best = max(per_cmo, key=lambda a: a.level)
        reasons = best.reasons
        if len(per_cmo) > 1:
            reasons = (f"Best among the candidates: {best.name}.", *best.reasons)
        return AssetAdvice(best.level, reasons, tuple(per_cmo))

    def set_level(
        self,
        engagement_id: int,
        asset_id: int,
        level: int,
        justification: str | None = None,
    ) -> dd.DisclosureDecision:
        """Raises LevelRefused (naming the agreements) or JustificationRequired; nothing is saved then."""
        wanted = level_of(level)

        def edit(d: dd.DisclosureDecision) -> None:
            d.level = wanted
            if justification is not None:
                d.justification = justification

        return self._change(engagement_id, asset_id, edit)

    def set_notes(
        self,
        engagement_id: int,
        asset_id: int,
        *,
        rationale: str | None = None,
        expected_benefit: str | None = None,
        risks: str | None = None,
        justification: str | None = None,
    ) -> dd.DisclosureDecision:
        """Only the arguments given change."""
        values = {
            "rationale": rationale,
            "expected_benefit": expected_benefit,
            "risks": risks,
            "justification": justification,
        }

        def edit(d: dd.DisclosureDecision) -> None:
            for name, value in values.items():
                if value is not None:
                    setattr(d, name, value)

        return self._change(engagement_id, asset_id, edit)

    def set_approval(
        self,
        engagement_id: int,
        asset_id: int,
        *,
        approver: str | None = None,
        decided_on: date | None = None,
        review_date: date | None = None,
    ) -> dd.DisclosureDecision:
        """Only the arguments given change; a new decision date re-checks the agreement gates."""

        def edit(d: dd.DisclosureDecision) -> None:
            if approver is not None:
                d.approver = approver
            if decided_on is not None:
                d.decided_on = decided_on
            if review_date is not None:
                d.review_date = review_date

        return self._change(engagement_id, asset_id, edit)

    def record(self, decision: dd.DisclosureDecision) -> dd.DisclosureDecision:
        """Create or replace the whole decision for (engagement, asset) with every check."""

        def edit(d: dd.DisclosureDecision) -> None:
            for name in (
                "level",
                "checklist",
                *m.TEXT_FIELDS,
                "decided_on",
                "review_date",
            ):
                setattr(d, name, getattr(decision, name))

        return self._change(decision.engagement_id, decision.asset_id, edit)

    def remove(self, engagement_id: int, asset_id: int) -> None:
        with self._store.transaction() as s:
            row = _find(s, engagement_id, asset_id)
            if row is None:
                raise NotFound("There is no decision for this asset in this engagement.")
            code = _code(s, asset_id)
            s.delete(row)
            changelog.record(
                s,
                "disclosure_decision",
                row.id,
                "deleted",
                summary=f"{code} (engagement {engagement_id})",
            )

    # ------------------------------------------------------------------ step 6

    def summary(self, engagement_id: int, on: date | None = None) -> summaries.DisclosureSummary:
        with self._store.reading() as s:
            return summaries.build(s, engagement_id, _today(on), m.cda_window_days(s))

    # ------------------------------------------------------------------ internals

    def _change(
        self,
        engagement_id: int,
        asset_id: int,
        edit: Callable[[dd.DisclosureDecision], None],
    ) -> dd.DisclosureDecision:
        with self._store.transaction() as s:
            engagement = m.load_engagement(s, engagement_id)
            asset = _asset(s, asset_id)
            row = _find(s, engagement_id, asset_id)
            if row is None:
                if asset.archived:
                    raise Conflict(f"{asset.code} is archived and gets no new decisions.")
                row = DisclosureDecisionRow(engagement_id=engagement_id, asset_id=asset_id)
                before = None
                decision = dd.DisclosureDecision(engagement_id, asset_id)
            else:
                decision = m.decision_to_domain(row)
                before = copy.deepcopy(decision)
            edit(decision)
            decision.level = level_of(decision.level)
            dd.check_dates(decision.decided_on, decision.review_date)
            relationship = RelationshipType(engagement.relationship_type)
            _check_gates(decision, before, m.targets(s, engagement), date.today())
            _check_justification(decision, before, relationship)
            m.apply_decision(decision, row)
            s.add(row)
            s.flush()
            old = m.snapshot(before) if before else {}
            changes = changelog.diff(old, m.snapshot(decision))
            if before is None or changes:
                changelog.record(
                    s,
                    "disclosure_decision",
                    row.id,
                    "created" if before is None else "updated",
                    changes,
                    summary=f"{asset.code} for {engagement.program or engagement.title}",
                )
            return m.decision_to_domain(row, asset.code)


def _find(s: Session, engagement_id: int, asset_id: int) -> DisclosureDecisionRow | None:
    return s.scalars(
        select(DisclosureDecisionRow).where(
            DisclosureDecisionRow.engagement_id == engagement_id,
            DisclosureDecisionRow.asset_id == asset_id,
        )
    ).first()


def _asset(s: Session, asset_id: int) -> PipelineAssetRow:
    row = s.get(PipelineAssetRow, asset_id)
    if row is None:
        raise NotFound(f"There is no pipeline asset with id {asset_id}.")
    return row


def _code(s: Session, asset_id: int) -> str:
    return _asset(s, asset_id).code


def _check_justification(
    decision: dd.DisclosureDecision,
    before: dd.DisclosureDecision | None,
    relationship: RelationshipType,
) -> None:
    """Checked when the level rises or the justification changes, so that editing the approver
    of an older decision is not blocked by a relationship type changed since."""
    touched = (
        before is None
        or decision.level > before.level
        or decision.justification != before.justification
    )
    problem = dd.justification_problem(decision.level, decision.justification, relationship)
    if touched and problem:
        raise JustificationRequired(problem)


def _check_gates(
    decision: dd.DisclosureDecision,
    before: dd.DisclosureDecision | None,
    cmos: list[CMO],
    today: date,
) -> None:
    """Checked when the level rises or the date of disclosure moves: lowering a level is always
    allowed, even when the agreements no longer support the lower one either."""
    if before is not None and not (
        decision.level > before.level or decision.decided_on != before.decided_on
    ):
        return
    on = decision.decided_on or today
    if not cmos:
        gate = check_level(decision.level, [], on)
        if not gate.allowed:
            raise LevelRefused(f"No CMO is chosen or shortlisted yet, so: {gate.reason}")
        return
    gates = [(cmo, check_level(decision.level, cmo.agreements, on)) for cmo in cmos]
    if any(gate.allowed for _, gate in gates):
        return
    if len(gates) == 1:
        cmo, gate = gates[0]
        raise LevelRefused(f"Refused for {cmo.name}: {gate.reason}")
    raise LevelRefused(
        "Refused: no candidate's agreements allow it. "
        + " ".join(f"{cmo.name}: {gate.reason}" for cmo, gate in gates)
    )
