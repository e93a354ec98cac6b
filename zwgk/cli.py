"""``zwgk`` command line: thin wiring of catalog → crawl → store → audit → report.

Exit codes (documented in the README):
  0  audit clean (no finding of severity fail)
  1  findings of severity fail
  2  usage or config error (nothing was crawled or written)
  3  the crawl could not run, or no column of the site could be reached
  4  another zwgk run holds the lock on this store
"""
from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRAWL, EXIT_LOCKED = 0, 1, 2, 3, 4
DEFAULT_DB = "data/zwgk.sqlite"
UNUSED_SCRAPY_EXTENSIONS = frozenset(f"scrapy.extensions.{name}" for name in (
    "remote_control.RemoteControl", "telnet.TelnetConsole", "memdebug.MemoryDebugger",
    "feedexport.FeedExporter", "spiderstate.SpiderState"))


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# --- helpers ---------------------------------------------------------------------------------

def default_config() -> str:
    """``mapping/columns.yaml`` of the working directory, else the copy shipped in the package."""
    local = Path("mapping/columns.yaml")
    if local.exists():
        return str(local)
    return str(resources.files("zwgk.mapping").joinpath("columns.yaml"))


def parse_as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--as-of: expected YYYY-MM-DD, got {text!r}") from None


def load(args: argparse.Namespace):  # -> Config
    from zwgk.audit.catalog import ConfigError, load_config

    try:
        return load_config(args.config or default_config(), base_url=getattr(args, "base_url", None))
    except ConfigError as exc:
        raise CliError(f"config error: {exc}") from None


def open_store(path: str):  # -> Store
    from zwgk.crawler.store import Store, StoreError

    try:
        return Store(path)
    except StoreError as exc:
        raise CliError(str(exc)) from None


@contextmanager
def run_lock(db_path: str) -> Iterator[None]:
    """One writer per store: a second nightly run exits at once instead of interleaving."""
    lock_path = Path(db_path).with_name(Path(db_path).name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise CliError(f"another zwgk run is using {db_path} (lock {lock_path}); not starting",
                       EXIT_LOCKED) from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def columns_of(config, item_ids: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"item_id": it.id, "url": c.url, "selectors": dict(c.selectors)}
            for it in config.items if item_ids is None or it.id in item_ids for c in it.columns]


def do_crawl(config, store, *, as_of: date, delay: float | None, kind: str,
             item_ids: list[str] | None = None, full: bool = False) -> int:
    """Crawl into the store (incrementally unless ``full``; resuming a killed crawl of the same
    night); return the run id. Raises CliError(3) when nothing could be read."""
    from zwgk.crawler.runner import crawl
    from zwgk.crawler.settings import settings_for_site

    run_id, resumed = store.open_run(as_of=as_of.isoformat(), site=config.site.name,
                                     base_url=config.site.base_url, config_path=config.path,
                                     kind=kind, mode="full" if full else "incremental")
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
    try:
        stats = crawl(columns_of(config, item_ids), settings, as_of.isoformat())
    except Exception as exc:  # the engine itself failed: record it, keep everything stored
        store.finish_run(run_id, "failed", {"error": repr(exc)})
        raise CliError(f"crawl failed: {exc}", EXIT_CRAWL) from exc
    fetches = store.column_fetches(run_id)
    counts = store.counts(run_id)
    summary = {
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "pages": sum(f["pages"] for f in fetches),
        "articles": counts["listed"],
        "errors": counts["errors"],
        "columns": counts["columns"],
        "columns_unreachable": sum(1 for f in fetches if f["error"] or (f["status"] or 0) >= 400
                                   or f["status"] is None),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "mode": "full" if full else "incremental",
        "crawl": {k[5:]: v for k, v in stats.items() if k.startswith("zwgk/") and k != "zwgk/columns"},
        "scrapy": {k: v for k, v in stats.items() if isinstance(v, (int, float, str))},
    }
    store.finish_run(run_id, "finished", summary)
    return run_id


