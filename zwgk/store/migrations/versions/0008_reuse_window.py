"""Schema version 8 (issue 16): the as-of window of each saved item result, so results are
reused across nights while the as-of date stays in it (zwgk.audit.asof).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows saved before have no window: a later audit computes their items again.
    op.add_column("item_audits", sa.Column("valid_from", sa.Text))
    op.add_column("item_audits", sa.Column("valid_to", sa.Text))
