"""The SQLite store: the one schema and every query on it.

One writer (the crawl pipeline, the audit step saving its findings); readers get plain dicts or
DataFrames. Every write happens in a transaction, so a run killed half-way leaves what it had
committed and nothing half-written. A file that is not a zwgk store (or is corrupt) is refused,
never overwritten; a store of an older schema is upgraded in place, in one transaction, keeping
its data (``_MIGRATIONS``).

Nightly crawls are incremental (docs/crawling.md): ``list_presence`` remembers, per column, every
article its list ever showed (first_seen / last_seen / gone_since run); ``crawl_state`` tells the
spider what is known; ``settle_listings`` closes a crawl by carrying over the known articles that
were not re-listed because pagination stopped early, and by recording the ones that disappeared.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

SCHEMA_VERSION = 3

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
    status TEXT NOT NULL DEFAULT 'running', -- running | finished | failed | interrupted
    stats_json TEXT NOT NULL DEFAULT '{}',
    mode TEXT NOT NULL DEFAULT 'full',     -- full | incremental (v2)
    resumed INTEGER NOT NULL DEFAULT 0     -- times a killed crawl of this run was resumed (v2)
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
    walk TEXT,                              -- full | incremental (v2)
    stop_reason TEXT,                       -- end | known | capped | error (v2)
    complete INTEGER NOT NULL DEFAULT 0,    -- every list page read, to the list's end (v2)
    pagination_capped INTEGER NOT NULL DEFAULT 0,  -- stopped at max_pages_per_column (v2)
    stats_json TEXT NOT NULL DEFAULT '{}',  -- per-column crawl statistics (v2)
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
    position INTEGER,     -- page number * 10000 + rank on the page, in this run's walk (v2)
    carried_from INTEGER, -- NULL: listed tonight, else not re-read: last listed in that run (v2)
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
    fetched_at TEXT NOT NULL,
    etag TEXT,              -- validators the server sent, for conditional GETs (v2)
    last_modified TEXT,
    validated_at TEXT       -- last time the server confirmed the content: 200 or 304 (v2)
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
    details_json TEXT NOT NULL,
    key TEXT,         -- stable identity across runs (audit.history.finding_key) (v3)
    first_seen TEXT   -- as-of date of the run that first reported it (v3)
);
CREATE TABLE IF NOT EXISTS item_results (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    status TEXT NOT NULL,
    latest_publish_date TEXT,
    article_count INTEGER NOT NULL,
    fails INTEGER NOT NULL DEFAULT 0,  -- findings of severity fail / warn: nightly trends (v3)
    warns INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, item_id)
);
CREATE TABLE IF NOT EXISTS unit_results (   -- per 责任单位 and run: score trends (v3)
    run_id INTEGER NOT NULL REFERENCES runs(id),
    unit TEXT NOT NULL,
    score REAL NOT NULL,
    status TEXT NOT NULL,
    veto INTEGER NOT NULL DEFAULT 0,
    fails INTEGER NOT NULL DEFAULT 0,
    warns INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, unit)
);
CREATE TABLE IF NOT EXISTS list_presence (
    item_id TEXT NOT NULL,
    column_url TEXT NOT NULL,
    url TEXT NOT NULL,
    first_seen_run INTEGER NOT NULL,
    last_seen_run INTEGER NOT NULL,
    gone_since_run INTEGER,            -- NULL while the list shows it
    list_title TEXT NOT NULL DEFAULT '',
    list_date TEXT,
    found_on TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, column_url, url)
);
-- Issue 16 (additive, no version bump: created on open like every table here): a run's audit
-- results as findings.json carries them, with the key of the inputs they were computed from, so
-- `zwgk report` renders them instead of auditing again.
CREATE TABLE IF NOT EXISTS audit_payloads (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    inputs TEXT NOT NULL,        -- zwgk.stored_results.inputs_key: catalog, as-of, calendar, code
    payload_json TEXT NOT NULL,  -- the "items" list of findings.json
    saved_at TEXT NOT NULL
);
-- Issue 16: each item's audit result under the key of everything it read
-- (zwgk.audit.reuse.item_key): an equal key means an equal result, in any run of the store.
CREATE TABLE IF NOT EXISTS item_audits (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    item_id TEXT NOT NULL,
    inputs TEXT NOT NULL,
    result_json TEXT NOT NULL,   -- ItemResult.to_json(), before history annotation
    PRIMARY KEY (run_id, item_id)
);
CREATE INDEX IF NOT EXISTS item_audits_inputs ON item_audits(inputs);
CREATE INDEX IF NOT EXISTS listings_run ON listings(run_id, item_id);
CREATE INDEX IF NOT EXISTS fetch_errors_run ON fetch_errors(run_id, url);
CREATE INDEX IF NOT EXISTS findings_run ON findings(run_id);
CREATE INDEX IF NOT EXISTS findings_key ON findings(key);
"""


