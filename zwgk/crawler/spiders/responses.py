"""What a response, or a failed request, tells the spider: its text, a header, the reason."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadFailedError,
                               DownloadTimeoutError, ResponseDataLossError)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectionDone, ConnectionLost, ConnectionRefusedError,
                                    DNSLookupError, TCPTimedOutError, TimeoutError)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from zwgk.crawler.extract import decode_html
from zwgk.crawler.sitehosts import OFFSITE, OFFSITE_REDIRECT

# Scrapy's DOWNLOAD_MAXSIZE message: "Expected to receive N bytes …" (Content-Length) or
# "Received N bytes …" (no length announced).
_MAXSIZE_RE = re.compile(r"(?:Expected to receive|Received) (\d+) bytes")
# "(20405 B compressed, 16842752 B decompressed so far)"
_INFLATED_RE = re.compile(r"(\d+) b decompressed")
CREDENTIALS = "credentials_in_url"


def has_credentials(url: str) -> bool:
    """A URL carrying user:pass@ — never requested: a list must not make us send (or leak)
    credentials, and the site's own links never need them."""
    parts = urlsplit(url)
    return parts.username is not None or parts.password is not None


def failure_reason(failure: Failure) -> tuple[int | None, str]:
    """(status, reason) of a failed request, in the vocabulary of findings.json."""
    if failure.check(HttpError):
        return failure.value.response.status, "http_status"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return None, "timeout"
    if failure.check(DownloadCancelledError):
        # DOWNLOAD_MAXSIZE: the page is too large to read (a trap or a mistake), not missing.
        m = _MAXSIZE_RE.search(failure.getErrorMessage())
        return None, f"page_too_large: {m.group(1) if m else '?'} bytes"
    if failure.check(DNSLookupError, ConnectionRefusedError, ConnectionDone, ConnectionLost,
                     ResponseNeverReceived, DownloadFailedError, DownloadConnectionRefusedError,
                     CannotResolveHostError, ResponseDataLossError):
        return None, "connection_error"
    name = type(failure.value).__name__
    message = str(failure.value).lower()
    if name == "IgnoreRequest" and message.startswith((OFFSITE_REDIRECT, OFFSITE)):
        return None, message.split(":", 1)[0]  # SiteHostsMiddleware: not the site's host
    if name == "IgnoreRequest" and "robots" in message:
        return None, "robots_disallowed"
    if name == "IgnoreRequest" and "download_maxsize" in message:
        # HttpCompressionMiddleware: a gzip/deflate/br bomb inflating past DOWNLOAD_MAXSIZE.
        m = _INFLATED_RE.search(message)
        return None, f"page_too_large: {m.group(1) if m else '?'} bytes"
    if name == "IgnoreRequest" and "redirect" in message:
        return None, "redirect_loop"  # RedirectMiddleware: "max redirections reached"
    return None, f"{name}: {failure.getErrorMessage()}"[:300]


def response_text(response: TextResponse) -> str:
    """The body as text, decoded with detection and replacement (a GBK page labelled UTF-8,
    invalid byte runs, NUL bytes): never raises, unlike trusting the declared charset."""
    ctype = response.headers.get("Content-Type")
    return decode_html(response.body, ctype.decode("latin-1") if ctype else None)


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    if not value:
        return None
    text = value.decode("latin-1").strip()
    return text[:200] or None
