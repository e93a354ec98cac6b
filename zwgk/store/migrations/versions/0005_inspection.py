"""Schema version 5: 检查指标自查 (issue 15) — page facts and availability probes (new tables only).

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_facts",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Text),
        sa.Column("column_url", sa.Text),
        sa.Column("facts_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("url", "kind"),
    )
    op.create_index("page_facts_run", "page_facts", ["run_id"])
    op.create_table(
        "probes",
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("ok", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float),
        sa.Column("error", sa.Text),
    )
    op.create_index("probes_site_at", "probes", ["site", "at"])