# Upgrades of an existing store, by the version they lead to: columns first (ALTER TABLE, run
# before the schema script so its indexes find them), then data (run after it, when new tables
# exist). One path for everyone: append the next version here, never edit a released one.
_MIGRATIONS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    2: ((
        "ALTER TABLE runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'full'",
        "ALTER TABLE runs ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE column_fetches ADD COLUMN walk TEXT",
        "ALTER TABLE column_fetches ADD COLUMN stop_reason TEXT",
        "ALTER TABLE column_fetches ADD COLUMN complete INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE column_fetches ADD COLUMN pagination_capped INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE column_fetches ADD COLUMN stats_json TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE listings ADD COLUMN position INTEGER",
        "ALTER TABLE listings ADD COLUMN carried_from INTEGER",
        "ALTER TABLE articles ADD COLUMN etag TEXT",
        "ALTER TABLE articles ADD COLUMN last_modified TEXT",
        "ALTER TABLE articles ADD COLUMN validated_at TEXT",
    ), (
        # v1 crawls always walked every list page: a reachable column was read completely.
        "UPDATE column_fetches SET walk='full', complete=1, stop_reason='end' WHERE error IS NULL "
        "AND status < 400 AND run_id IN (SELECT id FROM runs WHERE status='finished')",
        "UPDATE articles SET validated_at=fetched_at WHERE http_status BETWEEN 200 AND 399",
        "INSERT OR IGNORE INTO list_presence(item_id, column_url, url, first_seen_run, "
        "last_seen_run, list_title, list_date, found_on) "
        "SELECT l.item_id, l.column_url, l.url, MIN(l.run_id), MAX(l.run_id), l.list_title, "
        "l.list_date, l.found_on FROM listings l JOIN runs r ON r.id = l.run_id "
        "WHERE r.status='finished' AND r.kind != 'check' GROUP BY l.item_id, l.column_url, l.url",
    )),
    3: ((
        # History of findings (issue 5): keys of older rows are computed when read.
        "ALTER TABLE findings ADD COLUMN key TEXT",
        "ALTER TABLE findings ADD COLUMN first_seen TEXT",
        "ALTER TABLE item_results ADD COLUMN fails INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE item_results ADD COLUMN warns INTEGER NOT NULL DEFAULT 0",
    ), (
        "UPDATE item_results SET "
        "fails=(SELECT COUNT(*) FROM findings f WHERE f.run_id=item_results.run_id "
        "AND f.item_id=item_results.item_id AND f.severity='fail'), "
        "warns=(SELECT COUNT(*) FROM findings f WHERE f.run_id=item_results.run_id "
        "AND f.item_id=item_results.item_id AND f.severity='warn')",
    )),
}


_LISTED_SQL = (
    "SELECT l.item_id, l.column_url, l.url, l.list_title, l.list_date, l.found_on, "
    "a.title, a.publish_date, a.date_source, a.written_date, a.written_source, a.doc_number, "
    "a.validity, a.meta_publish_date, a.http_status, a.error, a.body_text, a.links_json "
    "FROM listings l LEFT JOIN articles a ON a.url = l.url WHERE l.run_id=? "
    "ORDER BY l.item_id, COALESCE(a.publish_date, l.list_date) DESC, l.url")


