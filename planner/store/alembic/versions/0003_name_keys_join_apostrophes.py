"""derive the name columns again: apostrophes join

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

The matching key and search text now drop apostrophes instead of splitting on them, so
"Dr. Reddy's" and "Dr Reddys" are one supplier. Stored values are derived again, as in 0002.
"""

from alembic import op

from planner.store.name_keys import recompute_name_keys

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    recompute_name_keys(op.get_bind())


def downgrade() -> None:
    # The keys stay derived by the newer rules; 0002's code would derive them the same way.
    pass
