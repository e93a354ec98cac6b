"""The one spider: each catalog column's list pages (all pagination), then each article.

It yields items only; the store pipeline persists them. Column-level outcomes (status, pages,
entries, notes) are reported per list page so that a crawl killed half-way still leaves an
honest partial record.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectionDone, ConnectionLost, ConnectionRefusedError,
                                    DNSLookupError, TCPTimedOutError, TimeoutError)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.extract import extract_article
from crawler.items import ArticleItem, FetchErrorItem, ListingItem, ListPageItem
from crawler.listing import parse_list


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def failure_reason(failure: Failure) -> tuple[int | None, str]:
    """(status, reason) of a failed request, in the vocabulary of findings.json."""
    if failure.check(HttpError):
        return failure.value.response.status, "http_status"
    if failure.check(TimeoutError, TCPTimedOutError):
        return None, "timeout"
    if failure.check(DNSLookupError, ConnectionRefusedError, ConnectionDone, ConnectionLost,
                     ResponseNeverReceived):
        return None, "connection_error"
    name = type(failure.value).__name__
    if name == "IgnoreRequest" and "robots" in str(failure.value).lower():
        return None, "robots_disallowed"
    return None, f"{name}: {failure.getErrorMessage()}"[:300]


class ColumnsSpider(scrapy.Spider):
    name = "columns"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True}

    def __init__(self, columns: list[dict[str, Any]], as_of: str | None = None,
                 **kwargs: Any) -> None:
        """``columns``: dicts with item_id, url and optional selectors (from columns.yaml)."""
        super().__init__(**kwargs)
        self.columns = columns
        self.as_of = date.fromisoformat(as_of) if as_of else date.today()
        self.pages_seen: dict[tuple[str, str], int] = {}

    async def start(self) -> AsyncIterator[Any]:
        for item in self.start_requests():
            yield item

    def start_requests(self) -> Iterator[scrapy.Request]:
        for col in self.columns:
            key = (col["item_id"], col["url"])
            self.pages_seen[key] = 1
            yield scrapy.Request(col["url"], callback=self.parse_list, errback=self.list_failed,
                                 dont_filter=True, meta=self._meta(col, first=True))

    @staticmethod
    def _meta(col: dict[str, Any], first: bool) -> dict[str, Any]:
        return {"item_id": col["item_id"], "column_url": col["url"],
                "selectors": col.get("selectors") or {}, "first": first}

    # --- list pages ----------------------------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        col = {"item_id": meta["item_id"], "url": meta["column_url"], "selectors": meta["selectors"]}
        if response.status >= 400:
            yield ListPageItem(meta["item_id"], meta["column_url"], response.url, meta["first"],
                               response.status, "http_status")
            yield FetchErrorItem(response.url, response.status, "http_status")
            return
        if not isinstance(response, TextResponse) or not response.body.strip():
            yield ListPageItem(meta["item_id"], meta["column_url"], response.url, meta["first"],
                               response.status, "empty_body" if not response.body.strip()
                               else "not_html")
            return
        page = parse_list(response.text, response.url, selectors=meta["selectors"] or None)
        notes = list(page.notes)
        site = origin(meta["column_url"])
        offsite = 0
        for entry in page.entries:
            yield ListingItem(meta["item_id"], meta["column_url"], entry.url, entry.title,
                              entry.date.isoformat() if entry.date else None, response.url)
            if urlsplit(entry.url).scheme not in ("http", "https") or origin(entry.url) != site:
                offsite += 1
                continue
            yield response.follow(entry.url, callback=self.parse_article,
                                  errback=self.article_failed,
                                  meta={"selectors": meta["selectors"], "listed_url": entry.url})
        if offsite:
            notes.append(f"{offsite} entries link outside the site and were not fetched")
        key = (meta["item_id"], meta["column_url"])
        for url in page.next_urls:
            if origin(url) != site:
                continue
            if self.pages_seen[key] >= self.settings.getint("ZWGK_MAX_PAGES_PER_COLUMN", 50):
                notes.append(f"pagination_capped: stopped after {self.pages_seen[key]} list pages")
                break
            self.pages_seen[key] += 1
            yield scrapy.Request(url, callback=self.parse_list, errback=self.list_failed,
                                 meta=self._meta(col, first=False))
        yield ListPageItem(meta["item_id"], meta["column_url"], response.url, meta["first"],
                           response.status, None, len(page.entries), notes)

    def list_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        status, reason = failure_reason(failure)
        yield ListPageItem(request.meta["item_id"], request.meta["column_url"], request.url,
                           request.meta["first"], status, reason)
        yield FetchErrorItem(request.url, status, reason)

    # --- articles ------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        # Stored under the URL the list gave, so a redirect does not orphan the listing.
        url = response.meta.get("listed_url", response.url)
        if response.status >= 400:
            yield ArticleItem(url, response.status, "http_status")
            return
        if not isinstance(response, TextResponse):
            # An attachment (PDF, DOC) listed directly: it exists, its date is the list's.
            yield ArticleItem(url, response.status, None)
            return
        try:
            fields = extract_article(response.text, response.url, as_of=self.as_of,
                                     selectors=response.meta.get("selectors") or None)
        except Exception as exc:  # an extractor bug must not turn a live page into a broken link
            self.logger.error("extraction failed on %s: %r", response.url, exc)
            yield ArticleItem(url, response.status, f"extract_error: {exc!r}"[:300])
            return
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        yield ArticleItem(
            url=url, http_status=response.status, title=fields.title,
            publish_date=iso(fields.publish_date), date_source=fields.date_source,
            written_date=iso(fields.written_date), written_source=fields.written_source,
            doc_number=fields.doc_number, validity=fields.validity,
            meta_publish_date=iso(fields.meta_publish_date), body_text=fields.body_text[:20000],
            links=list(fields.links)[:200],
        )

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        status, reason = failure_reason(failure)
        url = failure.request.meta.get("listed_url", failure.request.url)
        yield ArticleItem(url, status or 0, reason)
        yield FetchErrorItem(failure.request.url, status, reason)
