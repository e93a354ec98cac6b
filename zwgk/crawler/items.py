"""Scrapy items (dataclasses) the spider yields and the store pipeline writes."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ListPageItem:
    """One list page of a column was read (or failed to be)."""

    item_id: str
    column_url: str
    page_url: str
    first: bool  # the column's own URL: its status is the column's status
    status: int | None
    error: str | None = None
    entries: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class ListingItem:
    """An entry of a column's list: links a catalog item to an article URL."""

    item_id: str
    column_url: str
    url: str
    title: str
    list_date: str | None
    found_on: str
    position: int | None = None  # page number * 10000 + rank on the page (list order)


@dataclass
class ArticleItem:
    url: str
    http_status: int  # 0 = no response (timeout, connection error)
    error: str | None = None
    title: str = ""
    publish_date: str | None = None
    date_source: str = ""
    written_date: str | None = None
    written_source: str = ""
    doc_number: str | None = None
    validity: str | None = None
    meta_publish_date: str | None = None
    rejected_publish_date: str | None = None  # a 发布日期 the page shows but we could not use
    body_status: str = ""                     # "" body located, else why not (frame, script …)
    body_text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    etag: str | None = None           # validators for the next conditional GET
    last_modified: str | None = None


@dataclass
class NotModifiedItem:
    """A conditional GET of a known article answered 304: the stored record still holds."""

    url: str


@dataclass
class FetchErrorItem:
    url: str
    status: int | None
    error: str


@dataclass
class PageFactsItem:
    """Inspection facts of one page (crawler.pagefacts): meta tags, hidden links, masked
    privacy counts; for the home page also the dates it shows (``kind`` home / home_column)."""

    url: str
    kind: str                      # article | list | home | home_column
    item_id: str | None = None
    column_url: str | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class AttachmentItem:
    """An attachment of an article, fetched (size-capped) and read where a reader exists."""

    url: str
    article_url: str
    http_status: int          # 0 = no response
    kind: str = ""            # pdf, docx, xlsx, doc, … ("" unknown)
    status: str = ""          # read | unread | empty | too_large | not_a_file | error: …
    bytes: int = 0
    text: str = ""            # capped (crawler/attachments/read.py MAX_CHARS)
    doc_number: str | None = None
    written_date: str | None = None
