"""What rendering costs: list pages per second read in Chromium vs read plainly.

    python benchmarks/render.py [--pages N] [--rounds R]

A loopback site (this process) serves two columns of N list pages with the same entries: one
static (`index.html`, `index_1.html` … linked by 下一页), one filled by a script from
`/api/list?page=N` and paged by a JavaScript 下一页 (the shape of tests/jssite.py). Each crawl is
the real CLI (`zwgk crawl`, a subprocess, no delay); the entries link to another host, so no
article is fetched and the crawl seconds are the list pages' own. Printed, as one Markdown table (README "Rendering"):

- plain: the static column, `render: never` — wall time, list pages per second;
- plain, render auto: the same crawl with the browser step configured but never needed (the
  cost of having it on: Playwright is not started);
- rendered: the JS column, `render: auto` — wall time (Chromium start included), and pages per
  second inside the browser (`render_seconds` of the run statistics, start excluded).

The machine is shared: compare rows of one run, not numbers across runs.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from jssite import JS_LIST, TextHandler  # noqa: E402  (the script-filled list the tests read)

PER_PAGE = 20
STATIC = ('<html><head><meta charset="utf-8"><title>通知公告</title></head><body>'
          '<ul class="list">{rows}</ul>{next}</body></html>')


def _entry(i: int) -> dict[str, str]:
    # Articles on another host: listed, never fetched (not the site's), so the crawl seconds
    # are the list pages' alone.
    return {"title": f"关于住房保障工作的通知第{i}号", "url": f"http://articles.invalid/art/a{i}.html",
            "date": f"2026-{(i % 12) + 1:02d}-{(i % 27) + 1:02d}"}


def serve(pages: int) -> ThreadingHTTPServer:
    class H(TextHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            if parts.path == "/robots.txt":
                return self.send(200, "User-agent: *\n", "text/plain")
            if parts.path == "/js/index.html":
                return self.send(200, JS_LIST)
            if parts.path == "/api/list":
                page = int((parse_qs(parts.query).get("page") or ["1"])[0])
                first = (page - 1) * PER_PAGE + 1
                return self.send(200, json.dumps({"pages": pages, "data": [
                    _entry(i) for i in range(first, first + PER_PAGE)]}), "application/json")
            if parts.path.startswith("/static/index"):
                tail = parts.path[len("/static/index"):-len(".html")]
                page = int(tail[1:]) + 1 if tail else 1
                first = (page - 1) * PER_PAGE + 1
                rows = "".join(f'<li><a href="{e["url"]}">{e["title"]}</a><span>{e["date"]}</span></li>'
                               for e in map(_entry, range(first, first + PER_PAGE)))
                nxt = f'<a href="/static/index_{page}.html">下一页</a>' if page < pages else ""
                return self.send(200, STATIC.format(rows=rows, next=nxt))
            return self.send(404, "no")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def crawl(base: str, column: str, render: str, pages: int, tmp: Path) -> dict[str, float]:
    cfg = tmp / f"{column}-{render}.yaml"
    db = tmp / f"{column}-{render}-{time.monotonic_ns()}.sqlite"
    cfg.write_text("\n".join([
        "site:", "  name: 渲染基准", f'  base_url: "{base}"', "  download_delay: 0", "  retries: 0",
        f"  render: {render}", f"  max_pages_per_column: {pages + 5}", "items:", '  - id: "1"',
        "    name: 通知公告", "    deadline: 根据实际更新", f"    columns: [{{name: c, url: {column}/index.html}}]",
        ""]), encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "zwgk.cli", "crawl", "--config", str(cfg),
                           "--db", str(db)], capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr[-2000:])
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats_json FROM runs").fetchone()[0])
    crawl_stats = stats.get("crawl", {})
    return {"wall": wall, "list_pages": float(stats.get("pages", 0)),
            "entries": float(crawl_stats.get("entries", 0)),
            "rendered": float(crawl_stats.get("rendered_pages", 0)),
            "render_seconds": float(crawl_stats.get("render_seconds", 0.0)),
            "elapsed": float(stats.get("elapsed_seconds") or wall)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    httpd = serve(args.pages)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    rows: dict[str, list[dict[str, float]]] = {"plain": [], "plain, render auto": [], "rendered": []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            rows["plain"].append(crawl(base, "static", "never", args.pages, Path(tmp)))
            rows["plain, render auto"].append(crawl(base, "static", "auto", args.pages, Path(tmp)))
            rows["rendered"].append(crawl(base, "js", "auto", args.pages, Path(tmp)))
    httpd.shutdown()
    med = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    print(f"{args.pages} list pages of {PER_PAGE} entries, median of {args.rounds} rounds\n")
    print("| crawl | list pages read | entries | wall s (CLI, start included) | crawl s | "
          "list pages/s (rendered: inside the browser) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in rows.items():
        pages = med(runs, "rendered") if name == "rendered" else med(runs, "list_pages")
        seconds = med(runs, "render_seconds") if name == "rendered" else med(runs, "elapsed")
        rate = pages / seconds if seconds else float("nan")
        print(f"| {name} | {pages:.0f} | {med(runs, 'entries'):.0f} | {med(runs, 'wall'):.2f} | "
              f"{med(runs, 'elapsed'):.2f} | {rate:.1f} |")
    print("\n(rendered: pages/s inside the browser, from render_seconds; its crawl s includes "
          "starting Playwright and Chromium)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
