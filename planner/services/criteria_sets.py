"""Criteria sets per engagement: versions, the criteria in them and their weights.

Every method is one transaction and returns the whole set as a domain object, so a wizard page
can save each answer as it is entered and redraw from what was stored. Rules:
- A communicated version is frozen: every edit raises Conflict; `open_for_editing` or
  `new_version` starts the next version (criteria, weights, proposal scores, KPI actuals and
  pairwise judgments copied; sign-off verdicts reset, the people named per role kept).
- Changing criteria or weights of a set in review or aligned sends it back to draft and clears
  the verdicts given (see criteria_rows.invalidate_sign_offs). Reordering does not.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import criteria as d
from planner.domain import criteria_weights as weights_rules
from planner.domain.criteria_library import LibraryEntry
from planner.services import changelog
from planner.services import criteria_rows as rows
from planner.services.criteria_library import CriteriaLibrary
from planner.services.errors import Conflict, NotFound
from planner.store.models import CriteriaSetRow, CriterionRow, KpiActualRow, ScoreRow, SignOffRow
from planner.store.store import Store

OWN_PREFIX = "own."


@dataclass(frozen=True)
class VersionInfo:
    set_id: int
    version: int
    status: d.SetStatus
    created_at: datetime | None
    communicated_at: datetime | None


class CriteriaSetService:
    def __init__(self, store: Store, library: CriteriaLibrary | None = None) -> None:
        self._store = store
        self._library = library or CriteriaLibrary(store)

    # --- reading ------------------------------------------------------------------------------

    def current(self, engagement_id: int) -> d.CriteriaSet | None:
        """The latest version, whatever its status; None when the engagement has none yet."""
        with self._store.reading() as s:
            rows.load_engagement(s, engagement_id)
            row = rows.latest_set(s, engagement_id)
            return rows.set_to_domain(row) if row else None

    def get(self, set_id: int) -> d.CriteriaSet:
        with self._store.reading() as s:
            return rows.set_to_domain(rows.load_set(s, set_id))

    def get_version(self, engagement_id: int, version: int) -> d.CriteriaSet:
        with self._store.reading() as s:
            return rows.set_to_domain(rows.version_row(s, engagement_id, version))

    def versions(self, engagement_id: int) -> list[VersionInfo]:
        with self._store.reading() as s:
            rows.load_engagement(s, engagement_id)
            found = s.scalars(
                select(CriteriaSetRow)
                .where(CriteriaSetRow.engagement_id == engagement_id)
                .order_by(CriteriaSetRow.version)
            )
            return [
                VersionInfo(
                    r.id,
                    r.version,
                    d.SetStatus(r.status),
                    rows.utc(r.created_at),
                    rows.utc(r.communicated_at),
                )
                for r in found
            ]

    def shareable(self, engagement_id: int) -> d.CriteriaSet | None:
        """The latest aligned or communicated version: what an alignment pack may carry."""
        with self._store.reading() as s:
            row = s.scalars(
                select(CriteriaSetRow)
                .where(
                    CriteriaSetRow.engagement_id == engagement_id,
                    CriteriaSetRow.status.in_(
                        [d.SetStatus.ALIGNED.value, d.SetStatus.COMMUNICATED.value]
                    ),
                )
                .order_by(CriteriaSetRow.version.desc())
                .limit(1)
            ).first()
            return rows.set_to_domain(rows.load_set(s, row.id)) if row else None

    # --- versions -----------------------------------------------------------------------------

    def start(
        self, engagement_id: int, required_roles: Iterable[str] | None = None
    ) -> d.CriteriaSet:
        """Version 1, empty, with sign-off rows for the required roles (default: four roles)."""
        roles = rows.clean_roles(
            d.DEFAULT_REQUIRED_ROLES if required_roles is None else required_roles
        )
        with self._store.transaction() as s:
            rows.load_engagement(s, engagement_id)
            if rows.latest_set(s, engagement_id) is not None:
                raise Conflict("This engagement already has criteria; open them for editing.")
            row = CriteriaSetRow(engagement_id=engagement_id, version=1, required_roles=roles)
            rows.ensure_sign_off_rows(row)
            s.add(row)
            s.flush()
            changelog.record(s, rows.ENTITY, row.id, "created", summary="Version 1 started")
            return rows.set_to_domain(row)

    def open_for_editing(self, engagement_id: int) -> d.CriteriaSet:
        """What the wizard opens: the latest version if it can change, else the next version."""
        with self._store.reading() as s:
            rows.load_engagement(s, engagement_id)
            latest = rows.latest_set(s, engagement_id)
            if latest is not None and latest.status != d.SetStatus.COMMUNICATED:
                return rows.set_to_domain(latest)
        return self.start(engagement_id) if latest is None else self.new_version(engagement_id)

    def new_version(self, engagement_id: int) -> d.CriteriaSet:
        with self._store.transaction() as s:
            old = rows.latest_set(s, engagement_id)
            if old is None:
                rows.load_engagement(s, engagement_id)
                raise NotFound("This engagement has no criteria yet; start version 1.")
            if old.status != d.SetStatus.COMMUNICATED:
                raise Conflict(
                    f"Version {old.version} has not been communicated yet; edit it instead "
                    "of starting a new version."
                )
            new = _copy_set(s, old)
            changelog.record(
                s,
                rows.ENTITY,
                new.id,
                "new_version",
                {"version": [old.version, new.version]},
                summary=f"Version {new.version} started from version {old.version}",
            )
            return rows.set_to_domain(new)

    def discard(self, set_id: int) -> None:
        """Delete a version that was never communicated (a mistaken start, an abandoned edit)."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            latest = rows.latest_set(s, row.engagement_id)
            if latest is not None and latest.id != row.id:
                raise Conflict("Only the latest version can be discarded.")
            rows.drop_pairwise(s, row.id)
            s.delete(row)
            changelog.record(
                s, rows.ENTITY, set_id, "deleted", summary=f"Version {row.version} discarded"
            )

    # --- criteria -----------------------------------------------------------------------------

    def add_from_library(self, set_id: int, keys: Iterable[str]) -> d.CriteriaSet:
        """Adds library entries with their suggested weights; keys already in the set are skipped."""
        entries = self._entries(None, keys)
        with self._editable(set_id) as (s, row):
            _add_entries(s, row, entries)
            s.flush()
            return rows.set_to_domain(row)

    def select_library_entries(
        self, set_id: int, stage: d.CriterionStage, keys: Iterable[str]
    ) -> d.CriteriaSet:
        """Make the library criteria of `stage` exactly `keys` (a checklist page's state).

        Criteria written for this set only ('own.' keys) are left alone; library criteria that
        stay keep their edited text and weight.
        """
        entries = self._entries(stage, keys)
        wanted = {e.key for e in entries}
        with self._editable(set_id) as (s, row):
            for target in [
                c
                for c in row.criteria
                if c.stage == stage.value
                and c.library_key
                and not c.library_key.startswith(OWN_PREFIX)
                and c.library_key not in wanted
            ]:
                _remove(s, row, target)
            _add_entries(s, row, entries)
            s.flush()
            return rows.set_to_domain(row)

    def _entries(self, stage: d.CriterionStage | None, keys: Iterable[str]) -> list[LibraryEntry]:
        known = {e.key: e for e in self._library.entries(stage)}
        wanted = list(dict.fromkeys(keys))
        missing = [k for k in wanted if k not in known]
        if missing:
            kind = f"{stage.value} " if stage else ""
            raise NotFound(f"The criteria library has no {kind}entry {', '.join(missing)}.")
        return [known[k] for k in wanted]

    def add_criterion(self, set_id: int, criterion: d.Criterion) -> d.CriteriaSet:
        """A criterion written for this set; it gets an 'own.' key unless it names a library key."""
        c = replace(criterion, id=None, name=criterion.name.strip())
        if not c.library_key:
            c.library_key = OWN_PREFIX + secrets.token_hex(4)
        d.check_criterion(c)
        with self._editable(set_id) as (s, row):
            _check_name_free(row, c)
            _append(row, c)
            rows.invalidate_sign_offs(s, row, f"'{c.name}' added")
            changelog.record(
                s,
                rows.ENTITY,
                row.id,
                "criterion_added",
                {c.name: [None, rows.content(c)]},
                summary=f"Version {row.version}: {c.stage.value} '{c.name}' added",
            )
            s.flush()
            return rows.set_to_domain(row)

    def update_criterion(self, set_id: int, criterion: d.Criterion) -> d.CriteriaSet:
        if criterion.id is None:
            raise NotFound("This criterion has not been saved yet.")
        c = replace(criterion, name=criterion.name.strip())
        d.check_criterion(c)
        with self._editable(set_id) as (s, row):
            target = rows.find_criterion(row, c.id)
            before = rows.criterion_to_domain(target)
            _check_name_free(row, c)
            c.library_key = before.library_key  # identity across versions never changes
            changes = changelog.diff(rows.content(before), rows.content(c))
            if changes:
                rows.apply_criterion(c, target)
                rows.invalidate_sign_offs(s, row, f"'{c.name}' changed")
                changelog.record(
                    s,
                    rows.ENTITY,
                    row.id,
                    "criterion_updated",
                    changes,
                    summary=f"Version {row.version}: '{c.name}' changed",
                )
            s.flush()
            return rows.set_to_domain(row)

    def remove_criterion(self, set_id: int, criterion_id: int) -> d.CriteriaSet:
        """Removes the criterion with its proposal scores and KPI actuals in this version."""
        with self._editable(set_id) as (s, row):
            _remove(s, row, rows.find_criterion(row, criterion_id))
            s.flush()
            return rows.set_to_domain(row)

    def move_criterion(self, set_id: int, criterion_id: int, position: int) -> d.CriteriaSet:
        """Reorders within the whole list (0 = first); sign-offs stand, nothing of substance moved."""
        with self._editable(set_id) as (s, row):
            target = rows.find_criterion(row, criterion_id)
            ordered = [c for c in row.criteria if c is not target]
            ordered.insert(max(0, min(position, len(ordered))), target)
            row.criteria = ordered
            rows.renumber(row)
            s.flush()
            return rows.set_to_domain(row)

    # --- weights ------------------------------------------------------------------------------

    def set_weights(self, set_id: int, weights: Mapping[int, float]) -> d.CriteriaSet:
        """Stores weights as typed (criterion id → percent); the remainder is the UI's to show."""
        for value in weights.values():
            if not 0 <= value <= 100:
                raise d.CriteriaRuleError("A weight must be between 0 and 100.")
        with self._editable(set_id) as (s, row):
            rows.write_weights(s, row, weights, "weights changed")
            s.flush()
            return rows.set_to_domain(row)

    def lock_weight(
        self, set_id: int, criterion_id: int, value: float, locked_ids: Iterable[int] = ()
    ) -> d.CriteriaSet:
        """Sets one weight, keeps `locked_ids`, rescales the rest of its stage to total 100."""
        with self._editable(set_id) as (s, row):
            stage = rows.find_criterion(row, criterion_id).stage
            items = [c for c in row.criteria if c.stage == stage]
            locked = set(locked_ids)
            index = next(i for i, c in enumerate(items) if c.id == criterion_id)
            new = weights_rules.lock_and_distribute(
                [c.weight for c in items],
                index,
                value,
                [i for i, c in enumerate(items) if c.id in locked],
            )
            rows.write_weights(
                s, row, {c.id: w for c, w in zip(items, new, strict=True)}, "weights"
            )
            s.flush()
            return rows.set_to_domain(row)

    def normalise_weights(self, set_id: int, stage: d.CriterionStage) -> d.CriteriaSet:
        """Rescales the stage's weights proportionally to total 100 (equal when all are zero)."""
        with self._editable(set_id) as (s, row):
            items = [c for c in row.criteria if c.stage == stage.value]
            new = weights_rules.normalise([c.weight for c in items])
            rows.write_weights(
                s, row, {c.id: w for c, w in zip(items, new, strict=True)}, "weights"
            )
            s.flush()
            return rows.set_to_domain(row)

    @contextmanager
    def _editable(self, set_id: int) -> Iterator[tuple[Session, CriteriaSetRow]]:
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            yield s, row


