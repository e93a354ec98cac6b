"""Where a spot-check may fetch: only the hosts of configured sites, over http(s).

A supervisor pastes a URL into a form; the console must never become a proxy into the intranet.
So a URL is allowed only when its scheme is http or https and its origin belongs to a configured
site: the site's ``base_url`` and each entry of ``site.hosts`` when the catalog has one (an
explicit port allows that port only; without one, the scheme's default port, http and https of
one host being one origin since sites move from http to https on the same host).

The origins are the crawler's (``zwgk.crawler.sitehosts``: one URL grammar for the crawl and the
console), compared more strictly: hosts as written after lower-casing and IDNA encoding, without
folding the loopback names (``127.1``, ``localhost`` and ``::1`` are not ``127.0.0.1``), and no
redirect ever widens them. URLs with user info, backslashes, whitespace or control characters
are refused outright (browsers and servers parse them differently).

Three guards use the one rule (``refusal``): the console refuses a request before queueing it;
``preflight`` follows the column URL's redirects hop by hop without ever requesting a hop that
leaves the allowed hosts; and ``EgressGuard``, a Scrapy downloader middleware placed before
robots.txt handling, drops any request of the crawl itself (article links, redirects, robots.txt)
that leaves them, in the crawl's own vocabulary (``offsite`` / ``offsite_redirect``), so the
audit words it as it words the crawler's own refusals.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from zwgk.crawler.sitehosts import OFFSITE, OFFSITE_REDIRECT, SiteHosts, parse_host_entry

PREFLIGHT_MAX_HOPS = 10
PREFLIGHT_TIMEOUT = 10.0
# Scrapy setting read by EgressGuard: the allowed origins as ``host[:port]`` entries.
SETTING = "ZWGK_ALLOWED_ORIGINS"


class EgressRefused(ValueError):
    """A URL a spot-check may not fetch; the message says why, for the 400 answer."""


def allowed_origins(sites: Iterable[Any]) -> SiteHosts:
    """The origins of these catalog ``Site`` records (base_url and site.hosts)."""
    out = SiteHosts(fold_loopback=False)
    for site in sites:
        out.origins |= SiteHosts.of([site.base_url], [str(e) for e in
                                                      getattr(site, "hosts", None) or ()],
                                    fold_loopback=False).origins
    return out


def origins_from_entries(entries: Iterable[str]) -> SiteHosts:
    """The allowed origins back from ``SiteHosts.entries()`` (a setting, a stored request)."""
    site = SiteHosts(fold_loopback=False)
    site.origins = {parse_host_entry(e, fold_loopback=False) for e in entries}
    return site


def refusal(url: str, origins: SiteHosts) -> str | None:
    """Why ``url`` may not be fetched, or None when it may."""
    if not isinstance(url, str) or not url.strip():
        return "no URL given"
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in url.strip()):
        return "the URL contains spaces, control characters or backslashes"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"only http and https URLs are checked, not {parts.scheme or 'a relative URL'!r}"
    if not parts.hostname:
        return "the URL has no host"
    if parts.username is not None or parts.password is not None:
        return "URLs with a user name or password are not checked"
    if not origins.allows(url.strip()):
        where = parts.hostname + (f":{port}" if port else "")
        return (f"{where} is not a host of a configured site: a spot-check fetches only the "
                "configured sites' own hosts")
    return None


def require_allowed(url: str, origins: SiteHosts) -> None:
    reason = refusal(url, origins)
    if reason:
        raise EgressRefused(f"{url!r}: {reason}")


@dataclass(frozen=True)
class Preflight:
    final_url: str
    hops: int
    reachable: bool  # False: the host did not answer (the check itself will report it)


async def preflight(url: str, origins: SiteHosts, *, user_agent: str,
                    timeout: float = PREFLIGHT_TIMEOUT,
                    transport: httpx.AsyncBaseTransport | None = None) -> Preflight:
    """Follow ``url``'s redirects one hop at a time, checking every Location before requesting it.
    Raises EgressRefused when a hop leaves the allowed hosts; an unreachable host is not refused
    here (the spot-check reports it like ``zwgk check`` does)."""
    require_allowed(url, origins)
    async with httpx.AsyncClient(follow_redirects=False, timeout=timeout, transport=transport,
                                 headers={"User-Agent": user_agent}) as client:
        current = url
        for hop in range(PREFLIGHT_MAX_HOPS + 1):
            try:
                response = await client.get(current)
            except httpx.HTTPError:
                return Preflight(current, hop, False)
            location = response.headers.get("location")
            if not response.is_redirect or not location:
                return Preflight(current, hop, True)
            target = urljoin(current, location)
            reason = refusal(target, origins)
            if reason:
                raise EgressRefused(f"{url!r} redirects to {target!r}: {reason}")
            current = target
    raise EgressRefused(f"{url!r}: more than {PREFLIGHT_MAX_HOPS} redirects")


class EgressGuard:
    """Scrapy downloader middleware: drop every request whose URL ``refusal`` rejects, before
    robots.txt is asked for and before any connection opens. The refusal reads as the crawler's
    own (``offsite_redirect`` for a redirect, else ``offsite``), so the spider records the dropped
    URL as a fetch error and the audit says it was not followed, never that the page is broken."""

    def __init__(self, origins: SiteHosts) -> None:
        self.origins = origins

    @classmethod
    def from_crawler(cls, crawler: Any) -> "EgressGuard":
        return cls(origins_from_entries(crawler.settings.getlist(SETTING)))

    def process_request(self, request: Any, spider: Any = None) -> None:
        from scrapy.exceptions import IgnoreRequest

        reason = refusal(request.url, self.origins)
        if reason:
            kind = OFFSITE_REDIRECT if request.meta.get("redirect_urls") else OFFSITE
            raise IgnoreRequest(f"{kind}: {request.url} (the console's egress rule: {reason})")
        return None


def crawl_settings(origins: SiteHosts) -> dict[str, Any]:
    """Settings that put EgressGuard in front of a crawl (merged over the site's settings)."""
    from zwgk.crawler.settings import DOWNLOADER_MIDDLEWARES

    return {SETTING: origins.entries(),
            "DOWNLOADER_MIDDLEWARES": {**DOWNLOADER_MIDDLEWARES,
                                       "zwgk.console.egress.EgressGuard": 50}}


__all__ = ["EgressRefused", "EgressGuard", "Preflight", "allowed_origins", "crawl_settings",
           "origins_from_entries", "preflight", "refusal", "require_allowed"]
