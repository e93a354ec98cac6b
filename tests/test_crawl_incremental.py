"""Incremental nightly crawls against the demo site served on loopback (issue 4).

Each test crawls a few demo columns — one of every list style: TRS createPageHTML (5.1, 3 pages),
Hanweb with dataproxy ranges (2.1, 30 records), query-string pages with a 共N页 total (4.1, 2
pages) and a 下一页 chain (15.1, 3 pages) — with the real CLI in a subprocess, and checks what
the server was asked (its hit counts) and what the store holds.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_zwgk
from zwgk.crawler.store import SCHEMA_VERSION, Store
from zwgk.demosite.server import start
from zwgk.demosite.site import DEMO_AS_OF

ITEMS = ("2.1", "4.1", "5.1", "15.1")


def write_config(tmp_path: Path, items=ITEMS, **site) -> Path:
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    data["items"] = [it for it in data["items"] if str(it["id"]) in items]
    data["site"].update({"download_delay": 0, **site})
    path = tmp_path / "columns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl(server, cfg: Path, db: Path, *extra: str) -> None:
    proc = run_zwgk("crawl", "--config", str(cfg), "--db", str(db), "--base-url", server.base_url,
                    "--as-of", DEMO_AS_OF.isoformat(), *extra)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def first_pages(server, items=ITEMS) -> set[str]:
    columns = {c.spec.item_id: c for c in server.site.model.columns}
    return {columns[i].list_pages[0] for i in items}


def listing(db: Path, run_id: int) -> dict[tuple[str, str], tuple]:
    """(item, url) -> what the audit sees of it in that run (the listing joined with the article)."""
    store = Store(db)
    rows = store.listed_articles(run_id)
    store.close()
    return {(r["item_id"], r["url"]): (r["list_title"], r["list_date"], r["title"],
                                       r["publish_date"], r["doc_number"], r["http_status"])
            for r in rows}


def last_run(db: Path) -> dict:
    store = Store(db)
    run = store.run()
    store.close()
    return run


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    """One full crawl of the declared site, shared: each test starts from a copy of its store."""
    tmp = tmp_path_factory.mktemp("first")
    with start() as server:
        cfg, db = write_config(tmp), tmp / "z.sqlite"
        crawl(server, cfg, db)
        yield server, db, sum(server.hits.values())


@pytest.fixture()
def server(first_crawl):
    server = first_crawl[0]
    server.set_site()
    server.reset_hits()
    yield server
    server.set_site()


@pytest.fixture()
def db(first_crawl, tmp_path):
    copy = tmp_path / "z.sqlite"
    shutil.copy(first_crawl[1], copy)
    return copy


def test_first_crawl_fetches_every_article(first_crawl):
    server, db, _ = first_crawl
    full = last_run(db)
    articles = sum(len(c.articles) for c in server.site.model.columns if c.spec.item_id in ITEMS)
    assert full["mode"] == "incremental" and full["stats"]["crawl"]["articles_fetched"] == articles
    assert full["stats"]["crawl"]["columns_incremental"] == 0  # nothing known: full walks
    assert full["stats"]["crawl"]["newly_listed"] == articles


def test_unchanged_rerun_reads_only_first_list_pages_and_sees_every_article(first_crawl, server,
                                                                            db, tmp_path):
    cfg, full_requests = write_config(tmp_path), first_crawl[2]
    full = last_run(db)
    articles = full["stats"]["crawl"]["articles_fetched"]

    crawl(server, cfg, db)
    again = last_run(db)
    assert again["id"] == full["id"] + 1
    # "/": the home page, read every night for 首页不更新 (issue 15)
    assert set(server.hits) == first_pages(server) | {"/robots.txt", "/"}
    assert all(n == 1 for n in server.hits.values()), server.hits
    assert again["stats"]["requests"] == len(ITEMS) + 2 < full_requests
    assert again["stats"]["crawl"]["skipped_known"] > 0
    # The audit sees exactly what the full crawl saw: the articles not re-listed are carried over.
    assert listing(db, again["id"]) == listing(db, full["id"])
    assert again["stats"]["crawl"]["carried_over"] == articles - again["stats"]["crawl"]["entries"]
    with sqlite3.connect(db) as conn:
        walks = conn.execute("SELECT item_id, walk, stop_reason, complete, stats_json FROM "
                             "column_fetches WHERE run_id=?", (again["id"],)).fetchall()
    assert {w[0] for w in walks} == set(ITEMS)
    for item_id, walk, reason, complete, stats in walks:
        assert walk == "incremental"
        assert json.loads(stats)["list_pages"] == 1
        assert (reason, complete) in (("known", 0), ("end", 1)), (item_id, reason)


def test_new_articles_are_found_and_nothing_old_is_fetched_again(server, db, tmp_path):
    cfg = write_config(tmp_path)
    before = set(server.site.pages)
    old_articles = {a.path for c in server.site.model.columns for a in c.articles}
    # Published on top of the lists overnight: 13 per column, more than a list page holds.
    site = server.set_site(new=300)
    new_paths = {a.path for c in site.model.columns if c.spec.item_id in ITEMS
                 for a in c.articles} - old_articles
    assert len(new_paths) >= 4 * 13
    server.reset_hits()

    crawl(server, cfg, db)
    run = last_run(db)
    fetched_articles = {p for p in server.hits if p in site.pages and p in new_paths | before
                        and p not in {pg for c in site.model.columns for pg in c.list_pages}
                        and "dataproxy" not in p and p not in ("/robots.txt", "/")}  # "/": home
    assert fetched_articles == new_paths  # every new article, and no old one
    listed = {url[len(server.base_url) - 1:] for (_, url) in listing(db, run["id"])}
    assert new_paths <= listed
    assert run["stats"]["crawl"]["newly_listed"] == len(new_paths)
    # Pagination went on only while pages held new entries: far fewer list pages than a full walk.
    all_pages = sum(len(c.list_pages) for c in site.model.columns if c.spec.item_id in ITEMS)
    assert run["stats"]["pages"] < all_pages + 3  # + Hanweb proxy ranges


def test_disappeared_article_is_recorded_and_carried_ones_are_not(server, db, tmp_path):
    cfg = write_config(tmp_path)
    column = next(c for c in server.site.model.columns if c.spec.item_id == "5.1")
    withdrawn = column.articles[3].path  # on the first list page
    deep = column.articles[-1].path      # on the last list page
    server.set_site(removed=(withdrawn, deep))

    crawl(server, cfg, db)  # incremental: reads page 1 only
    run = last_run(db)
    store = Store(db)
    presence = {p["url"][len(server.base_url) - 1:]: p for p in store.presence("5.1")}
    store.close()
    assert presence[withdrawn]["gone_since_run"] == run["id"]
    assert presence[withdrawn]["last_seen_run"] == run["id"] - 1
    assert presence[withdrawn]["first_seen_run"] == run["id"] - 1
    # The one on page 3 was not reached tonight: still known, carried over, not yet seen gone.
    assert presence[deep]["gone_since_run"] is None
    listed = {url[len(server.base_url) - 1:] for (_, url) in listing(db, run["id"])}
    assert withdrawn not in listed and deep in listed

    crawl(server, cfg, db, "--full")  # reads the whole list: the deep removal is seen
    run = last_run(db)
    store = Store(db)
    presence = {p["url"][len(server.base_url) - 1:]: p for p in store.presence("5.1")}
    store.close()
    assert presence[deep]["gone_since_run"] == run["id"]
    assert presence[withdrawn]["gone_since_run"] == run["id"] - 1  # stays recorded
    listed = {url[len(server.base_url) - 1:] for (_, url) in listing(db, run["id"])}
    assert withdrawn not in listed and deep not in listed
    assert run["stats"]["crawl"]["gone"] == 1
    assert len([u for (item, u) in listing(db, run["id"]) if item == "5.1"]) == len(column.articles) - 2


def test_revalidation_uses_conditional_get_and_full_refetches_everything(server, db, tmp_path):
    cfg = write_config(tmp_path, revalidate_days=0)
    first = last_run(db)
    n_articles = first["stats"]["crawl"]["articles_fetched"]

    crawl(server, cfg, db)  # revalidate_days 0: every known article is due tonight
    run = last_run(db)
    assert run["stats"]["crawl"]["not_modified"] == n_articles  # 304 for each, nothing re-parsed
    assert run["stats"]["crawl"].get("articles_fetched", 0) == 0
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT etag, last_modified, last_seen_run, validated_at, fetched_at "
                            "FROM articles").fetchall()
    assert len(rows) == n_articles
    assert all(r[0] and r[1] and r[2] == run["id"] and r[3] for r in rows)
    # Same site, fresh content check: the lists were walked completely (revalidation of lists).
    assert run["stats"]["pages"] == first["stats"]["pages"]
    server.reset_hits()

    crawl(server, cfg, db, "--full")
    run = last_run(db)
    assert run["mode"] == "full"
    assert run["stats"]["crawl"]["articles_fetched"] == n_articles
    assert run["stats"]["crawl"].get("not_modified", 0) == 0


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT,
    as_of TEXT NOT NULL, site TEXT NOT NULL, base_url TEXT NOT NULL, config_path TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'run', status TEXT NOT NULL DEFAULT 'running',
    stats_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE column_fetches (run_id INTEGER NOT NULL REFERENCES runs(id), item_id TEXT NOT NULL,
    column_url TEXT NOT NULL, status INTEGER, error TEXT, pages INTEGER NOT NULL DEFAULT 0,
    entries INTEGER NOT NULL DEFAULT 0, notes_json TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, item_id, column_url));
CREATE TABLE listings (run_id INTEGER NOT NULL REFERENCES runs(id), item_id TEXT NOT NULL,
    column_url TEXT NOT NULL, url TEXT NOT NULL, list_title TEXT NOT NULL DEFAULT '', list_date TEXT,
    found_on TEXT NOT NULL DEFAULT '', PRIMARY KEY (run_id, item_id, url));
CREATE TABLE articles (url TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', publish_date TEXT,
    date_source TEXT NOT NULL DEFAULT '', written_date TEXT, written_source TEXT NOT NULL DEFAULT '',
    doc_number TEXT, validity TEXT, meta_publish_date TEXT, http_status INTEGER NOT NULL, error TEXT,
    body_text TEXT NOT NULL DEFAULT '', links_json TEXT NOT NULL DEFAULT '[]',
    first_seen_run INTEGER NOT NULL, last_seen_run INTEGER NOT NULL, fetched_at TEXT NOT NULL);
CREATE TABLE fetch_errors (run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL,
    status INTEGER, error TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE findings (run_id INTEGER NOT NULL REFERENCES runs(id), item_id TEXT NOT NULL,
    rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, evidence_json TEXT NOT NULL,
    details_json TEXT NOT NULL);
CREATE TABLE item_results (run_id INTEGER NOT NULL REFERENCES runs(id), item_id TEXT NOT NULL,
    status TEXT NOT NULL, latest_publish_date TEXT, article_count INTEGER NOT NULL,
    PRIMARY KEY (run_id, item_id));
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO runs VALUES (1, '2026-11-19T01:00:00+00:00', '2026-11-19T01:05:00+00:00', '2026-11-19',
    's', 'http://x/', 'c', 'run', 'finished', '{"requests": 3}');
INSERT INTO column_fetches VALUES (1, '2.1', 'http://x/c/', 200, NULL, 1, 2, '[]');
INSERT INTO listings VALUES (1, '2.1', 'http://x/c/', 'http://x/1.html', 't1', '2026-10-01', 'http://x/c/');
INSERT INTO listings VALUES (1, '2.1', 'http://x/c/', 'http://x/2.html', 't2', '2026-10-02', 'http://x/c/');
INSERT INTO articles VALUES ('http://x/1.html', 't1', '2026-10-01', 'meta', NULL, '', '临住建发〔2026〕1号',
    NULL, NULL, 200, NULL, 'body', '[]', 1, 1, '2026-11-19T01:01:00+00:00');
"""


def test_a_version_1_store_is_upgraded_in_place_keeping_its_data(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_SCHEMA)
    store = Store(db)
    version = store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert int(version) == SCHEMA_VERSION >= 2
    assert store.run()["stats"] == {"requests": 3}
    rows = {r["url"]: r for r in store.listed_articles(1)}
    assert len(rows) == 2 and rows["http://x/1.html"]["doc_number"] == "临住建发〔2026〕1号"
    presence = store.presence("2.1")
    assert [(p["url"], p["first_seen_run"], p["gone_since_run"]) for p in presence] == [
        ("http://x/1.html", 1, None), ("http://x/2.html", 1, None)]
    state = store.crawl_state(2, [("2.1", "http://x/c/")])
    assert state.listed[("2.1", "http://x/c/")] == {"http://x/1.html", "http://x/2.html"}
    assert state.articles["http://x/1.html"].ok and state.articles["http://x/1.html"].validated_at
    assert ("2.1", "http://x/c/") in state.last_complete_walk  # v1 walks were complete
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    Store(db).close()  # opening an up-to-date store again changes nothing