def _check_name_free(row: CriteriaSetRow, c: d.Criterion) -> None:
    for other in row.criteria:
        if (
            other.id != c.id
            and other.stage == c.stage.value
            and other.name.strip().casefold() == c.name.strip().casefold()
        ):
            raise d.CriteriaRuleError(f"'{c.name}' is already among the {c.stage.label.lower()}.")


def _add_entries(s: Session, row: CriteriaSetRow, entries: Iterable[LibraryEntry]) -> None:
    present = {c.library_key for c in row.criteria}
    added = [e.to_criterion() for e in entries if e.key not in present]
    for c in added:
        _check_name_free(row, c)
        _append(row, c)
    if added:
        rows.invalidate_sign_offs(s, row, "criteria added")
        changelog.record(
            s,
            rows.ENTITY,
            row.id,
            "criteria_added",
            {"criteria": [None, [c.name for c in added]]},
            summary=f"Version {row.version}: {len(added)} criteria added",
        )


def _remove(s: Session, row: CriteriaSetRow, target: CriterionRow) -> None:
    row.criteria.remove(target)
    rows.renumber(row)
    rows.invalidate_sign_offs(s, row, f"'{target.name}' removed")
    changelog.record(
        s,
        rows.ENTITY,
        row.id,
        "criterion_removed",
        {target.name: [rows.content(rows.criterion_to_domain(target)), None]},
        summary=f"Version {row.version}: '{target.name}' removed",
    )


