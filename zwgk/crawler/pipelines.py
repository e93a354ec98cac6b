"""Item pipeline: every item goes to the store, in batches, each batch one transaction.

Why batches: a 20,000-article crawl yields some 40,000 items; one commit each would make SQLite
the crawl's bottleneck. A batch is committed whole or not at all, so a crawl killed mid-batch
loses only work the resumed run redoes (lists are re-read, unstored articles fetched again).
"""
from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from zwgk.crawler.items import (ArticleItem, FetchErrorItem, ListingItem, ListPageItem,
                               NotModifiedItem, PageFactsItem)
from zwgk.crawler.store import Store


class StorePipeline:
    def __init__(self, db_path: str, run_id: int, batch_items: int = 500,
                 batch_seconds: float = 2.0) -> None:
        self.db_path = db_path
        self.run_id = run_id
        self.batch_items = batch_items
        self.batch_seconds = batch_seconds
        self.store: Store | None = None
        self.pending: list[Any] = []
        self.first_pending = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StorePipeline":
        s = crawler.settings
        return cls(s.get("ZWGK_DB_PATH"), s.getint("ZWGK_RUN_ID"), s.getint("ZWGK_BATCH_ITEMS", 500),
                   s.getfloat("ZWGK_BATCH_SECONDS", 2.0))

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(self.db_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.flush()
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not self.pending:
            self.first_pending = time.monotonic()
        self.pending.append(item)
        if (len(self.pending) >= self.batch_items
                or time.monotonic() - self.first_pending >= self.batch_seconds):
            self.flush()
        return item

    def flush(self) -> None:
        """Write the pending items in one transaction."""
        store = self.store
        assert store is not None
        if not self.pending:
            return
        with store.transaction():
            for item in self.pending:
                self._write(store, item)
        self.pending = []

    def _write(self, store: Store, item: Any) -> None:
        if isinstance(item, ArticleItem):
            store.record_article(self.run_id, asdict(item))
        elif isinstance(item, NotModifiedItem):
            store.record_not_modified(self.run_id, item.url)
        elif isinstance(item, ListingItem):
            store.record_listing(self.run_id, item_id=item.item_id, column_url=item.column_url,
                                 url=item.url, title=item.title, list_date=item.list_date,
                                 found_on=item.found_on, position=item.position)
        elif isinstance(item, ListPageItem):
            store.record_list_page(self.run_id, item_id=item.item_id, column_url=item.column_url,
                                   first=item.first, status=item.status, error=item.error,
                                   entries=item.entries, notes=item.notes)
        elif isinstance(item, FetchErrorItem):
            store.record_fetch_error(self.run_id, item.url, item.status, item.error)
        elif isinstance(item, PageFactsItem):
            store.record_page_facts(self.run_id, url=item.url, kind=item.kind,
                                    item_id=item.item_id, column_url=item.column_url,
                                    facts=item.facts)
