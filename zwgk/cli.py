"""``zwgk`` command line: thin wiring of catalog → crawl → store → audit → report.

Exit codes (documented in the README):
  0  audit clean (no finding of severity fail)
  1  findings of severity fail
  2  usage or config error (nothing was crawled or written)
  3  the crawl could not run, no column of the site could be reached, or the store's server
     (PostgreSQL, Redis) cannot be reached
  4  another zwgk run holds the lock on this store
  5  an unexpected error (a bug, or the machine failed: disk full …); logged and notified, and
     no output of the night is half-written
  130  interrupted by SIGINT or SIGTERM (logged and notified; the next run resumes the crawl)

The work itself is in ``zwgk.usecases`` (one site) and ``zwgk.sites`` (many sites, local worker
processes or Celery workers, ``zwgk.jobs``): this module parses arguments and prints.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from zwgk.usecases import (DEFAULT_DB, EXIT_CRAWL, EXIT_FINDINGS, EXIT_LOCKED,  # noqa: F401
                           EXIT_OK, EXIT_USAGE, CliError, _config_for_run, _stored_run,
                           do_audit, do_crawl, exit_code, findings_doc, inspection_code, night,
                           open_store, run_lock, spot_check, stored_or_audit, write_outputs)

DEMO_DB = "data/demo.sqlite"
DEMO_REPORTS = Path("reports") / "demo"  # the demo's own dated folders and index, never the site's
DEMO_EDUCATION_DB = "data/demo-education.sqlite"         # zwgk demo --variant education
DEMO_EDUCATION_REPORTS = Path("reports") / "demo-education"
SPOT_CHECK_ID = "抽查"  # the id of the one-item catalog `check --url` builds
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")

EXIT_CRASH, EXIT_INTERRUPTED = 5, 130


def default_config() -> str:
    """``mapping/columns.yaml`` of the working directory, else the copy shipped in the package."""
    local = Path("mapping/columns.yaml")
    if local.exists():
        return str(local)
    return str(resources.files("zwgk.mapping").joinpath("columns.yaml"))


def parse_as_of(text: str | None) -> date:
    """The audit's "today". Only YYYY-MM-DD, as the help says: Python also reads 20261120 or
    2026-W47, which an operator would not expect to be accepted."""
    if not text:
        from zwgk.grammar.asof import site_today

        return site_today()
    try:
        if not ISO_DATE_RE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--as-of: expected a date as YYYY-MM-DD (e.g. 2026-11-20), got {text!r}") from None


def load(args: argparse.Namespace):  # -> Config
    from zwgk.audit.catalog import ConfigError, load_config

    try:
        config = load_config(args.config or default_config(), base_url=getattr(args, "base_url", None))
    except ConfigError as exc:
        raise CliError(f"config error: {exc}") from None
    from zwgk.inspection import InspectionError, load_terms

    if getattr(args, "example_wordlist", False) and not config.site.audit.wordlist:
        from dataclasses import replace  # the demo shows wording_error with the shipped example

        example = str(resources.files("zwgk.mapping").joinpath("wordlist.txt"))
        config = replace(config, site=replace(config.site, audit=replace(config.site.audit,
                                                                         wordlist=example)))
    try:
        load_terms(config)  # a bad word list stops before anything is crawled
    except InspectionError as exc:
        raise CliError(f"config error: {exc}") from None
    return config


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
    from zwgk.catalog_import import CatalogImportError, import_catalog, to_yaml

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
    if args.out:
        return Path(args.out)
    return (DEMO_REPORTS if args.command == "demo" else Path("reports")) / as_of.isoformat()


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
    config = load(args)
    as_of = parse_as_of(args.as_of)
    done = night(config, args.db, as_of=as_of, out_dir=_out_dir(args, as_of),
                 delay=args.download_delay, full=args.full, calendar=args.calendar)
    print_summary(done.results, done.out_dir)
    return done.code


def cmd_nightly(args: argparse.Namespace) -> int:
    """``zwgk run`` as cron/systemd runs it: cmd_run (or cmd_sites), plus the log file, the index
    page over the dated report folders, pruning to the newest --keep, and the --notify hook (also
    on failure). With --sites the hook reads the overview (every site's verdict) and --keep
    prunes whole batch folders (the index page is a single site's)."""
    from zwgk import nightly

    try:
        handler = nightly.setup_log(args.log) if args.log else None
    except OSError as exc:
        raise CliError(f"--log: cannot open {args.log}: {exc.strerror or exc}") from None
    as_of = parse_as_of(args.as_of)
    args.as_of = as_of.isoformat()  # one "today" for the run and for the folder it writes
    out_dir = _out_dir(args, as_of)
    nightly.log.info("zwgk run started: as of %s, db %s, out %s%s", args.as_of, args.db, out_dir,
                     f", sites {args.sites}" if args.sites else "")
    doc, error = None, ""
    try:
        with nightly.terminate_as_interrupt():
            try:
                nightly.preflight(out_dir, args.db)
            except OSError as exc:
                raise CliError(f"{exc.strerror or exc}; nothing was crawled") from None
            code = cmd_sites(args) if args.sites else cmd_run(args)
    except CliError as exc:
        code, error = exc.code, str(exc)
        nightly.log.error("zwgk run failed (exit %d): %s", code, error)
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM (systemd stop, timeout)
        code, error = EXIT_INTERRUPTED, f"interrupted by {exc or 'a signal'}; the next run resumes the crawl"
        nightly.log.error("zwgk run %s", error)
    except Exception as exc:  # a bug or the machine (disk full …): its own code, logged, notified
        code, error = EXIT_CRASH, f"unexpected error: {exc!r}"
        nightly.log.exception("zwgk run crashed")
        traceback.print_exc()
    result_file = out_dir / ("overview.json" if args.sites else "findings.json")
    if not error:
        try:
            doc = json.loads(result_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            nightly.log.error("cannot read %s: %s", result_file, exc)
        if nightly.DATED_DIR_RE.match(out_dir.name):
            try:
                nightly.prune(out_dir.parent, args.keep, protect=out_dir)
                if not args.sites:
                    nightly.write_index(out_dir.parent)
            except Exception as exc:  # housekeeping must not hide tonight's report: say so
                code, error = EXIT_CRASH, f"housekeeping failed: {exc!r}"
                nightly.log.exception("zwgk run: pruning or the index failed")
    page = "overview.html" if args.sites else "report.html"
    report = (out_dir / page).resolve() if doc is not None else None
    summarize = nightly.sites_summary_text if args.sites else nightly.summary_text
    summary = summarize(doc, code=code, report=report, error=error)
    nightly.log.info("zwgk run finished (exit %d)\n%s", code, summary.rstrip())
    if args.notify:
        nightly.notify(args.notify, summary, code=code, report=report)
    if handler is not None:
        nightly.close_log(handler)
    if error:
        raise CliError(error, code)
    return code


def cmd_sites(args: argparse.Namespace) -> int:
    """``zwgk run --sites DIR``: every site config of DIR, by local worker processes or (with
    --broker) by the Celery workers of a cluster; OUT/<site>/ and OUT/overview.{json,html}."""
    from dataclasses import replace

    from zwgk.sites import SiteOptions, discover, run_local, run_sites

    if args.config or args.base_url:
        raise CliError("--sites: each site config names its own site; drop --config/--base-url")
    as_of = parse_as_of(args.as_of)
    jobs = discover(args.sites)
    options = SiteOptions(db=args.db, as_of=as_of.isoformat(), delay=args.download_delay,
                          full=args.full, calendar=args.calendar)
    out_dir = _out_dir(args, as_of)

    def progress(o) -> None:
        print(f"  {o.slug}: {o.status} (exit {o.exit_code}){' — ' + o.error if o.error else ''}",
              file=sys.stderr)

    if args.broker:
        from zwgk.jobs import dispatch

        if args.no_wait:
            open_store(args.db).close()  # a store no worker can reach: say so now (exit 3)
            batch, _ = dispatch(args.broker, jobs, options, wait=False, time_limit=args.time_limit,
                                retry_backoff=args.retry_backoff)
            print(f"batch {batch}: {len(jobs)} site jobs queued; `zwgk status --broker …` shows "
                  "their progress")
            return EXIT_OK

        def dispatcher(valid, opts):
            def say(text: str) -> None:
                print(text, file=sys.stderr)

            batch, outcomes = dispatch(args.broker, valid, opts, time_limit=args.time_limit,
                                       retry_backoff=args.retry_backoff, say=say)
            print(f"batch {batch} done", file=sys.stderr)
            return outcomes
    else:
        def dispatcher(valid, opts):
            return run_local(valid, replace(opts, out_root=str(out_dir)), args.workers, progress)

    done = run_sites(jobs, options, out_dir, dispatch=dispatcher)
    for o in done.outcomes:
        line = (f"{o.slug}: {o.status}, exit {o.exit_code}, {o.fails} fail, {o.warns} warn, "
                f"{o.articles} articles")
        print(line + (f" — {o.error}" if o.error else ""))
    print(f"overview: {done.overview.resolve() if done.overview else '-'}")
    return done.code


def cmd_worker(args: argparse.Namespace) -> int:
    """A Celery worker of a cluster: takes one site job at a time per process."""
    from zwgk.jobs import worker_main

    open_store(args.db).close()  # the store must be reachable before the worker takes jobs
    worker_main(args.broker, db=args.db, concurrency=args.concurrency,
                time_limit=args.time_limit, name=args.name)
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    """Each site of the newest batch (or --batch): queued / running / done / failed."""
    from zwgk.jobs import board
    from zwgk.store import display_url

    try:
        batch, sites = board(args.broker, args.batch)
    except Exception as exc:  # noqa: BLE001 - redis errors: the broker cannot be reached
        raise CliError(f"{display_url(args.broker)}: cannot read the status board ({exc})",
                       EXIT_CRAWL) from None
    if batch is None:
        print(f"{display_url(args.broker)}: no batch has been queued")
        return EXIT_OK
    tally: dict[str, int] = {}
    for state in (s["state"] for s in sites.values()):
        tally[state] = tally.get(state, 0) + 1
    print(f"batch {batch}: " + ", ".join(f"{n} {state}" for state, n in sorted(tally.items())))
    for slug, s in sites.items():
        extra = "  ".join(f"{k}={s[k]}" for k in ("worker", "run_id", "exit_code", "attempt",
                                                   "error")
                          if s.get(k) not in (None, ""))
        print(f"  {slug:<24} {s['state']:<9} {s['at']}  {extra}")
    return EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    store, run_id, _ = _locked_crawl(args, "crawl")
    stats = (store.run(run_id) or {}).get("stats", {})
    print(f"run {run_id}: {stats.get('requests')} requests, {stats.get('pages')} list pages, "
          f"{stats.get('articles')} articles, {stats.get('errors')} errors → {args.db}")
    return exit_code([], stats)  # no audit: only "could not run / nothing reachable" counts


def _stored_context(args: argparse.Namespace):
    """What `audit` and `report` work on: the config as of the stored run, the store, the run
    (the newest finished one or --run N) and its as-of date (or --as-of)."""
    store = open_store(args.db)
    run = _stored_run(store, args.run)
    config = _config_for_run(load(args), run)
    return config, store, run, parse_as_of(args.as_of or run["as_of"])


def cmd_audit(args: argparse.Namespace) -> int:
    config, store, run, as_of = _stored_context(args)
    with run_lock(args.db):
        results, _ = do_audit(config, store, run["id"], as_of, args.calendar,
                              reuse=not args.reaudit)
    if args.out:
        from zwgk.report.outputs import publish
        from zwgk.report.textsafe import clean_tree

        doc = findings_doc(config, store, run["id"], results)
        publish(Path(args.out), {"findings.json": json.dumps(clean_tree(doc), ensure_ascii=False,
                                                             indent=2)})
    print_summary(results)
    return inspection_code(exit_code(results, run.get("stats", {})), config, store, run["id"])


def cmd_report(args: argparse.Namespace) -> int:
    config, store, run, as_of = _stored_context(args)
    # The run's saved results when they were computed from this catalog, as-of and calendar;
    # --reaudit (or stale results) audits again, which saves its results: under the run lock.
    with run_lock(args.db):
        results, articles = stored_or_audit(config, store, run["id"], as_of, args.calendar,
                                            reaudit=args.reaudit)
        out_dir = write_outputs(config, store, run["id"], results, articles, _out_dir(args, as_of))
    print_summary(results, out_dir)
    return inspection_code(exit_code(results, run.get("stats", {})), config, store, run["id"])


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
    if not args.deadline:  # guessing one would switch the deadline rules off without a word
        raise CliError("check --url: give the column's 公开时限 with --deadline, e.g. "
                       "--deadline 季度更新, --deadline 20个工作日内 or --deadline 根据实际更新")
    origin = f"{parts.scheme}://{parts.netloc}/"
    data = {
        "site": {"name": parts.hostname or args.url, "base_url": origin},
        "items": [{"id": SPOT_CHECK_ID, "name": args.name or "抽查栏目", "category": "抽查",
                   "deadline": args.deadline, "units": args.unit or [],
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
    from zwgk.report.html import format_table

    config, item = _check_target(args)
    checked = spot_check(config, item, as_of=parse_as_of(args.as_of), db=args.db,
                         delay=args.download_delay, calendar=args.calendar,
                         time_limit=args.time_limit)
    print(format_table(item, checked.result,
                       [a for a in checked.articles if a.item_id == item.id], limit=args.limit))
    if args.html:
        from zwgk.report.html import render_html

        doc = {**checked.doc, "scope": {"kind": "check", "name": item.name,
                                        "columns": [c.url for c in item.columns]}}
        Path(args.html).write_text(render_html(doc, config, checked.articles, checked.fetches),
                                   encoding="utf-8")
        print(f"report: {Path(args.html).resolve()}")
    return checked.code


def cmd_probe(args: argparse.Namespace) -> int:
    """Availability (检查指标: 站点无法访问): request the home page and each column's first page
    once, record the results; run it from cron, e.g. every 15 minutes."""
    from zwgk.inspection import probe

    config = load(args)
    store = open_store(args.db)
    try:
        results = probe(config, store, timeout=args.timeout)
    finally:
        store.close()
    failed = [r for r in results if not r["ok"]]
    print(f"probed {len(results)} pages: {len(results) - len(failed)} ok, {len(failed)} failed")
    for r in failed:
        print(f"  {r['url']}: {r['error'] or r['status']}", file=sys.stderr)
    return EXIT_OK if not failed else EXIT_FINDINGS


def cmd_extract(args: argparse.Namespace) -> int:
    from email.message import Message

    from zwgk.crawler.extract import decode_html, extract_article
    from zwgk.crawler.fetch import FetchError, fetch_page

    as_of = parse_as_of(args.as_of)
    code = EXIT_OK
    for source in args.sources:
        try:
            if source.startswith(("http://", "https://")):
                # Redirects stay on the URL's origin; one deadline for the whole answer.
                page = fetch_page(source, user_agent="zwgk-extract/0.1",
                                  deadline_seconds=args.timeout)
                header = Message()
                header["Content-Type"] = page.content_type or ""
                body, charset, url = page.body, header.get_content_charset(), source
            else:
                body = Path(source).read_bytes()
                charset, url = None, ""
        except (OSError, ValueError, FetchError) as exc:
            print(f"{source}: cannot read: {exc}", file=sys.stderr)
            # A file that cannot be read is bad input (2); a URL that does not answer is a
            # fetch that could not run (3). The worst one decides.
            bad = EXIT_CRAWL if source.startswith(("http://", "https://")) else EXIT_USAGE
            code = max(code, bad)
            continue
        fields = extract_article(decode_html(body, charset), url, as_of=as_of)
        record = {"source": source, "title": fields.title,
                  "publish_date": fields.publish_date.isoformat() if fields.publish_date else None,
                  "written_date": fields.written_date.isoformat() if fields.written_date else None,
                  "doc_number": fields.doc_number, "date_source": fields.date_source}
        from zwgk.report.textsafe import clean_tree

        record = clean_tree(record)  # crawled text on a terminal: no escapes, no bidi overrides
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print("\t".join(str(record[k] or "") for k in record))
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    """Serve the bundled demo site on a free loopback port and run the whole job against it."""
    from zwgk.demosite.server import start
    from zwgk.demosite.site import DEMO_AS_OF
    from zwgk.demosite.variants import EDUCATION

    if args.variant == EDUCATION:
        # Another bureau (demosite.education): its own catalog, store and report folder, so it
        # never mixes with the housing demo's history.
        from zwgk.demosite.education import CATALOG

        args.config = args.config or str(resources.files("zwgk.mapping").joinpath(CATALOG))
        if args.db == DEMO_DB:
            args.db = DEMO_EDUCATION_DB
        if not args.out:
            args.out = str(DEMO_EDUCATION_REPORTS / (args.as_of or DEMO_AS_OF.isoformat()))
    with start(port=args.port, variant=args.variant) as server:
        print(f"demo site: {server.base_url}")
        args.base_url = server.base_url
        args.example_wordlist = True
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
        code = cmd_nightly(args)  # its own dated folder under reports/demo/, and their index
    # The demo always has seeded defects: finding them is success for the demo command.
    return EXIT_OK if code == EXIT_FINDINGS else code


# --- parser ----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zwgk", description="政务公开 catalog crawler and auditor")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, crawl: bool = True, db: str | None = DEFAULT_DB,
               db_help: str = "") -> None:
        p.add_argument("--config", help="columns.yaml (default: mapping/columns.yaml)")
        p.add_argument("--db", default=db, help=f"the store: a SQLite file or a "
                       f"postgresql://user@host/db URL (default: {db_help or db})")
        p.add_argument("--as-of", help="the date audited as 'today' (YYYY-MM-DD; default: today)")
        p.add_argument("--calendar", help="YAML file adding official holiday arrangements")
        if crawl:
            p.add_argument("--base-url", help="crawl this host instead of site.base_url")
            p.add_argument("--download-delay", type=float, default=None,
                           help="seconds between requests (overrides site.download_delay)")
            p.add_argument("--full", action="store_true",
                           help="re-read every list page and re-fetch every article (default: "
                                "incremental, see docs/crawling.md)")

    def cluster(p: argparse.ArgumentParser, required: bool = False) -> None:
        from zwgk.sites import RETRY_BACKOFF, SITE_TIME_LIMIT

        p.add_argument("--broker", required=required, metavar="URL",
                       help="Redis URL of the cluster's broker, e.g. redis://host:6379/0")
        p.add_argument("--time-limit", type=int, default=SITE_TIME_LIMIT, metavar="SECONDS",
                       help=f"hard time limit of one site's job (default {SITE_TIME_LIMIT})")
        p.add_argument("--retry-backoff", type=int, default=RETRY_BACKOFF, metavar="SECONDS",
                       help="a site whose server is down is tried again after this many seconds, "
                            f"doubled each time, 3 times (default {RETRY_BACKOFF})")

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
    cluster(p)
    p.add_argument("--sites", metavar="DIR",
                   help="audit every *.yaml site config in DIR (one bureau each): OUT/<site>/ "
                        "and OUT/overview.html; --db may then be a postgresql:// URL")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="with --sites and no --broker: N local worker processes (default 1)")
    p.add_argument("--no-wait", action="store_true",
                   help="with --broker: only enqueue the site jobs")
    p.set_defaults(func=cmd_nightly)

    p = sub.add_parser("worker", help="a Celery worker of a cluster (one site job at a time per "
                       "process)")
    p.add_argument("--db", required=True, help="the shared store: postgresql://… URL")
    cluster(p, required=True)
    p.add_argument("--concurrency", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--name", help="worker name (default: celery@HOST)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("status", help="progress of the newest batch of site jobs on a cluster")
    cluster(p, required=True)
    p.add_argument("--batch", help="this batch instead of the newest")
    p.set_defaults(func=cmd_status)

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
        else:
            p.add_argument("--reaudit", action="store_true",
                           help="audit every item afresh instead of reusing the saved results "
                                "of items whose inputs did not change")
        p.set_defaults(func=func)

    p = sub.add_parser("check", help="spot-check one item (or any column: --url) live")
    common(p, db=None, db_help="a throw-away SQLite file, deleted at the end")
    p.add_argument("item_id", nargs="?", help="catalog item id, e.g. 2.1")
    p.add_argument("--url", help="check this column URL instead of a catalog item")
    p.add_argument("--deadline", help="with --url: its 公开时限, e.g. 季度更新 or 20个工作日内发布")
    p.add_argument("--name", help="with --url: a name for the column in the output")
    p.add_argument("--unit", action="append", help="with --url: 责任单位 (repeatable)")
    p.add_argument("--series", action="append", help="with --url: 文号 series prefix to check for "
                   "gaps, e.g. 临住建发 (repeatable)")
    p.add_argument("--limit", type=int, default=15, help="newest articles to list (default 15)")
    p.add_argument("--html", help="also write an HTML report to this file")
    p.add_argument("--time-limit", type=float, default=300.0,
                   help="stop the crawl after this many seconds (default 300)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("probe", help="availability probe for cron: home page and each column "
                       "once, results kept in the store (站点无法访问)")
    p.add_argument("--config", help="columns.yaml (default: mapping/columns.yaml)")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite store (default: {DEFAULT_DB})")
    p.add_argument("--base-url", help="probe this host instead of site.base_url")
    p.add_argument("--timeout", type=float, default=15.0,
                   help="seconds before a request counts as failed (default 15, the 检查指标)")
    p.set_defaults(func=cmd_probe)

    p = sub.add_parser("extract", help="extract dates/文号 from article files or URLs")
    p.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--as-of", help="reject dates after this day (YYYY-MM-DD; default: today)")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="seconds for each URL's whole answer (default 30)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("demo", help="serve the bundled demo site and run the whole job on it")
    common(p, db=DEMO_DB)
    p.add_argument("--out", help=f"output folder (default: {DEMO_REPORTS}/AS_OF, indexed in "
                   f"{DEMO_REPORTS}/index.html)")
    p.add_argument("--port", type=int, default=0, help="port for the demo site (default: free)")
    p.add_argument("--serve", action="store_true", help="only serve the demo site")
    p.add_argument("--variant", choices=["fixed", "education"], default=None,
                   help="serve the demo site a night later ('fixed': one defect repaired, one "
                        "new); run it after a plain `zwgk demo` with the same --db and a later "
                        "--as-of to see new / persisting / resolved findings. 'education': "
                        "another bureau of another domain (临江县教育局) with its own catalog "
                        "(mapping/county_education.yaml), store and reports")
    p.set_defaults(func=cmd_demo, log=None, keep=0, notify=None, sites=None)

    from zwgk.console.cli import register  # zwgk serve, zwgk user (the web console)

    register(sub, default_db=DEFAULT_DB)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        from zwgk.report.textsafe import clean_text

        print(f"zwgk: {clean_text(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception:  # a bug or the machine: not "findings" (1), which systemd counts as success
        traceback.print_exc()
        print(f"zwgk: unexpected error (exit {EXIT_CRASH})", file=sys.stderr)
        return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())
