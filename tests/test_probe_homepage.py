"""`zwgk probe` against a real loopback server that fails 1 request in 10, and the nightly home
page read of a navigation-only home page (judged by its second-level columns)."""
from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_zwgk
from zwgk.grammar.asof import site_today
from zwgk.audit.rules.inspection import Probe, site_unavailable
from zwgk.crawler.store import Store

COLUMNS = [f"/col{i}/index.html" for i in range(9)]
AS_OF = "2026-11-20"


def _list_page(dates: list[str]) -> str:
    rows = "".join(f'<li><a href="/art/{d}.html">关于{d}工作的通知</a><span>{d}</span></li>'
                   for d in dates)
    return ("<html><head><meta charset='utf-8'><title>列表</title></head><body>"
            f"<ul class='list'>{rows}</ul></body></html>")


NAV_HOME = ("<html><head><meta charset='utf-8'><title>首页</title></head><body><ul class='nav'>"
            + "".join(f'<li><a href="{c}">栏目{i}</a></li>' for i, c in enumerate(COLUMNS[:3]))
            + "</ul></body></html>")
ARTICLE = ("<html><head><meta charset='utf-8'><title>通知</title></head><body><h1>关于工作的通知"
           "</h1><p>发布日期：2026-03-02</p><p>正文内容正文内容正文内容正文内容正文内容。</p>"
           '<p><a href="/files/no-head.pdf">附件一</a> <a href="/files/gone.pdf">附件二</a></p>'
           "</body></html>")


class Site(BaseHTTPRequestHandler):
    counter = itertools.count(1)
    fail_every = 10
    slow = False
    column_dates = ["2026-03-02", "2026-02-01"]  # old: the home page is stale

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/files/"):
            Site.files[self.path] = Site.files.get(self.path, 0) + 1
        n = next(Site.counter)
        if Site.fail_every and n % Site.fail_every == 0:
            self._send(500, "<html><body>error</body></html>")
            return
        if Site.slow:
            time.sleep(2)
        if self.path in ("/", "/index.html"):
            self._send(200, NAV_HOME)
        elif self.path in COLUMNS:
            self._send(200, _list_page(Site.column_dates))
        elif self.path.startswith("/art/"):
            self._send(200, ARTICLE)
        elif self.path == "/files/no-head.pdf":
            self._send(200, "%PDF-1.4", "application/pdf")
        elif self.path == "/robots.txt":
            self._send(200, "User-agent: *\nAllow: /\n", "text/plain")
        else:
            self._send(404, "not found")

    def do_HEAD(self) -> None:  # noqa: N802 - a server refusing HEAD: GET must decide
        Site.heads = getattr(Site, "heads", 0) + 1
        if self.path.startswith("/files/"):
            Site.files[self.path] = Site.files.get(self.path, 0) + 1
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: str, ctype: str = "text/html; charset=utf-8") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the prober gave up waiting (the timeout test): that is the point

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def site(tmp_path: Path):
    Site.counter = itertools.count(1)
    Site.fail_every, Site.slow, Site.heads, Site.files = 10, False, 0, {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    items = "\n".join(f"""  - id: "{i + 1}.1"
    category: 工作动态
    name: 栏目{i}
    deadline: 根据实际更新
    units: [办公室]
    columns: [{{url: "{c.lstrip('/')}"}}]""" for i, c in enumerate(COLUMNS))
    config = tmp_path / "columns.yaml"
    config.write_text(f"site:\n  name: 测试站\n  base_url: \"{base}\"\n  download_delay: 0\n"
                      f"  retries: 0\nitems:\n{items}\n", encoding="utf-8")
    yield {"base": base, "config": config, "db": tmp_path / "z.sqlite", "tmp": tmp_path}
    server.shutdown()
    server.server_close()


def test_probe_records_each_result(site) -> None:
    for _ in range(3):
        proc = run_zwgk("probe", "--config", str(site["config"]), "--db", str(site["db"]))
        assert proc.returncode in (0, 1), proc.stderr
    store = Store(site["db"])
    rows = store.probes(site["base"], "2000-01-01")
    store.close()
    assert len(rows) == 30                       # home + 9 columns, three times
    failed = [r for r in rows if not r["ok"]]
    assert len(failed) == 3 and all(r["status"] == 500 for r in failed)
    probes = [Probe(r["url"], datetime.fromisoformat(r["at"]), bool(r["ok"]))
              for r in rows]
    today = site_today(probes[0].at)  # the probes' Beijing day, as the audit counts them
    findings, check = site_unavailable(probes, today)
    assert findings == [] and check["verdict"] == "unknown"   # 30 probes: too few to judge
    assert (check["checks"], check["failed"]) == (30, 3)


def test_probe_timeout_counts_as_failed(site) -> None:
    Site.fail_every, Site.slow = 0, True
    proc = run_zwgk("probe", "--config", str(site["config"]), "--db", str(site["db"]),
                    "--timeout", "0.5")
    assert proc.returncode == 1
    store = Store(site["db"])
    rows = store.probes(site["base"], "2000-01-01")
    store.close()
    assert len(rows) == 10 and not any(r["ok"] for r in rows)
    assert all(r["status"] is None and r["error"] for r in rows)


def test_navigation_home_page_stale_then_fresh(site) -> None:
    Site.fail_every = 0
    out = site["tmp"] / "out"
    proc = run_zwgk("run", "--config", str(site["config"]), "--db", str(site["db"]),
                    "--as-of", AS_OF, "--out", str(out))
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    stale = [f for f in doc["inspection"]["findings"] if f["rule"] == "homepage_stale"]
    assert len(stale) == 1, doc["inspection"]
    assert stale[0]["details"]["latest_date"] == "2026-03-02"
    assert stale[0]["details"]["days"] == (date.fromisoformat(AS_OF) - date(2026, 3, 2)).days
    assert "二级栏目" in stale[0]["message"]
    assert proc.returncode == 1
    # body links: HEAD refused (405), GET decides — only the missing attachment is broken
    broken = [f for f in doc["inspection"]["findings"] if f["rule"] == "broken_link"]
    assert [b["details"]["url"].rsplit("/", 1)[1] for b in broken] == ["gone.pdf"]
    assert broken[0]["details"]["status"] == 404
    assert broken[0]["details"]["found_on"].endswith(".html")
    # once per URL per night, though the article is listed 9 times: one check each (HEAD refused
    # then GET, or the attachment step's GET, which is that link's check too)
    assert set(Site.files) == {"/files/gone.pdf", "/files/no-head.pdf"}, Site.files
    assert all(n <= 2 for n in Site.files.values()), Site.files
    # the columns publish: the home page is judged fresh the next night
    Site.column_dates = ["2026-11-18"]
    out2 = site["tmp"] / "out2"
    run_zwgk("run", "--config", str(site["config"]), "--db", str(site["db"]), "--as-of", AS_OF,
             "--out", str(out2), "--full")
    doc = json.loads((out2 / "findings.json").read_text(encoding="utf-8"))
    checks = {c["rule"]: c for c in doc["inspection"]["checks"]}
    assert checks["homepage_stale"]["verdict"] == "pass", checks["homepage_stale"]
    Site.column_dates = ["2026-03-02", "2026-02-01"]
