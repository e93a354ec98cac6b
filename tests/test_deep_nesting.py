"""Deep nesting (issue 17 item 7): libxml2 drops everything nested 256 levels deep unless told
otherwise, so 300 unclosed <font> tags hid a whole list (→ empty_column) or a page's date
(→ date_missing), and rows built from unclosed <div>s were read as one entry."""
from __future__ import annotations

from datetime import date

import pytest

from zwgk.crawler.extract import extract_article
from zwgk.crawler.listing import parse_list

TITLES = ["关于做好住房保障工作的通知", "关于开展安全生产检查的通知", "关于公布物业收费标准的公告",
          "关于征集城市更新项目的公告", "关于调整公积金贷款额度的通知"]


@pytest.mark.parametrize("depth", [10, 300, 1000])
def test_list_below_unclosed_font_tags(depth):
    rows = "".join(f'<li><a href="/a{i}.html">{t}</a><span>2026-10-{i + 1:02d}</span></li>'
                   for i, t in enumerate(TITLES))
    html = f"<html><body>{'<font>' * depth}<ul class='list'>{rows}</ul></body></html>"
    page = parse_list(html, "http://x.gov.cn/col/index.html")
    assert [(e.title, e.date) for e in page.entries] == [
        (t, date(2026, 10, i + 1)) for i, t in enumerate(TITLES)]


@pytest.mark.parametrize("n", [5, 300])
def test_rows_of_unclosed_divs_are_one_list(n):
    rows = "".join(f'<div class="row"><a href="/a{i}.html">{TITLES[i % 5]}{i}</a> '
                   f'2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}' for i in range(n))
    html = f"<html><body><div class='list'>{rows}</div></body></html>"
    page = parse_list(html, "http://x.gov.cn/col/index.html")
    assert len(page.entries) == n
    assert [e.date for e in page.entries] == [date(2026, i % 12 + 1, i % 28 + 1) for i in range(n)]


def test_article_date_below_deep_nesting():
    html = ("<html><head><title>关于做好住房保障工作的通知</title></head><body>" + "<div>" * 300 +
            "<h1>关于做好住房保障工作的通知</h1><p>发布日期：2026-05-06</p><p>文号：临住建发〔2026〕4号</p>"
            "<p>" + "各区住房城乡建设部门：现将有关事项通知如下。" * 10 + "</p></body></html>")
    fields = extract_article(html, "http://x.gov.cn/a.html", as_of=date(2026, 11, 20))
    assert fields.publish_date == date(2026, 5, 6)
    assert "现将有关事项通知如下" in fields.body_text
