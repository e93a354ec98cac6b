"""Many sites: one job per site config, run by local worker processes or by Celery workers.

Why one job per site: a site's politeness (delay, concurrency, robots) is kept by the one crawl
that reads it, so no two workers may ever read one site at once; and a site that fails (its
server down, its config broken) must not stop the others. A job carries the config's text, not
its path, so a worker on another machine needs no shared folder; it crawls and audits into the
shared store and returns a ``SiteOutcome``. The run that dispatched the jobs then writes every
site's outputs from the store (the workers' machines need not see ``--out``) and the overview.

Twisted's reactor runs once per process: every job runs in a process of its own (local pool:
``max_tasks_per_child=1``; Celery: ``worker_max_tasks_per_child=1``).
"""
from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from zwgk.usecases import (EXIT_CRAWL, EXIT_OK, EXIT_USAGE, ZwgkError, night, open_store,
                           outputs_of_run, run_lock)

SLUG_RE = re.compile(r"[^a-z0-9_-]+")
SITE_TIME_LIMIT = 4 * 3600  # seconds: the hard limit of one site's night on a cluster
RETRY_BACKOFF = 300  # seconds before a cluster retries a site whose server is down; doubled each time


@dataclass(frozen=True)
class SiteJob:
    """One site to audit: its slug (output folder, key in the store) and its config."""

    slug: str
    config_path: str   # as the operator named it: messages, and the run's identity on resume
    config_text: str


@dataclass(frozen=True)
class SiteOptions:
    """What every site's night shares."""

    db: str
    as_of: str                  # ISO date
    delay: float | None = None  # overrides each site's download_delay
    full: bool = False
    calendar: str | None = None
    out_root: str | None = None  # workers that see the output folder write OUT/<slug>/ themselves


@dataclass
class SiteOutcome:
    """One line of overview.json: what a site's job did."""

    slug: str
    name: str = ""
    base_url: str = ""
    status: str = "queued"       # queued | running | done | failed
    exit_code: int | None = None
    fails: int = 0
    warns: int = 0
    veto: bool = False
    articles: int = 0
    requests: int = 0
    error: str = ""
    run_id: int | None = None
    worker: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "SiteOutcome":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def slug_of(path: Path) -> str:
    """The folder name of a site's outputs: the config file's name, lower-case, safe."""
    return SLUG_RE.sub("-", path.stem.lower()).strip("-") or "site"


def discover(sites_dir: str | Path) -> list[SiteJob]:
    """Every ``*.yaml`` in the folder, one site each, in name order. Raises ZwgkError(2)."""
    folder = Path(sites_dir)
    if not folder.is_dir():
        raise ZwgkError(f"--sites {folder}: not a folder")
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ZwgkError(f"--sites {folder}: no *.yaml site config in it")
    jobs, seen = [], set()
    for path in paths:
        slug = slug_of(path)
        if slug in seen:
            raise ZwgkError(f"--sites {folder}: {path.name} gives the folder name {slug!r} "
                            "of another config; rename one")
        seen.add(slug)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            text = f"# unreadable: {exc}"
        jobs.append(SiteJob(slug, str(path), text))
    return jobs


def job_config(job: SiteJob):  # -> Config
    """The job's config, validated as ``columns.yaml`` is; errors name the operator's file."""
    from zwgk.audit.catalog import ConfigError, load_config

    with tempfile.TemporaryDirectory(prefix="zwgk-site-") as tmp:
        copy = Path(tmp) / Path(job.config_path).name
        copy.write_text(job.config_text, encoding="utf-8")
        try:
            config = load_config(copy)
        except ConfigError as exc:
            message = str(exc).replace(str(copy), job.config_path)
            raise ZwgkError(f"config error: {message}", EXIT_USAGE) from None
    return replace(config, path=job.config_path)


def run_site(job: SiteJob, options: SiteOptions) -> SiteOutcome:
    """One site's night into the shared store, without outputs; never raises for the site's own
    failures (they are the outcome's status, exit code and error)."""
    from zwgk.audit.scoring import veto_tally

    outcome = SiteOutcome(job.slug, status="running")
    try:
        config = job_config(job)
        outcome.name, outcome.base_url = config.site.name, config.site.base_url
        out_dir = Path(options.out_root) / job.slug if options.out_root else None
        done = night(config, options.db, as_of=date.fromisoformat(options.as_of),
                     out_dir=out_dir, delay=options.delay, full=options.full,
                     calendar=options.calendar, site_key=job.slug)
    except ZwgkError as exc:
        outcome.status, outcome.exit_code, outcome.error = "failed", exc.code, str(exc)
        return outcome
    except Exception as exc:  # a bug, or the engine: this site fails, the others go on
        outcome.status, outcome.exit_code, outcome.error = "failed", EXIT_CRAWL, repr(exc)
        return outcome
    severities = [f["severity"] for r in done.results for f in r["findings"]]
    outcome.run_id, outcome.exit_code = done.run_id, done.code
    outcome.status = "failed" if done.code == EXIT_CRAWL else "done"
    if done.code == EXIT_CRAWL:
        outcome.error = "no column of the site could be reached"
    outcome.fails, outcome.warns = severities.count("fail"), severities.count("warn")
    outcome.veto = bool(veto_tally(done.results, config.site.audit)["would_fail"])
    outcome.articles = int(done.stats.get("articles") or 0)
    outcome.requests = int(done.stats.get("requests") or 0)
    outcome.extra["outputs_written"] = done.out_dir is not None
    return outcome


