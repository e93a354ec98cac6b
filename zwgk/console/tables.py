"""The console's own tables, in the same database as the store (SQLAlchemy Core).

They sit beside the store's tables (``console_`` prefix, no foreign keys into the store), so the
console ports with the store when the store moves to SQLAlchemy/Alembic: these definitions then
join its metadata and migrations. ``create_all`` only adds missing tables; it never touches the
store's.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

users = sa.Table(
    "console_users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),          # viewer | checker | admin
    sa.Column("password_hash", sa.Text, nullable=False),       # argon2id (argon2-cffi)
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.String(32), nullable=False),
)

tokens = sa.Table(  # API tokens: only their SHA-256 is stored (they are random, 256 bits)
    "console_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("console_users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("last_used_at", sa.String(32)),
)

sessions = sa.Table(  # browser sessions: the cookie holds a random id, the table its SHA-256
    "console_sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("console_users.id"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("expires_at", sa.String(32), nullable=False),
)

login_attempts = sa.Table(
    "console_login_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("ok", sa.Boolean, nullable=False),
    sa.Column("at", sa.String(32), nullable=False, index=True),
)

checks = sa.Table(  # every spot-check, with who asked
    "console_checks", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("site", sa.String(100), nullable=False, index=True),  # site slug
    sa.Column("item_id", sa.String(100)),                 # a catalog item, or
    sa.Column("url", sa.Text),                            # a column URL with ...
    sa.Column("deadline", sa.Text),                       # ... its 公开时限
    sa.Column("as_of", sa.String(10), nullable=False),
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("via", sa.String(8), nullable=False),       # web | api
    sa.Column("status", sa.String(10), nullable=False),   # queued | running | done | failed
    sa.Column("pages", sa.Integer, nullable=False, default=0),
    sa.Column("articles", sa.Integer, nullable=False, default=0),
    sa.Column("result_json", sa.Text),                    # findings, newest articles (done)
    sa.Column("error", sa.Text),                          # why it failed (failed)
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("started_at", sa.String(32)),
    sa.Column("finished_at", sa.String(32)),
)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def db_url(db: str) -> str:
    """``--db`` as SQLAlchemy wants it: a URL stays a URL, a path becomes sqlite:///PATH."""
    return db if "://" in db else f"sqlite:///{db}"


def engine_for(db: str) -> Engine:
    """An engine on the store's database with the console's tables present. SQLite gets WAL
    and a busy timeout like the store, so a nightly run writing meanwhile does not fail us."""
    url = db_url(db)
    if "://" not in db:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


__all__ = ["metadata", "users", "tokens", "sessions", "login_attempts", "checks", "engine_for",
           "db_url", "now"]
