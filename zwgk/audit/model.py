"""Records the audit consumes.

They are deliberately independent of Scrapy items and of the SQLite schema: the CLI converts
store rows into these, so the audit can be tested with plain constructors.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Article:
    """One article page reached from a catalog item's column. Slots, not a dict per instance:
    a 100k-article audit holds every one (about 1.3 KB each with a dict; issue 16)."""

    url: str
    item_id: str
    column_url: str
    title: str = ""
    publish_date: date | None = None
    written_date: date | None = None
    doc_number: str | None = None
    date_source: str = ""
    list_date: date | None = None
    # HTTP status of the article page; >= 400 (or 0 for a network error) makes a broken link.
    http_status: int = 200
    # The list page the entry was found on (evidence for broken links).
    found_on: str = ""
    # Visible body text (trimmed); meeting dates and policy titles are read from it.
    body_text: str = ""
    # Outgoing links of the body as (absolute url, anchor text): 相关文件 / 原文 links.
    links: tuple[tuple[str, str], ...] = ()
    # A publish date from page metadata that disagrees with the visible one (evidence only).
    meta_publish_date: date | None = None
    validity: str | None = None
    # False when the crawler never fetched the page (an off-site entry): its body is unknown.
    fetched: bool = True
    # Why the page could not be read (extract_error, timeout …); None when it was read.
    error: str | None = None
    # The page shows a 发布日期 that cannot be right (future, before 1990, 9999-12-31): not used.
    publish_date_rejected: bool = False
    # What that page showed as its 发布日期 when it could not be used (ISO, as printed; any such
    # date, even when another of the page's dates was used): date_future judges from it.
    rejected_publish_date: str | None = None
    # "" when the crawler located the page's body (empty or not), else why not (frame, script,
    # no_text): content_missing does not judge a body nobody could find.
    body_status: str = ""


@dataclass(frozen=True)
class ColumnFetch:
    """What happened when the crawler read one column's list pages."""

    item_id: str
    column_url: str
    # HTTP status of the first list page; None when no response arrived (timeout, refused).
    status: int | None
    error: str | None = None
    pages: int = 0
    entries: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The walk stopped at the per-column page cap (a pagination trap or a huge column), or some
    # entries were not read: a page or the column listed more than the crawl's entry caps.
    capped: bool = False
    entries_capped: int = 0

    @property
    def reachable(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and not self.error


def _date(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def articles_from_rows(rows: Iterable[dict]) -> list[Article]:
    """Build Articles from store rows (listing joined with article).

    An article whose page gave no publish date falls back to the date its list showed, with
    date_source "list" so the report says which date the audit used. An entry whose page was
    never fetched (off-site link) keeps status 200 and its list date: it is not a broken link.
    """
    import json

    out = []
    # One string object per distinct value of the columns most rows repeat (an item's id, its
    # column's URL, the list page, how the date was read): 100k rows, a few hundred values.
    shared: dict[str, str] = {}
    one = shared.setdefault
    for r in rows:
        publish = _date(r.get("publish_date"))
        source = r.get("date_source") or ""
        list_date = _date(r.get("list_date"))
        if publish is None and list_date is not None:
            publish, source = list_date, "list"
        status = r.get("http_status")
        links_raw = r.get("links_json") or "[]"
        links = (tuple(tuple(x) for x in json.loads(links_raw))
                 if isinstance(links_raw, str) and links_raw != "[]" else ())
        out.append(Article(
            url=r["url"], item_id=one(r["item_id"], r["item_id"]),
            column_url=one(r.get("column_url") or "", r.get("column_url") or ""),
            title=r.get("title") or r.get("list_title") or "", publish_date=publish,
            written_date=_date(r.get("written_date")), doc_number=r.get("doc_number") or None,
            date_source=one(source, source), list_date=list_date,
            http_status=200 if status is None or status != status else int(status),
            found_on=one(r.get("found_on") or "", r.get("found_on") or ""),
            body_text=r.get("body_text") or "",
            links=links, meta_publish_date=_date(r.get("meta_publish_date")),
            validity=r.get("validity") or None,
            fetched=status is not None and status == status, error=r.get("error") or None,
            publish_date_rejected=r.get("date_source") == "rejected",
            rejected_publish_date=r.get("rejected_publish_date") or None,
            body_status=r.get("body_status") or "",
        ))
    return out


def columns_from_rows(rows: "list[dict]") -> list[ColumnFetch]:
    return [ColumnFetch(item_id=r["item_id"], column_url=r["column_url"], status=r.get("status"),
                        error=r.get("error"), pages=int(r.get("pages") or 0),
                        entries=int(r.get("entries") or 0), notes=tuple(r.get("notes") or ()),
                        capped=bool(r.get("pagination_capped")),
                        entries_capped=int(_stats(r).get("entries_capped") or 0))
            for r in rows]


def _stats(row: "dict") -> "dict":
    """The crawl statistics stored with a column fetch (JSON text, or already a dict)."""
    import json

    raw = row.get("stats_json") or row.get("stats") or {}
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
