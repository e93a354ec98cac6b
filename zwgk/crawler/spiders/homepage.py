"""The home page read each night for 首页不更新 (检查指标): the dates it shows.

A home page that lists dated entries is judged by them; a navigation-only home page (no dated
entry at all) is judged, as the 检查指标 says, by its second-level columns: the same-site pages
it links to are read as lists (at most ``MAX_COLUMNS``) and their dates recorded. The judgement
is ``audit.rules.inspection.homepage_stale``; this module only collects.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import etree, html as lxml_html
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from zwgk.crawler.items import PageFactsItem
from zwgk.crawler.listing import parse_list
from zwgk.crawler.pagefacts import page_facts

MAX_COLUMNS = 30   # second-level pages read from a navigation-only home page
MAX_DATES = 200    # dates kept per page (newest first)
_PRIORITY = 5


def request(url: str, spider: Any) -> scrapy.Request:
    """The home page request; the spider's ``parse_home`` / ``home_failed`` call back here."""
    return scrapy.Request(url, callback=spider.parse_home, errback=spider.home_failed,
                          dont_filter=True, priority=_PRIORITY, meta={"zwgk_home": url})


def _dates(html: str, url: str) -> list[str]:
    page = parse_list(html, url)
    found = sorted({e.date.isoformat() for e in page.entries if e.date is not None}, reverse=True)
    return found[:MAX_DATES]


def _same_site_links(html: str, url: str) -> list[str]:
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    host = urlsplit(url).netloc
    out: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            absolute = urljoin(url, href).split("#", 1)[0]
        except ValueError:
            continue
        if (urlsplit(absolute).netloc == host and absolute.startswith(("http://", "https://"))
                and absolute not in out and absolute.rstrip("/") != url.rstrip("/")):
            out.append(absolute)
        if len(out) >= MAX_COLUMNS:
            break
    return out


def _html(response: Response) -> str | None:
    if response.status >= 400 or not isinstance(response, TextResponse):
        return None
    from zwgk.crawler.spiders.columns import _text  # one decoder for every page

    return _text(response)


def parse_home(response: Response, spider: Any) -> Iterator[Any]:
    url = response.meta["zwgk_home"]
    html = _html(response)
    if html is None:
        yield PageFactsItem(url, "home", facts={"status": response.status, "dates": []})
        return
    facts = page_facts(html, response.url).to_json()
    dates = _dates(html, response.url)
    columns = [] if dates else _same_site_links(html, response.url)
    yield PageFactsItem(url, "home", facts={**facts, "status": response.status, "dates": dates,
                                            "columns": columns})
    for link in columns:
        yield scrapy.Request(link, callback=spider.parse_home_column, errback=spider.home_failed,
                             dont_filter=True,
                             priority=_PRIORITY, meta={"zwgk_home_column": link, "zwgk_home": url})


def parse_column(response: Response) -> Iterator[Any]:
    html = _html(response)
    dates = _dates(html, response.url) if html is not None else []
    yield PageFactsItem(response.meta["zwgk_home_column"], "home_column",
                        column_url=response.meta["zwgk_home"],
                        facts={"status": response.status, "dates": dates})


def failed(failure: Failure) -> Iterator[Any]:
    from zwgk.crawler.spiders.columns import failure_reason

    meta = failure.request.meta
    status, reason = failure_reason(failure)
    if "zwgk_home_column" in meta:
        yield PageFactsItem(meta["zwgk_home_column"], "home_column", column_url=meta["zwgk_home"],
                            facts={"status": status, "error": reason, "dates": []})
    else:
        yield PageFactsItem(meta["zwgk_home"], "home",
                            facts={"status": status, "error": reason, "dates": []})
