"""The one spider: each catalog column's list pages, then each article — incrementally.

It yields items only; the store pipeline persists them. Column-level outcomes (status, pages,
entries, notes) are reported per list page so that a crawl killed half-way still leaves an
honest partial record.

Incremental walk (docs/crawling.md). ``state`` (``Store.crawl_state``) says which articles each
column's list showed in earlier finished crawls and which articles are stored. A column is walked
in one of two ways:

- ``full``: every list page the readers announce is requested at once (first crawl of a column,
  ``--full``, and the periodic re-walk every ``revalidate_days``);
- ``incremental``: list pages are requested one after another, in page order, and the walk stops
  after the first page whose entries are all known — even when a reader announced every page
  from page 1 (TRS ``createPageHTML``, Hanweb record ranges, ``共N页`` totals).

A listed article is fetched when it is new, when its last fetch failed, or when it is due for
revalidation (then with ``If-None-Match`` / ``If-Modified-Since`` where the server gave
validators); otherwise it is skipped by URL. Due articles of a column that tonight's walk does not
reach are revalidated too. A resumed run never fetches an article it already stored.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from zwgk.grammar.asof import site_today
from zwgk.grammar.privacy import redact
from zwgk.crawler.challenge import is_challenge, skipped_links
from zwgk.crawler.extract import extract_article
from zwgk.crawler.items import (ArticleItem, AttachmentItem, FetchErrorItem, ListingItem,
                               ListPageItem, NotModifiedItem, PageFactsItem)
from zwgk.crawler.listing import parse_list
from zwgk.crawler.pagefacts import page_facts
from zwgk.crawler.render import needs_render, set_site
from zwgk.crawler.sitehosts import OFFSITE, OFFSITE_REDIRECT, SiteHosts
from zwgk.crawler.spiders import homepage, linkcheck
from zwgk.crawler.spiders.attachments import AttachmentSteps
from zwgk.crawler.spiders.responses import (CREDENTIALS, failure_reason, has_credentials, header,
                                             response_text)
from zwgk.crawler.spiders.rendering import RenderSteps
from zwgk.crawler.store import CrawlState, KnownArticle

# Scheduling order: articles already found before more list pages (keeps the request queue, and
# memory, small on a large site), revalidations of known articles last.
_PRIORITY_ARTICLE, _PRIORITY_LIST, _PRIORITY_REVALIDATE = 10, 0, -10
__all__ = ["ColumnsSpider", "ColumnWalk", "failure_reason", "due_fraction", "is_due"]
_PAGE_STRIDE = 10000  # position = page number * stride + rank on the page
REJECTED = "rejected"  # date_source of a page showing a 发布日期 that cannot be right


def due_fraction(key: str) -> float:
    """A stable number in [0.5, 1) per URL: revalidations of articles first crawled the same
    night spread over the second half of the period instead of all falling due at once."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=4).digest()
    return 0.5 + int.from_bytes(digest, "big") / 2 ** 33


def is_due(key: str, last: str | None, days: int, now: datetime) -> bool:
    """Whether something last confirmed at ``last`` (UTC ISO) needs checking again tonight."""
    if days <= 0 or not last:
        return True
    try:
        then = datetime.fromisoformat(last)
    except ValueError:
        return True
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    return (now - then).total_seconds() >= days * 86400 * due_fraction(key)


@dataclass
class ColumnWalk:
    """One column's walk through its list pages, and its statistics (stored with the run)."""

    item_id: str
    column_url: str
    selectors: dict[str, str]
    walk: str                              # full | incremental
    known: frozenset[str] = frozenset()    # entries earlier lists showed
    requested: set[str] = field(default_factory=set)       # list pages asked for
    queue: list[tuple[int, str]] = field(default_factory=list)  # found, not yet asked (incremental)
    lists_in_flight: int = 0
    articles_in_flight: int = 0
    stop_reason: str | None = None          # end | known | capped | error
    capped: bool = False
    unqueued: int = 0                       # further pages announced beyond the cap's reach
    first_failed: bool = False
    stats: Counter = field(default_factory=Counter)

    @property
    def key(self) -> tuple[str, str]:
        return self.item_id, self.column_url

    @property
    def walk_done(self) -> bool:
        return self.stop_reason is not None and self.lists_in_flight == 0

    @property
    def done(self) -> bool:
        return self.walk_done and self.articles_in_flight == 0

    @property
    def complete(self) -> bool:
        """Every list page read, to the list's natural end."""
        return self.stop_reason == "end" and not self.stats["list_errors"]

    def report(self) -> dict[str, Any]:
        reason = self.stop_reason or "error"
        if reason == "end" and self.stats["list_errors"]:
            reason = "error"  # reached the end, but some list page could not be read
        return {"item_id": self.item_id, "column_url": self.column_url, "walk": self.walk,
                "stop_reason": reason, "complete": self.complete,
                "capped": self.capped, "stats": dict(self.stats)}


