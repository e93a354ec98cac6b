"""Hanweb 大汉 JCMS columns and their ``dataproxy.jsp`` answers.

A Hanweb column page embeds its first records as CDATA HTML fragments inside
``<script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset><record>…``; a jpage
script (``$('#4567').jpage({totalRecord: 120, perPage: 15, groupSize: 3, proxyUrl: …,
ajaxParam: {…}})``) pages through the rest by asking ``/module/web/jpage/dataproxy.jsp`` for
record ranges. The nextgroup CDATA holds that address with the column's parameters; the ranges
go on as ``startrecord=&endrecord=&perpage=`` (GET; the server takes them from the query as it
does from a POST body).

Range size: ``perPage × groupSize`` — what the site's own script requests — so a crawl makes as
few requests as a browser. The first range starts after the embedded records.

A dataproxy answer (``<datastore><totalrecord>…<recordset><record>…``) is itself read as a list
page with no further pages: the column page already listed every range.
"""
from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlencode, urlsplit

from .dom import HtmlElement, parse_fragment, safe_urljoin
from .rows import entry_from_row
from .types import ListEntry, ListPage

_DATASTORE_RE = re.compile(r"<datastore\b[^>]*>(.*?)(?:</datastore\s*>|$)", re.I | re.S)
_RECORD_RE = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record\s*>",
                        re.I | re.S)
