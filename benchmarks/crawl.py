"""Crawl benchmark: zwgk against bare Scrapy on the demo site served on loopback (issue 4).

    python benchmarks/crawl.py [--articles 20000] [--concurrency 8] [--repeat 1] [--new-percent 1]

In one run it prints a table with
- full-crawl pages per second of ``zwgk crawl --full`` and of a bare Scrapy spider that requests
  the very URLs zwgk requested (taken from the server's log) and parses nothing — the engine's own
  limit on this machine — and their ratio;
- the requests of an unchanged nightly re-run divided by the full crawl's;
- the requests of a re-run after ``--new-percent`` % new articles were published on top of the
  lists, with how many of them the re-run found;
- the peak RSS of the zwgk crawl processes (VmHWM, each child's own high-water mark).

Pages per second = responses / Scrapy's ``elapsed_time_seconds`` (the crawl, not the process start).
Both crawlers get the same settings: no delay, the same per-domain concurrency, robots.txt obeyed.
The server runs in this process (threads); zwgk and the bare spider run in their own processes.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = "2026-11-20"


def _bare_main(url_file: str, concurrency: int) -> None:
    """The bare spider (run in a child process): request every URL, parse nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(url_file).read_text(encoding="utf-8").split()

    class Bare(scrapy.Spider):
        name = "bare"
        custom_settings = {"HTTPERROR_ALLOW_ALL": True}

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True, meta={"dont_retry": True})

        def parse(self, response):
            return None

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
                              "CONCURRENT_REQUESTS": 16, "ROBOTSTXT_OBEY": True,
                              "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
                              "USER_AGENT": "zwgk-bench-bare/0.1"})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"responses": stats.get("downloader/response_count", 0),
                      "requests": stats.get("downloader/request_count", 0),
                      "elapsed": stats.get("elapsed_time_seconds")}))


# Runs a module or script and, at exit, writes its peak RSS (VmHWM) to $ZWGK_BENCH_HWM. Why not
# wait4's ru_maxrss: Linux carries the parent's high-water mark into a child at exec, and this
# process holds a 20,000-page site in memory; VmHWM belongs to the child's own address space.
_HWM_WRAPPER = """
import atexit, os, runpy, sys
def _hwm():
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(os.environ["ZWGK_BENCH_HWM"], "w") as out:
        out.write(str(kib))
atexit.register(_hwm)
target = sys.argv[1]
sys.argv = sys.argv[1:]
if target.endswith(".py"):
    runpy.run_path(target, run_name="__main__")
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
"""


