"""Crawl progress on stderr: a live status line on a terminal, plain log lines under cron.

Why an extension: it watches the crawl (signals, the spider's column walks, Scrapy's stats)
without the spider knowing it is watched. ``ZWGK_PROGRESS``: ``auto`` (a live line when stderr is
a terminal, else a log line every ``ZWGK_PROGRESS_INTERVAL`` seconds and one at the end), ``tty``,
``log`` or ``off``.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

_TTY_INTERVAL = 0.5


class CrawlProgress:
    def __init__(self, crawler: Any, mode: str, interval: float, stream: TextIO | None = None) -> None:
        self.crawler = crawler
        self.stream = stream or sys.stderr
        if mode == "auto":
            isatty = getattr(self.stream, "isatty", None)
            mode = "tty" if isatty is not None and isatty() else "log"
        self.mode = mode
        self.interval = _TTY_INTERVAL if mode == "tty" else max(1.0, interval)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.spider: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "CrawlProgress":
        mode = crawler.settings.get("ZWGK_PROGRESS", "auto")
        if mode not in ("auto", "tty", "log"):
            raise NotConfigured
        ext = cls(crawler, mode, crawler.settings.getfloat("ZWGK_PROGRESS_INTERVAL", 60.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider: Any) -> None:
        self.spider = spider
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider: Any, reason: str) -> None:
        """The final numbers are the stored run summary's (runstats.summary_line, printed by
        whoever stored it): this line only clears the live one, or says why the crawl stopped."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if reason != "finished":
            self._write(self.line() + f" [{reason}]", final=True)
        elif self.mode == "tty":
            self._write("")

    def tick(self) -> None:
        self._write(self.line())

    def counts(self) -> dict[str, int]:
        walks = list(getattr(self.spider, "walks", {}).values())
        total: Counter = Counter()
        for w in walks:
            total.update(w.stats)
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return {
            "columns": len(getattr(self.spider, "columns", ())) or len(walks),
            "columns_done": sum(1 for w in walks if w.done),
            "pages": total["list_pages"],
            "articles": total["articles_fetched"] + total["not_modified"],
            "skipped": total["skipped_known"] + total["skipped_stored_tonight"],
            "errors": total["list_errors"] + total["article_errors"],
            "requests": int(stats.get("downloader/request_count", 0)),
        }

    def line(self) -> str:
        """So far: requests made, not the run's totals (those are stored at the end)."""
        c = self.counts()
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (f"zwgk crawling: columns {c['columns_done']}/{c['columns']} walked · list pages "
                f"requested {c['pages']} · articles fetched {c['articles']} (skipped {c['skipped']} "
                f"known) · failed fetches {c['errors']} · "
                f"{c['requests']} requests in {elapsed:.0f} s ({c['requests'] / elapsed:.0f}/s)")

    def _write(self, line: str, final: bool = False) -> None:
        try:
            if self.mode == "tty":
                self.stream.write("\r\x1b[K" + line + ("\n" if final else ""))
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr must not stop the crawl
            pass
