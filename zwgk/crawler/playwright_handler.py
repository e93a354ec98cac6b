"""scrapy-playwright's download handler, started on first use (crawler/render.py says when).

Why a subclass: the stock handler starts Playwright (a Node driver process) when the engine
starts, so every crawl of a site with ``render: auto`` would pay for it even when no page needs
the browser. Kept apart from render.py so a crawl imports Playwright only when the handler is
configured.
"""
from __future__ import annotations

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, starting Playwright on the first request that needs the
    browser instead of when the engine starts: a crawl that renders nothing pays nothing."""

    async def _maybe_launch_in_thread(self) -> None:  # engine_started (Scrapy >= 2.14)
        return None

    def _engine_started(self):  # engine_started (older Scrapy)
        from twisted.internet import defer

        return defer.succeed(None)

    async def _download_request(self, request, spider=None):
        if getattr(self, "browser_provider", None) is None:
            async with self.browser_launch_lock:
                if getattr(self, "browser_provider", None) is None:
                    await self._launch()
        return await super()._download_request(request, spider)
