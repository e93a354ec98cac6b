"""A running console for the console tests: the demo site crawled one night into a store, a
second configured site (the "trap" site: redirects, a slow column, hostile titles, links off
site), a canary server no spot-check may ever reach, users of each role, and ``zwgk serve`` in a
real uvicorn process on a free loopback port.

Imported by tests/test_console.py and tests/test_console_browser.py (one session-wide console).
"""
from __future__ import annotations

import contextlib
from html import escape
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import yaml

from conftest import ROOT, run_zwgk
from zwgk.demosite.site import DEMO_AS_OF

AS_OF = DEMO_AS_OF.isoformat()
PASSWORDS = {"ada": "admin-pass-1", "carl": "checker-pass-1", "vera": "viewer-pass-1",
             "cleo": "checker-pass-2"}
ROLES = {"ada": "admin", "carl": "checker", "vera": "viewer", "cleo": "checker"}
HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>公告'


class Counting(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, handler: type) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.hits: list[str] = []
        self.lock = threading.Lock()
        self.port = self.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()

    def count(self) -> int:
        with self.lock:
            return len(self.hits)


class _Canary(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        with self.server.lock:
            self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"canary")

    do_HEAD = do_POST = do_GET


def _list_page(links: list[tuple[str, str, str]]) -> bytes:
    rows = "".join(f'<li><a href="{href}">{escape(title)}</a><span class="date">{day}</span></li>'
                   for href, title, day in links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title></head>'
            f'<body><ul class="list">{rows}</ul></body></html>').encode("utf-8")


def _article(title: str, day: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="PubDate" content="{day} 09:00"></head><body><h1>{escape(title)}</h1>'
            f'<p>发布日期：{day}</p><p>正文。</p></body></html>').encode("utf-8")


def trap_handler(canary: str) -> type:
    class Trap(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", location: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            with self.server.lock:
                self.server.hits.append(self.path)
            path = self.path.split("?")[0]
            if path == "/col/index.html":  # a list whose entries lead off site, one hostile
                self._send(200, _list_page([
                    ("/art/1.html", HOSTILE_TITLE, "2026-11-02"),
                    (canary + "steal/2.html", "外站文章", "2026-10-20"),
                    ("/art/3.html", "跳到外站的文章", "2026-09-15"),
                ]))
            elif path == "/art/1.html":
                self._send(200, _article(HOSTILE_TITLE, "2026-11-02"))
            elif path == "/art/3.html":
                self._send(302, location=canary + "via-redirect/3.html")
            elif path == "/redirect/index.html":
                self._send(302, location=canary + "list/index.html")
            elif path == "/inner/index.html":
                self._send(301, location="/col/index.html")
            elif path == "/slow/index.html":
                time.sleep(4)
                self._send(200, _list_page([("/art/1.html", "慢栏目文章", "2026-11-02")]))
            else:
                self._send(404, b"not here")

        do_HEAD = do_GET

    return Trap


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Console:
    base: str
    db: Path
    demo_url: str
    canary: Counting
    trap: Counting
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, user: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=60,
                            follow_redirects=False)

    @contextlib.contextmanager
    def login(self, user: str) -> Iterator[httpx.Client]:
        """A browser-like client holding the user's session cookie."""
        with httpx.Client(base_url=self.base, timeout=60, follow_redirects=False) as client:
            page = client.get("/login")
            csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            r = client.post("/login", data={"name": user, "password": PASSWORDS[user],
                                            "csrf": csrf, "next": "/"})
            assert r.status_code == 303, r.text
            yield client

    def wait(self, check_id: int, timeout: float = 120) -> dict:
        with self.client("ada") as c:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                body = c.get(f"/api/checks/{check_id}").json()
                if body["status"] in ("done", "failed"):
                    return body
                time.sleep(0.3)
        raise AssertionError(f"check {check_id} did not end within {timeout} s")

    def wait_idle(self, timeout: float = 120) -> None:
        with self.client("ada") as c:
            for check in c.get("/api/checks").json()["checks"]:
                if check["status"] in ("queued", "running"):
                    self.wait(check["id"], timeout)


def _site_configs(folder: Path, demo_url: str, trap_url: str) -> None:
    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    data["site"]["base_url"] = demo_url
    (folder / "demo.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    trap = {"site": {"name": "跳转测试站", "base_url": trap_url, "download_delay": 0,
                     "obey_robots": False, "timeout": 10},
            "items": [{"id": "1", "category": "通知公告", "name": "通知公告", "deadline": "季度更新",
                       "units": ["办公室"], "columns": [{"name": "通知公告", "url": "col/index.html"}]},
                      {"id": "2", "category": "通知公告", "name": "慢栏目", "deadline": "季度更新",
                       "units": ["办公室"], "columns": [{"name": "慢栏目", "url": "slow/index.html"}]},
                      {"id": "3", "category": "通知公告", "name": "跳转栏目", "deadline": "季度更新",
                       "units": ["办公室"],
                       "columns": [{"name": "跳转栏目", "url": "redirect/index.html"}]}]}
    (folder / "trap.yaml").write_text(yaml.safe_dump(trap, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="session")
def console(demo_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("console")
    canary = Counting(_Canary)
    trap = Counting(trap_handler(canary.base))
    sites = root / "sites"
    sites.mkdir()
    _site_configs(sites, demo_server.base_url, trap.base)
    db = root / "store.sqlite"
    proc = run_zwgk("run", "--config", str(sites / "demo.yaml"), "--db", str(db), "--as-of",
                    AS_OF, "--download-delay", "0", "--out", str(root / "reports"), cwd=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the demo's seeded defects
    for name, role in ROLES.items():
        p = subprocess.run([sys.executable, "-m", "zwgk.cli", "user", "add", name, "--role", role,
                            "--password-stdin", "--db", str(db)], input=PASSWORDS[name] + "\n",
                           text=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert p.returncode == 0, p.stderr
    tokens = {}
    for name in ROLES:
        p = run_zwgk("user", "token", name, "--db", str(db), cwd=root)
        assert p.returncode == 0, p.stderr
        tokens[name] = p.stdout.strip()
    with serving(root, "--db", str(db), "--sites", str(sites), "--check-limit", "1") as base:
        yield Console(base=base, db=db, demo_url=demo_server.base_url, canary=canary, trap=trap,
                      tokens=tokens)
    canary.shutdown()
    trap.shutdown()


@contextlib.contextmanager
def serving(root: Path, *args: str) -> Iterator[str]:
    """``zwgk serve ARGS`` in a real uvicorn process on a free loopback port, until the block
    ends; yields its base URL (its log: ROOT/serve.log)."""
    port = _free_port()
    log = open(root / "serve.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "zwgk.cli", "serve", *args, "--port", str(port), "--as-of", AS_OF,
         "--download-delay", "0", "--log-level", "warning"], cwd=root, stdout=log,
        stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.close()
                    pytest.fail("zwgk serve did not start:\n" + (root / "serve.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
