"""What list-page readers return (contract between listing readers and the spider)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ListEntry:
    url: str  # absolute
    title: str
    date: date | None = None  # the date shown next to the entry on the list, if any


@dataclass
class ListPage:
    entries: list[ListEntry] = field(default_factory=list)
    # Further list pages of the same column to fetch (absolute URLs, GET). Readers may return all
    # pages at once (createPageHTML, Hanweb record ranges) or only the next one ("下一页").
    next_urls: list[str] = field(default_factory=list)
    total_pages: int | None = None  # when the page announces it
    total_records: int | None = None  # when the page announces it (Hanweb totalRecord)
    style: str = "generic"  # trs | hanweb | hanweb_proxy | query | nextlink | generic
    # Human-readable remarks, e.g. "75 of 9546 records visible without JavaScript".
    notes: list[str] = field(default_factory=list)
