"""The report's context builder, HTML, workbook, terminal table and nightly helpers, without a
browser (tests/test_browser.py opens the same reports in Chromium).

The synthetic reports built here (``synthetic``) are shared with the browser tests: hostile
titles of every kind, an item long enough to page, a period item with a missed quarter, a 文号
series with every strip state, and optionally the history/veto/score blocks of findings.json.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from zwgk import nightly
from zwgk.audit.catalog import parse_config
from zwgk.audit.model import Article
from zwgk.report.html import (content_security_policy, format_table, render_html, row_cap,
                          write_report)
from zwgk.report.charts import doc_strips, timeline
from zwgk.report.workbook import sheet_name, workbook_bytes

AS_OF = date(2026, 11, 20)
BASE = "http://127.0.0.1:9/"
HOSTILE = {
    "script": '<script>alert("x")</script>关于" onmouseover="alert(1)的通报',
    "img": '<img src=x onerror="window.__pwned=1">图片通报',
    "attr": "\" autofocus onfocus=\"window.__pwned=2\" x=\"",
    "formula": '=HYPERLINK("http://127.0.0.1:9/x","点我")',
    "ansi": "\x1b[31m红色\x1b[0m标题\u202e倒序",
}


def config_for(items: list[dict]) -> object:
    return parse_config({"site": {"name": "测试站点<b>", "base_url": BASE}, "items": items})


def synthetic(*, articles_per_item: int = 8, long_item: int = 120, history: bool = True,
              extra_items: int = 0) -> tuple[dict, object, list[Article]]:
    """A small report exercising every part of the page."""
    items_cfg = [
        {"id": "1.1", "name": "部门文件", "deadline": "20个工作日内发布", "units": ["办公室", "发文科室"],
         "columns": [{"name": "部门文件", "url": "col/1/index.html"}], "doc_series": ["临住建发"],
         "docno_exempt": ["临住建发〔2026〕4号"]},
        {"id": "2.1", "name": "棚改", "deadline": "季度更新", "units": ["住房保障科"],
         "columns": [{"name": "棚改", "url": "col/2/index.html"}]},
        {"id": "3.1", "name": "市场监管", "deadline": "实时更新", "units": ["建筑市场监管科"],
         "columns": [{"name": "市场监管", "url": "col/3/index.html"}]},
        {"id": "10.1", "name": "长栏目", "deadline": "根据实际更新", "units": ["办公室"],
         "columns": [{"name": "长", "url": "col/10/index.html"}]},
    ] + [{"id": f"{20 + k}.1", "name": f"附加事项{k}", "deadline": "根据实际更新", "units": [f"科室{k % 7}"],
          "columns": [{"name": "x", "url": f"col/{20 + k}/index.html"}]} for k in range(extra_items)]
    config = config_for(items_cfg)

    def art(item: str, n: int, d: date | None, title: str, docno: str | None = None,
            status: int = 200, url: str | None = None) -> Article:
        return Article(url=url or f"{BASE}col/{item}/t{n}.html", item_id=item,
                       column_url=f"{BASE}col/{item}/index.html", title=title, publish_date=d,
                       written_date=d - timedelta(days=3) if d else None, doc_number=docno,
                       date_source="infotable" if d else "", http_status=status)

    arts = [
        # 文号: 1, 2, 3 (twice: duplicate), 5 malformed, 6 ; 4 exempt ; 7..8 missing ; 9
        art("1.1", 1, date(2026, 2, 3), "关于一号文件的通知", "临住建发〔2026〕1号"),
        art("1.1", 2, date(2026, 3, 3), "关于二号文件的通知", "临住建发〔2026〕2号"),
        art("1.1", 3, date(2026, 4, 3), "关于三号文件的通知", "临住建发〔2026〕3号"),
        art("1.1", 4, date(2026, 4, 13), "另一份三号文件", "临住建发〔2026〕3号"),
        art("1.1", 5, date(2026, 5, 3), "格式不对的文件", "临住建发[2026]5号"),
        art("1.1", 6, date(2026, 6, 3), "关于六号文件的通知", "临住建发〔2026〕6号"),
        art("1.1", 9, date(2026, 9, 3), HOSTILE["script"], "临住建发〔2026〕9号"),
        art("1.1", 10, date(2026, 9, 9), "乱写的文号", "局字123"),
        art("1.1", 11, date(2026, 10, 9), HOSTILE["img"], url="javascript:alert(document.domain)"),
        art("1.1", 12, None, HOSTILE["attr"], status=404),
        art("1.1", 13, date(2026, 10, 19), HOSTILE["formula"]),
    ]
    for k, d in enumerate((date(2025, 2, 1), date(2025, 5, 1), date(2025, 8, 1), date(2025, 11, 1),
                           date(2026, 1, 10), date(2026, 8, 1))):  # 2026-Q2 empty
        arts.append(art("2.1", 100 + k, d, f"棚改进展{k}"))
    for k in range(articles_per_item):
        arts.append(art("3.1", 200 + k, AS_OF - timedelta(days=300 + 9 * k), f"市场监管通报{k}"))
    for k in range(long_item):
        arts.append(art("10.1", 1000 + k, AS_OF - timedelta(days=k), f"长栏目文章{k:04d}"))
    for k in range(extra_items):
        arts.append(art(f"{20 + k}.1", 5000 + k, AS_OF - timedelta(days=k), f"附加{k}"))

    def f(rule, severity, message, evidence=(), details=None, state="new", first_seen="2026-11-20"):
        out = {"rule": rule, "severity": severity, "message": message, "evidence": list(evidence),
               "details": details or {}}
        if history:
            out.update({"state": state, "first_seen": first_seen, "source": "测试依据"})
        return out

    results = [
        {"id": "1.1", "name": "部门文件", "units": ["办公室", "发文科室"], "status": "fail",
         "latest_publish_date": "2026-10-19", "article_count": 10, "findings": [
             f("docno_duplicate", "fail", "文号临住建发〔2026〕3号重复。" + HOSTILE["script"],
               [f"{BASE}col/1.1/t3.html", f"{BASE}col/1.1/t4.html"]),
             f("docno_gap", "warn", "疑似缺号：7–8号", [f"{BASE}col/1.1/t6.html"],
               state="persisting", first_seen="2026-10-01"),
             f("broken_link", "warn", "链接失效", [f"{BASE}col/1.1/t12.html"])]},
        {"id": "2.1", "name": "棚改", "units": ["住房保障科"], "status": "fail",
         "latest_publish_date": "2026-08-01", "article_count": 6, "findings": [
             f("period_missed", "fail", "2026年第二季度没有发布任何信息", [f"{BASE}col/2/index.html"],
               {"period": "2026-Q2"}, state="persisting", first_seen="2026-07-02")]},
        {"id": "3.1", "name": "市场监管", "units": ["建筑市场监管科"], "status": "fail",
         "latest_publish_date": (AS_OF - timedelta(days=300)).isoformat(),
         "article_count": articles_per_item, "findings": [
             f("stale", "fail", "栏目300天未更新", [f"{BASE}col/3.1/t200.html"])]},
        {"id": "10.1", "name": "长栏目", "units": ["办公室"], "status": "pass",
         "latest_publish_date": AS_OF.isoformat(), "article_count": long_item, "findings": []},
    ] + [{"id": f"{20 + k}.1", "name": f"附加事项{k}", "units": [f"科室{k % 7}"], "status": "pass",
          "latest_publish_date": AS_OF.isoformat(), "article_count": 1, "findings": []}
         for k in range(extra_items)]
    doc = {"as_of": AS_OF.isoformat(), "site": {"name": "测试站点<b>", "base_url": BASE},
           "run": {"requests": 99, "pages": 7, "articles": len(arts), "errors": 1, "columns": 4,
                   "columns_unreachable": 0, "elapsed_seconds": 12.5,
                   "started_at": "2026-11-20T01:00:00+00:00", "finished_at": "2026-11-20T01:00:12+00:00"},
           "items": results}
    if history:
        doc.update({
            "veto": {"would_fail": True, "source": "检查指标", "message": "将触及单项否决。",
                     "checks": [{"id": "empty_columns", "label": "空白栏目", "count": 6, "threshold": 5,
                                 "triggered": True, "items": ["2.1"]},
                                {"id": "stale_columns", "label": "应更新未更新栏目", "count": 1,
                                 "threshold": 10, "triggered": False, "items": ["3.1"]}]},
            "units": [{"unit": "办公室", "score": 88.5, "veto": False, "veto_reasons": [],
                       "deductions": [{"rule": "docno_duplicate", "count": 1, "points": 2}]},
                      {"unit": "法规科", "score": 100, "deductions": []}],
            "resolved": [{"item_id": "2.1", "rule": "stale", "severity": "fail",
                          "message": "已整改的旧问题<i>", "first_seen": "2026-09-01",
                          "last_seen": "2026-11-19"}],
            "history": {"previous_run": 7, "previous_as_of": "2026-11-19", "new": 3,
                        "persisting": 2, "resolved": 1},
        })
    return doc, config, arts


def render(**kw) -> str:
    doc, config, arts = synthetic(**kw)
    return render_html(doc, config, arts, [])


# --- HTML: hostile text, CSP, structure ----------------------------------------------------------

def _inline(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)


def test_hostile_titles_are_text_and_the_only_script_is_ours():
    html = render()
    scripts = re.findall(r"<script\b", html, re.I)
    assert len(scripts) == 1, "exactly one script element: ours"
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    for raw in ('onmouseover="alert', "onerror=\"window", 'onfocus="window', "<img", "<i>", "<b>"):
        assert raw not in html, raw
    assert "javascript:" not in html  # the article URL became href="#"
    assert 'href="#"' in html
    assert re.search(r"\sstyle=", html) is None, "no style attribute: the CSP allows none"


def test_csp_allows_exactly_our_script_and_style_by_hash():
    html = render()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    [script] = _inline(html, "script")
    [style] = _inline(html, "style")
    for text, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "img-src data:" in csp and "unsafe" not in csp
    assert csp == content_security_policy(script, style)
    # Nothing that could load: no src, no stylesheet link, no import, no absolute URL in CSS.
    assert " src=" not in html.replace("&lt;img src=", "")
    assert re.findall(r"<link\b[^>]*>", html) == ['<link rel="icon" href="data:,">']
    assert "@import" not in style and "url(" not in style


def test_summary_history_veto_and_scores_rendered():
    html = render()
    assert "将触及单项否决。" in html and "空白栏目：6 个" in html
    assert "与上次检查（2026-11-19）相比" in html and "已整改的旧问题&lt;i&gt;" in html
    assert "得分 88.5" in html and "文号重复 2 分" in html
    assert "自 2026-07-02" in html and "新增" in html
    assert "测试依据" in html  # a finding's source
    # Units sorted by severe findings; every unit of a finding has a section.
    order = [m for m in re.findall(r'data-unit="([^"]+)"', html)]
    assert order[:3] == ["住房保障科", "办公室", "发文科室"] or order[0] in ("住房保障科", "办公室")
    assert set(order) >= {"办公室", "发文科室", "住房保障科", "建筑市场监管科", "法规科"}


def test_degrades_without_history_veto_or_scores():
    html = render(history=False)
    assert "没有上次检查的记录可供比较" in html
    assert "空白栏目：0 个（≥5 即否决）" in html  # counted here from the findings
    assert "得分" not in html


def test_report_unit_tasks_sorted_by_severity_with_deadline():
    html = render()
    office = html[html.index('data-unit="办公室"'):]
    office = office[:office.index("</table>")]
    severities = re.findall(r'data-sort="(\d)"><span class="badge', office)
    assert severities == sorted(severities) and severities[0] == "0"
    assert "20个工作日内发布" in office  # the item's 公开时限 beside each task
    assert "#item-1.1" in office


def test_article_table_lists_title_link_dates_docno_and_source():
    html = render()
    assert f'<a href="{BASE}col/1.1/t1.html">关于一号文件的通知</a><td>2026-02-03<td>信息公开表<td>2026-01-31<td>临住建发〔2026〕1号</tr>' in html
    assert "HTTP 404" in html


# --- pictures --------------------------------------------------------------------------------------

def test_doc_strip_states_from_doc_numbers():
    entries = [("临住建发〔2026〕1号", "u1"), ("临住建发〔2026〕2号", "u2"), ("临住建发〔2026〕3号", "u3"),
               ("临住建发〔2026〕3号", "u4"), ("临住建发[2026]5号", "u5"), ("临住建发〔2026〕9号", "u9"),
               ("临住建发〔2026〕3号", "u3"),  # the same document listed twice is no duplicate
               ("临住建办发〔2025〕7号", "x7"), ("局字123", "junk")]
    strips = doc_strips(entries, ["临住建发"], ["临住建发〔2026〕4号"])
    main = next(s for s in strips.strips if s.prefix == "临住建发")
    states = {c.number: c.state for c in main.cells}
    assert states == {1: "present", 2: "present", 3: "duplicate", 4: "exempt", 5: "malformed",
                      6: "missing", 7: "missing", 8: "missing", 9: "present"}
    assert main.audited and main.counts == {"present": 3, "duplicate": 1, "exempt": 1,
                                            "malformed": 1, "missing": 3}
    assert "年份应使用六角括号" in next(c.label for c in main.cells if c.number == 5)
    other = next(s for s in strips.strips if s.prefix == "临住建办发")
    assert not other.audited and other.cells[0].state == "before" and other.cells[0].text == "1–6"
    assert strips.unparsed == (("局字123", "junk"),)


def test_timeline_shades_periods_and_flags_fail_evidence():
    from zwgk.audit.catalog import Rules

    dates = [date(2025, 2, 1), date(2025, 5, 1), date(2026, 1, 10), date(2026, 8, 1), date(2023, 1, 1), None]
    tl = timeline(dates, AS_OF, Rules(period="quarter"), ["2026-Q2"], [date(2026, 8, 1)])
    assert tl.start == date(2024, 12, 1) and tl.end == AS_OF
    states = [b.state for b in tl.bands]
    labels = [b.label for b in tl.bands]
    assert states[:2] == ["empty", "covered"]  # 2024-Q4 (partly shown) empty, 2025-Q1 covered
    assert "2026年第二季度：应更新未更新" in labels
    assert states[-1] == "open"              # 2026-Q4 has not ended
    assert "2025年第三季度：无信息" in labels  # empty, not reported by the audit
    assert tl.total == 4 and tl.before == 1 and tl.undated == 1
    assert sum(b.count for b in tl.bars) == 4 and [b.flagged for b in tl.bars].count(True) == 1
    assert all(0 <= b.x <= tl.width for b in tl.bars)
    stale = timeline(dates, AS_OF, Rules(stale_days=180), stale_failed=True)
    assert [b.state for b in stale.bands] == ["window-stale"]


# --- size: a large site stays small and fast ----------------------------------------------------

def big_report(n_articles: int = 10_000, items: int = 26) -> tuple[dict, object, list[Article]]:
    items_cfg = [{"id": f"{i}.1", "name": f"事项{i}", "deadline": "季度更新" if i % 2 else "20个工作日内发布",
                  "units": [f"科室{i % 5}"], "columns": [{"name": "x", "url": f"col/{i}/index.html"}],
                  "doc_series": ["临住建发"]} for i in range(1, items + 1)]
    config = config_for(items_cfg)
    arts = []
    for n in range(n_articles):
        i = n % items + 1
        d = AS_OF - timedelta(days=n // 10)
        arts.append(Article(url=f"{BASE}col/{i}/{d:%Y%m}/t{d:%Y%m%d}_{n}.html", item_id=f"{i}.1",
                            column_url=f"{BASE}col/{i}/index.html",
                            title=f"临江市住房和城乡建设局关于第{n}号事项的通知公告", publish_date=d,
                            written_date=d - timedelta(days=2),
                            doc_number=f"临住建发〔{d.year}〕{n // items + 1}号", date_source="infotable"))
    doc = {"as_of": AS_OF.isoformat(), "site": {"name": "大站", "base_url": BASE}, "run": {},
           "items": [{"id": f"{i}.1", "name": f"事项{i}", "units": [f"科室{i % 5}"], "status": "pass",
                      "latest_publish_date": AS_OF.isoformat(), "article_count": n_articles // items,
                      "findings": []} for i in range(1, items + 1)]}
    return doc, config, arts


@pytest.mark.parametrize("items", [26, 1])
def test_ten_thousand_articles_stay_under_five_megabytes(items):
    doc, config, arts = big_report(items=items)
    html = render_html(doc, config, arts, [])
    size = len(html.encode())
    print(f"10k articles in {items} item(s): {size / 1e6:.2f} MB")
    assert size < 5_000_000
    rows = html.count("<tr><td><a href=")
    assert rows == (10_000 if items == 26 else 3000)
    if items == 1:
        assert "列出最新 3000 篇" in html and "完整列表见同目录的 articles.csv" in html


def test_row_cap_shares_the_budget():
    assert row_cap([10, 20]) == 3000
    assert row_cap([100, 20_000, 20_000], total=10_100, per_item=10_000) == 5000
    assert row_cap([30_000] * 10) == 1500


# --- outputs beside the report -------------------------------------------------------------------

def test_write_report_writes_four_files_and_a_workbook_per_unit(tmp_path):
    from openpyxl import load_workbook

    doc, config, arts = synthetic()
    write_report(tmp_path, doc, config, arts, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".zwgk-report.json", "articles.csv",
                                                           "findings.json", "report.html",
                                                           "report.xlsx"]
    assert json.loads((tmp_path / "findings.json").read_text(encoding="utf-8")) == doc
    wb = load_workbook(tmp_path / "report.xlsx")
    assert wb.sheetnames[0] == "总览" and wb.sheetnames[-1] == "文章"
    units = {"办公室", "发文科室", "住房保障科", "建筑市场监管科"}
    assert set(wb.sheetnames[1:1 + len(units)]) == units
    # then one sheet per item with findings, every finding in it
    with_findings = [r for r in doc["items"] if r["findings"]]
    item_sheets = wb.sheetnames[1 + len(units):-1]
    assert len(item_sheets) == len(with_findings) > 0
    for name, r in zip(item_sheets, with_findings):
        assert name.startswith(r["id"] + " ")
        rows = list(wb[name].iter_rows(min_row=2, values_only=True))
        assert sorted(row[2] for row in rows) == sorted(f["message"] for f in r["findings"])
    office = wb["办公室"]
    assert [c.value for c in office[1]][:5] == ["等级", "编号", "事项", "问题", "说明与整改要求"]
    assert office.cell(2, 1).value == "严重"
    # A crawled "=HYPERLINK(…)" title is a string cell, never a formula.
    titles = {c.value: c.data_type for c in wb["文章"]["B"]}
    assert titles[HOSTILE["formula"]] == "s"
    assert all(not str(c.value).startswith("=") or c.data_type == "s"
               for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    names = [sheet_name(n, taken) for n in ("办公室", "办公室", "a/b:c*?[d]", "x" * 40, "")]
    assert names[:2] == ["办公室", "办公室~2"]
    assert names[2] == "a_b_c___d_" and len(names[3]) == 31 and names[4] == "未命名"


def test_workbook_without_findings_has_overview_and_articles():
    from openpyxl import load_workbook

    doc, config, arts = synthetic(history=False)
    for r in doc["items"]:
        r["findings"] = []
    wb = load_workbook(io.BytesIO(workbook_bytes(doc, config, arts)))
    assert wb.sheetnames == ["总览", "文章"]
    assert wb["文章"].max_row == len(arts) + 1



def test_workbook_leaves_a_long_article_list_to_articles_csv():
    """Above the documented size the 文章 sheet says where the list is instead of holding it."""
    from openpyxl import load_workbook

    doc, config, arts = synthetic(history=False)
    full = load_workbook(io.BytesIO(workbook_bytes(doc, config, arts, max_article_rows=len(arts))))
    assert full["文章"].max_row == len(arts) + 1
    capped = load_workbook(io.BytesIO(workbook_bytes(doc, config, arts,
                                                     max_article_rows=len(arts) - 1)))
    sheet = capped["文章"]
    assert sheet.max_row == 2 and "articles.csv" in sheet.cell(2, 1).value
    assert f"{len(arts):,}" in sheet.cell(2, 1).value
    # The other sheets are unchanged by the cap.
    assert capped.sheetnames == full.sheetnames
    assert [[c.value for c in row] for row in capped["总览"].iter_rows()] == \
        [[c.value for c in row] for row in full["总览"].iter_rows()]


def test_workbook_cells_carry_no_xml_control_characters():
    from openpyxl import load_workbook

    doc, config, arts = synthetic(history=False)
    arts = [replace(arts[0], title="bell\x07tab\tform\x0cfeed"), *arts[1:]]
    wb = load_workbook(io.BytesIO(workbook_bytes(doc, config, arts)))
    titles = [c.value for c in wb["文章"]["B"]]
    # control bytes are stripped (zwgk/report/textsafe.py, as in every text output); TAB stays
    assert "belltab\tformfeed" in titles

# --- terminal table -------------------------------------------------------------------------------

def test_format_table_aligns_cjk_and_strips_terminal_controls():
    doc, config, arts = synthetic()
    item = config.item("1.1")
    text = format_table(item, doc["items"][0], [a for a in arts if a.item_id == "1.1"], limit=20)
    assert "\x1b" not in text and "\u202e" not in text
    lines = [ln for ln in text.splitlines() if re.match(r"^(\d{4}-\d{2}-\d{2}|—)\s", ln)]
    assert len(lines) == 11
    from zwgk.report.html import _width

    # The title column starts at the same terminal column on every line.
    prefix_widths = set()
    for ln in lines:
        cells = re.split(r"  +", ln, maxsplit=4)
        prefix_widths.add(_width(ln) - _width(cells[-1]))
    assert len(prefix_widths) == 1, prefix_widths
    assert "[HTTP 404]" in text and "文号重复" in text


# --- nightly helpers --------------------------------------------------------------------------------

def _report_folder(root: Path, name: str, fails: int = 0, site: str = "测试") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    items = [{"id": "1.1", "name": "x", "units": [], "status": "fail" if fails else "pass",
              "latest_publish_date": None, "article_count": 0,
              "findings": [{"rule": "stale", "severity": "fail", "message": "m", "evidence": [],
                            "details": {}}] * fails}]
    (folder / "findings.json").write_text(json.dumps({"as_of": name, "site": {"name": site},
                                                      "items": items}), encoding="utf-8")
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    (folder / ".zwgk-report.json").write_text(json.dumps({  # as outputs.publish leaves it
        "kind": "zwgk report folder", "files": ["findings.json", "report.html"]}), encoding="utf-8")
    return folder


def test_prune_keeps_newest_protects_tonight_and_foreign_files(tmp_path):
    for i, name in enumerate(("2026-11-15", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19")):
        _report_folder(tmp_path, name, fails=i)
    (tmp_path / "2026-11-16" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "archive").mkdir()
    removed = nightly.prune(tmp_path, keep=2, protect=tmp_path / "2026-11-15")
    assert sorted(p.name for p in removed) == ["2026-11-17"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-15", "2026-11-16", "2026-11-18",
                                                          "2026-11-19", "archive"]
    assert nightly.prune(tmp_path, keep=0) == []


def _batch_folder(root: Path, name: str, slugs: tuple[str, ...]) -> Path:
    """A `zwgk run --sites` batch: a folder per site, and the overview published over them."""
    from zwgk.report.outputs import publish

    for slug in slugs:
        _report_folder(root / name, slug)
    return publish(root / name, {"overview.json": "{}", "overview.html": "<html></html>"},
                   folders=slugs)


def test_prune_takes_whole_batch_folders_and_nothing_foreign_in_them(tmp_path):
    for name in ("2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"):
        _batch_folder(tmp_path, name, ("a", "b"))
    (tmp_path / "2026-11-18" / "b" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "2026-11-17" / "c").mkdir()  # a folder the marker does not name
    removed = nightly.prune(tmp_path, keep=1, protect=tmp_path / "2026-11-20")
    assert [p.name for p in removed] == ["2026-11-19"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-17", "2026-11-18", "2026-11-20"]
    assert (tmp_path / "2026-11-18" / "b" / "notes.txt").exists()


def test_index_lists_dated_folders_newest_first_and_escapes(tmp_path):
    _report_folder(tmp_path, "2026-11-18", fails=3, site="<script>alert(1)</script>站")
    _report_folder(tmp_path, "2026-11-19", fails=1)
    (tmp_path / "2026-11-20").mkdir()
    (tmp_path / "2026-11-20" / "findings.json").write_text("{not json", encoding="utf-8")
    html = nightly.write_index(tmp_path).read_text(encoding="utf-8")
    body = html[html.index("<tbody>"):]
    assert body.index("2026-11-20") < body.index("2026-11-19") < body.index("2026-11-18")
    assert '<a href="2026-11-19/report.html">2026-11-19</a>' in html
    assert "findings.json 无法读取" in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "<polyline" in html


def test_summary_text_and_notify_hook(tmp_path):
    doc, _, _ = synthetic()
    text = nightly.summary_text(doc, code=1, report=tmp_path / "report.html")
    assert "事项 4 个" in text and "单项否决：已触及" in text and "退出码：1" in text
    assert "与上次（2026-11-19）相比：新增 3 项" in text
    out = tmp_path / "got.txt"
    rc = nightly.notify(f'cat > "{out}"; echo "code=$ZWGK_EXIT_CODE" >> "{out}"', text, code=1,
                        report=tmp_path / "report.html")
    assert rc == 0
    got = out.read_text(encoding="utf-8")
    assert got.startswith(text) and got.endswith("code=1\n")
    assert nightly.notify("exit 3", text, code=0) == 3
    failed = nightly.summary_text(None, code=4, error="another zwgk run is using x")
    assert "未完成（退出码 4）" in failed and "another zwgk run" in failed


def test_screenshot_command_reports_a_missing_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "zwgk.report.screenshot", str(tmp_path / "none.html"),
                           str(tmp_path / "x.png")], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 2 and "no such file" in proc.stderr
