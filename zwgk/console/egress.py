"""Where a spot-check may fetch: only the hosts of configured sites, over http(s).

A supervisor pastes a URL into a form; the console must never become a proxy into the intranet.
So a URL is allowed only when its scheme is http or https and its (host, port) belongs to a
configured site: the site's ``base_url`` and each entry of ``site.hosts`` when the catalog has one
(an explicit port allows that port only; without one, the ports 80 and 443, since sites move
from http to https on the same host).
Hosts are compared as written after lower-casing and IDNA encoding: ``127.1`` is not
``127.0.0.1``, which only makes the rule stricter. URLs with user info, backslashes, whitespace or
control characters are refused outright (browsers and servers parse them differently).

Three guards use the one rule (``refusal``): the console refuses a request before queueing it;
``preflight`` follows the column URL's redirects hop by hop without ever requesting a hop that
leaves the allowed hosts; and ``EgressGuard``, a Scrapy downloader middleware placed before
robots.txt handling, drops any request of the crawl itself (article links, redirects, robots.txt)
that leaves them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
PREFLIGHT_MAX_HOPS = 10
PREFLIGHT_TIMEOUT = 10.0
# Scrapy setting read by EgressGuard: the allowed "host:port" pairs.
SETTING = "ZWGK_ALLOWED_ORIGINS"
# In the error the crawl records for a request the guard dropped (the result explains it).
REFUSED_MARK = "refused by the console's egress rule"


class EgressRefused(ValueError):
    """A URL a spot-check may not fetch; the message says why, for the 400 answer."""


def _host(name: str) -> str:
    name = name.strip().rstrip(".").lower()
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def _origins_of(entry: str) -> set[str]:
    """``http://h:p/...`` or ``h:p`` → {h:p}; ``http://h/`` or ``h`` → {h:80, h:443}."""
    text = entry.strip()
    if "://" not in text:
        text = "//" + text
    parts = urlsplit(text)
    if not parts.hostname:
        return set()
    host = _host(parts.hostname)
    if parts.port is not None:
        return {f"{host}:{parts.port}"}
    return {f"{host}:{p}" for p in DEFAULT_PORTS.values()}  # http → https moves are common


def allowed_origins(sites: Iterable[Any]) -> frozenset[str]:
    """The ``host:port`` pairs of these catalog ``Site`` records (base_url and site.hosts)."""
    out: set[str] = set()
    for site in sites:
        out |= _origins_of(site.base_url)
        for entry in getattr(site, "hosts", None) or ():
            out |= _origins_of(str(entry))
    return frozenset(out)


def refusal(url: str, origins: frozenset[str]) -> str | None:
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
    if parts.scheme.lower() not in SCHEMES:
        return f"only http and https URLs are checked, not {parts.scheme or 'a relative URL'!r}"
    if not parts.hostname:
        return "the URL has no host"
    if parts.username is not None or parts.password is not None:
        return "URLs with a user name or password are not checked"
    origin = f"{_host(parts.hostname)}:{port or DEFAULT_PORTS[parts.scheme.lower()]}"
    if origin not in origins:
        return (f"{origin} is not a host of a configured site: a spot-check fetches only the "
                "configured sites' own hosts")
    return None


def require_allowed(url: str, origins: frozenset[str]) -> None:
    reason = refusal(url, origins)
    if reason:
        raise EgressRefused(f"{url!r}: {reason}")


@dataclass(frozen=True)
class Preflight:
    final_url: str
    hops: int
    reachable: bool  # False: the host did not answer (the check itself will report it)


async def preflight(url: str, origins: frozenset[str], *, user_agent: str,
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
    robots.txt is asked for and before any connection opens. The spider records the dropped URL
    as a fetch error with the reason, so the result says what was not read and why."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = frozenset(origins)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "EgressGuard":
        return cls(crawler.settings.getlist(SETTING))

    def process_request(self, request: Any, spider: Any = None) -> None:
        from scrapy.exceptions import IgnoreRequest

        reason = refusal(request.url, self.origins)
        if reason:
            raise IgnoreRequest(f"{REFUSED_MARK}: {reason}")
        return None


def crawl_settings(origins: frozenset[str]) -> dict[str, Any]:
    """Settings that put EgressGuard in front of a crawl (merged over the site's settings)."""
    from zwgk.crawler.settings import DOWNLOADER_MIDDLEWARES

    return {SETTING: sorted(origins),
            "DOWNLOADER_MIDDLEWARES": {**DOWNLOADER_MIDDLEWARES,
                                       "zwgk.console.egress.EgressGuard": 50}}


__all__ = ["EgressRefused", "EgressGuard", "Preflight", "allowed_origins", "crawl_settings",
           "preflight", "refusal", "require_allowed"]
