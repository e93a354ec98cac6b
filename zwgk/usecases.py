"""The use cases of zwgk: what the CLI, the workers and the web console call alike.

Why a module of its own: the command line, the Celery jobs (``zwgk.jobs``), the local worker
pool (``zwgk.sites``) and the console all do the same few things — one night for one site (crawl →
audit → outputs), one spot-check, the outputs of a stored run — and must not each wire crawler,
store and audit in their own way. Nothing here parses arguments (progress notes go to stderr);
errors are ``ZwgkError`` with the exit code the CLI returns (documented in the README).

Exit codes:
  0  audit clean (no finding of severity fail)
  1  findings of severity fail
  2  usage or config error (nothing was crawled or written)
  3  the crawl could not run, no column of the site could be reached, or the store's server
     cannot be reached
  4  another zwgk run holds the lock on this store (or site)
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRAWL, EXIT_LOCKED = 0, 1, 2, 3, 4
DEFAULT_DB = "data/zwgk.sqlite"
UNUSED_SCRAPY_EXTENSIONS = frozenset(f"scrapy.extensions.{name}" for name in (
    "remote_control.RemoteControl", "telnet.TelnetConsole", "memdebug.MemoryDebugger",
    "feedexport.FeedExporter", "spiderstate.SpiderState"))


class ZwgkError(Exception):
    """A use case could not do its work; ``code`` is the exit code to report."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


CliError = ZwgkError  # the name the CLI has always raised


def open_store(db: str):  # -> Store
    """The store at a SQLite path or a PostgreSQL URL; a server that cannot be reached is exit 3
    (nothing was written), a store that cannot be used exit 2."""
    from zwgk.store import Store, StoreError, StoreUnavailable

    try:
        return Store(db)
    except StoreUnavailable as exc:
        raise ZwgkError(str(exc), EXIT_CRAWL) from None
    except StoreError as exc:
        raise ZwgkError(str(exc)) from None


@contextmanager
def run_lock(db: str, site_key: str = "") -> Iterator[None]:
    """One writer per store (or per site of a shared store): a second nightly run exits at once
    (code 4) instead of interleaving."""
    from zwgk.store import StoreUnavailable, display_url
    from zwgk.store.locks import Locked, hold

    what = f"site {site_key!r} of {display_url(db)}" if site_key else display_url(db)
    try:
        with hold(db, f"site-{site_key}" if site_key else ""):
            yield
    except Locked as exc:
        raise ZwgkError(f"another zwgk run is using {what} ({exc.where}); not starting",
                        EXIT_LOCKED) from None
    except StoreUnavailable as exc:
        raise ZwgkError(str(exc), EXIT_CRAWL) from None


def columns_of(config, item_ids: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"item_id": it.id, "url": c.url, "selectors": dict(c.selectors)}
            for it in config.items if item_ids is None or it.id in item_ids for c in it.columns]


