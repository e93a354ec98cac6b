"""Which hosts are the site: every request, redirects included, stays on them.

Why two rules pull in opposite directions:

- A bureau's column often moves (http→https, ``www.`` ↔ bare host, a changed port). Judged by the
  configured URL alone, the moved list's entries all look off-site and the column reads as empty.
- A public site must not make the auditing machine (often inside an intranet) fetch another host
  or port by answering a redirect, and publish what that host answered.

So the site is a set of *origins* (host and port; http and https of one host on their default
ports are one origin) that grows in one way only: a redirect of a column's **configured URL**
(its first list page, which the operator wrote down) to the same host or to a host of the same
registrable domain (``www.x.gov.cn`` → ``x.gov.cn``, ``xxgk.x.gov.cn``) admits the target's
origin. Redirects of later list pages and of articles admit nothing: they are followed only
within the site, anything else is not requested (``offsite_redirect``). ``site.hosts`` lists
further hosts the operator vouches for. Loopback names (``localhost``, ``127.0.0.1``, ``::1``)
are one host: they name the same machine.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import tldextract

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

# Offline: the public-suffix snapshot bundled with tldextract; never a network fetch.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK = "localhost"
OFFSITE_REDIRECT = "offsite_redirect"
OFFSITE = "offsite"

Origin = tuple[str, int | None]  # (host key, port; None = the scheme's default port)


def host_key(host: str, *, fold_loopback: bool = True) -> str:
    """A host name as the site compares it: lower case, no trailing dot, IDNA-encoded, loopback
    folded (``fold_loopback=False``: compared as written, the console's stricter egress rule)."""
    host = (host or "").strip().lower().rstrip(".").strip("[]")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    if not fold_loopback:
        return host
    if host == "localhost" or host.endswith(".localhost"):
        return LOOPBACK
    try:
        if ipaddress.ip_address(host).is_loopback:
            return LOOPBACK
    except ValueError:
        pass
    return host


def origin_of(url: str, *, fold_loopback: bool = True) -> Origin | None:
    """The origin of an http(s) URL, or None for anything else (and malformed URLs)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return host_key(parts.hostname, fold_loopback=fold_loopback), port


def registrable_domain(host: str) -> str:
    """``www.x.gov.cn`` → ``x.gov.cn``; an IP address or a bare name is its own domain."""
    key = host_key(host)
    if key == LOOPBACK:
        return LOOPBACK
    try:
        ipaddress.ip_address(key)
        return key
    except ValueError:
        pass
    parts = _EXTRACT(key)
    return parts.top_domain_under_public_suffix or key


def parse_host_entry(entry: str, *, fold_loopback: bool = True) -> Origin:
    """A ``site.hosts`` entry: ``host``, ``host:port`` or a URL. Raises ValueError."""
    text = entry.strip()
    url = text if "://" in text else f"http://{text}/"
    found = origin_of(url, fold_loopback=fold_loopback)
    if found is None or not found[0] or any(c in found[0] for c in "/\\@ "):
        raise ValueError(f"not a host name or host:port: {entry!r}")
    return found


@dataclass
class SiteHosts:
    """The origins of one site; ``admitted`` records how each redirect-admitted one came in."""

    origins: set[Origin] = field(default_factory=set)
    admitted: dict[Origin, str] = field(default_factory=dict)  # origin -> the redirect's source

    fold_loopback: bool = True

    @classmethod
    def of(cls, urls: Iterable[str], hosts: Iterable[str] = (), *,
           fold_loopback: bool = True) -> "SiteHosts":
        """The configured site: the origins of these URLs (base URL, column URLs) plus
        ``site.hosts`` entries."""
        site = cls(fold_loopback=fold_loopback)
        for url in urls:
            found = origin_of(url, fold_loopback=fold_loopback)
            if found is not None:
                site.origins.add(found)
        for entry in hosts:
            site.origins.add(parse_host_entry(entry, fold_loopback=fold_loopback))
        return site

    def allows(self, url: str) -> bool:
        found = origin_of(url, fold_loopback=self.fold_loopback)
        return found is not None and found in self.origins

    def entries(self) -> list[str]:
        """The origins as ``host`` / ``host:port`` entries (``parse_host_entry`` reads them
        back): how a Scrapy setting carries them."""
        out = []
        for host, port in sorted(self.origins, key=lambda o: (o[0], o[1] or 0)):
            name = f"[{host}]" if ":" in host else host
            out.append(name if port is None else f"{name}:{port}")
        return out

    def admit_redirect(self, source: str, target: str) -> bool:
        """A column's configured URL redirected from ``source`` to ``target``: admit the
        target's origin when it is the same host or the same registrable domain as the source
        (and the source is the site's). Returns whether ``target`` is now allowed."""
        if self.allows(target):
            return True
        src, dst = origin_of(source), origin_of(target)
        if src is None or dst is None or src not in self.origins:
            return False
        if src[0] != dst[0] and registrable_domain(src[0]) != registrable_domain(dst[0]):
            return False
        self.origins.add(dst)
        self.admitted[dst] = source
        return True


class SiteHostsMiddleware:
    """Downloader middleware: a request whose URL is not the site's is not sent (placed before
    the robots.txt middleware, so not even the foreign host's robots.txt is asked for).

    The spider carries the site (``spider.site_hosts``); a request of a column's configured
    URL (``meta['first']``) that was redirected may widen it (see the module docstring)."""

    def __init__(self, crawler=None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "SiteHostsMiddleware":
        return cls(crawler)

    def process_request(self, request: Request, spider=None) -> None:
        spider = spider or getattr(self.crawler, "spider", None)
        site: SiteHosts | None = getattr(spider, "site_hosts", None)
        if site is None:
            if spider is not None and hasattr(spider, "site_hosts"):
                raise IgnoreRequest(f"{OFFSITE}: {request.url} (the site is not known yet)")
            return None
        redirects = request.meta.get("redirect_urls") or []
        if redirects and request.meta.get("first"):
            if site.admit_redirect(redirects[0], request.url):
                return None
        if site.allows(request.url):
            return None
        reason = OFFSITE_REDIRECT if redirects else OFFSITE
        raise IgnoreRequest(f"{reason}: {request.url}")


__all__ = ["SiteHosts", "SiteHostsMiddleware", "origin_of", "host_key", "registrable_domain",
           "parse_host_entry", "OFFSITE_REDIRECT", "OFFSITE"]