def _append(row: CriteriaSetRow, c: d.Criterion) -> None:
    new = CriterionRow(position=len(row.criteria))
    rows.apply_criterion(c, new)
    row.criteria.append(new)


def _copy_set(s: Session, old: CriteriaSetRow) -> CriteriaSetRow:
    new = CriteriaSetRow(
        engagement_id=old.engagement_id,
        version=rows.next_version(s, old.engagement_id),
        required_roles=list(old.required_roles or []),
    )
    pairs = []
    for c in old.criteria:
        copy = CriterionRow(position=c.position)
        rows.apply_criterion(rows.criterion_to_domain(c), copy)
        new.criteria.append(copy)
        pairs.append((c, copy))
    people = {so.role: so.person for so in old.sign_offs}
    new.sign_offs = [SignOffRow(role=r, person=people.get(r, "")) for r in new.required_roles]
    s.add(new)
    s.flush()
    id_map = {old_c.id: new_c.id for old_c, new_c in pairs}
    old_ids = list(id_map)
    for score in s.scalars(select(ScoreRow).where(ScoreRow.criterion_id.in_(old_ids))):
        s.add(
            ScoreRow(
                criterion_id=id_map[score.criterion_id],
                cmo_id=score.cmo_id,
                score=score.score,
                note=score.note,
            )
        )
    for actual in s.scalars(select(KpiActualRow).where(KpiActualRow.criterion_id.in_(old_ids))):
        s.add(
            KpiActualRow(
                criterion_id=id_map[actual.criterion_id],
                cmo_id=actual.cmo_id,
                period=actual.period,
                actual=actual.actual,
                note=actual.note,
            )
        )
    for stage in d.CriterionStage:
        judged = rows.read_pairwise(s, old.id, stage)
        rows.write_pairwise(
            s,
            new.id,
            stage,
            {
                (id_map[a], id_map[b]): v
                for (a, b), v in judged.items()
                if a in id_map and b in id_map
            },
        )
    s.flush()
    return new
