"""Ground truth of the demo site: the seeded defects, the clean items, every article's fields.

Why computed and not listed: the values come from the same resolved model the pages are
rendered from (``demosite.model``), judged by the plain rules of the spec, so a change to the
site's declarations changes the truth with it. ``tests/test_demosite.py`` pins the result to the
spec's table of defects, so an accidental extra or lost defect fails there.

URLs are site paths with a leading "/" (join them with the server's base_url).
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from demosite.data import DEMO_AS_OF
from demosite.model import Article, Column, site_model

# 机关代字 + bracketed year + serial + 号; any bracket pair (format faults still count in the series).
_DOCNO_RE = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]+)[〔\[［【（(](?P<year>\d{4})[〕\]］】）)]"
                       r"(?P<num>\d+)号$")
# GB/T 9704-2012 §7.2.5: year in full inside 〔〕, serial without leading zeros, then 号.
WELL_FORMED_DOCNO_RE = re.compile(r"^[\u4e00-\u9fff]+〔\d{4}〕[1-9]\d*号$")
_ANNUAL_REPORT_RE = re.compile(r"(\d{4})年政府信息公开工作年度报告")


@lru_cache(maxsize=None)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=[year])


def working_days(start: date, end: date) -> int:
    """Working days d with start < d <= end (the day after the start is day 1)."""
    count = 0
    d = start + timedelta(days=1)
    while d <= end:
        if _china(d.year).is_working_day(d):
            count += 1
        d += timedelta(days=1)
    return count


def _period(d: date, kind: str) -> str:
    if kind == "year":
        return str(d.year)
    if kind == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return f"{d.year}-{d.month:02d}"


def _closed_periods(first: date, kind: str, as_of: date) -> list[str]:
    """Labels of the periods from ``first``'s period through the last one ending before as_of."""
    months = {"year": 12, "quarter": 3, "month": 1}[kind]
    start_month = {"year": 1, "quarter": 3 * ((first.month - 1) // 3) + 1, "month": first.month}[kind]
    index = first.year * 12 + start_month - 1
    out = []
    while True:
        begin = date(index // 12, index % 12 + 1, 1)
        nxt = index + months
        end = date(nxt // 12, nxt % 12 + 1, 1) - timedelta(days=1)
        if end >= as_of:
            return out
        out.append(_period(begin, kind))
        index = nxt


def _docno_findings(column: Column) -> list[dict[str, Any]]:
    item = column.spec.item_id
    out: list[dict[str, Any]] = []
    series: dict[tuple[str, int], dict[int, list[Article]]] = {}
    for a in column.live:
        raw = a.spec.doc_number
        if not raw:
            continue
        if not WELL_FORMED_DOCNO_RE.match(raw):
            out.append({"item_id": item, "rule": "docno_format", "details": {"doc_number": raw}})
        m = _DOCNO_RE.match(raw)
        if m:
            key = (m.group("prefix"), int(m.group("year")))
            series.setdefault(key, {}).setdefault(int(m.group("num")), []).append(a)
    for (prefix, year), numbers in sorted(series.items()):
        missing = [n for n in range(1, max(numbers) + 1) if n not in numbers]
        if missing:
            out.append({"item_id": item, "rule": "docno_gap",
                        "details": {"series_prefix": prefix, "year": year, "missing": missing}})
        for n, docs in sorted(numbers.items()):
            if len({d.title for d in docs}) > 1:
                out.append({"item_id": item, "rule": "docno_duplicate",
                            "details": {"series_prefix": prefix, "year": year, "number": n}})
    return out


def _column_findings(column: Column, as_of: date) -> list[dict[str, Any]]:
    spec = column.spec
    item = spec.item_id
    rel = column.path
    if spec.status != 200:
        return [{"item_id": item, "rule": "column_unreachable",
                 "details": {"column_url": rel, "status": spec.status}}]
    if not column.articles:
        return [{"item_id": item, "rule": "empty_column", "details": {"column_url": rel}}]
    out = _docno_findings(column)
    live = column.live
    for a in column.articles:
        if a.spec.broken:
            out.append({"item_id": item, "rule": "broken_link",
                        "details": {"url": a.path, "status": 404, "found_on": a.list_page}})
    if spec.lag_workdays is not None:
        for a in live:
            if a.written is None:
                continue
            days = working_days(a.written, a.published)
            if days > spec.lag_workdays:
                out.append({"item_id": item, "rule": "publish_lag", "details": {
                    "doc_number": a.spec.doc_number, "written_date": a.written.isoformat(),
                    "publish_date": a.published.isoformat(), "working_days": days}})
    if spec.interp_workdays is not None:
        for a in live:
            if a.policy is None:
                continue
            days = working_days(a.policy.published, a.published)
            if days > spec.interp_workdays:
                out.append({"item_id": item, "rule": "interpretation_late", "details": {
                    "policy_url": a.policy.path,
                    "policy_publish_date": a.policy.published.isoformat(),
                    "publish_date": a.published.isoformat(), "working_days": days}})
    if spec.meeting_days is not None:
        for a in live:
            if a.meeting is None:
                continue
            days = (a.published - a.meeting).days
            if days > spec.meeting_days:
                out.append({"item_id": item, "rule": "meeting_late", "details": {
                    "meeting_date": a.meeting.isoformat(), "publish_date": a.published.isoformat(),
                    "days": days}})
    if spec.period:
        covered = {_period(a.published, spec.period) for a in live}
        first = min(a.published for a in live)
        for label in _closed_periods(first, spec.period, as_of):
            if label not in covered:
                out.append({"item_id": item, "rule": "period_missed", "details": {"period": label}})
    if spec.stale_days is not None:
        latest = max(a.published for a in live)
        if (as_of - latest).days > spec.stale_days:
            out.append({"item_id": item, "rule": "stale", "details": {
                "latest_publish_date": latest.isoformat(), "max_age_days": spec.stale_days}})
    if spec.annual_report:
        for a in live:
            m = _ANNUAL_REPORT_RE.search(a.title)
            if not m:
                continue
            year = int(m.group(1))
            due = date(year + 1, 1, 31)
            if a.published > due:
                out.append({"item_id": item, "rule": "annual_report_late", "details": {
                    "year": year, "publish_date": a.published.isoformat(),
                    "due_date": due.isoformat()}})
    return out


def expected_findings() -> list[dict[str, Any]]:
    """Every seeded defect: {"item_id", "rule", "details"} with the findings.json detail keys."""
    out: list[dict[str, Any]] = []
    for column in site_model().columns:
        if column.spec.item_id is not None:
            out.extend(_column_findings(column, DEMO_AS_OF))
    return out


def clean_items() -> list[str]:
    """Catalog items with no seeded defect at all: none of them may get a fail."""
    flagged = {f["item_id"] for f in expected_findings()}
    return [c.spec.item_id for c in site_model().columns
            if c.spec.item_id is not None and c.spec.item_id not in flagged]


def expected_articles() -> list[dict[str, Any]]:
    """What a reader sees on every article page of the catalog columns (404 links excluded)."""
    out: list[dict[str, Any]] = []
    for column in site_model().columns:
        if column.spec.item_id is None:
            continue
        for a in column.live:
            out.append({
                "url": a.path,
                "item_id": column.spec.item_id,
                "column_url": column.path,
                "list_page": a.list_page,
                "title": a.title,
                "publish_date": a.published.isoformat(),
                "written_date": a.written.isoformat() if a.written else None,
                "doc_number": a.spec.doc_number,
                "meta_publish_date": a.spec.meta_pubdate[:10] if a.spec.meta_pubdate else None,
                "meeting_date": a.meeting.isoformat() if a.meeting else None,
                "policy_url": a.policy.path if a.policy else None,
                "style": column.style,
                "gbk": column.spec.gbk,
            })
    return out


__all__ = ["expected_findings", "clean_items", "expected_articles", "working_days",
           "WELL_FORMED_DOCNO_RE"]
