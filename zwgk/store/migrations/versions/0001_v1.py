"""Schema version 1: the first released store (runs, lists, articles, findings).

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _fk() -> sa.ForeignKey:
    return sa.ForeignKey("runs.id")


def upgrade() -> None:
    op.create_table("meta", sa.Column("key", sa.Text, primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "runs", sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.Text, nullable=False), sa.Column("finished_at", sa.Text),
        sa.Column("as_of", sa.Text, nullable=False), sa.Column("site", sa.Text, nullable=False),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("config_path", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, server_default="run"),
        sa.Column("status", sa.Text, nullable=False, server_default="running"),
        sa.Column("stats_json", sa.Text, nullable=False, server_default="{}"),
        sqlite_autoincrement=True)
    op.create_table(
        "column_fetches", sa.Column("run_id", sa.Integer, _fk(), nullable=False),
        sa.Column("item_id", sa.Text, nullable=False), sa.Column("column_url", sa.Text, nullable=False),
        sa.Column("status", sa.Integer), sa.Column("error", sa.Text),
        sa.Column("pages", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("entries", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("notes_json", sa.Text, nullable=False, server_default="[]"),
        sa.PrimaryKeyConstraint("run_id", "item_id", "column_url"))
    op.create_table(
        "listings", sa.Column("run_id", sa.Integer, _fk(), nullable=False),
        sa.Column("item_id", sa.Text, nullable=False), sa.Column("column_url", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("list_title", sa.Text, nullable=False, server_default=""),
        sa.Column("list_date", sa.Text),
        sa.Column("found_on", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("run_id", "item_id", "url"))
    op.create_table(
        "articles", sa.Column("url", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("publish_date", sa.Text),
        sa.Column("date_source", sa.Text, nullable=False, server_default=""),
        sa.Column("written_date", sa.Text),
        sa.Column("written_source", sa.Text, nullable=False, server_default=""),
        sa.Column("doc_number", sa.Text), sa.Column("validity", sa.Text),
        sa.Column("meta_publish_date", sa.Text),
        sa.Column("http_status", sa.Integer, nullable=False), sa.Column("error", sa.Text),
        sa.Column("body_text", sa.Text, nullable=False, server_default=""),
        sa.Column("links_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("first_seen_run", sa.Integer, nullable=False),
        sa.Column("last_seen_run", sa.Integer, nullable=False),
        sa.Column("fetched_at", sa.Text, nullable=False))
    op.create_table(
        "fetch_errors", sa.Column("run_id", sa.Integer, _fk(), nullable=False),
        sa.Column("url", sa.Text, nullable=False), sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text, nullable=False), sa.Column("at", sa.Text, nullable=False))
    op.create_table(
        "findings", sa.Column("run_id", sa.Integer, _fk(), nullable=False),
        sa.Column("item_id", sa.Text, nullable=False), sa.Column("rule", sa.Text, nullable=False),
        sa.Column("severity", sa.Text, nullable=False), sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
        sa.Column("details_json", sa.Text, nullable=False))
    op.create_table(
        "item_results", sa.Column("run_id", sa.Integer, _fk(), nullable=False),
        sa.Column("item_id", sa.Text, nullable=False), sa.Column("status", sa.Text, nullable=False),
        sa.Column("latest_publish_date", sa.Text),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("run_id", "item_id"))
    op.create_index("listings_run", "listings", ["run_id", "item_id"])
    op.create_index("fetch_errors_run", "fetch_errors", ["run_id", "url"])
    op.create_index("findings_run", "findings", ["run_id"])
