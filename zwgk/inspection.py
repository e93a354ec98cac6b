"""Use cases of the 检查指标自查 (issue 15): ``probe`` (availability, run by cron) and the
inspection of a stored run (home page, privacy, page tags, hidden links, wording).

Application layer: it alone reads files and the network and hands plain records to the pure
rules of ``audit.rules.inspection``.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from zwgk.audit.model import articles_from_rows
from zwgk.audit.rules.inspection import PROBE_WINDOW_DAYS, Inspection, PageRecord, Probe, inspect
from zwgk.audit.wordlist import Term, WordlistError, parse_wordlist

PROBE_TIMEOUT = 15.0   # 检查指标: a page not open within 15 s counts as unreachable
PROBE_WORKERS = 4


class InspectionError(Exception):
    """A file the inspection needs cannot be used (names the file and line)."""


def homepage_of(site: Any) -> str:
    return site.homepage or site.base_url


def probe_targets(config: Any) -> list[str]:
    """The home page and each column's first list page, once each."""
    urls = [homepage_of(config.site)]
    for item in config.items:
        for column in item.columns:
            if column.url not in urls:
                urls.append(column.url)
    return urls


def _probe_one(url: str, user_agent: str, timeout: float) -> dict[str, Any]:
    at = datetime.now(timezone.utc)
    started = at.timestamp()
    status: int | None = None
    error: str | None = None
    try:
        req = urllib.request.Request(url, headers={"User-Agent": user_agent})
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only
            resp.read(64 * 1024)
            status = resp.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:200] or type(exc).__name__
    seconds = round(datetime.now(timezone.utc).timestamp() - started, 3)
    ok = status is not None and status < 400 and seconds <= timeout
    return {"url": url, "at": at.isoformat(timespec="seconds"), "status": status, "ok": ok,
            "seconds": seconds, "error": error}


def probe(config: Any, store: Any, timeout: float = PROBE_TIMEOUT) -> list[dict[str, Any]]:
    """Request each target once (a few at a time), record every result in the store."""
    targets = probe_targets(config)
    with ThreadPoolExecutor(max_workers=min(PROBE_WORKERS, len(targets))) as pool:
        results = list(pool.map(lambda u: _probe_one(u, config.site.user_agent, timeout), targets))
    store.record_probes(config.site.base_url, results)
    return results


def load_terms(config: Any) -> tuple[Term, ...]:
    path = config.site.audit.wordlist
    if not path:
        return ()
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InspectionError(f"site.audit.wordlist: cannot read {path}: {exc}") from None
    try:
        return parse_wordlist(text, path)
    except WordlistError as exc:
        raise InspectionError(str(exc)) from None


def inspect_run(config: Any, store: Any, run_id: int, as_of: date) -> Inspection:
    run = store.run(run_id) or {}
    base_url = run.get("base_url") or config.site.base_url
    pages = [PageRecord(url=r["url"], kind=r["kind"], item_id=r["item_id"],
                        column_url=r["column_url"], facts=r["facts"])
             for r in store.iter_page_facts(run_id)]
    # a day earlier than the window: its Beijing days begin at 16:00 UTC the day before
    since = date.fromordinal(as_of.toordinal() - PROBE_WINDOW_DAYS).isoformat()
    probes = [Probe(url=p["url"], at=datetime.fromisoformat(p["at"]), ok=bool(p["ok"]),
                    status=p["status"]) for p in store.probes(base_url, since)]
    terms = load_terms(config)
    # Only the wording check reads articles (their bodies): without a word list, a 100k-article
    # store is not read a second time for nothing (issue 16).
    articles = articles_from_rows(store.iter_listed_articles(run_id)) if terms else []
    return inspect(base_url=base_url, pages=pages, probes=probes, articles=articles,
                   terms=terms, as_of=as_of,
                   wordlist_configured=bool(config.site.audit.wordlist))


__all__ = ["probe", "probe_targets", "inspect_run", "load_terms", "InspectionError"]
