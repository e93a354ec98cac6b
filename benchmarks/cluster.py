"""Many sites, 1-2-4 workers: wall time, sites per hour per worker, speed-up, peak RSS per worker
process, SQLite (local worker processes) vs PostgreSQL (Celery workers on Redis).

Every site is a demo site on its own loopback port (its own politeness slot) with a realistic
``download_delay`` (default 0.2 s), so a site's crawl is bound by its delay, not by the CPU: that
is the case where workers pay off. Throw-away redis-server and PostgreSQL come from
tests/servers.py (Debian's packages). Prints a Markdown table and a projection to 1,000 sites.

    python benchmarks/cluster.py --sites 6 --delay 0.2 --workers 1 2 4
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

ITEMS = ("2.1", "4.1", "5.1", "15.1")  # one column per list style of the demo site


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss:
    """Samples every process below the given roots: the largest RSS any one of them reached."""

    def __init__(self, roots: list[int]) -> None:
        self.roots, self.peak, self.stop = roots, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            for root in self.roots:
                for pid in _descendants(root) | {root}:
                    self.peak = max(self.peak, _rss_kb(pid))
            time.sleep(0.25)

    def done(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak / 1024


def zwgk(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "zwgk.cli", *args], cwd=ROOT, env=env, **kw)


def run_once(store: str, workers: int, sites_dir: Path, tmp: Path, servers: dict) -> tuple[float, float, int]:
    out = tmp / f"out-{store}-{workers}"
    if store == "sqlite":
        db = str(tmp / f"{store}-{workers}.sqlite")
        t0 = time.perf_counter()
        proc = zwgk("run", "--sites", str(sites_dir), "--workers", str(workers), "--db", db,
                    "--out", str(out), "--as-of", "2026-11-20", stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
        sampler = PeakRss([proc.pid])
        code = proc.wait()
        return time.perf_counter() - t0, sampler.done(), code
    db = servers["pg"].database(f"bench_{workers}")
    broker = servers["redis"].url
    pool = [zwgk("worker", "--broker", broker, "--db", db, "--name", f"b{i}@%h",
                 stdout=open(tmp / f"w{workers}-{i}.log", "wb"), stderr=subprocess.STDOUT)
            for i in range(workers)]
    for i in range(workers):
        while b" ready." not in (tmp / f"w{workers}-{i}.log").read_bytes():
            time.sleep(0.2)
    sampler = PeakRss([w.pid for w in pool])
    t0 = time.perf_counter()
    code = zwgk("run", "--sites", str(sites_dir), "--broker", broker, "--db", db, "--out",
                str(out), "--as-of", "2026-11-20", stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL).wait()
    wall = time.perf_counter() - t0
    rss = sampler.done()
    for w in pool:
        w.terminate()
    for w in pool:
        w.wait(60)
    return wall, rss, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=6)
    ap.add_argument("--delay", type=float, default=0.2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    args = ap.parse_args()

    from servers import Postgres, Redis
    from sitecfg import write_site
    from zwgk.demosite.server import start

    servers: dict = {}
    if "postgresql" in args.stores:
        servers = {"pg": Postgres(), "redis": Redis()}
    demo = [start() for _ in range(args.sites)]
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp_name:
            tmp = Path(tmp_name)
            for i, server in enumerate(demo):
                write_site(tmp / "sites", f"site{i:03d}", server.base_url, delay=args.delay,
                           items=ITEMS)
            for store in args.stores:
                base = None
                for n in args.workers:
                    for server in demo:
                        server.reset_hits()
                    wall, rss, code = run_once(store, n, tmp / "sites", tmp, servers)
                    base = base or wall  # the fewest workers' wall time: the speed-up's base
                    requests = sum(sum(server.hits.values()) for server in demo)
                    rows.append((store, n, wall, args.sites / wall * 3600 / n, base / wall, rss,
                                 requests, code))
                    print(f"{store} {n} workers: {wall:.1f} s, exit {code}", file=sys.stderr)
    finally:
        for server in demo:
            server.stop()
        for server in servers.values():
            server.close()
    print(f"{args.sites} demo sites ({', '.join(ITEMS)}; download_delay {args.delay} s), "
          f"{os.cpu_count()} CPU cores\n")
    print("| store | workers | wall s | sites/h/worker | speed-up | peak RSS/worker MB | requests "
          "| exit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for store, n, wall, per_worker, speedup, rss, requests, code in rows:
        print(f"| {store} | {n} | {wall:.1f} | {per_worker:.0f} | {speedup:.2f} | {rss:.0f} | "
              f"{requests} | {code} |")
    one = {r[0]: r[2] / args.sites for r in rows if r[1] == min(args.workers)}
    print()
    for store, seconds in one.items():
        for night_hours in (8,):
            need = 1000 * seconds / (night_hours * 3600)
            print(f"projection, {store}: {seconds:.1f} s per site and worker → 1,000 sites need "
                  f"{1000 * seconds / 3600:.1f} worker-hours: ≥ {need:.1f} workers for an "
                  f"{night_hours}-hour night (delay-bound sites; CPU-bound ones need cores too)")


if __name__ == "__main__":
    main()
