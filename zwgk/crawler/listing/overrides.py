"""Per-column selector overrides from the catalog (keys list_entry, list_title, list_date,
next_page; each CSS or XPath).

They replace what the automatic readers found, piece by piece: ``list_entry`` replaces the
entries (``list_title`` / ``list_date`` refine how a row is read, relative to the row),
``next_page`` replaces the next pages. An expression starting with ``/``, ``./``, ``../`` or
``(`` is XPath, anything else CSS. A selector that does not compile or evaluate is reported in
the notes and ignored: one bad line of configuration must not cost the whole column.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml.cssselect import CSSSelector

from .dates import date_only, dates_in
from .dom import HtmlElement, element_text, norm_space, resolve_href
from .rows import entry_from_row, link_title, row_date
from .types import ListEntry

_XPATH_START_RE = re.compile(r"^\s*(?:/|\./|\.\./|\(|@)")
KEYS = ("list_entry", "list_title", "list_date", "next_page")

Select = Callable[[HtmlElement], list]


@dataclass
class Override:
    entries: list[ListEntry] | None = None  # None: keep the readers' entries
    next_urls: list[str] | None = None  # None: keep the readers' pages
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=256)
def compile_selector(expr: str) -> Select:
    """A callable returning the matches of ``expr`` under an element; raises ValueError when
    the expression does not compile."""
    try:
        if _XPATH_START_RE.match(expr):
            xpath = etree.XPath(expr.strip())
            return lambda el: _as_list(xpath(el))
        css = CSSSelector(expr)
        return lambda el: list(css(el))
    except Exception as exc:  # cssselect raises its own SelectorError family
        raise ValueError(f"{expr!r}: {exc}") from exc


def _as_list(value: object) -> list:
    if isinstance(value, list):
        return value
    if value is None or value is False:
        return []
    return [value]


def _compiled(selectors: dict[str, str], notes: list[str]) -> dict[str, Select]:
    ready: dict[str, Select] = {}
    for key in KEYS:
        expr = selectors.get(key)
        if not expr or not expr.strip():
            continue
        try:
            ready[key] = compile_selector(expr)
        except ValueError as exc:
            notes.append(f"selector {key} ignored: {exc}")
    return ready


def _run(select: Select, el: HtmlElement, key: str, notes: list[str]) -> list:
    try:
        return select(el)
    except (etree.XPathError, ValueError, TypeError) as exc:
        message = f"selector {key} failed: {exc}"
        if message not in notes:
            notes.append(message)
        return []


def apply(root: HtmlElement, base: str, selectors: dict[str, str]) -> Override:
    result = Override()
    ready = _compiled(selectors, result.notes)
    if "list_entry" in ready:
        rows = [r for r in _run(ready["list_entry"], root, "list_entry", result.notes)
                if isinstance(r, etree._Element)]
        entries: list[ListEntry] = []
        seen: set[str] = set()
        for row in rows:
            entry = _read_row(row, base, ready, result.notes)
            if entry is not None and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
        result.entries = entries
        if not rows:
            result.notes.append("selector list_entry matched nothing")
    if "next_page" in ready:
        urls: list[str] = []
        for match in _run(ready["next_page"], root, "next_page", result.notes):
            href = match if isinstance(match, str) else _href_of(match)
            url = resolve_href(base, href) if href else None
            if url and url not in urls:
                urls.append(url)
        result.next_urls = urls
    return result


def _href_of(el: object) -> str | None:
    if not isinstance(el, etree._Element):
        return None
    if el.get("href"):
        return el.get("href")
    for a in el.iter("a"):
        if a.get("href"):
            return a.get("href")
    return None


def _read_row(row: HtmlElement, base: str, ready: dict[str, Select], notes: list[str]) -> ListEntry | None:
    url: str | None = None
    title = ""
    link: HtmlElement | None = None
    if "list_title" in ready:
        matches = _run(ready["list_title"], row, "list_title", notes)
        if matches:
            first = matches[0]
            if isinstance(first, etree._Element):
                link = first if first.tag == "a" else next(
                    (a for a in first.iterancestors("a")), None) or next(first.iter("a"), None)
                title = link_title(first) if first.tag == "a" else element_text(first)
            else:
                title = norm_space(str(first))
    if link is None:
        auto = entry_from_row(row, base)
        if auto is None:
            return None
        link, url = auto.link, auto.url
        title = title or auto.title
    else:
        url = resolve_href(base, link.get("href"))
        title = title or link_title(link)
    if url is None or not title:
        return None
    if "list_date" in ready:
        value = None
        for match in _run(ready["list_date"], row, "list_date", notes):
            text = match if isinstance(match, str) else element_text(match) \
                if isinstance(match, etree._Element) else ""
            value = date_only(text, url) or next(iter(dates_in(text)), None)
            if value is not None:
                break
    else:
        value = row_date(row, link, url)
    return ListEntry(url, title, value)
