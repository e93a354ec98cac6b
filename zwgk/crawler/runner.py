"""Run the spider in-process, bracketed by the store: what is known before, what changed after.

Twisted's reactor cannot be restarted: one process runs one crawl (the CLI does exactly one per
command; tests call the CLI in a subprocess).

Before the crawl, ``Store.crawl_state`` tells the spider what earlier finished crawls know (the
incremental shortcuts). After it, the columns' walk outcomes and statistics are stored with the
run and ``Store.settle_listings`` carries over the known articles not re-listed tonight and
records the ones that disappeared. A crawl stopped before its end (Ctrl-C, SIGTERM) is not
settled: the run stays open and the next ``zwgk run`` resumes it.
"""
from __future__ import annotations

import logging
import signal
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess

from zwgk.crawler.spiders.columns import ColumnsSpider
from zwgk.crawler.store import Store


def crawl(columns: list[dict[str, Any]], settings: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Crawl the given columns with the given settings; return the crawl's stats (Scrapy's, plus
    ``zwgk/…`` totals of the incremental crawl and ``zwgk/columns``, the per-column reports)."""
    db_path, run_id = settings["ZWGK_DB_PATH"], int(settings["ZWGK_RUN_ID"])
    store = Store(db_path)
    try:
        state = store.crawl_state(run_id, [(c["item_id"], c["url"]) for c in columns])
    finally:
        store.close()
    process = CrawlerProcess({**settings, "LOG_INSTALL_ROOT_HANDLER": False})
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL", "WARNING"))
    crawler = process.create_crawler(ColumnsSpider)
    reports: list[dict[str, Any]] = []

    def closed(spider: ColumnsSpider, reason: str) -> None:
        reports.extend(spider.column_reports())

    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler, columns=columns, as_of=as_of, state=state)
    # Scrapy installs its SIGTERM/SIGINT handlers for the crawl and leaves them behind, where they
    # would swallow a later SIGTERM (the reactor is gone): give the caller's back afterwards.
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        process.start()
    finally:
        for signum, handler in saved.items():
            if handler is not None:
                signal.signal(signum, handler)
    raw = dict(crawler.stats.get_stats()) if crawler.stats else {}
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in raw.items()}
    if stats.get("finish_reason") == "shutdown":
        raise KeyboardInterrupt  # stopped by a signal: leave the run open, to be resumed
    totals: Counter = Counter()
    store = Store(db_path)
    try:
        with store.transaction():
            for report in reports:
                store.record_column_walk(run_id, item_id=report["item_id"],
                                         column_url=report["column_url"], walk=report["walk"],
                                         stop_reason=report["stop_reason"],
                                         complete=report["complete"], capped=report["capped"],
                                         stats=report["stats"])
                totals.update(report["stats"])
        settled = store.settle_listings(run_id)
    finally:
        store.close()
    for key, value in sorted(totals.items()):
        stats[f"zwgk/{key}"] = value
    stats["zwgk/columns_incremental"] = sum(1 for r in reports if r["walk"] == "incremental")
    stats["zwgk/columns_capped"] = sum(1 for r in reports if r["capped"])
    stats["zwgk/carried_over"] = settled["carried"]
    stats["zwgk/gone"] = settled["gone"]
    stats["zwgk/newly_listed"] = settled["new"]
    stats["zwgk/columns"] = reports
    return stats
