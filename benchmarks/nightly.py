"""Nightly benchmark: what a large bureau's night costs after the crawl (issue 16).

    python benchmarks/nightly.py [--articles 10000 50000] [--repeat 1] [--cache DIR]

For each size it serves the demo site padded to N articles on loopback, crawls it once with
``zwgk crawl --full`` into a store cached under ``--cache`` (default ``benchmarks/.cache/``,
git-ignored; delete it to rebuild), then, on a copy of that store, times in fresh processes:

- ``zwgk run`` on the unchanged site (incremental crawl + audit + report), first with the
  cached crawl's as-of date (every item audited: the store has no saved results yet), then the
  night after (as-of + 1 day: the nightly case, items whose as-of window holds are reused),
- ``zwgk audit`` of that night again (every item reused) and ``zwgk audit --reaudit`` (every
  item computed afresh: the full re-audit),
- ``zwgk report`` (render the stored results),

with each process's peak RSS (VmHWM), the output sizes (report.html, report.xlsx, findings.json,
articles.csv), the number of table rows in report.html, and the report's time to first render
in headless Chromium (navigation start to the first screenshot of the top of the page, with the
browser already running). Prints one Markdown table; times are medians of ``--repeat`` runs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from crawl import AS_OF, _config, _run  # noqa: E402  (one copy of the child-process helpers)

DEFAULT_CACHE = ROOT / "benchmarks" / ".cache"
NEXT_NIGHT = (date.fromisoformat(AS_OF) + timedelta(days=1)).isoformat()


def _timed(args: list[str]) -> tuple[float, float]:
    """Run ``zwgk ARGS`` in a child; (wall seconds, peak RSS MB). Exit 0/1 are both success."""
    started = time.monotonic()
    proc, rss = _run("zwgk.cli", args)
    wall = time.monotonic() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"zwgk {' '.join(args[:1])} failed ({proc.returncode}):\n"
                         f"{proc.stderr[-3000:]}")
    return wall, rss


def first_render(report: Path) -> float:
    """Seconds from navigation to the first screenshot of the page's top, browser running."""
    from zwgk.chromium import find_chromium
    from zwgk.report.screenshot import PipeBrowser

    browser = PipeBrowser(find_chromium(), timeout=300)
    try:
        browser.open("about:blank", 1400, 2400)
        started = time.monotonic()
        browser.send("Page.navigate", {"url": report.resolve().as_uri()})
        browser.wait_event("Page.loadEventFired")
        browser.send("Page.captureScreenshot", {"format": "png", "clip": {
            "x": 0, "y": 0, "width": 1400, "height": 2400, "scale": 1}})
        return time.monotonic() - started
    finally:
        browser.close()


def _cached_port(db: Path) -> int:
    if not db.exists():
        return 0
    import sqlite3
    from urllib.parse import urlsplit

    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT base_url FROM runs ORDER BY id LIMIT 1").fetchone()
    return urlsplit(row[0]).port or 0 if row else 0


def _cached_store(n: int, cache: Path, config: Path, base_url: str) -> Path:
    db = cache / f"demo-{n}.sqlite"
    if not db.exists():
        print(f"  crawling the {n}-article site once into {db} …", file=sys.stderr)
        tmp = db.with_suffix(".partial")
        tmp.unlink(missing_ok=True)
        _timed(["crawl", "--config", str(config), "--db", str(tmp), "--base-url", base_url,
                "--as-of", AS_OF, "--full"])
        tmp.rename(db)
    # A store crawled by an older zwgk is upgraded once here, not inside the timed runs.
    from zwgk.store import Store

    Store(db).close()
    return db


def measure(n: int, repeat: int, cache: Path) -> dict[str, str]:
    from zwgk.demosite.server import start

    print(f"building the demo site with {n} articles …", file=sys.stderr)
    # Serve it where the cached crawl found it: another port is another host to the nightly
    # crawl, which would then fetch every article again.
    server = start(articles=n, port=_cached_port(cache / f"demo-{n}.sqlite"))
    try:
        with tempfile.TemporaryDirectory(prefix="zwgk-night-") as tmp_name:
            tmp = Path(tmp_name)
            config = _config(tmp, 8)
            cached = _cached_store(n, cache, config, server.base_url)
            common = ["--config", str(config), "--as-of", AS_OF]
            nights = ["--config", str(config), "--as-of", NEXT_NIGHT]
            runs, nexts, audits, fulls, reports = [], [], [], [], []
            for attempt in range(repeat):
                db = tmp / f"night{attempt}.sqlite"
                shutil.copyfile(cached, db)
                out = tmp / f"out{attempt}"
                # The first audit of the store: every item computed (no saved results yet).
                runs.append(_timed(["run", *common, "--db", str(db), "--out", str(out),
                                    "--base-url", server.base_url]))
                # The night after: results saved last night are reused while their as-of
                # window holds (zwgk.audit.asof).
                nexts.append(_timed(["run", *nights, "--db", str(db), "--out", str(out),
                                     "--base-url", server.base_url]))
                audits.append(_timed(["audit", *nights, "--db", str(db)]))
                fulls.append(_timed(["audit", *nights, "--db", str(db), "--reaudit"]))
                reports.append(_timed(["report", *nights, "--db", str(db), "--out", str(out)]))
                print(f"  {n}: run {runs[-1][0]:.1f} s, next night {nexts[-1][0]:.1f} s, "
                      f"audit {audits[-1][0]:.1f} s, full re-audit {fulls[-1][0]:.1f} s, "
                      f"report {reports[-1][0]:.1f} s", file=sys.stderr)
            html = out / "report.html"
            rows = html.read_text(encoding="utf-8").count("<tr")
            render = first_render(html)
            sizes = {name: (out / name).stat().st_size / 1e6 for name in
                     ("report.html", "report.xlsx", "findings.json", "articles.csv")}
    finally:
        server.stop()

    def cell(samples: list[tuple[float, float]]) -> str:
        return (f"{statistics.median(s[0] for s in samples):.1f} s, "
                f"{max(s[1] for s in samples):.0f} MB")

    return {
        "`zwgk run`, unchanged site, first audit": cell(runs),
        "`zwgk run`, unchanged site, next night": cell(nexts),
        "`zwgk audit` (same night: reuse)": cell(audits),
        "`zwgk audit --reaudit` (every item)": cell(fulls),
        "`zwgk report`": cell(reports),
        "report.html": f"{sizes['report.html']:.2f} MB, {rows} table rows",
        "first render (Chromium)": f"{render:.1f} s",
        "report.xlsx": f"{sizes['report.xlsx']:.2f} MB",
        "findings.json": f"{sizes['findings.json']:.2f} MB",
        "articles.csv": f"{sizes['articles.csv']:.2f} MB",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="where crawled stores are kept between benchmark runs")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    columns = {n: measure(n, args.repeat, args.cache) for n in args.articles}
    names = list(next(iter(columns.values())))
    print("| step | " + " | ".join(f"{n:,} articles" for n in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name in names:
        print(f"| {name} | " + " | ".join(columns[n][name] for n in columns) + " |")
    print(f"(median of {args.repeat}; took {time.monotonic() - started:.0f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
