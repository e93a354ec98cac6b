"""``parse_list``: one list page in, entries and further pages out.

Readers are tried in a fixed order (docs/listing.md):

1. Hanweb dataproxy answer (an XML datastore document) -> records, no further pages.
2. Hanweb column page (embedded ``<datastore>`` records) -> records + dataproxy ranges.
3. Otherwise pagination first — TRS ``createPageHTML`` script, then query-string pager links,
   then a "下一页" link — and entries from the generic block reader, which uses the pager's
   position to tell the column's list from sidebars.
4. Selector overrides from the catalog replace entries / next pages when given.
5. Completeness notes: announced totals larger than what was read, script-filled lists,
   declared-empty columns.
"""
from __future__ import annotations

from . import completeness, generic, hanweb, nextlink, overrides, query, trs
from .dom import HtmlElement, clean_text, document_base, parse_html
from .types import ListPage


def parse_list(html: str, url: str, *, selectors: dict[str, str] | None = None) -> ListPage:
    """Read a column list page (or a Hanweb dataproxy answer) fetched from ``url``.

    Works without per-site configuration; ``selectors`` (list_entry, list_title, list_date,
    next_page; CSS or XPath) override the automatic result where given. Never raises on odd
    input: unreadable markup gives an empty page with a note."""
    text = clean_text(html if isinstance(html, str) else "")
    url = url if isinstance(url, str) else ""
    if hanweb.is_proxy_response(text, url):
        page = hanweb.read_proxy(text, url)
        records = hanweb.records_root(text) if selectors else None
        if selectors and records is not None:
            _override(page, records, url, selectors, keep_next=True)
        return page
    root = parse_html(text)
    base = document_base(root, url)
    empty_marker: str | None = None
    page = hanweb.read_column(text, root, base)
    if page is None:
        paging = trs.read(root, base) or query.read(root, base, url) or nextlink.read(root, base, url)
        exclude = frozenset(paging.next_urls) if paging else frozenset()
        found = generic.find_entries(root, base, url, pager=paging.anchor if paging else None,
                                     exclude=exclude)
        empty_marker = found.empty_marker if not found.entries else None
        page = ListPage(entries=found.entries)
        if paging is not None:
            page.style = paging.style
            page.next_urls = list(paging.next_urls)
            page.total_pages = paging.total_pages
            page.total_records = paging.total_records
            page.notes.extend(paging.notes)
    if selectors:
        target = root
        if page.style == "hanweb":
            records = hanweb.records_root(text)
            target = records if records is not None else root
        _override(page, target, base, selectors, keep_next=False)
    completeness.add_notes(page, root, empty_marker)
    return page


def _override(page: ListPage, target: HtmlElement, base: str, selectors: dict[str, str],
              keep_next: bool) -> None:
    result = overrides.apply(target, base, selectors)
    if result.entries is not None:
        page.entries = result.entries
    if result.next_urls is not None and not keep_next:
        page.next_urls = result.next_urls
    page.notes.extend(result.notes)
