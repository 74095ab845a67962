"""Which CMOs an engagement's criteria are meant for (the wizard's "who receives them" step)."""

from __future__ import annotations

import json

from planner.services import changelog
from planner.store.models import StoreSettingRow
from planner.store.store import Store

_KEY = "criteria.recipients.{}"


class CriteriaRecipients:
    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self, engagement_id: int) -> list[int] | None:
        """None when nobody chose yet (the wizard then proposes every candidate)."""
        with self._store.reading() as s:
            row = s.get(StoreSettingRow, _KEY.format(engagement_id))
            if row is None or not row.value:
                return None
            return [int(i) for i in json.loads(row.value).get("cmo_ids", [])]

    def save(self, engagement_id: int, cmo_ids: list[int]) -> None:
        key = _KEY.format(engagement_id)
        value = json.dumps({"cmo_ids": sorted(set(cmo_ids))})
        with self._store.transaction() as s:
            row = s.get(StoreSettingRow, key)
            before = row.value if row else ""
            if before == value:
                return
            if row is None:
                s.add(StoreSettingRow(key=key, value=value))
            else:
                row.value = value
            changelog.record(
                s, "criteria_recipients", engagement_id, "updated", {"cmo_ids": [before, value]}
            )
