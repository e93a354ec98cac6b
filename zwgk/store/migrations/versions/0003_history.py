"""Schema version 3: history of findings (keys, first seen) and 责任单位 score trends.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("findings", sa.Column("key", sa.Text))   # keys of older rows: computed on read
    op.add_column("findings", sa.Column("first_seen", sa.Text))
    op.add_column("item_results", sa.Column("fails", sa.Integer, nullable=False,
                                            server_default=sa.text("0")))
    op.add_column("item_results", sa.Column("warns", sa.Integer, nullable=False,
                                            server_default=sa.text("0")))
    op.create_table(
        "unit_results", sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("unit", sa.Text, nullable=False), sa.Column("score", sa.Float, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("veto", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("fails", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("warns", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("run_id", "unit"))
    op.create_index("findings_key", "findings", ["key"])
    op.execute(
        "UPDATE item_results SET "
        "fails=(SELECT COUNT(*) FROM findings f WHERE f.run_id=item_results.run_id "
        "AND f.item_id=item_results.item_id AND f.severity='fail'), "
        "warns=(SELECT COUNT(*) FROM findings f WHERE f.run_id=item_results.run_id "
        "AND f.item_id=item_results.item_id AND f.severity='warn')")
