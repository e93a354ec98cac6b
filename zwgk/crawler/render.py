"""When and how a list page goes through the browser (the system Chromium, via scrapy-playwright).

Why: 2024–2026 集约化 platforms fill their lists from JSON APIs and page them with 下一页 buttons;
WAFs (瑞数 and the like) answer with a script that sets a cookie and reloads. Without a browser
such a column looks empty — a 空白栏目 fail, part of a single veto — although a person sees it
full. So (``site.render``):

- ``never``: no browser; such columns are reported ``column_unreadable`` (warn), never empty;
- ``auto`` (default): a list page read plainly that holds no entries and is recognised as
  script-filled (listing/completeness.py: ``js_required``), whose 下一页 only runs a script
  (listing/nextlink.py: ``js_pager``), or a challenge page (crawler/challenge.py), is fetched
  again in Chromium; the browser settles (network idle,
  challenge passed), the DOM is read with the same list readers, and a script-driven 下一页 is
  clicked up to ``max_pages_per_column``. Cookies the browser earned are used by the plain
  requests that follow (articles);
- ``always``: every column's first list page goes through the browser.

Cost (README "Rendering"): Chromium starts once per crawl, on the first page that needs it — a
crawl that never needs it does not start it (crawler/playwright_handler.py) — and a rendered page
costs about a second or more where a plain page costs milliseconds.

The browser obeys the site's hosts (crawler/sitehosts.py): requests of a rendered page to
other hosts are aborted (``abort_request``), as are images, fonts and media (never read). A
redirect inside the browser is not routed by Playwright, so a page whose final URL is not the
site's is discarded.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from zwgk.crawler.challenge import is_challenge
from zwgk.crawler.listing.completeness import JS_REQUIRED
from zwgk.crawler.listing.jsonapi import entries_from_body
from zwgk.crawler.listing.nextlink import JS_PAGER
from zwgk.crawler.sitehosts import SiteHosts

# How long a rendered page may take to settle (network idle; a challenge's reload), seconds.
SETTLE_SECONDS = 10.0
# A challenge page unchanged this long is not going to reload: give up, seconds.
CHALLENGE_STILL_SECONDS = 3.0
# After a click on 下一页: how long to wait for the list to change, seconds.
CLICK_SECONDS = 8.0
_NEXT_TEXT_RE = re.compile(r"^\s*(?:下一页|下页|后一页|下一頁|next|›|»|>)\s*$", re.I)
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})

# The site of the crawl in this process (one crawl per process: Twisted cannot restart), read by
# abort_request, which scrapy-playwright loads by name.
_ACTIVE_SITE: SiteHosts | None = None


def chromium_path() -> str | None:
    """The system Chromium (Debian package ``chromium``; $ZWGK_CHROMIUM names another binary),
    found as the report screenshots find it; None when there is none. Never a browser download
    (``playwright install``)."""
    from zwgk.chromium import ChromiumNotFound, find_chromium

    try:
        return find_chromium()
    except ChromiumNotFound:
        return None


def render_settings(mode: str, executable: str | None) -> dict[str, Any]:
    """Scrapy settings that add the browser (nothing for ``never`` or without Chromium)."""
    if mode == "never" or executable is None:
        return {}
    handler = "zwgk.crawler.playwright_handler.LazyPlaywrightHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {"executable_path": executable, "headless": True,
                                      "args": ["--no-sandbox", "--disable-gpu",
                                               "--disable-dev-shm-usage"]},
        "PLAYWRIGHT_ABORT_REQUEST": "zwgk.crawler.render.abort_request",
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 30000,
    }


def set_site(site: SiteHosts | None) -> None:
    global _ACTIVE_SITE
    _ACTIVE_SITE = site


def abort_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: never load what is not the site's, nor what is never read."""
    if request.resource_type in _SKIPPED_RESOURCES:
        return True
    url = request.url
    if url.startswith(("data:", "blob:", "about:")):
        return False
    return _ACTIVE_SITE is not None and not _ACTIVE_SITE.allows(url)


def needs_render(status: int, body: bytes, entries: int, notes: list[str]) -> str | None:
    """Why a plainly fetched list page should go through the browser: ``challenge``,
    ``js_required`` (no entries, script-filled), ``js_pager`` (entries, but a 下一页 that only
    runs a script), or None."""
    if is_challenge(status, body):
        return "challenge"
    if entries == 0 and any(n.startswith(JS_REQUIRED) for n in notes):
        return JS_REQUIRED
    if entries and any(n.startswith(JS_PAGER) for n in notes):
        return JS_PAGER
    return None


