"""Criteria sets between rows and domain objects, and the rules every edit of a set shares.

Shared by the criteria services: loading with everything a domain object needs, the freeze
check, what an edit does to sign-offs already given (`invalidate_sign_offs`), weight writes,
role names, and the pairwise judgments kept in a store setting per set and stage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from planner.domain import criteria as d
from planner.services import changelog
from planner.services.errors import Conflict, NotFound
from planner.store.models import (
    CriteriaSetRow,
    CriterionRow,
    EngagementRow,
    SignOffRow,
    StoreSettingRow,
)

ENTITY = "criteria_set"
PAIRWISE_SETTING = "criteria.pairwise.{set_id}.{stage}"

# Fields whose change alters what reviewers signed off (position only reorders the list).
CONTENT_FIELDS = (
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


def criterion_to_domain(row: CriterionRow) -> d.Criterion:
    stage = d.CriterionStage(row.stage)
    direction = target = floor = None
    if stage is d.CriterionStage.PERFORMANCE:
        try:
            direction, target, floor = d.parse_target(row.target)
        except d.CriteriaRuleError:
            pass  # written by another tool; shows as "needs a target" rather than failing
    return d.Criterion(
        name=row.name,
        stage=stage,
        description=row.description,
        weight=row.weight,
        scale=list(row.scale or []),
        metric=row.metric,
        unit=row.unit,
        target=target,
        direction=direction,
        floor=floor,
        evidence_requested=row.evidence_requested,
        knockout=row.knockout,
        library_key=row.library_key,
        id=row.id,
    )


def apply_criterion(c: d.Criterion, row: CriterionRow) -> None:
    row.stage = c.stage.value
    row.library_key = c.library_key
    row.name = c.name.strip()
    row.description = c.description.strip()
    row.weight = round(c.weight, 1)
    row.scale = [a.strip() for a in c.scale]
    row.metric = c.metric.strip()
    row.unit = c.unit.strip()
    row.target = format_target(c)
    row.evidence_requested = c.evidence_requested.strip()
    row.knockout = c.knockout


def format_target(c: d.Criterion) -> str:
    if c.stage is not d.CriterionStage.PERFORMANCE:
        return ""
    return d.format_target(c.direction, c.target, c.floor)


def content(c: d.Criterion) -> dict:
    data = asdict(c)
    return {f: data[f] for f in CONTENT_FIELDS}


def set_to_domain(row: CriteriaSetRow) -> d.CriteriaSet:
    roles = list(row.required_roles or [])
    order = {role: i for i, role in enumerate(roles)}
    sign_offs = sorted(row.sign_offs, key=lambda s: (order.get(s.role, len(order)), s.role))
    return d.CriteriaSet(
        engagement_id=row.engagement_id,
        version=row.version,
        status=d.SetStatus(row.status),
        required_roles=roles,
        criteria=[criterion_to_domain(c) for c in row.criteria],
        sign_offs=[
            d.SignOff(
                role=s.role,
                person=s.person,
                signed_on=s.signed_on,
                verdict=d.Verdict(s.verdict) if s.verdict else None,
                comment=s.comment,
            )
            for s in sign_offs
        ],
        created_at=utc(row.created_at),
        communicated_at=utc(row.communicated_at),
        id=row.id,
    )


def utc(value: datetime | None) -> datetime | None:
    """Stored in UTC; SQLite hands it back without a zone, PostgreSQL with one."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _options():
    return [selectinload(CriteriaSetRow.criteria), selectinload(CriteriaSetRow.sign_offs)]


def load_set(s: Session, set_id: int) -> CriteriaSetRow:
    row = s.get(CriteriaSetRow, set_id, options=_options())
    if row is None:
        raise NotFound(f"There is no criteria set with id {set_id}.")
    return row


def latest_set(s: Session, engagement_id: int) -> CriteriaSetRow | None:
    return s.scalars(
        select(CriteriaSetRow)
        .where(CriteriaSetRow.engagement_id == engagement_id)
        .order_by(CriteriaSetRow.version.desc())
        .limit(1)
        .options(*_options())
    ).first()


def version_row(s: Session, engagement_id: int, version: int | None) -> CriteriaSetRow:
    """A given version, or the latest when `version` is None."""
    if version is None:
        row = latest_set(s, engagement_id)
    else:
        row = s.scalars(
            select(CriteriaSetRow)
            .where(
                CriteriaSetRow.engagement_id == engagement_id,
                CriteriaSetRow.version == version,
            )
            .options(*_options())
        ).first()
    if row is None:
        load_engagement(s, engagement_id)
        which = "criteria yet" if version is None else f"criteria version {version}"
        raise NotFound(f"Engagement {engagement_id} has no {which}.")
    return row


def next_version(s: Session, engagement_id: int) -> int:
    top = s.scalar(
        select(func.max(CriteriaSetRow.version)).where(
            CriteriaSetRow.engagement_id == engagement_id
        )
    )
    return (top or 0) + 1


