"""The demo website of the fictional 临江市住房和城乡建设局, as of DEMO_AS_OF.

``build_site()`` renders every page once into a mapping from request target (path, plus
``?query`` for the query-string columns) to a ``Page``; ``respond()`` answers one request from it,
including the dynamic Hanweb ``dataproxy.jsp``. The server and the tests share these two entry
points, so what the tests check is exactly what a crawler receives.

Nothing here is random: ids, dates and bodies derive from ``demosite.data``, so two builds give
identical bytes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping
from urllib.parse import parse_qs, urlsplit

from zwgk.demosite import render
from zwgk.demosite.data import DEMO_AS_OF, HANWEB, PAGE_FRAME, PAGE_SIZE, SITE_NAME
from zwgk.demosite.model import SiteModel, site_model
from zwgk.demosite.sized import variant_model

HTML_UTF8 = "text/html; charset=utf-8"
HTML_BARE = "text/html"  # the GBK columns: the charset is only in the page's <meta>
XML_UTF8 = "text/xml; charset=utf-8"
DATAPROXY_PATH = render.DATAPROXY_PATH
_QUERY_PATHS = {"/hdjl/list.php": ("catid", "page"), "/hdjl/show.php": ("catid", "id")}
_LIST_PHP = "/hdjl/list.php"


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    # When the page last changed (Last-Modified); None for error pages and dynamic answers.
    modified: datetime | None = None

    @property
    def etag(self) -> str:
        """A strong validator derived from the bytes: any change of the page changes it."""
        return '"' + hashlib.md5(self.body).hexdigest()[:20] + '"'  # noqa: S324 - not security


def _html(text: str, gbk: bool = False, status: int = 200, modified: date | None = None) -> Page:
    when = datetime.combine(modified, time(0, 0), timezone.utc) if modified else None
    if gbk:
        # Real "gb2312" sites write GBK; characters outside it (©) become character references.
        return Page(status, HTML_BARE, text.encode("gbk", errors="xmlcharrefreplace"), when)
    return Page(status, HTML_UTF8, text.encode("utf-8"), when)


def _render_all(model: SiteModel) -> dict[str, Page]:
    with render.rendering(model.name):
        return _render_pages(model)


def _render_pages(model: SiteModel) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for column in model.columns:
        gbk = column.spec.gbk
        newest = column.articles[0].published if column.articles else DEMO_AS_OF
        for number, path in enumerate(column.list_pages):
            if column.spec.status != 200:
                pages[path] = _html(render.server_error_page(), status=column.spec.status)
            else:
                pages[path] = _html(render.list_page(model, column, number), gbk, modified=newest)
        for article in column.live:
            pages[article.path] = _html(render.article_page(model, column, article), gbk,
                                        modified=article.published)
            if article.spec.attachment:
                pages[render.attachment_path(article)] = Page(
                    200, "application/pdf", render.attachment_pdf(article),
                    datetime.combine(article.published, time(0, 0), timezone.utc))
            if article.spec.page == PAGE_FRAME:
                pages[render.frame_path(article)] = _html(
                    render.frame_target(model, column, article), modified=article.published)
    home = _html(render.home_page(model, directory=False), modified=DEMO_AS_OF)
    pages["/"] = home
    pages["/index.html"] = home
    pages["/zfxxgk/index.html"] = _html(render.home_page(model, directory=True), modified=DEMO_AS_OF)
    if any(c.spec.item_id == render.JS_LIST_ITEM and c.live for c in model.columns):
        pages[render.JS_LIST_PATH] = _html(render.js_list_page(model), modified=DEMO_AS_OF)
    pages["/robots.txt"] = Page(200, "text/plain; charset=utf-8", render.ROBOTS_TXT.encode())
    pages["/images/style.css"] = Page(200, "text/css; charset=utf-8", render.STYLE_CSS.encode())
    pages["/script/common.js"] = Page(200, "application/javascript; charset=utf-8",
                                      render.COMMON_JS.encode())
    pages["/module/web/jpage/jpage.js"] = Page(200, "application/javascript; charset=utf-8",
                                               render.JPAGE_JS.encode())
    return pages


@lru_cache(maxsize=1)
def not_found() -> Page:
    return _html(render.not_found_page(), status=404)


def _canonical(path: str, query: str) -> str | None:
    """list.php/show.php with their parameters in the site's own order (crawlers may reorder)."""
    names = _QUERY_PATHS.get(path)
    if names is None:
        return None
    params = parse_qs(query)
    values = [params.get(n, [""])[0].strip() for n in names]
    if path == _LIST_PHP and not values[1]:
        values[1] = "1"
    if not all(v.isdigit() for v in values):
        return None
    return f"{path}?{names[0]}={int(values[0])}&{names[1]}={int(values[1])}"


