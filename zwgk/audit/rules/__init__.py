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
from functools import cached_property, lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from zwgk.audit.catalog import AuditSettings, Item, rules_from_deadline
from zwgk.audit.findings import SOURCES
from zwgk.audit.model import Article, ColumnFetch
from zwgk.audit.workdays import WorkCalendar
from zwgk.grammar.docnumber import parse_doc_numbers, prefix_of

_TITLE_STRIP_RE = re.compile(r"[\s《》〈〉“”\"'‘’「」『』]+")
# A page that explains a policy: 解读, 图解, 一图读懂, 答记者问.
INTERPRETATION_TITLE_RE = re.compile(r"解读|图解|一图读懂|答记者问|问答")
BOOK_TITLE_RE = re.compile(r"《([^《》]{2,150})》")


@dataclass(frozen=True)
class AuditContext:
    """What a rule may know beyond its own item: the audit date, the calendar and every crawled
    article (a 解读 must find the policy it explains in another item)."""

    as_of: date
    calendar: WorkCalendar
    all_articles: tuple[Article, ...] = field(default_factory=tuple)
    settings: AuditSettings = field(default_factory=AuditSettings)
    # Items whose articles are 解读 (the catalog's 政策解读 items): their pages explain policies.
    interpretation_items: frozenset[str] = frozenset()
    # Status of URLs the crawler fetched besides articles (attachments): normalized URL -> status.
    link_status: dict[str, int] = field(default_factory=dict)
    # 条例第四十九条: "department" (annual report due 1月31日) or "government" (3月31日).
    agency_level: str = "department"

    @property
    def since(self) -> date:
        """The audit window's first day (``site.audit.since``, default 1 January of last year)."""
        return self.settings.window_start(self.as_of)

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


    def __post_init__(self) -> None:
        # Callers may pass URLs as crawled; lookups use the normalized form.
        object.__setattr__(self, "link_status",
                           {normalize_url(u): s for u, s in self.link_status.items()})

    @cached_property
    def articles_by_book(self) -> dict[str, list[Article]]:
        """Documents by the 《name》 their title carries ("关于印发《X办法》的通知" -> X办法);
        解读 pages are left out: they quote the name of what they explain."""
        out: dict[str, list[Article]] = {}
        for a in self.all_articles:
            if is_broken(a) or INTERPRETATION_TITLE_RE.search(a.title or ""):
                continue
            for book in BOOK_TITLE_RE.findall(a.title or ""):
                out.setdefault(normalize_title(book), []).append(a)
        return out

    @cached_property
    def interpretations(self) -> dict[str, Article]:
        """Normalized URL of every crawled policy that has a 解读 -> (the earliest) 解读.

        A 解读 is an article of a 解读 item, or any article titled 解读/图解/一图读懂; its policy
        is found as interpretation_late finds it. A policy page linking to a 解读 counts too."""
        from zwgk.audit.rules.lag import find_policy  # lag imports this module

        out: dict[str, Article] = {}
        explainers = [a for a in self.all_articles if not is_broken(a)
                      and (a.item_id in self.interpretation_items
                           or INTERPRETATION_TITLE_RE.search(a.title or ""))]
        for a in sorted(explainers, key=lambda x: (x.publish_date or date.max, x.url)):
            policy = find_policy(a, self)
            if policy is not None:
                out.setdefault(normalize_url(policy.url), a)
        explainer_urls = {normalize_url(a.url): a for a in explainers}
        for a in self.all_articles:
            for url, _anchor in a.links:
                found = explainer_urls.get(normalize_url(url))
                if found is not None and found.url != a.url:
                    out.setdefault(normalize_url(a.url), found)
        return out


def is_broken(article: Article) -> bool:
    """An article page that answered >= 400 or not at all (0): a broken link, not evidence."""
    return article.http_status >= 400 or article.http_status == 0


def live(articles: list[Article]) -> list[Article]:
    return [a for a in articles if not is_broken(a)]


def freshness_date(article: Article, as_of: date | None = None) -> date | None:
    """The date used for "was the column updated": the article's own 发布日期, else the date
    shown next to it on the list page (both are visible to a reader). A date after ``as_of`` is
    no evidence of an update (date_future reports it), so it counts as no date."""
    found = article.publish_date or article.list_date
    if found is not None and as_of is not None and found > as_of:
        return None
    return found