def load_engagement(s: Session, engagement_id: int) -> EngagementRow:
    row = s.get(EngagementRow, engagement_id)
    if row is None:
        raise NotFound(f"There is no engagement with id {engagement_id}.")
    return row


def check_editable(row: CriteriaSetRow) -> None:
    if row.status == d.SetStatus.COMMUNICATED:
        when = f" on {row.communicated_at:%Y-%m-%d}" if row.communicated_at else ""
        raise Conflict(
            f"Version {row.version} of these criteria was communicated to CMOs{when} and is "
            f"frozen. Start version {row.version + 1} to change it."
        )


def find_criterion(row: CriteriaSetRow, criterion_id: int) -> CriterionRow:
    for c in row.criteria:
        if c.id == criterion_id:
            return c
    raise NotFound(f"Criterion {criterion_id} is not part of version {row.version}.")


def renumber(row: CriteriaSetRow) -> None:
    for position, c in enumerate(row.criteria):
        c.position = position


def invalidate_sign_offs(s: Session, row: CriteriaSetRow, reason: str) -> None:
    """An edit after review started voids the verdicts given so far.

    Reviewers agreed to a specific text and weights, so a change sends the set back to draft and
    clears every verdict, date and comment; the person named per role stays so the same people
    can be asked again. The cleared verdicts are kept in the change log.
    """
    if row.status not in (d.SetStatus.IN_REVIEW, d.SetStatus.ALIGNED):
        return
    cleared = {}
    for sign_off in row.sign_offs:
        if sign_off.verdict:
            cleared[sign_off.role] = [sign_off.verdict, None]
        sign_off.verdict = ""
        sign_off.signed_on = None
        sign_off.comment = ""
    cleared["status"] = [row.status, d.SetStatus.DRAFT.value]
    row.status = d.SetStatus.DRAFT.value
    changelog.record(
        s,
        ENTITY,
        row.id,
        "sign_offs_reset",
        cleared,
        summary=f"Version {row.version} back to draft: {reason}",
    )


def ensure_sign_off_rows(row: CriteriaSetRow) -> None:
    """One sign-off row per required role, none for roles no longer required."""
    wanted = list(row.required_roles or [])
    row.sign_offs = [so for so in row.sign_offs if so.role in wanted] + [
        SignOffRow(role=role) for role in wanted if role not in {so.role for so in row.sign_offs}
    ]


def pairwise_key(set_id: int, stage: d.CriterionStage) -> str:
    return PAIRWISE_SETTING.format(set_id=set_id, stage=stage.value)


def read_pairwise(s: Session, set_id: int, stage: d.CriterionStage) -> dict[tuple[int, int], float]:
    """Judgments stored as {"judgments": [[first_id, second_id, value], ...]}."""
    setting = s.get(StoreSettingRow, pairwise_key(set_id, stage))
    if setting is None or not setting.value:
        return {}
    try:
        items = json.loads(setting.value).get("judgments", [])
        return {(int(a), int(b)): float(v) for a, b, v in items}
    except (ValueError, TypeError, AttributeError):
        return {}  # unreadable: the comparison is simply asked again


def write_pairwise(
    s: Session, set_id: int, stage: d.CriterionStage, judgments: dict[tuple[int, int], float]
) -> None:
    key = pairwise_key(set_id, stage)
    setting = s.get(StoreSettingRow, key)
    if not judgments:
        if setting is not None:
            s.delete(setting)
        return
    value = json.dumps({"judgments": [[a, b, v] for (a, b), v in sorted(judgments.items())]})
    if setting is None:
        s.add(StoreSettingRow(key=key, value=value))
    else:
        setting.value = value


def drop_pairwise(s: Session, set_id: int) -> None:
    s.execute(
        delete(StoreSettingRow).where(
            StoreSettingRow.key.in_([pairwise_key(set_id, st) for st in d.CriterionStage])
        )
    )


def write_weights(
    s: Session, row: CriteriaSetRow, weights: Mapping[int, float], reason: str
) -> None:
    """Shared by manual weights, lock-and-distribute and pairwise comparison."""
    changes = {}
    for criterion_id, value in weights.items():
        target = find_criterion(row, criterion_id)
        value = round(float(value), 1)
        if abs(target.weight - value) > 1e-9:
            changes[target.name] = [target.weight, value]
            target.weight = value
    if changes:
        invalidate_sign_offs(s, row, reason)
        changelog.record(
            s, ENTITY, row.id, "weights", changes, summary=f"Version {row.version}: {reason}"
        )


def clean_roles(roles: Iterable[str]) -> list[str]:
    """Standard roles by key, others trimmed; duplicates (any case) dropped, order kept."""
    cleaned: list[str] = []
    for role in roles:
        value = d.normalise_role(role)
        if not value:
            raise d.CriteriaRuleError("A sign-off role needs a name.")
        if len(value) > d.ROLE_MAX_LENGTH:
            raise d.CriteriaRuleError(
                f"A role name may be at most {d.ROLE_MAX_LENGTH} characters ('{value}')."
            )
        if value.casefold() not in {r.casefold() for r in cleaned}:
            cleaned.append(value)
    return cleaned