def do_crawl(config, store, *, as_of: date, delay: float | None, kind: str,
             item_ids: list[str] | None = None, full: bool = False, site_key: str = "",
             time_limit: float | None = None,
             extra_settings: dict[str, Any] | None = None) -> int:
    """Crawl into the store (incrementally unless ``full``; resuming a killed crawl of the same
    night); return the run id. ``time_limit``: seconds after which the crawl stops (a spot-check
    must end even against a server that answers a byte at a time). Raises CliError(3) when
    nothing could be read. ``extra_settings`` overlay the site's Scrapy settings (the console's
    egress guard)."""
    from zwgk.crawler.runner import crawl
    from zwgk.crawler.runstats import summarize, summary_line
    from zwgk.crawler.settings import settings_for_site

    run_id, resumed = store.open_run(as_of=as_of.isoformat(), site=config.site.name,
                                     base_url=config.site.base_url, config_path=config.path,
                                     kind=kind, mode="full" if full else "incremental",
                                     site_key=site_key)
    if resumed:
        print(f"zwgk: resuming run {run_id}, interrupted before its end", file=sys.stderr)
    settings = settings_for_site(config.site, db_path=str(store.path), run_id=run_id,
                                 as_of=as_of.isoformat(), download_delay=delay, full=full)
    # Scrapy extensions a CLI crawl never uses. Dropped from EXTENSIONS_BASE, not disabled with
    # None: Scrapy imports every listed class even to disable it, and the remote-control one
    # imports aiohttp (~0.15 s) and opens a code-executing HTTP server on localhost.
    from scrapy.settings import default_settings

    settings["EXTENSIONS_BASE"] = {k: v for k, v in default_settings.EXTENSIONS_BASE.items()
                                   if k not in UNUSED_SCRAPY_EXTENSIONS}
    if kind != "check":  # 检查指标自查: the home page is read each night (homepage_stale)
        settings["ZWGK_HOMEPAGE"] = config.site.homepage or config.site.base_url
    if time_limit:
        settings["CLOSESPIDER_TIMEOUT"] = time_limit
    settings.update(extra_settings or {})
    try:
        stats = crawl(columns_of(config, item_ids), settings, as_of.isoformat())
    except Exception as exc:  # the engine itself failed: record it, keep everything stored
        store.finish_run(run_id, "failed", {"error": repr(exc)})
        raise CliError(f"crawl failed: {exc}", EXIT_CRAWL) from exc
    summary = summarize(stats, store.column_fetches(run_id), store.counts(run_id),
                        "full" if full else "incremental")
    store.finish_run(run_id, "finished", summary)
    if settings.get("ZWGK_PROGRESS") != "off":  # the progress display's last line, from the store
        print(summary_line(summary), file=sys.stderr, flush=True)
    if stats.get("finish_reason") == "closespider_timeout":
        print(f"zwgk: time limit of {time_limit:g} s reached: the crawl stopped early, results "
              f"are partial", file=sys.stderr)
    return run_id


def do_audit(config, store, run_id: int, as_of: date, calendar_file: str | None = None,
             save: bool = True, reuse: bool = True):
    """Audit a stored run; save (unless not ``save``: the console re-rendering a night for a
    reader) and return the item results (JSON-ready dicts). ``reuse``: take the saved result of
    every item whose inputs are unchanged (zwgk.audit.reuse, issue 16)."""
    from zwgk.audit.model import articles_from_rows, columns_from_rows
    from zwgk.audit.reuse import run_audit_reusing
    from zwgk.audit.workdays import WorkCalendar, WorkCalendarError
    from zwgk.stored_results import inputs_key

    articles = articles_from_rows(store.iter_listed_articles(run_id))
    columns = columns_from_rows(store.column_fetches(run_id))
    try:
        calendar = WorkCalendar(user_file=calendar_file) if calendar_file else WorkCalendar()
    except WorkCalendarError as exc:
        raise CliError(f"calendar error: {exc}") from None
    # Other URLs that failed tonight (attachments, when the crawler checks them).
    link_status = {e["url"]: int(e["status"] or 0) for e in store.fetch_errors(run_id)}
    # Items whose inputs did not change since a saved audit keep their result while the as-of
    # date stays in the window it holds for (this night or later ones: zwgk.audit.asof).
    audit = run_audit_reusing(config, articles, columns, as_of, calendar, link_status=link_status,
                              lookup=store.item_audits if reuse else None)
    store.save_item_audits(run_id, ((item_id, *saved) for item_id, saved in audit.saved().items()))
    if len(audit.computed) < len(audit.keys):
        print(f"zwgk: audit: {len(audit.keys) - len(audit.computed)} of {len(audit.keys)} items "
              "unchanged since a saved audit, their results reused", file=sys.stderr)
    payload = _with_history(store, run_id, audit.results, as_of)
    from zwgk.audit.scoring import unit_scores

    if save:
        store.save_results(run_id, payload, unit_scores(payload, config.site.audit))
        store.save_payload(run_id, inputs_key(config, as_of, calendar_file), payload)
    return payload, articles


def stored_or_audit(config, store, run_id: int, as_of: date, calendar_file: str | None,
                    reaudit: bool = False):
    """The run's saved audit results when they are still valid (issue 16: a report renders, it
    does not judge again), else a new audit; with the run's articles either way."""
    from zwgk.audit.model import articles_from_rows
    from zwgk.stored_results import inputs_key, stored_results

    if not reaudit:
        try:
            key = inputs_key(config, as_of, calendar_file)
        except OSError as exc:
            raise CliError(f"calendar error: cannot read {calendar_file}: {exc}") from None
        payload, why = stored_results(store, run_id, key)
        if payload is not None:
            return payload, articles_from_rows(store.iter_listed_articles(run_id, text=False))
        print(f"zwgk: auditing run {run_id} again: {why}", file=sys.stderr)
    return do_audit(config, store, run_id, as_of, calendar_file, reuse=not reaudit)


