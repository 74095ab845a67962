"""The criteria library: shipped entries from resources/criteria plus the user's own from the store.

User entries live in one store setting ("criteria_library.custom") as
{"format": 1, "entries": [entry_to_json(...), ...]}, so a team sharing a store shares them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from planner.domain.criteria import CriterionStage
from planner.domain.criteria_library import (
    CUSTOM_PREFIX,
    LibraryEntry,
    as_custom,
    check_entry,
    check_unique,
    entry_from_json,
    entry_to_json,
    parse_library,
)
from planner.resource_files import resource
from planner.services import changelog
from planner.services.errors import Conflict, NotFound
from planner.store.models import StoreSettingRow
from planner.store.store import Store

CUSTOM_SETTING = "criteria_library.custom"


@lru_cache(maxsize=4)
def load_shipped(path: Path) -> tuple[LibraryEntry, ...]:
    return tuple(parse_library(json.loads(path.read_text(encoding="utf-8"))))


def shipped_library() -> tuple[LibraryEntry, ...]:
    return load_shipped(resource("criteria", "library.json"))


def _read_custom(s: Session) -> list[LibraryEntry]:
    setting = s.get(StoreSettingRow, CUSTOM_SETTING)
    if setting is None or not setting.value:
        return []
    data = json.loads(setting.value)
    return [entry_from_json(item, custom=True) for item in data.get("entries", [])]


def _write_custom(s: Session, entries: list[LibraryEntry]) -> None:
    value = json.dumps(
        {"format": 1, "entries": [entry_to_json(e) for e in entries]}, ensure_ascii=False
    )
    setting = s.get(StoreSettingRow, CUSTOM_SETTING)
    if setting is None:
        s.add(StoreSettingRow(key=CUSTOM_SETTING, value=value))
    else:
        setting.value = value


class CriteriaLibrary:
    def __init__(self, store: Store, source: Path | None = None) -> None:
        self._store = store
        self._source = source

    def shipped(self) -> list[LibraryEntry]:
        return list(load_shipped(self._source) if self._source else shipped_library())

    def custom(self) -> list[LibraryEntry]:
        with self._store.reading() as s:
            return _read_custom(s)

    def entries(self, stage: CriterionStage | None = None) -> list[LibraryEntry]:
        """Shipped entries first (file order), then the user's own (in the order added)."""
        everything = self.shipped() + self.custom()
        return [e for e in everything if stage is None or e.stage is stage]

    def get(self, key: str) -> LibraryEntry:
        for entry in self.entries():
            if entry.key == key:
                return entry
        raise NotFound(f"The criteria library has no entry '{key}'.")

    def add_custom(self, entry: LibraryEntry) -> LibraryEntry:
        """Stores a user entry under a fresh 'custom.<slug>' key; returns it with that key."""
        with self._store.transaction() as s:
            custom = _read_custom(s)
            shipped = self.shipped()
            new = as_custom(
                replace(entry, name=entry.name.strip()), [e.key for e in shipped + custom]
            )
            check_entry(new)
            check_unique([*shipped, *custom, new])
            _write_custom(s, [*custom, new])
            changelog.record(
                s, "criteria_library", new.key, "created", summary=f"{new.stage.value}: {new.name}"
            )
            return new

    def update_custom(self, entry: LibraryEntry) -> LibraryEntry:
        if not entry.key.startswith(CUSTOM_PREFIX):
            raise Conflict(f"'{entry.name}' ships with the planner and cannot be changed here.")
        with self._store.transaction() as s:
            custom = _read_custom(s)
            index = next((i for i, e in enumerate(custom) if e.key == entry.key), None)
            if index is None:
                raise NotFound(f"The criteria library has no entry '{entry.key}'.")
            updated = replace(entry, name=entry.name.strip(), custom=True)
            check_entry(updated)
            others = custom[:index] + custom[index + 1 :]
            check_unique([*self.shipped(), *others, updated])
            before = entry_to_json(custom[index])
            custom[index] = updated
            _write_custom(s, custom)
            changes = changelog.diff(before, entry_to_json(updated))
            if changes:
                changelog.record(
                    s, "criteria_library", updated.key, "updated", changes, summary=updated.name
                )
            return updated

    def remove_custom(self, key: str) -> None:
        """Sets that already use the entry keep their copy of it."""
        if not key.startswith(CUSTOM_PREFIX):
            raise Conflict("Entries shipped with the planner cannot be removed.")
        with self._store.transaction() as s:
            custom = _read_custom(s)
            kept = [e for e in custom if e.key != key]
            if len(kept) == len(custom):
                raise NotFound(f"The criteria library has no entry '{key}'.")
            _write_custom(s, kept)
            name = next(e.name for e in custom if e.key == key)
            changelog.record(s, "criteria_library", key, "deleted", summary=name)
