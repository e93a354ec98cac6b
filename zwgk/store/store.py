"""The store: every query on the one schema (``schema.py``), on SQLite or PostgreSQL.

One writer per site (the crawl pipeline, the audit step saving its findings); readers get plain
dicts or DataFrames. Every write happens in a transaction, so a run killed half-way leaves what it
had committed and nothing half-written. A file that is not a zwgk store (or is corrupt) is refused,
never overwritten; a store of an older schema is upgraded in place, in one transaction, keeping
its data (Alembic revisions in ``migrations/``; the hand-written SQLite migrations of versions 1-3
are its first revisions).

``Store(db)`` takes a file path (SQLite, the embedded default: a single bureau needs no server) or
a ``postgresql://`` URL (many sites, many workers). Queries are written once, with ``?``
placeholders, in the SQL both engines speak (``ON CONFLICT``, ``RETURNING``); ``_Conn`` binds them
through SQLAlchemy Core. Many sites share a store: a run carries its ``site_key`` and history,
trends and resuming stay within one site.

Nightly crawls are incremental (docs/crawling.md): ``list_presence`` remembers, per column, every
article its list ever showed (first_seen / last_seen / gone_since run); ``crawl_state`` tells the
spider what is known; ``settle_listings`` closes a crawl by carrying over the known articles that
were not re-listed because pagination stopped early, and by recording the ones that disappeared.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from zwgk.store.schema import METADATA, SCHEMA_VERSION


_LISTED_SQL = (
    "SELECT l.item_id, l.column_url, l.url, l.list_title, l.list_date, l.found_on, "
    "a.title, a.publish_date, a.date_source, a.written_date, a.written_source, a.doc_number, "
    "a.validity, a.meta_publish_date, a.http_status, a.error, a.body_text, a.links_json, "
    "a.rejected_publish_date, a.body_status "
    "FROM listings l LEFT JOIN articles a ON a.url = l.url WHERE l.run_id=? "
    "ORDER BY l.item_id, COALESCE(a.publish_date, l.list_date) DESC, l.url")


class StoreError(Exception):
    """The store cannot be used (corrupt, not ours, newer schema)."""


class StoreUnavailable(StoreError):
    """The store's server cannot be reached: nothing was read or written."""


class _NotOurs(Exception):
    """The database holds something other than a zwgk store this version knows."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_url(db: str | Path) -> bool:
    """A database URL (``postgresql://…``) rather than a SQLite file path."""
    return isinstance(db, str) and re.match(r"^[a-z][a-z0-9+]*://", db) is not None


def engine_url(db: str) -> URL:
    """SQLAlchemy URL of a ``--db`` URL: plain ``postgresql://`` goes through psycopg 3."""
    try:
        url = make_url(db)
    except ArgumentError as exc:
        raise StoreError(f"--db {db!r}: not a database URL ({exc})") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if not url.drivername.startswith("postgresql"):
        raise StoreError(f"--db {display_url(db)}: only postgresql:// URLs or a SQLite file path")
    return url


def display_url(db: str | Path) -> str:
    """The --db as it may be shown in a message or report: never a password."""
    if not is_url(db):
        return str(db)
    try:
        return make_url(str(db)).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"//[^@/]*@", "//***@", str(db))


@lru_cache(maxsize=512)
def _text(sql: str):  # -> TextClause
    """``?`` placeholders (one per value, in order) as named SQLAlchemy binds."""
    parts = sql.split("?")
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += f":p{i}" + part
    return text(out)


def _qmark(sql: str) -> str:
    return sql


