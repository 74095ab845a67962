"""Writing an import plan in the caller's transaction: new CMOs in bulk, changed CMOs with the
values they had before (so the import can be undone), their contacts, and the batch items."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, insert, literal, select, update
from sqlalchemy.orm import Session

from planner.domain.countries import country_name
from planner.domain.names import fold, folded_name_key
from planner.services.cmos import LIST_FIELDS, SCALAR_FIELDS
from planner.services.import_bulk import (
    indexes_built_after,
    insert_returning_ids,
    insert_rows,
    roomy_page_cache,
)
from planner.services.import_plan import Plan, Target, same_name
from planner.store.models import CmoRow, ContactRow, ImportBatchItemRow

FIELDS = (*SCALAR_FIELDS, *LIST_FIELDS, "last_inspection_outcome")
DATE_FIELDS = ("last_inspection_date", "ownership_change_date")
_CONTACT_FIELDS = ("name", "role", "email", "phone")
_CHUNK = 500  # ids per IN (...) list: far below every database's parameter limit


def _blank(field_name: str) -> Any:
    if field_name in LIST_FIELDS:
        return []
    return None if field_name in DATE_FIELDS else ""


_BLANK_ROW = {f: _blank(f) for f in FIELDS}


def derived_columns(
    row: dict[str, Any], match: tuple[str, str, str] = ("", "", "")
) -> dict[str, str]:
    """name_key and search_text exactly as `name_key(name)` and `cmos.search_text(cmo)` give
    them (a test holds them equal), computed faster; `match` is (name, match_name(name),
    fold(name)) when the planner already has them."""
    key, text = _derived(row, match)
    return {"name_key": key, "search_text": text}


def _derived(row: dict[str, Any], match: tuple[str, str, str]) -> tuple[str, str]:
    """The name is folded once and the repeated parts (country, city, capabilities, a legal
    form) come from a cache. fold(" | ".join(parts)) equals the folded parts joined by spaces,
    because the separator folds to a space and no rule of fold reaches across it; the same
    holds for the space between a name and the legal form that follows it in the legal name.
    name_key(fold(name)) == name_key(name) because fold is idempotent."""
    name = row["name"]
    if match[0] == name:
        folded_name = match[2]
        key = "" if match[1].startswith("\x00") else match[1]  # see import_plan.match_name
    else:
        folded_name = fold(name)
        key = folded_name_key(folded_name)
    legal = row["legal_name"]
    if not legal:
        folded_legal = ""
    elif legal.startswith(name) and legal[len(name) : len(name) + 1] == " " and legal.isascii():
        # "Alpine Pharma 0042 GmbH" after "Alpine Pharma 0042": only the form needs folding.
        form = _fold_repeated(legal[len(name) + 1 :])
        folded_legal = _spaced(folded_name, form)
    else:
        folded_legal = fold(legal)
    tail = _folded_tail(row["country"], row["city"], tuple(row["capabilities"] or ()))
    return key, _spaced(_spaced(folded_name, folded_legal), tail)


def _spaced(first: str, second: str) -> str:
    return f"{first} {second}" if first and second else first or second


@lru_cache(maxsize=8192)
def _folded_tail(country: str, city: str, capabilities: tuple[str, ...]) -> str:
    """The search text after the names; few distinct combinations recur over an import."""
    parts = [
        _fold_repeated(country),
        _fold_repeated(country_name(country)) if country else "",
        _fold_repeated(city),
        *(_fold_repeated(c) for c in capabilities),
    ]
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=8192)
def _fold_repeated(text: str) -> str:
    return fold(text) if text else ""


@dataclass
class Change:
    target: Target
    fields: dict[str, tuple[Any, Any]]  # field -> (before, after)
    updated_at: datetime | None = None  # restored on undo, so an earlier import stays undoable
    contacts_before: list[dict[str, Any]] | None = None  # set when contacts change
    contact_updates: list[dict[str, Any]] = field(default_factory=list)
    contact_inserts: list[dict[str, Any]] = field(default_factory=list)


def diff_existing(session: Session, plan: Plan) -> list[Change]:
    """What the file would change on each matched CMO; targets with no change are left out.

    Core rows, not ORM objects (a re-import matches every row: 100k objects would cost
    seconds), and only the fields the file carries are compared."""
    ids = list(plan.existing)
    current: dict[int, tuple] = {}
    stamps: dict[int, datetime] = {}
    contacts: dict[int, list[dict[str, Any]]] = {}
    columns = [getattr(CmoRow, f) for f in FIELDS]
    contact_columns = [
        ContactRow.id,
        ContactRow.cmo_id,
        *(getattr(ContactRow, f) for f in _CONTACT_FIELDS),
    ]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        query = select(CmoRow.id, CmoRow.updated_at, *columns).where(CmoRow.id.in_(chunk))
        for row in session.execute(query):
            current[row[0]] = tuple(row[2:])
            stamps[row[0]] = row[1]
        query = select(*contact_columns).where(ContactRow.cmo_id.in_(chunk)).order_by(ContactRow.id)
        for contact_id, cmo_id, *values in session.execute(query):
            contacts.setdefault(cmo_id, []).append(
                {"id": contact_id, **dict(zip(_CONTACT_FIELDS, values, strict=True))}
            )
    changes = []
    for cmo_id, target in plan.existing.items():
        stored = current.get(cmo_id)
        if stored is None:
            continue  # deleted while we were reading: nothing to update
        fields = {}
        for name, value in target.values.items():
            old = _stored(name, stored[_POSITION[name]])
            if old != value and not _same_value(name, old, value):
                fields[name] = (old, value)
        change = Change(target, fields, updated_at=stamps[cmo_id])
        _diff_contacts(change, cmo_id, contacts.get(cmo_id, []))
        if change.fields or change.contacts_before is not None:
            before = {f: _stored(f, v) for f, v in zip(FIELDS, stored, strict=True)}
            change.target.values = {**before, **{f: new for f, (_, new) in fields.items()}}
            changes.append(change)
    return changes


_POSITION = {name: position for position, name in enumerate(FIELDS)}


def _same_value(field_name: str, old: Any, new: Any) -> bool:
    """Differences that are no change: a name respelt, a list in another order or case."""
    if field_name == "name":
        return same_name(old, new)
    if field_name in LIST_FIELDS:
        return sorted(str(v).casefold() for v in old) == sorted(str(v).casefold() for v in new)
    return False


def _stored(field_name: str, value: Any) -> Any:
    if value is None:
        return _blank(field_name)
    return list(value) if field_name in LIST_FIELDS else value


def _diff_contacts(change: Change, cmo_id: int, existing: list[dict[str, Any]]) -> None:
    for incoming in change.target.contacts:
        match = next((c for c in existing if _same_person(c, incoming)), None)
        if match is None:
            change.contact_inserts.append({"cmo_id": cmo_id, **incoming})
            continue
        updates = {
            f: incoming[f] for f in _CONTACT_FIELDS if incoming[f] and incoming[f] != match[f]
        }
        if updates:
            change.contact_updates.append({"id": match["id"], **updates})
    if change.contact_inserts or change.contact_updates:
        change.contacts_before = existing


def _same_person(stored: dict[str, Any], incoming: dict[str, str]) -> bool:
    if stored["email"] and incoming["email"]:
        return stored["email"].casefold() == incoming["email"].casefold()
    return stored["name"].casefold() == incoming["name"].casefold()


def write_plan(
    session: Session,
    plan: Plan,
    changes: list[Change],
    batch_id: int,
    now: datetime,
    progress: Callable[[int, int, str], None],
    check: Callable[[], None],
) -> None:
    with roomy_page_cache(session):
        _write_new(session, plan, batch_id, now, progress, check, len(plan.new) + len(changes))
        _write_changes(session, changes, batch_id, now)
    progress(len(plan.new) + len(changes), len(plan.new) + len(changes), "Saving suppliers")


def _write_new(
    session: Session,
    plan: Plan,
    batch_id: int,
    now: datetime,
    progress: Callable[[int, int, str], None],
    check: Callable[[], None],
    total: int,
) -> None:
    progress(0, total, "Saving suppliers")

    def between_chunks(done: int) -> None:
        check()
        progress(done, total, "Saving suppliers")

    def rows() -> Iterator[dict[str, Any]]:  # one chunk at a time, never all 100k dicts
        base = {**_BLANK_ROW, "source_import_id": batch_id, "created_at": now, "updated_at": now}
        for target in plan.new:
            row = {**base, **target.values}
            row["name_key"], row["search_text"] = _derived(row, target.keyed_name)
            yield row

    table = CmoRow.__table__
    marker = CmoRow.source_import_id == batch_id
    with indexes_built_after(session, table, len(plan.new)):
        ids = insert_returning_ids(session, table, rows(), marker, between_chunks)
    contacts = (
        {"cmo_id": cmo_id, **contact}
        for target, cmo_id in zip(plan.new, ids, strict=True)
        for contact in target.contacts
    )
    insert_rows(session, ContactRow.__table__, contacts)
    # One INSERT ... SELECT records every created CMO, instead of 100,000 parameter sets.
    created = select(
        literal(batch_id),
        CmoRow.id,
        literal("created"),
        literal({}, JSON),
        CmoRow.updated_at,
    ).where(CmoRow.source_import_id == batch_id)
    item_columns = ["batch_id", "cmo_id", "action", "before", "after_updated_at"]
    session.execute(insert(ImportBatchItemRow).from_select(item_columns, created))
    check()


def _write_changes(session: Session, changes: list[Change], batch_id: int, now: datetime) -> None:
    if not changes:
        return
    updates, items, contact_updates, contact_inserts = [], [], [], []
    for change in changes:
        cmo_id = change.target.store_id
        values = change.target.values
        updates.append(
            {
                "id": cmo_id,
                **{f: values[f] for f in change.fields},
                **derived_columns(values),
                "updated_at": now,
            }
        )
        before: dict[str, Any] = {
            "fields": {f: _plain(old) for f, (old, _) in change.fields.items()},
            "updated_at": _plain(change.updated_at),
        }
        if change.contacts_before is not None:
            before["contacts"] = change.contacts_before
        items.append(
            {
                "batch_id": batch_id,
                "cmo_id": cmo_id,
                "action": "updated",
                "before": before,
                "after_updated_at": now,
            }
        )
        contact_updates += change.contact_updates
        contact_inserts += change.contact_inserts
    session.execute(update(CmoRow), updates)
    if contact_updates:
        session.execute(update(ContactRow), contact_updates)
    if contact_inserts:
        session.execute(insert(ContactRow), contact_inserts)
    insert_rows(session, ImportBatchItemRow.__table__, items)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
