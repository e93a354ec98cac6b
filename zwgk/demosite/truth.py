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

from zwgk.demosite.data import (DEMO_AS_OF, HANWEB, PAGE_DIV_TABLE, PAGE_DL_TABLE, PAGE_ENGLISH_DATE,
                           PAGE_META_12H, PAGE_META_NULL, PAGE_UNDATED, PAGE_URL_ONLY)
from zwgk.demosite.model import Article, Column, SiteModel, site_model

# 机关代字 + bracketed year + serial + 号; any bracket pair (format faults still count in the series).
_DOCNO_RE = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]+)[〔\[［【（(](?P<year>\d{4})[〕\]］】）)]"
                       r"(?P<num>\d+)号$")
# GB/T 9704-2012 §7.2.5: year in full inside 〔〕, serial without leading zeros, then 号.
WELL_FORMED_DOCNO_RE = re.compile(r"^[\u4e00-\u9fff]+〔\d{4}〕[1-9]\d*号$")
_ANNUAL_REPORT_RE = re.compile(r"(\d{4})年政府信息公开工作年度报告")
# 检查指标 column classes: days without an update before a column counts as stale.
CLASS_DAYS = {"dynamic": 14, "notice": 180, "policy": 180, "personnel": 365, "plan": 365}
# The uniform format of the 年度报告 (国办公开办函〔2021〕30号), in order.
REPORT_SECTIONS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                   "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
DATE_CONFLICT_DAYS = 1  # |visible − PubDate meta| above this is a date_conflict


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


# The evidence extraction must report for each page variant (docs/extraction.md's date_source).
_VARIANT_SOURCE = {PAGE_META_12H: "meta", PAGE_META_NULL: "url", PAGE_URL_ONLY: "url",
                   PAGE_DL_TABLE: "infotable", PAGE_DIV_TABLE: "infotable",
                   PAGE_ENGLISH_DATE: "dateparser", PAGE_UNDATED: ""}


def shown_publish_date(a: Article) -> date | None:
    """The 发布日期 a reader can find for the article; None for the undated page (which the audit
    must treat as not updated: its list shows no date either)."""
    return None if a.spec.page == PAGE_UNDATED else a.published


def date_source(a: Article, column: Column) -> str:
    """Where the article page shows its publish date (crawler.extract's date_source)."""
    if a.spec.page in _VARIANT_SOURCE:
        return _VARIANT_SOURCE[a.spec.page]
    return "infotable" if column.style == HANWEB else "text"


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
    exempt = {(m.group("prefix"), int(m.group("year")), int(m.group("num")))
              for m in map(_DOCNO_RE.match, column.spec.docno_exempt) if m}
    for (prefix, year), numbers in sorted(series.items()):
        missing = [n for n in range(1, max(numbers) + 1)
                   if n not in numbers and (prefix, year, n) not in exempt]
        if missing:
            out.append({"item_id": item, "rule": "docno_gap",
                        "details": {"series_prefix": prefix, "year": year, "missing": missing}})
        for n, docs in sorted(numbers.items()):
            if len({d.title for d in docs}) > 1:
                out.append({"item_id": item, "rule": "docno_duplicate",
                            "details": {"series_prefix": prefix, "year": year, "number": n}})
    return out


