"""Lists that need a browser (issue 11 item 2), against a loopback site (tests/jssite.py) and the
system Chromium (/usr/bin/chromium through scrapy-playwright; never a browser download).

- render: auto — the script-filled list is read completely (3 pages from /api/list?page=N, paged
  by a JavaScript 下一页), the cookie challenge is passed and its articles fetched with the
  browser's cookie; rendering is counted in the run statistics;
- render: never — both columns are column_unreadable (js_required / challenge): warnings, never
  empty_column.
"""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import run_zwgk
from jssite import PAGES, PER_PAGE, JsSite

pytestmark = pytest.mark.e2e


def _run(tmp_path_factory, render: str) -> dict:
    tmp = tmp_path_factory.mktemp(f"render-{render}")
    site = JsSite()
    try:
        cfg = tmp / "js.yaml"
        cfg.write_text(site.config(render), encoding="utf-8")
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(tmp / "r.sqlite"),
                        "--out", str(tmp / "out"), "--as-of", "2026-11-20", timeout=240)
        hits = dict(site.hits)
    finally:
        site.close()
    assert "Traceback" not in proc.stderr, proc.stderr
    doc = json.loads((tmp / "out" / "findings.json").read_text(encoding="utf-8"))
    with sqlite3.connect(tmp / "r.sqlite") as conn:
        stats = json.loads(conn.execute("SELECT stats_json FROM runs").fetchone()[0])
        titles = {r[0]: r[1] for r in conn.execute("SELECT url, title FROM articles")}
    return {"items": {i["name"]: i for i in doc["items"]}, "hits": hits, "stats": stats,
            "titles": titles, "stderr": proc.stderr}


@pytest.fixture(scope="module")
def auto(tmp_path_factory):
    return _run(tmp_path_factory, "auto")


@pytest.fixture(scope="module")
def never(tmp_path_factory):
    return _run(tmp_path_factory, "never")


def _rules(item: dict) -> dict[str, dict]:
    return {f["rule"]: f for f in item["findings"]}


def test_script_filled_list_read_completely_in_chromium(auto):
    item = auto["items"]["js"]
    assert item["article_count"] == PAGES * PER_PAGE, item
    assert not {"empty_column", "column_unreadable", "column_unreachable"} & set(_rules(item))
    assert auto["hits"]["/api/list"] == PAGES
    js_titles = sorted(t for u, t in auto["titles"].items() if "/js/" in u)
    assert js_titles == sorted(f"js通知第{i}号" for i in range(1, PAGES * PER_PAGE + 1))
    # the records came from the list's JSON API the browser saw, not from scraped markup
    assert auto["stats"]["crawl"]["json_api_entries"] == PAGES * PER_PAGE


def test_cookie_challenge_passed_and_crawl_continues_with_its_cookie(auto):
    item = auto["items"]["waf"]
    assert item["article_count"] == 3
    assert not {"column_unreadable", "column_unreachable", "broken_link"} & set(_rules(item))
    waf = {u: t for u, t in auto["titles"].items() if "/waf/" in u}
    assert sorted(waf.values()) == ["waf通知第1号", "waf通知第2号", "waf通知第3号"], waf


def test_script_pager_walked_in_chromium(auto):
    """A static first page whose 下一页 only runs a script: every page, clicked through."""
    item = auto["items"]["pager"]
    assert item["article_count"] == PAGES * PER_PAGE, item
    assert auto["hits"]["/api/pager"] == PAGES - 1


def test_rendering_counted_in_run_statistics(auto):
    crawl = auto["stats"]["crawl"]
    # 3 pages of the JS list, 1 behind the challenge, 3 of the script pager
    assert crawl["rendered_pages"] == 2 * PAGES + 1
    assert crawl["render_seconds"] > 0
    assert f"rendered {2 * PAGES + 1} pages in" in auto["stderr"]  # the summary line says it
    assert auto["items"]["plain"]["article_count"] == 2


def test_render_always_reads_every_column_in_the_browser(tmp_path_factory):
    run = _run(tmp_path_factory, "always")
    counts = {name: item["article_count"] for name, item in run["items"].items()}
    assert counts == {"js": PAGES * PER_PAGE, "waf": 3, "plain": 2, "pager": PAGES * PER_PAGE}
    assert run["stats"]["crawl"]["render_requests"] == 4  # every column's first page
    assert run["stats"]["crawl"]["rendered_pages"] == 2 * PAGES + 2


