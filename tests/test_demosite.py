"""The demo site over real HTTP: every column answers in its style, pagination is what the pages
announce, Hanweb ranges add up, GBK columns are GBK, and the ground truth agrees with the pages.

These tests read the site the way a crawler does (urllib on a loopback port), so a mismatch
between ``demosite.truth`` and what is served fails here before it confuses an end-to-end run.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

from zwgk.demosite import render, truth
from zwgk.demosite.data import COLUMNS, DEMO_AS_OF, HANWEB, NEXTLINK, QUERY, TRS
from zwgk.demosite.model import site_model
from zwgk.demosite.server import start
from zwgk.demosite.site import build_site, rebuild_site_bytes

ROOT = Path(__file__).resolve().parents[1]
COLUMNS_YAML = ROOT / "mapping" / "columns.yaml"

CREATE_PAGE_RE = re.compile(r"createPageHTML\((\d+),\s*(\d+),\s*\"index\",\s*\"html\"\)")
TRS_ENTRY_RE = re.compile(r'<ul class="list-ul">(.*?)</ul>', re.S)
LI_HREF_RE = re.compile(r'<li><a href="([^"]+)"')
RECORD_RE = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)
RECORD_HREF_RE = re.compile(r'href="([^"]+)"')
TOTAL_JS_RE = re.compile(r"totalRecord:(\d+)")
TOTAL_XML_RE = re.compile(r"<totalrecord>(\d+)</totalrecord>")
PER_PAGE_RE = re.compile(r"perPage:(\d+)")
NEXTGROUP_RE = re.compile(r'<nextgroup><!\[CDATA\[<a href="([^"]+)"></a>\]\]></nextgroup>')
NEXT_LINK_RE = re.compile(r'<a href="([^"]+)">下一页</a>')
LAST_LINK_RE = re.compile(r'<a href="([^"]+)">尾页</a>')
PREV_LINK_RE = re.compile(r'<a href="([^"]+)">上一页</a>')
DD_HREF_RE = re.compile(r'<dd><a href="([^"]+)"')
QUERY_NEXT_RE = re.compile(r'<a href="([^"]+)">下页</a>')
QUERY_ROW_RE = re.compile(r'<tr><td class="title"><a href="([^"]+)"')
QUERY_TOTAL_RE = re.compile(r"共(\d+)页")
HREF_RE = re.compile(r'href="([^"]*)"')
SIDEBAR_RE = re.compile(r'<div class="main-right">(.*?)</div>\s*</div>\s*<div class="footer">', re.S)
SIDE_DATE_RE = re.compile(r'<span class="date">(\d{4}-\d{2}-\d{2})</span>')
META_PUBDATE_RE = re.compile(r'<meta name="PubDate" content="([^"]+)">')
CHARSET_META_RE = re.compile(r'<meta http-equiv="Content-Type" content="text/html; charset=([\w-]+)">')

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, no proxy


def _fetch(url: str, data: bytes | None = None) -> tuple[int, str, bytes]:
    """(status, Content-Type, body) of a GET (or a form POST when ``data`` is given)."""
    url = urllib.parse.quote(url, safe=":/?&=%#;,+")
    try:
        with _OPENER.open(urllib.request.Request(url, data=data), timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _text(content_type: str, body: bytes) -> str:
    return body.decode("utf-8" if "utf-8" in content_type else "gb18030")


@pytest.fixture(scope="module")
def server():
    with start() as srv:
        yield srv


@pytest.fixture(scope="module")
def get(server):
    def _get(path: str, data: bytes | None = None) -> tuple[int, str, bytes]:
        return _fetch(urllib.parse.urljoin(server.base_url, path), data)
    return _get


def _catalog_columns() -> list[tuple[str, str]]:
    data = yaml.safe_load(COLUMNS_YAML.read_text(encoding="utf-8"))
    return [(str(item["id"]), col["url"]) for item in data["items"] for col in item["columns"]]


def _findings(rule: str) -> list[dict]:
    return [f for f in truth.expected_findings() if f["rule"] == rule]


# --- the catalog's columns --------------------------------------------------------------------

def test_demo_declares_exactly_the_catalog_columns():
    """Every catalog column is a declared demo column, but the script-filled list of 1.2
    (demosite.render.js_list_page), which shows a few entries of that column."""
    declared = sorted((c.item_id, c.url) for c in COLUMNS if c.item_id is not None)
    js_list = (render.JS_LIST_ITEM, render.JS_LIST_PATH.lstrip("/"))
    assert js_list in _catalog_columns()
    assert declared == sorted(c for c in _catalog_columns() if c != js_list)


def test_every_catalog_column_answers(get):
    unreachable = {f["details"]["column_url"]: f["details"]["status"]
                   for f in _findings("column_unreachable")}
    assert unreachable == {"/hdjl/list.php?catid=74&page=1": 500}
    for item_id, url in _catalog_columns():
        status, ctype, body = get(url)
        assert status == unreachable.get("/" + url, 200), (item_id, url, status)
        if status == 200:
            assert "临江市住房和城乡建设局" in _text(ctype, body)


def test_rules_mirror_the_catalog_deadlines():
    """The truth judges each column by the rules the auditor derives from columns.yaml."""
    from zwgk.audit.catalog import load_config

    config = load_config(COLUMNS_YAML)
    for spec in COLUMNS:
        if spec.item_id is None:
            continue
        rules = config.item(spec.item_id).rules
        assert (spec.lag_workdays, spec.stale_days, spec.period, spec.meeting_days,
                spec.interp_workdays, spec.annual_report) == (
            rules.publish_lag_workdays, rules.stale_days, rules.period, rules.meeting_late_days,
            rules.interpretation_late_workdays, rules.annual_report), spec.item_id


# --- list styles ------------------------------------------------------------------------------

def test_trs_pagination_exists_as_announced(get):
    model = site_model()
    multi = 0
    for column in (c for c in model.columns if c.style == TRS):
        status, ctype, body = get(column.path)
        assert status == 200
        count, current = map(int, CREATE_PAGE_RE.search(_text(ctype, body)).groups())
        assert current == 0 and count == len(column.list_pages)
        multi += count > 1
        hrefs: list[str] = []
        for page in range(count):
            name = "index.html" if page == 0 else f"index_{page}.html"
            status, ctype, body = get(column.directory + name)
            text = _text(ctype, body)
            assert status == 200 and CREATE_PAGE_RE.search(text).groups() == (str(count), str(page))
            hrefs += LI_HREF_RE.findall(TRS_ENTRY_RE.search(text).group(1))
        assert get(f"{column.directory}index_{count}.html")[0] == 404
        assert all(h.startswith("./") for h in hrefs)
        assert len(hrefs) == len(set(hrefs)) == len(column.articles)
    assert multi >= 4


def test_nextlink_chain_reaches_every_entry(get):
    for column in (c for c in site_model().columns if c.style == NEXTLINK):
        url, pages, hrefs = column.path, 0, []
        while url:
            status, ctype, body = get(url)
            text = _text(ctype, body)
            assert status == 200, url
            pages += 1
            hrefs += DD_HREF_RE.findall(text)
            if pages > 1:
                assert PREV_LINK_RE.search(text)
            nxt = NEXT_LINK_RE.search(text)
            if nxt:
                assert LAST_LINK_RE.search(text)
            url = urllib.parse.urljoin(url, nxt.group(1)) if nxt else None
        assert pages == len(column.list_pages) and 1 <= pages <= 4
        assert len(hrefs) == len(set(hrefs)) == len(column.articles)


def test_query_tables_paginate_with_next_links(get):
    for column in (c for c in site_model().columns if c.style == QUERY and c.spec.status == 200):
        url, pages, hrefs = column.path, 0, []
        while url:
            status, ctype, body = get(url)
            text = _text(ctype, body)
            assert status == 200, url
            pages += 1
            hrefs += QUERY_ROW_RE.findall(text)
            nxt = QUERY_NEXT_RE.search(text)
            url = urllib.parse.urljoin(url, nxt.group(1)) if nxt else None
        assert len(hrefs) == len(set(hrefs)) == len(column.articles)
        if column.articles:
            assert int(QUERY_TOTAL_RE.search(text).group(1)) == pages == len(column.list_pages)
        else:
            assert "暂无信息" in text
    # Parameter order does not matter, a missing page means page 1.
    canonical = get("hdjl/list.php?catid=41&page=1")[2]
    assert get("hdjl/list.php?page=1&catid=41")[2] == canonical == get("hdjl/list.php?catid=41")[2]
    assert get("hdjl/list.php?catid=41&page=9")[0] == 404


def test_several_columns_have_two_to_four_list_pages():
    model = site_model()
    counts = {c.spec.item_id: len(c.list_pages) for c in model.columns if c.style != HANWEB}
    assert max(counts.values()) <= 4
    assert sum(1 for n in counts.values() if n >= 2) >= 8
    assert any(n == 3 for n in counts.values())
    hanweb = [len(c.articles) for c in model.columns if c.style == HANWEB]
    assert sum(1 for n in hanweb if n > 15) >= 3


def test_hanweb_embedded_records_and_dataproxy_ranges(get):
    for column in (c for c in site_model().columns if c.style == HANWEB):
        status, ctype, body = get(column.path)
        text = _text(ctype, body)
        total = int(TOTAL_JS_RE.search(text).group(1))
        assert total == int(TOTAL_XML_RE.search(text).group(1)) == len(column.articles)
        assert int(PER_PAGE_RE.search(text).group(1)) == 15
        assert NEXTGROUP_RE.search(text)
        embedded = [RECORD_HREF_RE.search(r).group(1) for r in RECORD_RE.findall(text)]
        assert len(embedded) == min(15, total)
        fetched: list[str] = []
        start_record = 16
        while start_record <= total:
            end = start_record + 14
            query = (f"module/web/jpage/dataproxy.jsp?startrecord={start_record}&endrecord={end}"
                     f"&perpage=15&columnid={column.colno}&unitid={column.unitid}")
            status, ctype, body = get(query)
            assert status == 200 and ctype.startswith("text/xml")
            xml = body.decode("utf-8")
            assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>')
            assert int(TOTAL_XML_RE.search(xml).group(1)) == total
            records = [RECORD_HREF_RE.search(r).group(1) for r in RECORD_RE.findall(xml)]
            assert records == [a.path for a in column.articles[start_record - 1:end]]
            fetched += records
            start_record = end + 1
        everything = embedded + fetched
        assert len(everything) == len(set(everything)) == total
        assert everything == [a.path for a in column.articles]
        # The first range through the proxy is the embedded one; POST gives what GET gives.
        form = f"startrecord=1&endrecord=15&perpage=15&columnid={column.colno}".encode()
        status, _, body = get("module/web/jpage/dataproxy.jsp?page=1&webid=1", data=form)
        assert status == 200
        posted = [RECORD_HREF_RE.search(r).group(1) for r in RECORD_RE.findall(body.decode())]
        assert posted == embedded
    assert get("module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=15&columnid=9999")[0] == 404


# --- encodings, errors ------------------------------------------------------------------------

def test_script_filled_list_is_reported_incomplete(server, get, tmp_path):
    """1.2's second list shows 3 of its 5 entries; the rest load by script from a JSON API. The
    list reader must say so, the spider must keep the note with the column, and the report must
    print it (a column read without JavaScript is never silently taken as complete)."""
    from conftest import run_zwgk
    from zwgk.crawler.listing import parse_list

    status, ctype, body = get(render.JS_LIST_PATH)
    assert status == 200
    page = parse_list(_text(ctype, body), urllib.parse.urljoin(server.base_url, render.JS_LIST_PATH))
    live = site_model().column(render.JS_LIST_ITEM).live
    assert [e.title for e in page.entries] == [a.title for a in live[:render.JS_LIST_VISIBLE]]
    note = (f"{render.JS_LIST_VISIBLE} of {len(live)} records visible without JavaScript; "
            f"the rest load through {render.JS_LIST_API}")
    assert page.notes == [note]
    proc = run_zwgk("check", render.JS_LIST_ITEM, "--base-url", server.base_url, "--download-delay", "0",
                    "--as-of", DEMO_AS_OF.isoformat(), "--html", str(tmp_path / "check.html"))
    assert proc.returncode == 0, proc.stdout + proc.stderr  # incomplete is a note, not a fail
    report = (tmp_path / "check.html").read_text(encoding="utf-8")
    assert html.escape(note) in report and render.JS_LIST_PATH.lstrip("/") in report


def test_gbk_columns_are_gbk_and_not_utf8(get):
    model = site_model()
    for item_id in ("5.1", "7.2"):
        column = model.column(item_id)
        assert column.spec.gbk
        for path in column.list_pages + [column.live[0].path]:
            status, ctype, body = get(path)
            assert status == 200 and ctype == "text/html", (path, ctype)
            text = body.decode("gb18030")
            assert CHARSET_META_RE.search(text).group(1) == "gb2312"
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
            assert "临江市住房和城乡建设局" in text
    status, ctype, body = get("zdbs/pg/index.html")
    assert ctype == "text/html; charset=utf-8" and CHARSET_META_RE.search(body.decode()).group(1) == "utf-8"


def test_unknown_paths_and_the_broken_link_answer_404(get):
    assert get("no/such/page.html")[0] == 404
    assert get("hdjl/show.php?catid=41&id=1")[0] == 404
    (broken,) = _findings("broken_link")
    status, _, body = get(broken["details"]["url"])
    assert status == 404 and "页面不存在" in body.decode()
    status, _, found_on = get(broken["details"]["found_on"])
    assert status == 200 and broken["details"]["url"].encode() in found_on
    status, ctype, body = get("robots.txt")
    assert status == 200 and ctype.startswith("text/plain")
    assert body.decode().splitlines() == ["User-agent: *", "Disallow:"]


def test_every_link_on_the_site_resolves(server):
    """Every page, and every href on it (list entries, records, sidebars, nav, pagination): only
    the seeded broken article (404) and the seeded failing column (500) do not answer 200."""
    base = server.base_url
    expected_bad = {f["details"]["url"]: 404 for f in _findings("broken_link")}
    expected_bad.update({f["details"]["column_url"]: 500 for f in _findings("column_unreachable")})
    from zwgk.demosite.inspection import expected_inspection  # body links seeded dead (issue 15)

    expected_bad.update({f["details"]["url"]: 404 for f in expected_inspection()
                         if f["rule"] == "broken_link"})
    seen: set[str] = set()
    # Pages announced only by script (createPageHTML, jpage) are seeded from the build.
    queue = [base] + [base + path.lstrip("/") for path in build_site()]
    bad: dict[str, int] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, ctype, body = _fetch(url)
        if status != 200:
            bad["/" + url[len(base):]] = status
            continue
        if not ctype.startswith(("text/html", "text/xml")):
            continue
        for href in HREF_RE.findall(_text(ctype, body) if "xml" not in ctype else body.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith(("javascript:", "#")):
                continue
            target = urllib.parse.urljoin(url, href).split("#")[0]
            if target.startswith(base) and target not in seen:
                queue.append(target)
    assert bad == expected_bad
    # Links lead nowhere beyond the built pages but the broken article and the jpage proxy.
    extras = {"/" + u[len(base):] for u in seen} - set(build_site()) - set(expected_bad)
    hanweb = [c for c in site_model().columns if c.style == HANWEB]
    assert len(extras) == len(hanweb) and all("/dataproxy.jsp?" in u for u in extras)


# --- ground truth against the pages -----------------------------------------------------------

_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _visible_date(style: str, d: date) -> str:
    if style == TRS:
        return f"发布时间：{d.isoformat()}"
    if style in (HANWEB, QUERY):
        return f"发布日期：{d.isoformat()}"
    return f"日期：{d.year}年{d.month}月{d.day}日"


def _date_evidence(art: dict) -> tuple[str, str]:
    """Where the page shows its publish date: ("page", text in the markup) or ("url", text in the
    URL); page variants (demosite.data.PAGE_*) show it through one kind of evidence only."""
    d = date.fromisoformat(art["publish_date"])
    cn0 = f"{d.year}年{d.month:02d}月{d.day:02d}日"
    page = art["page"]
    if page == "meta_12h":
        return "page", f'<meta name="PubDate" content="{d.month}/{d.day}/{d.year} 3:15:00 PM">'
    if page == "meta_null":
        return "url", f"/t{d:%Y%m%d}_"
    if page == "url_only":
        return "url", f"/art/{d.year}/{d.month}/{d.day}/"
    if page == "dl_table":
        return "page", f"<dt>发布日期：</dt><dd>{cn0}</dd>"
    if page == "div_table":
        return "page", f'发 布 日 期：</div><div class="xxgk-value">{cn0}</div>'
    if page == "time_label":
        return "page", f"时间：{d.isoformat()}"
    if page == "english_date":
        return "page", f'<p class="date-en">{d.day} {_EN_MONTHS[d.month - 1]} {d.year}</p>'
    return "page", _visible_date(art["style"], d)


def test_every_expected_article_is_served_as_declared(get):
    articles = truth.expected_articles()
    assert len(articles) > 250
    assert len({a["url"] for a in articles}) == len(articles)
    for art in articles:
        status, ctype, body = get(art["url"])
        assert status == 200, art["url"]
        text = body.decode("gb18030") if art["gbk"] else body.decode("utf-8")
        assert html.escape(art["title"]) in text, art["url"]
        if art["page"] in ("meta_12h", "meta_null", "url_only", "undated"):
            assert not re.search(r"发布(?:时间|日期)：|>日期：|>时间：", text), art["url"]
        if art["publish_date"] is None:
            assert art["page"] == "undated" and not re.search(r"\d{4}-\d\d-\d\d</td>", text)
        else:
            where, needle = _date_evidence(art)
            assert needle in (art["url"] if where == "url" else text), (art["url"], needle)
        if art["page"] == "meta_empty":
            assert '<meta name="PubDate" content="">' in text
        if art["doc_number"]:
            assert f">{html.escape(art['doc_number'])}</" in text
        if art["written_date"]:
            w = date.fromisoformat(art["written_date"])
            assert f"{w.year}年{w.month:02d}月{w.day:02d}日" in text
            assert "成文日期" in text or "成 文 日 期" in text
        else:
            assert "成文日期" not in text and "成 文 日 期" not in text
        if art["policy_url"]:
            assert f'相关文件：<a href="{art["policy_url"]}"' in text


def test_metadata_disagrees_with_the_visible_date_exactly_once(get):
    disagreeing = [a for a in truth.expected_articles()
                   if a["meta_publish_date"] and a["meta_publish_date"] != a["publish_date"]]
    assert len(disagreeing) == 1
    (art,) = disagreeing
    text = get(art["url"])[2].decode()
    assert META_PUBDATE_RE.search(text).group(1).startswith(art["meta_publish_date"])
    assert f"发布时间：{art['publish_date']}" in text
    # Its only finding is the conflict itself (date_conflict, a warning).
    assert {f["rule"] for f in truth.expected_findings() if f["item_id"] == art["item_id"]} == {
        "date_conflict"}


def test_sidebars_carry_newer_dated_links(get):
    for art in truth.expected_articles()[::7]:
        if art["publish_date"] is None or art["publish_date"] > DEMO_AS_OF.isoformat():
            continue
        _, ctype, body = get(art["url"])
        side = SIDEBAR_RE.search(_text(ctype, body)).group(1)
        dates = SIDE_DATE_RE.findall(side)
        assert dates and all(d > art["publish_date"] for d in dates), art["url"]


def test_hostile_title_is_escaped_in_the_markup(get):
    (art,) = [a for a in truth.expected_articles() if "<script>" in a["title"]]
    for path in (art["url"], art["list_page"]):
        text = get(path)[2].decode()
        assert "<script>alert" not in text and 'onmouseover="alert' not in text
        assert html.escape(art["title"]) in text


def test_truth_is_the_spec_table_of_defects():
    """demosite/truth derives the defects; this pins them to docs/demo-site.md."""
    model = site_model()
    policy = next(a for a in model.column("2.2").articles if a.spec.doc_number == "临住建规〔2026〕2号")
    broken = next(a for a in model.column("13.1").articles if a.spec.broken)
    expected = [
        ("2.1", "docno_gap", {"series_prefix": "临住建发", "year": 2026, "missing": [5]}),
        ("2.1", "docno_format", {"doc_number": "临住建发[2026]8号"}),
        ("2.1", "docno_duplicate", {"series_prefix": "临住建办发", "year": 2026, "number": 3}),
        ("2.1", "publish_lag", {"doc_number": "临住建发〔2026〕10号", "written_date": "2026-09-01",
                                "publish_date": "2026-10-20", "working_days": 31}),
        ("3.1", "interpretation_late", {"policy_url": policy.path, "policy_publish_date": "2026-07-06",
                                        "publish_date": "2026-07-20", "working_days": 10}),
        ("5.1", "meeting_late", {"meeting_date": "2026-06-11", "publish_date": "2026-06-18", "days": 7}),
        ("7.1", "period_missed", {"period": "2026-Q2"}),
        ("14.2", "period_missed", {"period": "2026-08"}),
        ("10.1", "stale", {"latest_publish_date": "2025-12-15", "max_age_days": 180}),
        ("12.2", "empty_column", {"column_url": "/hdjl/list.php?catid=122&page=1"}),
        ("7.4", "column_unreachable", {"column_url": "/hdjl/list.php?catid=74&page=1", "status": 500}),
        ("13.1", "broken_link", {"url": broken.path, "status": 404, "found_on": "/col/col1301/index.html"}),
        ("16.1", "annual_report_late", {"year": 2025, "publish_date": "2026-02-10",
                                        "due_date": "2026-01-31"}),
    ]
    # Issue 5's rules: one seeded defect each.
    path = {a.title: a.path for a in model.articles}
    expected += [
        ("1.1", "content_missing", {"url": path["临江市住房和城乡建设局主要职责"]}),
        ("2.2", "interpretation_missing", {
            "url": path["临江市住房和城乡建设局关于印发《临江市建筑垃圾管理实施细则》的通知"],
            "publish_date": "2024-09-09", "working_days": 544}),
        ("2.2", "validity_missing", {
            "url": path["临江市住房和城乡建设局关于印发《临江市物业管理区域电动自行车停放充电管理规定》的通知"]}),
        ("8.2", "stale", {"latest_publish_date": "2026-04-10", "max_age_days": 180, "class": "notice"}),
        ("9.1", "date_conflict", {"url": path["临江市农房建设管理服务站建设情况通报"],
                                  "publish_date": "2026-08-14", "meta_publish_date": "2026-08-21",
                                  "days": 7}),
        ("12.1", "date_missing", {"url": path["临江市重大建设项目审批流程图"], "list_date": None}),
        ("12.1", "date_future", {"url": path["城市道路挖掘占用审批办事指南"],
                                 "publish_date": "2026-12-08"}),
        ("16.1", "annual_report_incomplete", {"year": 2025,
                                              "missing_sections": ["存在的主要问题及改进情况"]}),
    ]
    got = [(f["item_id"], f["rule"], f["details"]) for f in truth.expected_findings()]
    key = lambda t: (t[0], t[1], repr(t[2]))  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
    assert broken.path.startswith("/art/2026/9/8/art_1301_")
    assert set(truth.clean_items()) == {"1.2", "4.1", "4.2", "5.2", "6.1", "7.2", "7.3", "8.1",
                                        "11.1", "14.1", "15.1"}


def test_everything_else_is_within_its_deadline():
    arts = truth.expected_articles()
    by_item: dict[str, list[dict]] = {}
    for a in arts:
        by_item.setdefault(a["item_id"], []).append(a)
    d = date.fromisoformat
    # 2.1: every document but the seeded one goes online 1–10 working days after signing.
    lags = sorted(truth.working_days(d(a["written_date"]), d(a["publish_date"])) for a in by_item["2.1"])
    assert lags[-1] == 31 and 1 <= lags[0] and lags[-2] <= 10
    assert len(by_item["2.1"]) == 30
    # 3.1: 解读 within 0–2 working days of the policy, but the seeded one.
    pub = {a["url"]: a["publish_date"] for a in arts}
    interp = sorted(truth.working_days(d(pub[a["policy_url"]]), d(a["publish_date"])) for a in by_item["3.1"])
    assert interp[-1] == 10 and interp[-2] <= 2
    # 5.1: published 0–2 days after the meeting, but the seeded one.
    late = sorted((d(a["publish_date"]) - d(a["meeting_date"])).days for a in by_item["5.1"])
    assert late[-1] == 7 and late[-2] <= 2 and late[0] >= 0
    # 实时更新 items: newest article within 60 days (10.1 is the seeded stale one).
    for spec in COLUMNS:
        if spec.stale_days and spec.item_id in by_item and spec.item_id != "10.1":
            newest = max(d(a["publish_date"]) for a in by_item[spec.item_id])
            assert (DEMO_AS_OF - newest).days <= 60, spec.item_id
    # Yearly items: something in each of 2023, 2024, 2025 and 2026.
    for item_id in ("5.2", "7.3", "11.1", "14.1"):
        assert {2023, 2024, 2025, 2026} <= {d(a["publish_date"]).year for a in by_item[item_id]}
    # 文号: well formed but the seeded fault; every catalog article older than the news sidebar.
    numbers = [a["doc_number"] for a in arts if a["doc_number"]]
    assert [n for n in numbers if not truth.WELL_FORMED_DOCNO_RE.match(n)] == ["临住建发[2026]8号"]
    assert Counter(numbers).most_common(1)[0] == ("临住建办发〔2026〕3号", 2)
    # (but the one dated after the audit day: the date_future defect)
    assert max(a["publish_date"] for a in arts if a["publish_date"]
               and a["publish_date"] <= DEMO_AS_OF.isoformat()) < min(
        a.published.isoformat() for a in site_model().news.articles[:5])
    assert [a["publish_date"] for a in arts if a["publish_date"]
            and a["publish_date"] > DEMO_AS_OF.isoformat()] == ["2026-12-08"]


def test_working_days_count_the_day_after_the_start():
    assert truth.working_days(date(2026, 9, 30), date(2026, 10, 8)) == 1  # 国庆: 10/1–10/7 off
    assert truth.working_days(date(2026, 10, 9), date(2026, 10, 10)) == 1  # 10/10 Sat is worked
    assert truth.working_days(date(2026, 11, 20), date(2026, 11, 20)) == 0


# --- the build and the server -----------------------------------------------------------------

def test_builds_are_deterministic_and_cheap():
    first = {k: v.body for k, v in build_site().items()}
    started = time.perf_counter()
    again = rebuild_site_bytes()
    assert time.perf_counter() - started < 1.0
    assert again == first == rebuild_site_bytes()
    assert len(first) > 350


def test_requests_are_counted_per_target(server, get):
    before = server.hits.get("/zcjd/index.html", 0)
    get("zcjd/index.html")
    get("zcjd/index.html")
    assert server.hits["/zcjd/index.html"] == before + 2


def test_module_entry_point_serves_and_prints_the_base_url():
    env_path = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "zwgk.demosite", "--port", "0"], cwd=env_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", line), line
        status, _, body = _fetch(line + "robots.txt")
        assert status == 200 and b"User-agent" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.stderr.read() == ""
