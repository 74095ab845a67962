"""recompute the derived name columns

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

A CMO's matching key and search text are derived from its name, country, city and
capabilities. The rules learnt written-out umlauts ("Mueller" for "Müller") and letters that
decomposition leaves alone ("ß", "Ł", "ø"), so stored values are derived again here; a
store that keeps old keys would not match "Müller" in a new file to the "Mueller" it holds.
"""

from alembic import op

from planner.store.name_keys import recompute_name_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    recompute_name_keys(op.get_bind())


def downgrade() -> None:
    # Nothing to undo in the schema; the keys stay derived by the newer rules, which match
    # every name the older ones matched.
    pass