def _run(target: str, args: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    """Run a module or script in a child to its end; (result, the child's peak RSS in MB)."""
    with tempfile.TemporaryDirectory() as tmp:
        hwm = Path(tmp) / "hwm"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "ZWGK_BENCH_HWM": str(hwm)}
        proc = subprocess.run([sys.executable, "-c", _HWM_WRAPPER, target, *args], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        rss = int(hwm.read_text()) / 1024 if hwm.exists() else float("nan")
    return proc, rss


def _zwgk(db: Path, config: Path, base_url: str, *extra: str) -> tuple[dict, float]:
    proc, rss = _run("zwgk.cli", ["crawl", "--config", str(config), "--db", str(db),
                                   "--base-url", base_url, "--as-of", AS_OF, *extra])
    if proc.returncode != 0:
        raise SystemExit(f"zwgk crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    import sqlite3

    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats_json FROM runs ORDER BY id DESC LIMIT 1")
                           .fetchone()[0])
    return stats, rss


def _bare(urls: list[str], concurrency: int, tmp: Path) -> dict:
    url_file = tmp / "urls.txt"
    url_file.write_text("\n".join(urls), encoding="utf-8")
    proc, rss = _run(__file__, ["--bare", str(url_file), "--concurrency", str(concurrency)])
    if proc.returncode != 0:
        raise SystemExit(f"bare spider failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["rss"] = rss
    return result


def _config(tmp: Path, concurrency: int) -> Path:
    import yaml

    data = yaml.safe_load((ROOT / "mapping" / "columns.yaml").read_text(encoding="utf-8"))
    # Columns of the padded site have hundreds of list pages: lift the trap cap for the benchmark.
    data["site"].update({"download_delay": 0, "concurrency": concurrency,
                         "max_pages_per_column": 10000})
    path = tmp / "columns.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _requested(hits: dict[str, int], base_url: str) -> list[str]:
    return [base_url + target.lstrip("/") for target, n in sorted(hits.items()) for _ in range(n)
            if target != "/robots.txt"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (both)")
    parser.add_argument("--repeat", type=int, default=1, help="full crawls of each (best counts)")
    parser.add_argument("--new-percent", type=float, default=1.0)
    parser.add_argument("--bare", metavar="URL_FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bare:
        _bare_main(args.bare, args.concurrency)
        return 0

    from zwgk.demosite.server import start

    started = time.monotonic()
    print(f"building the demo site with {args.articles} articles …", file=sys.stderr)
    server = start(articles=args.articles)
    catalog_articles = sum(len(c.articles) for c in server.site.model.columns if c.spec.item_id)
    print(f"serving {len(server.site.pages)} pages at {server.base_url} "
          f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        config = _config(tmp, args.concurrency)
        zwgk_rates, bare_rates, rss_full = [], [], 0.0
        full_requests, urls = 0, []
        for attempt in range(args.repeat):
            db = tmp / f"full{attempt}.sqlite"
            server.reset_hits()
            stats, rss = _zwgk(db, config, server.base_url, "--full")
            scrapy_stats = stats["scrapy"]
            zwgk_rates.append(scrapy_stats["downloader/response_count"] / stats["elapsed_seconds"])
            rss_full = max(rss_full, rss)
            full_requests = sum(server.hits.values())
            urls = _requested(dict(server.hits), server.base_url)
            print(f"zwgk full crawl: {scrapy_stats['downloader/response_count']} responses in "
                  f"{stats['elapsed_seconds']:.1f} s, peak RSS {rss:.0f} MB", file=sys.stderr)
            bare = _bare(urls, args.concurrency, tmp)
            bare_rates.append(bare["responses"] / bare["elapsed"])
            print(f"bare Scrapy: {bare['responses']} responses in {bare['elapsed']:.1f} s, "
                  f"peak RSS {bare['rss']:.0f} MB", file=sys.stderr)

        db = tmp / "full0.sqlite"
        server.reset_hits()
        _, rss_rerun = _zwgk(db, config, server.base_url)
        unchanged_requests = sum(server.hits.values())

        new = max(1, round(catalog_articles * args.new_percent / 100))
        before = {a.path for c in server.site.model.columns for a in c.articles}
        site = server.set_site(articles=args.articles, new=new)
        new_paths = {a.path for c in site.model.columns if c.spec.item_id
                     for a in c.articles} - before
        server.reset_hits()
        _, rss_new = _zwgk(db, config, server.base_url)
        changed_requests = sum(server.hits.values())
        import sqlite3

        with sqlite3.connect(db) as conn:
            run_id = conn.execute("SELECT MAX(id) FROM runs").fetchone()[0]
            stored = {r[0] for r in conn.execute(
                "SELECT l.url FROM listings l JOIN articles a ON a.url = l.url WHERE l.run_id=? "
                "AND l.carried_from IS NULL AND a.last_seen_run=? AND a.http_status=200",
                (run_id, run_id))}
        found = sum(1 for p in new_paths if server.base_url + p.lstrip("/") in stored)
        server.stop()

    zwgk_rate, bare_rate = max(zwgk_rates), max(bare_rates)
    rows = [
        ("site", f"demo site, {args.articles} articles ({catalog_articles} in catalog columns), "
                 f"loopback, concurrency {args.concurrency}, no delay"),
        ("full crawl, zwgk (`crawl --full`)", f"{zwgk_rate:.0f} pages/s ({full_requests} requests)"),
        ("full crawl, bare Scrapy (same URLs, no parsing)", f"{bare_rate:.0f} pages/s"),
        ("zwgk ÷ bare Scrapy", f"{zwgk_rate / bare_rate:.2f}"),
        ("unchanged nightly re-run", f"{unchanged_requests} requests = "
                                     f"{unchanged_requests / full_requests:.2%} of the full crawl"),
        (f"re-run after {new} new articles ({args.new_percent:g} %)",
         f"{changed_requests} requests = {changed_requests / full_requests:.2%} of the full crawl; "
         f"found {found} of {len(new_paths)} ({found / max(1, len(new_paths)):.0%})"),
        ("peak RSS, zwgk crawl process", f"{max(rss_full, rss_rerun, rss_new):.0f} MB "
                                         f"(full crawl {rss_full:.0f} MB)"),
    ]
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"(benchmark took {time.monotonic() - started:.0f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
