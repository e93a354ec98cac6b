"""robots.txt obeyed for every request, including the ones that arrive while it is being fetched.

Why: Scrapy 2.19's RobotsTxtMiddleware lets every request that waits for a site's robots.txt
await the same Deferred through ``Deferred.asFuture``. ``asFuture`` consumes the result: the
first waiter gets the parser, every other one gets ``None`` — "no robots.txt", so allowed. A
crawl starts all its columns at once, so every column but one skipped robots.txt (found by
tests/test_faults.py: a disallowed column was fetched in about one run of three). Here each
waiter gets its own Deferred, fed from the shared one without consuming it.
"""
from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as _ScrapyRobots
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class RobotsTxtMiddleware(_ScrapyRobots):
    """Scrapy's middleware with the shared-Deferred fix (same settings, same behaviour)."""

    async def robot_parser(self, request: Request) -> Any:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):
            mine: Deferred = Deferred()

            def relay(result: Any) -> Any:
                mine.callback(result)
                return result  # left for the next waiter

            pending.addBoth(relay)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)