def run_local(jobs: list[SiteJob], options: SiteOptions, workers: int,
              progress: Callable[[SiteOutcome], None] | None = None) -> list[SiteOutcome]:
    """Run the jobs in ``workers`` local processes, one fresh process per site. With
    ``options.out_root`` each process also writes its site's outputs (in parallel)."""
    outcomes: dict[str, SiteOutcome] = {}
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=get_context("spawn"),
                             max_tasks_per_child=1) as pool:
        futures = {pool.submit(run_site, job, options): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # the worker process died (killed, out of memory)
                outcome = SiteOutcome(job.slug, status="failed", exit_code=EXIT_CRAWL,
                                      error=f"worker process lost: {exc!r}")
            outcomes[job.slug] = outcome
            if progress:
                progress(outcome)
    return [outcomes[j.slug] for j in jobs]


# --- the run over many sites -----------------------------------------------------------------

@dataclass
class SitesRun:
    code: int
    outcomes: list[SiteOutcome]
    out_dir: Path
    overview: Path | None


def worst(codes: Iterable[int | None]) -> int:
    """The run's exit code: the worst of the sites' (4 > 3 > 2 > 1 > 0)."""
    return max((c for c in codes if c is not None), default=EXIT_OK)


def run_sites(jobs: list[SiteJob], options: SiteOptions, out_dir: Path, *,
              dispatch: Callable[[list[SiteJob], SiteOptions], list[SiteOutcome]]) -> SitesRun:
    """Check every config, lock the store, dispatch the valid sites (``dispatch``: local
    processes or Celery), then write each audited site's outputs and the overview.

    A config that does not validate is that site's failure (exit 2), reported in the overview;
    the store being unreachable (exit 3) or locked by another run (exit 4) stops everything
    before anything is written."""
    outcomes: dict[str, SiteOutcome] = {}
    valid: list[SiteJob] = []
    for job in jobs:
        try:
            config = job_config(job)
        except ZwgkError as exc:
            outcomes[job.slug] = SiteOutcome(job.slug, status="failed", exit_code=exc.code,
                                             error=str(exc))
            continue
        outcomes[job.slug] = SiteOutcome(job.slug, config.site.name, config.site.base_url)
        valid.append(job)
    with run_lock(options.db):
        open_store(options.db).close()  # unreachable or unusable: stop before any job runs
        for outcome in dispatch(valid, options):
            known = outcomes[outcome.slug]  # a lost job's outcome knows only its slug
            outcome.name, outcome.base_url = (outcome.name or known.name,
                                              outcome.base_url or known.base_url)
            outcomes[outcome.slug] = outcome
        store = open_store(options.db)
        try:
            for job in valid:
                outcome = outcomes[job.slug]
                if outcome.run_id is None or outcome.extra.get("outputs_written"):
                    continue
                try:
                    outputs_of_run(job_config(job), store, outcome.run_id, out_dir / job.slug,
                                   options.calendar)
                except ZwgkError as exc:
                    outcome.error = (outcome.error + "; " if outcome.error else "") + str(exc)
                    outcome.exit_code = worst([outcome.exit_code, exc.code])
            ordered = [outcomes[j.slug] for j in jobs]
            overview = write_overview(out_dir, options.as_of, ordered, store)
        finally:
            store.close()
    return SitesRun(worst(o.exit_code for o in ordered), ordered, out_dir, overview)


def _site_history(store, slug: str) -> list[dict[str, Any]]:
    """The site's nights in the store: fails and warns per audited run, oldest first."""
    frame = store.item_trends(site_key=slug)
    if frame.empty:
        return []
    nights = frame.groupby(["run_id", "as_of"], as_index=False)[["fails", "warns"]].sum()
    return [{"run": int(r.run_id), "as_of": r.as_of, "fails": int(r.fails), "warns": int(r.warns)}
            for r in nights.itertuples()]


def write_overview(out_dir: Path, as_of: str, outcomes: list[SiteOutcome], store) -> Path:
    """OUT/overview.json and OUT/overview.html: every site's verdict, veto, 责任单位 scores
    (worst first) and trend, linked to its report."""
    from zwgk.report.outputs import publish
    from zwgk.report.overview import render_overview

    out_dir.mkdir(parents=True, exist_ok=True)
    sites = []
    for o in outcomes:
        row = {k: v for k, v in o.to_json().items() if k != "extra"}
        findings = out_dir / o.slug / "findings.json"
        units: list[dict[str, Any]] = []
        if o.run_id is not None and findings.exists():
            doc = json.loads(findings.read_text(encoding="utf-8"))
            units = [{k: u.get(k) for k in ("unit", "score", "status", "veto", "fails", "warns",
                                            "trend")} for u in doc.get("units", [])]
            row["report"] = f"{o.slug}/report.html"
        row["units"] = units
        row["trend"] = _site_history(store, o.slug)
        sites.append(row)
    doc = {"as_of": as_of, "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "sites": sites}
    # Published like a site's files, the marker naming the sites' folders: --keep may prune it.
    publish(out_dir, {"overview.json": json.dumps(doc, ensure_ascii=False, indent=2),
                      "overview.html": render_overview(doc)},
            folders=[o.slug for o in outcomes if (out_dir / o.slug).is_dir()])
    return out_dir / "overview.html"
