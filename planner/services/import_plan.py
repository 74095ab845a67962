"""Which imported rows create, update or leave alone which CMOs: matching and duplicate policy.

Matching, in priority order: FEI number, DUNS number, normalised name + country. A match by
DUNS or name is rejected when both sides carry a different FEI (or, for a name match, a
different DUNS): those are different sites that happen to share a name. A row without a
country matches by name alone when exactly one supplier (in the file or the store) has that
name; a row with a country likewise matches the one supplier of its name that has none.

Merging: the file's non-empty values win over the store, lists included (replaced, not merged),
except a name that is only another spelling of the one already there. Rows of one CMO within the
file (registries list a site once per operation) are combined: lists are joined, notes appended,
and for other fields the later non-empty value wins.

Counting: every imported row (one with a name) is exactly one of created / updated / skipped.
- created: the first row of a new CMO;
- updated: the first row of an existing CMO whose values the file really changes;
- skipped: everything else: rows of a CMO already counted (in-file duplicates, merged into the
  first), matches under policy "skip", and matches whose values the store already holds. So a
  second import of the same file creates nothing and, under "update", updates nothing.
Rows with a row error (no name) are counted apart, as `rejected`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain.names import fold, folded_name_key
from planner.excel.records import Record
from planner.store.models import CmoRow

POLICIES = ("update", "skip", "add")


def match_name(name: str) -> str:
    """name_key, or for names without Latin letters (which name_key folds to nothing) the name
    itself, case-folded: two different Chinese company names must not match each other."""
    return _match_folded(name, fold(name))


def _match_folded(name: str, folded: str) -> str:
    return folded_name_key(folded) or "\x00" + " ".join(name.casefold().split())


def same_name(a: str, b: str) -> bool:
    """Spellings of one name ('ALPINE PHARMA' for 'Alpine Pharma GmbH'): such a spelling never
    replaces a name already there; a really different name (a rename, matched by FEI) does."""
    return a == b or match_name(a) == match_name(b)


@dataclass
class StoreIndex:
    """Identity keys of every stored CMO, loaded with one query (never a query per row)."""

    by_fei: dict[str, int] = field(default_factory=dict)
    by_duns: dict[str, int] = field(default_factory=dict)
    by_name: dict[tuple[str, str], list[tuple[int, str, str]]] = field(default_factory=dict)
    # Name key -> every stored CMO of that name, whatever its country: (id, fei, duns, country).
    by_name_any: dict[str, list[tuple[int, str, str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> StoreIndex:
        index = cls()
        query = select(
            CmoRow.id,
            CmoRow.name,
            CmoRow.name_key,
            CmoRow.country,
            CmoRow.fei_number,
            CmoRow.duns_number,
        ).order_by(CmoRow.id)
        for cmo_id, name, key, country, fei, duns in session.execute(query):
            if fei:
                index.by_fei.setdefault(fei, cmo_id)
            if duns:
                index.by_duns.setdefault(duns, cmo_id)
            name_match = key or match_name(name)
            index.by_name.setdefault((name_match, country or ""), []).append((cmo_id, fei, duns))
            index.by_name_any.setdefault(name_match, []).append(
                (cmo_id, fei or "", duns or "", country or "")
            )
        return index


@dataclass
class Target:
    """One CMO the import creates (store_id None) or touches, with everything the file says."""

    store_id: int | None
    values: dict[str, Any] = field(default_factory=dict)
    contacts: list[dict[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # sheet rows merged into it, first first
    # (name, its match key, fold(name)), computed once per record for the derived columns.
    keyed_name: tuple[str, str, str] = ("", "", "")


@dataclass
class Plan:
    new: list[Target] = field(default_factory=list)
    existing: dict[int, Target] = field(default_factory=dict)  # store id -> target
    skipped_rows: int = 0  # rows of CMOs already counted, and store matches under "skip"
    duplicates_in_file: int = 0
    matches_in_store: int = 0


def plan_import(
    records: list[Record],
    index: StoreIndex,
    policy: str,
    check: Callable[[int], None] = lambda _done: None,
) -> Plan:
    """`check(done)` runs every 1000 records (progress, cancellation)."""
    if policy not in POLICIES:
        raise ValueError(f"on_duplicate must be one of {', '.join(POLICIES)}, not {policy!r}")
    plan = Plan()
    in_file: dict[tuple, Target] = {}
    by_name: dict[str, list[Target]] = {}  # name key -> the file's targets of that name
    touched: dict[int, Target] = {}  # store id -> its target, however the rows matched it
    for done, record in enumerate(records, start=1):
        if done % 1000 == 0:
            check(done)
        values = record.values
        name = values["name"]
        folded = fold(name)
        keys = _keys(values, name, folded)
        target = _find(values, keys, in_file, index, touched)
        if target is None:
            target = _find_across_countries(values, keys[-1], by_name, index, touched)
        if target is not None:
            if target.rows:
                plan.duplicates_in_file += 1
            elif target.store_id is not None:
                plan.matches_in_store += 1
                touched[target.store_id] = target
        if policy == "add" or target is None:
            target = Target(store_id=None)
            plan.new.append(target)
        elif policy == "skip" or target.rows:
            # "skip" leaves matches alone; "update" folds later rows into the first one.
            plan.skipped_rows += 1
            if policy == "skip":
                target.rows.append(record.row)
                _register(keys, target, in_file, by_name)
                continue
        if target.store_id is not None:
            plan.existing[target.store_id] = target
        _merge(target, record, (name, keys[-1][1], folded))
        _register(keys, target, in_file, by_name)
    return plan


def _keys(values: dict[str, Any], name: str, folded: str) -> list[tuple]:
    keys: list[tuple] = []
    if fei := values.get("fei_number"):
        keys.append(("fei", fei))
    if duns := values.get("duns_number"):
        keys.append(("duns", duns))
    keys.append(("name", _match_folded(name, folded), values.get("country", "")))
    return keys


def _compatible(values: dict[str, Any], fei: str, duns: str, kind: str) -> bool:
    mine_fei, mine_duns = values.get("fei_number", ""), values.get("duns_number", "")
    if kind != "fei" and mine_fei and fei and mine_fei != fei:
        return False
    return not (kind == "name" and mine_duns and duns and mine_duns != duns)


def _find(
    values: dict[str, Any],
    keys: list[tuple],
    in_file: dict[tuple, Target],
    index: StoreIndex,
    touched: dict[int, Target],
) -> Target | None:
    for key in keys:
        kind = key[0]
        target = in_file.get(key)
        if target is not None and _compatible(
            values, target.values.get("fei_number", ""), target.values.get("duns_number", ""), kind
        ):
            return target
        candidates: list[tuple[int, str, str]] = []
        if kind == "fei" and key[1] in index.by_fei:
            candidates = [(index.by_fei[key[1]], key[1], "")]
        elif kind == "duns" and key[1] in index.by_duns:
            candidates = [(index.by_duns[key[1]], "", key[1])]
        elif kind == "name":
            candidates = index.by_name.get((key[1], key[2]), [])
        for cmo_id, fei, duns in candidates:
            if kind == "duns":
                fei = _store_fei(index, cmo_id)
            if _compatible(values, fei, duns, kind):
                return touched.get(cmo_id) or Target(store_id=cmo_id)
    return None


def _store_fei(index: StoreIndex, cmo_id: int) -> str:
    # Rarely needed (a DUNS match with an FEI on both sides), so a scan is acceptable.
    return next((fei for fei, i in index.by_fei.items() if i == cmo_id), "")


def _find_across_countries(
    values: dict[str, Any],
    name_key: tuple,
    by_name: dict[str, list[Target]],
    index: StoreIndex,
    touched: dict[int, Target],
) -> Target | None:
    """A row without a country is the one supplier of its name, in the file or the store, when
    there is exactly one; a row with a country is the one supplier of its name that has none
    (it then gains the country). More than one candidate is ambiguous: no match."""
    _, key, country = name_key
    if key not in by_name and key not in index.by_name_any:
        return None  # the usual case: a name seen nowhere else
    if country:
        file_side = [t for t in by_name.get(key, []) if not t.values.get("country")]
        store_side = [c for c in index.by_name_any.get(key, []) if not c[3]]
    else:
        file_side = list(by_name.get(key, []))
        store_side = list(index.by_name_any.get(key, []))
    # A stored CMO the file already matched is one candidate, not two.
    file_ids = {t.store_id for t in file_side if t.store_id is not None}
    store_side = [c for c in store_side if c[0] not in file_ids]
    if len(file_side) + len(store_side) != 1:
        return None
    if file_side:
        target = file_side[0]
        fei, duns = target.values.get("fei_number", ""), target.values.get("duns_number", "")
        return target if _compatible(values, fei, duns, "name") else None
    cmo_id, fei, duns, _ = store_side[0]
    if not _compatible(values, fei, duns, "name"):
        return None
    return touched.get(cmo_id) or Target(store_id=cmo_id)


def _register(
    keys: list[tuple], target: Target, in_file: dict[tuple, Target], by_name: dict[str, list]
) -> None:
    for key in keys:
        in_file.setdefault(key, target)
    same_name = by_name.setdefault(keys[-1][1], [])
    if not any(t is target for t in same_name):
        same_name.append(target)


def _merge(target: Target, record: Record, keyed_name: tuple[str, str, str]) -> None:
    """The file's non-empty values win; rows of one CMO within the file join lists and notes."""
    target.rows.append(record.row)
    if not target.values:
        target.values = record.values  # the record is not used again: no copy needed
    else:
        name = target.values["name"]
        combined = dict(record.values)
        for key, value in record.values.items():
            earlier = target.values.get(key)
            if isinstance(value, list) and isinstance(earlier, list):
                seen = {str(v).casefold() for v in earlier}
                combined[key] = earlier + [v for v in value if str(v).casefold() not in seen]
            elif key == "notes" and earlier and value and value not in earlier:
                combined[key] = f"{earlier}\n{value}"
        target.values.update(combined)  # new lists: earlier ones are never mutated in place
        if same_name(name, record.values["name"]):
            target.values["name"] = name
    if target.values["name"] == record.values["name"]:
        target.keyed_name = keyed_name
    contact = record.contact
    if contact is not None and not any(_same_contact(c, contact) for c in target.contacts):
        target.contacts.append(contact)


def _same_contact(a: dict[str, str], b: dict[str, str]) -> bool:
    if a.get("email") and b.get("email"):
        return a["email"].casefold() == b["email"].casefold()
    return a["name"].casefold() == b["name"].casefold()
