"""What identifies this store in the packs it sends: the sponsor's name, the store id, the secret.

The store id and the signing secret are made on the first export (StoreSettingRow). A pack
carries the id and an HMAC made with the secret; the secret never leaves the store, so a pack
whose identification was edited, or one sent by another store, is recognised on its return.
"""

from __future__ import annotations

import secrets
from uuid import uuid4

from sqlalchemy.orm import Session

from planner.services import changelog
from planner.store.models import StoreSettingRow
from planner.store.store import Store

SPONSOR_SETTING = "sponsor"
STORE_ID_SETTING = "store_id"
SECRET_SETTING = "pack_signing_key"


def sponsor_name(store: Store) -> str:
    with store.reading() as s:
        row = s.get(StoreSettingRow, SPONSOR_SETTING)
        return row.value.strip() if row else ""


def set_sponsor_name(store: Store, name: str) -> None:
    with store.transaction() as s:
        row = s.get(StoreSettingRow, SPONSOR_SETTING)
        before = row.value if row else None
        if row is None:
            row = StoreSettingRow(key=SPONSOR_SETTING)
            s.add(row)
        row.value = " ".join(name.split())
        if before != row.value:
            changelog.record(
                s, "setting", SPONSOR_SETTING, "updated", {"sponsor": [before, row.value]}
            )


def store_identity(s: Session, *, create: bool) -> tuple[str, bytes] | None:
    """(store id, signing secret); made on first use when `create`. Packs carry the id and a
    signature made with the secret; the secret never leaves the store."""
    found = {k: s.get(StoreSettingRow, k) for k in (STORE_ID_SETTING, SECRET_SETTING)}
    if not create and not all(r and r.value for r in found.values()):
        return None
    values = {}
    for key, row in found.items():
        if row is None or not row.value:
            value = uuid4().hex if key == STORE_ID_SETTING else secrets.token_hex(32)
            if row is None:
                row = StoreSettingRow(key=key)
                s.add(row)
            row.value = value
        values[key] = row.value
    return values[STORE_ID_SETTING], bytes.fromhex(values[SECRET_SETTING])
