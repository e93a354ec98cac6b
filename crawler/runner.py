"""Run the spider in-process and return Scrapy's stats.

Twisted's reactor cannot be restarted: one process runs one crawl (the CLI does exactly one per
command; tests call the CLI in a subprocess).
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.spiders.columns import ColumnsSpider


def crawl(columns: list[dict[str, Any]], settings: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Crawl the given columns with the given settings; return the crawl's stats."""
    process = CrawlerProcess(settings, install_root_handler=False)
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL", "WARNING"))
    crawler = process.create_crawler(ColumnsSpider)
    process.crawl(crawler, columns=columns, as_of=as_of)
    process.start()
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}