_INDEX_PAGE_RE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.IGNORECASE)
# URL_CACHE_SIZE: every rule and index asks for the same articles' URLs; parsing each once per
# process (not once per rule and item) took ~8 s off a 100k-article audit (issue 16).
URL_CACHE_SIZE = 1 << 18
# An http(s) URL of the everyday shape (ASCII host, optional port, no whitespace or control
# characters), split by one regex: urlsplit's properties cost a fifth of a 50k-article audit.
# Anything else goes through urlsplit; tests check both give the same answers.
_PLAIN_URL_RE = re.compile(r"(?i:https?)://([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?"
                           r"(/[^?#\s\x00-\x1f\x7f]*)?(?:\?([^#\s\x00-\x1f\x7f]*))?"
                           r"(?:#[^\s\x00-\x1f\x7f]*)?")


def split_url(url: str) -> tuple[str, int | None, str, str]:
    """(lower-case host, port or None, path, query) as ``urllib.parse.urlsplit`` reads them."""
    m = _PLAIN_URL_RE.fullmatch(url)
    if m is not None and (m.group(2) is None or int(m.group(2)) <= 65535):
        port = m.group(2)
        return m.group(1).lower(), int(port) if port else None, m.group(3) or "", m.group(4) or ""
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port, parts.path, parts.query


@lru_cache(maxsize=URL_CACHE_SIZE)
def normalize_url(url: str) -> str:
    """One document, one identity: the same page linked as http or https, with or without
    ``www.``, as ``dir/`` or ``dir/index.html``, with its query parameters in any order, with or
    without a fragment. Scheme-less, lower-case host. Cached: a pure function of the string,
    asked for the same URLs by many rules."""
    host, port, path, query = split_url(url.strip())
    if host.startswith("www."):
        host = host[4:]
    if port and port not in (80, 443):
        host += f":{port}"
    path = _INDEX_PAGE_RE.sub("/", path or "/")
    query = urlencode(sorted(parse_qsl(query, keep_blank_values=True))) if query else ""
    return urlunsplit(("", host, path, query, ""))


def in_window(article: Article, ctx: AuditContext) -> bool:
    """Published on or after the audit window's start (``site.audit.since``). Lag, 文号 and
    解读 rules judge only such documents; older ones remain evidence for freshness rules."""
    published = article.publish_date or article.list_date
    return published is not None and published >= ctx.since


def own_document(item: Item, article: Article) -> bool:
    """False for a forwarded document: the item names its 文号 series (``doc_series``) and none
    of the article's numbers is in them. Such a document is the other agency's: its number's
    format, its lag and its place in a series are not the item's to answer for."""
    if not item.doc_series or not article.doc_number:
        return True
    wanted = {prefix_of(p) for p in item.doc_series}
    return any(d.prefix in wanted for d in parse_doc_numbers(article.doc_number))


def judged(item: Item, article: Article, ctx: AuditContext) -> bool:
    """A document the lag and 解读 rules judge: in the window and the item's own."""
    return in_window(article, ctx) and own_document(item, article)


def normalize_title(title: str) -> str:
    """Compare titles across pages: NFKC, no whitespace, quotes or 书名号."""
    return _TITLE_STRIP_RE.sub("", unicodedata.normalize("NFKC", title or "")).lower()


def units_text(item: Item) -> str:
    """Who must act, for messages: the item's 责任单位."""
    return "、".join(item.units) if item.units else "责任单位"


def article_label(article: Article) -> str:
    return f"《{article.title}》" if article.title else article.url


def is_estimated(ctx: AuditContext, start: date, end: date) -> bool:
    """True when a working-day count over (start, end] touches a year without official data."""
    return bool(ctx.calendar.estimated_years(start, end))


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


def catalog_source(item: Item, rule: str, field_name: str, extra: str = "") -> str:
    """The source of a threshold: the item's own 公开时限, quoted, when it is what set the
    threshold; else the explicit ``rules:`` of columns.yaml; ``extra`` names a law behind it."""
    derived = rules_from_deadline(item.deadline)
    if item.deadline and derived is not None and getattr(derived, field_name) == getattr(
            item.rules, field_name):
        own = f"责任分工公开时限“{item.deadline}”"
    elif field_name == "interpretation_missing_workdays":
        return SOURCES[rule]
    else:
        own = f"columns.yaml 中事项 {item.id} 的 rules 配置"
    return own + (f"；{extra}" if extra else "")


def path_of(url: str) -> str:
    """The URL without scheme and host: what identifies a page across hosts (history keys)."""
    parts = urlsplit(url.strip())
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


__all__ = ["AuditContext", "is_broken", "live", "freshness_date", "normalize_url",
           "normalize_title", "units_text", "article_label", "estimated_note", "is_estimated",
           "column_name", "path_of", "catalog_source", "in_window", "own_document", "judged",
           "split_url", "INTERPRETATION_TITLE_RE", "Article", "ColumnFetch", "Item"]
