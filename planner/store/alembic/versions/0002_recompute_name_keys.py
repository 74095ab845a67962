"""recompute the derived name columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

A CMO's matching key and search text are derived from its name, country, city and
capabilities. The rules learnt written-out umlauts ("Mueller" for "Müller") and letters that
decomposition leaves alone ("ß", "Ł", "ø"), so stored values are derived again here; a
store that keeps old keys would not match "Müller" in a new file to the "Mueller" it holds.
"""

import json

import sqlalchemy as sa
from alembic import op

from planner.domain.names import name_key, search_text_for

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
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


def downgrade() -> None:
    # Nothing to undo in the schema; the keys stay derived by the newer rules, which match
    # every name the older ones matched.
    pass
