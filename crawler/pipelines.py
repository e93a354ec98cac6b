"""Item pipeline: every item goes to the store, each in its own transaction."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from crawler.items import ArticleItem, FetchErrorItem, ListingItem, ListPageItem
from crawler.store import Store


class StorePipeline:
    def __init__(self, db_path: str, run_id: int) -> None:
        self.db_path = db_path
        self.run_id = run_id
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StorePipeline":
        return cls(crawler.settings.get("ZWGK_DB_PATH"), crawler.settings.getint("ZWGK_RUN_ID"))

    def open_spider(self, spider: Any = None) -> None:
        self.store = Store(self.db_path)

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        store = self.store
        assert store is not None
        if isinstance(item, ArticleItem):
            store.record_article(self.run_id, asdict(item))
        elif isinstance(item, ListingItem):
            store.record_listing(self.run_id, item_id=item.item_id, column_url=item.column_url,
                                 url=item.url, title=item.title, list_date=item.list_date,
                                 found_on=item.found_on)
        elif isinstance(item, ListPageItem):
            store.record_list_page(self.run_id, item_id=item.item_id, column_url=item.column_url,
                                   first=item.first, status=item.status, error=item.error,
                                   entries=item.entries, notes=item.notes)
        elif isinstance(item, FetchErrorItem):
            store.record_fetch_error(self.run_id, item.url, item.status, item.error)
        return item
