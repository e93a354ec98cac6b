"""Distributed runs on Celery with Redis as broker: one job per site, on any number of machines.

Why these settings (the failure modes of a night over a thousand sites):
- ``task_acks_late`` + ``task_reject_on_worker_lost``: a job is acknowledged only when it ends;
  a worker process that dies mid-site (SIGKILL, out of memory, machine lost) puts its site back
  on the queue, and the next worker resumes the stored crawl (``Store.open_run``), so the night
  has each article and finding once.
- ``worker_prefetch_multiplier = 1``: a worker holds one site at a time; a slow site never keeps
  others waiting behind it on a busy worker.
- ``visibility_timeout`` above the per-site time limit: Redis hands an unacknowledged job to
  another worker only after this many seconds, so a long site is never read twice at once.
- the per-site lock in the store (``usecases.run_lock(db, site)``): should a job be delivered
  twice anyway, the second finds the site locked and retries later — never two crawls of one
  site (its politeness holds across the cluster).
- retries with exponential backoff for a site whose server is down (no column reachable), and a
  hard time limit per site.
- ``worker_max_tasks_per_child = 1``: Twisted's reactor runs once per process.

Progress is kept on a status board in Redis (``zwgk:batch:<id>``: one field per site: queued /
running / retrying / done / failed), read by ``zwgk status``.
"""
from __future__ import annotations

import json
import os
import socket
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from celery import Celery

from zwgk.sites import RETRY_BACKOFF, SITE_TIME_LIMIT, SiteJob, SiteOptions, SiteOutcome, run_site
from zwgk.store import display_url
from zwgk.usecases import EXIT_CRAWL, EXIT_LOCKED, ZwgkError

VISIBILITY_TIMEOUT = SITE_TIME_LIMIT + 3600  # above the longest site: no second delivery meanwhile
MAX_RETRIES = 3                  # a site whose server is down: tried again after the backoff
RESULT_EXPIRES = 7 * 24 * 3600
BOARD_EXPIRES = 30 * 24 * 3600
TASK = "zwgk.site"


def make_app(broker: str, *, time_limit: int = SITE_TIME_LIMIT,
             visibility_timeout: int | None = None) -> Celery:
    """The Celery app of a cluster: Redis for the queue and the results."""
    app = Celery("zwgk", broker=broker, backend=broker)
    transport = {"visibility_timeout": visibility_timeout or max(VISIBILITY_TIMEOUT,
                                                                 time_limit + 3600)}
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=1,
        task_time_limit=time_limit,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        task_serializer="json", result_serializer="json", accept_content=["json"],
        result_expires=RESULT_EXPIRES,
        task_track_started=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    app.task(name=TASK, bind=True, max_retries=MAX_RETRIES, acks_late=True,
             reject_on_worker_lost=True)(site_task)
    return app


# --- the status board --------------------------------------------------------------------------

def _redis(broker: str):
    import redis

    return redis.Redis.from_url(broker, socket_timeout=10, socket_connect_timeout=10)


def board_key(batch: str) -> str:
    return f"zwgk:batch:{batch}"


def mark(broker: str, batch: str, slug: str, state: str, **extra: Any) -> None:
    """Record a site's state on the board; a board write that fails never fails the site."""
    entry = {"state": state, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
             **extra}
    try:
        r = _redis(broker)
        r.hset(board_key(batch), slug, json.dumps(entry, ensure_ascii=False))
        r.expire(board_key(batch), BOARD_EXPIRES)
    except Exception:  # noqa: BLE001 - Redis away: the job's own result still tells
        pass


def board(broker: str, batch: str | None = None) -> tuple[str | None, dict[str, dict[str, Any]]]:
    """The newest batch (or the given one) and its sites' states."""
    r = _redis(broker)
    if batch is None:
        newest = r.lindex("zwgk:batches", 0)
        if newest is None:
            return None, {}
        batch = newest.decode()
    raw = r.hgetall(board_key(batch))
    return batch, {k.decode(): json.loads(v) for k, v in sorted(raw.items())}


# --- the job -----------------------------------------------------------------------------------

