"""Spot-checks off the request thread: each in a fresh worker process, one per site at a time,
at most ``limit`` at once.

A fresh process per check because Twisted's reactor cannot be restarted in one process (the
worker pool retires each process after one task); spawned, not forked, so no server thread or
lock is copied into it. The worker writes its progress (pages read, articles listed) and its
result into the check's record, where the page and the API read them; the console process only
inserts the record and marks it failed if the worker dies. With a Celery broker (issue 13) the
same ``run_in_worker`` becomes the task body; until then the pool is local.
"""
from __future__ import annotations

import json
import multiprocessing
import threading
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from zwgk.console import tables as t
from zwgk.console.backend import CheckRequest, spot_check

ACTIVE = ("queued", "running")
DEFAULT_LIMIT = 2


class Busy(Exception):
    """The check cannot start now; ``status`` is 409 (this site is being checked) or 429 (the
    global limit is reached)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def run_in_worker(req: CheckRequest) -> None:
    """The worker's whole job: mark running, check, store the result (or why it failed)."""
    engine = t.engine_for(req.db)
    where = t.checks.c.id == req.check_id

    def update(**values: Any) -> None:
        with engine.begin() as c:
            c.execute(t.checks.update().where(where).values(**values))

    update(status="running", started_at=t.now())
    try:
        result = spot_check(req, lambda pages, listed: update(pages=pages, articles=listed))
    except BaseException as exc:  # noqa: BLE001 - whatever happened, the record must say so
        from zwgk.usecases import ZwgkError

        message = str(exc) if isinstance(exc, ZwgkError) else \
            f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        update(status="failed", error=message[:4000], finished_at=t.now())
        engine.dispose()
        return
    update(status="done", pages=result["pages"], articles=result["listed"],
           result_json=json.dumps(result, ensure_ascii=False), finished_at=t.now())
    engine.dispose()


def _warm() -> None:
    """Worker initializer: import the crawl and audit code (seconds on a busy machine) while the
    process stands by, not after a supervisor clicked. None of these installs Twisted's reactor;
    the crawl installs it as its settings say."""
    import zwgk.audit.engine  # noqa: F401
    import zwgk.report.html  # noqa: F401
    import zwgk.cli  # noqa: F401 - the spot-check's target selection
    import zwgk.crawler.runner  # noqa: F401
    from scrapy.settings import default_settings as scrapy_defaults
    from scrapy.utils.misc import load_object

    from zwgk import usecases
    from zwgk.crawler import settings as crawl_defaults

    # The components a crawl loads by name when it starts (half its start-up time).
    for path in (*scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE, *scrapy_defaults.SPIDER_MIDDLEWARES_BASE,
                 *scrapy_defaults.DOWNLOAD_HANDLERS_BASE.values(), *crawl_defaults.DOWNLOADER_MIDDLEWARES,
                 *crawl_defaults.ITEM_PIPELINES, *crawl_defaults.EXTENSIONS,
                 *(k for k in scrapy_defaults.EXTENSIONS_BASE if k not in usecases.UNUSED_SCRAPY_EXTENSIONS)):
        if path:
            try:
                load_object(path)
            except Exception:  # noqa: BLE001 - an optional handler (s3, ftp) may not import
                pass


def _standby() -> None:
    """A no-op task: it makes the pool start a worker, which then retires and is replaced by a
    warm one waiting for the first real check."""


class Dispatcher:
    def __init__(self, engine: Engine, limit: int = DEFAULT_LIMIT, warm: bool = True) -> None:
        self.engine = engine
        self.limit = max(1, limit)
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._abandon_unfinished()
        if warm:
            for _ in range(self.limit):
                self._executor().submit(_standby)

    def _abandon_unfinished(self) -> None:
        """Checks a previous console left queued or running will never finish: say so."""
        with self.engine.begin() as c:
            c.execute(t.checks.update().where(t.checks.c.status.in_(ACTIVE)).values(
                status="failed", error="the console stopped before this check finished",
                finished_at=t.now()))

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.limit,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             max_tasks_per_child=1, initializer=_warm)
        return self._pool

    def submit(self, req_fields: dict[str, Any], *, site: str, requested_by: str,
               via: str) -> int:
        """Record the check as queued (who asked, through what) and hand it to a worker.
        Raises Busy when the site is being checked or the global limit is reached."""
        with self._lock:
            with self.engine.begin() as c:
                active = c.execute(sa.select(t.checks.c.site).where(
                    t.checks.c.status.in_(ACTIVE))).scalars().all()
                if site in active:
                    raise Busy(f"a spot-check of {site} is already running; wait for it", 409)
                if len(active) >= self.limit:
                    raise Busy(f"{len(active)} spot-checks are running (the limit); try again "
                               "shortly", 429)
                check_id = int(c.execute(t.checks.insert().values(
                    site=site, item_id=req_fields.get("item_id"), url=req_fields.get("url"),
                    deadline=req_fields.get("deadline"), as_of=req_fields["as_of"],
                    requested_by=requested_by, via=via, status="queued", pages=0, articles=0,
                    created_at=t.now())).inserted_primary_key[0])
            req = CheckRequest(check_id=check_id, **req_fields)
            future = self._executor().submit(run_in_worker, req)
        future.add_done_callback(lambda f: self._finished(check_id, f))
        return check_id

    def _finished(self, check_id: int, future: Future) -> None:
        """A worker that died (killed, out of memory) cannot write its record: do it here."""
        exc = future.exception()
        with self.engine.begin() as c:
            c.execute(t.checks.update().where(t.checks.c.id == check_id,
                                              t.checks.c.status.in_(ACTIVE)).values(
                status="failed", finished_at=t.now(),
                error=f"the worker process ended without a result ({exc!r})" if exc else
                "the worker process ended without a result"))

    def shutdown(self) -> None:
        """Stop every worker: standbys wait on the pool's queue and would outlive the console;
        a check cut short stays 'running' and is marked failed at the next start."""
        if self._pool is not None:
            processes = list(getattr(self._pool, "_processes", {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=5)
            self._pool = None


def check_record(engine: Engine, check_id: int) -> dict[str, Any] | None:
    with engine.connect() as c:
        row = c.execute(sa.select(t.checks).where(t.checks.c.id == check_id)).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["result"] = json.loads(out.pop("result_json")) if out.get("result_json") else None
    return out


def check_history(engine: Engine, limit: int = 200) -> list[dict[str, Any]]:
    with engine.connect() as c:
        rows = c.execute(sa.select(*[col for col in t.checks.c if col.name != "result_json"])
                         .order_by(t.checks.c.id.desc()).limit(limit)).all()
    return [dict(r._mapping) for r in rows]


__all__ = ["Busy", "Dispatcher", "check_history", "check_record", "run_in_worker"]
