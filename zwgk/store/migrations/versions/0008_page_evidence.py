"""Schema version 8 (issue 10): what an article page showed that the extractor did not use.

- ``articles.rejected_publish_date``: a 发布日期 the page shows but that cannot be its publish date
  (after the crawl's as-of, before 1990, 9999-12-31), as printed (ISO). The audit decides from it
  whether a future date is the page's own (date_future) or only its list's.
- ``articles.body_status``: "" when the extractor located the page's body (empty or not), else
  why it could not (``frame``, ``script``, ``no_text``): content_missing is then not judged.

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
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("rejected_publish_date", sa.Text))
        batch.add_column(sa.Column("body_status", sa.Text, nullable=False, server_default=""))