def do_audit(config, store, run_id: int, as_of: date, calendar_file: str | None = None,
             reuse: bool = True):
    """Audit a stored run; save and return the item results (JSON-ready dicts). ``reuse``: take
    the saved result of every item whose inputs are unchanged (zwgk.audit.reuse)."""
    from zwgk.audit.model import articles_from_rows, columns_from_rows
    from zwgk.audit.reuse import run_audit_reusing
    from zwgk.audit.workdays import WorkCalendar, WorkCalendarError

    articles = articles_from_rows(store.listed_article_rows(run_id))
    columns = columns_from_rows(store.column_fetches(run_id))
    try:
        calendar = WorkCalendar(user_file=calendar_file) if calendar_file else WorkCalendar()
    except WorkCalendarError as exc:
        raise CliError(f"calendar error: {exc}") from None
    # Other URLs that failed tonight (attachments, when the crawler checks them).
    link_status = {e["url"]: int(e["status"] or 0) for e in store.fetch_errors(run_id)}
    # Items whose inputs did not change since a saved audit (same night) keep their result.
    audit = run_audit_reusing(config, articles, columns, as_of, calendar, link_status=link_status,
                              lookup=store.item_audits if reuse else None)
    store.save_item_audits(run_id, ((item_id, audit.keys[item_id], result) for item_id, result
                                    in zip(audit.keys, audit.results)))
    if len(audit.computed) < len(audit.keys):
        print(f"zwgk: audit: {len(audit.keys) - len(audit.computed)} of {len(audit.keys)} items "
              "unchanged since a saved audit, their results reused", file=sys.stderr)
    payload = _with_history(store, run_id, audit.results, as_of)
    from zwgk.audit.scoring import unit_scores

    store.save_results(run_id, payload, unit_scores(payload, config.site.audit))
    from zwgk.stored_results import inputs_key

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
            return payload, articles_from_rows(store.listed_article_rows(run_id, text=False))
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
    for row in store.unit_trends(up_to_run=run_id).to_dict("records"):
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
    run = store.run(run_id) or {}
    stats = run.get("stats", {})
    return {
        "as_of": run.get("as_of"),
        "site": {"name": config.site.name, "base_url": run.get("base_url", config.site.base_url)},
        "run": {"id": run_id, "started_at": run.get("started_at"),
                "finished_at": run.get("finished_at"),
                **{k: stats.get(k) for k in ("requests", "pages", "articles", "errors", "columns",
                                             "columns_unreachable", "elapsed_seconds")}},
        "items": results,
        **judgement(config, store, run_id, results),
    }


def write_outputs(config, store, run_id: int, results, articles, out_dir: Path) -> Path:
    from zwgk.audit.report import write_report

    doc = findings_doc(config, store, run_id, results)
    return write_report(out_dir, doc, config, articles, store.column_fetches(run_id))


def exit_code(results: list[dict[str, Any]], run_stats: dict[str, Any]) -> int:
    if run_stats.get("columns") and run_stats.get("columns_unreachable") == run_stats.get("columns"):
        return EXIT_CRAWL
    if any(f["severity"] == "fail" for r in results for f in r["findings"]):
        return EXIT_FINDINGS
    return EXIT_OK


def print_summary(results: list[dict[str, Any]], out_dir: Path | None = None) -> None:
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    n_fail = sum(1 for r in results for f in r["findings"] if f["severity"] == "fail")
    n_warn = sum(1 for r in results for f in r["findings"] if f["severity"] == "warn")
    print(f"items: {len(results)}  " + "  ".join(f"{k}: {v}" for k, v in sorted(by_status.items()))
          + f"  findings: {n_fail} fail, {n_warn} warn")
    if out_dir is not None:
        print(f"report: {(out_dir / 'report.html').resolve()}")


# --- commands --------------------------------------------------------------------------------

