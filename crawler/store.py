"""The SQLite store: the one schema and every query on it.

One writer (the crawl pipeline, the audit step saving its findings); readers get plain dicts or
DataFrames. Every write happens in a transaction, so a run killed half-way leaves what it had
committed and nothing half-written. A file that is not a zwgk store (or is corrupt) is refused,
never overwritten.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    as_of TEXT NOT NULL,
    site TEXT NOT NULL,
    base_url TEXT NOT NULL,
    config_path TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'run',      -- run | crawl | check
    status TEXT NOT NULL DEFAULT 'running', -- running | finished | failed
    stats_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS column_fetches (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    column_url TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0,
    notes_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, item_id, column_url)
);
CREATE TABLE IF NOT EXISTS listings (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    column_url TEXT NOT NULL,
    url TEXT NOT NULL,
    list_title TEXT NOT NULL DEFAULT '',
    list_date TEXT,
    found_on TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, item_id, url)
);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    publish_date TEXT,
    date_source TEXT NOT NULL DEFAULT '',
    written_date TEXT,
    written_source TEXT NOT NULL DEFAULT '',
    doc_number TEXT,
    validity TEXT,
    meta_publish_date TEXT,
    http_status INTEGER NOT NULL,
    error TEXT,
    body_text TEXT NOT NULL DEFAULT '',
    links_json TEXT NOT NULL DEFAULT '[]',
    first_seen_run INTEGER NOT NULL,
    last_seen_run INTEGER NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS fetch_errors (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    status INTEGER,
    error TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    evidence_json TEXT NOT NULL,
    details_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_results (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    status TEXT NOT NULL,
    latest_publish_date TEXT,
    article_count INTEGER NOT NULL,
    PRIMARY KEY (run_id, item_id)
);
CREATE INDEX IF NOT EXISTS listings_run ON listings(run_id, item_id);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
"""


