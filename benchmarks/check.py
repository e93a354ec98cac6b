"""How long a supervisor waits for ``zwgk check``: a 3-page column with 45 articles on loopback.

    python benchmarks/check.py [--runs 5]

Serves, on 127.0.0.1, a column shaped like the demo site's TRS columns (``index.html``,
``index_1.html``, ``index_2.html`` announced by ``createPageHTML(3, n, "index", "html")``, 15
entries a page) whose 45 article pages carry an info table (成文日期, 发布日期, 文号), and times the
real command a supervisor types, in a fresh process each time:

    zwgk check --url http://127.0.0.1:PORT/col/index.html --deadline 季度更新 --download-delay 0

It then times, for comparison, the bundled demo site's 3-page column 5.1 (29 articles), and the
parts of the wall time that are not the crawl (interpreter start, imports). Prints numbers only;
the README quotes them.

Why its own server and not demosite.server: the demo has no 45-article column, and Python's
socketserver listens with a backlog of 5, so a crawler opening more connections at once gets
SYNs dropped and waits the kernel's 1 s retransmit — a loopback artefact no real web server has
(they listen with 128+). This server listens with 128; the demo figure below shows the artefact.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 20)
PAGES, PER_PAGE = 3, 15
SERIES = "临江市住建发"


def _articles() -> list[dict[str, str]]:
    """45 articles, newest first, about two a month over the last two years (one quarter left
    empty so the audit has something to say), with one 文号 series."""
    out = []
    day = AS_OF - timedelta(days=6)
    serial = 30
    while len(out) < PAGES * PER_PAGE:
        if not (date(2025, 4, 1) <= day <= date(2025, 6, 30)):  # 2025-Q2 left empty
            written = day - timedelta(days=3)
            out.append({"id": str(9000 + len(out)), "date": day.isoformat(),
                        "written": written.isoformat(),
                        "docno": f"{SERIES}〔{day.year}〕{serial}号",
                        "title": f"临江市住房和城乡建设局关于{day.month}月份建筑市场检查情况的通报（{day.isoformat()}）"})
            serial = serial - 1 if serial > 1 else 30
        day -= timedelta(days=15)
    return out


ARTICLES = _articles()
_FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="SiteName" content="临江市住房和城乡建设局"><meta name="ColumnName" content="建筑市场">
</head><body><div class="header">临江市住房和城乡建设局</div>
<div class="nav"><a href="/">首页</a> &gt; <a href="/col/index.html">建筑市场</a></div>
<div class="main">{main}</div><div class="footer">主办：临江市住房和城乡建设局</div></body></html>"""


def list_page(n: int) -> str:
    rows = "".join(
        f'<li><a href="/col/{a["date"][:7].replace("-", "")}/t{a["date"].replace("-", "")}_{a["id"]}.html">'
        f'{a["title"]}</a><span>{a["date"]}</span></li>'
        for a in ARTICLES[n * PER_PAGE:(n + 1) * PER_PAGE])
    main = (f'<ul class="list">{rows}</ul><div class="page"><script>'
            f'createPageHTML({PAGES}, {n}, "index", "html");</script></div>')
    return _FRAME.format(title="建筑市场", main=main)


def article_page(a: dict[str, str]) -> str:
    main = (f'<table class="info"><tr><td>索引号：</td><td>11441700007/{a["date"][:4]}-{a["id"]}</td>'
            f'<td>发布机构：</td><td>临江市住房和城乡建设局</td></tr>'
            f'<tr><td>成文日期：</td><td>{a["written"]}</td><td>发布日期：</td><td>{a["date"]}</td></tr>'
            f'<tr><td>文号：</td><td>{a["docno"]}</td><td>有效性：</td><td>有效</td></tr></table>'
            f'<h1>{a["title"]}</h1><div class="content"><p>各有关单位：</p>'
            f'<p>现将{a["date"][:7]}建筑市场检查情况通报如下。检查共抽查在建项目12个，发现问题23处，'
            f'已全部责令限期整改。</p><p>临江市住房和城乡建设局</p><p>{a["written"]}</p></div>')
    return _FRAME.format(title=a["title"], main=main)


def site() -> dict[str, bytes]:
    pages = {"/robots.txt": b"User-agent: *\nAllow: /\n"}
    for n in range(PAGES):
        pages["/col/index.html" if n == 0 else f"/col/index_{n}.html"] = list_page(n).encode()
    for a in ARTICLES:
        path = f'/col/{a["date"][:7].replace("-", "")}/t{a["date"].replace("-", "")}_{a["id"]}.html'
        pages[path] = article_page(a).encode()
    return pages


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: dict[str, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = self.pages.get(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        body = body if body is not None else b"not found"
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # like a production web server (socketserver's default is 5)


def serve() -> tuple[_Server, str]:
    _Handler.pages = site()
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time, and the CPU time (user + system) the command itself used: on a busy machine the
    wall time includes waiting for a CPU, the CPU time does not."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc


def series(label: str, cmd: list[str], runs: int, expect: str = "") -> list[float]:
    timed(cmd)  # warm-up: bytecode caches, page cache
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu, proc = timed(cmd)
        if expect and expect not in proc.stdout:
            sys.exit(f"{label}: unexpected output (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        walls.append(wall)
        cpus.append(cpu)
    print(f"{label:<56} wall median {statistics.median(walls):5.2f} s (min {min(walls):5.2f}, "
          f"max {max(walls):5.2f})   cpu median {statistics.median(cpus):5.2f} s   (n={runs})")
    return walls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    py = sys.executable
    server, base = serve()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    check = [py, "-m", "zwgk.cli", "check", "--url", base + "col/index.html", "--deadline", "季度更新",
             "--download-delay", "0", "--as-of", AS_OF.isoformat()]
    series("zwgk check --url (3 pages, 45 articles)", check, args.runs, expect="文章数：45")
    series("  python start-up only", [py, "-c", "pass"], args.runs)
    series("  + imports (cli, report, crawler, store, engine)",
           [py, "-c", "import zwgk.cli, zwgk.report.html, zwgk.crawler.runner, zwgk.crawler.store, zwgk.audit.engine"],
           args.runs)
    server.shutdown()
    sys.path.insert(0, str(ROOT))
    from zwgk.demosite.server import start

    with start() as demo:
        series("zwgk check 5.1 on the demo site (3 pages, 29 articles)",
               [py, "-m", "zwgk.cli", "check", "5.1", "--base-url", demo.base_url,
                "--download-delay", "0", "--as-of", AS_OF.isoformat()], args.runs, expect="文章数：29")
    return 0


if __name__ == "__main__":
    sys.exit(main())
