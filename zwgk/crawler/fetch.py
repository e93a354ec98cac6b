"""One page fetched outside a crawl (``zwgk extract URL``), under the crawl's rules.

Why not plain ``urllib.urlopen``: it follows any redirect (another port of the auditing machine,
an intranet host) and a server that trickles its body a byte at a time holds it for as long as it
likes, after which a partial body would be used silently. Here every redirect must stay on the
site (crawler/sitehosts.py: the URL's own origin; no widening, a single page is an article), the
whole fetch has one deadline, the body a size cap, and a cut or late body is an error, never
half a page.
"""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from zwgk.crawler.sitehosts import OFFSITE_REDIRECT, SiteHosts

_CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not be fetched; ``reason`` in the crawl's vocabulary (offsite_redirect,
    timeout, page_too_large, http_status, connection_error)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    url: str          # after redirects (within the site)
    status: int
    body: bytes
    content_type: str | None


class _SiteRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, site: SiteHosts) -> None:
        self.site = site

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib API
        if not self.site.allows(newurl):
            raise FetchError(OFFSITE_REDIRECT, f"{req.full_url} redirects to {newurl}, outside "
                                               f"the site: not requested")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, site: SiteHosts, user_agent: str, deadline: float, max_bytes: int) -> Fetched:
    opener = urllib.request.build_opener(_SiteRedirects(site))
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    timeout = max(0.1, deadline - time.monotonic())
    try:
        resp = opener.open(request, timeout=timeout)  # noqa: S310 - http(s) only, checked
    except urllib.error.HTTPError as exc:
        raise FetchError("http_status", f"HTTP {exc.code} from {url}") from None
    with resp:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError("page_too_large", f"{declared} bytes announced (cap {max_bytes})")
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"{url}: body not complete within the deadline "
                                            f"({size} bytes read, not used)")
            chunk = resp.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("page_too_large", f"more than {max_bytes} bytes")
            chunks.append(chunk)
        if declared and declared.isdigit() and size < int(declared):
            raise FetchError("connection_error", f"{url}: body cut at {size} of {declared} bytes")
        return Fetched(resp.geturl(), resp.status, b"".join(chunks),
                       resp.headers.get("Content-Type"))


def fetch_page(url: str, *, user_agent: str, deadline_seconds: float = 30.0,
               max_bytes: int = 16 * 1024 * 1024, site: SiteHosts | None = None) -> Fetched:
    """GET ``url`` within ``deadline_seconds`` overall (connect, headers, body): redirects only
    within ``site`` (default: the URL's own origin). Raises FetchError."""
    site = site or SiteHosts.of([url])
    if not site.allows(url):
        raise FetchError("offsite", f"{url} is not an http(s) URL of the site")
    deadline = time.monotonic() + deadline_seconds
    result: list[Fetched] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(_fetch(url, site, user_agent, deadline, max_bytes))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            error.append(exc)

    # A thread: a server can trickle its headers too, which no socket timeout bounds.
    worker = threading.Thread(target=run, daemon=True, name="zwgk-fetch")
    worker.start()
    worker.join(deadline_seconds + 0.5)
    if worker.is_alive():
        raise FetchError("timeout", f"{url}: no complete answer within {deadline_seconds:g} s")
    if error:
        exc = error[0]
        if isinstance(exc, FetchError):
            raise exc
        if isinstance(exc, (TimeoutError, OSError)) and "timed out" in str(exc):
            raise FetchError("timeout", f"{url}: {exc}") from None
        if isinstance(exc, (OSError, ValueError)):
            raise FetchError("connection_error", f"{url}: {exc}") from None
        raise exc
    return result[0]


__all__ = ["FetchError", "Fetched", "fetch_page"]
