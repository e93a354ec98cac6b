"""Every call the console makes into the store and into the spot-check path, in one place.

Today's store (``zwgk.crawler.store``) is SQLite behind its own class and the use cases live in
``zwgk.cli``; both are about to move (SQLAlchemy Core + Alembic, an application layer of use
cases). The console's pages and jobs call only this module, so the move re-points these functions
and nothing else. Reads the store class does not offer (a site's nights, one item across nights)
are plain SELECTs on the store's tables through the console's SQLAlchemy engine; they never
write. A night's report is re-rendered from the store exactly as ``zwgk report`` does, without
saving anything.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from zwgk.console.sites import SiteEntry
from zwgk.console.tables import engine_for

NIGHTS_SHOWN = 60
TREND_NIGHTS = 14
ARTICLES_SHOWN = 15
# A run belongs to a site by its key (runs of `zwgk run --sites`: the config's slug) or, for
# runs made before site keys or with one --config, by the catalog's site name.
_OF_SITE = "(r.site_key = :key OR (r.site_key = '' AND r.site = :site))"
_AUDITED_RUN = ("r.kind != 'check' AND r.status = 'finished' AND EXISTS "
                "(SELECT 1 FROM item_results i0 WHERE i0.run_id = r.id)")


_READY: set[str] = set()


def console_engine(db: str) -> Engine:
    """The console's engine on the store's database. A new database file is made a store first:
    the store refuses a non-empty file without its schema, so the console's tables must never be
    the first thing in it (``zwgk user add`` before the first nightly run)."""
    from zwgk.usecases import open_store

    open_store(db).close()
    return engine_for(db)


def _store_ready(engine: Engine) -> bool:
    """The store's tables exist (a console may start before the first nightly run)."""
    key = str(engine.url)
    if key not in _READY and sa.inspect(engine).has_table("runs"):
        _READY.add(key)
    return key in _READY


def _rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(sa.text(sql), params)]


# --- nights ------------------------------------------------------------------------------------

def nights(engine: Engine, site: SiteEntry, limit: int = NIGHTS_SHOWN) -> list[dict[str, Any]]:
    """The site's audited nightly runs, newest first, with their totals."""
    if not _store_ready(engine):
        return []
    rows = _rows(engine, f"""
        SELECT r.id, r.as_of, r.started_at, r.finished_at, r.stats_json,
          (SELECT COALESCE(SUM(i.fails), 0) FROM item_results i WHERE i.run_id = r.id) AS fails,
          (SELECT COALESCE(SUM(i.warns), 0) FROM item_results i WHERE i.run_id = r.id) AS warns,
          (SELECT COUNT(*) FROM item_results i WHERE i.run_id = r.id) AS items,
          (SELECT COUNT(*) FROM item_results i WHERE i.run_id = r.id AND i.status = 'fail')
            AS items_failed,
          (SELECT COUNT(*) FROM unit_results u WHERE u.run_id = r.id AND u.veto = 1) AS units_vetoed,
          (SELECT MIN(u.score) FROM unit_results u WHERE u.run_id = r.id) AS worst_score
        FROM runs r WHERE {_OF_SITE} AND {_AUDITED_RUN}
        ORDER BY r.id DESC LIMIT :limit""", site=site.name, key=site.slug, limit=limit)
    for row in rows:
        stats = json.loads(row.pop("stats_json") or "{}")
        row.update({k: stats.get(k) for k in ("pages", "articles", "errors", "elapsed_seconds")})
    return rows


def night(engine: Engine, site: SiteEntry, run_id: int) -> dict[str, Any] | None:
    rows = _rows(engine, f"SELECT r.id, r.as_of FROM runs r WHERE r.id = :id AND {_OF_SITE} "
                         f"AND {_AUDITED_RUN}", id=run_id, site=site.name, key=site.slug) if _store_ready(engine) else []
    return rows[0] if rows else None


