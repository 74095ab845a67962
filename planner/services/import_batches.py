"""Import batches after the fact: list them, undo one, and the mapping profiles imports reuse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from planner.excel.mapping import header_signature
from planner.services import changelog
from planner.services.import_writer import DATE_FIELDS, derived_columns
from planner.store.models import (
    ChangeLogRow,
    CmoRow,
    ContactRow,
    EngagementCandidateRow,
    EngagementRow,
    ImportBatchItemRow,
    ImportBatchRow,
    KpiActualRow,
    MappingProfileRow,
    PackRow,
    ScoreRow,
)
from planner.store.models.base import utcnow
from planner.store.store import Store

_NAMED = 5  # suppliers named in a refusal before "and N more"


class UndoRefused(ValueError):
    """The import cannot be undone; the message says why and names the suppliers involved."""


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    removed: int
    restored: int


@dataclass(frozen=True)
class BatchInfo:
    id: int
    file_name: str
    sheet: str
    imported_at: datetime
    imported_by: str
    policy: str
    created: int
    updated: int
    skipped: int
    errors: int
    undone_at: datetime | None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


def list_batches(store: Store) -> list[BatchInfo]:
    """Newest first; times are aware (UTC), so callers can show them in local time."""
    with store.reading() as s:
        rows = s.scalars(select(ImportBatchRow).order_by(ImportBatchRow.id.desc()))
        return [
            BatchInfo(
                b.id, b.file_name, b.sheet, _aware(b.imported_at), b.imported_by, b.policy,
                b.created, b.updated, b.skipped, len(b.errors or []), _aware(b.undone_at),
            )
            for b in rows
        ]  # fmt: skip


def _aware(stamp: datetime | None) -> datetime | None:
    # Stored in UTC; SQLite hands them back without a zone.
    if stamp is None or stamp.tzinfo is not None:
        return stamp
    return stamp.replace(tzinfo=UTC)


def check_undo(store: Store, batch_id: int | None = None) -> int:
    """The batch an undo would take back; raises UndoRefused as `undo_import` would. Callers
    check first so that a refused undo leaves no backup behind."""
    with store.reading() as s:
        batch = _batch(s, batch_id)
        _refuse_if_touched(s, batch)
        return batch.id


def undo_import(store: Store, batch_id: int | None = None) -> UndoResult:
    """Remove what the import created and restore what it changed, in one transaction.

    Refused when any of its suppliers changed after it (a later edit or import, seen by the
    row's updated_at or by the change log), or when a created supplier is in use since
    (engagements, scores, packs): undoing would silently lose that later work.
    """
    with store.transaction() as s:
        batch = _batch(s, batch_id)
        _refuse_if_touched(s, batch)
        created = select(ImportBatchItemRow.cmo_id).where(
            ImportBatchItemRow.batch_id == batch.id, ImportBatchItemRow.action == "created"
        )
        # No session synchronisation: nothing of these rows is loaded, and "fetch" would first
        # select every id (100k for a large import).
        removal = delete(CmoRow).where(CmoRow.id.in_(created))
        removed = s.execute(removal.execution_options(synchronize_session=False)).rowcount or 0
        restored = 0
        now = utcnow()
        updated = select(ImportBatchItemRow).where(
            ImportBatchItemRow.batch_id == batch.id, ImportBatchItemRow.action == "updated"
        )
        for item in s.scalars(updated):
            if _restore(s, item, now):
                restored += 1
        batch.undone_at = now
        changelog.record(
            s, "import_batch", batch.id, "undone",
            summary=f"{batch.file_name}: {removed} removed, {restored} restored",
        )  # fmt: skip
        return UndoResult(batch.id, removed, restored)


def _batch(s: Session, batch_id: int | None) -> ImportBatchRow:
    if batch_id is None:
        query = select(ImportBatchRow).where(ImportBatchRow.undone_at.is_(None))
        batch = s.scalars(query.order_by(ImportBatchRow.id.desc()).limit(1)).first()
        if batch is None:
            raise UndoRefused("There is no import left to undo.")
        return batch
    batch = s.get(ImportBatchRow, batch_id)
    if batch is None:
        raise UndoRefused(f"There is no import with id {batch_id}.")
    if batch.undone_at is not None:
        raise UndoRefused(
            f"Import {batch.id} ({batch.file_name}) was already undone on {batch.undone_at:%Y-%m-%d %H:%M}."
        )
    return batch


def _refuse_if_touched(s: Session, batch: ImportBatchRow) -> None:
    # The ids alone, not 100k item objects with their JSON "before" values.
    ids = set(
        s.scalars(select(ImportBatchItemRow.cmo_id).where(ImportBatchItemRow.batch_id == batch.id))
    )
    if not ids:
        return
    edited = (
        select(CmoRow.id)
        .join(ImportBatchItemRow, ImportBatchItemRow.cmo_id == CmoRow.id)
        .where(
            ImportBatchItemRow.batch_id == batch.id,
            CmoRow.updated_at != ImportBatchItemRow.after_updated_at,
        )
    )
    touched = set(s.scalars(edited))
    # Contact-only edits do not move the CMO's updated_at, but the CMO service logs them.
    later = select(ChangeLogRow.entity_id).where(
        ChangeLogRow.entity == "cmo",
        ChangeLogRow.at > batch.imported_at,
        ChangeLogRow.action != "deleted",
    )
    touched |= {int(e) for e in s.scalars(later) if e.isdigit() and int(e) in ids}
    if touched:
        raise UndoRefused(
            f"Import {batch.id} ({batch.file_name}) cannot be undone: {_names(s, touched)} "
            "changed after it. Undo later imports first, or edit those suppliers by hand."
        )
    created = select(ImportBatchItemRow.cmo_id).where(
        ImportBatchItemRow.batch_id == batch.id, ImportBatchItemRow.action == "created"
    )
    used: set[int] = set()
    for column in (
        EngagementCandidateRow.cmo_id, EngagementRow.chosen_cmo_id, ScoreRow.cmo_id,
        KpiActualRow.cmo_id, PackRow.cmo_id,
    ):  # fmt: skip
        used |= set(s.scalars(select(column).where(column.in_(created)).distinct()))
    if used:
        raise UndoRefused(
            f"Import {batch.id} ({batch.file_name}) cannot be undone: {_names(s, used)} "
            "created by it are used in engagements, scores or packs since."
        )


def _names(s: Session, ids: set[int]) -> str:
    first = sorted(ids)[:_NAMED]
    names = list(s.scalars(select(CmoRow.name).where(CmoRow.id.in_(first)).order_by(CmoRow.id)))
    more = len(ids) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    return f"{len(ids)} supplier{'s' if len(ids) != 1 else ''} ({listed})"


def _restore(s: Session, item: ImportBatchItemRow, now: datetime) -> bool:
    row = s.get(CmoRow, item.cmo_id)
    if row is None:
        return False  # deleted since (deletions do not block an undo): nothing to restore
    for field_name, value in (item.before or {}).get("fields", {}).items():
        if field_name in DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        setattr(row, field_name, value)
    stamp = (item.before or {}).get("updated_at")
    # Back to the time stamp it had: an import before this one can then be undone in turn.
    row.updated_at = datetime.fromisoformat(stamp) if stamp else now
    values = {f: getattr(row, f) for f in ("name", "legal_name", "country", "city", "capabilities")}
    values["capabilities"] = list(values["capabilities"] or [])
    for key, value in derived_columns(values).items():
        setattr(row, key, value)
    contacts = (item.before or {}).get("contacts")
    if contacts is not None:
        keep = [c["id"] for c in contacts]
        s.execute(delete(ContactRow).where(ContactRow.cmo_id == row.id, ContactRow.id.not_in(keep)))
        for contact in contacts:
            fields = {k: contact[k] for k in ("name", "role", "email", "phone")}
            s.execute(update(ContactRow).where(ContactRow.id == contact["id"]).values(**fields))
    return True


# -- mapping profiles ----------------------------------------------------------------------------


def save_profile(store: Store, name: str, headers: list[str], mapping: dict[str, str]) -> None:
    """Save (or replace) a named mapping; files with the same headers get it offered again."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A mapping profile needs a name.")
    with store.transaction() as s:
        row = s.scalars(select(MappingProfileRow).where(MappingProfileRow.name == name)).first()
        if row is None:
            row = MappingProfileRow(name=name)
            s.add(row)
        row.headers = list(headers)
        row.header_signature = header_signature(list(headers))
        row.mapping = {h: t for h, t in mapping.items() if h in set(headers)}
        changelog.record(s, "mapping_profile", name, "saved", summary=name)


def find_profile(store: Store, headers: list[str]) -> tuple[str, dict[str, str]] | None:
    """The most recently saved profile for exactly these (normalised) headers."""
    with store.reading() as s:
        row = s.scalars(
            select(MappingProfileRow)
            .where(MappingProfileRow.header_signature == header_signature(list(headers)))
            .order_by(MappingProfileRow.id.desc())
            .limit(1)
        ).first()
        return (row.name, dict(row.mapping)) if row else None


def profile_headers(store: Store) -> list[str]:
    """Every header any saved profile knows: they help find the header row of such files."""
    with store.reading() as s:
        return [
            h for headers in s.scalars(select(MappingProfileRow.headers)) for h in headers or []
        ]