class DemoSite:
    """One rendering of the site (the declared one, or a sized / changed variant): its pages and
    the answers to requests. Pages are rendered once, when the site is built."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        self.pages: Mapping[str, Page] = MappingProxyType(_render_all(model))

    def lookup(self, target: str) -> Page | None:
        """The static page for a request target ("/path?query"), or None."""
        pages = self.pages
        target = target.split("#", 1)[0]
        if target in pages:
            return pages[target]
        path, _, query = target.partition("?")
        if path in pages and path != "/":
            return pages[path]  # a static page with a cache-busting query string
        canonical = _canonical(path, query)
        if canonical is not None:
            if canonical in pages:
                return pages[canonical]
            if path == _LIST_PHP:
                # A column that fails answers the same error on every page number.
                for column in self.model.columns:
                    if column.spec.status != 200 and column.list_pages[0].startswith(
                            canonical.split("&page=")[0] + "&"):
                        return pages[column.list_pages[0]]
            return None
        if path.endswith("/") and path + "index.html" in pages:
            return pages[path + "index.html"]
        return None

    def dataproxy(self, params: Mapping[str, str]) -> Page:
        """Hanweb jpage: records startrecord..endrecord (1-based, inclusive) of ``columnid``."""
        def number(name: str, default: int | None) -> int | None:
            raw = (params.get(name) or "").strip()
            if not raw:
                return default
            return int(raw) if raw.isdigit() else None

        column_id = number("columnid", None)
        column = self.model.by_colno(column_id) if column_id is not None else None
        if column is None:
            return not_found()
        per_page = number("perpage", PAGE_SIZE[HANWEB]) or PAGE_SIZE[HANWEB]
        start = number("startrecord", 1)
        if start is None or start < 1:
            return Page(400, XML_UTF8, b'<?xml version="1.0" encoding="utf-8"?>\n<datastore/>\n')
        end = number("endrecord", start + per_page - 1)
        if end is None or end < start:
            return Page(400, XML_UTF8, b'<?xml version="1.0" encoding="utf-8"?>\n<datastore/>\n')
        records = column.articles[start - 1:end]
        return Page(200, XML_UTF8,
                    render.dataproxy_xml(len(column.articles), records).encode("utf-8"))

    def respond(self, method: str, target: str, form: Mapping[str, str] | None = None) -> Page:
        """Answer one request: GET/HEAD/POST of any target (POST form fields for dataproxy.jsp)."""
        path, _, query = target.partition("?")
        if path == DATAPROXY_PATH:
            params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
            params.update(form or {})
            return self.dataproxy(params)
        return self.lookup(target) or not_found()


@lru_cache(maxsize=2)
def demo_site(articles: int | None = None, new: int = 0, removed: tuple[str, ...] = ()) -> DemoSite:
    """The declared site, or a variant (see ``demosite.sized``): ``articles`` article pages in
    all, ``new`` articles published on top of the lists, ``removed`` article paths withdrawn."""
    return DemoSite(variant_model(articles, new, tuple(removed)))


def build_site() -> Mapping[str, Page]:
    """Every static page of the declared site, rendered once (read-only mapping)."""
    return demo_site().pages


def rebuild_site_bytes() -> dict[str, bytes]:
    """A fresh render that bypasses the cache (determinism checks)."""
    return {k: v.body for k, v in _render_all(site_model()).items()}


def lookup(target: str) -> Page | None:
    """The static page of the declared site for a request target ("/path?query"), or None."""
    return demo_site().lookup(target)


def dataproxy(params: Mapping[str, str]) -> Page:
    """Hanweb jpage answer of the declared site."""
    return demo_site().dataproxy(params)


def respond(method: str, target: str, form: Mapping[str, str] | None = None) -> Page:
    """Answer one request to the declared site."""
    return demo_site().respond(method, target, form)


def page_url(base_url: str, path: str) -> str:
    """Join a site path ("/x" or "x") to a base URL ("http://127.0.0.1:PORT/")."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/{path.lstrip('/')}"


__all__ = ["DEMO_AS_OF", "SITE_NAME", "Page", "DemoSite", "demo_site", "build_site", "lookup", "dataproxy", "respond",
           "not_found", "page_url", "DATAPROXY_PATH", "rebuild_site_bytes"]
