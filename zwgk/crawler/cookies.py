"""A bounded cookie jar per site.

Why: a site may answer one column with hundreds of ``Set-Cookie`` headers. Scrapy's jar keeps
them all and sends them back on every later request to that host; past the server's header limit
every other column then answers 431 (Request Header Fields Too Large) and is reported
unreachable — a false ``column_unreachable`` caused by the site's own junk. Government pages need
at most a session cookie or a WAF token, so this middleware, placed just after Scrapy's
CookiesMiddleware, keeps a response's first ``ZWGK_MAX_SET_COOKIES`` cookies (each at most
``ZWGK_MAX_COOKIE_BYTES``) and never sends a Cookie header longer than ``ZWGK_MAX_COOKIE_HEADER``
bytes (whole cookies, in the jar's order). What is dropped is counted in the crawl stats.
"""
from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response

DEFAULT_MAX_SET_COOKIES = 20
DEFAULT_MAX_COOKIE_BYTES = 4096
DEFAULT_MAX_COOKIE_HEADER = 4096


class BoundedCookiesMiddleware:
    """Runs after CookiesMiddleware on requests (sees the Cookie header it built) and before it
    on responses (trims Set-Cookie before the jar stores them)."""

    def __init__(self, stats: Any, max_set: int, max_bytes: int, max_header: int) -> None:
        self.stats = stats
        self.max_set = max_set
        self.max_bytes = max_bytes
        self.max_header = max_header

    @classmethod
    def from_crawler(cls, crawler: Any) -> "BoundedCookiesMiddleware":
        s = crawler.settings
        return cls(crawler.stats, s.getint("ZWGK_MAX_SET_COOKIES", DEFAULT_MAX_SET_COOKIES),
                   s.getint("ZWGK_MAX_COOKIE_BYTES", DEFAULT_MAX_COOKIE_BYTES),
                   s.getint("ZWGK_MAX_COOKIE_HEADER", DEFAULT_MAX_COOKIE_HEADER))

    def _dropped(self, key: str, n: int) -> None:
        if n and self.stats is not None:
            self.stats.inc_value(f"zwgk/cookies_{key}", n)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        header = request.headers.get("Cookie")
        if not header or len(header) <= self.max_header:
            return None
        kept: list[bytes] = []
        size = 0
        parts = header.split(b"; ")
        for part in parts:
            if size + len(part) + 2 > self.max_header:
                break
            kept.append(part)
            size += len(part) + 2
        self._dropped("not_sent", len(parts) - len(kept))
        if kept:
            request.headers["Cookie"] = b"; ".join(kept)
        else:
            del request.headers["Cookie"]
        return None

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        cookies = response.headers.getlist("Set-Cookie")
        if not cookies:
            return response
        kept = [c for c in cookies if len(c) <= self.max_bytes][: self.max_set]
        if len(kept) < len(cookies):
            self._dropped("ignored", len(cookies) - len(kept))
            response.headers.setlist("Set-Cookie", kept)
        return response


__all__ = ["BoundedCookiesMiddleware"]