def site_task(self, job: dict[str, Any], options: dict[str, Any], batch: str) -> dict[str, Any]:
    """One site's night on a worker. Returns the SiteOutcome as JSON."""
    broker = self.app.conf.broker_url
    where = f"{socket.gethostname()}:{os.getpid()}"
    site = SiteJob(**job)
    mark(broker, batch, site.slug, "running", worker=where, pid=os.getpid(),
         attempt=self.request.retries + 1,
         redelivered=bool((self.request.delivery_info or {}).get("redelivered")))
    # The worker's own --db, when it was given one: machines may reach the store by other names.
    own_db = os.environ.get("ZWGK_WORKER_DB")
    outcome = run_site(site, SiteOptions(**{**{k: v for k, v in options.items()
                                                if k in SiteOptions.__dataclass_fields__},
                                             **({"db": own_db} if own_db else {})}))
    outcome.worker = where
    retry = outcome.exit_code in (EXIT_CRAWL, EXIT_LOCKED) and self.request.retries < self.max_retries
    if retry:
        countdown = int(options.get("retry_backoff", RETRY_BACKOFF)) * 2 ** self.request.retries
        mark(broker, batch, site.slug, "retrying", worker=where, error=outcome.error,
             exit_code=outcome.exit_code, retry_in=countdown)
        raise self.retry(countdown=countdown)
    mark(broker, batch, site.slug, outcome.status, worker=where, exit_code=outcome.exit_code,
         error=outcome.error, fails=outcome.fails, warns=outcome.warns, run_id=outcome.run_id)
    return outcome.to_json()


# --- the dispatching side ----------------------------------------------------------------------

def dispatch(broker: str, jobs: list[SiteJob], options: SiteOptions, *, wait: bool = True,
             time_limit: int = SITE_TIME_LIMIT, retry_backoff: int = RETRY_BACKOFF,
             deadline: float | None = None, poll: float = 1.0,
             say=print) -> tuple[str, list[SiteOutcome]]:
    """Enqueue one job per site; with ``wait``, wait for them all (Redis may go away and come
    back meanwhile) and return their outcomes. A site whose result cannot be had by
    ``deadline`` is reported as failed, saying why."""
    app = make_app(broker, time_limit=time_limit)
    batch = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    opts = {**options.__dict__, "retry_backoff": retry_backoff}
    pending: dict[str, Any] = {}
    try:
        r = _redis(broker)
        r.lpush("zwgk:batches", batch)
        r.ltrim("zwgk:batches", 0, 99)
        for job in jobs:
            mark(broker, batch, job.slug, "queued")
            pending[job.slug] = app.send_task(TASK, args=[job.__dict__, opts, batch],
                                              time_limit=time_limit)
    except Exception as exc:  # noqa: BLE001 - redis-py / kombu errors: the broker is away
        queued = f"; already queued: {', '.join(pending)}" if pending else ""
        raise ZwgkError(f"{display_url(broker)}: cannot reach the broker ({exc}){queued}",
                        EXIT_CRAWL) from None
    if not wait:
        return batch, [SiteOutcome(j.slug, status="queued") for j in jobs]
    outcomes: dict[str, SiteOutcome] = {}
    outage_since: float | None = None
    limit = deadline or (time.monotonic() + time_limit * (MAX_RETRIES + 1) + 3600)
    while pending and time.monotonic() < limit:
        for slug, result in list(pending.items()):
            try:
                if not result.ready():
                    continue
                value = result.get(propagate=False, timeout=10)
            except Exception as exc:  # noqa: BLE001 - the broker/backend is unreachable
                if outage_since is None:
                    outage_since = time.monotonic()
                    say(f"zwgk: lost contact with {display_url(broker)} ({exc.__class__.__name__}); waiting "
                        "for it to come back")
                break
            if outage_since is not None:
                say(f"zwgk: {display_url(broker)} reachable again after "
                    f"{time.monotonic() - outage_since:.0f} s")
                outage_since = None
            if result.successful() and isinstance(value, dict):
                outcomes[slug] = SiteOutcome.from_json(value)
            else:
                outcomes[slug] = SiteOutcome(slug, status="failed", exit_code=EXIT_CRAWL,
                                             error=f"job failed on the worker: {value!r}")
            del pending[slug]
        if pending:
            time.sleep(poll)
    for slug in pending:
        outcomes[slug] = SiteOutcome(slug, status="failed", exit_code=EXIT_CRAWL,
                                     error=f"no result from the cluster before the deadline "
                                           f"(batch {batch}; see `zwgk status`)")
    return batch, [outcomes[j.slug] for j in jobs]


def worker_main(broker: str, *, db: str | None = None, concurrency: int = 1,
                time_limit: int = SITE_TIME_LIMIT, name: str | None = None,
                loglevel: str = "INFO") -> None:
    """Run a Celery worker of the cluster in this process (``zwgk worker``)."""
    if db:
        os.environ["ZWGK_WORKER_DB"] = db
    app = make_app(broker, time_limit=time_limit)
    argv = ["worker", "--pool=prefork", f"--concurrency={concurrency}", f"--loglevel={loglevel}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if name:
        argv += ["--hostname", name]
    app.worker_main(argv)
