"""Query-string pagination: ``list.php?catid=41&page=2``.

A pager link counts when it leads to the same path as the page, carries a page-like parameter
(page, pageNo, pageIndex, p, curpage, currentPage …) with a number, agrees with the page on every
other parameter, and reads like a pager control (a number, 下一页, 尾页, >, …) — so an entry
``view.php?p=123`` is never taken for a page.

With a total (``共3页``) the first page lists every page at once and later pages list none (the
first already did); without one, each page lists the visible pages after it.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .dom import HtmlElement, element_text, norm_space, resolve_href
from .paging import Paging, total_pages_near

_PAGE_PARAMS = frozenset({
    "page", "pageno", "page_no", "pagenum", "page_num", "pagenumber", "pageindex", "page_index",
    "pageidx", "p", "pg", "pn", "curpage", "cur_page", "currpage", "currentpage", "current_page",
    "current", "paged", "nowpage", "ipage", "intpage", "pagecurrent", "page_id",
})
_PAGER_TEXT_RE = re.compile(
    r"^(?:\d{1,6}|[\[【]?\s*\d{1,6}\s*[\]】]?|首页|上一?页|下一?页|前一?页|后一?页|尾页|末页|最后一?页|"
    r"第\s*\d+\s*页|[<>«»‹›]+|next|prev(?:ious)?|first|last|\.\.\.|…)$", re.I)
_LAST_TEXT_RE = re.compile(r"^(?:尾页|末页|最后一?页|last|»|>>)$", re.I)
_INT_RE = re.compile(r"^\d{1,6}$")


def read(root: HtmlElement, base: str, page_url: str) -> Paging | None:
    """Pager links of this page's own path; ``base`` resolves hrefs, ``page_url`` is compared."""
    try:
        page = urlsplit(page_url)
    except ValueError:
        return None
    own = parse_qsl(page.query, keep_blank_values=True)
    own_map = dict(own)
    # param -> {value: url}
    found: dict[str, dict[int, str]] = {}
    last_values: dict[str, int] = {}
    anchor: HtmlElement | None = None
    for a in root.iter("a"):
        text = norm_space(element_text(a) or a.get("title"))
        if not _PAGER_TEXT_RE.match(text):
            continue
        url = resolve_href(base, a.get("href"))
        if url is None:
            continue
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if (parts.scheme, parts.netloc, parts.path) != (page.scheme, page.netloc, page.path):
            continue
        theirs = parse_qsl(parts.query, keep_blank_values=True)
        keys = {k for k, _ in theirs}
        for key, value in theirs:
            if key.lower() not in _PAGE_PARAMS or not _INT_RE.match(value):
                continue
            rest_theirs = {(k, v) for k, v in theirs if k != key}
            rest_own = {(k, v) for k, v in own if k != key}
            if rest_theirs != rest_own or len(keys) != len(dict(theirs)):
                continue
            found.setdefault(key, {})[int(value)] = url
            if _LAST_TEXT_RE.match(text):
                last_values[key] = int(value)
            if anchor is None:
                anchor = a
    if not found:
        return None
    key = max(found, key=lambda k: len(found[k]))
    values = found[key]
    base_no = 0 if 0 in values or own_map.get(key) == "0" else 1
    current_raw = own_map.get(key)
    # A page without the parameter is the first page, but whether the site counts from 0 or 1
    # is unknown: then every page link is kept (at worst page 1 is fetched twice).
    current = int(current_raw) if current_raw is not None and _INT_RE.match(current_raw) else None
    total = total_pages_near(anchor) if anchor is not None else None
    if total is None and key in last_values:
        total = last_values[key] - base_no + 1
    paging = Paging(style="query", total_pages=total, anchor=anchor)
    if total is not None:
        if current is not None and current != base_no:
            return paging  # the first page listed them all
        wanted: list[int] = list(range(base_no, base_no + total))
    else:
        wanted = sorted(values)
    for n in wanted:
        if current is not None and n <= current:
            continue
        paging.next_urls.append(values.get(n) or _with_param(page_url, own, key, n))
    return paging


def _with_param(base: str, own: list[tuple[str, str]], key: str, value: int) -> str:
    """The page URL with ``key`` set to ``value`` (appended when the page lacks it)."""
    parts = urlsplit(base)
    pairs = [(k, str(value) if k == key else v) for k, v in own]
    if key not in dict(own):
        pairs.append((key, str(value)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))
