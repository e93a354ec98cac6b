"""Distributed runs on real servers (issue 13): Celery workers on a real redis-server, the store on
a real PostgreSQL 15, demo sites on loopback ports. Faults: a worker SIGKILLed mid-site, Redis
restarted mid-run, PostgreSQL unreachable, two runs at once."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, run_zwgk
from servers import free_port
from sitecfg import write_site
from zwgk.demosite.server import start
from zwgk.demosite.site import DEMO_AS_OF

AS_OF = DEMO_AS_OF.isoformat()
SLOW_ITEMS = ("2.1", "4.1", "5.1", "15.1")  # one column per list style


class Worker:
    """``zwgk worker`` in a process group of its own (its pool children die with it)."""

    def __init__(self, broker: str, db: str, log: Path, name: str) -> None:
        self.log = log
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zwgk.cli", "worker", "--broker", broker, "--db", db,
             "--name", name], stdout=open(log, "wb"), stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def zwgk_popen(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "zwgk.cli", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def board(broker: str) -> dict:
    from zwgk.jobs import board as read_board

    return read_board(broker)[1]


def wait_for(predicate, timeout: float, what: str) -> None:
    """Poll until ``predicate()``; a Redis read that times out (the machine busy, the
    append-only file being synced) is "not yet", not a failure: only the deadline fails."""
    from redis.exceptions import TimeoutError as RedisTimeout

    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except RedisTimeout:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def pg_rows(db: str, sql: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(db.replace("postgresql://", "postgresql://", 1)) as conn:
        return list(conn.execute(sql, params).fetchall())


def test_two_workers_on_redis_and_postgres(tmp_path, postgres, redis_server):
    db = postgres.database("two_workers")
    sites, out = tmp_path / "sites", tmp_path / "out"
    workers = [Worker(redis_server.url, db, tmp_path / f"w{i}.log", f"w{i}@%h") for i in range(2)]
    try:
        with start() as declared, start(variant="fixed") as fixed, start(articles=340) as sized:
            for slug, server in (("declared", declared), ("fixed", fixed), ("sized", sized)):
                write_site(sites, slug, server.base_url)
            proc = run_zwgk("run", "--sites", str(sites), "--broker", redis_server.url,
                            "--db", db, "--out", str(out), "--as-of", AS_OF, timeout=600)
        status = run_zwgk("status", "--broker", redis_server.url)
    finally:
        for w in workers:
            w.stop()
    assert proc.returncode == 1, proc.stderr[-3000:]
    doc = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert [s["slug"] for s in doc["sites"]] == ["declared", "fixed", "sized"]
    for site in doc["sites"]:
        assert site["status"] == "done" and site["exit_code"] == 1 and site["fails"] > 0
        assert site["worker"]  # which worker process read it
        for name in ("report.html", "findings.json", "articles.csv", "report.xlsx"):
            assert (out / site["slug"] / name).stat().st_size > 0
    # Both workers took jobs (one site at a time each), and each site was read once.
    used = {s["worker"] for s in doc["sites"]}
    logs = [(tmp_path / f"w{i}.log").read_text(errors="replace") for i in range(2)]
    assert all("succeeded" in log for log in logs), used
    runs = pg_rows(db, "SELECT site_key, status, kind FROM runs ORDER BY site_key")
    assert runs == [("declared", "finished", "run"), ("fixed", "finished", "run"),
                    ("sized", "finished", "run")]
    assert status.returncode == 0 and "3 done" in status.stdout, status.stdout


def _articles_and_findings_pg(db: str, slug: str):
    (run_id, resumed) = pg_rows(db, "SELECT id, resumed FROM runs WHERE site_key=%s AND "
                                "status='finished'", slug)[0]
    articles = pg_rows(db, "SELECT l.item_id, l.url, a.title, a.publish_date, a.doc_number FROM "
                       "listings l JOIN articles a ON a.url = l.url WHERE l.run_id=%s", run_id)
    findings = pg_rows(db, "SELECT item_id, rule, severity, message FROM findings WHERE run_id=%s",
                       run_id)
    return resumed, Counter(articles), Counter(findings)


def _articles_and_findings_sqlite(path: Path):
    import sqlite3

    with sqlite3.connect(path) as conn:
        (run_id,) = conn.execute("SELECT id FROM runs WHERE status='finished'").fetchone()
        articles = conn.execute("SELECT l.item_id, l.url, a.title, a.publish_date, a.doc_number "
                                "FROM listings l JOIN articles a ON a.url = l.url WHERE "
                                "l.run_id=?", (run_id,)).fetchall()
        findings = conn.execute("SELECT item_id, rule, severity, message FROM findings WHERE "
                                "run_id=?", (run_id,)).fetchall()
    return Counter(articles), Counter(findings)


def test_worker_killed_mid_site_is_redelivered_and_equals_an_uninterrupted_run(
        tmp_path, postgres, redis_server):
    db = postgres.database("worker_kill")
    sites, out = tmp_path / "sites", tmp_path / "out"
    with start(articles=900) as server:
        cfg = write_site(sites, "slow", server.base_url, delay=0.02, items=SLOW_ITEMS)
        worker = Worker(redis_server.url, db, tmp_path / "w.log", "w@%h")
        try:
            run = zwgk_popen("run", "--sites", str(sites), "--broker", redis_server.url,
                             "--db", db, "--out", str(out), "--as-of", AS_OF)

            def stored() -> int:
                rows = pg_rows(db, "SELECT COUNT(*) FROM articles") if _has_schema(db) else [(0,)]
                return rows[0][0]

            wait_for(lambda: board(redis_server.url).get("slow", {}).get("state") == "running"
                     and stored() >= 80, 240, "the site to be half-crawled")
            first = board(redis_server.url)["slow"]
            os.kill(first["pid"], signal.SIGKILL)  # the pool process reading the site
            stdout, stderr = run.communicate(timeout=600)
        finally:
            worker.stop()
        # An uninterrupted night of the same site, for comparison.
        ref = run_zwgk("run", "--config", str(cfg), "--db", str(tmp_path / "ref.sqlite"),
                       "--out", str(tmp_path / "ref"), "--as-of", AS_OF, timeout=600)
    assert run.returncode == 1, stderr[-3000:]
    assert ref.returncode == 1, ref.stderr[-3000:]
    final = board(redis_server.url)["slow"]
    assert final["state"] == "done" and final["worker"] != first["worker"]  # another process
    resumed, articles, findings = _articles_and_findings_pg(db, "slow")
    ref_articles, ref_findings = _articles_and_findings_sqlite(tmp_path / "ref.sqlite")
    assert resumed >= 1  # the redelivered job resumed the killed crawl
    assert len(articles) > 100 and max(articles.values()) == 1  # nothing twice
    assert articles == ref_articles  # nothing lost
    assert findings == ref_findings
    assert pg_rows(db, "SELECT COUNT(*) FROM runs")[0][0] == 1
    doc = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert doc["sites"][0]["status"] == "done"


def _has_schema(db: str) -> bool:
    return bool(pg_rows(db, "SELECT 1 FROM pg_tables WHERE tablename='articles'"))


def test_redis_restarted_mid_run_completes(tmp_path, postgres, redis_server):
    db = postgres.database("redis_restart")
    sites, out = tmp_path / "sites", tmp_path / "out"
    with start(articles=600) as server:
        write_site(sites, "site", server.base_url, delay=0.02, items=SLOW_ITEMS)
        worker = Worker(redis_server.url, db, tmp_path / "w.log", "w@%h")
        try:
            run = zwgk_popen("run", "--sites", str(sites), "--broker", redis_server.url,
                             "--db", db, "--out", str(out), "--as-of", AS_OF)
            wait_for(lambda: board(redis_server.url).get("site", {}).get("state") == "running",
                     120, "the site job to start")
            redis_server.stop()
            time.sleep(3)
            redis_server.start()
            stdout, stderr = run.communicate(timeout=600)
        finally:
            worker.stop()
    # It completed; and it said that it lost the broker for a while.
    assert run.returncode == 1, stderr[-3000:]
    assert "lost contact" in stderr and "reachable again" in stderr
    doc = json.loads((out / "overview.json").read_text(encoding="utf-8"))
    assert doc["sites"][0]["status"] == "done" and doc["sites"][0]["fails"] > 0
    assert (out / "site" / "report.html").exists()


def test_postgres_unreachable_at_start_exits_3_naming_the_url(tmp_path, redis_server):
    sites, out = tmp_path / "sites", tmp_path / "out"
    write_site(sites, "a", "http://127.0.0.1:9/")
    db = f"postgresql://zwgk:secret@127.0.0.1:{free_port()}/nowhere"
    proc = run_zwgk("run", "--sites", str(sites), "--broker", redis_server.url, "--db", db,
                    "--out", str(out), "--as-of", AS_OF)
    assert proc.returncode == 3, proc.stderr
    assert "postgresql://zwgk:***@127.0.0.1" in proc.stderr and "secret" not in proc.stderr
    assert not out.exists()
    from zwgk.jobs import board as read_board

    assert read_board(redis_server.url) == (None, {})  # nothing queued
    worker = run_zwgk("worker", "--broker", redis_server.url, "--db", db)
    assert worker.returncode == 3 and "cannot connect" in worker.stderr


def test_second_run_at_once_refused_exit_4(tmp_path, postgres):
    """Two `zwgk run --sites` on one PostgreSQL store: the second refuses while the first runs."""
    db = postgres.database("two_runs")
    sites = tmp_path / "sites"
    with start(articles=600) as server:
        write_site(sites, "slow", server.base_url, delay=0.01, items=SLOW_ITEMS)
        first = zwgk_popen("run", "--sites", str(sites), "--db", db, "--out",
                           str(tmp_path / "out1"), "--as-of", AS_OF)
        try:
            wait_for(lambda: _has_schema(db) and pg_rows(db, "SELECT COUNT(*) FROM runs")[0][0],
                     120, "the first run to start")
            second = run_zwgk("run", "--sites", str(sites), "--db", db, "--out",
                              str(tmp_path / "out2"), "--as-of", AS_OF)
        finally:
            first.communicate(timeout=600)
    assert second.returncode == 4, second.stderr
    assert "another zwgk run" in second.stderr and not (tmp_path / "out2").exists()
    assert first.returncode == 1


def test_broker_unreachable_exits_3_naming_it(tmp_path):
    sites = tmp_path / "sites"
    write_site(sites, "a", "http://127.0.0.1:9/")
    broker = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    proc = run_zwgk("run", "--sites", str(sites), "--broker", broker, "--db",
                    str(tmp_path / "z.sqlite"), "--out", str(tmp_path / "out"), "--as-of", AS_OF)
    assert proc.returncode == 3, proc.stderr
    assert "cannot reach the broker" in proc.stderr and "hunter2" not in proc.stderr
    assert not (tmp_path / "out").exists()
    status = run_zwgk("status", "--broker", broker)
    assert status.returncode == 3 and "hunter2" not in status.stderr


def test_a_site_whose_server_is_down_is_retried_with_backoff_then_fails_alone(
        tmp_path, postgres, redis_server):
    db = postgres.database("retries")
    sites, out = tmp_path / "sites", tmp_path / "out"
    with start() as up:
        # The site-level retries (Celery's backoff) are under test, not the crawler's own request
        # retries: those are pauseless here, so each of the 4 attempts fails in seconds.
        write_site(sites, "down", f"http://127.0.0.1:{free_port()}/", items=("2.1",),
                   retry_backoff=0)
        write_site(sites, "up", up.base_url, items=("2.1",))
        worker = Worker(redis_server.url, db, tmp_path / "w.log", "w@%h")
        try:
            proc = run_zwgk("run", "--sites", str(sites), "--broker", redis_server.url, "--db", db,
                            "--out", str(out), "--as-of", AS_OF, "--retry-backoff", "1",
                            timeout=600)
        finally:
            worker.stop()
    assert proc.returncode == 3, proc.stderr[-3000:]  # the worst site's
    doc = {s["slug"]: s for s in json.loads((out / "overview.json").read_text("utf-8"))["sites"]}
    assert doc["down"]["status"] == "failed" and doc["down"]["exit_code"] == 3
    assert doc["up"]["status"] == "done" and (out / "up" / "report.html").exists()
    log = (tmp_path / "w.log").read_text(errors="replace")
    assert log.count("retry: Retry in") == 3, log[-3000:]  # 1 s, 2 s, 4 s, then given up
    attempts = pg_rows(db, "SELECT COUNT(*) FROM runs WHERE site_key='down'")[0][0]
    assert attempts == 4
