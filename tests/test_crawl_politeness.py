"""Politeness against a misbehaving server on loopback: the pagination cap, 429/5xx retried with
backoff (Retry-After honoured) then reported, and the progress display (issue 4).

The server here is a tiny TRS-style site whose answers can be scripted per path: a list of
(status, headers) played in order, the last one repeating.
"""
from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_zwgk
from zwgk.crawler.retry import retry_after_seconds
from zwgk.crawler.spiders.columns import due_fraction, is_due

PER_PAGE = 5


def list_page(n: int, pages: int) -> str:
    items = "".join(f'<li><a href="./a{n}_{k}.html" title="关于第{n}页第{k}条的通知">关于第{n}页第{k}条的'
                    f'通知</a><span>2026-10-{10 + k:02d}</span></li>' for k in range(PER_PAGE))
    return (f'<html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
            f'<div class="nav"><a href="/">首页</a></div><ul class="list-ul">{items}</ul>'
            f'<div class="page"><script>createPageHTML({pages}, {n}, "index", "html");</script>'
            f'</div></body></html>')


def article_page(path: str) -> str:
    return (f'<html><head><meta charset="utf-8"><title>{path}</title></head><body><h1>关于{path}的通知'
            f'</h1><div class="info">发布时间：2026-10-12</div><div id="zoom"><p>正文内容。</p></div>'
            f'</body></html>')


class FaultSite:
    """``pages``: list pages announced (a trap when huge); ``plan``: path -> answers in order."""

    def __init__(self, pages: int = 2) -> None:
        self.pages = pages
        self.plan: dict[str, list[tuple[int, dict]]] = {}  # header values may be callables
        self.hits: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.hits.append((time.monotonic(), path))
            scripted = self.plan.get(path)
            if scripted:
                status, headers = scripted.pop(0) if len(scripted) > 1 else scripted[0]
                headers = {k: v() if callable(v) else v for k, v in headers.items()}
                if status != 200:
                    return status, headers, b"<html><body>busy</body></html>"
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/col/index"):
            n = 0 if name == "index.html" else int(name[len("index_"):-len(".html")])
            if n < self.pages:
                return 200, {}, list_page(n, self.pages).encode()
        elif path.startswith("/col/a"):
            return 200, {}, article_page(path).encode()
        return 404, {}, b"<html><body>not found</body></html>"

    def count(self, path: str) -> int:
        return sum(1 for _, p in self.hits if p == path)

    def times(self, path: str) -> list[float]:
        return [t for t, p in self.hits if p == path]


@pytest.fixture()
def fault_site():
    site = FaultSite()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server API
            status, headers, body = site.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", "text/html; charset=utf-8"))
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield site
    server.shutdown()
    server.server_close()


