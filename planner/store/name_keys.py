"""Deriving every CMO's matching key and search text again, for migrations that change the
rules behind them (planner.domain.names)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.domain.names import name_key, search_text_for


def recompute_name_keys(bind: Connection) -> int:
    """Store each CMO's name_key and search_text as the current rules give them; returns how
    many CMOs were read. Runs inside the migration's transaction."""
    rows = bind.execute(
        sa.text("SELECT id, name, legal_name, country, city, capabilities FROM cmo")
    ).fetchall()
    updates = []
    for cmo_id, name, legal_name, country, city, capabilities in rows:
        if isinstance(capabilities, str):  # SQLite hands JSON back as text
            capabilities = json.loads(capabilities)
        text = search_text_for(
            name, legal_name or "", country or "", city or "", capabilities or []
        )
        updates.append({"id": cmo_id, "key": name_key(name), "text": text})
    if updates:
        bind.execute(
            sa.text("UPDATE cmo SET name_key = :key, search_text = :text WHERE id = :id"), updates
        )
    return len(rows)
