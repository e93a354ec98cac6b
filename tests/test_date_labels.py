"""Dates by label (issue 11): 更新时间 / 更新日期 / 信息时间 are read when no 发布 label is there,
after every 发布 label, and said so (date_source "update"); 成文日期 stays 成文日期."""
from __future__ import annotations

from datetime import date

import pytest

from zwgk.crawler.extract import extract_article

AS_OF = date(2026, 12, 1)


def _page(rows: str) -> str:
    return (f"<html><head><title>关于做好住房保障工作的通知</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a></div><h1>关于做好住房保障工作的通知</h1>"
            f"<div class='info'>{rows}</div><div class='content'><p>{'各区住房城乡建设部门：' * 20}</p>"
            f"</div></body></html>")


@pytest.mark.parametrize("label", ["更新时间", "更新日期", "信息时间", "最后更新时间", "修改日期"])
def test_update_label_read_and_named(label):
    fields = extract_article(_page(f"<span>{label}：2026-03-04 10:20</span><span>来源：本局</span>"),
                             "", as_of=AS_OF)
    assert (fields.publish_date, fields.date_source) == (date(2026, 3, 4), "update")


def test_written_and_update_each_what_it_is():
    html = _page("<table><tr><td>成文日期：</td><td>2026年02月10日</td><td>文号：</td><td>某住建发〔2026〕3号</td></tr>"
                 "<tr><td>索引号：</td><td>001/2026-00003</td><td>更新时间：</td><td>2026-02-20</td></tr></table>")
    fields = extract_article(html, "", as_of=AS_OF)
    assert fields.written_date == date(2026, 2, 10)
    assert (fields.publish_date, fields.date_source) == (date(2026, 2, 20), "update")


def test_publish_label_wins_over_update_label():
    html = _page("<p>更新时间：2026-05-30</p><p>发布日期：2026-05-01</p>")
    fields = extract_article(html, "", as_of=AS_OF)
    assert (fields.publish_date, fields.date_source) == (date(2026, 5, 1), "text")


def test_update_date_after_as_of_is_noted_not_used():
    fields = extract_article(_page("<p>更新时间：2027-05-30</p>"), "", as_of=AS_OF)
    assert fields.date_source != "update"
    assert any("out of range" in n for n in fields.notes)


def test_a_future_date_is_the_pages_own_only_where_its_date_is_read():
    """The page shows no date of its own; deep in its running text a quoted notice carries a
    (future) 发布时间: that is no claim of this page's publish day, so nothing is kept for
    date_future (the veto). The same date in the page's info line under the title is kept."""
    body = "".join(f"<p>第{i}条 各区住房城乡建设部门应当按照本通知要求做好相关工作。</p>"
                   for i in range(1, 50))  # past the lines where a 发布时间 is the page's
    quoted = "<p>附：培训会通知</p><p>发布时间：2026-12-10</p>"
    html = (f"<html><head><title>关于做好住房保障工作的通知</title></head><body>"
            f"<h1>关于做好住房保障工作的通知</h1><div class='content'>{body}{quoted}{body}</div>"
            f"</body></html>")
    fields = extract_article(html, "", as_of=AS_OF)
    assert fields.publish_date is None and fields.rejected_publish_date is None, fields.notes
    own = extract_article(_page("<span>发布时间：2026-12-10</span>"), "", as_of=AS_OF)
    assert (own.publish_date, own.rejected_publish_date) == (None, "2026-12-10")
