"""The audit: (catalog, crawled articles, column fetches, as-of date, calendar) -> ItemResults.

Pure: no HTTP, no SQL, no clock (the as-of date is a parameter, so an audit can be replayed).
Every item gets the universal checks (columns, links, 文号); the date rules run when the item's
``Rules`` enable them — each rule function checks that itself and returns [] otherwise.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

from zwgk.audit.catalog import Config, Item
from zwgk.audit.findings import RULES, SEVERITY_ORDER, Finding, ItemResult, item_status
from zwgk.audit.model import Article, ColumnFetch
from zwgk.audit.rules import AuditContext, freshness_date, live, normalize_url
from zwgk.audit.rules.annual import annual_report_incomplete, annual_report_late
from zwgk.audit.rules.columns import (broken_link, column_unreachable, column_unreadable,
                                      empty_column, page_too_large, pagination_capped,
                                      robots_disallowed)
from zwgk.audit.rules.catalog import deadline_unparsed
from zwgk.audit.rules.dates import date_conflict, date_future, date_future_unverified, date_missing
from zwgk.audit.rules.docseries import doc_series
from zwgk.audit.rules.documents import content_missing, interpretation_missing, validity_missing
from zwgk.audit.rules.lag import interpretation_late, meeting_late, publish_lag
from zwgk.audit.rules.periods import period_missed, stale
from zwgk.audit.workdays import WorkCalendar

Rule = Callable[[Item, list[Article], list[ColumnFetch], AuditContext], list[Finding]]

# Order only matters for ties in the report; findings are sorted by severity, then rule.
RULE_FUNCTIONS: tuple[Rule, ...] = (
    deadline_unparsed,                                          # the catalog itself
    column_unreachable, empty_column, broken_link,              # universal
    column_unreadable,                                          # universal (never 空白栏目)
    robots_disallowed, pagination_capped, page_too_large,       # universal (crawl faults)
    doc_series,                                                 # universal (series when configured)
    date_missing, date_future, date_future_unverified, date_conflict,  # universal
    content_missing,                                            # 公开方式 全文发布
    publish_lag, interpretation_late, meeting_late,             # Rules-enabled
    interpretation_missing, validity_missing,
    period_missed, stale, annual_report_late, annual_report_incomplete,
)

_RULE_RANK = {name: i for i, name in enumerate(RULES)}


def _unique_by_url(articles: list[Article]) -> list[Article]:
    """One record per document (an article listed twice in a column, in two of its columns, or
    under http and https): the first of each normalized URL."""
    seen: set[str] = set()
    out: list[Article] = []
    for a in articles:
        key = normalize_url(a.url)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _sort_key(f: Finding) -> tuple[int, int]:
    return (SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)), _RULE_RANK.get(f.rule, len(RULES)))


def audit_item(item: Item, articles: list[Article], columns: list[ColumnFetch],
               ctx: AuditContext) -> ItemResult:
    articles = _unique_by_url(articles)
    findings: list[Finding] = []
    for rule in RULE_FUNCTIONS:
        findings.extend(rule(item, articles, columns, ctx))
    findings.sort(key=_sort_key)  # stable: a rule's own order survives
    current = live(articles)
    dates = [d for a in current if (d := freshness_date(a, ctx.as_of)) is not None]
    reachable = any(c.reachable for c in columns)
    return ItemResult(item_id=item.id, name=item.name, units=item.units,
                      status=item_status(findings, reachable),
                      latest_publish_date=max(dates) if dates else None,
                      article_count=len(current), findings=tuple(findings))


def build_context(config: Config, articles: list[Article], columns: list[ColumnFetch],
                  as_of: date, calendar: WorkCalendar | None = None,
                  link_status: dict[str, int] | None = None,
                  ) -> tuple[AuditContext, dict[str, list[Article]], dict[str, list[ColumnFetch]]]:
    """The shared context of an audit, and the articles and column fetches by item."""
    interpretation_items = frozenset(
        it.id for it in config.items
        if it.rules.interpretation_late_workdays is not None or it.kind == "interpretation")
    ctx = AuditContext(as_of=as_of, calendar=calendar or WorkCalendar(),
                       all_articles=tuple(articles), settings=config.site.audit,
                       interpretation_items=interpretation_items,
                       agency_level=config.site.agency_level,
                       # keyed as the rules look them up (http/https, default ports as one)
                       link_status={normalize_url(u): s for u, s in (link_status or {}).items()})
    by_item: dict[str, list[Article]] = {}
    for a in articles:
        by_item.setdefault(a.item_id, []).append(a)
    fetches: dict[str, list[ColumnFetch]] = {}
    for c in columns:
        fetches.setdefault(c.item_id, []).append(c)
    return ctx, by_item, fetches


def run_audit(config: Config, articles: list[Article], columns: list[ColumnFetch], as_of: date,
              calendar: WorkCalendar | None = None,
              link_status: dict[str, int] | None = None) -> list[ItemResult]:
    """Audit every catalog item, in catalog order.

    ``link_status``: status of other URLs the crawler fetched (attachments), by URL."""
    ctx, by_item, fetches = build_context(config, articles, columns, as_of, calendar, link_status)
    return [audit_item(item, by_item.get(item.id, []), fetches.get(item.id, []), ctx)
            for item in config.items]


__all__ = ["run_audit", "audit_item", "build_context", "RULE_FUNCTIONS"]
