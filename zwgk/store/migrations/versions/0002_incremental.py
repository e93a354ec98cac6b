"""Schema version 2: incremental crawling (list presence, walk outcomes, HTTP validators).

The hand-written SQLite migration of that release, as an Alembic revision: columns first, then
the data a v1 store implies (its crawls always walked every list page).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = {
    "runs": [sa.Column("mode", sa.Text, nullable=False, server_default="full"),
             sa.Column("resumed", sa.Integer, nullable=False, server_default=sa.text("0"))],
    "column_fetches": [
        sa.Column("walk", sa.Text), sa.Column("stop_reason", sa.Text),
        sa.Column("complete", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("pagination_capped", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("stats_json", sa.Text, nullable=False, server_default="{}")],
    "listings": [sa.Column("position", sa.Integer), sa.Column("carried_from", sa.Integer)],
    "articles": [sa.Column("etag", sa.Text), sa.Column("last_modified", sa.Text),
                 sa.Column("validated_at", sa.Text)],
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        for column in columns:
            op.add_column(table, column)
    op.create_table(
        "list_presence", sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("column_url", sa.Text, nullable=False), sa.Column("url", sa.Text, nullable=False),
        sa.Column("first_seen_run", sa.Integer, nullable=False),
        sa.Column("last_seen_run", sa.Integer, nullable=False),
        sa.Column("gone_since_run", sa.Integer),
        sa.Column("list_title", sa.Text, nullable=False, server_default=""),
        sa.Column("list_date", sa.Text),
        sa.Column("found_on", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("item_id", "column_url", "url"))
    op.execute("UPDATE column_fetches SET walk='full', complete=1, stop_reason='end' WHERE error IS "
               "NULL AND status < 400 AND run_id IN (SELECT id FROM runs WHERE status='finished')")
    op.execute("UPDATE articles SET validated_at=fetched_at WHERE http_status BETWEEN 200 AND 399")
    # Only a released SQLite store can hold v1 rows (a PostgreSQL store starts at the newest
    # schema); SQLite takes the row's other columns from the MIN/MAX row of the group.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "INSERT OR IGNORE INTO list_presence(item_id, column_url, url, first_seen_run, "
            "last_seen_run, list_title, list_date, found_on) "
            "SELECT l.item_id, l.column_url, l.url, MIN(l.run_id), MAX(l.run_id), l.list_title, "
            "l.list_date, l.found_on FROM listings l JOIN runs r ON r.id = l.run_id "
            "WHERE r.status='finished' AND r.kind != 'check' GROUP BY l.item_id, l.column_url, l.url")