class JsonCapture:
    """Collects the list entries of JSON documents a rendered page fetches (its list API):
    scrapy-playwright calls ``on_response`` for every response of the page."""

    MAX_BODY = 2 * 1024 * 1024

    def __init__(self, site: SiteHosts | None) -> None:
        self.site = site
        self.by_endpoint: dict[str, list[Any]] = {}  # endpoint -> ListEntry, first seen first

    async def on_response(self, response: Any) -> None:
        try:
            if response.request.resource_type not in ("xhr", "fetch"):
                return
            if self.site is not None and not self.site.allows(response.url):
                return
            ctype = (await response.header_value("content-type") or "").lower()
            if "json" not in ctype and "javascript" not in ctype and "text/plain" not in ctype:
                return
            body = await response.body()
        except Exception:  # noqa: BLE001 - the page went away, a body that cannot be read
            return
        if len(body) > self.MAX_BODY:
            return
        found = entries_from_body(body, response.url)
        if found:
            known = self.by_endpoint.setdefault(response.url.split("?")[0], [])
            seen = {e.url for e in known}
            known.extend(e for e in found if e.url not in seen)

    def list_entries(self, dom_urls: set[str]) -> tuple[str, list[Any]] | None:
        """(endpoint, entries) of the JSON API that feeds the list: the one whose records the
        rendered list shows (a page's other JSON — a news widget — is not the column); when the
        DOM shows no entries to compare with, the endpoint with the most records."""
        if not self.by_endpoint:
            return None
        if dom_urls:
            # It must account for (nearly) all the list shows: an API that fed only pages 2 and
            # 3 of a list whose first page is static HTML would lose page 1.
            overlapping = [(len(dom_urls & {e.url for e in v}), k) for k, v in self.by_endpoint.items()]
            best = max(overlapping)
            covers = best[0] * 10 >= len(dom_urls) * 8
            return (best[1], self.by_endpoint[best[1]]) if covers else None
        endpoint = max(self.by_endpoint, key=lambda k: len(self.by_endpoint[k]))
        return endpoint, self.by_endpoint[endpoint]


@dataclass
class RenderedList:
    """What the browser read of one list: each page's HTML, in order, and its cookies."""

    url: str
    pages: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    challenge: bool = False  # still a challenge page after settling
    notes: list[str] = field(default_factory=list)


async def _content(page: Any) -> str:
    for _ in range(20):  # "page is navigating": a challenge reloads itself
        try:
            return await page.content()
        except Exception:  # noqa: BLE001 - Playwright raises Error while a navigation runs
            await page.wait_for_timeout(250)
    return ""


async def _settle(page: Any, challenged: bool, seconds: float) -> str:
    """Wait for the page to settle (network idle) and, on a challenge, for the reload that
    passes it. Returns the settled HTML. A challenge page that stays the same for
    CHALLENGE_STILL_SECONDS (no reload coming: a challenge this browser does not pass) is
    given up early."""
    started = time.monotonic()
    deadline = started + seconds
    html, previous, same_since = "", None, started
    while True:
        try:
            await page.wait_for_load_state("networkidle",
                                           timeout=max(100, (deadline - time.monotonic()) * 1000))
        except Exception:  # noqa: BLE001 - a timeout: read what is there
            pass
        html = await _content(page)
        still = is_challenge(412 if challenged else 200, html.encode("utf-8", "replace"))
        now = time.monotonic()
        if html != previous:
            previous, same_since = html, now
        if not still or now >= deadline or now - same_since >= CHALLENGE_STILL_SECONDS:
            return html
        await page.wait_for_timeout(300)


async def _changed(page: Any, before: str, seconds: float) -> str | None:
    """The page's HTML once it differs from ``before`` and the network is idle again; None when
    it does not change within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await page.wait_for_timeout(150)
        html = await _content(page)
        if html and html != before:
            return await _settle(page, False, max(0.5, deadline - time.monotonic()))
    return None


async def _next_button(page: Any) -> Any | None:
    candidates = page.locator("a, button, span, li, input[type=button]").filter(has_text=_NEXT_TEXT_RE)
    count = min(await candidates.count(), 5)
    for i in range(count):
        el = candidates.nth(i)
        try:
            if await el.is_visible() and await el.is_enabled():
                classes = (await el.get_attribute("class") or "").lower()
                if "disabled" not in classes:
                    return el
        except Exception:  # noqa: BLE001 - detached while we looked
            continue
    return None


async def read_rendered(page: Any, status: int, max_pages: int, site: SiteHosts | None) -> RenderedList:
    """Settle a rendered list page, then walk its script-driven pagination (下一页) up to
    ``max_pages`` pages; the page is closed by the caller."""
    started = time.monotonic()
    out = RenderedList(url=page.url)
    html = await _settle(page, status in (202, 403, 412, 503), SETTLE_SECONDS)
    if site is not None and not site.allows(page.url):
        out.notes.append(f"the browser ended on {page.url}, outside the site: discarded")
        out.seconds = time.monotonic() - started
        return out
    if is_challenge(412, html.encode("utf-8", "replace")):
        out.challenge = True
        out.seconds = time.monotonic() - started
        return out
    out.pages.append(html)
    while len(out.pages) < max_pages:
        button = await _next_button(page)
        if button is None:
            break
        try:
            await button.click(timeout=CLICK_SECONDS * 1000)
        except Exception:  # noqa: BLE001 - not clickable after all
            break
        html = await _changed(page, out.pages[-1], CLICK_SECONDS)
        if html is None or (site is not None and not site.allows(page.url)):
            break  # nothing changed: the last page (a 下一页 that does nothing there)
        out.pages.append(html)
    try:
        out.cookies = {c["name"]: c["value"] for c in await page.context.cookies(page.url)}
    except Exception:  # noqa: BLE001 - the context closed: no cookies to carry
        out.cookies = {}
    out.seconds = time.monotonic() - started
    return out


__all__ = ["chromium_path", "render_settings", "set_site", "abort_request", "needs_render",
           "read_rendered", "RenderedList", "JsonCapture"]