def _column_findings(column: Column, as_of: date, model: SiteModel) -> list[dict[str, Any]]:
    spec = column.spec
    item = spec.item_id
    rel = column.path
    if spec.status != 200:
        return [{"item_id": item, "rule": "column_unreachable",
                 "details": {"column_url": rel, "status": spec.status}}]
    if not column.articles:
        return [{"item_id": item, "rule": "empty_column", "details": {"column_url": rel}}]
    out = _docno_findings(column)
    live = [a for a in column.live if shown_publish_date(a) is not None]  # undated = not updated
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
    live_all = live
    live = [a for a in live if a.published <= as_of]  # a future date is no update
    if spec.period:
        covered = {_period(a.published, spec.period) for a in live}
        first = min(a.published for a in live)
        for label in _closed_periods(first, spec.period, as_of):
            if label not in covered:
                out.append({"item_id": item, "rule": "period_missed", "details": {"period": label}})
    window = CLASS_DAYS[spec.column_class] if spec.column_class else spec.stale_days
    if window is not None:
        latest = max(a.published for a in live)
        if (as_of - latest).days > window:
            details = {"latest_publish_date": latest.isoformat(), "max_age_days": window}
            if spec.column_class:
                details["class"] = spec.column_class
            out.append({"item_id": item, "rule": "stale", "details": details})
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
        reports = sorted((a.published, a) for a in live
                         if (m := _ANNUAL_REPORT_RE.search(a.title)) and int(m.group(1)) == as_of.year - 1)
        if reports and reports[0][1].spec.omitted_sections:
            out.append({"item_id": item, "rule": "annual_report_incomplete", "details": {
                "year": as_of.year - 1, "missing_sections": [
                    s for s in REPORT_SECTIONS if s in reports[0][1].spec.omitted_sections]}})
    out.extend(_page_findings(column, live_all, as_of, model))
    return out


def _page_findings(column: Column, live: list[Article], as_of: date,
                   model: SiteModel) -> list[dict[str, Any]]:
    """Dates, body text, validity and 解读 of each page (every catalog item is 全文发布)."""
    item = column.spec.item_id
    out: list[dict[str, Any]] = []
    for a in column.live:
        if shown_publish_date(a) is None:
            out.append({"item_id": item, "rule": "date_missing",
                        "details": {"url": a.path, "list_date": None}})
        if not a.spec.body:
            out.append({"item_id": item, "rule": "content_missing", "details": {"url": a.path}})
    for a in live:
        if a.published > as_of:
            out.append({"item_id": item, "rule": "date_future",
                        "details": {"url": a.path, "publish_date": a.published.isoformat()}})
        if a.spec.meta_pubdate:
            meta = date.fromisoformat(a.spec.meta_pubdate[:10])
            days = abs((a.published - meta).days)
            if days > DATE_CONFLICT_DAYS:
                out.append({"item_id": item, "rule": "date_conflict", "details": {
                    "url": a.path, "publish_date": a.published.isoformat(),
                    "meta_publish_date": meta.isoformat(), "days": days}})
    if "规范性文件" not in column.spec.name:
        return out
    window = next(c.spec.interp_workdays for c in model.columns
                  if c.spec.interp_workdays is not None)
    explained = {b.policy.path for c in model.columns for b in c.live if b.policy is not None}
    for a in live:
        if not a.spec.validity:
            out.append({"item_id": item, "rule": "validity_missing", "details": {"url": a.path}})
        if a.spec.validity in ("失效", "废止") or a.path in explained:
            continue
        days = working_days(a.published, as_of)
        if days > window:
            out.append({"item_id": item, "rule": "interpretation_missing", "details": {
                "url": a.path, "publish_date": a.published.isoformat(), "working_days": days}})
    return out


def expected_findings(model: SiteModel | None = None) -> list[dict[str, Any]]:
    """Every seeded defect: {"item_id", "rule", "details"} with the findings.json detail keys
    (of the declared site, or of ``model``, e.g. ``variants.variant_model("fixed")``)."""
    model = model or site_model()
    out: list[dict[str, Any]] = []
    for column in model.columns:
        if column.spec.item_id is not None:
            out.extend(_column_findings(column, DEMO_AS_OF, model))
    return out


def clean_items(model: SiteModel | None = None) -> list[str]:
    """Catalog items with no seeded defect at all: none of them may get a fail."""
    model = model or site_model()
    flagged = {f["item_id"] for f in expected_findings(model)}
    return [c.spec.item_id for c in model.columns
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
                "publish_date": shown.isoformat() if (shown := shown_publish_date(a)) else None,
                "date_source": date_source(a, column),
                "page": a.spec.page,
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
           "shown_publish_date", "date_source",
           "WELL_FORMED_DOCNO_RE"]
