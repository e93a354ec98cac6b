"""The store of the architecture: one schema (``schema``), its migrations (``migrations/``), every
query (``store``), and the lock that keeps one writer per store or per site (``locks``)."""
from zwgk.store.schema import SCHEMA_VERSION
from zwgk.store.store import (CrawlState, KnownArticle, Store, StoreError, StoreUnavailable,
                              display_url, is_url)

__all__ = ["SCHEMA_VERSION", "CrawlState", "KnownArticle", "Store", "StoreError",
           "StoreUnavailable", "display_url", "is_url"]