def _veto(engine: Engine, site: SiteEntry, run_id: int) -> dict[str, Any]:
    from zwgk.audit.scoring import veto_tally

    items: dict[str, dict[str, Any]] = {}
    for f in _rows(engine, "SELECT item_id, rule, details_json FROM findings WHERE run_id = :id",
                   id=run_id):
        items.setdefault(f["item_id"], {"id": f["item_id"], "findings": []})["findings"].append(
            {"rule": f["rule"], "details": json.loads(f["details_json"] or "{}")})
    return veto_tally(list(items.values()), site.config.site.audit)


class Overview:
    """One line per site for the front page and ``GET /api/sites``. The expensive part (veto
    tally, worst 责任单位, trend) is computed once per newest night and kept."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache: dict[str, tuple[int | None, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def site(self, site: SiteEntry) -> dict[str, Any]:
        latest = None
        if _store_ready(self.engine):
            found = _rows(self.engine, f"SELECT MAX(r.id) AS id FROM runs r WHERE {_OF_SITE} "
                                       f"AND {_AUDITED_RUN}", site=site.name, key=site.slug)
            latest = found[0]["id"] if found else None
        with self._lock:
            cached = self._cache.get(site.slug)
        if cached and cached[0] == latest:
            return cached[1]
        line = self._compute(site, latest)
        with self._lock:
            self._cache[site.slug] = (latest, line)
        return line

    def _compute(self, site: SiteEntry, latest: int | None) -> dict[str, Any]:
        line: dict[str, Any] = {"slug": site.slug, "name": site.name,
                                "base_url": site.config.site.base_url,
                                "items": len(site.config.items), "latest": None, "verdict": None,
                                "veto": None, "worst_unit": None, "trend": []}
        if latest is None:
            return line
        recent = nights(self.engine, site, TREND_NIGHTS)
        line["latest"] = recent[0]
        line["trend"] = [{"run": n["id"], "as_of": n["as_of"], "fails": n["fails"],
                          "warns": n["warns"], "items_failed": n["items_failed"]}
                         for n in reversed(recent)]
        veto = _veto(self.engine, site, latest)
        line["veto"] = {"would_fail": veto["would_fail"], "message": veto["message"],
                        "checks": [{k: c[k] for k in ("label", "count", "threshold", "triggered")}
                                   for c in veto["checks"]]}
        units = _rows(self.engine, "SELECT unit, score, status, veto, fails, warns FROM "
                                   "unit_results WHERE run_id = :id ORDER BY veto DESC, score, "
                                   "unit LIMIT 1", id=latest)
        line["worst_unit"] = ({**units[0], "veto": bool(units[0]["veto"])} if units else None)
        failed = recent[0]["items_failed"] > 0 or veto["would_fail"] or \
            bool(line["worst_unit"] and line["worst_unit"]["veto"])
        line["verdict"] = "fail" if failed else ("warn" if recent[0]["warns"] else "pass")
        return line


def item_results(engine: Engine, run_id: int) -> dict[str, dict[str, Any]]:
    """item id → its stored result of one night (status, fails, warns, articles)."""
    return {r["item_id"]: r for r in _rows(
        engine, "SELECT item_id, status, fails, warns, article_count, latest_publish_date "
                "FROM item_results WHERE run_id = :id", id=run_id)}


# --- one night's report ------------------------------------------------------------------------

class Reports:
    """``report.html`` of a stored night, rendered as ``zwgk report`` renders it (same audit,
    same template, same CSP) but without saving; the newest few are kept in memory."""

    def __init__(self, db: str, keep: int = 8) -> None:
        self.db = db
        self.keep = keep
        self._cache: OrderedDict[tuple[str, int], str] = OrderedDict()
        self._lock = threading.Lock()

    def html(self, site: SiteEntry, run_id: int) -> str:
        key = (site.slug, run_id)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        text = self._render(site, run_id)
        with self._lock:
            self._cache[key] = text
            while len(self._cache) > self.keep:
                self._cache.popitem(last=False)
        return text

    def _render(self, site: SiteEntry, run_id: int) -> str:
        from zwgk import usecases
        from zwgk.report.html import render_html

        store = usecases.open_store(self.db)
        try:
            run = usecases._stored_run(store, run_id)
            config = usecases._config_for_run(site.config, run)
            as_of = date.fromisoformat(run["as_of"])
            results, articles = usecases.do_audit(config, store, run_id, as_of, save=False)
            doc = usecases.findings_doc(config, store, run_id, results)
            return render_html(doc, config, articles, store.column_fetches(run_id))
        finally:
            store.close()


# --- one item across nights --------------------------------------------------------------------

def item_history(engine: Engine, site: SiteEntry, item_id: str) -> dict[str, Any]:
    """An item's status night by night, its findings with when each was first seen and when it
    was resolved, and every article its columns ever listed."""
    out: dict[str, Any] = {"nights": [], "findings": [], "articles": []}
    if not _store_ready(engine):
        return out
    out["nights"] = _rows(engine, f"""
        SELECT r.id, r.as_of, i.status, i.fails, i.warns, i.article_count, i.latest_publish_date
        FROM item_results i JOIN runs r ON r.id = i.run_id
        WHERE {_OF_SITE} AND i.item_id = :item AND {_AUDITED_RUN}
        ORDER BY r.id DESC LIMIT :limit""", site=site.name, key=site.slug, item=item_id, limit=NIGHTS_SHOWN)
    audited = sorted((n["id"], n["as_of"]) for n in out["nights"])
    rows = _rows(engine, f"""
        SELECT f.run_id, r.as_of, f.key, f.rule, f.severity, f.message, f.first_seen,
               f.evidence_json
        FROM findings f JOIN runs r ON r.id = f.run_id
        WHERE {_OF_SITE} AND f.item_id = :item AND {_AUDITED_RUN}
        ORDER BY f.run_id""", site=site.name, key=site.slug, item=item_id)
    by_key: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["key"] or f"{row['rule']}|{row['message']}"
        entry = by_key.setdefault(key, {"rule": row["rule"], "first_seen": row["first_seen"]
                                        or row["as_of"], "nights": 0})
        entry.update({"severity": row["severity"], "message": row["message"],
                      "evidence": json.loads(row["evidence_json"] or "[]"),
                      "last_run": row["run_id"], "last_seen": row["as_of"]})
        entry["nights"] += 1
    for entry in by_key.values():
        later = [as_of for rid, as_of in audited if rid > entry["last_run"]]
        entry["resolved"] = later[0] if later else None
    out["findings"] = sorted(by_key.values(), key=lambda e: (e["resolved"] is not None,
                                                             e["severity"] != "fail",
                                                             e["first_seen"] or ""))
    urls = [c.url for it in site.config.items if it.id == item_id for c in it.columns]
    if urls:
        params = {f"c{i}": u for i, u in enumerate(urls)}
        out["articles"] = _rows(engine, f"""
            SELECT p.url, p.column_url, COALESCE(NULLIF(a.title, ''), p.list_title) AS title,
                   a.publish_date, a.date_source, p.list_date, p.found_on,
                   r1.as_of AS first_seen, r2.as_of AS last_seen, r3.as_of AS gone_since
            FROM list_presence p LEFT JOIN articles a ON a.url = p.url
            LEFT JOIN runs r1 ON r1.id = p.first_seen_run
            LEFT JOIN runs r2 ON r2.id = p.last_seen_run
            LEFT JOIN runs r3 ON r3.id = p.gone_since_run
            WHERE p.item_id = :item AND p.column_url IN ({', '.join(':' + k for k in params)})
            ORDER BY COALESCE(a.publish_date, p.list_date) DESC, p.url LIMIT 500""",
                                item=item_id, **params)
    return out


# --- spot-checks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckRequest:
    """Everything a worker process needs to run one spot-check (picklable, plain values)."""
    check_id: int
    db: str                     # the console's database (progress and result are written there)
    config_path: str            # the site's catalog
    base_url: str | None        # the site served at another address (--base-url)
    item_id: str | None         # a catalog item, or
    url: str | None             # a column URL with its 公开时限
    deadline: str | None
    as_of: str
    origins: tuple[str, ...]    # egress: the hosts the crawl may fetch
    download_delay: float | None = None


def _target(req: CheckRequest):  # -> tuple[Config, Item]
    """The item to check, chosen exactly as ``zwgk check ITEM`` / ``--url --deadline`` does."""
    from zwgk import cli

    args = argparse.Namespace(config=req.config_path, base_url=req.base_url, url=req.url,
                              item_id=None if req.url else req.item_id, deadline=req.deadline,
                              name=None, unit=None, series=None)
    return cli._check_target(args)


def target_columns(req: CheckRequest) -> tuple[str | None, list[str]]:
    """(why the request names no checkable item — unknown item, bad URL or deadline — or None;
    the column URLs the check will start from, for the egress pre-flight). Run before queueing,
    so a bad request is a 400, not a failed check."""
    from zwgk.usecases import ZwgkError

    try:
        _, item = _target(req)
    except ZwgkError as exc:
        return str(exc), []
    return None, [c.url for c in item.columns]


def _progress_counts(path: Path) -> tuple[int, int]:
    """(list pages read, articles listed) so far in a check's private store."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        pages = conn.execute("SELECT COALESCE(SUM(pages), 0) FROM column_fetches").fetchone()[0]
        listed = conn.execute("SELECT COUNT(DISTINCT url) FROM listings").fetchone()[0]
        return int(pages), int(listed)
    finally:
        conn.close()


