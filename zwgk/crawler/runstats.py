"""The run's statistics: one definition, stored with the run and read by everyone.

Why one module: the live progress line counted list pages requested, articles fetched and every
failed fetch, while the report counted list pages stored, articles listed and stored fetch
errors — so the two disagreed on every run (issue 12). Now the summary below is computed once
after the crawl from the store, saved with the run (``runs.stats_json``), and is what the final
console line, ``findings.json`` ``run`` and the report header all show; the live line only
counts "so far" and ends by giving way to it.
"""
from __future__ import annotations

from typing import Any

# The keys findings.json's "run" block carries (a contract other tools read).
RUN_KEYS = ("requests", "pages", "articles", "errors", "columns", "columns_unreachable",
            "elapsed_seconds")


def column_unreachable(fetch: dict[str, Any]) -> bool:
    return bool(fetch["error"]) or fetch["status"] is None or fetch["status"] >= 400


def summarize(stats: dict[str, Any], fetches: list[dict[str, Any]], counts: dict[str, int],
              mode: str) -> dict[str, Any]:
    """The run summary from Scrapy's stats (``crawl``'s return value), the stored column
    fetches and ``Store.counts``."""
    crawl = {k[5:]: v for k, v in stats.items() if k.startswith("zwgk/") and k != "zwgk/columns"}
    return {
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "pages": sum(f["pages"] for f in fetches),
        "articles": counts["listed"],
        "fetched": int(crawl.get("articles_fetched", 0)) + int(crawl.get("not_modified", 0)),
        "skipped": int(crawl.get("skipped_known", 0)) + int(crawl.get("skipped_stored_tonight", 0)),
        "errors": counts["errors"],
        "columns": counts["columns"],
        "columns_unreachable": sum(1 for f in fetches if column_unreachable(f)),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "mode": mode,
        "crawl": crawl,
        "scrapy": {k: v for k, v in stats.items() if isinstance(v, (int, float, str))},
    }


def summary_line(summary: dict[str, Any]) -> str:
    """The console's last word on a crawl: the stored numbers, as the report shows them."""
    columns = int(summary.get("columns") or 0)
    read = columns - int(summary.get("columns_unreachable") or 0)
    elapsed = float(summary.get("elapsed_seconds") or 0)
    requests = int(summary.get("requests") or 0)
    rate = f" ({requests / elapsed:.0f}/s)" if elapsed > 0 else ""
    return (f"zwgk crawl finished: columns {read}/{columns} · list pages {summary.get('pages')} · "
            f"articles {summary.get('articles')} (fetched {summary.get('fetched', 0)}, skipped "
            f"{summary.get('skipped', 0)} known) · errors {summary.get('errors')} · "
            f"{requests} requests in {elapsed:.0f} s{rate}")


__all__ = ["RUN_KEYS", "summarize", "summary_line", "column_unreachable"]
