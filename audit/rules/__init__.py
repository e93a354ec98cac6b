"""Rule families. Every rule is a pure function

    rule(item: Item, articles: list[Article], columns: list[ColumnFetch], ctx: AuditContext)
        -> list[Finding]

over one catalog item's articles and column fetches; it returns [] when the item's ``Rules`` do
not enable it. Shared helpers live here so every family reads dates and broken pages the same way.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit

from audit.catalog import Item
from audit.model import Article, ColumnFetch
from audit.workdays import WorkCalendar

_TITLE_STRIP_RE = re.compile(r"[\s《》〈〉“”\"'‘’「」『』]+")


@dataclass(frozen=True)
class AuditContext:
    """What a rule may know beyond its own item: the audit date, the calendar and every crawled
    article (a 解读 must find the policy it explains in another item)."""

    as_of: date
    calendar: WorkCalendar
    all_articles: tuple[Article, ...] = field(default_factory=tuple)

    @cached_property
    def articles_by_url(self) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for a in self.all_articles:
            if not is_broken(a):
                out.setdefault(normalize_url(a.url), a)
        return out

    @cached_property
    def articles_by_title(self) -> dict[str, list[Article]]:
        out: dict[str, list[Article]] = {}
        for a in self.all_articles:
            key = normalize_title(a.title)
            if key and not is_broken(a):
                out.setdefault(key, []).append(a)
        return out


def is_broken(article: Article) -> bool:
    """An article page that answered >= 400 or not at all (0): a broken link, not evidence."""
    return article.http_status >= 400 or article.http_status == 0


def live(articles: list[Article]) -> list[Article]:
    return [a for a in articles if not is_broken(a)]


def freshness_date(article: Article) -> date | None:
    """The date used for "was the column updated": the article's own 发布日期, else the date
    shown next to it on the list page (both are visible to a reader)."""
    return article.publish_date or article.list_date


def normalize_url(url: str) -> str:
    """Scheme-less, fragment-less, lower-case host: the same page linked as http or https."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    return urlunsplit(("", host, parts.path or "/", parts.query, ""))


def normalize_title(title: str) -> str:
    """Compare titles across pages: NFKC, no whitespace, quotes or 书名号."""
    return _TITLE_STRIP_RE.sub("", unicodedata.normalize("NFKC", title or "")).lower()


def units_text(item: Item) -> str:
    """Who must act, for messages: the item's 责任单位."""
    return "、".join(item.units) if item.units else "责任单位"


def article_label(article: Article) -> str:
    return f"《{article.title}》" if article.title else article.url


def estimated_note(ctx: AuditContext, start: date, end: date) -> str:
    years = ctx.calendar.estimated_years(start, end)
    if not years:
        return ""
    return "（" + "、".join(map(str, years)) + "年尚无国务院放假安排，工作日按估算日历计算）"


def column_name(item: Item, column_url: str) -> str:
    for column in item.columns:
        if column.url == column_url and column.name:
            return column.name
    return item.name


__all__ = ["AuditContext", "is_broken", "live", "freshness_date", "normalize_url",
           "normalize_title", "units_text", "article_label", "estimated_note", "column_name",
           "Article", "ColumnFetch", "Item"]