def _article_view(a: Any) -> dict[str, Any]:
    return {"title": a.title, "url": a.url,
            "publish_date": a.publish_date.isoformat() if a.publish_date else None,
            "date_source": a.date_source, "list_date": a.list_date.isoformat() if a.list_date else None,
            "found_on": a.found_on}


def spot_check(req: CheckRequest, progress: Callable[[int, int], None]) -> dict[str, Any]:
    """Run the check the way ``zwgk check`` does (crawl the item into a throw-away store, audit
    it), behind the egress guard; ``progress(pages, articles)`` is called while it crawls.
    Returns the result kept with the check record."""
    from zwgk import usecases
    from zwgk.report.html import format_table
    from zwgk.console.egress import crawl_settings, origins_from_entries

    config, item = _target(req)
    extra = {**crawl_settings(origins_from_entries(req.origins)), "ZWGK_PROGRESS": "off"}
    with tempfile.TemporaryDirectory(prefix="zwgk-console-check-") as tmp:
        path = Path(tmp) / "check.sqlite"
        stop = threading.Event()

        def poll() -> None:
            last = (0, 0)
            while not stop.wait(0.3):
                try:
                    counts = _progress_counts(path)
                except sqlite3.Error:  # not created yet, or busy: next time
                    continue
                if counts != last:  # write to the shared database only when something moved
                    last = counts
                    progress(*counts)

        poller = threading.Thread(target=poll, name="check-progress", daemon=True)
        poller.start()
        try:
            done = usecases.spot_check(config, item, as_of=date.fromisoformat(req.as_of),
                                       db=str(path), delay=req.download_delay,
                                       extra_settings=extra)
        finally:
            stop.set()
            poller.join()
        pages, listed = _progress_counts(path)
    result = done.result
    mine = [a for a in done.articles if a.item_id == item.id]
    stats = done.doc.get("run", {})
    newest = sorted(mine, key=lambda a: (a.publish_date or a.list_date or date.min), reverse=True)
    return {
        "item": {"id": item.id, "name": item.name, "deadline": item.deadline,
                 "units": list(item.units), "columns": [c.url for c in item.columns],
                 "rules": item.rules.describe()},
        "status": result["status"], "latest_publish_date": result["latest_publish_date"],
        "article_count": result["article_count"], "findings": result["findings"],
        "articles": [_article_view(a) for a in newest[:ARTICLES_SHOWN]],
        "pages": pages, "listed": listed, "requests": stats.get("requests"),
        "errors": stats.get("errors"), "elapsed_seconds": stats.get("elapsed_seconds"),
        "text": format_table(item, result, mine, limit=ARTICLES_SHOWN),
    }


__all__ = ["CheckRequest", "Overview", "Reports", "console_engine", "item_history", "item_results",
           "night", "nights", "spot_check", "target_columns"]
