"""The SQLite store: a real file, transactional writes, nothing stored is lost."""
from __future__ import annotations

import fcntl
import sqlite3

import pytest

from conftest import run_zwgk
from zwgk.crawler.store import Store, StoreError


def _article(url: str, **kw):
    base = {"url": url, "http_status": 200, "title": "关于印发《临江市物业管理办法》的通知",
            "publish_date": "2026-10-12", "date_source": "infotable", "written_date": "2026-10-08",
            "doc_number": "临住建发〔2026〕12号", "links": [["http://x/a.html", "相关文件"]]}
    base.update(kw)
    return base


def test_failed_refetch_keeps_what_was_read(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    r1 = store.start_run(as_of="2026-11-20", site="s", base_url="http://x/", config_path="c")
    store.record_article(r1, _article("http://x/1.html"))
    r2 = store.start_run(as_of="2026-11-21", site="s", base_url="http://x/", config_path="c")
    store.record_article(r2, {"url": "http://x/1.html", "http_status": 0, "error": "timeout"})
    row = store.conn.execute("SELECT * FROM articles").fetchone()
    assert row["title"].startswith("关于印发") and row["doc_number"] == "临住建发〔2026〕12号"
    assert row["publish_date"] == "2026-10-12" and row["http_status"] == 0
    assert row["first_seen_run"] == r1 and row["last_seen_run"] == r2
    store.close()


def test_listing_join_and_column_pages(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run(as_of="2026-11-20", site="s", base_url="http://x/", config_path="c")
    store.record_list_page(run, item_id="2.1", column_url="http://x/c/", first=True, status=200,
                           error=None, entries=2, notes=["n1"])
    store.record_list_page(run, item_id="2.1", column_url="http://x/c/", first=False, status=200,
                           error=None, entries=1)
    for i in range(3):
        store.record_listing(run, item_id="2.1", column_url="http://x/c/", url=f"http://x/{i}.html",
                             title=f"t{i}", list_date="2026-10-0" + str(i + 1), found_on="http://x/c/")
    store.record_article(run, _article("http://x/0.html"))
    (fetch,) = store.column_fetches(run)
    assert (fetch["pages"], fetch["entries"], fetch["status"], fetch["notes"]) == (2, 3, 200, ["n1"])
    listed = store.listed_articles(run)
    assert len(listed) == 3
    rows = {r["url"]: r for r in listed}
    assert rows["http://x/0.html"]["doc_number"] == "临住建发〔2026〕12号"
    assert rows["http://x/2.html"]["title"] is None  # listed, not yet fetched
    store.close()


def test_results_replace_not_accumulate(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run(as_of="2026-11-20", site="s", base_url="http://x/", config_path="c")
    result = [{"id": "2.1", "status": "fail", "latest_publish_date": None, "article_count": 0,
               "findings": [{"rule": "empty_column", "severity": "fail", "message": "m",
                             "evidence": ["http://x/c/"], "details": {"column_url": "http://x/c/"}}]}]
    store.save_results(run, result)
    store.save_results(run, result)
    assert store.conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0] == 1
    store.close()


def test_not_a_store_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE foreign_data (x)")
        conn.execute("INSERT INTO foreign_data VALUES (1)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="no zwgk schema"):
        Store(path)
    assert path.read_bytes() == before


def test_second_run_on_a_locked_store_exits_4(tmp_path):
    db = tmp_path / "z.sqlite"
    lock = open(tmp_path / "z.sqlite.lock", "a+")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        proc = run_zwgk("crawl", "--db", str(db), "--base-url", "http://127.0.0.1:9/")
    finally:
        lock.close()
    assert proc.returncode == 4, proc.stderr
    assert "another zwgk run" in proc.stderr


def test_a_store_left_empty_by_a_killed_creation_is_created(tmp_path):
    """A run killed between creating the file and its tables leaves an empty database: the next
    run creates the store in it (nothing is there to lose) instead of refusing it."""
    path = tmp_path / "z.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    assert path.stat().st_size > 0
    store = Store(path)
    assert store.run() is None and store.conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
    store.close()


def test_resume_keeps_the_errors_of_attachments_fetched_before_the_kill(tmp_path):
    """A killed run had stored an article and its dead attachment: the resumed run does not fetch
    the article again, so the attachment's error (the item's broken_link) must survive the resume,
    while a list page's error is dropped (the new list walk meets it again)."""
    store = Store(tmp_path / "s.sqlite")
    args = dict(as_of="2026-11-20", site="s", base_url="http://x/", config_path="c")
    run, resumed = store.open_run(**args)
    assert not resumed
    store.record_article(run, _article("http://x/1.html"))
    store.record_attachment(run, {"url": "http://x/fj/1.pdf", "article_url": "http://x/1.html",
                                  "http_status": 404, "status": "http_status", "bytes": 0})
    store.record_fetch_error(run, "http://x/fj/1.pdf", 404, "http_status")
    store.record_fetch_error(run, "http://x/list_2.html", 500, "http_status")
    again, resumed = store.open_run(**args)
    assert (again, resumed) == (run, True)
    assert [(e["url"], e["status"]) for e in store.fetch_errors(run)] == [("http://x/fj/1.pdf", 404)]
    store.close()


def test_what_the_page_showed_but_was_not_used_is_kept(tmp_path):
    """Schema v8 (issue 10): a future 发布日期 the page shows and whether its body was located
    reach the audit from the store, and a re-read page updates them."""
    from zwgk.audit.model import articles_from_rows

    store = Store(tmp_path / "s.sqlite")
    run = store.start_run(as_of="2026-11-20", site="s", base_url="http://x/", config_path="c")
    store.record_listing(run, item_id="5", column_url="http://x/c/", url="http://x/1.html",
                         title="预告", list_date="2026-12-03", found_on="http://x/c/")
    store.record_article(run, _article("http://x/1.html", publish_date=None, date_source="rejected",
                                       rejected_publish_date="2026-12-03", body_status="frame"))
    (a,) = articles_from_rows(store.listed_articles(run))
    assert (a.rejected_publish_date, a.body_status, a.date_source) == ("2026-12-03", "frame", "list")
    run2 = store.start_run(as_of="2026-11-21", site="s", base_url="http://x/", config_path="c")
    store.record_listing(run2, item_id="5", column_url="http://x/c/", url="http://x/1.html",
                         title="预告", list_date="2026-12-03", found_on="http://x/c/")
    store.record_article(run2, _article("http://x/1.html", publish_date="2026-11-18"))
    (b,) = articles_from_rows(store.listed_articles(run2))
    assert (b.rejected_publish_date, b.body_status, b.publish_date.isoformat()) == \
        (None, "", "2026-11-18")
    store.close()
