"""Round trip: a CMO's filled-in pack comes back and its answers are stored against the pack.

A returned file is refused, with one line saying why, unless it is a pack this store exported:
its metadata must name this store, verify against the store's signing secret (so a hand-edited
identification sheet is caught), and name a pack in the register. Only the response cells are
read; edits anywhere else are listed as ignored. Each import is one PackResponseRow, and the
result says what changed since the previous response to the same pack.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from planner.excel.errors import ImportRefused
from planner.excel.limits import DEFAULT_LIMITS, ImportLimits
from planner.excel.pack_reader import Answer, CellEdit, NotAPack, ReturnedPack, read_returned_pack
from planner.services import changelog
from planner.services.pack_identity import store_identity
from planner.store.models import CmoRow, EngagementRow, PackResponseRow, PackRow
from planner.store.store import Store

ANSWER_FIELDS = ("acknowledged", "feasible", "proposed_date", "comment")
UNREADABLE = "unreadable answer"


class ResponseRefused(ValueError):
    """The file is not a response that may be imported into this store; one line for the user."""


@dataclass(frozen=True)
class AnswerChange:
    key: str
    item: str
    field: str  # one of ANSWER_FIELDS
    before: str | None  # text as stored (dates in ISO form); None when empty
    after: str | None


@dataclass(frozen=True)
class ResponseResult:
    response_id: int
    pack_id: str
    engagement_id: int
    engagement: str
    cmo_id: int
    cmo: str
    file_name: str
    answers: tuple[Answer, ...]
    changes: tuple[AnswerChange, ...]  # since the previous response (or since the pack was sent)
    ignored: tuple[CellEdit, ...]  # edits outside the response cells
    problems: tuple[str, ...]  # answers left out, and why
    first: bool  # the first response to this pack
    duplicate: bool  # the same file was imported before; nothing new was stored

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if not a.is_blank)

    def to_json(self) -> dict[str, Any]:
        return {
            "response_id": self.response_id,
            "pack_id": self.pack_id,
            "engagement_id": self.engagement_id,
            "engagement": self.engagement,
            "cmo_id": self.cmo_id,
            "cmo": self.cmo,
            "file": self.file_name,
            "answered": self.answered,
            "answers": [answer_to_json(a) for a in self.answers],
            "changes": [
                {
                    "key": c.key,
                    "item": c.item,
                    "field": c.field,
                    "before": c.before,
                    "after": c.after,
                }
                for c in self.changes
            ],
            "ignored_edits": [edit_to_json(e) for e in self.ignored],
            "problems": list(self.problems),
            "first": self.first,
            "duplicate": self.duplicate,
        }


@dataclass(frozen=True)
class StoredResponse:
    id: int
    pack_id: str
    received_at: datetime
    file_name: str
    answers: tuple[Answer, ...]
    ignored: tuple[CellEdit, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class SentPack:
    """A pack in the register with what came back: the 'still open' list of the export step."""

    pack_id: str
    engagement_id: int
    cmo_id: int
    cmo: str
    file_name: str
    sent_at: datetime
    criteria_version: int | None
    timeline_version: int | None
    responses: int
    last_response_at: datetime | None

    @property
    def awaiting_response(self) -> bool:
        return self.responses == 0


def answer_to_json(a: Answer) -> dict[str, Any]:
    return {
        "key": a.key,
        "item": a.item,
        "acknowledged": a.acknowledged,
        "feasible": a.feasible,
        "proposed_date": a.proposed_date.isoformat() if a.proposed_date else None,
        "comment": a.comment,
    }


def answer_from_json(data: dict[str, Any]) -> Answer:
    day = data.get("proposed_date")
    return Answer(
        key=str(data.get("key", "")),
        item=str(data.get("item", "")),
        acknowledged=data.get("acknowledged"),
        feasible=data.get("feasible"),
        proposed_date=date.fromisoformat(day) if day else None,
        comment=str(data.get("comment") or ""),
    )


def edit_to_json(e: CellEdit) -> dict[str, str]:
    return {"sheet": e.sheet, "cell": e.cell, "value": e.value, "change": e.change}


def import_response(
    store: Store, path: Path | str, *, limits: ImportLimits = DEFAULT_LIMITS
) -> ResponseResult:
    """Raises ResponseRefused for anything that is not a pack from this store; then nothing is
    written. The same file imported twice is stored once (`duplicate` on the second call)."""
    source = Path(path)
    try:
        returned = read_returned_pack(source, limits)
    except (ImportRefused, NotAPack) as exc:
        raise ResponseRefused(str(exc)) from None
    file_hash = _sha256(source)
    meta = returned.metadata
    with store.transaction() as s:
        identity = store_identity(s, create=False)
        if identity is None or identity[0] != meta.store_id:
            raise ResponseRefused(
                f"{source.name} was exported from another planner store; import it into the "
                "store that sent the pack."
            )
        if not meta.signed_with(identity[1]):
            raise ResponseRefused(
                f"{source.name}: the pack's identification was altered after export (its "
                "signature does not match), so the response cannot be trusted; nothing was "
                "imported."
            )
        pack = s.get(PackRow, meta.pack_id)
        if pack is None:
            raise ResponseRefused(
                f"{source.name} belongs to pack {meta.pack_id}, which this store has no record "
                "of (was the store restored from a backup older than the pack?)."
            )
        if (pack.engagement_id, pack.cmo_id) != (meta.engagement_id, meta.cmo_id):
            raise ResponseRefused(
                f"{source.name}: the pack's identification does not match the register; "
                "nothing was imported."
            )
        previous = s.scalars(
            select(PackResponseRow)
            .where(PackResponseRow.pack_id == pack.id)
            .order_by(PackResponseRow.received_at.desc(), PackResponseRow.id.desc())
            .limit(1)
        ).first()
        engagement = s.get(EngagementRow, pack.engagement_id)
        cmo = s.get(CmoRow, pack.cmo_id)
        names = (engagement.title if engagement else "", cmo.name if cmo else "")
        if previous is not None and previous.file_hash == file_hash:
            return _result(previous.id, returned, pack, names, (), first=False, duplicate=True)
        before = {a.key: a for a in map(answer_from_json, previous.answers)} if previous else {}
        changes = tuple(_changes(before, returned.answers))
        row = PackResponseRow(
            pack_id=pack.id,
            received_at=datetime.now(UTC),
            file_name=source.name,
            file_hash=file_hash,
            answers=[answer_to_json(a) for a in returned.answers],
            ignored_edits=[
                *(edit_to_json(e) for e in returned.edits),
                *(
                    {"sheet": "", "cell": "", "value": p, "change": UNREADABLE}
                    for p in returned.problems
                ),
            ],
        )
        s.add(row)
        s.flush()
        answered = sum(1 for a in returned.answers if not a.is_blank)
        changelog.record(
            s,
            "pack_response",
            row.id,
            "imported",
            {"answers": [None, answered], "ignored_edits": [None, len(returned.edits)]},
            summary=f"Response from {names[1]} to pack {pack.id} ({answered} answered, "
            f"{len(changes)} changed)",
        )
        return _result(row.id, returned, pack, names, changes, previous is None, False)


def responses(store: Store, pack_id: str) -> list[StoredResponse]:
    """Every response imported for a pack, oldest first."""
    with store.reading() as s:
        found = s.scalars(
            select(PackResponseRow)
            .where(PackResponseRow.pack_id == pack_id)
            .order_by(PackResponseRow.received_at, PackResponseRow.id)
        )
        return [_stored(r) for r in found]


def sent_packs(
    store: Store, engagement_id: int | None = None, cmo_id: int | None = None
) -> list[SentPack]:
    """Packs exported (newest first) with how many responses each has had."""
    counts = (
        select(
            PackResponseRow.pack_id,
            func.count().label("n"),
            func.max(PackResponseRow.received_at).label("last"),
        )
        .group_by(PackResponseRow.pack_id)
        .subquery()
    )
    query = (
        select(PackRow, CmoRow.name, counts.c.n, counts.c.last)
        .join(CmoRow, CmoRow.id == PackRow.cmo_id)
        .outerjoin(counts, counts.c.pack_id == PackRow.id)
        .order_by(PackRow.created_at.desc(), PackRow.id)
    )
    if engagement_id is not None:
        query = query.where(PackRow.engagement_id == engagement_id)
    if cmo_id is not None:
        query = query.where(PackRow.cmo_id == cmo_id)
    with store.reading() as s:
        return [
            SentPack(
                pack.id,
                pack.engagement_id,
                pack.cmo_id,
                name,
                pack.file_name,
                _utc(pack.created_at),
                pack.criteria_version,
                pack.timeline_version,
                n or 0,
                _utc(last) if last else None,
            )
            for pack, name, n, last in s.execute(query)
        ]


def latest_answers(store: Store, pack_id: str) -> dict[str, Answer]:
    """The answers of the newest response to a pack, by row key; {} before any response."""
    found = responses(store, pack_id)
    return {a.key: a for a in found[-1].answers} if found else {}


def _stored(row: PackResponseRow) -> StoredResponse:
    edits = [e for e in row.ignored_edits or [] if e.get("change") != UNREADABLE]
    return StoredResponse(
        id=row.id,
        pack_id=row.pack_id,
        received_at=_utc(row.received_at),
        file_name=row.file_name,
        answers=tuple(answer_from_json(a) for a in row.answers or []),
        ignored=tuple(
            CellEdit(
                str(e.get("sheet", "")),
                str(e.get("cell", "")),
                str(e.get("value", "")),
                str(e.get("change", "")),
            )
            for e in edits
        ),
        problems=tuple(
            str(e.get("value", ""))
            for e in row.ignored_edits or []
            if e.get("change") == UNREADABLE
        ),
    )


def _utc(value: datetime) -> datetime:
    """SQLite returns timestamps without their zone; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _changes(before: dict[str, Answer], answers: tuple[Answer, ...]) -> list[AnswerChange]:
    found = []
    for answer in answers:
        old = before.get(answer.key)
        for name in ANSWER_FIELDS:
            was = _text(getattr(old, name)) if old else None
            now = _text(getattr(answer, name))
            if was != now:
                found.append(AnswerChange(answer.key, answer.item, name, was, now))
    return found


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _result(
    response_id: int,
    returned: ReturnedPack,
    pack: PackRow,
    names: tuple[str, str],
    changes: tuple[AnswerChange, ...],
    first: bool,
    duplicate: bool,
) -> ResponseResult:
    return ResponseResult(
        response_id=response_id,
        pack_id=pack.id,
        engagement_id=pack.engagement_id,
        engagement=names[0],
        cmo_id=pack.cmo_id,
        cmo=names[1],
        file_name=returned.file_name,
        answers=returned.answers,
        changes=changes,
        ignored=returned.edits,
        problems=returned.problems,
        first=first,
        duplicate=duplicate,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
