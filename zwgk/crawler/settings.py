"""Scrapy settings for zwgk: defaults as commented constants, overridden per site from the
``site:`` block of columns.yaml by :func:`settings_for_site`.

Politeness first: a government server is not ours to hammer. The defaults are deliberately slow
(1 s delay, 2 requests in flight, AutoThrottle); the demo and tests pass delay 0 on loopback.
"""
from __future__ import annotations

from typing import Any

from zwgk.crawler.render import chromium_path, render_settings

BOT_NAME = "zwgk"
SPIDER_MODULES = ["zwgk.crawler.spiders"]

# Identify ourselves with a contact, as public-sector crawling etiquette asks.
USER_AGENT = "zwgk/0.1 (+https://github.com/zwgk/zwgk; disclosure audit)"
ROBOTSTXT_OBEY = True

# Politeness: per-domain concurrency and delay; AutoThrottle adapts the delay to server latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# 检查指标: a request that fails at 15 s counts as the site being unreachable.
DOWNLOAD_TIMEOUT = 15
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retries back off (crawler/retry.py): Retry-After when the server sends one, else 1 s, 2 s, 4 s …
# (site.retry_backoff doubled per attempt, at most 60 s); a Retry-After above 120 s is not waited
# for — the page is reported instead, a nightly run must end.
ZWGK_RETRY_BACKOFF = 1.0
ZWGK_RETRY_BACKOFF_MAX = 60.0
ZWGK_RETRY_AFTER_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    # Every request, redirects included, stays on the site's hosts (crawler/sitehosts.py); before
    # robots.txt, so a foreign host's robots.txt is not asked for either.
    "zwgk.crawler.sitehosts.SiteHostsMiddleware": 50,
    # Scrapy's robots.txt middleware lets requests that wait for robots.txt through (crawler/robots.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "zwgk.crawler.robots.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "zwgk.crawler.retry.BackoffRetryMiddleware": 550,
    # A Set-Cookie flood from one column must not make the others answer 431 (crawler/cookies.py).
    "zwgk.crawler.cookies.BoundedCookiesMiddleware": 701,
}
ZWGK_MAX_SET_COOKIES = 20         # cookies kept from one response
ZWGK_MAX_COOKIE_BYTES = 4096      # a longer Set-Cookie is ignored
ZWGK_MAX_COOKIE_HEADER = 4096     # bytes of Cookie header sent at most
# A government article is never 20 MB; anything larger is a trap or a mistake.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 10

# Nightly runs are unattended: no telnet console, quiet logs unless asked.
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
COOKIES_ENABLED = True
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {"zwgk.crawler.pipelines.StorePipeline": 300}
# Items of one response handled in parallel. Scrapy starts this many asyncio tasks for every
# callback's output (default 100); our pipeline is synchronous, so more than a few is pure
# overhead — a third of the CPU of a large crawl at the default.
CONCURRENT_ITEMS = 4
# Scrapy re-reads a generator callback's source on every response to warn about `return value`
# (its cache is keyed on bound methods, new each time): ~10 % of a large crawl's CPU for nothing.
WARN_ON_GENERATOR_RETURN_VALUE = False
# The pipeline commits items in batches (one transaction each): at most this many items or this
# many seconds of work are redone when a crawl is killed.
ZWGK_BATCH_ITEMS = 500
ZWGK_BATCH_SECONDS = 2.0

# Progress on stderr: a live line on a terminal, a plain log line every interval under cron.
EXTENSIONS = {"zwgk.crawler.extensions.CrawlProgress": 500}
ZWGK_PROGRESS = "auto"  # auto | tty | log | off
ZWGK_PROGRESS_INTERVAL = 60.0  # seconds between log lines when stderr is not a terminal

# How many list pages one column may have before we stop (pagination traps).
ZWGK_MAX_PAGES_PER_COLUMN = 50
# How many entries one list page, and one column, may give (a hostile list of 250,000 links a
# page queued 1.25 M requests at 1 GB RSS). Real list pages show 15-100 entries, real columns a
# few thousand; the rest is reported like the page cap (pagination_capped).
ZWGK_MAX_ENTRIES_PER_PAGE = 1000
ZWGK_MAX_ENTRIES_PER_COLUMN = 20000
# Incremental nightly runs (docs/crawling.md): a known article is re-checked, and a column's list
# read to its end, about once per this many days; ZWGK_FULL re-reads and re-fetches everything.
ZWGK_REVALIDATE_DAYS = 30
ZWGK_FULL = False
# The site (crawler/sitehosts.py): its configured address, and further hosts ``site.hosts`` vouches
# for (host or host:port).
ZWGK_BASE_URL = ""
ZWGK_SITE_HOSTS: list[str] = []
# The browser (crawler/render.py): auto | never | always, and the Chromium binary ("" = none).
ZWGK_RENDER = "auto"
ZWGK_CHROMIUM = ""


def settings_for_site(site: Any, *, db_path: str, run_id: int, as_of: str,
                      download_delay: float | None = None, full: bool = False) -> dict[str, Any]:
    """Module defaults overlaid with a ``catalog.Site``; ``download_delay`` overrides the site's;
    ``full`` turns the incremental shortcuts off."""
    delay = site.download_delay if download_delay is None else download_delay
    settings = {k: v for k, v in globals().items() if k.isupper()}
    settings.update({
        "USER_AGENT": site.user_agent,
        "ROBOTSTXT_OBEY": site.obey_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": site.concurrency,
        "DOWNLOAD_DELAY": delay,
        # delay 0 means "no delay and no throttling" (loopback demo, tests).
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1),
        "DOWNLOAD_TIMEOUT": site.timeout,
        "RETRY_TIMES": site.retries,
        "ZWGK_MAX_PAGES_PER_COLUMN": site.max_pages_per_column,
        "ZWGK_REVALIDATE_DAYS": getattr(site, "revalidate_days", ZWGK_REVALIDATE_DAYS),
        "ZWGK_RETRY_BACKOFF": getattr(site, "retry_backoff", ZWGK_RETRY_BACKOFF),
        "ZWGK_FULL": full,
        "ZWGK_BASE_URL": site.base_url,
        "ZWGK_SITE_HOSTS": list(getattr(site, "hosts", ())),
        "ZWGK_DB_PATH": db_path,
        "ZWGK_RUN_ID": run_id,
        "ZWGK_AS_OF": as_of,
    })
    mode = getattr(site, "render", "auto")
    executable = chromium_path() if mode != "never" else None
    settings.update({"ZWGK_RENDER": mode, "ZWGK_CHROMIUM": executable or ""})
    settings.update(render_settings(mode, executable))
    return settings