_NEXTGROUP_RE = re.compile(
    r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup\s*>", re.I | re.S)
_TOTAL_TAG_RE = re.compile(r"<totalrecord\b[^>]*>\s*(\d{1,9})\s*</totalrecord", re.I)
_HREF_RE = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_JPAGE_CALL_RE = re.compile(
    r"""(?:\$|jQuery)\(\s*['"]#([\w-]+)['"]\s*\)\s*\.jpage\s*\(\s*\{(.*?)\}\s*\)""", re.S)
_CFG_NUM_RE = re.compile(r"\b(totalRecord|perPage|groupSize)\s*:\s*['\"]?(\d{1,9})", re.I)
_CFG_PROXY_RE = re.compile(r"\bproxyUrl\s*:\s*['\"]([^'\"]+)['\"]")
_CFG_AJAX_RE = re.compile(r"\bajaxParam\s*:\s*\{([^{}]*)\}")
_PAIR_RE = re.compile(r"""([\w$]+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))""")
_PROXY_DOC_RE = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<datastore\b", re.I | re.S)
_RANGE_KEYS = frozenset({"startrecord", "endrecord", "perpage"})
_MAX_RANGES = 100000


def is_proxy_response(text: str, url: str) -> bool:
    """A dataproxy answer: an XML document that is a datastore, not an HTML page holding one."""
    if _PROXY_DOC_RE.match(text):
        return True
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return False
    return path.endswith("dataproxy.jsp") and "<datastore" in text.lower() and "<body" not in text.lower()


def read_proxy(text: str, base: str) -> ListPage:
    store = _best_datastore(text)
    page = ListPage(style="hanweb_proxy")
    if store is None:
        return page
    page.entries = _entries(store, base)
    m = _TOTAL_TAG_RE.search(store)
    page.total_records = int(m.group(1)) if m else None
    return page


def read_column(text: str, root: HtmlElement, base: str) -> ListPage | None:
    """The column page's embedded records and the dataproxy ranges for the rest; None when the
    page is not a Hanweb list."""
    store = _best_datastore(text)
    if store is None:
        return None
    page = ListPage(style="hanweb")
    page.entries = _entries(store, base)
    embedded = len(_RECORD_RE.findall(store))
    next_href = _nextgroup_href(store)
    config = _jpage_config(root, next_href)
    total = config.get("totalRecord")
    if total is None:
        m = _TOTAL_TAG_RE.search(store)
        total = int(m.group(1)) if m else None
    page.total_records = total
    per_page = config.get("perPage") or _query_int(next_href, "perpage") or embedded or 15
    group = config.get("groupSize") or 1
    if total is not None and per_page:
        page.total_pages = -(-total // per_page)
    proxy = safe_urljoin(base, next_href) if next_href else _proxy_from_config(config, base)
    if total is None:
        if next_href or proxy:
            page.notes.append(f"Hanweb list: total record count not announced; only the {embedded} "
                              "embedded records were read")
        return page
    if total > embedded:
        if proxy is None:
            page.notes.append(f"{embedded} of {total} records embedded in the page; no dataproxy "
                              "address found for the rest")
            return page
        chunk = max(1, per_page * group)
        start = embedded + 1
        while start <= total and len(page.next_urls) < _MAX_RANGES:
            end = min(start + chunk - 1, total)
            page.next_urls.append(_with_range(proxy, start, end, per_page))
            start = end + 1
    return page


def records_root(text: str) -> HtmlElement | None:
    """The records of the page's main datastore as one tree (one <div> per record), for
    selector overrides written against the record markup."""
    store = _best_datastore(text)
    if store is None:
        return None
    parts = []
    for m in _RECORD_RE.finditer(store):
        fragment = m.group(1) if m.group(1) is not None else html_lib.unescape(m.group(2) or "")
        parts.append(f"<div>{fragment}</div>")
    return parse_fragment("".join(parts))


def _best_datastore(text: str) -> str | None:
    """The datastore with the most records (a page may hold small ones for side blocks)."""
    best: tuple[int, str] | None = None
    for m in _DATASTORE_RE.finditer(text):
        body = m.group(1)
        count = len(_RECORD_RE.findall(body))
        if best is None or count > best[0]:
            best = (count, body)
    return best[1] if best else None


def _entries(store: str, base: str) -> list[ListEntry]:
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for m in _RECORD_RE.finditer(store):
        fragment = m.group(1) if m.group(1) is not None else html_lib.unescape(m.group(2) or "")
        row = entry_from_row(parse_fragment(fragment), base)
        if row is None or row.url in seen:
            continue
        seen.add(row.url)
        entries.append(ListEntry(row.url, row.title, row.date))
    return entries


def _nextgroup_href(store: str) -> str | None:
    m = _NEXTGROUP_RE.search(store)
    if not m:
        return None
    inner = m.group(1) if m.group(1) is not None else html_lib.unescape(m.group(2) or "")
    h = _HREF_RE.search(inner)
    if not h:
        return None
    href = html_lib.unescape(next(g for g in h.groups() if g is not None)).strip()
    return href or None


def _jpage_config(root: HtmlElement, next_href: str | None) -> dict:
    """Numbers and proxy settings of the jpage call that drives this datastore (matched by the
    unit id the nextgroup address names, else the only / first call)."""
    unit = _query_value(next_href, "unitid") if next_href else None
    calls: list[tuple[str, str]] = []
    for script in root.iter("script"):
        code = script.text or ""
        if ".jpage" not in code:
            continue
        calls.extend((m.group(1), m.group(2)) for m in _JPAGE_CALL_RE.finditer(code))
    if not calls:
        return {}
    chosen = next((body for ident, body in calls if unit and ident == unit), calls[0][1])
    config: dict = {}
    for m in _CFG_NUM_RE.finditer(chosen):
        key = {"totalrecord": "totalRecord", "perpage": "perPage", "groupsize": "groupSize"}[m.group(1).lower()]
        config.setdefault(key, int(m.group(2)))
    p = _CFG_PROXY_RE.search(chosen)
    if p:
        config["proxyUrl"] = p.group(1)
    a = _CFG_AJAX_RE.search(chosen)
    if a:
        config["ajaxParam"] = [(m.group(1), next(g for g in m.groups()[1:] if g is not None))
                               for m in _PAIR_RE.finditer(a.group(1))]
    return config


def _proxy_from_config(config: dict, base: str) -> str | None:
    """Older pages have no nextgroup: rebuild the address from proxyUrl and ajaxParam."""
    proxy = config.get("proxyUrl")
    if not proxy:
        return None
    url = safe_urljoin(base, proxy)
    params = config.get("ajaxParam") or []
    if url and params:
        url += ("&" if "?" in url else "?") + urlencode(params)
    return url


def _query_pairs(url: str | None) -> list[tuple[str, str]]:
    if not url or "?" not in url:
        return []
    query = url.split("?", 1)[1].split("#", 1)[0]
    pairs = []
    for piece in query.split("&"):
        key, _, value = piece.partition("=")
        pairs.append((key, value))
    return pairs


def _query_value(url: str | None, key: str) -> str | None:
    return next((v for k, v in _query_pairs(url) if k.lower() == key), None)


def _query_int(url: str | None, key: str) -> int | None:
    value = _query_value(url, key)
    return int(value) if value and value.isascii() and value.isdigit() and int(value) > 0 else None


def _with_range(proxy: str, start: int, end: int, per_page: int) -> str:
    """The proxy address with this range appended (an old range in it is replaced); the rest of
    the query is kept byte for byte."""
    head, _, query = proxy.partition("?")
    kept = [p for p in query.split("&") if p and p.partition("=")[0].lower() not in _RANGE_KEYS]
    kept += [f"startrecord={start}", f"endrecord={end}", f"perpage={per_page}"]
    return head + "?" + "&".join(kept)
