"""Is what a crawler without JavaScript sees the whole list? Say so when it is not.

A list a site fills (or pages) only by JavaScript must never pass for complete: an audit would
call a column stale or empty that a browser shows full. Two situations are reported:

- the page announces a record count (``recordCount:'9546'`` in a script, ``共9546条`` on the page)
  larger than the entries read, and no reader found further pages: "75 of 9546 records visible
  without JavaScript", naming the script's data endpoint when one is visible;
- no entries at all while the page carries list templates (``ms-repeat``, ``v-for``,
  ``ng-repeat`` …) or data requests (``$.ajax``, ``fetch(`` …): the list is script-filled.

An empty column that says so in plain HTML (暂无信息) gets a note too: the audit can tell a
column that declares itself empty from a page we could not read.
"""
from __future__ import annotations

import re

from .dom import NON_TEXT_TAGS, HtmlElement, element_text
from .paging import total_records_in
from .types import ListPage

_TOTAL_VAR_RE = re.compile(
    r"\b(?:recordCount|record_count|totalRecords?|totalCount|total_count|m_nRecordCount|recordTotal|"
    r"allCount|totalNum|total_num|totalRecordNum)\s*['\"]?\s*[:=]\s*['\"]?\s*(\d{1,9})")
_TEMPLATE_ATTRS = ("ms-repeat", "ms-for", "v-for", "ng-repeat", "x-for", "*ngfor", "data-bind")
_AJAX_RE = re.compile(
    r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|\baxios\b|XMLHttpRequest|\.jpage\s*\(|"
    r"\blistApi\b|\brequire\s*\(\s*\[")
_ENDPOINT_RE = re.compile(
    r"""(?:\burl\s*:\s*|\$\.(?:get|post|getJSON)\s*\(\s*|\bfetch\s*\(\s*|axios\.(?:get|post)\s*\(\s*)"""
    r"""['"]([^'"\s]{2,200})['"]""")
# The note's prefix the audit reads (column_unreadable, never 空白栏目) and the spider's render step.
JS_REQUIRED = "js_required"
DECLARED_EMPTY = "the page says the list is empty"
_STATIC_ASSET_RE = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|html?)(?:\?|$)", re.I)


def announced_total(root: HtmlElement) -> int | None:
    """A record count the page states, in a script variable or as 共N条 in visible text."""
    for script in root.iter("script"):
        m = _TOTAL_VAR_RE.search(script.text or "")
        if m:
            return int(m.group(1))
    body = root.find("body")
    return total_records_in(element_text(body)) if body is not None else None


def _endpoints(root: HtmlElement) -> list[str]:
    found: list[str] = []
    for script in root.iter("script"):
        for m in _ENDPOINT_RE.finditer(script.text or ""):
            value = m.group(1)
            if not _STATIC_ASSET_RE.search(value) and value not in found:
                found.append(value)
    return found


def _script_driven(root: HtmlElement) -> bool:
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in NON_TEXT_TAGS and \
                any(attr.lower() in _TEMPLATE_ATTRS for attr in el.attrib):
            return True
    return any(_AJAX_RE.search(script.text or "") for script in root.iter("script"))


def add_notes(page: ListPage, root: HtmlElement, empty_marker: str | None = None) -> None:
    """Set total_records from the page when no reader did, and explain what is missing."""
    if page.total_records is None:
        page.total_records = announced_total(root)
    seen = len(page.entries)
    total = page.total_records
    endpoints = _endpoints(root)
    via = f"; the rest load through {', '.join(endpoints[:3])}" if endpoints else ""
    if total is not None and total > seen and not page.next_urls and page.style != "hanweb_proxy":
        page.notes.append(f"{seen} of {total} records visible without JavaScript{via}")
        return
    if seen:
        return
    if empty_marker:
        page.notes.append(f"{DECLARED_EMPTY}: {empty_marker}")
    elif _script_driven(root):
        where = f" (endpoints: {', '.join(endpoints[:3])})" if endpoints else ""
        page.notes.append(f"{JS_REQUIRED}: no list entries in the static HTML; the list appears to "
                          f"be filled by JavaScript{where}")
    elif not page.next_urls:
        page.notes.append("no dated list found on the page")
