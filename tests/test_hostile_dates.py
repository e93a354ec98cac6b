"""Issue 17 item 6: no false 伪造发稿日期. A date range on a list row is not a publish date, and
"today" is Beijing's date whatever the machine's clock zone."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from zwgk.grammar.asof import site_today
from zwgk.crawler.listing import parse_list
from zwgk.crawler.listing.dates import date_only, dates_in

ROOT = Path(__file__).resolve().parents[1]
LIST = """<html><body><div class="nav"><a href="/">首页</a></div><ul class="list">{rows}</ul>
<div class="footer">版权所有</div></body></html>"""


@pytest.mark.parametrize("label, joiner", [("征集时间：", "至"), ("公示期", "—"), ("活动时间 ", "~"),
                                            ("", " 到 "), ("报名：", "--")])
def test_a_date_range_on_a_list_row_is_not_its_publish_date(label, joiner):
    rows = "".join(f'<li><a href="/c/t{k}.html">关于征求第{k}号意见的公告</a>'
                   f'<span>{label}2026-11-0{k}{joiner}2026-12-0{k}</span></li>' for k in range(1, 6))
    page = parse_list(LIST.format(rows=rows), "http://127.0.0.1:9/c/index.html")
    assert len(page.entries) == 5
    assert [e.date for e in page.entries] == [None] * 5


def test_a_single_date_beside_a_range_is_still_read():
    rows = "".join(f'<li><a href="/c/t{k}.html">关于征求第{k}号意见的公告</a>'
                   f'<em>征集时间：2026-11-01至2026-12-01</em><span>2026-10-1{k}</span></li>'
                   for k in range(1, 6))
    page = parse_list(LIST.format(rows=rows), "http://127.0.0.1:9/c/index.html")
    assert [e.date.isoformat() for e in page.entries] == [f"2026-10-1{k}" for k in range(1, 6)]


@pytest.mark.parametrize("text", ["2026-10-12", "[2026-10-12]", "2026年10月12日", "2026-10-12 10:30",
                                  "2026-10-12 10:30-11:30", "发布日期：2026-10-12"])
def test_plain_dates_unchanged(text):
    assert date_only(text) is not None and dates_in(text)[0].isoformat() == "2026-10-12"


@pytest.mark.parametrize("text", ["2026-11-01至2026-12-01", "2026.11.01—12.01", "2026年9月18-22日",
                                  "2026-11-01 09:00 ~ 2026-12-01 17:00"])
def test_ranges_give_no_date(text):
    assert date_only(text) is None and dates_in(text) == []


def test_site_today_is_the_beijing_date():
    assert site_today(datetime(2026, 12, 3, 15, 59, tzinfo=timezone.utc)).isoformat() == "2026-12-03"
    assert site_today(datetime(2026, 12, 3, 16, 0, tzinfo=timezone.utc)).isoformat() == "2026-12-04"


def _zone_with_another_date() -> str:
    """A POSIX TZ whose local date differs from Beijing's right now (one always exists)."""
    now = datetime.now(timezone.utc)
    for hours in range(-12, 15):
        if (now + timedelta(hours=hours)).date() != site_today(now):
            # POSIX signs are inverted: "UTC+5" is five hours west of Greenwich.
            return f"XXX{-hours:+d}"
    raise AssertionError("no zone found")


def test_default_as_of_is_beijing_today_whatever_the_machine_zone(tmp_path):
    today = site_today()
    pages = []
    for day in (today, today + timedelta(days=1)):
        page = tmp_path / f"{day}.html"
        page.write_text(f"<html><head><title>通知</title></head><body><h1>关于某事的通知</h1>"
                        f"<div>发布日期：{day.isoformat()}</div><p>{'正文。' * 50}</p></body></html>",
                        encoding="utf-8")
        pages.append(str(page))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TZ": _zone_with_another_date()}
    proc = subprocess.run([sys.executable, "-m", "zwgk.cli", "extract", "--json", *pages], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = [json.loads(line)["publish_date"] for line in proc.stdout.splitlines()]
    # Beijing's today is accepted; Beijing's tomorrow is a future date, rejected.
    assert got == [today.isoformat(), None], (env["TZ"], got)
