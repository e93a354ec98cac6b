"""Schema version 6: attachments fetched and read (issue 11): status, kind and text per URL.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("article_url", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("http_status", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.Text, nullable=False, server_default=""),
        sa.Column("bytes", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("doc_number", sa.Text),
        sa.Column("written_date", sa.Text),
        sa.Column("fetched_at", sa.Text, nullable=False))
