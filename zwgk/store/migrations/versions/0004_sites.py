"""Schema version 4: many sites in one store (runs.site_key), findings kept in audit order.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A single bureau's runs keep the empty key: its history and trends stay one series.
    op.add_column("runs", sa.Column("site_key", sa.Text, nullable=False, server_default=""))
    op.add_column("findings", sa.Column("seq", sa.Integer))
    if op.get_bind().dialect.name == "sqlite":  # older rows: the order they were written in
        op.execute("UPDATE findings SET seq = rowid")
    op.create_index("runs_site", "runs", ["site_key", "id"])
