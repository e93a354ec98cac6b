"""The store moved to ``zwgk.store`` (it is a part of its own, not the crawler's); this name stays
importable for code written against it."""
from zwgk.store import (SCHEMA_VERSION, CrawlState, KnownArticle, Store, StoreError,  # noqa: F401
                        StoreUnavailable)