class ColumnsSpider(RenderSteps, AttachmentSteps, scrapy.Spider):
    name = "columns"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}
    list_priority, article_priority = _PRIORITY_LIST, _PRIORITY_ARTICLE

    def __init__(self, columns: list[dict[str, Any]], as_of: str | None = None,
                 state: CrawlState | None = None, **kwargs: Any) -> None:
        """``columns``: dicts with item_id, url and optional selectors (from columns.yaml);
        ``state``: what earlier crawls know (None: nothing, a first crawl)."""
        super().__init__(**kwargs)
        self.columns = columns
        self.as_of = date.fromisoformat(as_of) if as_of else site_today()
        self.state = state or CrawlState()
        self.walks: dict[tuple[str, str], ColumnWalk] = {}
        self.scheduled: set[str] = set()  # article URLs requested (one request per URL)
        self.links_checked: set[str] = set()  # body links checked tonight (linkcheck)
        self.now = datetime.now(timezone.utc)
        self.site_hosts: SiteHosts | None = None  # set at start (SiteHostsMiddleware reads it)
        self.browser_cookies: dict[str, str] = {}  # earned by the browser (a challenge passed)
        self.chromium_said = False
        self.attachments_read: dict[str, AttachmentItem] = {}  # by link URL, this crawl
        # attachments being fetched -> the (walk, article, files left) that wait for them
        self.attachments_waiting: dict[str, list[tuple[ColumnWalk, ArticleItem, list[str]]]] = {}

    # --- settings --------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        return self.settings.getbool("ZWGK_FULL")

    @property
    def revalidate_days(self) -> int:
        return self.settings.getint("ZWGK_REVALIDATE_DAYS", 30)

    @property
    def render_mode(self) -> str:
        return self.settings.get("ZWGK_RENDER", "auto")

    @property
    def chromium(self) -> str:
        return self.settings.get("ZWGK_CHROMIUM", "")

    @property
    def max_pages(self) -> int:
        return self.settings.getint("ZWGK_MAX_PAGES_PER_COLUMN", 50)

    def _entry_cap(self, walk: ColumnWalk, found: int, notes: list[str]) -> tuple[int, bool]:
        """How many of a page's ``found`` entries to read, and whether the column's cap is now
        reached (what is left is counted, noted and reported as pagination_capped)."""
        per_page = self.settings.getint("ZWGK_MAX_ENTRIES_PER_PAGE", 1000)
        per_column = self.settings.getint("ZWGK_MAX_ENTRIES_PER_COLUMN", 20000)
        room = max(per_column - walk.stats["entries"], 0)
        take = min(found, per_page, room)
        if take < found:
            walk.capped = True
            walk.stats["entries_capped"] += found - take
            notes.append(f"entries_capped: the page lists {found} entries, {take} read (at most "
                         f"{per_page} a page, {per_column} a column)")
        return take, take < found and take == room

    # --- start ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for item in self.start_requests():
            yield item

    def start_requests(self) -> Iterator[scrapy.Request]:
        base = self.settings.get("ZWGK_BASE_URL")
        self.site_hosts = SiteHosts.of([*([base] if base else []), *(c["url"] for c in self.columns)],
                                       self.settings.getlist("ZWGK_SITE_HOSTS"))
        set_site(self.site_hosts)  # the browser's requests obey it too
        for col in self.columns:
            key = (col["item_id"], col["url"])
            if key in self.walks:
                continue
            known = frozenset(self.state.listed.get(key, ()))
            last_walk = self.state.last_complete_walk.get(key)
            full_walk = (self.full or not known
                         or is_due("walk " + col["url"], last_walk, self.revalidate_days, self.now))
            walk = ColumnWalk(col["item_id"], col["url"], dict(col.get("selectors") or {}),
                              "full" if full_walk else "incremental", known)
            self.walks[key] = walk
            walk.requested.add(col["url"])
            if has_credentials(col["url"]):  # reported, never requested
                yield from self._list_error(walk, col["url"], {"first": True}, None, CREDENTIALS)
                continue
            walk.lists_in_flight += 1
            yield self._list_request(walk, col["url"], 0, first=True)
        home = self.settings.get("ZWGK_HOMEPAGE")
        if home:
            yield homepage.request(home, self)
        if self.full:
            return
        # Known articles due for a check that tonight's walks may not reach.
        for walk in self.walks.values():
            for url in sorted(self.state.present.get(walk.key, ())):
                known = self.state.articles.get(url)
                if known is not None and known.ok and not known.this_run:
                    request = self._article_request(walk, url, revalidation_only=True)
                    if request is not None:
                        yield request

    def _list_request(self, walk: ColumnWalk, url: str, page_no: int,
                      first: bool = False) -> scrapy.Request:
        walk.stats["list_pages"] += 1
        meta = {"col": walk.key, "page_no": page_no, "first": first}
        if first and self.render_mode == "always" and self.chromium:
            walk.stats["render_requests"] += 1
            meta.update({**self._browser_meta(), "zwgk_render_why": "always"})
            return scrapy.Request(url, callback=self.parse_rendered, errback=self.render_failed,
                                  dont_filter=True, priority=_PRIORITY_LIST, meta=meta,
                                  cookies=self.browser_cookies or None)
        return scrapy.Request(url, callback=self.parse_list, errback=self.list_failed,
                              dont_filter=True, priority=_PRIORITY_LIST, meta=meta,
                              cookies=self.browser_cookies or None)

    # --- list pages -------------------------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        walk = self.walks[meta["col"]]
        walk.lists_in_flight -= 1
        if is_challenge(response.status, response.body):
            # A WAF's JavaScript challenge (瑞数 and the like), whatever its status: the list is
            # behind it — not empty. The browser may pass it (render: auto); else unreadable.
            render = self._render_request(walk, response, "challenge")
            if render is not None:
                yield render
                return
            yield from self._list_error(walk, response.url, meta, response.status, "challenge")
            return
        if response.status >= 400:
            yield from self._list_error(walk, response.url, meta, response.status, "http_status")
            return
        if not isinstance(response, TextResponse) or not response.body.strip():
            reason = "empty_body" if not response.body.strip() else "not_html"
            walk.stats["list_errors"] += 1
            walk.first_failed = walk.first_failed or meta["first"]
            yield ListPageItem(walk.item_id, walk.column_url, response.url, meta["first"],
                               response.status, reason)
            yield from self._continue(walk, True, [])
            return
        html = response_text(response)
        if b"html" in (response.headers.get("Content-Type") or b"text/html").lower():
            # (an XML record feed such as Hanweb's dataproxy.jsp is no web page: no tags due)
            yield PageFactsItem(response.url, "list", walk.item_id, walk.column_url,
                                page_facts(html, response.url).to_json())
        page = parse_list(html, response.url, selectors=walk.selectors or None)
        why = needs_render(response.status, response.body, len(page.entries), page.notes)
        if why is not None:
            render = self._render_request(walk, response, why)
            if render is not None:
                yield render
                return
        walk.stats["retries"] += int(meta.get("retry_times", 0))
        yield from self._read_list(walk, meta, response.url, response.status, html, page,
                                   meta["page_no"], list(page.notes))

    def _read_list(self, walk: ColumnWalk, meta: dict[str, Any], url: str, status: int,
                   html: str, page: Any, page_no: int, notes: list[str],
                   cookies: dict[str, str] | None = None, follow: bool = True) -> Iterator[Any]:
        """One read list page (plain or rendered): its entries, its articles, its next pages.
        ``follow``: queue the next pages it links to (not after a browser walk, which clicked
        through them already)."""
        unsafe = skipped_links(html)  # file:, javascript:, data: … links, never followed
        site = self.site_hosts
        offsite = 0
        fresh = False
        take, column_full = self._entry_cap(walk, len(page.entries), notes)
        for rank, entry in enumerate(page.entries[:take]):
            yield ListingItem(walk.item_id, walk.column_url, entry.url, redact(entry.title),
                              entry.date.isoformat() if entry.date else None, url,
                              page_no * _PAGE_STRIDE + rank)
            if entry.url not in walk.known:
                fresh = True
                walk.stats["new_entries"] += 1
            walk.stats["entries"] += 1
            if site is not None and not site.allows(entry.url):
                offsite += 1
                continue
            if has_credentials(entry.url):
                unsafe += 1
                continue
            request = self._article_request(walk, entry.url, cookies=cookies)
            if request is not None:
                yield request
        if offsite or unsafe:
            walk.stats["offsite"] += offsite
            walk.stats["unsafe_links"] += unsafe
            notes.append(f"{offsite + unsafe} links lead outside the site and were not fetched "
                         f"({offsite} to another origin, {unsafe} file:/javascript:/data: or user:pass@ "
                         f"links; site.hosts admits further hosts)")
        queued = {u for _, u in walk.queue}
        room = self.max_pages + 1 - len(walk.requested) - len(queued)  # a trap announces 100,000
        for offset, next_url in enumerate(page.next_urls if follow else ()):
            if room <= 0:
                walk.unqueued = max(walk.unqueued, len(page.next_urls) - offset)
                break
            if next_url in walk.requested or next_url in queued or has_credentials(next_url) or \
                    (site is not None and not site.allows(next_url)):
                continue
            walk.queue.append((page_no + 1 + offset, next_url))
            queued.add(next_url)
            room -= 1
        walk.queue.sort()
        if column_full and walk.stop_reason is None:
            walk.stop_reason = "capped"
            walk.queue.clear()
        requests = list(self._continue(walk, fresh, notes))
        yield ListPageItem(walk.item_id, walk.column_url, url, meta["first"] and page_no == meta["page_no"],
                           status, None, len(page.entries), notes)
        yield from requests

    def _continue(self, walk: ColumnWalk, fresh: bool, notes: list[str]) -> Iterator[scrapy.Request]:
        """Request the next list page(s), or end the walk. ``fresh``: the page just read held an
        entry no earlier list showed (or could not be read, so it may have)."""
        if walk.stop_reason is not None:
            return
        if walk.walk == "incremental" and walk.lists_in_flight == 0 and walk.queue and not fresh:
            walk.stop_reason = "known"
            walk.queue.clear()
            return
        take = len(walk.queue) if walk.walk == "full" else (1 if walk.lists_in_flight == 0 else 0)
        while take > 0 and walk.queue:
            if len(walk.requested) >= self.max_pages:
                walk.capped = True
                walk.stop_reason = "capped"
                notes.append(f"pagination_capped: stopped after {len(walk.requested)} list pages "
                             f"({len(walk.queue) + walk.unqueued} more announced)")
                walk.queue.clear()
                return
            page_no, url = walk.queue.pop(0)
            walk.requested.add(url)
            walk.lists_in_flight += 1
            take -= 1
            yield self._list_request(walk, url, page_no)
        if walk.lists_in_flight == 0 and not walk.queue:
            walk.stop_reason = "end"

    def _list_error(self, walk: ColumnWalk, url: str, meta: dict[str, Any], status: int | None,
                    reason: str) -> Iterator[Any]:
        walk.stats["list_errors"] += 1
        walk.first_failed = walk.first_failed or meta["first"]
        retries = int(meta.get("retry_times", 0))
        notes = list(meta.get("zwgk_notes", ()))
        if retries:
            walk.stats["retries"] += retries
            notes.append(f"{url}: {'HTTP ' + str(status) if status else reason} after {retries} "
                         f"retries")
        if meta.get("zwgk_retry_given_up"):
            notes.append(f"{url}: not retried, {meta['zwgk_retry_given_up']}")
        requests = list(self._continue(walk, True, notes))
        yield ListPageItem(walk.item_id, walk.column_url, url, meta["first"], status, reason,
                           0, notes)
        yield FetchErrorItem(url, status, reason)
        yield from requests

    def list_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        walk = self.walks[request.meta["col"]]
        walk.lists_in_flight -= 1
        status, reason = failure_reason(failure)
        if reason in (OFFSITE_REDIRECT, OFFSITE):
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            request.meta.setdefault("zwgk_notes", []).append(
                f"{first} redirects to {request.url}, outside the site: not requested "
                f"(site.hosts admits further hosts)")
            yield from self._list_error(walk, first, request.meta, status, reason)
            return
        yield from self._list_error(walk, request.url, request.meta, status, reason)

    # --- articles ---------------------------------------------------------------------------

    def _article_request(self, walk: ColumnWalk, url: str, revalidation_only: bool = False,
                         cookies: dict[str, str] | None = None) -> scrapy.Request | None:
        """The request for a listed article, or None when it need not be fetched tonight."""
        if url in self.scheduled:
            return None
        known: KnownArticle | None = self.state.articles.get(url)
        headers: dict[str, str] = {}
        priority = _PRIORITY_ARTICLE
        if known is not None and known.this_run:
            walk.stats["skipped_stored_tonight"] += 1
            return None
        if known is not None and known.ok and not self.full:
            if not is_due(url, known.validated_at, self.revalidate_days, self.now):
                if not revalidation_only:
                    walk.stats["skipped_known"] += 1
                return None
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            walk.stats["revalidations"] += 1
            priority = _PRIORITY_REVALIDATE
        elif revalidation_only:
            return None
        self.scheduled.add(url)
        walk.articles_in_flight += 1
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              headers=headers or None, dont_filter=True, priority=priority,
                              cookies=cookies or None,
                              meta={"col": walk.key, "listed_url": url})

    def _article_done(self, meta: dict[str, Any]) -> ColumnWalk:
        walk = self.walks[meta["col"]]
        walk.articles_in_flight -= 1
        retries = int(meta.get("retry_times", 0))
        if retries:
            walk.stats["retries"] += retries
        return walk

    def parse_article(self, response: Response) -> Iterator[Any]:
        # Stored under the URL the list gave, so a redirect does not orphan the listing.
        url = response.meta.get("listed_url", response.url)
        walk = self._article_done(response.meta)
        if response.status == 304:
            walk.stats["not_modified"] += 1
            yield NotModifiedItem(url)
            return
        if response.status >= 400:
            walk.stats["article_errors"] += 1
            yield ArticleItem(url, response.status, "http_status")
            return
        walk.stats["articles_fetched"] += 1
        validators = {"etag": header(response, "ETag"),
                      "last_modified": header(response, "Last-Modified")}
        if not isinstance(response, TextResponse):
            # An attachment (PDF, DOC) listed directly: it exists, its date is the list's.
            yield ArticleItem(url, response.status, None, **validators)
            return
        html = response_text(response)
        try:
            fields = extract_article(html, response.url, as_of=self.as_of,
                                     selectors=walk.selectors or None)
        except Exception as exc:  # an extractor bug must not turn a live page into a broken link
            self.logger.error("extraction failed on %s: %r", response.url, exc)
            yield ArticleItem(url, response.status, f"extract_error: {exc!r}"[:300])
            return
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        # Personal data is counted (masked) in the page's facts and masked in what is stored.
        yield PageFactsItem(url, "article", walk.item_id, walk.column_url,
                            page_facts(html, response.url).to_json())
        article = ArticleItem(
            url=url, http_status=response.status, title=redact(fields.title),
            publish_date=iso(fields.publish_date),
            # No date of its own but a visible one we could not use: say "rejected", not "".
            date_source=fields.date_source or (REJECTED if fields.rejected_publish_date else ""),
            written_date=iso(fields.written_date), written_source=fields.written_source,
            doc_number=fields.doc_number, validity=fields.validity,
            meta_publish_date=iso(fields.meta_publish_date), body_text=redact(fields.body_text[:20000]),
            rejected_publish_date=fields.rejected_publish_date, body_status=fields.body_status,
            links=list(fields.links)[:200], **validators,
        )
        files = self._attachments_to_read(article)
        # Attachments fetched to be read are checked by that fetch (their status feeds
        # broken_link): the link check leaves them alone, so each URL is requested once a night.
        site = self.site_hosts
        yield from linkcheck.requests_for(self, walk, url, list(fields.links),
                                          lambda u: u not in files and u not in self.attachments_read
                                          and (site is None or site.allows(u)))
        if not files:
            yield article
            return
        # The article waits for its attachments: what they show fills what the page lacks.
        walk.articles_in_flight += 1
        yield from self._next_attachment(walk, article, files)

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        status, reason = failure_reason(failure)
        walk = self._article_done(failure.request.meta)
        walk.stats["article_errors"] += 1
        url = failure.request.meta.get("listed_url", failure.request.url)
        yield ArticleItem(url, status or 0, reason)
        yield FetchErrorItem(failure.request.url, status, reason)

    # --- home page (检查指标: 首页不更新) --------------------------------------------------------

    def parse_home(self, response: Response) -> Iterator[Any]:
        yield from homepage.parse_home(response, self)

    def parse_home_column(self, response: Response) -> Iterator[Any]:
        yield from homepage.parse_column(response)

    def home_failed(self, failure: Failure) -> Iterator[Any]:
        yield from homepage.failed(failure)

    def link_checked(self, response: Response) -> Iterator[Any]:
        yield from linkcheck.checked(self, response)

    def link_failed(self, failure: Failure) -> Iterator[Any]:
        yield from linkcheck.failed(self, failure)

    # --- reporting --------------------------------------------------------------------------

    def column_reports(self) -> list[dict[str, Any]]:
        """Each column's walk outcome and statistics (the runner stores them with the run)."""
        return [walk.report() for walk in self.walks.values()]
