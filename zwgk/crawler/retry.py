"""Retries that back off: a government server answering 429 or 5xx is asking us to slow down.

Scrapy's RetryMiddleware re-queues a failed request at once. This one waits first: the server's
``Retry-After`` when it sends one (seconds or an HTTP date), else ``ZWGK_RETRY_BACKOFF`` seconds
doubled on each attempt (capped at ``ZWGK_RETRY_BACKOFF_MAX``). A ``Retry-After`` longer than
``ZWGK_RETRY_AFTER_MAX`` is not waited for: the request is given up at once and reported (a
nightly run must end). Waiting happens off the reactor's thread of work (an async sleep), so other
requests go on meanwhile. The number of retries a request used is left in
``request.meta["retry_times"]`` for the spider to report.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.task import deferLater

_SECONDS_RE = re.compile(r"^\s*(\d{1,9})\s*$")


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (RFC 9110 §10.2.3), None when absent or
    unreadable; a date in the past means 0."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    m = _SECONDS_RE.match(text)
    if m:
        return float(m.group(1))
    try:
        when = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


async def _sleep(seconds: float) -> None:
    if seconds > 0:
        # Imported here: importing the reactor at module level would install Twisted's default
        # one before Scrapy installs the asyncio reactor.
        from twisted.internet import reactor

        await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class BackoffRetryMiddleware(RetryMiddleware):
    """Drop-in replacement for Scrapy's RetryMiddleware (same settings, plus the backoff)."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("ZWGK_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("ZWGK_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("ZWGK_RETRY_AFTER_MAX", 120.0)

    def _pause(self, request: Request, retry_after: float | None) -> float:
        attempt = int(request.meta.get("retry_times", 0))  # retries already made
        pause = min(self.backoff * (2 ** attempt), self.backoff_max)
        return max(pause, retry_after or 0.0)

    async def process_response(self, request: Request, response: Response,  # type: ignore[override]
                               spider: Any = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        if retry_after is not None and retry_after > self.retry_after_max:
            request.meta["zwgk_retry_given_up"] = (
                f"Retry-After {retry_after:.0f} s is longer than {self.retry_after_max:.0f} s")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await _sleep(self._pause(request, retry_after))
        return retry

    async def process_exception(self, request: Request, exception: Exception,  # type: ignore[override]
                                spider: Any = None) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        await _sleep(self._pause(request, None))
        return retry
