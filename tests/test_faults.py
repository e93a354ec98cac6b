"""What real government servers do, against a fault-injecting loopback server: each problem is
reported as a finding with its reason, every good result is kept, nothing off-origin is fetched."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import run_zwgk
from faultserver import FAULT_COLUMNS, FaultServer, run_fault_site

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory):
    return run_fault_site(tmp_path_factory.mktemp("faults"))


def _rules(item: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in item["findings"]}


def _articles(db, prefix: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT url, title, publish_date, http_status FROM articles "
                            "WHERE url LIKE ? ORDER BY url", (f"%/{prefix}/%",)).fetchall()


@pytest.mark.parametrize("name", ["flaky", "ratelimit"])
def test_retried_then_crawled_fully(fault_run, name):
    item = fault_run["items"][name]
    assert "column_unreachable" not in _rules(item), item
    assert item["article_count"] == 3
    assert fault_run["hits"][f"/{name}/index.html"] >= 2  # retried


@pytest.mark.parametrize("name, reason", [
    ("slow", "timeout"), ("drop", "connection_error"), ("loop", "redirect_loop"),
    ("emptybody", "empty_body"),
])
def test_unreachable_with_reason(fault_run, name, reason):
    rules = _rules(fault_run["items"][name])
    assert "column_unreachable" in rules, fault_run["items"][name]
    assert "empty_column" not in rules
    details = rules["column_unreachable"]["details"]
    assert details["reason"] == reason, details
    assert "status" in details


@pytest.mark.parametrize("name", ["waf412", "waf202", "waf403"])
def test_challenge_is_unreadable_not_unreachable(fault_run, name):
    """A WAF challenge no browser passed: column_unreadable (warn), never a fail."""
    rules = _rules(fault_run["items"][name])
    assert not {"column_unreachable", "empty_column"} & set(rules), rules
    found = rules["column_unreadable"]
    assert found["severity"] == "warn" and found["details"]["reason"] == "challenge"
    assert "浏览器" in found["message"]


def test_timeout_is_seconds_not_minutes(fault_run):
    # 3 attempts of a 2 s timeout on the slow column, in parallel with everything else.
    assert fault_run["elapsed"] < 60


def test_pagination_cap(fault_run):
    rules = _rules(fault_run["items"]["endless"])
    assert rules["pagination_capped"]["details"]["pages"] == 5
    assert rules["pagination_capped"]["details"]["column_url"].endswith("/endless/index.html")
    list_pages = [p for p in fault_run["hits"] if p.startswith("/endless/index")]
    assert len(list_pages) == 5


def test_page_too_large_reported_and_column_continues(fault_run):
    item = fault_run["items"]["big"]
    rules = _rules(item)
    assert rules["page_too_large"]["details"]["url"].endswith("/big/huge.html")
    assert rules["page_too_large"]["details"]["bytes"] > 16 * 1024 * 1024
    assert len([a for a in _articles(fault_run["db"], "big") if a[2]]) == 2


def test_broken_encodings_still_extracted(fault_run):
    arts = {a[0].rsplit("/", 1)[1]: a for a in _articles(fault_run["db"], "mojibake")}
    assert set(arts) == {"gbk.html", "invalid.html", "nul.html", "cut.html"}
    for name, (_, title, publish, status) in arts.items():
        assert status == 200, name
        assert publish == "2026-10-05", name
        assert "住房保障" in title, (name, title)


def test_robots_disallowed(fault_run):
    rules = _rules(fault_run["items"]["private"])
    assert rules["robots_disallowed"]["details"]["column_url"].endswith("/private/index.html")
    assert "obey_robots" in rules["robots_disallowed"]["message"]
    assert "/private/index.html" not in fault_run["hits"]


def test_only_the_site_origin_is_fetched(fault_run):
    assert fault_run["offsite_hits"] == 0
    item = fault_run["items"]["offsite"]
    assert item["article_count"] >= 2
    with sqlite3.connect(fault_run["db"]) as conn:
        notes = [json.loads(r[0]) for r in conn.execute(
            "SELECT notes_json FROM column_fetches WHERE column_url LIKE '%/offsite/%'")]
    assert any("4" in n and "outside" in n for ns in notes for n in ns), notes


def test_every_fault_column_has_an_item(fault_run):
    assert set(fault_run["items"]) == set(FAULT_COLUMNS)


def test_robots_txt_holds_for_every_column_started_at_once(tmp_path):
    """Scrapy 2.19 let all but the first request waiting for robots.txt through
    (crawler/robots.py): with eight disallowed columns started together, none may be fetched."""
    with FaultServer() as server:
        lines = ["site:", "  name: 故障测试站", f'  base_url: "{server.base_url}"',
                 "  download_delay: 0", "items:"]
        for i in range(8):
            lines += [f'  - id: "{i + 1}"', f"    name: p{i}", "    deadline: 根据实际更新",
                      f"    columns: [{{name: p{i}, url: private/c{i}.html}}]"]
        cfg = tmp_path / "robots.yaml"
        cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
        proc = run_zwgk("crawl", "--config", str(cfg), "--db", str(tmp_path / "r.sqlite"))
        hits = dict(server.state.hits)
    assert [p for p in hits if p.startswith("/private/")] == [], hits
    with sqlite3.connect(tmp_path / "r.sqlite") as conn:
        errors = [r[0] for r in conn.execute("SELECT error FROM column_fetches")]
    assert errors == ["robots_disallowed"] * 8, (errors, proc.stderr)


# --- the pieces, without a server ---------------------------------------------------------------

def test_challenge_detection():
    from zwgk.crawler.challenge import is_challenge
    from faultserver import ARTICLE, CHALLENGE

    for status in (412, 403, 202, 200):
        assert is_challenge(status, CHALLENGE), status  # 200 too: the $_ts marker says so
    script_only = b"<html><head><script src='/x.js'></script></head><body></body></html>"
    assert is_challenge(412, script_only) and not is_challenge(200, script_only)
    page = ARTICLE.format(title="通知", date="2026-10-01", body="正文内容。" * 20).encode()
    assert not is_challenge(403, page)  # a real 403 page with text: http_status, not challenge
    assert not is_challenge(412, b"") and not is_challenge(412, b"Precondition Failed")


def test_unsafe_links_are_counted_not_buttons():
    from zwgk.crawler.challenge import skipped_links

    html = ('<a href="file:///etc/passwd">a</a><a href="javascript:alert(1)">b</a>'
            '<a href = "data:text/html,x">c</a><a href="JavaScript:openWin(\'x\')">d</a>'
            '<a href="javascript:void(0)">打印</a><a href="javascript:;">关闭</a>'
            '<a href="/a.html">e</a><a href="http://x/">f</a>')
    assert skipped_links(html) == 4


def test_crawl_fault_rules():
    from datetime import date

    from zwgk.audit.catalog import Column, Item, Rules
    from zwgk.audit.model import Article, ColumnFetch
    from zwgk.audit.rules import AuditContext
    from zwgk.audit.rules.columns import (broken_link, column_unreachable, page_too_large,
                                     pagination_capped, robots_disallowed)
    from zwgk.audit.workdays import WorkCalendar

    base = "http://127.0.0.1:9/"
    item = Item(id="1", category="", name="通知公告", content="", deadline="实时更新",
                units=("办公室",), columns=(Column(name="通知公告", url=base + "c/index.html"),),
                rules=Rules())
    ctx = AuditContext(as_of=date(2026, 11, 20), calendar=WorkCalendar())
    robots = ColumnFetch("1", base + "c/index.html", None, error="robots_disallowed")
    capped = ColumnFetch("1", base + "d/index.html", 200, pages=50, entries=750, capped=True)
    big = Article(url=base + "c/huge.html", item_id="1", column_url=base + "c/index.html",
                  http_status=0, error="page_too_large: 20971532 bytes", found_on=base + "c/index.html")
    gone = Article(url=base + "c/a.html", item_id="1", column_url=base + "c/index.html",
                   http_status=404, error="http_status")
    forbidden = Article(url=base + "c/b.html", item_id="1", column_url=base + "c/index.html",
                        http_status=0, error="robots_disallowed")
    cols, arts = [robots, capped], [big, gone, forbidden]
    assert column_unreachable(item, arts, cols, ctx) == []
    (r,) = robots_disallowed(item, arts, cols, ctx)
    assert r.severity == "warn" and r.details == {"column_url": robots.column_url}
    assert "obey_robots: false" in r.message
    (p,) = pagination_capped(item, arts, cols, ctx)
    assert p.details == {"column_url": capped.column_url, "pages": 50} and "50" in p.message
    (t,) = page_too_large(item, arts, cols, ctx)
    assert t.details == {"url": big.url, "bytes": 20971532} and "20.0 MB" in t.message
    assert [f.details["url"] for f in broken_link(item, arts, cols, ctx)] == [gone.url]
    for f in (r, p, t):
        assert f.to_json()["source"], f.rule


def test_report_of_a_hostile_site_loads_nothing(fault_run):
    """The report's CSP forbids every network load, and no crawled file:/javascript:/data:
    link becomes a link or a resource in it."""
    import re

    html = fault_run["html"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp and "unsafe" not in csp
    assert "connect-src" not in csp and "http" not in csp  # nothing re-allowed over default-src
    assert not re.search(r'\b(?:src|href)\s*=\s*["\']?\s*(?:javascript|file|data:text)', html, re.I)
    assert not re.search(r'<(?:script|img|link|iframe)\b[^>]*\b(?:src|href)\s*=\s*["\']?https?:', html, re.I)