def _previous_findings(store, run_id: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    previous = store.previous_run(run_id)
    return previous, (store.run_findings(previous["id"]) if previous else [])


def _with_history(store, run_id: int, payload: list[dict[str, Any]], as_of: date) -> list[dict[str, Any]]:
    """Key every finding and say whether it is new tonight or persists (since when)."""
    from zwgk.audit.history import annotate

    _, previous = _previous_findings(store, run_id)
    return annotate(payload, previous, as_of.isoformat())


def judgement(config, store, run_id: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    """The parts of findings.json beyond the items: veto tallies, 责任单位 scores with their
    trend, findings resolved since the previous run, and whether any count was estimated."""
    from zwgk.audit.history import resolved, summary
    from zwgk.audit.scoring import unit_scores, veto_tally

    previous, before = _previous_findings(store, run_id)
    gone = resolved(results, before)
    trends: dict[str, list[dict[str, Any]]] = {}
    # A spot-check has no trend (check runs are never part of one): skip the query and pandas.
    is_check = (store.run(run_id) or {}).get("kind") == "check"
    for row in [] if is_check else store.unit_trend_rows(up_to_run=run_id):
        trends.setdefault(row["unit"], []).append({"run": int(row["run_id"]), "as_of": row["as_of"],
                                                   "score": float(row["score"])})
    units = [{**u, "trend": trends.get(u["unit"], [])}
             for u in unit_scores(results, config.site.audit)]
    estimated = sum(1 for r in results for f in r["findings"] if f["details"].get("estimated"))
    return {
        "veto": veto_tally(results, config.site.audit),
        "units": units,
        "resolved": gone,
        "history": {"previous_run": previous["id"] if previous else None,
                    "previous_as_of": previous["as_of"] if previous else None,
                    **summary(results, gone)},
        "calendar": {"estimated_findings": estimated},
    }


def findings_doc(config, store, run_id: int, results: list[dict[str, Any]]) -> dict[str, Any]:
    from zwgk.crawler.runstats import RUN_KEYS

    run = store.run(run_id) or {}
    stats = run.get("stats", {})
    return {
        "as_of": run.get("as_of"),
        "site": {"name": config.site.name, "base_url": run.get("base_url", config.site.base_url)},
        "run": {"id": run_id, "started_at": run.get("started_at"),
                "finished_at": run.get("finished_at"),
                **{k: stats.get(k) for k in RUN_KEYS}},
        "items": results,
        **judgement(config, store, run_id, results),
        "inspection": inspection_of(config, store, run_id).to_json(),
    }


def inspection_of(config, store, run_id: int):  # -> audit.rules.inspection.Inspection
    """检查指标自查 of a stored run (zwgk/inspection.py)."""
    from zwgk.inspection import InspectionError, inspect_run

    run = store.run(run_id) or {}
    try:
        return inspect_run(config, store, run_id, date.fromisoformat(run["as_of"]))
    except InspectionError as exc:
        raise ZwgkError(f"config error: {exc}") from None


def inspection_code(code: int, config, store, run_id: int) -> int:
    """A fail of the 检查指标自查 makes a clean audit exit 1 too."""
    if code == EXIT_OK and any(f.severity == "fail"
                               for f in inspection_of(config, store, run_id).findings):
        return EXIT_FINDINGS
    return code


def write_outputs(config, store, run_id: int, results, articles, out_dir: Path) -> Path:
    from zwgk.report.html import write_report

    doc = findings_doc(config, store, run_id, results)
    return write_report(out_dir, doc, config, articles, store.column_fetches(run_id))


def exit_code(results: list[dict[str, Any]], run_stats: dict[str, Any]) -> int:
    if run_stats.get("columns") and run_stats.get("columns_unreachable") == run_stats.get("columns"):
        return EXIT_CRAWL
    if any(f["severity"] == "fail" for r in results for f in r["findings"]):
        return EXIT_FINDINGS
    return EXIT_OK




def _stored_run(store, run_id: int | None) -> dict[str, Any]:
    run = store.run(run_id)
    if run is None:
        raise CliError(f"{store.path}: no finished crawl to audit (run `zwgk crawl` first)")
    return run


def _config_for_run(config, run: dict[str, Any]):
    """The catalog as it was crawled: a run made with --base-url stored that host."""
    if run["base_url"] != config.site.base_url:
        return config.with_base_url(run["base_url"])
    return config




# --- the use cases ---------------------------------------------------------------------------

@dataclass
class Night:
    """What one night of one site left: the stored run, its audit, the exit code it earns."""

    run_id: int
    results: list[dict[str, Any]]
    stats: dict[str, Any]
    code: int
    out_dir: Path | None = None
    articles: list[Any] = field(default_factory=list, repr=False)


def night(config, db: str, *, as_of: date, out_dir: Path | None = None,
          delay: float | None = None, full: bool = False, calendar: str | None = None,
          site_key: str = "") -> Night:
    """One night for one site: lock (the store, or this site of a shared store), crawl, audit,
    save the findings, and write report.html, findings.json, articles.csv, report.xlsx into
    ``out_dir`` (none when it is None: a worker of a cluster leaves the outputs to the run that
    enqueued it). Raises ZwgkError (2, 3 or 4) when the night could not be made."""
    with run_lock(db, site_key):
        store = open_store(db)
        try:
            run_id = do_crawl(config, store, as_of=as_of, delay=delay, kind="run", full=full,
                              site_key=site_key)
            results, articles = do_audit(config, store, run_id, as_of, calendar)
            written = (write_outputs(config, store, run_id, results, articles, out_dir)
                       if out_dir is not None else None)
            stats = (store.run(run_id) or {}).get("stats", {})
            code = inspection_code(exit_code(results, stats), config, store, run_id)
        finally:
            store.close()
    return Night(run_id, results, stats, code, written, articles)


def outputs_of_run(config, store, run_id: int, out_dir: Path, calendar: str | None = None) -> Night:
    """The outputs of a stored run (``zwgk report``, and the sites of a cluster run once their
    workers are done): its saved audit results, audited again only when they are stale."""
    run = store.run(run_id)
    if run is None:
        raise ZwgkError(f"{store.url}: no run {run_id} to report")
    config = _config_for_run(config, run)
    as_of = date.fromisoformat(run["as_of"])
    results, articles = stored_or_audit(config, store, run_id, as_of, calendar)
    written = write_outputs(config, store, run_id, results, articles, out_dir)
    stats = run.get("stats", {})
    code = inspection_code(exit_code(results, stats), config, store, run_id)
    return Night(run_id, results, stats, code, written, articles)


@dataclass
class SpotCheck:
    """One item checked live: its result, its articles, and the doc an HTML report renders."""

    item: Any
    result: dict[str, Any]
    articles: list[Any]
    doc: dict[str, Any]
    fetches: list[dict[str, Any]]
    code: int


def spot_check(config, item, *, as_of: date, db: str | None = None, delay: float | None = None,
               calendar: str | None = None, time_limit: float | None = None,
               extra_settings: dict[str, Any] | None = None) -> SpotCheck:
    """Crawl one item now (into a throw-away store unless ``db`` is given) and audit it.
    ``extra_settings``: see do_crawl."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="zwgk-check-") as tmp:
        store = open_store(db or str(Path(tmp) / "check.sqlite"))
        try:
            run_id = do_crawl(config, store, as_of=as_of, delay=delay, kind="check",
                              item_ids=[item.id], full=True, time_limit=time_limit,
                              extra_settings=extra_settings)
            results, articles = do_audit(config, store, run_id, as_of, calendar)
            result = next(r for r in results if r["id"] == item.id)
            doc = findings_doc(config, store, run_id, [result])
            fetches = store.column_fetches(run_id)
            run = store.run(run_id)  # 3 when the column could not be read, as `zwgk run`
        finally:
            store.close()
    return SpotCheck(item, result, articles, doc, fetches,
                     exit_code([result], (run or {}).get("stats", {})))