def write_config(tmp_path: Path, base_url: str, **site) -> Path:
    data = {"site": {"name": "测试站点", "base_url": base_url, "download_delay": 0, "retries": 2,
                     "retry_backoff": 0.3, **site},
            "items": [{"id": "1.1", "name": "通知公告", "deadline": "根据实际更新",
                       "columns": [{"name": "通知公告", "url": "col/index.html"}]}]}
    path = tmp_path / "columns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def crawl(tmp_path: Path, site: FaultSite, *extra: str, **site_keys) -> tuple[subprocess.CompletedProcess, Path]:
    db = tmp_path / "z.sqlite"
    proc = run_zwgk("crawl", "--config", str(write_config(tmp_path, site.base_url, **site_keys)),
                    "--db", str(db), "--as-of", "2026-11-20", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, db


def column(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = dict(conn.execute("SELECT * FROM column_fetches").fetchone())
    row["notes"] = json.loads(row.pop("notes_json"))
    row["stats"] = json.loads(row.pop("stats_json"))
    return row


def errors(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT url, status, error FROM fetch_errors"))


def test_pagination_trap_stops_at_the_cap_and_says_so(fault_site, tmp_path):
    fault_site.pages = 10000  # createPageHTML(10000, …): every page exists
    proc, db = crawl(tmp_path, fault_site, "--full", max_pages_per_column=4)
    assert proc.returncode == 0, proc.stderr
    list_hits = [p for _, p in fault_site.hits if p.startswith("/col/index")]
    assert sorted(list_hits) == ["/col/index.html", "/col/index_1.html", "/col/index_2.html",
                                 "/col/index_3.html"]
    col = column(db)
    assert col["pagination_capped"] == 1 and col["stop_reason"] == "capped" and col["complete"] == 0
    assert col["pages"] == 4 and col["entries"] == 4 * PER_PAGE
    assert "pagination_capped: stopped after 4 list pages (9996 more announced)" in col["notes"]
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats_json FROM runs").fetchone()[0])
    assert stats["crawl"]["columns_capped"] == 1


def test_429_with_retry_after_is_waited_for_then_the_column_is_crawled(fault_site, tmp_path):
    fault_site.plan["/col/index.html"] = [(429, {"Retry-After": "1"}), (200, {})]
    proc, db = crawl(tmp_path, fault_site)
    assert proc.returncode == 0, proc.stderr
    first, second = fault_site.times("/col/index.html")
    assert second - first >= 1.0  # the server's Retry-After, not the 0.3 s backoff
    col = column(db)
    assert (col["status"], col["error"], col["pages"], col["complete"]) == (200, None, 2, 1)
    assert col["stats"]["articles_fetched"] == 2 * PER_PAGE and col["stats"]["retries"] == 1
    assert errors(db) == []
    # Not a terminal (as under cron): plain log lines, here the final one only (a short crawl).
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("zwgk crawl")]
    assert lines == [lines[-1]] and "\r" not in proc.stderr and "\x1b[" not in proc.stderr
    assert "columns 1/1 · list pages 2 · articles 10" in lines[-1] and "errors 0" in lines[-1]


def test_5xx_is_retried_with_growing_backoff_then_reported(fault_site, tmp_path):
    fault_site.plan["/col/index_1.html"] = [(503, {})]
    fault_site.plan["/col/a0_2.html"] = [(500, {})]
    in_2s = lambda: format_datetime(datetime.now(timezone.utc) + timedelta(seconds=2), usegmt=True)  # noqa: E731
    fault_site.plan["/col/a0_3.html"] = [(503, {"Retry-After": in_2s}), (200, {})]
    proc, db = crawl(tmp_path, fault_site)
    assert proc.returncode == 0, proc.stderr
    for path in ("/col/index_1.html", "/col/a0_2.html"):
        times = fault_site.times(path)
        assert len(times) == 3  # the request and site.retries = 2 retries
        assert times[1] - times[0] >= 0.3 and times[2] - times[1] >= 0.6  # 0.3 s, doubled
    t = fault_site.times("/col/a0_3.html")
    assert len(t) == 2 and t[1] - t[0] >= 1.0  # an HTTP-date Retry-After is honoured too
    base = fault_site.base_url.rstrip("/")
    assert errors(db) == [(base + "/col/index_1.html", 503, "http_status")]
    with sqlite3.connect(db) as conn:
        status = dict(conn.execute("SELECT url, http_status FROM articles"))
    assert status[base + "/col/a0_2.html"] == 500 and status[base + "/col/a0_3.html"] == 200
    col = column(db)
    assert f"{base}/col/index_1.html: HTTP 503 after 2 retries" in col["notes"]
    assert col["status"] == 200 and col["complete"] == 0 and col["stop_reason"] == "error"


def test_a_retry_after_beyond_the_limit_is_not_waited_for(fault_site, tmp_path):
    fault_site.plan["/col/index.html"] = [(429, {"Retry-After": "3600"})]
    started = time.monotonic()
    proc, db = crawl(tmp_path, fault_site)
    assert time.monotonic() - started < 60
    assert proc.returncode == 3  # the only column could not be read
    assert fault_site.count("/col/index.html") == 1
    col = column(db)
    assert col["status"] == 429
    assert any("not retried, Retry-After 3600 s is longer than 120 s" in n for n in col["notes"])


def test_progress_is_a_live_line_on_a_terminal(fault_site, tmp_path):
    master, slave = pty.openpty()  # a real terminal on stderr
    cfg = write_config(tmp_path, fault_site.base_url)
    child = subprocess.Popen([sys.executable, "-m", "zwgk.cli", "crawl", "--config", str(cfg),
                              "--db", str(tmp_path / "tty.sqlite"), "--as-of", "2026-11-20"],
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    child.wait(timeout=60)
    os.close(master)
    text = out.decode("utf-8", "replace")
    assert child.returncode == 0, text
    assert "\r\x1b[Kzwgk crawl finished: columns 1/1" in text


def test_retry_after_values():
    now = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds(b" 5 ", now) == 5
    assert retry_after_seconds("Fri, 20 Nov 2026 08:00:30 GMT", now) == 30
    assert retry_after_seconds("Fri, 20 Nov 2026 07:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_revalidation_falls_due_within_the_period_spread_over_its_second_half():
    now = datetime(2026, 11, 20, tzinfo=timezone.utc)
    fractions = [due_fraction(f"http://x/{i}.html") for i in range(2000)]
    assert all(0.5 <= f < 1 for f in fractions)
    assert min(fractions) < 0.52 and max(fractions) > 0.98  # spread, not bunched
    url = "http://x/1.html"
    checked = lambda days: (now - timedelta(days=days)).isoformat()  # noqa: E731
    assert not is_due(url, checked(0), 30, now)
    assert is_due(url, checked(30), 30, now)
    assert is_due(url, checked(0), 0, now)  # revalidate_days 0: every run
    assert is_due(url, None, 30, now)       # never confirmed
    assert is_due(url, checked(30 * due_fraction(url) + 0.01), 30, now)
    assert not is_due(url, checked(30 * due_fraction(url) - 0.01), 30, now)
