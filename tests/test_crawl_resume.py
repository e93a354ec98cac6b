"""A crawl killed with SIGKILL half-way, run again, ends exactly as an uninterrupted crawl (issue 4).

The demo site is padded to 1,200 articles so the crawl of four columns (one per list style) takes
long enough to be killed in the middle; the real CLI runs in a subprocess and is killed with
SIGKILL — no clean-up of any kind runs.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_zwgk
from zwgk.demosite.server import start
from zwgk.demosite.site import DEMO_AS_OF

ITEMS = ("2.1", "4.1", "5.1", "15.1")


def write_config(tmp_path: Path) -> Path:
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    data["items"] = [it for it in data["items"] if str(it["id"]) in ITEMS]
    data["site"].update({"download_delay": 0})
    path = tmp_path / "columns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl_args(server, cfg: Path, db: Path) -> list[str]:
    return ["crawl", "--config", str(cfg), "--db", str(db), "--base-url", server.base_url,
            "--as-of", DEMO_AS_OF.isoformat()]


def snapshot(db: Path) -> dict[str, object]:
    """Everything a crawl leaves in the store, minus run ids and clock times."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (run_id,) = conn.execute("SELECT id FROM runs").fetchone()
        q = conn.execute
        return {
            "listings": sorted(q("SELECT item_id, column_url, url, list_title, list_date, found_on, "
                                 "position, carried_from FROM listings WHERE run_id=?", (run_id,))),
            "articles": sorted(q("SELECT url, title, publish_date, written_date, doc_number, "
                                 "validity, http_status, error, body_text, etag FROM articles")),
            "columns": sorted(q("SELECT item_id, column_url, status, error, pages, entries, "
                                "notes_json, walk, stop_reason, complete, pagination_capped "
                                "FROM column_fetches WHERE run_id=?", (run_id,))),
            "errors": sorted(q("SELECT url, status, error FROM fetch_errors WHERE run_id=?",
                               (run_id,))),
            "presence": sorted(q("SELECT item_id, column_url, url, gone_since_run FROM list_presence")),
        }


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def big_server():
    with start(articles=1200) as server:
        yield server


def test_killed_crawl_resumes_to_the_same_store_as_an_uninterrupted_one(big_server, tmp_path):
    server, cfg = big_server, write_config(tmp_path)
    article_pages = {a.path for c in server.site.model.columns if c.spec.item_id in ITEMS
                     for a in c.articles}
    assert len(article_pages) > 220

    whole = tmp_path / "whole.sqlite"
    proc = run_zwgk(*crawl_args(server, cfg, whole))
    assert proc.returncode == 0, proc.stderr
    expected = snapshot(whole)
    assert len(expected["articles"]) == len(article_pages)

    killed = tmp_path / "killed.sqlite"
    server.reset_hits()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Slowed down (a small delay turns AutoThrottle on) so that it is surely killed mid-way.
    slow = [*crawl_args(server, cfg, killed), "--download-delay", "0.05"]
    victim = subprocess.Popen([sys.executable, "-m", "zwgk.cli", *slow],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while count(killed, "SELECT COUNT(*) FROM articles") < 40:
            assert victim.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline, "the crawl stored nothing in 120 s"
            time.sleep(0.05)
        # While it runs, a second crawl of the same store is refused and changes nothing.
        second = run_zwgk(*crawl_args(server, cfg, killed))
        assert second.returncode == 4 and "another zwgk run" in second.stderr
        victim.send_signal(signal.SIGKILL)
    finally:
        victim.kill()
        victim.wait()
    stored_before = count(killed, "SELECT COUNT(*) FROM articles")
    assert 0 < stored_before < len(article_pages), "not killed half-way"
    assert count(killed, "SELECT COUNT(*) FROM runs WHERE status='running'") == 1

    proc = run_zwgk(*crawl_args(server, cfg, killed))
    assert proc.returncode == 0, proc.stderr
    assert "resuming run 1" in proc.stderr
    with sqlite3.connect(killed) as conn:
        runs = conn.execute("SELECT id, status, resumed FROM runs").fetchall()
    assert runs == [(1, "finished", 1)]  # one run, finished, resumed once: no second run
    assert snapshot(killed) == expected  # no row twice, none lost
    # Articles stored before the kill were not fetched again (a few were in flight when killed).
    fetched = sum(n for path, n in server.hits.items() if path in article_pages)
    assert fetched <= len(article_pages) + 40, (fetched, len(article_pages))
