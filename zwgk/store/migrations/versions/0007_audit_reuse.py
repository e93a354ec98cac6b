"""Schema version 7 (issue 16): saved audit results per run, and per item under its input key.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_payloads",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("saved_at", sa.Text, nullable=False),
    )
    op.create_table(
        "item_audits",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "item_id"),
    )
    op.create_index("item_audits_inputs", "item_audits", ["inputs"])
