"""report.html stays readable at any size (issue 16): each finding listed once, in its item, at
most FINDINGS_SHOWN per rule; a 责任单位's list groups an item's findings of one rule into one
row with the count and a link to them."""
from __future__ import annotations

import re

import pytest

from test_report import BASE, synthetic
from zwgk.report.html import FINDINGS_SHOWN, UNIT_GROUP_ROWS, finding_anchor, render_html


def _with_many(n: int, rule: str = "interpretation_missing", item: str = "1.1") -> str:
    doc, config, arts = synthetic()
    result = next(r for r in doc["items"] if r["id"] == item)
    result["findings"] += [
        {"rule": rule, "severity": "fail", "message": f"文件MARK{k:04d}缺少解读。",
         "evidence": [f"{BASE}col/{item}/m{k}.html"], "details": {"url": f"m{k}"},
         "state": "new" if k % 2 else "persisting", "first_seen": "2026-11-20", "source": "s"}
        for k in range(n)]
    return render_html(doc, config, arts, [])


def _section(html: str, start: str, end: str) -> str:
    part = html[html.index(start):]
    return part[:part.index(end)]


@pytest.mark.parametrize("n", [FINDINGS_SHOWN + 1, 130])
def test_a_long_rule_group_is_listed_once_and_cut_with_a_count(n):
    html = _with_many(n)
    marks = re.findall(r"MARK(\d{4})", html)
    counts = {int(m): marks.count(m) for m in set(marks)}
    # Shown once each in the item (new ones first); the first shown is also the example in both
    # units' summary rows (its text and the row's filter text).
    assert len(counts) == FINDINGS_SHOWN
    item = _section(html, 'id="item-1.1"', "</article>")
    first = int(re.search(r"MARK(\d{4})", item).group(1))
    assert counts.pop(first) == 5 and set(counts.values()) == {1}
    assert f"共 {n:,} 条，此处显示前 {FINDINGS_SHOWN} 条；其余 {n - FINDINGS_SHOWN:,} 条" in item
    anchor = finding_anchor("1.1", "interpretation_missing", "fail")
    assert html.count(f'id="{anchor}"') == 1 and f'id="{anchor}"' in item
    for unit in ("办公室", "发文科室"):
        rows = _section(html, f'data-unit="{unit}"', "</table>")
        assert rows.count(f'href="#{anchor}"') == 2  # the message and the evidence cell
        assert f"{n:,} 条" in rows and f"本次新增 {n // 2:,} 条" in rows
        assert "docno_duplicate" not in rows and "重复" in rows  # small groups stay in full
        assert "须整改" in rows and f"须整改 {n + 3} 项" in html


def test_small_groups_are_listed_row_by_row():
    html = _with_many(UNIT_GROUP_ROWS)
    office = _section(html, 'data-unit="办公室"', "</table>")
    assert all(f"MARK{k:04d}" in office for k in range(UNIT_GROUP_ROWS))
    assert 'class="group"' not in office
    assert "此处显示前" not in html


def test_a_big_item_keeps_the_page_small():
    small, big = len(_with_many(10)), len(_with_many(5000))
    # 5,000 findings add at most the FINDINGS_SHOWN rows they show (about 1 KB each).
    assert big - small < FINDINGS_SHOWN * 1500
