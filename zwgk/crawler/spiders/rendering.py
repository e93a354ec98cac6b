"""The spider's browser steps (crawler/render.py says when and how): a list page fetched again
in Chromium, its script-driven pagination walked, its JSON API read, its cookies kept."""
from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from zwgk.crawler.extract import decode_html
from zwgk.crawler.listing import parse_list
from zwgk.crawler.listing.completeness import DECLARED_EMPTY, JS_REQUIRED
from zwgk.crawler.listing.types import ListPage
from zwgk.crawler.render import JsonCapture, RenderedList, read_rendered
from zwgk.crawler.spiders.responses import response_text

if TYPE_CHECKING:
    from zwgk.crawler.spiders.columns import ColumnWalk


class RenderSteps:
    """Mixin of ColumnsSpider (walks, _read_list, _list_error, site_hosts, browser_cookies …)."""

    def _render_request(self, walk: ColumnWalk, response: Response,
                        why: str) -> scrapy.Request | None:
        """The same list page again, in Chromium; None when rendering is off, Chromium is
        missing (said once), or the page was rendered already."""
        meta = response.meta
        if meta.get("playwright") or meta.get("zwgk_no_render") or self.render_mode == "never":
            return None
        if not self.chromium:
            if not self.chromium_said:
                self.chromium_said = True
                message = ("zwgk: Chromium not found (on PATH or $ZWGK_CHROMIUM): list pages that "
                           "need a browser are reported as column_unreadable. Install the Debian "
                           "package chromium, or set site.render: never to silence this.")
                self.logger.warning(message)
                print(message, file=sys.stderr)
            walk.stats["render_unavailable"] += 1
            return None
        walk.lists_in_flight += 1
        walk.stats["render_requests"] += 1
        return scrapy.Request(response.url, callback=self.parse_rendered,
                              errback=self.render_failed, dont_filter=True,
                              priority=self.list_priority,
                              meta={**{k: meta[k] for k in ("col", "page_no", "first")},
                                    **self._browser_meta(),
                                    "zwgk_render_why": why, "zwgk_plain_status": response.status,
                                    "zwgk_plain_body": response.body[:262144]})

    def _browser_meta(self) -> dict[str, Any]:
        """Request meta sending a list page through Chromium, capturing its JSON responses."""
        capture = JsonCapture(self.site_hosts)
        return {"playwright": True, "playwright_include_page": True, "zwgk_capture": capture,
                "playwright_page_event_handlers": {"response": capture.on_response}}

    async def parse_rendered(self, response: Response) -> AsyncIterator[Any]:
        meta = response.meta
        walk = self.walks[meta["col"]]
        walk.lists_in_flight -= 1
        page = meta.get("playwright_page")
        status = int(meta.get("zwgk_plain_status") or response.status)
        rendered: RenderedList | None = None
        if page is not None:
            try:
                budget = max(1, self.max_pages - len(walk.requested) + 1)
                rendered = await read_rendered(page, status, budget, self.site_hosts)
            finally:
                await page.close()
        if rendered is None:  # no page object: read the handler's body once
            rendered = RenderedList(url=response.url, pages=[response_text(response)])
        walk.stats["rendered_pages"] += len(rendered.pages)
        walk.stats["render_seconds"] = round(walk.stats["render_seconds"] + rendered.seconds, 3)
        if rendered.cookies:
            self.browser_cookies.update(rendered.cookies)
        why = meta["zwgk_render_why"]
        if rendered.challenge or (why == "challenge" and not rendered.pages):
            for item in self._list_error(walk, response.url, meta, status, "challenge"):
                yield item
            return
        notes = [f"read in Chromium ({why}): {len(rendered.pages)} page(s), "
                 f"{rendered.seconds:.1f} s"] + rendered.notes
        html_pages = rendered.pages or [decode_html(meta.get("zwgk_plain_body", b""))]
        parsed = [parse_list(html, response.url, selectors=walk.selectors or None)
                  for html in html_pages]
        capture: JsonCapture | None = meta.get("zwgk_capture")
        api = capture.list_entries({e.url for p in parsed for e in p.entries}) \
            if capture is not None and rendered.pages else None
        if api is not None:
            # The list's own JSON API: its records are the list (crawler/listing/jsonapi.py).
            endpoint, entries = api
            walk.stats["json_api_entries"] += len(entries)
            notes.append(f"entries read from the list's JSON API ({endpoint}): {len(entries)} records")
            api_page = ListPage(entries=list(entries), style="json_api")
            for item in self._read_list(walk, meta, response.url, 200, rendered.pages[0], api_page,
                                        meta["page_no"], notes, cookies=self.browser_cookies or None,
                                        follow=False):
                yield item
            return
        base_no = meta["page_no"]
        for offset, (html, page_data) in enumerate(zip(html_pages, parsed)):
            page_notes = (notes if offset == 0 else []) + list(page_data.notes)
            declared_empty = any(n.startswith(DECLARED_EMPTY) for n in page_data.notes)
            if offset == 0 and not page_data.entries and why == "challenge" and not declared_empty:
                page_notes.append(f"{JS_REQUIRED}: the challenge was passed but the list shows "
                                  f"no entries")
            if offset:
                walk.stats["list_pages"] += 1
            for item in self._read_list(walk, meta, response.url, 200, html, page_data,
                                        base_no + offset, page_notes,
                                        cookies=self.browser_cookies or None,
                                        follow=len(html_pages) == 1):
                yield item

    def render_failed(self, failure: Failure) -> Iterator[Any]:
        """The browser could not load the page: the plain reading stands (unreadable)."""
        request = failure.request
        walk = self.walks[request.meta["col"]]
        walk.lists_in_flight -= 1
        walk.stats["render_errors"] += 1
        meta = request.meta
        status = int(meta.get("zwgk_plain_status") or 0) or None
        note = f"the browser could not read the page: {failure.getErrorMessage()[:200]}"
        if meta.get("zwgk_render_why") == "always":  # never read plainly yet: do so now
            walk.lists_in_flight += 1
            yield scrapy.Request(request.url, callback=self.parse_list, errback=self.list_failed,
                                 dont_filter=True, priority=self.list_priority,
                                 meta={**{k: meta[k] for k in ("col", "page_no", "first")},
                                       "zwgk_no_render": True, "zwgk_notes": [note]})
            return
        if meta.get("zwgk_render_why") == "challenge":
            meta.setdefault("zwgk_notes", []).append(note)
            yield from self._list_error(walk, request.url, meta, status, "challenge")
            return
        body = decode_html(meta.get("zwgk_plain_body", b""))
        page = parse_list(body, request.url, selectors=walk.selectors or None)
        yield from self._read_list(walk, meta, request.url, status or 200, body, page,
                                   meta["page_no"], [note] + list(page.notes))