class StoreError(Exception):
    """The store file cannot be used (corrupt, not ours, newer schema)."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
        self.path = Path(path)
        existed = self.path.exists() and self.path.stat().st_size > 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            version = self._check_existing() if existed else SCHEMA_VERSION
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            with self.transaction():
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[target][0]:
                        self.conn.execute(statement)
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[target][1]:
                        self.conn.execute(statement)
                self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                                  (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable zwgk store ({exc}); "
                             "it was left untouched — move it away or pass another --db") from None

    def _check_existing(self) -> int:
        """Refuse a file that is not a healthy zwgk store; return its schema version."""
        row = self.conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else 'no answer'}")
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            raise sqlite3.DatabaseError("no zwgk schema in this file")
        version = self.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if version is None or not str(version[0]).isdigit() or not 1 <= int(version[0]) <= SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"schema version {version[0] if version else '?'} "
                                        f"is not one this zwgk knows ({SCHEMA_VERSION})")
        return int(version[0])

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit. Nested use joins the outer transaction (the pipeline commits a batch
        of items at once; each record_* call stays atomic on its own)."""
        if self.conn.in_transaction:
            yield self.conn
            return
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

    def open_run(self, *, as_of: str, site: str, base_url: str, config_path: str,
                 kind: str = "run", mode: str = "incremental") -> tuple[int, bool]:
        """Start a crawl run, or resume the one a killed process left: (run id, resumed).

        Call it holding the store's lock: a run still 'running' then belongs to a dead process.
        The newest such run of the same kind, site address, config, as-of day and mode is
        resumed — its list walks are redone from the start (lists are cheap and tell what is
        listed tonight), the articles it already stored are kept and not fetched again — so the
        finished run is the run an uninterrupted crawl would have made, with no row twice.
        Other dead runs are marked 'interrupted'. Spot checks ('check') never resume."""
        with self.transaction() as c:
            if kind != "check":
                dead = c.execute("SELECT * FROM runs WHERE status='running' AND kind != 'check' "
                                 "ORDER BY id DESC").fetchall()
                for row in dead:
                    same = (row["kind"], row["base_url"], row["config_path"], row["as_of"],
                            row["mode"]) == (kind, base_url, config_path, as_of, mode)
                    if same and row is dead[0]:
                        run_id = int(row["id"])
                        c.execute("DELETE FROM column_fetches WHERE run_id=?", (run_id,))
                        c.execute("DELETE FROM listings WHERE run_id=?", (run_id,))
                        # Errors of list pages are met again on the new walk; those of articles
                        # already stored tonight stay (the articles are not fetched again).
                        c.execute("DELETE FROM fetch_errors WHERE run_id=? AND url NOT IN "
                                  "(SELECT url FROM articles WHERE last_seen_run=?)",
                                  (run_id, run_id))
                        c.execute("UPDATE runs SET resumed = resumed + 1 WHERE id=?", (run_id,))
                        for other in dead[1:]:
                            c.execute("UPDATE runs SET status='interrupted' WHERE id=?",
                                      (other["id"],))
                        return run_id, True
                c.execute("UPDATE runs SET status='interrupted', finished_at=? "
                          "WHERE status='running' AND kind != 'check'", (_now(),))
            cur = c.execute("INSERT INTO runs(started_at, as_of, site, base_url, config_path, kind, "
                            "mode) VALUES (?,?,?,?,?,?,?)",
                            (_now(), as_of, site, base_url, config_path, kind, mode))
            return int(cur.lastrowid), False

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
                       title: str, list_date: str | None, found_on: str,
                       position: int | None = None) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO listings(run_id, item_id, column_url, url, list_title, "
                      "list_date, found_on, position) VALUES (?,?,?,?,?,?,?,?)",
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
                        "http_status", "error", "body_text", "links_json", "etag", "last_modified"]
                text_defaults = {"title": "", "date_source": "", "written_source": "",
                                 "body_text": "", "links_json": "[]"}
                values = [fields.get(k) or text_defaults.get(k) if k in text_defaults
                          else fields.get(k) for k in cols]
                c.execute(f"INSERT INTO articles({', '.join(cols)}, first_seen_run, last_seen_run, "
                          f"fetched_at, validated_at) VALUES ({', '.join('?' * len(cols))}, ?, ?, ?, ?)",
                          (*values, run_id, run_id, now, now if ok else None))
            elif ok:
                c.execute("UPDATE articles SET title=?, publish_date=?, date_source=?, written_date=?, "
                          "written_source=?, doc_number=?, validity=?, meta_publish_date=?, "
                          "http_status=?, error=NULL, body_text=?, links_json=?, last_seen_run=?, "
                          "fetched_at=?, etag=?, last_modified=?, validated_at=? WHERE url=?",
                          (fields.get("title") or "", fields.get("publish_date"),
                           fields.get("date_source") or "", fields.get("written_date"),
                           fields.get("written_source") or "", fields.get("doc_number"),
                           fields.get("validity"), fields.get("meta_publish_date"),
                           fields["http_status"], fields.get("body_text") or "",
                           fields["links_json"], run_id, now, fields.get("etag"),
                           fields.get("last_modified"), now, fields["url"]))
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

    def record_fetch_error(self, run_id: int, url: str, status: int | None, error: str) -> None:
        """One row per URL and run: a resumed crawl meeting the same failure again adds none."""
        with self.transaction() as c:
            c.execute("DELETE FROM fetch_errors WHERE run_id=? AND url=?", (run_id, url))
            c.execute("INSERT INTO fetch_errors VALUES (?,?,?,?,?)", (run_id, url, status, error, _now()))

    def record_column_walk(self, run_id: int, *, item_id: str, column_url: str, walk: str,
                           stop_reason: str, complete: bool, capped: bool,
                           stats: dict[str, Any]) -> None:
        """How a column's list walk ended, with its crawl statistics (written at crawl end)."""
        with self.transaction() as c:
            c.execute("INSERT OR IGNORE INTO column_fetches(run_id, item_id, column_url) VALUES (?,?,?)",
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
        for r in self.conn.execute(
                "SELECT item_id, column_url, url, gone_since_run FROM list_presence"):
            key = (r[0], r[1])
            if key in wanted:
                state.listed.setdefault(key, set()).add(r[2])
                if r[3] is None:
                    state.present.setdefault(key, set()).add(r[2])
        for r in self.conn.execute(
                "SELECT cf.item_id, cf.column_url, MAX(r.started_at) FROM column_fetches cf "
                "JOIN runs r ON r.id = cf.run_id WHERE cf.complete=1 AND r.status='finished' "
                "GROUP BY cf.item_id, cf.column_url"):
            if (r[0], r[1]) in wanted:
                state.last_complete_walk[(r[0], r[1])] = r[2]
        urls = set().union(*state.listed.values()) if state.listed else set()
        for r in self.conn.execute("SELECT url, http_status, last_seen_run, validated_at, etag, "
                                   "last_modified FROM articles"):
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
                for url in unseen:
                    if complete or url in passed:
                        c.execute("UPDATE list_presence SET gone_since_run=? WHERE item_id=? AND "
                                  "column_url=? AND url=?", (run_id, item_id, column_url, url))
                        counts["gone"] += 1
                    else:
                        _, last_run, title, list_date, found_on = present[url]
                        c.execute("INSERT OR IGNORE INTO listings(run_id, item_id, column_url, url, "
                                  "list_title, list_date, found_on, carried_from) "
                                  "VALUES (?,?,?,?,?,?,?,?)", (run_id, item_id, column_url, url,
                                                               title, list_date, found_on, last_run))
                        counts["carried"] += 1
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

    def listed_articles(self, run_id: int) -> pd.DataFrame:
        """Every (item, article) listed in the run, joined with what is known of the article."""
        return pd.read_sql_query(_LISTED_SQL, self.conn, params=(run_id,))

    def listed_article_rows(self, run_id: int, text: bool = True) -> list[dict[str, Any]]:
        """``listed_articles`` as plain dicts (NULL -> None), without the DataFrame round trip
        that cost seconds at 100k articles (issue 16). ``text=False``: body_text and links_json
        left empty (rendering a report needs neither)."""
        sql = _LISTED_SQL if text else _LISTED_SQL.replace(
            "a.body_text, a.links_json", "'' AS body_text, '[]' AS links_json")
        return [dict(r) for r in self.conn.execute(sql, (run_id,))]

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
            for item in results:
                severities = [f["severity"] for f in item["findings"]]
                c.execute("INSERT INTO item_results(run_id, item_id, status, latest_publish_date, "
                          "article_count, fails, warns) VALUES (?,?,?,?,?,?,?)",
                          (run_id, item["id"], item["status"], item["latest_publish_date"],
                           item["article_count"], severities.count("fail"),
                           severities.count("warn")))
                for f in item["findings"]:
                    c.execute("INSERT INTO findings(run_id, item_id, rule, severity, message, "
                              "evidence_json, details_json, key, first_seen) "
                              "VALUES (?,?,?,?,?,?,?,?,?)",
                              (run_id, item["id"], f["rule"], f["severity"], f["message"],
                               json.dumps(f["evidence"], ensure_ascii=False),
                               json.dumps(f["details"], ensure_ascii=False),
                               f.get("key"), f.get("first_seen")))
            for u in units or []:
                c.execute("INSERT INTO unit_results(run_id, unit, score, status, veto, fails, warns) "
                          "VALUES (?,?,?,?,?,?,?)", (run_id, u["unit"], u["score"], u["status"],
                                                    int(u["veto"]), u["fails"], u["warns"]))

    def save_payload(self, run_id: int, inputs: str, payload: list[dict[str, Any]]) -> None:
        """Keep the audit's item results of a run (issue 16), keyed by what they were computed
        from; a later audit of the run replaces them."""
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO audit_payloads(run_id, inputs, payload_json, saved_at) "
                      "VALUES (?,?,?,?)", (run_id, inputs, json.dumps(payload, ensure_ascii=False),
                                           _now()))

    def save_item_audits(self, run_id: int, audits: Iterable[tuple[str, str, dict[str, Any]]],
                         keep_runs: int = 2) -> None:
        """Keep (item id, key, result) of a run's audit, and those of the newest ``keep_runs``
        runs only: reuse pays within a night (keys carry the as-of date)."""
        with self.transaction() as c:
            c.execute("DELETE FROM item_audits WHERE run_id=?", (run_id,))
            c.executemany("INSERT INTO item_audits(run_id, item_id, inputs, result_json) "
                          "VALUES (?,?,?,?)", ((run_id, item_id, key, json.dumps(
                              result, ensure_ascii=False)) for item_id, key, result in audits))
            c.execute("DELETE FROM item_audits WHERE run_id NOT IN (SELECT DISTINCT run_id FROM "
                      "item_audits ORDER BY run_id DESC LIMIT ?)", (keep_runs,))

    def item_audits(self, keys: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Saved item results whose key is one of ``keys``: item id -> (key, result)."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[start:start + 500]
            for row in self.conn.execute(
                    "SELECT item_id, inputs, result_json FROM item_audits WHERE inputs IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                out[row[0]] = (row[1], json.loads(row[2]))
        return out

    def stored_payload(self, run_id: int) -> tuple[str, list[dict[str, Any]]] | None:
        """(inputs key, item results) saved by the run's last audit, or None."""
        row = self.conn.execute("SELECT inputs, payload_json FROM audit_payloads WHERE run_id=?",
                                (run_id,)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def previous_run(self, run_id: int) -> dict[str, Any] | None:
        """The newest audited run before ``run_id`` (spot checks excluded): tonight's baseline."""
        row = self.conn.execute(
            "SELECT r.* FROM runs r WHERE r.id < ? AND r.kind != 'check' AND r.status='finished' "
            "AND EXISTS (SELECT 1 FROM item_results i WHERE i.run_id = r.id) "
            "ORDER BY r.id DESC LIMIT 1", (run_id,)).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["stats"] = json.loads(out.pop("stats_json") or "{}")
        return out

    def run_findings(self, run_id: int) -> list[dict[str, Any]]:
        """A run's stored findings (findings.json shape plus item_id, key, first_seen, as_of)."""
        run = self.conn.execute("SELECT as_of FROM runs WHERE id=?", (run_id,)).fetchone()
        as_of = run[0] if run else None
        rows = self.conn.execute("SELECT * FROM findings WHERE run_id=? ORDER BY rowid",
                                 (run_id,)).fetchall()
        return [{"item_id": r["item_id"], "rule": r["rule"], "severity": r["severity"],
                 "message": r["message"], "evidence": json.loads(r["evidence_json"]),
                 "details": json.loads(r["details_json"]), "key": r["key"],
                 "first_seen": r["first_seen"], "as_of": as_of} for r in rows]

    def item_trends(self, limit_runs: int = 30) -> pd.DataFrame:
        """Per audited run (newest ``limit_runs``) and item: status and fail/warn counts."""
        return pd.read_sql_query(
            "SELECT i.run_id, r.as_of, i.item_id, i.status, i.fails, i.warns FROM item_results i "
            "JOIN runs r ON r.id = i.run_id WHERE r.kind != 'check' AND i.run_id IN (SELECT "
            "DISTINCT run_id FROM item_results ORDER BY run_id DESC LIMIT ?) "
            "ORDER BY i.run_id, i.item_id", self.conn, params=(limit_runs,))

    def unit_trends(self, limit_runs: int = 30, up_to_run: int | None = None) -> pd.DataFrame:
        """Per audited run (newest ``limit_runs``, up to ``up_to_run``) and 责任单位: the score."""
        return pd.read_sql_query(
            "SELECT u.run_id, r.as_of, u.unit, u.score, u.status, u.veto, u.fails, u.warns "
            "FROM unit_results u JOIN runs r ON r.id = u.run_id WHERE r.kind != 'check' AND "
            "u.run_id IN (SELECT DISTINCT run_id FROM unit_results WHERE run_id <= ? "
            "ORDER BY run_id DESC LIMIT ?) ORDER BY u.run_id, u.unit", self.conn,
            params=(up_to_run if up_to_run is not None else 2**62, limit_runs))

    def has_results(self, run_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM item_results WHERE run_id=? LIMIT 1",
                                 (run_id,)).fetchone() is not None