def test_render_never_reports_unreadable_not_empty(never):
    for name, reason in (("js", "js_required"), ("waf", "challenge")):
        rules = _rules(never["items"][name])
        assert not {"empty_column", "column_unreachable"} & set(rules), rules
        found = rules["column_unreadable"]
        assert (found["severity"], found["details"]["reason"]) == ("warn", reason)
    assert "/api/list" not in never["hits"]  # no browser: the script never ran
    assert "rendered_pages" not in never["stats"]["crawl"]
    assert never["items"]["plain"]["article_count"] == 2
    pager = never["items"]["pager"]  # the first page as shown, not unreadable
    assert pager["article_count"] == PER_PAGE
    assert not {"column_unreadable", "empty_column"} & set(_rules(pager))


def test_missing_chromium_said_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on PATH either
    site = JsSite()
    try:
        cfg = tmp_path / "js.yaml"
        cfg.write_text(site.config("auto"), encoding="utf-8")
        proc = run_zwgk("run", "--config", str(cfg), "--db", str(tmp_path / "m.sqlite"),
                        "--out", str(tmp_path / "out"), "--as-of", "2026-11-20")
    finally:
        site.close()
    assert proc.stderr.count("Chromium not found") == 1, proc.stderr
    doc = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    reasons = sorted(f["details"]["reason"] for i in doc["items"] for f in i["findings"]
                     if f["rule"] == "column_unreadable")
    assert reasons == ["challenge", "js_required"]


def test_needs_render_pieces():
    from zwgk.crawler.render import abort_request, needs_render, set_site
    from zwgk.crawler.sitehosts import SiteHosts

    assert needs_render(200, b"<ul></ul>", 0, ["js_required: no list entries"]) == "js_required"
    assert needs_render(200, b"<ul></ul>", 3, ["js_required: no list entries"]) is None
    assert needs_render(200, b"<p>x</p>", 0, ["the page says the list is empty: 暂无信息"]) is None

    class Req:
        def __init__(self, url: str, kind: str = "fetch") -> None:
            self.url, self.resource_type = url, kind

    set_site(SiteHosts.of(["http://www.x.gov.cn/"]))
    try:
        assert not abort_request(Req("http://www.x.gov.cn/api/list?page=2"))
        assert abort_request(Req("http://127.0.0.1:6379/"))           # not the site's
        assert abort_request(Req("http://www.x.gov.cn/logo.png", "image"))  # never read
    finally:
        set_site(None)


@pytest.mark.parametrize("doc, urls", [
    ({"pages": 3, "data": [{"title": "关于通知", "url": "/a/1.html", "date": "2026-10-01"}]},
     ["http://x.gov.cn/a/1.html"]),
    # TRS-style upper-case fields, nested, epoch milliseconds
    ({"code": 200, "data": {"total": 2, "records": [
        {"DOCTITLE": "一", "DOCPUBURL": "./t20261012_1.html", "DOCRELTIME": "2026-10-12 09:00"},
        {"DOCTITLE": "二", "DOCPUBURL": "./t20261013_2.html", "DOCRELTIME": 1760320800000}]}},
     ["http://x.gov.cn/col/t20261012_1.html", "http://x.gov.cn/col/t20261013_2.html"]),
    ({"menu": [{"name": "首页", "url": "/"}, {"name": "机构", "url": "/jg/"}]}, []),  # undated: no list
    ({"data": [{"title": "x", "url": "javascript:alert(1)", "date": "2026-10-01"}]}, []),
])
def test_entries_from_json_shapes(doc, urls):
    from zwgk.crawler.listing.jsonapi import entries_from_json

    assert [e.url for e in entries_from_json(doc, "http://x.gov.cn/col/index.html")] == urls


def test_json_capture_takes_the_list_api_not_a_widget():
    from zwgk.crawler.listing.types import ListEntry
    from zwgk.crawler.render import JsonCapture

    capture = JsonCapture(None)
    list_entries = [ListEntry(f"http://x/a{i}.html", f"通知{i}", None) for i in range(5)]
    widget = [ListEntry(f"http://x/news{i}.html", f"要闻{i}", None) for i in range(8)]
    capture.by_endpoint = {"http://x/api/list": list_entries, "http://x/api/hot": widget}
    assert capture.list_entries({"http://x/a1.html", "http://x/a2.html"}) == (
        "http://x/api/list", list_entries)
    assert capture.list_entries({"http://x/other.html"}) is None  # no API feeds what is shown
    assert capture.list_entries(set())[0] == "http://x/api/hot"  # nothing shown: the largest
