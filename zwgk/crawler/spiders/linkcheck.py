"""Links inside article bodies (and attachment links among them) checked each night.

Politely: once per URL per crawl, same-site links only (an outside host is not ours to load
each night, and tests stay on loopback), HEAD first and GET only when HEAD fails (servers that
refuse HEAD answer 405/501, some 403/404). A link that still answers ≥ 400, or not at all, is
recorded as a ``PageFactsItem`` of kind ``link`` with the page it was found on; the audit turns
it into ``broken_link`` with ``found_on`` (``audit.rules.inspection.body_broken_links``).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from zwgk.crawler.items import PageFactsItem

MAX_LINKS_PER_PAGE = 50
_PRIORITY = -5  # after articles and lists: a link check never delays the walk


def requests_for(spider: Any, walk: Any, page_url: str, links: list[tuple[str, str]],
                 same_site: Any) -> Iterator[scrapy.Request]:
    for url, _anchor in links[:MAX_LINKS_PER_PAGE]:
        url = url.split("#", 1)[0]
        if (not url.startswith(("http://", "https://")) or not same_site(url)
                or url in spider.links_checked or url in spider.scheduled):
            continue
        spider.links_checked.add(url)
        yield _request(spider, url, "HEAD", (walk.item_id, walk.column_url, page_url))


def _request(spider: Any, url: str, method: str, where: tuple[str, str, str]) -> scrapy.Request:
    """``where``: (item_id, column_url, found_on) of the page the link is on."""
    return scrapy.Request(url, method=method, callback=spider.link_checked,
                          errback=spider.link_failed, dont_filter=True, priority=_PRIORITY,
                          meta={"zwgk_link": where})


def _item(url: str, meta: dict[str, Any], status: int | None, error: str | None) -> PageFactsItem:
    item_id, column_url, found_on = meta["zwgk_link"]
    return PageFactsItem(url, "link", item_id, column_url,
                         {"status": status, "error": error, "found_on": found_on})


def checked(spider: Any, response: Response) -> Iterator[Any]:
    request = response.request
    if response.status < 400:
        return
    if request is not None and request.method == "HEAD":
        yield _request(spider, request.url, "GET", response.meta["zwgk_link"])
        return
    yield _item(request.url if request is not None else response.url, response.meta,
                response.status, "http_status")


def failed(spider: Any, failure: Failure) -> Iterator[Any]:
    from zwgk.crawler.spiders.columns import failure_reason

    request = failure.request
    status, reason = failure_reason(failure)
    if request.method == "HEAD" and status is None:
        yield _request(spider, request.url, "GET", request.meta["zwgk_link"])
        return
    if status is not None and status < 400:
        return
    yield _item(request.url, request.meta, status, reason)