@lru_cache(maxsize=512)
def _format(sql: str) -> str:
    """``?`` placeholders as ``%s`` (psycopg); a literal ``%`` doubled."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Row(tuple):
    """A result row read by index (``r[0]``), by name (``r["url"]``) or as ``dict(r)``."""

    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)

    def as_dict(self) -> dict[str, Any]:
        """``dict(row)`` without a Python-level lookup per field (100k-row reads, issue 16)."""
        return dict(zip(self._index, self))


@lru_cache(maxsize=256)
def _row_type(keys: tuple[str, ...]) -> type[_Row]:
    return type("Row", (_Row,), {"_index": {k: i for i, k in enumerate(keys)}})


class _Result:
    def __init__(self, rows: list[_Row], rowcount: int, lastrowid: int | None = None) -> None:
        self.rows, self.rowcount = rows, rowcount
        # SQLite only (code ported from the sqlite3 store); portable code uses RETURNING.
        self.lastrowid = lastrowid

    def fetchone(self) -> _Row | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[_Row]:
        return self.rows

    def __iter__(self) -> Iterator[_Row]:
        return iter(self.rows)


class _Conn:
    """The store's connection: ``execute(sql, params)`` with ``?`` placeholders, rows read at
    once. Outside ``Store.transaction`` each statement is its own transaction (a read does not
    hold a snapshot, or SQLite's lock, while the caller works)."""

    def __init__(self, conn: Connection) -> None:
        self.sa = conn
        self.depth = 0
        # The driver's own placeholders: SQL goes to it as written (``exec_driver_sql``), which
        # keeps a crawl's thousands of small writes as cheap as with the bare driver.
        self.native = _qmark if conn.dialect.paramstyle == "qmark" else _format

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Result:
        result = self.sa.exec_driver_sql(self.native(sql), tuple(params))
        rows: list[_Row] = []
        if result.returns_rows:
            row_type = _row_type(tuple(result.keys()))
            rows = [row_type(r) for r in result.fetchall()]
        out = _Result(rows, result.rowcount,
                      None if result.returns_rows or self.native is _format else result.lastrowid)
        self.end_read()
        return out

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[_Row]:
        """``execute`` for a large read, rows fetched a few thousand at a time as the caller
        consumes them (a 100k-article run's rows are not all held at once; issue 16). The read
        ends when the iteration does; the caller must not write on this connection meanwhile."""
        result = self.sa.exec_driver_sql(self.native(sql), tuple(params))
        try:
            row_type = _row_type(tuple(result.keys()))
            while True:
                chunk = result.fetchmany(2000)
                if not chunk:
                    break
                for r in chunk:
                    yield row_type(r)
        finally:
            result.close()
            self.end_read()

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement for many rows (the driver's executemany)."""
        batch = [tuple(r) for r in rows]
        if batch:
            self.sa.exec_driver_sql(self.native(sql), batch)
        self.end_read()

    def end_read(self) -> None:
        if not self.depth and self.sa.in_transaction():
            self.sa.commit()

    def read_frame(self, sql: str, params: Sequence[Any] = ()):  # -> pandas.DataFrame
        """A query as a DataFrame, for the trends (grouped per night). pandas is imported here:
        a crawl, an audit and a spot-check never need it (~0.5 s of start-up)."""
        import pandas as pd

        try:
            return pd.read_sql_query(_text(sql), self.sa,
                                     params={f"p{i}": v for i, v in enumerate(params)})
        finally:
            self.end_read()


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool,
                           connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # per connection; changes nothing in the file
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:  # writers take the lock at once, readers share
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")

    return engine


@dataclass(frozen=True)
class KnownArticle:
    ok: bool                 # the last fetch got a 2xx/3xx page
    this_run: bool           # stored by this very run (a resumed crawl does not fetch it again)
    validated_at: str | None  # when the server last confirmed it (200 or 304), UTC ISO
    etag: str | None
    last_modified: str | None


@dataclass
class CrawlState:
    """What finished crawls know (``Store.crawl_state``), keyed by (item_id, column_url)."""

    listed: dict[tuple[str, str], set[str]] = field(default_factory=dict)   # ever on the list
    present: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # not gone
    last_complete_walk: dict[tuple[str, str], str] = field(default_factory=dict)  # UTC ISO
    articles: dict[str, KnownArticle] = field(default_factory=dict)


class Store:
    def __init__(self, path: str | Path) -> None:
        """Open (creating or upgrading) the store at a SQLite path or a PostgreSQL URL."""
        self.url = str(path)
        self.is_sqlite = not is_url(self.url)
        # ``path`` is what the crawler's settings carry to its own Store: the file, or the URL.
        self.path: Path | str = Path(path) if self.is_sqlite else self.url
        if self.is_sqlite:
            self._open_sqlite(Path(path))
        else:
            self._open_server()

    # --- opening -----------------------------------------------------------------------------

    def _open_sqlite(self, path: Path) -> None:
        existed = path.exists() and path.stat().st_size > 0
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = _sqlite_engine(path)
            self.conn = _Conn(self.engine.connect())
            version = self._check_existing() if existed else 0
            self._upgrade(version)
            # Outside any transaction (SQLite refuses to switch it inside one), and only once the
            # schema is ours and current: a store refused above (a failed upgrade rolls back)
            # keeps its journal mode, i.e. is left exactly as it was (issue 17).
            self.conn.sa.connection.dbapi_connection.execute("PRAGMA journal_mode=WAL")
        except (DBAPIError, _NotOurs) as exc:
            self._dispose()
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            raise StoreError(f"{path}: not a usable zwgk store ({reason}); "
                             "it was left untouched — move it away or pass another --db") from None

    def _open_server(self) -> None:
        shown = display_url(self.url)
        self.engine = create_engine(engine_url(self.url), poolclass=NullPool,
                                    connect_args={"connect_timeout": 10})
        try:
            self.conn = _Conn(self.engine.connect())
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreUnavailable(f"{shown}: cannot connect to the store "
                                   f"({str(exc.orig).strip().splitlines()[0]}); nothing was "
                                   "written") from None
        try:
            with self.transaction() as c:
                # Many workers open a new database at once: one creates the schema.
                c.execute("SELECT pg_advisory_xact_lock(7201913)")
                version = 0
                if inspect(c.sa).has_table("meta"):
                    version = self._schema_version()
                self._upgrade(version)
        except _NotOurs as exc:
            self._dispose()
            raise StoreError(f"{shown}: not a usable zwgk store ({exc})") from None
        except SQLAlchemyError as exc:
            self._dispose()
            raise StoreError(f"{shown}: cannot set up the store ({exc})") from None

    def _schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit() or not 1 <= int(row[0]) <= SCHEMA_VERSION:
            raise _NotOurs(f"schema version {row[0] if row else '?'} "
                           f"is not one this zwgk knows ({SCHEMA_VERSION})")
        return int(row[0])

    def _check_existing(self) -> int:
        """Refuse a file that is not a healthy zwgk store; return its schema version."""
        row = self.conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise _NotOurs(f"integrity check failed: {row[0] if row else 'no answer'}")
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:  # an empty database (a run killed while creating the store): start anew
            return 0
        if "meta" not in tables:
            raise _NotOurs("no zwgk schema in this file")
        return self._schema_version()

    def _upgrade(self, version: int) -> None:
        """Create the newest schema (version 0: an empty store) or migrate to it with Alembic,
        from the version the store says it has, in one transaction."""
        if version == SCHEMA_VERSION:
            return
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
        with self.transaction() as c:
            cfg.attributes["connection"] = c.sa
            if version == 0:
                METADATA.create_all(c.sa)
                command.stamp(cfg, "head")
            else:
                command.stamp(cfg, f"{version:04d}", purge=True)
                command.upgrade(cfg, "head")
            c.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT (key) "
                      "DO UPDATE SET value = excluded.value", (str(SCHEMA_VERSION),))

    def _dispose(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.sa.close()
        self.engine.dispose()

    def close(self) -> None:
        self._dispose()

    @contextmanager
    def transaction(self) -> Iterator[_Conn]:
        """One atomic unit. Nested use joins the outer transaction (the pipeline commits a batch
        of items at once; each record_* call stays atomic on its own)."""
        conn = self.conn
        if conn.depth:
            conn.depth += 1
            try:
                yield conn
            finally:
                conn.depth -= 1
            return
        conn.end_read()
        conn.sa.info["write"] = True
        conn.depth = 1
        try:
            with conn.sa.begin():
                yield conn
        finally:
            conn.depth = 0
            conn.sa.info["write"] = False

    # --- runs --------------------------------------------------------------------------------

    def start_run(self, *, as_of: str, site: str, base_url: str, config_path: str,
                  kind: str = "run", site_key: str = "") -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs(started_at, as_of, site, base_url, config_path, kind, "
                            "site_key) VALUES (?,?,?,?,?,?,?) RETURNING id",
                            (_now(), as_of, site, base_url, config_path, kind, site_key))
            return int(cur.fetchone()[0])

    def open_run(self, *, as_of: str, site: str, base_url: str, config_path: str,
                 kind: str = "run", mode: str = "incremental",
                 site_key: str = "") -> tuple[int, bool]:
        """Start a crawl run, or resume the one a killed process left: (run id, resumed).

        Call it holding the store's lock: a run still 'running' then belongs to a dead process.
        The newest such run of the same kind, site address, config, as-of day and mode is
        resumed — its list walks are redone from the start (lists are cheap and tell what is
        listed tonight), the articles it already stored are kept and not fetched again — so the
        finished run is the run an uninterrupted crawl would have made, with no row twice.
        Other dead runs are marked 'interrupted'. Spot checks ('check') never resume. Only runs of
        the same ``site_key`` are looked at: other sites' workers share the store meanwhile."""
        with self.transaction() as c:
            if kind != "check":
                dead = c.execute("SELECT * FROM runs WHERE status='running' AND kind != 'check' "
                                 "AND site_key=? ORDER BY id DESC", (site_key,)).fetchall()
                for row in dead:
                    same = (row["kind"], row["base_url"], row["config_path"], row["as_of"],
                            row["mode"]) == (kind, base_url, config_path, as_of, mode)
                    if same and row is dead[0]:
                        run_id = int(row["id"])
                        c.execute("DELETE FROM column_fetches WHERE run_id=?", (run_id,))
                        c.execute("DELETE FROM listings WHERE run_id=?", (run_id,))
                        # Errors of list pages are met again on the new walk; those of articles
                        # already stored tonight stay (the articles are not fetched again), and so
                        # do those of attachments fetched tonight: an article already stored is not
                        # fetched again, so neither are its attachments (a dead PDF would be lost).
                        c.execute("DELETE FROM fetch_errors WHERE run_id=? AND url NOT IN "
                                  "(SELECT url FROM articles WHERE last_seen_run=?) AND url NOT IN "
                                  "(SELECT url FROM attachments WHERE run_id=?)",
                                  (run_id, run_id, run_id))
                        c.execute("UPDATE runs SET resumed = resumed + 1 WHERE id=?", (run_id,))
                        for other in dead[1:]:
                            c.execute("UPDATE runs SET status='interrupted' WHERE id=?",
                                      (other["id"],))
                        return run_id, True
                c.execute("UPDATE runs SET status='interrupted', finished_at=? "
                          "WHERE status='running' AND kind != 'check' AND site_key=?",
                          (_now(), site_key))
            cur = c.execute("INSERT INTO runs(started_at, as_of, site, base_url, config_path, kind, "
                            "mode, site_key) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                            (_now(), as_of, site, base_url, config_path, kind, mode, site_key))
            return int(cur.fetchone()[0]), False

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.transaction() as c:
            c.execute("UPDATE runs SET finished_at=?, status=?, stats_json=? WHERE id=?",
                      (_now(), status, json.dumps(stats, ensure_ascii=False, default=str), run_id))

    def run(self, run_id: int | None = None, site_key: str = "") -> dict[str, Any] | None:
        """The given run, or the newest run of the site that crawled (status finished)."""
        if run_id is None:
            row = self.conn.execute("SELECT * FROM runs WHERE status='finished' AND kind!='check' "
                                    "AND site_key=? ORDER BY id DESC LIMIT 1", (site_key,)).fetchone()
        else:
            row = self.conn.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["stats"] = json.loads(out.pop("stats_json") or "{}")
        return out

    # --- crawl writes (the pipeline) ---------------------------------------------------------

    def record_list_page(self, run_id: int, *, item_id: str, column_url: str, first: bool,
                         status: int | None, error: str | None, entries: int,
                         notes: Iterable[str] = ()) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO column_fetches(run_id, item_id, column_url) VALUES (?,?,?) "
                      "ON CONFLICT DO NOTHING",
                      (run_id, item_id, column_url))
            row = c.execute("SELECT notes_json FROM column_fetches WHERE run_id=? AND item_id=? "
                            "AND column_url=?", (run_id, item_id, column_url)).fetchone()
            all_notes = json.loads(row[0]) + [n for n in notes if n]
            ok_page = error is None and status is not None and status < 400
            c.execute("UPDATE column_fetches SET pages = pages + ?, entries = entries + ?, "
                      "notes_json = ? WHERE run_id=? AND item_id=? AND column_url=?",
                      (1 if ok_page else 0, entries, json.dumps(all_notes, ensure_ascii=False),
                       run_id, item_id, column_url))
            if first:
                c.execute("UPDATE column_fetches SET status=?, error=? WHERE run_id=? AND item_id=? "
                          "AND column_url=?", (status, error, run_id, item_id, column_url))

    def record_listing(self, run_id: int, *, item_id: str, column_url: str, url: str,
                       title: str, list_date: str | None, found_on: str,
                       position: int | None = None) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO listings(run_id, item_id, column_url, url, list_title, "
                      "list_date, found_on, position) VALUES (?,?,?,?,?,?,?,?) "
                      "ON CONFLICT DO NOTHING",
                      (run_id, item_id, column_url, url, title, list_date, found_on, position))

    def record_article(self, run_id: int, article: dict[str, Any]) -> None:
        """Insert or refresh an article. A failed fetch never erases what an earlier run read:
        it only updates the status, so a flaky night does not lose evidence."""
        fields = dict(article)
        fields.setdefault("links_json", json.dumps(fields.pop("links", []), ensure_ascii=False))
        ok = bool(fields.get("http_status", 0)) and 200 <= fields["http_status"] < 400
        now = _now()
        with self.transaction() as c:
            existing = c.execute("SELECT http_status FROM articles WHERE url=?",
                                 (fields["url"],)).fetchone()
            if existing is None:
                cols = ["url", "title", "publish_date", "date_source", "written_date",
                        "written_source", "doc_number", "validity", "meta_publish_date",
                        "http_status", "error", "body_text", "links_json", "etag", "last_modified",
                        "rejected_publish_date", "body_status"]
                text_defaults = {"title": "", "date_source": "", "written_source": "",
                                 "body_text": "", "links_json": "[]", "body_status": ""}
                values = [fields.get(k) or text_defaults.get(k) if k in text_defaults
                          else fields.get(k) for k in cols]
                c.execute(f"INSERT INTO articles({', '.join(cols)}, first_seen_run, last_seen_run, "
                          f"fetched_at, validated_at) VALUES ({', '.join('?' * len(cols))}, ?, ?, ?, ?) "
                          "ON CONFLICT DO NOTHING",
                          (*values, run_id, run_id, now, now if ok else None))
            elif ok:
                c.execute("UPDATE articles SET title=?, publish_date=?, date_source=?, written_date=?, "
                          "written_source=?, doc_number=?, validity=?, meta_publish_date=?, "
                          "http_status=?, error=NULL, body_text=?, links_json=?, last_seen_run=?, "
                          "fetched_at=?, etag=?, last_modified=?, validated_at=?, "
                          "rejected_publish_date=?, body_status=? WHERE url=?",
                          (fields.get("title") or "", fields.get("publish_date"),
                           fields.get("date_source") or "", fields.get("written_date"),
                           fields.get("written_source") or "", fields.get("doc_number"),
                           fields.get("validity"), fields.get("meta_publish_date"),
                           fields["http_status"], fields.get("body_text") or "",
                           fields["links_json"], run_id, now, fields.get("etag"),
                           fields.get("last_modified"), now, fields.get("rejected_publish_date"),
                           fields.get("body_status") or "", fields["url"]))
            else:
                c.execute("UPDATE articles SET http_status=?, error=?, last_seen_run=?, fetched_at=? "
                          "WHERE url=?", (fields.get("http_status", 0), fields.get("error"),
                                          run_id, _now(), fields["url"]))

    def record_not_modified(self, run_id: int, url: str) -> None:
        """A conditional GET answered 304: what is stored is still what the server has."""
        now = _now()
        with self.transaction() as c:
            c.execute("UPDATE articles SET last_seen_run=?, fetched_at=?, validated_at=? WHERE url=?",
                      (run_id, now, now, url))

    # --- attachments (issue 11) ---------------------------------------------------------------

    def record_attachment(self, run_id: int, attachment: dict[str, Any]) -> None:
        """Store an attachment's status and text (one row per URL, the latest fetch wins)."""
        cols = ("url", "article_url", "http_status", "kind", "status", "bytes", "text",
                "doc_number", "written_date")
        values = [attachment.get(k) if attachment.get(k) is not None else
                  ("" if k in ("kind", "status", "text") else None) for k in cols]
        with self.transaction() as c:
            c.execute(f"INSERT INTO attachments({', '.join(cols)}, run_id, fetched_at) "
                      f"VALUES ({', '.join('?' * (len(cols) + 2))}) ON CONFLICT (url) DO UPDATE SET "
                      + ", ".join(f"{k} = excluded.{k}" for k in (*cols[1:], "run_id", "fetched_at")),
                      (*values, run_id, _now()))

    def attachments(self, article_url: str | None = None) -> list[dict[str, Any]]:
        """Stored attachments (of one article, or all): their status, kind and text."""
        sql, args = "SELECT * FROM attachments", ()
        if article_url is not None:
            sql, args = sql + " WHERE article_url=?", (article_url,)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY url", args)]

    def record_fetch_error(self, run_id: int, url: str, status: int | None, error: str) -> None:
        """One row per URL and run: a resumed crawl meeting the same failure again adds none."""
        with self.transaction() as c:
            c.execute("DELETE FROM fetch_errors WHERE run_id=? AND url=?", (run_id, url))
            c.execute("INSERT INTO fetch_errors(run_id, url, status, error, at) VALUES (?,?,?,?,?)",
                      (run_id, url, status, error, _now()))

    def record_column_walk(self, run_id: int, *, item_id: str, column_url: str, walk: str,
                           stop_reason: str, complete: bool, capped: bool,
                           stats: dict[str, Any]) -> None:
        """How a column's list walk ended, with its crawl statistics (written at crawl end)."""
        with self.transaction() as c:
            c.execute("INSERT INTO column_fetches(run_id, item_id, column_url) VALUES (?,?,?) "
                      "ON CONFLICT DO NOTHING",
                      (run_id, item_id, column_url))
            c.execute("UPDATE column_fetches SET walk=?, stop_reason=?, complete=?, "
                      "pagination_capped=?, stats_json=? WHERE run_id=? AND item_id=? AND column_url=?",
                      (walk, stop_reason, int(complete), int(capped),
                       json.dumps(stats, ensure_ascii=False, sort_keys=True), run_id, item_id,
                       column_url))

    # --- incremental crawling ----------------------------------------------------------------

    def crawl_state(self, run_id: int, columns: Iterable[tuple[str, str]]) -> "CrawlState":
        """What earlier finished crawls know, for the spider to decide what to fetch tonight."""
        wanted = set(columns)
        state = CrawlState()
        urls_of_columns = sorted({c for _, c in wanted})
        marks = ",".join("?" * len(urls_of_columns)) or "NULL"
        for r in self.conn.execute(
                "SELECT item_id, column_url, url, gone_since_run FROM list_presence "
                f"WHERE column_url IN ({marks})", urls_of_columns):
            key = (r[0], r[1])
            if key in wanted:
                state.listed.setdefault(key, set()).add(r[2])
                if r[3] is None:
                    state.present.setdefault(key, set()).add(r[2])
        for r in self.conn.execute(
                "SELECT cf.item_id, cf.column_url, MAX(r.started_at) FROM column_fetches cf "
                "JOIN runs r ON r.id = cf.run_id WHERE cf.complete=1 AND r.status='finished' "
                f"AND cf.column_url IN ({marks}) GROUP BY cf.item_id, cf.column_url",
                urls_of_columns):
            if (r[0], r[1]) in wanted:
                state.last_complete_walk[(r[0], r[1])] = r[2]
        urls = set().union(*state.listed.values()) if state.listed else set()
        # The articles of these columns' lists, and those this run stored (a resumed crawl).
        for r in self.conn.execute(
                "SELECT url, http_status, last_seen_run, validated_at, etag, last_modified FROM "
                "articles WHERE last_seen_run=? OR url IN (SELECT url FROM list_presence WHERE "
                f"column_url IN ({marks}))", [run_id, *urls_of_columns]):
            if r[0] in urls or r[2] == run_id:
                state.articles[r[0]] = KnownArticle(
                    ok=bool(r[1]) and 200 <= r[1] < 400, this_run=r[2] == run_id,
                    validated_at=r[3], etag=r[4], last_modified=r[5])
        return state

    def settle_listings(self, run_id: int) -> dict[str, int]:
        """Close a crawl's listings: update list_presence, carry over, record disappearances.

        Per column: what tonight's walk listed is seen (last_seen = tonight, gone_since cleared).
        A known article the walk did not list is
        - gone (gone_since = tonight) when the walk read the whole list, or when it sat above an
          article listed tonight in the previous listing (the list's order tells it was passed);
        - otherwise carried over: a listing row copying its last one, with carried_from, so the
          audit sees every article of the item although pagination stopped early.
        Returns counts (listed, new, carried, gone)."""
        counts = {"listed": 0, "new": 0, "carried": 0, "gone": 0}
        with self.transaction() as c:
            fetches = c.execute("SELECT item_id, column_url, complete FROM column_fetches "
                                "WHERE run_id=?", (run_id,)).fetchall()
            for item_id, column_url, complete in fetches:
                rows = c.execute("SELECT url, list_title, list_date, found_on FROM listings "
                                 "WHERE run_id=? AND item_id=? AND column_url=? AND carried_from "
                                 "IS NULL", (run_id, item_id, column_url)).fetchall()
                listed = {r[0] for r in rows}
                present = {r[0]: r for r in c.execute(
                    "SELECT url, last_seen_run, list_title, list_date, found_on FROM list_presence "
                    "WHERE item_id=? AND column_url=? AND gone_since_run IS NULL",
                    (item_id, column_url))}
                for url, title, list_date, found_on in rows:
                    cur = c.execute("UPDATE list_presence SET last_seen_run=?, gone_since_run=NULL, "
                                    "list_title=?, list_date=?, found_on=? WHERE item_id=? AND "
                                    "column_url=? AND url=?", (run_id, title, list_date, found_on,
                                                               item_id, column_url, url))
                    if cur.rowcount == 0:
                        c.execute("INSERT INTO list_presence(item_id, column_url, url, "
                                  "first_seen_run, last_seen_run, list_title, list_date, found_on) "
                                  "VALUES (?,?,?,?,?,?,?,?)", (item_id, column_url, url, run_id,
                                                               run_id, title, list_date, found_on))
                        counts["new"] += 1
                counts["listed"] += len(rows)
                unseen = [u for u in present if u not in listed]
                if not unseen:
                    continue
                passed = set() if complete else self._passed(run_id, item_id, column_url, listed)
                gone: list[tuple[Any, ...]] = []
                carried: list[tuple[Any, ...]] = []
                for url in unseen:
                    if complete or url in passed:
                        gone.append((run_id, item_id, column_url, url))
                    else:
                        _, last_run, title, list_date, found_on = present[url]
                        carried.append((run_id, item_id, column_url, url, title, list_date,
                                        found_on, last_run))
                # One statement for many rows: a 100k-article night carries nearly all of them.
                c.executemany("UPDATE list_presence SET gone_since_run=? WHERE item_id=? AND "
                              "column_url=? AND url=?", gone)
                c.executemany("INSERT INTO listings(run_id, item_id, column_url, url, "
                              "list_title, list_date, found_on, carried_from) "
                              "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING", carried)
                counts["gone"] += len(gone)
                counts["carried"] += len(carried)
        return counts

    def _passed(self, run_id: int, item_id: str, column_url: str, listed: set[str]) -> set[str]:
        """Articles of the previous listing that sat above one listed tonight: had they still
        been on the list, tonight's walk would have met them. Positions are compared within one
        run's walk only (a carried row has none)."""
        prev = self.conn.execute(
            "SELECT MAX(l.run_id) FROM listings l JOIN runs r ON r.id = l.run_id WHERE "
            "l.item_id=? AND l.column_url=? AND l.run_id < ? AND r.status='finished' "
            "AND l.carried_from IS NULL AND l.position IS NOT NULL",
            (item_id, column_url, run_id)).fetchone()[0]
        if prev is None:
            return set()
        positions = dict(self.conn.execute(
            "SELECT url, position FROM listings WHERE run_id=? AND item_id=? AND column_url=? "
            "AND carried_from IS NULL AND position IS NOT NULL", (prev, item_id, column_url)))
        reached = max((positions[u] for u in listed if u in positions), default=None)
        if reached is None:
            return set()
        return {u for u, pos in positions.items() if pos < reached and u not in listed}

    def presence(self, item_id: str | None = None) -> list[dict[str, Any]]:
        """Every article a column's list ever showed: first_seen_run, last_seen_run,
        gone_since_run (None while listed). Removed documents are evidence too."""
        sql = "SELECT * FROM list_presence"
        params: tuple[Any, ...] = ()
        if item_id is not None:
            sql += " WHERE item_id=?"
            params = (item_id,)
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY item_id, column_url, url", params)]

    # --- reads -------------------------------------------------------------------------------

    def column_fetches(self, run_id: int) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT * FROM column_fetches WHERE run_id=? ORDER BY item_id, "
                                 "column_url", (run_id,)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["notes"] = json.loads(d.pop("notes_json"))
            out.append(d)
        return out

    def listed_articles(self, run_id: int, text: bool = True) -> list[dict[str, Any]]:
        """Every (item, article) listed in the run, joined with what is known of the article:
        plain rows (NULL is None), what the audit reads. ``text=False``: body_text and
        links_json left empty (rendering a report needs neither; issue 16)."""
        return list(self.iter_listed_articles(run_id, text))

    def iter_listed_articles(self, run_id: int, text: bool = True) -> Iterator[dict[str, Any]]:
        """``listed_articles`` one dict at a time, streamed from the database: a caller
        building its own records (the audit's Articles) never holds 100k rows or dicts besides
        them (peak RSS, issue 16). Consume it before writing to the store."""
        sql = _LISTED_SQL if text else _LISTED_SQL.replace(
            "a.body_text, a.links_json", "'' AS body_text, '[]' AS links_json")
        return (r.as_dict() for r in self.conn.stream(sql, (run_id,)))

    def fetch_errors(self, run_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT url, status, error, at FROM fetch_errors WHERE run_id=?", (run_id,))]

    def counts(self, run_id: int) -> dict[str, int]:
        one = self.conn.execute
        return {
            "columns": one("SELECT COUNT(*) FROM column_fetches WHERE run_id=?", (run_id,)).fetchone()[0],
            "listed": one("SELECT COUNT(DISTINCT url) FROM listings WHERE run_id=?", (run_id,)).fetchone()[0],
            "errors": one("SELECT COUNT(*) FROM fetch_errors WHERE run_id=?", (run_id,)).fetchone()[0],
        }

    # --- findings ----------------------------------------------------------------------------

    def save_results(self, run_id: int, results: list[dict[str, Any]],
                     units: list[dict[str, Any]] | None = None) -> None:
        """Replace the run's findings with a new audit (auditing twice is idempotent). Findings
        keep their history key and first_seen; ``units`` (scoring.unit_scores) feed the trends."""
        with self.transaction() as c:
            c.execute("DELETE FROM findings WHERE run_id=?", (run_id,))
            c.execute("DELETE FROM item_results WHERE run_id=?", (run_id,))
            c.execute("DELETE FROM unit_results WHERE run_id=?", (run_id,))
            seq = 0
            for item in results:
                severities = [f["severity"] for f in item["findings"]]
                c.execute("INSERT INTO item_results(run_id, item_id, status, latest_publish_date, "
                          "article_count, fails, warns) VALUES (?,?,?,?,?,?,?)",
                          (run_id, item["id"], item["status"], item["latest_publish_date"],
                           item["article_count"], severities.count("fail"),
                           severities.count("warn")))
                for f in item["findings"]:
                    seq += 1
                    c.execute("INSERT INTO findings(run_id, item_id, rule, severity, message, "
                              "evidence_json, details_json, key, first_seen, seq) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?)",
                              (run_id, item["id"], f["rule"], f["severity"], f["message"],
                               json.dumps(f["evidence"], ensure_ascii=False),
                               json.dumps(f["details"], ensure_ascii=False),
                               f.get("key"), f.get("first_seen"), seq))
            for u in units or []:
                c.execute("INSERT INTO unit_results(run_id, unit, score, status, veto, fails, warns) "
                          "VALUES (?,?,?,?,?,?,?)", (run_id, u["unit"], u["score"], u["status"],
                                                    int(u["veto"]), u["fails"], u["warns"]))

    # --- saved audit results (issue 16) ------------------------------------------------------

    def save_payload(self, run_id: int, inputs: str, payload: list[dict[str, Any]]) -> None:
        """Keep the audit's item results of a run, keyed by what they were computed from; a
        later audit of the run replaces them."""
        with self.transaction() as c:
            c.execute("DELETE FROM audit_payloads WHERE run_id=?", (run_id,))
            c.execute("INSERT INTO audit_payloads(run_id, inputs, payload_json, saved_at) "
                      "VALUES (?,?,?,?)", (run_id, inputs, json.dumps(payload, ensure_ascii=False),
                                           _now()))

    def stored_payload(self, run_id: int) -> tuple[str, list[dict[str, Any]]] | None:
        """(inputs key, item results) saved by the run's last audit, or None."""
        row = self.conn.execute("SELECT inputs, payload_json FROM audit_payloads WHERE run_id=?",
                                (run_id,)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def save_item_audits(self, run_id: int, audits: Iterable[tuple[str, str, dict[str, Any],
                                                                  date, date]],
                         keep_runs: int = 2) -> None:
        """Keep (item id, key, result, valid from, valid to) of a run's audit, and those of the
        newest ``keep_runs`` runs only: the key leaves out the as-of date, the window says which
        as-of dates the result holds for (zwgk.audit.asof), so the next night reuses it."""
        rows = [(run_id, item_id, key, json.dumps(result, ensure_ascii=False),
                 valid_from.isoformat(), valid_to.isoformat())
                for item_id, key, result, valid_from, valid_to in audits]
        with self.transaction() as c:
            c.execute("DELETE FROM item_audits WHERE run_id=?", (run_id,))
            if rows:
                c.executemany("INSERT INTO item_audits(run_id, item_id, inputs, result_json, "
                              "valid_from, valid_to) VALUES (?,?,?,?,?,?)", rows)
            kept = [r[0] for r in c.execute("SELECT DISTINCT run_id FROM item_audits "
                                            "ORDER BY run_id DESC LIMIT ?", (keep_runs,))]
            if kept:
                c.execute(f"DELETE FROM item_audits WHERE run_id NOT IN "
                          f"({','.join('?' * len(kept))})", kept)

    def item_audits(self, keys: Iterable[str]
                    ) -> dict[str, tuple[str, dict[str, Any], date, date]]:
        """Saved item results whose key is one of ``keys``: item id -> (key, result, valid from,
        valid to); of several, the newest run's. Rows without a window (saved by schema v7)
        are left out."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, tuple[str, dict[str, Any], date, date]] = {}
        for start in range(0, len(wanted), 500):  # bound parameters per statement stay few
            chunk = wanted[start:start + 500]
            for row in self.conn.execute(
                    "SELECT item_id, inputs, result_json, valid_from, valid_to FROM item_audits "
                    f"WHERE inputs IN ({','.join('?' * len(chunk))}) AND valid_from IS NOT NULL "
                    "AND valid_to IS NOT NULL ORDER BY run_id", chunk):
                out[row[0]] = (row[1], json.loads(row[2]), date.fromisoformat(row[3]),
                               date.fromisoformat(row[4]))
        return out

    def previous_run(self, run_id: int) -> dict[str, Any] | None:
        """The newest audited run before ``run_id`` (spot checks excluded): tonight's baseline."""
        row = self.conn.execute(
            "SELECT r.* FROM runs r WHERE r.id < ? AND r.kind != 'check' AND r.status='finished' "
            "AND r.site_key = (SELECT site_key FROM runs WHERE id=?) "
            "AND EXISTS (SELECT 1 FROM item_results i WHERE i.run_id = r.id) "
            "ORDER BY r.id DESC LIMIT 1", (run_id, run_id)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["stats"] = json.loads(out.pop("stats_json") or "{}")
        return out

    def run_findings(self, run_id: int) -> list[dict[str, Any]]:
        """A run's stored findings (findings.json shape plus item_id, key, first_seen, as_of)."""
        run = self.conn.execute("SELECT as_of FROM runs WHERE id=?", (run_id,)).fetchone()
        as_of = run[0] if run else None
        rows = self.conn.execute("SELECT * FROM findings WHERE run_id=? ORDER BY seq",
                                 (run_id,)).fetchall()
        return [{"item_id": r["item_id"], "rule": r["rule"], "severity": r["severity"],
                 "message": r["message"], "evidence": json.loads(r["evidence_json"]),
                 "details": json.loads(r["details_json"]), "key": r["key"],
                 "first_seen": r["first_seen"], "as_of": as_of} for r in rows]

    def item_trends(self, limit_runs: int = 30, site_key: str = ""):  # -> pandas.DataFrame
        """Per audited run of the site (newest ``limit_runs``) and item: status, fail/warn counts."""
        return self.conn.read_frame(
            "SELECT i.run_id, r.as_of, i.item_id, i.status, i.fails, i.warns FROM item_results i "
            "JOIN runs r ON r.id = i.run_id WHERE r.kind != 'check' AND r.site_key=? AND "
            "i.run_id IN (SELECT DISTINCT i2.run_id FROM item_results i2 JOIN runs r2 ON "
            "r2.id = i2.run_id WHERE r2.site_key=? ORDER BY i2.run_id DESC LIMIT ?) "
            "ORDER BY i.run_id, i.item_id", (site_key, site_key, limit_runs))

    def unit_trends(self, limit_runs: int = 30, up_to_run: int | None = None,
                    site_key: str = ""):  # -> pandas.DataFrame
        """Per audited run (newest ``limit_runs``, up to ``up_to_run``) and 责任单位: the score.
        The site is that of ``up_to_run`` when given, else ``site_key``."""
        return self.conn.read_frame(*self._unit_trends_sql(limit_runs, up_to_run, site_key))

    def unit_trend_rows(self, limit_runs: int = 30, up_to_run: int | None = None,
                        site_key: str = "") -> list[dict[str, Any]]:
        """``unit_trends`` as plain rows: the nightly report needs no pandas (importing it took
        seconds of a loaded machine's `zwgk report`, issue 16)."""
        return [r.as_dict() for r in
                self.conn.execute(*self._unit_trends_sql(limit_runs, up_to_run, site_key))]

    @staticmethod
    def _unit_trends_sql(limit_runs: int, up_to_run: int | None,
                         site_key: str) -> tuple[str, tuple[Any, ...]]:
        return (
            "SELECT u.run_id, r.as_of, u.unit, u.score, u.status, u.veto, u.fails, u.warns "
            "FROM unit_results u JOIN runs r ON r.id = u.run_id WHERE r.kind != 'check' AND "
            "u.run_id IN (SELECT DISTINCT u2.run_id FROM unit_results u2 JOIN runs r2 ON "
            "r2.id = u2.run_id WHERE u2.run_id <= ? AND r2.site_key = COALESCE((SELECT site_key "
            "FROM runs WHERE id=?), ?) ORDER BY u2.run_id DESC LIMIT ?) ORDER BY u.run_id, u.unit",
            (up_to_run if up_to_run is not None else 2**62, up_to_run, site_key, limit_runs))

    def has_results(self, run_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM item_results WHERE run_id=? LIMIT 1",
                                 (run_id,)).fetchone() is not None

    # --- 检查指标自查 (issue 15): page facts and availability probes ---------------------------

    def record_page_facts(self, run_id: int, *, url: str, kind: str, item_id: str | None,
                          column_url: str | None, facts: dict[str, Any]) -> None:
        """The newest facts of a page replace the older ones (an article skipped as known keeps
        the facts of the night it was read)."""
        with self.transaction() as c:
            c.execute("DELETE FROM page_facts WHERE url=? AND kind=?", (url, kind))
            c.execute("INSERT INTO page_facts(url, kind, run_id, item_id, column_url, "
                      "facts_json) VALUES (?,?,?,?,?,?)",
                      (url, kind, run_id, item_id, column_url,
                       json.dumps(facts, ensure_ascii=False)))

    def page_facts(self, run_id: int) -> list[dict[str, Any]]:
        """Facts for an audit of ``run_id``: pages read by this run, and articles it lists."""
        return list(self.iter_page_facts(run_id))

    def iter_page_facts(self, run_id: int) -> Iterator[dict[str, Any]]:
        """``page_facts`` streamed (one per crawled page: 100k at 100k articles, issue 16), the
        text values the pages repeat (site name, domain, column names) kept once."""
        shared: dict[str, str] = {}

        def share(obj: dict[str, Any]) -> dict[str, Any]:
            for k, v in obj.items():
                if type(v) is str and len(v) < 200:
                    obj[k] = shared.setdefault(v, v)
            return obj

        for r in self.conn.stream(
                "SELECT * FROM page_facts WHERE run_id=? OR (kind='article' AND url IN "
                "(SELECT url FROM listings WHERE run_id=?)) ORDER BY kind, url",
                (run_id, run_id)):
            d = r.as_dict()
            d["facts"] = json.loads(d.pop("facts_json"), object_hook=share)
            yield d

    def record_probes(self, site: str, results: Iterable[dict[str, Any]]) -> None:
        with self.transaction() as c:
            c.executemany("INSERT INTO probes(site, url, at, status, ok, seconds, error) "
                          "VALUES (?,?,?,?,?,?,?)",
                          [(site, r["url"], r["at"], r.get("status"), int(bool(r["ok"])),
                            r.get("seconds"), r.get("error")) for r in results])

    def probes(self, site: str, since: str) -> list[dict[str, Any]]:
        """Probe results of ``site`` at or after ``since`` (UTC ISO), oldest first."""
        return [dict(r) for r in self.conn.execute(
            "SELECT url, at, status, ok, seconds, error FROM probes WHERE site=? AND at >= ? "
            "ORDER BY at", (site, since))]
