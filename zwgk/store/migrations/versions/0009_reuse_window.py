"""Schema version 9 (issue 16): the as-of window of each saved item result, so results are
reused across nights while the as-of date stays in it (zwgk.audit.asof).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows saved before have no window: a later audit computes their items again.
    op.add_column("item_audits", sa.Column("valid_from", sa.Text))
    op.add_column("item_audits", sa.Column("valid_to", sa.Text))