def cmd_validate(args: argparse.Namespace) -> int:
    config = load(args)
    n_cols = sum(len(i.columns) for i in config.items)
    print(f"{config.path}: OK — site {config.site.name!r}, {len(config.items)} items, {n_cols} columns")
    from zwgk.audit.catalog.summary import config_summary

    for line in config_summary(config):  # the derived rules, for the administrator to check
        print("  " + line)
    return EXIT_OK


def cmd_catalog_import(args: argparse.Namespace) -> int:
    """责任分工 table (text or .xlsx) -> columns.yaml skeleton with 待填写 placeholders."""
    from zwgk.audit.catalog_import import CatalogImportError, import_catalog, to_yaml

    try:
        table = import_catalog(args.file)
    except CatalogImportError as exc:
        raise CliError(f"catalog import: {exc}") from None
    text = to_yaml(table, source=Path(args.file).name)
    if not args.output:
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.output)
    if out.exists() and not args.force:
        raise CliError(f"{out} exists; pass --force to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"{len(table.rows)} items from {args.file} → {out}; fill in every 待填写 (column URLs, "
          f"site address), then run `zwgk validate {out}`", file=sys.stderr)
    return EXIT_OK


def _out_dir(args: argparse.Namespace, as_of: date) -> Path:
    return Path(args.out) if args.out else Path("reports") / as_of.isoformat()


def _locked_crawl(args: argparse.Namespace, kind: str, then=None):
    """Load, lock, open, crawl — and run ``then(config, store, run_id, as_of)`` under the same
    lock, so a second nightly run cannot slip in between crawling and auditing."""
    config = load(args)
    as_of = parse_as_of(args.as_of)
    with run_lock(args.db):
        store = open_store(args.db)
        run_id = do_crawl(config, store, as_of=as_of, delay=args.download_delay, kind=kind,
                          full=args.full)
        extra = then(config, store, run_id, as_of) if then else None
    return store, run_id, extra


def cmd_run(args: argparse.Namespace) -> int:
    def audit_and_write(config, store, run_id, as_of):
        results, articles = do_audit(config, store, run_id, as_of, args.calendar)
        return results, write_outputs(config, store, run_id, results, articles,
                                      _out_dir(args, as_of))

    store, run_id, (results, out_dir) = _locked_crawl(args, "run", audit_and_write)
    print_summary(results, out_dir)
    return exit_code(results, (store.run(run_id) or {}).get("stats", {}))


def cmd_nightly(args: argparse.Namespace) -> int:
    """``zwgk run`` as cron/systemd runs it: cmd_run, plus the log file, the index page over the
    dated report folders, pruning to the newest --keep, and the --notify hook (also on failure)."""
    from zwgk.audit import nightly

    try:
        handler = nightly.setup_log(args.log) if args.log else None
    except OSError as exc:
        raise CliError(f"--log: cannot open {args.log}: {exc.strerror or exc}") from None
    as_of = parse_as_of(args.as_of)
    args.as_of = as_of.isoformat()  # one "today" for the run and for the folder it writes
    out_dir = _out_dir(args, as_of)
    nightly.log.info("zwgk run started: as of %s, db %s, out %s", args.as_of, args.db, out_dir)
    doc, error = None, ""
    try:
        code = cmd_run(args)
    except CliError as exc:
        code, error = exc.code, str(exc)
        nightly.log.error("zwgk run failed (exit %d): %s", code, error)
    except Exception as exc:  # a bug: tell the operator, then fail loudly as before
        nightly.log.exception("zwgk run crashed")
        if args.notify:
            nightly.notify(args.notify, nightly.summary_text(None, code=1, error=repr(exc)), code=1)
        raise
    if not error:
        try:
            doc = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            nightly.log.error("cannot read %s: %s", out_dir / "findings.json", exc)
        if nightly.DATED_DIR_RE.match(out_dir.name):
            nightly.prune(out_dir.parent, args.keep, protect=out_dir)
            nightly.write_index(out_dir.parent)
    report = (out_dir / "report.html").resolve() if doc is not None else None
    summary = nightly.summary_text(doc, code=code, report=report, error=error)
    nightly.log.info("zwgk run finished (exit %d)\n%s", code, summary.rstrip())
    if args.notify:
        nightly.notify(args.notify, summary, code=code, report=report)
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()
    if error:
        raise CliError(error, code)
    return code


def cmd_crawl(args: argparse.Namespace) -> int:
    store, run_id, _ = _locked_crawl(args, "crawl")
    stats = (store.run(run_id) or {}).get("stats", {})
    print(f"run {run_id}: {stats.get('requests')} requests, {stats.get('pages')} list pages, "
          f"{stats.get('articles')} articles, {stats.get('errors')} errors → {args.db}")
    return exit_code([], stats)  # no audit: only "could not run / nothing reachable" counts


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


def cmd_audit(args: argparse.Namespace) -> int:
    config = load(args)
    store = open_store(args.db)
    run = _stored_run(store, args.run)
    config = _config_for_run(config, run)
    as_of = parse_as_of(args.as_of or run["as_of"])
    with run_lock(args.db):
        results, _ = do_audit(config, store, run["id"], as_of, args.calendar)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        doc = findings_doc(config, store, run["id"], results)
        (Path(args.out) / "findings.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2),
                                                      encoding="utf-8")
    print_summary(results)
    return exit_code(results, run.get("stats", {}))


def cmd_report(args: argparse.Namespace) -> int:
    config = load(args)
    store = open_store(args.db)
    run = _stored_run(store, args.run)
    config = _config_for_run(config, run)
    as_of = parse_as_of(args.as_of or run["as_of"])
    # The run's saved results when they were computed from this catalog, as-of and calendar;
    # --reaudit (or stale results) audits again, which is pure and idempotent.
    with run_lock(args.db):
        results, articles = stored_or_audit(config, store, run["id"], as_of, args.calendar,
                                            reaudit=args.reaudit)
    out_dir = write_outputs(config, store, run["id"], results, articles, _out_dir(args, as_of))
    print_summary(results, out_dir)
    return exit_code(results, run.get("stats", {}))


def _check_target(args: argparse.Namespace):  # -> tuple[Config, Item]
    """The item to spot-check: ITEM_ID of the config, or a column given by --url that is not in
    the config, as a one-item catalog built in memory (validated like columns.yaml; the site's
    politeness settings come from --config when one is given, else the defaults)."""
    from dataclasses import replace
    from urllib.parse import urlsplit

    from zwgk.audit.catalog import ConfigError, parse_config

    if not args.url:
        if not args.item_id:
            raise CliError("check: give an ITEM_ID of the config, or --url COLUMN_URL")
        config = load(args)
        try:
            return config, config.item(args.item_id)
        except KeyError:
            raise CliError(f"{config.path}: no item with id {args.item_id!r} "
                           f"(ids: {', '.join(i.id for i in config.items)})") from None
    if args.item_id:
        raise CliError("check: give either ITEM_ID or --url, not both")
    parts = urlsplit(args.url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"check --url: expected the http(s) URL of a column's list page, got "
                       f"{args.url!r}")
    origin = f"{parts.scheme}://{parts.netloc}/"
    data = {
        "site": {"name": parts.hostname or args.url, "base_url": origin},
        "items": [{"id": "check", "name": args.name or "抽查栏目", "category": "抽查",
                   "deadline": args.deadline or "根据实际更新", "units": args.unit or [],
                   "columns": [{"name": args.name or "", "url": args.url}],
                   "doc_series": args.series or []}],
    }
    try:
        config = parse_config(data, "--url")
    except ConfigError as exc:
        raise CliError(f"check: {exc}") from None
    if config.items[0].deadline_unparsed:  # typed on the command line: say so before crawling
        raise CliError(f"check --deadline: cannot derive rules from deadline {args.deadline!r} "
                       f"(无法识别“{config.items[0].deadline_unparsed}”; see docs/rules.md)")
    if args.config:  # the operator's site block: user agent, delay, robots, timeouts
        site = replace(load(args).site, base_url=config.site.base_url, name=config.site.name)
        config = replace(config, site=site)
    return config, config.items[0]


def cmd_check(args: argparse.Namespace) -> int:
    """Spot-check one item live: crawl it into a throw-away store unless --db is given."""
    from zwgk.audit.report import format_table

    config, item = _check_target(args)
    as_of = parse_as_of(args.as_of)
    with tempfile.TemporaryDirectory(prefix="zwgk-check-") as tmp:
        store = open_store(args.db or str(Path(tmp) / "check.sqlite"))
        run_id = do_crawl(config, store, as_of=as_of, delay=args.download_delay, kind="check",
                          item_ids=[item.id], full=True)
        results, articles = do_audit(config, store, run_id, as_of, args.calendar)
        result = next(r for r in results if r["id"] == item.id)
        print(format_table(item, result, [a for a in articles if a.item_id == item.id],
                           limit=args.limit))
        if args.html:
            from zwgk.audit.report import render_html

            doc = findings_doc(config, store, run_id, [result])
            Path(args.html).write_text(render_html(doc, config, articles,
                                                   store.column_fetches(run_id)), encoding="utf-8")
            print(f"report: {Path(args.html).resolve()}")
        store.close()
    return EXIT_FINDINGS if result["status"] == "fail" else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    import urllib.request

    from zwgk.crawler.extract import decode_html, extract_article

    as_of = parse_as_of(args.as_of)
    code = EXIT_OK
    for source in args.sources:
        try:
            if source.startswith(("http://", "https://")):
                req = urllib.request.Request(source, headers={"User-Agent": "zwgk-extract/0.1"})
                with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - http(s) only
                    body = resp.read(16 * 1024 * 1024)
                    charset = resp.headers.get_content_charset()
                url = source
            else:
                body = Path(source).read_bytes()
                charset, url = None, ""
        except (OSError, ValueError) as exc:
            print(f"{source}: cannot read: {exc}", file=sys.stderr)
            code = EXIT_CRAWL
            continue
        fields = extract_article(decode_html(body, charset), url, as_of=as_of)
        record = {"source": source, "title": fields.title,
                  "publish_date": fields.publish_date.isoformat() if fields.publish_date else None,
                  "written_date": fields.written_date.isoformat() if fields.written_date else None,
                  "doc_number": fields.doc_number, "date_source": fields.date_source}
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print("\t".join(str(record[k] or "") for k in record))
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the bundled demo site on a free loopback port and run the whole job against it."""
    from zwgk.demosite.server import start
    from zwgk.demosite.site import DEMO_AS_OF

    with start(port=args.port, variant=args.variant) as server:
        print(f"demo site: {server.base_url}")
        args.base_url = server.base_url
        args.as_of = args.as_of or DEMO_AS_OF.isoformat()
        if args.download_delay is None:
            args.download_delay = 0.0  # loopback: no politeness delay needed
        if args.serve:
            print("serving until Ctrl-C")
            try:
                import time
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return EXIT_OK
        code = cmd_run(args)
    # The demo always has seeded defects: finding them is success for the demo command.
    return EXIT_OK if code == EXIT_FINDINGS else code


# --- parser ----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwgk", description="政务公开 catalog crawler and auditor")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, crawl: bool = True) -> None:
        p.add_argument("--config", help="columns.yaml (default: mapping/columns.yaml)")
        p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite store (default: {DEFAULT_DB})")
        p.add_argument("--as-of", help="the date audited as 'today' (YYYY-MM-DD)")
        p.add_argument("--calendar", help="YAML file adding official holiday arrangements")
        if crawl:
            p.add_argument("--base-url", help="crawl this host instead of site.base_url")
            p.add_argument("--download-delay", type=float, default=None,
                           help="seconds between requests (overrides site.download_delay)")
            p.add_argument("--full", action="store_true",
                           help="re-read every list page and re-fetch every article (default: "
                                "incremental, see docs/crawling.md)")

    p = sub.add_parser("validate", help="check a columns.yaml")
    p.add_argument("config", nargs="?")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("catalog", help="catalog tools: import a 责任分工 table")
    catalog_sub = p.add_subparsers(dest="catalog_command", required=True)
    p = catalog_sub.add_parser("import", help="责任分工 table (tab-separated text or .xlsx) -> "
                               "columns.yaml skeleton")
    p.add_argument("file", help="the table: text copied out of the spreadsheet, or an .xlsx")
    p.add_argument("-o", "--output", help="write the skeleton here (default: standard output)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_catalog_import)

    p = sub.add_parser("run", help="crawl, audit and write the report (nightly job)")
    common(p)
    p.add_argument("--out", help="output folder (default: reports/AS_OF)")
    p.add_argument("--log", metavar="FILE", help="append this run's log to FILE")
    p.add_argument("--keep", type=int, default=0, metavar="N",
                   help="keep only the newest N dated report folders beside --out (default: all)")
    p.add_argument("--notify", metavar="CMD",
                   help="shell command run at the end with the summary on stdin "
                        "(env: ZWGK_EXIT_CODE, ZWGK_REPORT)")
    p.set_defaults(func=cmd_nightly)

    p = sub.add_parser("crawl", help="crawl into the store only")
    common(p)
    p.set_defaults(func=cmd_crawl)

    for name, func, text in (("audit", cmd_audit, "audit the newest stored crawl"),
                             ("report", cmd_report, "write report.html, findings.json, articles.csv")):
        p = sub.add_parser(name, help=text)
        common(p, crawl=False)
        p.add_argument("--run", type=int, help="run id (default: newest finished crawl)")
        p.add_argument("--out", help="output folder")
        if name == "report":
            p.add_argument("--reaudit", action="store_true",
                           help="audit the run again, every item afresh, instead of rendering "
                                "its saved results")
        p.set_defaults(func=func)

    p = sub.add_parser("check", help="spot-check one item (or any column: --url) live")
    common(p)
    p.set_defaults(db=None)
    p.add_argument("item_id", nargs="?", help="catalog item id, e.g. 2.1")
    p.add_argument("--url", help="check this column URL instead of a catalog item")
    p.add_argument("--deadline", help="with --url: its 公开时限, e.g. 季度更新 or 20个工作日内发布")
    p.add_argument("--name", help="with --url: a name for the column in the output")
    p.add_argument("--unit", action="append", help="with --url: 责任单位 (repeatable)")
    p.add_argument("--series", action="append", help="with --url: 文号 series prefix to check for "
                   "gaps, e.g. 临住建发 (repeatable)")
    p.add_argument("--limit", type=int, default=15, help="newest articles to list (default 15)")
    p.add_argument("--html", help="also write an HTML report to this file")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("extract", help="extract dates/文号 from article files or URLs")
    p.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--as-of", help="reject dates after this day (default: today)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("demo", help="serve the bundled demo site and run the whole job on it")
    common(p)
    p.add_argument("--out", help="output folder (default: reports/AS_OF)")
    p.add_argument("--port", type=int, default=0, help="port for the demo site (default: free)")
    p.add_argument("--serve", action="store_true", help="only serve the demo site")
    p.add_argument("--variant", choices=["fixed"], default=None,
                   help="serve the demo site a night later ('fixed': one defect repaired, one "
                        "new); run it after a plain `zwgk demo` with the same --db and a later "
                        "--as-of to see new / persisting / resolved findings")
    p.set_defaults(func=cmd_demo, db="data/demo.sqlite")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"zwgk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