class StoreError(Exception):
    """The store file cannot be used (corrupt, not ours, newer schema)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            if existed:
                self._check_existing()
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            with self.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                                  (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable zwgk store ({exc}); "
                             "it was left untouched — move it away or pass another --db") from None

    def _check_existing(self) -> None:
        row = self.conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            raise sqlite3.DatabaseError("no zwgk schema in this file")
        version = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if version is None or int(version[0]) > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version[0] if version else '?'} "
                                        f"is not one this zwgk knows ({SCHEMA_VERSION})")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    # --- runs --------------------------------------------------------------------------------

    def start_run(self, *, as_of: str, site: str, base_url: str, config_path: str,
                  kind: str = "run") -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs(started_at, as_of, site, base_url, config_path, kind) "
                            "VALUES (?,?,?,?,?,?)", (_now(), as_of, site, base_url, config_path, kind))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any]) -> None:
        with self.transaction() as c:
            c.execute("UPDATE runs SET finished_at=?, status=?, stats_json=? WHERE id=?",
                      (_now(), status, json.dumps(stats, ensure_ascii=False, default=str), run_id))

    def run(self, run_id: int | None = None) -> dict[str, Any] | None:
        """The given run, or the newest run that crawled (status finished)."""
        if run_id is None:
            row = self.conn.execute("SELECT * FROM runs WHERE status='finished' AND kind!='check' "
                                    "ORDER BY id DESC LIMIT 1").fetchone()
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
            c.execute("INSERT OR IGNORE INTO column_fetches(run_id, item_id, column_url) VALUES (?,?,?)",
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
                       title: str, list_date: str | None, found_on: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO listings VALUES (?,?,?,?,?,?,?)",
                      (run_id, item_id, column_url, url, title, list_date, found_on))

    def record_article(self, run_id: int, article: dict[str, Any]) -> None:
        """Insert or refresh an article. A failed fetch never erases what an earlier run read:
        it only updates the status, so a flaky night does not lose evidence."""
        fields = dict(article)
        fields.setdefault("links_json", json.dumps(fields.pop("links", []), ensure_ascii=False))
        with self.transaction() as c:
            existing = c.execute("SELECT http_status FROM articles WHERE url=?",
                                 (fields["url"],)).fetchone()
            if existing is None:
                cols = ["url", "title", "publish_date", "date_source", "written_date",
                        "written_source", "doc_number", "validity", "meta_publish_date",
                        "http_status", "error", "body_text", "links_json"]
                text_defaults = {"title": "", "date_source": "", "written_source": "",
                                 "body_text": "", "links_json": "[]"}
                values = [fields.get(k) or text_defaults.get(k) if k in text_defaults
                          else fields.get(k) for k in cols]
                c.execute(f"INSERT INTO articles({', '.join(cols)}, first_seen_run, last_seen_run, "
                          f"fetched_at) VALUES ({', '.join('?' * len(cols))}, ?, ?, ?)",
                          (*values, run_id, run_id, _now()))
            elif fields.get("http_status", 0) and 200 <= fields["http_status"] < 400:
                c.execute("UPDATE articles SET title=?, publish_date=?, date_source=?, written_date=?, "
                          "written_source=?, doc_number=?, validity=?, meta_publish_date=?, "
                          "http_status=?, error=NULL, body_text=?, links_json=?, last_seen_run=?, "
                          "fetched_at=? WHERE url=?",
                          (fields.get("title") or "", fields.get("publish_date"),
                           fields.get("date_source") or "", fields.get("written_date"),
                           fields.get("written_source") or "", fields.get("doc_number"),
                           fields.get("validity"), fields.get("meta_publish_date"),
                           fields["http_status"], fields.get("body_text") or "",
                           fields["links_json"], run_id, _now(), fields["url"]))
            else:
                c.execute("UPDATE articles SET http_status=?, error=?, last_seen_run=?, fetched_at=? "
                          "WHERE url=?", (fields.get("http_status", 0), fields.get("error"),
                                          run_id, _now(), fields["url"]))

    def record_fetch_error(self, run_id: int, url: str, status: int | None, error: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT INTO fetch_errors VALUES (?,?,?,?,?)", (run_id, url, status, error, _now()))

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

    def listed_articles(self, run_id: int) -> pd.DataFrame:
        """Every (item, article) listed in the run, joined with what is known of the article."""
        df = pd.read_sql_query(
            "SELECT l.item_id, l.column_url, l.url, l.list_title, l.list_date, l.found_on, "
            "a.title, a.publish_date, a.date_source, a.written_date, a.written_source, a.doc_number, "
            "a.validity, a.meta_publish_date, a.http_status, a.error, a.body_text, a.links_json "
            "FROM listings l LEFT JOIN articles a ON a.url = l.url WHERE l.run_id=? "
            "ORDER BY l.item_id, COALESCE(a.publish_date, l.list_date) DESC, l.url",
            self.conn, params=(run_id,))
        return df

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

    def save_results(self, run_id: int, results: list[dict[str, Any]]) -> None:
        """Replace the run's findings with a new audit (auditing twice is idempotent)."""
        with self.transaction() as c:
            c.execute("DELETE FROM findings WHERE run_id=?", (run_id,))
            c.execute("DELETE FROM item_results WHERE run_id=?", (run_id,))
            for item in results:
                c.execute("INSERT INTO item_results VALUES (?,?,?,?,?)",
                          (run_id, item["id"], item["status"], item["latest_publish_date"],
                           item["article_count"]))
                for f in item["findings"]:
                    c.execute("INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
                              (run_id, item["id"], f["rule"], f["severity"], f["message"],
                               json.dumps(f["evidence"], ensure_ascii=False),
                               json.dumps(f["details"], ensure_ascii=False)))

    def has_results(self, run_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM item_results WHERE run_id=? LIMIT 1",
                                 (run_id,)).fetchone() is not None
